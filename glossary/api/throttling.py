"""Rate limits for anonymous clients, read from settings when a request arrives.

DRF's throttles copy ``DEFAULT_THROTTLE_RATES`` when the module is imported, so changing the
setting later (in a test, or per deployment through the environment) would not take effect. These
read the rate at request time instead. The history lives in the default cache, so every worker
sharing that cache (Redis in production) counts together.

A client is its address as ``glossary.http.clients.client_address`` decides it (``REMOTE_ADDR``, or
``X-Forwarded-For`` as far as ``GLOSSARY_TRUSTED_PROXIES`` trusts it), never the whole
``X-Forwarded-For`` header, which a client could change with every request.
"""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from glossary.http.clients import client_address


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous reads of the public API: ``DEFAULT_THROTTLE_RATES["anon"]`` per client address."""

    scope = "anon"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request: Request) -> str:
        return client_address(request)


class TokenThrottle(AnonymousThrottle):
    """Attempts to obtain a token (a password check): ``DEFAULT_THROTTLE_RATES["token"]``."""

    scope = "token"
