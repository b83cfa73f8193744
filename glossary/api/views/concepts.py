"""Published concepts: the filtered list, a concept, its versions and their diff."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import InvalidPage, Page, Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from glossary.api import conditional
from glossary.api import serializers as s
from glossary.api.permissions import IsEditorialUser
from glossary.api.views.base import (
    CONDITIONAL_HEADERS,
    EDITORIAL,
    NOT_MODIFIED,
    PUBLIC,
    UID,
    ApiView,
    editorial_response,
    error_responses,
    ok,
)
from glossary.core import services
from glossary.core.choices import FIELD_SUFFIX, ListSection
from glossary.core.diff import diff_versions
from glossary.core.models import ConceptVersion, ListCount, Release
from glossary.search.ranking import ranked

#: How many search hits the ``q`` filter considers beside another filter (alone, ``q`` reads
#: only the page asked for); the glossary never has that many matches.
SEARCH_LIMIT = 500


class KnownCountPaginator(Paginator):
    """A paginator told how many items the list holds (a count kept by publication)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count


class LookaheadPaginator(Paginator):
    """A paginator that never counts: it reads the page and one row more, which says whether
    a next page exists; ``count`` is what it knows the list holds up to there."""

    def __init__(self, object_list: Any, per_page: int, *, number: int, starts_at: int = 0) -> None:
        super().__init__(object_list, per_page)
        start = (number - 1) * per_page
        # ``object_list`` may hold the list from its ``starts_at``-th item on (a search page).
        rows = list(object_list[start - starts_at : start - starts_at + per_page + 1])
        self.known = start + len(rows)
        self.rows = rows[:per_page]
        self.number = number

    @property
    def count(self) -> int:  # type: ignore[override]
        return self.known

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if number != self.number:
            raise InvalidPage(number)
        return self._get_page(self.rows, number, self)


class ConceptPagination(PageNumberPagination):
    """Pages of 50 concepts by default, at most 200 (``page`` and ``page_size``).

    Nothing counts the list: an unfiltered list (of the current concepts or of a release's)
    has the count that publication and the release cut keep; a filtered one has no count
    (``null``), its page read with one row more to know whether ``next`` exists.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_query_description = _lazy("Page number, from 1.")
    page_size_query_description = _lazy("Concepts per page (default 50, at most 200).")

    def window(self, request: Request) -> tuple[int, int]:
        """(first item, items) that the page ``page`` names and the one item after it (which
        says whether a next page exists): what a list read a page at a time reads."""
        number = request.query_params.get(self.page_query_param) or "1"
        page_size = self.get_page_size(request)
        if not number.isdigit() or int(number) < 1:
            return 0, page_size + 1  # refused by ``paginate_concepts``
        return (int(number) - 1) * page_size, page_size + 1

    def paginate_concepts(
        self, versions: Any, request: Request, *, count: int | None, starts_at: int = 0
    ) -> list[Any]:
        """The page ``page`` names of ``versions`` (ids, a query or a list), whose length is
        ``count`` (``None``: not known, and not to be counted); 404 past the last page.
        ``versions`` may hold the list from its ``starts_at``-th item on (``window``), when it is
        not counted."""
        self.request = request
        self.known_count = count
        page_size = self.get_page_size(request)
        number = request.query_params.get(self.page_query_param) or "1"
        paginator: Paginator
        try:
            if count is None:
                if not number.isdigit() or int(number) < 1:
                    raise InvalidPage(number)
                paginator = LookaheadPaginator(
                    versions, page_size, number=int(number), starts_at=starts_at
                )
            else:
                paginator = KnownCountPaginator(versions, page_size, count=count)
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise NotFound(
                self.invalid_page_message.format(page_number=number, message=str(exc))
            ) from exc
        return list(self.page)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.known_count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": _(
                "How many concepts the list holds, on all pages; null when a filter is given "
                "(the list is not counted: `next` says whether more follow)."
            ),
            "next": _("The next page, or null on the last."),
            "previous": _("The previous page, or null on the first."),
            "results": _("The concepts on this page."),
        }
        for name, description in descriptions.items():
            paginated["properties"][name]["description"] = description
        paginated["properties"]["count"]["nullable"] = True
        return paginated


#: The paginator's query parameters, which drf-spectacular adds only to views it takes for lists.
PAGE_PARAMETERS = [
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1},
        OpenApiParameter.QUERY,
        description=_lazy("Page number, from 1; a page past the last is not found (404)."),
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": ConceptPagination.max_page_size},
        OpenApiParameter.QUERY,
        description=ConceptPagination.page_size_query_description,
    ),
]


def _kept_count(release: Release | None) -> int:
    """How many concepts the unfiltered list holds: the public ones (published or retired), or
    a release's; read from the counts that publication and the release cut keep."""
    if release is None:
        return ListCount.objects.count_of(ListSection.PUBLIC)
    return sum(ListCount.objects.release_changes([release.pk])[release.pk].values())


def _public_concept(request: Request, uid: str, *, number: int | None = None) -> dict[str, Any]:
    """The payload of a concept's published version (or of one of its public versions by
    number), or 404."""
    versions = ConceptVersion.objects.filter(concept__uid=uid)
    if number is None:
        records = versions.public().api_records()
        message = _("No published concept has the identifier “%(uid)s”.") % {"uid": uid}
    else:
        records = versions.public_history().filter(number=number).api_records()
        message = _("Concept “%(uid)s” has no published version %(number)d.") % {
            "uid": uid,
            "number": number,
        }
    if not records:
        raise NotFound(message)
    return s.concept_payloads(records, request=request, history=number is not None)[0]


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
            "concepts as they stood in that release. Paginated: `page`, `page_size` (max 200); "
            "`count` is null when a filter is given."
        ),
        parameters=[s.ConceptFilterSerializer, *PAGE_PARAMETERS, *CONDITIONAL_HEADERS],
        responses={
            200: ok(s.ConceptSerializer(many=True), _lazy("A page of concepts.")),
            **NOT_MODIFIED,
            **error_responses(400, 404, 429),
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
            paginator = cast(ConceptPagination, self.paginator)
            filtered = any(value not in (None, "") for value in params.values())
            ids, starts_at = None, 0
            if query and (filtered or release is not None):
                # Another filter keeps some of the hits: rank enough of them to filter.
                ids = [hit.concept_id for hit in ranked(query, limit=SEARCH_LIMIT)]
            elif query:
                # The search alone: it ranks the page asked for (and one more concept).
                starts_at, rows = paginator.window(request)
                ids = [hit.concept_id for hit in ranked(query, limit=rows, offset=starts_at)]
            versions = ConceptVersion.objects.for_api_concepts(
                release=release, concept_ids=ids, **params
            )
            page = paginator.paginate_concepts(
                versions,
                request,
                count=None if filtered or query else _kept_count(release),
                starts_at=starts_at,
            )
            records = ConceptVersion.objects.api_records(ids=page)
            data = s.concept_payloads(records, request=request, release=release)
            return paginator.get_paginated_response(data)

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
            **error_responses(400, 401, 403, 409),
        },
    )
    def post(self, request: Request) -> Response:
        payload = s.ConceptCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = services.concept_create(
            uid=payload.validated_data["uid"], user=request.user, data=payload.draft_data()
        )
        return editorial_response(self, version, status.HTTP_201_CREATED)


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
            **error_responses(404, 429),
        },
    )
    def get(self, request: Request, uid: str) -> Response:
        return self.conditional(
            conditional.publication_stamp(),
            lambda: Response(_public_concept(request, uid)),
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
            **error_responses(404, 429),
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
            **error_responses(404, 429),
        },
    )
    def get(self, request: Request, uid: str, number: int) -> Response:
        return self.conditional(
            conditional.publication_stamp(),
            lambda: Response(_public_concept(request, uid, number=number)),
        )


class ConceptDiffView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="concept_diff",
        summary=_lazy("Compare two public versions of a concept"),
        description=_lazy(
            "Texts per language with inline segments, attributes, terms added / removed / "
            "changed, sources, relations, domains and authorities' renderings. Without parameters: the current version "
            "against the one before it."
        ),
        parameters=[UID, s.DiffQuerySerializer, *CONDITIONAL_HEADERS],
        responses={
            200: ok(s.DiffSerializer, _lazy("The differences.")),
            **NOT_MODIFIED,
            **error_responses(400, 404, 429),
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
        "renderings": [
            {
                "authority": change.authority,
                "change": change.change,
                "old": _rendering_attrs(change.old),
                "new": _rendering_attrs(change.new),
            }
            for change in diff.renderings
        ],
    }


def _rendering_attrs(attrs: dict[str, str]) -> dict[str, Any] | None:
    """A rendering's side of a diff as the API names it: the terms by BCP 47 tag."""
    if not attrs:
        return None
    return {
        "status": attrs["status"],
        "terms": {
            str(language): attrs[f"term_{suffix}"] for language, suffix in FIELD_SUFFIX.items()
        },
        "definition": attrs["definition"],
        "definition_language": attrs["definition_language"],
        "locator": attrs["locator"],
        "date": attrs["date"],
    }
