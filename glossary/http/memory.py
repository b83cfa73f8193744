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
A worker keeps loading things that last as it meets new kinds of page (the admin's templates,
the API's renderers): when a full collection leaves more than ``GROWN`` objects behind, the
worker settles again at the end of that request.

What a request leaves in cycles is then collected when its response has been sent
(``request_finished``), in a full pass that walks little more than that request's own leftovers,
rather than in a larger pass every few requests, in the middle of whichever request comes then.
Full passes in the middle of a request (``THRESHOLDS``) remain only for a long one, so that its
memory stays bounded. ``config.wsgi`` settles the worker after building the term index.
Off in the tests (``GLOSSARY_SETTLE_MEMORY``), whose process is not a worker.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

#: The collector's thresholds once settled: a young collection every 2,000 new objects, the
#: middle one every 5 of those, and a full one after 100 middle ones (about a million new
#: objects: only a long request gets there before it ends).
THRESHOLDS = (2000, 5, 100)

#: Objects a full collection may leave unfrozen before the worker settles again.
GROWN = 5_000

_settled = False
_grown = False
_lock = threading.Lock()


def enabled() -> bool:
    return bool(getattr(settings, "GLOSSARY_SETTLE_MEMORY", False))


def settle() -> None:
    """Collect, then freeze every object that survives, and set ``THRESHOLDS``."""
    global _grown
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    _grown = False
    if _after_collection not in gc.callbacks:
        gc.callbacks.append(_after_collection)
    request_finished.connect(collect_leftovers, dispatch_uid="glossary-collect-leftovers")


def collect_leftovers(**_kwargs: object) -> None:
    """Once a response is sent: a full collection, if the request moved objects to the oldest
    generation (which only a full one collects); a request that did not costs nothing."""
    if gc.get_count()[2]:
        gc.collect()


def _after_collection(phase: str, info: dict[str, int]) -> None:
    """After a full collection: whether it left so much that the worker should settle again."""
    global _grown
    if phase == "stop" and info["generation"] == 2 and not _grown:
        _grown = len(gc.get_objects(generation=2)) > GROWN


class SettleMemoryMiddleware:
    """Settles the worker after its first response (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        global _settled
        response = self.get_response(request)
        if (_grown or not _settled) and enabled():
            with _lock:
                if _grown or not _settled:
                    settle()
                    _settled = True
        return response
