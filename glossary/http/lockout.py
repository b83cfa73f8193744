"""The login lockout (django-axes), as the admin's sign-in page and the API's token exchange see it.

django-axes counts failed logins in the database (so every worker counts together) per client
address (``glossary.http.clients.client_address``) and per username, and refuses a login, even with
the right password, once ``AXES_FAILURE_LIMIT`` failures fall within the cool-off. Each refused
attempt counts as a failure and starts the cool-off again, so the wait after a refusal is always
the whole cool-off.
"""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from django.http import HttpRequest
from django.utils.translation import ngettext


def is_locked_out(request: object) -> bool:
    """Whether the last ``authenticate()`` with this request was refused because of a lockout."""
    return bool(getattr(request, "axes_locked_out", False))


def retry_after(request: HttpRequest) -> int:
    """Seconds until the address and the account may try again (the cool-off)."""
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds())) if cool_off else 0


def lockout_message(seconds: int) -> str:
    """What a locked-out person is told, in the request's language."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-ins for this account or from this address. "
        "Try again in %(minutes)d minute.",
        "Too many failed sign-ins for this account or from this address. "
        "Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
