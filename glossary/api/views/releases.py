"""Releases, and each concept as it stood in one."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from glossary.api import conditional
from glossary.api import serializers as s
from glossary.api.views.base import (
    CONDITIONAL_HEADERS,
    NOT_MODIFIED,
    PUBLIC,
    RELEASE_NAME,
    UID,
    ApiView,
    error_responses,
    ok,
)
from glossary.core.choices import ReleaseChange
from glossary.core.models import ConceptVersion, ListCount, Release, ReleaseEntry

#: Concepts of each kind of change on one page of a release's changelog.
CHANGELOG_PAGE_SIZE = 100
#: The kinds of change a changelog lists.
CHANGELOG = (ReleaseChange.ADDED, ReleaseChange.CHANGED, ReleaseChange.RETIRED)


def _with_counts(releases: list[Release]) -> list[Release]:
    """The releases, each with ``changes`` (its entries by kind of change) and
    ``concept_count``, from the counts the release cut kept: one query."""
    changes = ListCount.objects.release_changes([release.pk for release in releases])
    for release in releases:
        release.changes = changes[release.pk]  # type: ignore[attr-defined]
        release.concept_count = sum(changes[release.pk].values())  # type: ignore[attr-defined]
    return releases


#: The changelog's page, the one query parameter of a release.
CHANGELOG_PAGE = OpenApiParameter(
    "page",
    {"type": "integer", "minimum": 1},
    OpenApiParameter.QUERY,
    description=_lazy("Page of the changelog, from 1; a page past the last is not found (404)."),
)


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
            **error_responses(429),
        },
    )
    def get(self, request: Request) -> Response:
        return self.conditional(
            conditional.publication_stamp(),
            lambda: Response(
                self.render(
                    s.ReleaseSerializer,
                    _with_counts(list(Release.objects.for_api_releases())),
                    many=True,
                )
            ),
        )


class ReleaseDetailView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="release_retrieve",
        summary=_lazy("A release with its changelog"),
        description=_lazy(
            "The release's notes and its changelog against the previous release: the concepts "
            "added, changed and retired, each linked to the concept as it stood in this release. "
            "The changelog comes a page at a time (`page`): at most 100 concepts of each kind."
        ),
        parameters=[RELEASE_NAME, CHANGELOG_PAGE, *CONDITIONAL_HEADERS],
        responses={
            200: ok(s.ReleaseDetailSerializer, _lazy("The release and its changelog.")),
            **NOT_MODIFIED,
            **error_responses(404, 429),
        },
    )
    def get(self, request: Request, name: str) -> Response:
        number = request.query_params.get("page", "1")

        def build() -> Response:
            release = Release.objects.for_api_releases().filter(name=name).first()
            if release is None:
                raise NotFound(_("There is no release named “%(name)s”.") % {"name": name})
            _with_counts([release])
            longest = max(release.changes[kind] for kind in CHANGELOG)  # type: ignore[attr-defined]
            pages = max(1, -(-longest // CHANGELOG_PAGE_SIZE))
            if not number.isdigit() or not 1 <= int(number) <= pages:
                raise NotFound(
                    _("The changelog has %(pages)d pages; there is no page “%(page)s”.")
                    % {"pages": pages, "page": number}
                )
            start = (int(number) - 1) * CHANGELOG_PAGE_SIZE
            release.changelog_pages = pages  # type: ignore[attr-defined]
            ids = {
                kind: ReleaseEntry.objects.ids_of_change(release, kind)[
                    start : start + CHANGELOG_PAGE_SIZE
                ]
                for kind in CHANGELOG
            }
            entries = ReleaseEntry.objects.for_release_page(release).in_bulk(
                [pk for kind in CHANGELOG for pk in ids[kind]]
            )
            release.changelog = {  # type: ignore[attr-defined]
                kind: [entries[pk] for pk in ids[kind]] for kind in CHANGELOG
            }
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
            **error_responses(404, 429),
        },
    )
    def get(self, request: Request, name: str, uid: str) -> Response:
        def build() -> Response:
            release = Release.objects.filter(name=name).first()
            records = (
                ConceptVersion.objects.in_release(release).filter(concept__uid=uid).api_records()
                if release is not None
                else []
            )
            if not records:
                raise NotFound(
                    _("Release “%(name)s” has no concept “%(uid)s”.") % {"name": name, "uid": uid}
                )
            return Response(s.concept_payloads(records, request=request, release=release)[0])

        return self.conditional(conditional.publication_stamp(), build)
