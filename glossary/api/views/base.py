"""What every view shares: the base view, its metadata, conditional-request headers, error answers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException
from rest_framework.generics import GenericAPIView
from rest_framework.metadata import SimpleMetadata
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request, clone_request
from rest_framework.response import Response

from glossary.api import conditional
from glossary.api import serializers as s
from glossary.api.authentication import ExpiringTokenAuthentication
from glossary.api.errors import (
    api_exception_handler,
)
from glossary.api.parsers import JSONParser
from glossary.api.throttling import AnonymousThrottle
from glossary.core.choices import OPEN_STATES
from glossary.core.models import ConceptVersion

PUBLIC = "Public (read)"


EDITORIAL = "Editorial"


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Schema entries for the error responses an endpoint can give."""
    described = {
        400: _lazy("Invalid input; `errors` names the fields."),
        401: _lazy(
            "Not authenticated: no credentials, an unknown token, or a token that expired "
            "(token_expired) or was revoked by a password change or deactivation (token_revoked)."
        ),
        403: _lazy("Not allowed: permission_denied, own_version (four eyes) or wrong_side."),
        404: _lazy("Not found (or not published)."),
        409: _lazy("The version is not in a state that allows this (wrong_state, …)."),
        412: _lazy("stale_edit: the draft changed since you loaded it; nothing was saved."),
        428: _lazy("precondition_required: send the draft's ETag in If-Match."),
        429: _lazy("Too many requests from this address; see Retry-After."),
    }
    return {
        code: OpenApiResponse(response=s.ErrorSerializer, description=described[code])
        for code in codes
    }


def ok(serializer: Any, description: Any) -> OpenApiResponse:
    """A success response with what it carries, described."""
    return OpenApiResponse(response=serializer, description=description)


NOT_MODIFIED = {
    304: OpenApiResponse(
        description=_lazy(
            "Not modified: the copy named by If-None-Match / If-Modified-Since is current."
        )
    )
}


CONDITIONAL_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=_lazy("An ETag from an earlier response: 304 if it is still current."),
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=_lazy(
            "An HTTP date (Last-Modified of an earlier response): 304 if nothing changed."
        ),
    ),
]


IF_MATCH_REQUIRED = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_lazy('The ETag of the draft you loaded, for example "v3-r5". Required.'),
)


IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_lazy(
        "Optional: the ETag of the version you read; refused with 412 if it changed since."
    ),
)


UID = OpenApiParameter(
    "uid", OpenApiTypes.STR, OpenApiParameter.PATH, description=_lazy("The concept's identifier.")
)


RELEASE_NAME = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, description=_lazy("The release's name.")
)


class ApiMetadata(SimpleMetadata):
    """OPTIONS: what each write takes, for whoever may make it, without loading any object."""

    def determine_actions(self, request: Request, view: Any) -> dict[str, Any]:
        actions = {}
        for method in {"PUT", "POST"} & set(view.allowed_methods):
            view.request = clone_request(request, method)
            try:
                view.check_permissions(view.request)
            except APIException:
                continue
            else:
                actions[method] = self.get_serializer_info(view.get_serializer())
            finally:
                view.request = request
        return actions


class ApiView(GenericAPIView):
    """Common ground: JSON only, token or session authentication, anonymous reads throttled."""

    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousThrottle]
    metadata_class = ApiMetadata
    pagination_class = None

    def get_exception_handler(self) -> Any:
        return api_exception_handler

    def render(self, serializer_class: type, instance: Any, **kwargs: Any) -> Any:
        context = {"request": self.request, **kwargs.pop("context", {})}
        return serializer_class(instance, context=context, **kwargs).data

    def conditional(self, stamp: conditional.Stamp, build: Any) -> Any:
        """Answer 304 if the client's copy is current, else build the response and stamp it."""
        response = conditional.not_modified(self.request, stamp)
        if response is None:
            response = conditional.apply(build(), self.request, stamp)
        return response


def editorial_response(view: ApiView, version: ConceptVersion, code: int = 200) -> Response:
    """A version as editors see it, with its ETag while it is open."""
    version = ConceptVersion.objects.for_api_draft().get(pk=version.pk)
    response = Response(view.render(s.VersionEditorialSerializer, version), status=code)
    if version.state in OPEN_STATES:
        response["ETag"] = s.draft_etag(version)
        if code == status.HTTP_201_CREATED:
            response["Location"] = s.absolute(view.request, "draft", version.concept.uid)
    response["Cache-Control"] = "private, no-cache"
    return response
