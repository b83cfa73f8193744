"""The editorial workflow: drafts with optimistic concurrency, submit, review, withdraw, new draft, retire."""

from __future__ import annotations

from typing import Any

from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from glossary.api import serializers as s
from glossary.api.errors import (
    ApiError,
    PreconditionFailed,
    PreconditionRequired,
)
from glossary.api.permissions import CanReadOpenVersions, IsEditorialUser
from glossary.api.views.base import (
    EDITORIAL,
    IF_MATCH_OPTIONAL,
    IF_MATCH_REQUIRED,
    UID,
    ApiView,
    editorial_response,
    error_responses,
    ok,
)
from glossary.core import services
from glossary.core.models import Concept, ConceptVersion


def _editorial_concept(uid: str) -> Concept:
    concept = Concept.objects.for_api_editorial().filter(uid=uid).first()
    if concept is None:
        raise NotFound(_("There is no concept with the identifier “%(uid)s”.") % {"uid": uid})
    return concept


def _open_version(concept: Concept, *, missing: int = status.HTTP_409_CONFLICT) -> ConceptVersion:
    """The concept's draft or version in review; ``missing`` is the status when there is none."""
    if concept.open_version is None:
        raise ApiError(
            missing,
            "no_open_version",
            _("Concept “%(uid)s” has no open version (no draft and nothing in review).")
            % {"uid": concept.uid},
        )
    return concept.open_version


def _require_if_match(request: Request) -> str:
    """The If-Match header; 428 when it is missing (``*`` would match anything, so it does too)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired(
            _(
                "Send the ETag of the draft you loaded in the If-Match header (GET the draft to "
                "get it), so that your edit cannot overwrite someone else's."
            )
        )
    return header


def _if_match(request: Request, version: ConceptVersion, *, required: bool) -> int | None:
    """The revision named by If-Match for this version; 428 / 412 when missing or stale.

    Without ``required``, a missing header means "no precondition" (actions other than saving).
    """
    header = request.headers.get("If-Match", "").strip()
    if header in ("", "*") and not required:
        return None
    header = _require_if_match(request)
    current = s.draft_etag(version)
    if current not in parse_etags(header):
        if required:
            message = _(
                "The draft changed since you loaded it (it is now %(current)s, you sent "
                "%(sent)s). Nothing was saved: reload it and make your change again."
            )
        else:
            message = _(
                "The version changed since you read it (it is now %(current)s, you sent "
                "%(sent)s). Nothing was done: read it again first."
            )
        raise PreconditionFailed(message % {"current": current, "sent": header})
    return version.revision


class DraftView(ApiView):
    """The open version of a concept (a draft, or a version in review)."""

    serializer_class = s.DraftReplaceSerializer  # what PUT takes (described by OPTIONS)

    def get_permissions(self) -> list[Any]:
        if self.request.method == "GET" or self.request.method == "HEAD":
            return [CanReadOpenVersions()]
        return [IsEditorialUser()]

    @extend_schema(
        tags=[EDITORIAL],
        operation_id="draft_retrieve",
        summary=_lazy("Read a concept's open version"),
        description=_lazy(
            "The draft (or the version in review) with its revision, reviews and ETag. Keep the "
            "ETag: a save must send it back in If-Match."
        ),
        parameters=[UID],
        responses={
            200: ok(s.VersionEditorialSerializer, _lazy("The open version, with its ETag.")),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request: Request, uid: str) -> Response:
        concept = _editorial_concept(uid)
        return editorial_response(self, _open_version(concept, missing=status.HTTP_404_NOT_FOUND))

    @extend_schema(
        tags=[EDITORIAL],
        operation_id="draft_update",
        summary=_lazy("Save a draft"),
        description=_lazy(
            "Replaces the whole content of the draft (every field must be present; the JSON of "
            "a GET can be sent back with changes). Optimistic concurrency: If-Match must carry "
            "the ETag you loaded; if anyone saved the draft since, the answer is 412 and nothing "
            "is written."
        ),
        parameters=[UID, IF_MATCH_REQUIRED],
        request=s.DraftReplaceSerializer,
        responses={
            200: ok(s.VersionEditorialSerializer, _lazy("Saved: the draft, with its new ETag.")),
            **error_responses(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def put(self, request: Request, uid: str) -> Response:
        concept = _editorial_concept(uid)
        _require_if_match(request)
        payload = s.DraftReplaceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = concept.open_version
        if version is None:
            raise PreconditionFailed(
                _(
                    "Concept “%(uid)s” has no open draft any more (it was published or "
                    "withdrawn). Nothing was saved."
                )
                % {"uid": uid}
            )
        expected = _if_match(request, version, required=True)
        version = services.draft_update(
            version=version,
            user=request.user,
            data=payload.draft_data(),
            expected_revision=expected,
        )
        return editorial_response(self, version)


class ActionView(ApiView):
    """A workflow action on a concept's open version (or on the concept)."""

    permission_classes = [IsEditorialUser]
    input_serializer: type = s.CommentInputSerializer

    def get_serializer_class(self) -> type:
        return self.input_serializer

    def post(self, request: Request, uid: str) -> Response:
        payload = self.input_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self.act(_editorial_concept(uid), payload.validated_data)

    def act(self, concept: Concept, data: dict[str, Any]) -> Response:
        raise NotImplementedError


class SubmitView(ActionView):
    input_serializer = s.SubmitInputSerializer

    @extend_schema(
        tags=[EDITORIAL],
        operation_id="concept_submit",
        summary=_lazy("Submit a draft for review"),
        description=_lazy(
            "The draft must be complete (preferred English and Simplified Chinese terms, English "
            "and Chinese definitions) and assessed: an agreement state and a maturity other than "
            "not_assessed, and, when the sides partly agree or diverge, each side's usage (a side "
            "without one needs the note on why the usages differ). Send a change note saying "
            "what this version changes and why; it is recorded as the submission's comment. "
            "Approvals of earlier rounds no longer count."
        ),
        parameters=[UID, IF_MATCH_OPTIONAL],
        request=s.SubmitInputSerializer,
        responses={
            200: ok(s.VersionEditorialSerializer, _lazy("Submitted: the version, now in review.")),
            **error_responses(400, 401, 403, 404, 409, 412),
        },
    )
    def post(self, request: Request, uid: str) -> Response:
        return super().post(request, uid)

    def act(self, concept: Concept, data: dict[str, Any]) -> Response:
        version = _open_version(concept)
        _if_match(self.request, version, required=False)
        version = services.version_submit(
            version=version, user=self.request.user, comment=data["change_note"]
        )
        return editorial_response(self, version)


class ReviewView(ActionView):
    input_serializer = s.ReviewInputSerializer

    @extend_schema(
        tags=[EDITORIAL],
        operation_id="concept_review",
        summary=_lazy("Review the version in review"),
        description=_lazy(
            "Approve, or request changes with a comment (it goes back to draft). The review "
            "policy is the admin's: by default one approval from a U.S.-side and one from a "
            "China-side reviewer, none of them an author or editor of the version; when it is "
            "met the version is published at once. Send If-Match to be sure you approve exactly "
            "the revision you read."
        ),
        parameters=[UID, IF_MATCH_OPTIONAL],
        request=s.ReviewInputSerializer,
        responses={
            200: ok(
                s.VersionEditorialSerializer,
                _lazy(
                    "Reviewed: the version (published if the policy is met, a draft again if "
                    "changes were requested)."
                ),
            ),
            **error_responses(400, 401, 403, 404, 409, 412),
        },
    )
    def post(self, request: Request, uid: str) -> Response:
        return super().post(request, uid)

    def act(self, concept: Concept, data: dict[str, Any]) -> Response:
        version = _open_version(concept)
        _if_match(self.request, version, required=False)
        version = services.version_review(
            version=version,
            user=self.request.user,
            decision=data["decision"],
            comment=data["comment"],
            dialogue_round=data.get("dialogue_round"),
        )
        return editorial_response(self, version)


class WithdrawView(ActionView):
    @extend_schema(
        tags=[EDITORIAL],
        operation_id="concept_withdraw",
        summary=_lazy("Withdraw the open version"),
        description=_lazy("Closes the draft or the version in review; it stays on the record."),
        parameters=[UID, IF_MATCH_OPTIONAL],
        request=s.CommentInputSerializer,
        responses={
            200: ok(s.VersionEditorialSerializer, _lazy("Withdrawn: the version, closed.")),
            **error_responses(400, 401, 403, 404, 409, 412),
        },
    )
    def post(self, request: Request, uid: str) -> Response:
        return super().post(request, uid)

    def act(self, concept: Concept, data: dict[str, Any]) -> Response:
        version = _open_version(concept)
        _if_match(self.request, version, required=False)
        version = services.version_withdraw(
            version=version, user=self.request.user, comment=data["comment"]
        )
        return editorial_response(self, version)


class NewDraftView(ActionView):
    @extend_schema(
        tags=[EDITORIAL],
        operation_id="concept_new_draft",
        summary=_lazy("Start a new draft of a published concept"),
        description=_lazy("Copies the published version into a new draft, ready to edit."),
        parameters=[UID],
        request=None,
        responses={
            201: ok(s.VersionEditorialSerializer, _lazy("Created: the new draft, with its ETag.")),
            **error_responses(401, 403, 404, 409),
        },
    )
    def post(self, request: Request, uid: str) -> Response:
        return super().post(request, uid)

    def act(self, concept: Concept, data: dict[str, Any]) -> Response:
        version = services.draft_start(concept=concept, user=self.request.user)
        return editorial_response(self, version, status.HTTP_201_CREATED)


class RetireView(ActionView):
    input_serializer = s.RetireInputSerializer

    @extend_schema(
        tags=[EDITORIAL],
        operation_id="concept_retire",
        summary=_lazy("Propose retiring a concept"),
        description=_lazy(
            "Creates a version saying why, already in review; the concept is retired when the "
            "reviewers approve it. Its permalink keeps answering, with the reason."
        ),
        parameters=[UID],
        request=s.RetireInputSerializer,
        responses={
            201: ok(
                s.VersionEditorialSerializer, _lazy("Created: the retirement version, in review.")
            ),
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    def post(self, request: Request, uid: str) -> Response:
        return super().post(request, uid)

    def act(self, concept: Concept, data: dict[str, Any]) -> Response:
        version = services.concept_retire(
            concept=concept, user=self.request.user, reason=data["reason"]
        )
        return editorial_response(self, version, status.HTTP_201_CREATED)
