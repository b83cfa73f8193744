"""The OpenAPI schema's generator: every error an operation can answer, not only its own.

Each view declares the answers of its own logic (404 for a concept that is not published, 409,
412, …). Some refusals come from what every request passes through, whatever the view does, and
are added here from the view's configuration, so that the schema describes every response the
server sends and a generated client can read each of them:

- 400 ``invalid_character``: a control character in the path or the query string
  (``glossary.http.input_guard``), for every operation;
- 401: a token that is unknown, expired or revoked, wherever a token is read;
- 403 CSRF: a write signed in with the session cookie but without the CSRF token;
- 412: a failed ``If-Match`` or ``If-Unmodified-Since``, where conditional requests are
  answered (``glossary.api.conditional``);
- 406: an ``Accept`` header that allows no type the operation sends (but a file download is
  sent whatever ``Accept`` says);
- 415: a body of a type the operation does not take;
- 429: too many anonymous requests from one address, where anonymous requests are allowed.

405 is not an operation's answer but a path's (a method it does not have, with ``Allow``), so
OpenAPI has no place for it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework.authentication import SessionAuthentication
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny

from glossary.api.serializers import ErrorSerializer

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, with the errors the request's path through the server can add."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        errors = self.common_errors(
            has_body="requestBody" in operation, conditional="304" in responses
        )
        for code, description in errors.items():
            responses.setdefault(str(code), self._error(description))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def common_errors(self, *, has_body: bool, conditional: bool) -> dict[int, Any]:
        """The errors this operation can answer whatever its view does, by status."""
        errors: dict[int, Any] = {
            400: _("invalid_character: the path or the query string holds a control character."),
        }
        authenticators = self.view.get_authenticators()
        if authenticators:
            errors[401] = _(
                "Not authenticated: an unknown token, or one that expired (token_expired) or "
                "was revoked (token_revoked)."
            )
        if self.method in UNSAFE_METHODS and any(
            isinstance(a, SessionAuthentication) for a in authenticators
        ):
            errors[403] = _(
                "permission_denied: signed in with the session cookie, but without the CSRF token."
            )
        if conditional:
            errors[412] = _(
                "stale_edit: an If-Match or If-Unmodified-Since precondition failed (this "
                "changed since, or If-Match named a weak ETag)."
            )
        if isinstance(self.view.get_content_negotiator(), DefaultContentNegotiation):
            errors[406] = _(
                "not_acceptable: the Accept header allows no type this operation sends."
            )
        if has_body:
            errors[415] = _(
                "unsupported_media_type: the body is of a type this operation does not take."
            )
        anonymous = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if anonymous and self.view.get_throttles():
            errors[429] = _("throttled: too many requests from this address; see Retry-After.")
        return errors

    def _error(self, description: Any) -> dict[str, Any]:
        component = self.resolve_serializer(ErrorSerializer, "response")
        return {
            "content": {"application/json": {"schema": component.ref}},
            "description": str(description),
        }
