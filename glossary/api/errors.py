"""Errors of the API: one shape for all, a stable code for programs, a message for people.

``{"code": "wrong_state", "detail": "Version 2 is Published, so you cannot edit it."}``, plus
``"errors"`` with the messages per field when the input is invalid. Refusals of the workflow keep
the ``code`` of ``glossary.core.workflow.WorkflowError``; the message is translated into the request's
language (Accept-Language), the code never is.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from glossary.core.choices import FIELD_SUFFIX
from glossary.core.fields import TEXT_FIELDS
from glossary.core.workflow import WorkflowError

#: HTTP status of each workflow refusal; anything not listed is a 400.
WORKFLOW_STATUS = {
    "permission_denied": status.HTTP_403_FORBIDDEN,
    "own_version": status.HTTP_403_FORBIDDEN,
    "wrong_side": status.HTTP_403_FORBIDDEN,
    "wrong_state": status.HTTP_409_CONFLICT,
    "open_version_exists": status.HTTP_409_CONFLICT,
    "no_open_version": status.HTTP_409_CONFLICT,
    "already_approved": status.HTTP_409_CONFLICT,
    "not_published": status.HTTP_409_CONFLICT,
    "incomplete": status.HTTP_400_BAD_REQUEST,
    "comment_required": status.HTTP_400_BAD_REQUEST,
    "reason_required": status.HTTP_400_BAD_REQUEST,
    "bad_decision": status.HTTP_400_BAD_REQUEST,
    "stale_edit": status.HTTP_412_PRECONDITION_FAILED,
}


class ApiError(exceptions.APIException):
    """An error with an explicit status and code."""

    def __init__(self, status_code: int, code: str, message: Any) -> None:
        self.status_code = status_code
        super().__init__(detail=message, code=code)


class PreconditionRequired(ApiError):
    def __init__(self, message: Any) -> None:
        super().__init__(status.HTTP_428_PRECONDITION_REQUIRED, "precondition_required", message)


class PreconditionFailed(ApiError):
    def __init__(self, message: Any) -> None:
        super().__init__(status.HTTP_412_PRECONDITION_FAILED, "stale_edit", message)


class LockedOut(ApiError):
    """Too many failed logins for the account or from the address (django-axes' lockout)."""

    def __init__(self, message: Any, wait: int) -> None:
        super().__init__(status.HTTP_429_TOO_MANY_REQUESTS, "locked_out", message)
        # DRF's handler turns ``wait`` into the Retry-After header, as for a throttle.
        self.wait = wait


def _api_field(name: str) -> str:
    """``definition_zh_hans`` (a model field) as the API names it: ``definition.zh-Hans``."""
    for field in TEXT_FIELDS:
        for language, suffix in FIELD_SUFFIX.items():
            if name == f"{field}_{suffix}":
                return f"{field}.{language}"
    return {
        "citations": "sources",
        "machine_converted_fields": "machine_converted",
        "__all__": "non_field_errors",
    }.get(name, name)


def _translate(exc: Exception) -> Exception:
    """Turn the domain's exceptions into DRF's, keeping their codes and messages."""
    if isinstance(exc, WorkflowError):
        return ApiError(
            WORKFLOW_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST), exc.code, exc.message
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {_api_field(key): value for key, value in exc.message_dict.items()}
        else:
            detail = {"non_field_errors": exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or None)
    if isinstance(exc, IntegrityError):
        # Two writers raced past validation (the same new identifier at the same moment).
        return ApiError(
            status.HTTP_409_CONFLICT,
            "conflict",
            _("Someone else changed this at the same moment. Reload and try again."),
        )
    return exc


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with the domain's exceptions mapped and every body in one shape."""
    exc = _translate(exc)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "detail": str(_("The request is not valid; see errors.")),
            "errors": exc.detail
            if isinstance(exc.detail, dict)
            else {"non_field_errors": exc.detail},
        }
        return response
    detail = exc.detail
    code = getattr(detail, "code", None) or exc.default_code
    response.data = {"code": str(code), "detail": str(detail)}
    return response


#: Where the API's addresses begin: any other answer under it is the API's, in its shape.
API_PREFIX = "/api/"


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """404 for an address under /api/ that no endpoint answers, in the API's error shape."""
    return JsonResponse(
        {
            "code": "not_found",
            "detail": str(
                _("There is no API endpoint at %(path)s; the endpoints are listed at %(docs)s.")
                % {"path": request.path, "docs": reverse("api:docs")}
            ),
        },
        status=status.HTTP_404_NOT_FOUND,
    )


def server_error(request: HttpRequest) -> JsonResponse:
    """500 under /api/, in the API's error shape rather than as a page."""
    return JsonResponse(
        {
            "code": "server_error",
            "detail": str(_("Something went wrong on our side; it has been logged.")),
        },
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
