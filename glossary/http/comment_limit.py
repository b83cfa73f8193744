"""How many consultation comments one address may send: DRF's throttle, as the API uses it.

The same machinery as the API's anonymous throttle (``glossary.api.throttling``): the history
lives in the default cache (Redis in production, so every worker counts together), the client is
its address as ``glossary.http.clients.client_address`` reads it, and the rate is read from
``DEFAULT_THROTTLE_RATES["comment"]`` when the request arrives (environment
``GLOSSARY_COMMENT_RATE``, 5 an hour by default).
"""

from __future__ import annotations

import math

from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from glossary.http.clients import client_address


class CommentThrottle(SimpleRateThrottle):
    """Comments sent from one address: ``DEFAULT_THROTTLE_RATES["comment"]``."""

    scope = "comment"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:  # noqa: ANN001 - DRF's signature
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


def comment_wait(request: HttpRequest) -> int | None:
    """Seconds this address must wait before its next comment, or None when it may send one.

    Counts the comment: call it only for a comment that is otherwise accepted.
    """
    throttle = CommentThrottle()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return None
    wait = throttle.wait()
    return max(1, math.ceil(wait)) if wait is not None else 1
