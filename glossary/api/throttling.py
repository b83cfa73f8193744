"""Rate limits for anonymous clients, read from settings when a request arrives.

DRF's throttles copy ``DEFAULT_THROTTLE_RATES`` when the module is imported, so changing the
setting later (in a test, or per deployment through the environment) would not take effect. These
read the rate at request time instead. The history lives in the default cache, so every worker
sharing that cache (Redis in production) counts together.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous reads of the public API: ``DEFAULT_THROTTLE_RATES["anon"]`` per client address."""

    scope = "anon"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenThrottle(AnonymousThrottle):
    """Attempts to obtain a token (a password check): ``DEFAULT_THROTTLE_RATES["token"]``."""

    scope = "token"
