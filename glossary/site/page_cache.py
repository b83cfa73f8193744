"""Rendered public pages, kept until something is published or a release is cut.

The cache key holds the publication stamp, read from the database (one lookup by primary key),
not a counter in process memory: every worker on every machine computes the same key, so the
moment a version is published no process can serve the page as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from glossary.core.models import Publication

#: A cached page is dropped after this long even if nothing was published (search pages for
#: rare queries should not fill the cache for ever).
PAGE_TIMEOUT = 60 * 60
#: The sitemap's pages are few and read by crawlers at any hour: kept a day, or until the next
#: publication changes their key.
SITEMAP_TIMEOUT = 24 * 60 * 60


def page_key(request: HttpRequest) -> str:
    """The cache key of a page: what was published, which page, in which language, on which host."""
    stamp = Publication.objects.stamp()
    seed = repr((stamp, request.get_host(), request.get_full_path(), get_language()))
    return "glossary:page:" + hashlib.sha256(seed.encode()).hexdigest()


def cached_page(
    view: Callable[..., HttpResponse], *, timeout: int = PAGE_TIMEOUT
) -> Callable[..., HttpResponse]:
    """Serve a public page from the cache for anonymous readers; render and keep it otherwise
    (for ``timeout`` seconds at most).

    Signed-in people (editors, reviewers) always get a fresh page.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = page_key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming:
            cache.set(key, response, timeout)
        return response

    return wrapper
