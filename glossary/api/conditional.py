"""Conditional GET for the public API: cheap validators, 304 answers and caching headers.

A public payload changes only when something is published (or a release is cut), so the
validators are derived from the publication stamp (``glossary.core.models.Publication``: a serial the
workflow bumps with every publication and release, and when that was), read with one lookup by
primary key before any real work. A matching ``If-None-Match`` or a recent enough
``If-Modified-Since`` is answered with 304 after that one query, without loading a single
concept.

The ETag is weak (``W/"…"``): it promises an equivalent representation, not identical bytes,
because the stamp does not see administrative edits of shared reference data (a domain's name, a
source's title), which carry no timestamp; such an edit reaches clients holding a cached copy at
the next publication.

A failed ``If-Match`` or ``If-Unmodified-Since`` is answered 412 in the API's error shape, with
the code ``stale_edit`` that the editorial endpoints use for the same refusal. Since these ETags
are weak and ``If-Match`` compares strongly, an ``If-Match`` naming one of them never matches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _

from glossary.core.models import Publication, Release


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


def publication_stamp(*, extra: tuple[Any, ...] = ()) -> Stamp:
    """The stamp of everything published and every release cut (one query)."""
    serial, last = Publication.objects.stamp()
    parts: tuple[Any, ...] = ("v2", serial, last.isoformat() if last else None)
    return Stamp(parts=parts + extra, last_modified=last)


def release_stamp(release: Release) -> Stamp:
    """The stamp of what one release froze: it never changes once the release is cut."""
    moment = release.created_at
    return Stamp(
        parts=("v1", "release", release.pk, release.name, moment.isoformat()), last_modified=moment
    )


def not_modified(
    request: HttpRequest, stamp: Stamp, *, max_age: int | None = None
) -> HttpResponseBase | None:
    """A 304 when the client's copy is current, a 412 when a precondition fails, else None.

    The 304 carries the validators and the caching policy; the 412 (a failed ``If-Match`` or
    ``If-Unmodified-Since``) the current ETag, in the API's error shape, and is never cached.
    """
    timestamp = int(stamp.last_modified.timestamp()) if stamp.last_modified else None
    response = get_conditional_response(
        request, etag=stamp.etag(request), last_modified=timestamp, response=None
    )
    if response is None:
        return None
    if response.status_code != 412:
        return apply(response, request, stamp, max_age=max_age)
    # Django answers with an empty body; API clients read the code.
    refused = JsonResponse(
        {
            "code": "stale_edit",
            "detail": _(
                "The If-Match or If-Unmodified-Since precondition failed: this changed "
                'since your copy, or If-Match named a weak ETag (W/"…"), which never '
                "matches. To check whether a copy is current, send If-None-Match instead."
            ),
        },
        status=412,
    )
    refused["ETag"] = stamp.etag(request)
    patch_cache_control(refused, no_store=True)
    return refused


def apply(
    response: HttpResponseBase,
    request: HttpRequest,
    stamp: Stamp,
    *,
    max_age: int | None = None,
) -> HttpResponseBase:
    """Put the validators and the caching policy on a public response.

    By default shared caches may keep it but must ask again each time (a 304 costs one small
    query); with ``max_age`` they may serve it that many seconds before asking.
    """
    response["ETag"] = stamp.etag(request)
    if stamp.last_modified is not None:
        response["Last-Modified"] = http_date(stamp.last_modified.timestamp())
    if max_age is None:
        patch_cache_control(response, public=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    return response
