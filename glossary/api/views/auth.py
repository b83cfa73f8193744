"""Signing in for a token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from glossary.api import serializers as s
from glossary.api.errors import (
    LockedOut,
    api_exception_handler,
)
from glossary.api.parsers import FormParser, JSONParser, MultiPartParser
from glossary.api.throttling import TokenThrottle
from glossary.api.views.base import EDITORIAL, ok
from glossary.core import services
from glossary.http import lockout


class TokenView(APIView):
    """Username and password for a new token: throttled, and refused during a login lockout."""

    serializer_class = s.TokenRequestSerializer
    throttle_classes = [TokenThrottle]
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    renderer_classes = [JSONRenderer]

    def get_exception_handler(self) -> Any:
        return api_exception_handler

    @extend_schema(
        tags=[EDITORIAL],
        operation_id="auth_token",
        summary=_lazy("Obtain an API token"),
        description=_lazy(
            "Exchange a username and password for a new token, valid until `expires` (the "
            "lifetime is set by the deployment, 24 hours by default), or until the account's "
            "password changes or the account is deactivated. Send "
            "`Authorization: Token <token>` with every editorial request; an expired or "
            "revoked token is answered with 401 (`token_expired`, `token_revoked`). Repeated "
            "wrong passwords lock the account and the address for a while: 429 `locked_out` "
            "with Retry-After, even for the right password."
        ),
        # JSON only in the schema: forms are accepted too, but a generated client offered
        # three types of one body cannot choose between them.
        request={"application/json": s.TokenRequestSerializer},
        responses={
            200: ok(s.TokenSerializer, _lazy("A new token and when it expires.")),
            400: OpenApiResponse(
                response=s.ErrorSerializer,
                description=_lazy("Invalid input, or the username and password do not match."),
            ),
            429: OpenApiResponse(
                response=s.ErrorSerializer,
                description=_lazy(
                    "throttled (too many requests from this address) or locked_out (too many "
                    "failed sign-ins); see Retry-After."
                ),
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if lockout.is_locked_out(request):
            wait = lockout.retry_after(request)
            raise LockedOut(lockout.lockout_message(wait), wait)
        if user is None:
            raise ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]}
            )
        issued = services.api_token_issue(user=user)
        return Response(s.TokenSerializer({"token": issued.key, "expires": issued.expires}).data)
