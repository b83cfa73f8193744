"""Releases with their counts and changelogs."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from glossary.api.serializers.base import OutputSerializer, PreferredTermsField, absolute
from glossary.core.models import Release


class ReleaseCountsSerializer(OutputSerializer):
    """A release's entries by kind of change (a dict, as the release cut counted them)."""

    added = serializers.IntegerField(help_text=_("Concepts new in this release."))
    changed = serializers.IntegerField(help_text=_("Concepts with a newer version than before."))
    retired = serializers.IntegerField(help_text=_("Concepts retired since the previous release."))
    unchanged = serializers.IntegerField(
        help_text=_("Concepts as they were in the previous release.")
    )


class ReleaseSerializer(OutputSerializer):
    name = serializers.CharField(help_text=_("Name of the release (edition), for example 2025.1."))
    url = serializers.SerializerMethodField(help_text=_("This release in the API."))
    notes = serializers.CharField(help_text=_("Release notes."))
    created_at = serializers.DateTimeField(help_text=_("When the release was cut."))
    previous = serializers.CharField(
        source="previous.name",
        allow_null=True,
        help_text=_("Name of the previous release, or null for the first."),
    )
    concept_count = serializers.IntegerField(
        help_text=_("How many concepts the release holds (retired included).")
    )
    changes = ReleaseCountsSerializer(
        help_text=_("How many concepts changed, and how, since the previous release.")
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, release: Release) -> str:
        return absolute(self.context.get("request"), "release", release.name)


class ChangelogEntrySerializer(OutputSerializer):
    uid = serializers.CharField(source="concept.uid", help_text=_("The concept's identifier."))
    version = serializers.IntegerField(
        source="version.number", help_text=_("The version this release holds.")
    )
    preferred_terms = PreferredTermsField(
        source="version", help_text=_("The preferred term in each language.")
    )
    url = serializers.SerializerMethodField(
        help_text=_("The concept as it stood in this release, in the API.")
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, entry: Any) -> str:
        return absolute(
            self.context.get("request"),
            "release-concept",
            self.context["release_name"],
            entry.concept.uid,
        )


class ChangelogSerializer(OutputSerializer):
    added = ChangelogEntrySerializer(many=True, help_text=_("Concepts new in this release."))
    changed = ChangelogEntrySerializer(many=True, help_text=_("Concepts with a new version."))
    retired = ChangelogEntrySerializer(many=True, help_text=_("Concepts retired."))


class ReleaseDetailSerializer(ReleaseSerializer):
    concepts = serializers.SerializerMethodField(
        help_text=_("The concept list as it stood in this release (every concept, paginated).")
    )
    changelog = serializers.SerializerMethodField(
        help_text=_(
            "What changed since the previous release, by kind of change: one page of each kind "
            "(`page`; at most 100 concepts of each kind a page, in the order of the concepts' "
            "creation). `changes` says how many there are of each kind in all."
        )
    )
    changelog_pages = serializers.IntegerField(
        help_text=_("How many pages the changelog has (at least 1).")
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_concepts(self, release: Release) -> str:
        return absolute(self.context.get("request"), "concepts", query=f"release={release.name}")

    @extend_schema_field(ChangelogSerializer)
    def get_changelog(self, release: Any) -> dict[str, Any]:
        context = {**self.context, "release_name": release.name}
        return ChangelogSerializer(release.changelog, context=context).data
