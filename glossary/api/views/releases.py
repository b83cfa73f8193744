"""Releases, and each concept as it stood in one."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
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
from glossary.core.models import ConceptVersion, Release


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
            **error_responses(404, 429),
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
            **error_responses(404, 429),
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
