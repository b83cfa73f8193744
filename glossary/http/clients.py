"""Who is asking: the one rule for a request's client address.

Throttles and the login lockout count per address, so the address must be one a client cannot
choose. ``X-Forwarded-For`` is written by whoever sent the request, and each proxy appends the
address it received the request from; only the entries appended by our own proxies can be
trusted. ``GLOSSARY_TRUSTED_PROXIES`` says how many proxies stand in front of the app:

- 0 (the default): the address is ``REMOTE_ADDR``, the peer of the connection, and the header is
  ignored;
- N: the address is the N-th entry from the right of ``X-Forwarded-For`` (the one the outermost
  trusted proxy wrote); entries further left were sent by the client and are ignored. When the
  header is missing, shorter than N or that entry is not an IP address, the request did not come
  through all the proxies and ``REMOTE_ADDR`` is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, trusting ``X-Forwarded-For`` only as far as our own proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "GLOSSARY_TRUSTED_PROXIES", 0)
    if trusted <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < trusted:
        return remote
    candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
