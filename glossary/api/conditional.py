"""Conditional GET for the public API: cheap validators, 304 answers and caching headers.

A public payload changes only when something is published (or a release is cut), so the
validators are derived from a small "stamp" read with one aggregate query before any real work:
how many versions are public and when the last was published (see
``VersionQuerySet.api_stamp``), plus the release stamp where releases are involved. A matching
``If-None-Match`` or a recent enough ``If-Modified-Since`` is answered with 304 after that one
query, without loading a single concept.

The ETag is weak (``W/"…"``): it promises an equivalent representation, not identical bytes,
because the stamp does not see administrative edits of shared reference data (a domain's name, a
source's title), which carry no timestamp; such an edit reaches clients holding a cached copy at
the next publication.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from glossary.models import ConceptVersion, Release


@dataclass(frozen=True)
class Stamp:
    """What a public response depends on, cheap to read: parts for the ETag, a modification time."""

    parts: tuple[Any, ...]
    last_modified: datetime | None

    def etag(self, request: HttpRequest) -> str:
        """A weak ETag for this stamp and this exact URL (query string and host included)."""
        # Payloads hold absolute URLs, so the scheme and host are part of the representation.
        seed = repr((self.parts, request.scheme, request.get_host(), request.get_full_path()))
        return 'W/"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def publication_stamp(*, releases: bool = False, extra: tuple[Any, ...] = ()) -> Stamp:
    """The stamp of everything published (and, with ``releases``, of every release cut)."""
    count, last = ConceptVersion.objects.api_stamp()
    parts: tuple[Any, ...] = ("v1", count, last.isoformat() if last else None)
    moments = [last]
    if releases:
        release_count, release_last = Release.objects.api_stamp()
        parts += (release_count, release_last.isoformat() if release_last else None)
        moments.append(release_last)
    known = [moment for moment in moments if moment is not None]
    return Stamp(parts=parts + extra, last_modified=max(known) if known else None)


def not_modified(request: HttpRequest, stamp: Stamp) -> HttpResponseBase | None:
    """A 304 (with the validators) when the client's copy is current, else None."""
    timestamp = int(stamp.last_modified.timestamp()) if stamp.last_modified else None
    response = get_conditional_response(
        request, etag=stamp.etag(request), last_modified=timestamp, response=None
    )
    if response is None:
        return None
    return apply(response, request, stamp)


def apply(response: HttpResponseBase, request: HttpRequest, stamp: Stamp) -> HttpResponseBase:
    """Put the validators and the caching policy on a public response."""
    response["ETag"] = stamp.etag(request)
    if stamp.last_modified is not None:
        response["Last-Modified"] = http_date(stamp.last_modified.timestamp())
    # Shared caches may keep it, but must ask again each time: a 304 costs one small query.
    patch_cache_control(response, public=True, no_cache=True)
    return response
