"""How many times an hour one address may send a public form (a proposal, a watch request).

The same counting as the API's throttles (DRF's rate format, the history in the shared cache,
the address from ``glossary.http.clients.client_address``), with one difference that matters to
a person filling in a form: only what was accepted counts. A form sent back with an error to
fix does not use up the allowance; ``wait`` is asked before the form is read and ``record``
after it was kept.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle

from glossary.http.clients import client_address


def _rate(scope: str) -> tuple[int | None, int | None]:
    rate = getattr(settings, "GLOSSARY_FORM_RATES", {}).get(scope)
    if not rate:
        return None, None
    return SimpleRateThrottle.parse_rate(SimpleRateThrottle, rate)  # type: ignore[arg-type]


def _key(scope: str, request: HttpRequest) -> str:
    return f"glossary:form-throttle:{scope}:{client_address(request)}"


def wait(scope: str, request: HttpRequest) -> int | None:
    """Seconds before this address may send the form again, or None when it may now."""
    allowed, duration = _rate(scope)
    if allowed is None or duration is None:
        return None
    now = time.time()
    history = [moment for moment in cache.get(_key(scope, request), []) if moment > now - duration]
    if len(history) < allowed:
        return None
    return max(1, int(history[0] + duration - now) + 1)


def in_minutes(wait: int) -> int:
    """A wait in seconds as the whole minutes a refusal tells a person (at least one)."""
    return max(1, -(-wait // 60))


def record(scope: str, request: HttpRequest) -> None:
    """Count one accepted form from this address."""
    allowed, duration = _rate(scope)
    if allowed is None or duration is None:
        return
    now = time.time()
    key = _key(scope, request)
    history = [moment for moment in cache.get(key, []) if moment > now - duration]
    cache.set(key, [*history, now], duration)
