"""Token authentication with tokens that end: ``Authorization: Token <key>``.

A token (``glossary.core.models.ApiToken``) is refused, and removed, when it has expired, when its
account is no longer active, or when the account's password changed after it was issued (the
stored ``get_session_auth_hash()`` no longer matches, exactly as Django ends the sessions of an
account whose password changed). Each refusal is a 401 with its own code, so a program can tell
"obtain a new token" from "this key was never valid".
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from glossary.core import services
from glossary.core.models import ApiToken
from glossary.core.querysets import key_digest


def _current_password(token: ApiToken) -> bool:
    """Whether the account's password is the one the token was issued under."""
    user = token.user
    stamps = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(token.session_hash, stamp) for stamp in stamps)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token header, checked against ``ApiToken``: expiry, password and active account."""

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = ApiToken.objects.for_key(key).first()
        if token is None or not constant_time_compare(token.key_digest, key_digest(key)):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.expires <= timezone.now():
            services.api_token_revoke(token=token)
            raise exceptions.AuthenticationFailed(
                _("This token has expired. Obtain a new one from /api/v1/auth/token/."),
                code="token_expired",
            )
        if not token.user.is_active:
            services.api_token_revoke(token=token)
            raise exceptions.AuthenticationFailed(
                _("This token was revoked because its account is deactivated."),
                code="token_revoked",
            )
        if not _current_password(token):
            services.api_token_revoke(token=token)
            raise exceptions.AuthenticationFailed(
                _(
                    "This token was revoked because the account's password changed. "
                    "Obtain a new one from /api/v1/auth/token/."
                ),
                code="token_revoked",
            )
        return (token.user, token)
