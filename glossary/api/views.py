"""The REST API: public reads of the published glossary, and the editorial workflow.

Each view validates its input with an input serializer, calls one named queryset or one service,
and renders with an output serializer. Public reads see published versions only and answer
conditional requests (see ``glossary.api.conditional``); editorial writes go through
``glossary.core.services``, so the permissions and the review policy are exactly the admin's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.metadata import SimpleMetadata
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request, clone_request
from rest_framework.response import Response
from rest_framework.views import APIView

from glossary.api import conditional
from glossary.api import serializers as s
from glossary.api.authentication import ExpiringTokenAuthentication
from glossary.api.errors import (
    ApiError,
    LockedOut,
    PreconditionFailed,
    PreconditionRequired,
    api_exception_handler,
)
from glossary.api.parsers import FormParser, JSONParser, MultiPartParser
from glossary.api.permissions import CanReadOpenVersions, IsEditorialUser
from glossary.api.throttling import AnonymousThrottle, TokenThrottle
from glossary.core import services
from glossary.core.choices import OPEN_STATES
from glossary.core.diff import diff_versions
from glossary.core.models import Concept, ConceptVersion, Release
from glossary.http import lockout
from glossary.search.ranking import search

PUBLIC = "Public (read)"
EDITORIAL = "Editorial"

#: How many search hits the ``q`` filter considers; the glossary never has that many matches.
SEARCH_LIMIT = 500


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
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


class ConceptPagination(PageNumberPagination):
    """Pages of 50 concepts by default, at most 200 (``page`` and ``page_size``)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_query_description = _lazy("Page number, from 1.")
    page_size_query_description = _lazy("Concepts per page (default 50, at most 200).")

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": _("How many concepts match, on all pages."),
            "next": _("The next page, or null on the last."),
            "previous": _("The previous page, or null on the first."),
            "results": _("The concepts on this page."),
        }
        for name, description in descriptions.items():
            paginated["properties"][name]["description"] = description
        return paginated


def _public_version(uid: str, *, number: int | None = None) -> ConceptVersion:
    """The published version of a concept (or one of its public versions by number), or 404."""
    versions = ConceptVersion.objects.for_api(public=True).filter(concept__uid=uid)
    if number is None:
        version = versions.public().first()
        message = _("No published concept has the identifier “%(uid)s”.") % {"uid": uid}
    else:
        version = versions.public_history().filter(number=number).first()
        message = _("Concept “%(uid)s” has no published version %(number)d.") % {
            "uid": uid,
            "number": number,
        }
    if version is None:
        raise NotFound(message)
    return version


# Public reads --------------------------------------------------------------------------------


class ConceptListView(ApiView):
    """GET: published concepts; POST: a new concept as a draft (editors)."""

    pagination_class = ConceptPagination
    serializer_class = s.ConceptCreateSerializer  # what POST takes (described by OPTIONS)

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [IsEditorialUser()]
        return super().get_permissions()

    @extend_schema(
        tags=[PUBLIC],
        operation_id="concepts_list",
        summary=_lazy("List published concepts"),
        description=_lazy(
            "Every published (or retired) concept, with all of its content in every language, "
            "ordered by identifier (by relevance with `q`). Filters combine. With `release`, the "
            "concepts as they stood in that release. Paginated: `page`, `page_size` (max 200)."
        ),
        parameters=[s.ConceptFilterSerializer, *CONDITIONAL_HEADERS],
        responses={
            200: ok(s.ConceptSerializer(many=True), _lazy("A page of concepts.")),
            **NOT_MODIFIED,
            **_errors(400, 404, 429),
        },
    )
    def get(self, request: Request) -> Response:
        filters = s.ConceptFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = dict(filters.validated_data)
        release = params.pop("release", None)
        query = params.pop("q", "").strip()
        stamp = conditional.publication_stamp()

        def build() -> Response:
            ids = [hit.concept.pk for hit in search(query, limit=SEARCH_LIMIT)] if query else None
            versions = ConceptVersion.objects.for_api_concepts(
                release=release, concept_ids=ids, **params
            )
            page = self.paginate_queryset(versions)
            data = self.render(s.ConceptSerializer, page, many=True, context={"release": release})
            return self.get_paginated_response(data)

        return self.conditional(stamp, build)

    @extend_schema(
        tags=[EDITORIAL],
        operation_id="concepts_create",
        summary=_lazy("Create a concept (as a draft)"),
        description=_lazy(
            "Creates the concept and its first version as a draft, which you then edit and "
            "submit. Needs the permission to edit drafts. The response carries the draft's ETag."
        ),
        request=s.ConceptCreateSerializer,
        responses={
            201: ok(s.VersionEditorialSerializer, _lazy("Created: the new draft, with its ETag.")),
            **_errors(400, 401, 403, 409),
        },
    )
    def post(self, request: Request) -> Response:
        payload = s.ConceptCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = services.concept_create(
            uid=payload.validated_data["uid"], user=request.user, data=payload.draft_data()
        )
        return _editorial_response(self, version, status.HTTP_201_CREATED)


class ConceptDetailView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="concept_retrieve",
        summary=_lazy("A published concept"),
        description=_lazy(
            "The concept's current published version (or its retirement) with every term, "
            "every language's texts, sources, relations and domains. A concept that has never "
            "been published is not found."
        ),
        parameters=[UID, *CONDITIONAL_HEADERS],
        responses={
            200: ok(s.ConceptSerializer, _lazy("The concept.")),
            **NOT_MODIFIED,
            **_errors(404, 429),
        },
    )
    def get(self, request: Request, uid: str) -> Response:
        return self.conditional(
            conditional.publication_stamp(),
            lambda: Response(self.render(s.ConceptSerializer, _public_version(uid))),
        )


class ConceptVersionListView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="concept_versions_list",
        summary=_lazy("A concept's public history"),
        description=_lazy(
            "Every version of the concept that was ever published (published, superseded, "
            "retired), oldest first, with the releases that hold each. Drafts, versions in "
            "review and withdrawn versions are never listed."
        ),
        parameters=[UID, *CONDITIONAL_HEADERS],
        responses={
            200: ok(
                s.VersionSummarySerializer(many=True), _lazy("The public versions, oldest first.")
            ),
            **NOT_MODIFIED,
            **_errors(404, 429),
        },
    )
    def get(self, request: Request, uid: str) -> Response:
        def build() -> Response:
            versions = list(ConceptVersion.objects.for_api_history().filter(concept__uid=uid))
            if not versions:
                raise NotFound(
                    _("No published concept has the identifier “%(uid)s”.") % {"uid": uid}
                )
            return Response(self.render(s.VersionSummarySerializer, versions, many=True))

        return self.conditional(conditional.publication_stamp(), build)


class ConceptVersionDetailView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="concept_version_retrieve",
        summary=_lazy("One public version of a concept"),
        description=_lazy("A published, superseded or retired version, in full."),
        parameters=[
            UID,
            OpenApiParameter(
                "number",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description=_lazy("Version number."),
            ),
            *CONDITIONAL_HEADERS,
        ],
        responses={
            200: ok(s.ConceptSerializer, _lazy("The version.")),
            **NOT_MODIFIED,
            **_errors(404, 429),
        },
    )
    def get(self, request: Request, uid: str, number: int) -> Response:
        return self.conditional(
            conditional.publication_stamp(),
            lambda: Response(
                self.render(
                    s.ConceptSerializer,
                    _public_version(uid, number=number),
                    context={"history": True},
                )
            ),
        )


class ConceptDiffView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="concept_diff",
        summary=_lazy("Compare two public versions of a concept"),
        description=_lazy(
            "Texts per language with inline segments, attributes, terms added / removed / "
            "changed, sources, relations and domains. Without parameters: the current version "
            "against the one before it."
        ),
        parameters=[UID, s.DiffQuerySerializer, *CONDITIONAL_HEADERS],
        responses={
            200: ok(s.DiffSerializer, _lazy("The differences.")),
            **NOT_MODIFIED,
            **_errors(400, 404, 429),
        },
    )
    def get(self, request: Request, uid: str) -> Response:
        query = s.DiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)

        def build() -> Response:
            numbers = list(
                ConceptVersion.objects.public_history()
                .filter(concept__uid=uid)
                .order_by("number")
                .values_list("number", flat=True)
            )
            if not numbers:
                raise NotFound(
                    _("No published concept has the identifier “%(uid)s”.") % {"uid": uid}
                )
            new = query.validated_data.get("to", numbers[-1])
            default_old = max((n for n in numbers if n < new), default=None)
            old = query.validated_data.get("from", default_old)
            missing = [n for n in (old, new) if n is not None and n not in numbers]
            if missing:
                raise NotFound(
                    _("Concept “%(uid)s” has no published version %(number)d.")
                    % {"uid": uid, "number": missing[0]}
                )
            wanted = [n for n in (old, new) if n is not None]
            versions = {
                v.number: v
                for v in ConceptVersion.objects.for_api(public=True)
                .public_history()
                .filter(concept__uid=uid, number__in=wanted)
            }
            older = versions.get(old) if old is not None else None
            return Response(self.render(s.DiffSerializer, _diff(uid, older, versions[new])))

        return self.conditional(conditional.publication_stamp(), build)


def _diff(uid: str, old: ConceptVersion | None, new: ConceptVersion) -> dict[str, Any]:
    """The diff as plain data, naming relations and domains by code, never by label."""
    diff = diff_versions(old, new)

    def relations(version: ConceptVersion | None) -> set[tuple[str, str]]:
        return {(r.kind, r.target.uid) for r in version.relations.all()} if version else set()

    def domains(version: ConceptVersion | None) -> set[str]:
        return {d.key for d in version.domains.all()} if version else set()

    before_rel, after_rel = relations(old), relations(new)
    before_dom, after_dom = domains(old), domains(new)
    return {
        "uid": uid,
        "from_version": old.number if old else None,
        "to_version": new.number,
        "texts": [
            {
                "field": change.field,
                "language": str(change.language),
                "old": change.old,
                "new": change.new,
                "segments": [{"op": seg.op, "text": seg.text} for seg in change.segments],
            }
            for change in diff.texts
        ],
        "attributes": [
            {"field": name, "old": before, "new": after} for name, before, after in diff.attributes
        ],
        "terms": [
            {
                "language": str(change.language),
                "text": change.text,
                "change": change.change,
                "old": change.old or None,
                "new": change.new or None,
            }
            for change in diff.terms
        ],
        "sources": {"added": diff.sources_added, "removed": diff.sources_removed},
        "relations": {
            "added": [{"kind": k, "target": {"uid": t}} for k, t in sorted(after_rel - before_rel)],
            "removed": [
                {"kind": k, "target": {"uid": t}} for k, t in sorted(before_rel - after_rel)
            ],
        },
        "domains": {
            "added": sorted(after_dom - before_dom),
            "removed": sorted(before_dom - after_dom),
        },
    }


class ReleaseListView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="releases_list",
        summary=_lazy("List releases"),
        description=_lazy(
            "Every release (edition) of the glossary, newest first, with its counts."
        ),
        parameters=CONDITIONAL_HEADERS,
        responses={
            200: ok(s.ReleaseSerializer(many=True), _lazy("The releases, newest first.")),
            **NOT_MODIFIED,
            **_errors(429),
        },
    )
    def get(self, request: Request) -> Response:
        return self.conditional(
            conditional.publication_stamp(),
            lambda: Response(
                self.render(s.ReleaseSerializer, Release.objects.for_api_releases(), many=True)
            ),
        )


class ReleaseDetailView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="release_retrieve",
        summary=_lazy("A release with its changelog"),
        description=_lazy(
            "The release's notes and its changelog against the previous release: the concepts "
            "added, changed and retired, each linked to the concept as it stood in this release."
        ),
        parameters=[RELEASE_NAME, *CONDITIONAL_HEADERS],
        responses={
            200: ok(s.ReleaseDetailSerializer, _lazy("The release and its changelog.")),
            **NOT_MODIFIED,
            **_errors(404, 429),
        },
    )
    def get(self, request: Request, name: str) -> Response:
        def build() -> Response:
            release = Release.objects.for_api_release().filter(name=name).first()
            if release is None:
                raise NotFound(_("There is no release named “%(name)s”.") % {"name": name})
            return Response(self.render(s.ReleaseDetailSerializer, release))

        return self.conditional(conditional.publication_stamp(), build)


class ReleaseConceptView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="release_concept_retrieve",
        summary=_lazy("A concept as it stood in a release"),
        description=_lazy("The version of the concept that the release froze, in full."),
        parameters=[RELEASE_NAME, UID, *CONDITIONAL_HEADERS],
        responses={
            200: ok(s.ConceptSerializer, _lazy("The concept as it stood in the release.")),
            **NOT_MODIFIED,
            **_errors(404, 429),
        },
    )
    def get(self, request: Request, name: str, uid: str) -> Response:
        def build() -> Response:
            release = Release.objects.filter(name=name).first()
            version = (
                ConceptVersion.objects.for_api(public=True)
                .in_release(release)
                .filter(concept__uid=uid)
                .first()
                if release is not None
                else None
            )
            if version is None:
                raise NotFound(
                    _("Release “%(name)s” has no concept “%(uid)s”.") % {"name": name, "uid": uid}
                )
            return Response(self.render(s.ConceptSerializer, version, context={"release": release}))

        return self.conditional(conditional.publication_stamp(), build)


class DomainListView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="domains_list",
        summary=_lazy("List domains"),
        description=_lazy("Every domain (subject field), with its name in each language."),
        parameters=CONDITIONAL_HEADERS,
        responses={
            200: ok(s.DomainListSerializer(many=True), _lazy("The domains, by key.")),
            **NOT_MODIFIED,
            **_errors(429),
        },
    )
    def get(self, request: Request) -> Response:
        domains = Concept.objects.for_api_domains()
        # Domain names are edited in place (no timestamp), so their content is in the stamp.
        names = tuple(
            (d.key, d.name_en, d.name_zh_hans, d.name_zh_hant, d.concept_count) for d in domains
        )
        return self.conditional(
            conditional.publication_stamp(extra=names),
            lambda: Response(self.render(s.DomainListSerializer, domains, many=True)),
        )


# Editorial -----------------------------------------------------------------------------------


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


def _editorial_response(view: ApiView, version: ConceptVersion, code: int = 200) -> Response:
    """A version as editors see it, with its ETag while it is open."""
    version = ConceptVersion.objects.for_api_draft().get(pk=version.pk)
    response = Response(view.render(s.VersionEditorialSerializer, version), status=code)
    if version.state in OPEN_STATES:
        response["ETag"] = s.draft_etag(version)
        if code == status.HTTP_201_CREATED:
            response["Location"] = s.absolute(view.request, "draft", version.concept.uid)
    response["Cache-Control"] = "private, no-cache"
    return response


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
            **_errors(401, 403, 404),
        },
    )
    def get(self, request: Request, uid: str) -> Response:
        concept = _editorial_concept(uid)
        return _editorial_response(self, _open_version(concept, missing=status.HTTP_404_NOT_FOUND))

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
            **_errors(400, 401, 403, 404, 409, 412, 428),
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
        return _editorial_response(self, version)


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
    @extend_schema(
        tags=[EDITORIAL],
        operation_id="concept_submit",
        summary=_lazy("Submit a draft for review"),
        description=_lazy(
            "The draft must be complete (preferred English and Simplified Chinese terms, English "
            "and Chinese definitions). Approvals of earlier rounds no longer count."
        ),
        parameters=[UID, IF_MATCH_OPTIONAL],
        request=s.CommentInputSerializer,
        responses={
            200: ok(s.VersionEditorialSerializer, _lazy("Submitted: the version, now in review.")),
            **_errors(400, 401, 403, 404, 409, 412),
        },
    )
    def post(self, request: Request, uid: str) -> Response:
        return super().post(request, uid)

    def act(self, concept: Concept, data: dict[str, Any]) -> Response:
        version = _open_version(concept)
        _if_match(self.request, version, required=False)
        version = services.version_submit(
            version=version, user=self.request.user, comment=data["comment"]
        )
        return _editorial_response(self, version)


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
            **_errors(400, 401, 403, 404, 409, 412),
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
        )
        return _editorial_response(self, version)


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
            **_errors(400, 401, 403, 404, 409, 412),
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
        return _editorial_response(self, version)


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
            **_errors(401, 403, 404, 409),
        },
    )
    def post(self, request: Request, uid: str) -> Response:
        return super().post(request, uid)

    def act(self, concept: Concept, data: dict[str, Any]) -> Response:
        version = services.draft_start(concept=concept, user=self.request.user)
        return _editorial_response(self, version, status.HTTP_201_CREATED)


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
            **_errors(400, 401, 403, 404, 409),
        },
    )
    def post(self, request: Request, uid: str) -> Response:
        return super().post(request, uid)

    def act(self, concept: Concept, data: dict[str, Any]) -> Response:
        version = services.concept_retire(
            concept=concept, user=self.request.user, reason=data["reason"]
        )
        return _editorial_response(self, version, status.HTTP_201_CREATED)


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
        request=s.TokenRequestSerializer,
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
