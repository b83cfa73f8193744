"""A worker's long-lived objects, set aside from the garbage collector's full passes.

A worker holds several hundred thousand objects for its whole life: Django, the project's
modules, URL patterns, templates and, once built, the term index. CPython's collector walks every
one of them in each full collection, and a busy worker starts one every dozen requests or so,
because each request leaves cycles of objects behind (model instances and their caches, query
sets): 80 to 130 ms of CPU added to whichever request triggered it, against 30 ms for the request
itself. That was the cause of the single slow requests among ten at any glossary size
(issue 16).

So once a worker has served its first request, when what lasts has been loaded, it collects once
and freezes what survives (``gc.freeze``): later collections walk only what requests create.
It then also collects its oldest generation more often (``THRESHOLDS``), so that each full pass
finds the leftovers of a request or two rather than of a dozen, and the worker's memory stays
flat. ``config.wsgi`` settles the worker again after building the term index at start-up.
Off in the tests (``GLOSSARY_SETTLE_MEMORY``), whose process is not a worker.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: The collector's thresholds once settled: a young collection every 2,000 new objects, the
#: middle one every 5 of those, and the oldest after each middle one (when it has grown by a
#: quarter, as CPython requires).
THRESHOLDS = (2000, 5, 1)

_settled = False
_lock = threading.Lock()


def enabled() -> bool:
    return bool(getattr(settings, "GLOSSARY_SETTLE_MEMORY", False))


def settle() -> None:
    """Collect, then freeze every object that survives, and set ``THRESHOLDS``."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


class SettleMemoryMiddleware:
    """Settles the worker after its first response (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        global _settled
        response = self.get_response(request)
        if not _settled and enabled():
            with _lock:
                if not _settled:
                    settle()
                    _settled = True
        return response
