"""The difference between two versions of a concept."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from glossary.api.serializers.base import (
    ATTRIBUTE_FIELDS,
    TEXT_FIELD_CHOICES,
    LanguageTextsSerializer,
    OutputSerializer,
    QueryParametersSerializer,
)
from glossary.api.serializers.concepts import RelationSerializer
from glossary.core.choices import Language, RenderingStatus


class SegmentSerializer(OutputSerializer):
    op = serializers.ChoiceField(
        choices=[("equal", "equal"), ("insert", "insert"), ("delete", "delete")],
        help_text=_("equal (kept), insert (added) or delete (removed)."),
    )
    text = serializers.CharField(help_text=_("The run of text."))


class TextChangeSerializer(OutputSerializer):
    field = serializers.ChoiceField(
        choices=TEXT_FIELD_CHOICES,
        help_text=_("Which text changed."),
    )
    language = serializers.ChoiceField(
        choices=Language.choices, help_text=_("Language of the text (BCP 47).")
    )
    old = serializers.CharField(help_text=_("The text before."))
    new = serializers.CharField(help_text=_("The text after."))
    segments = SegmentSerializer(
        many=True,
        help_text=_("Word-level (English) or character-level (Chinese) differences, in order."),
    )


class AttributeChangeSerializer(OutputSerializer):
    field = serializers.ChoiceField(
        choices=ATTRIBUTE_FIELDS,
        help_text=_("Which attribute changed."),
    )
    old = serializers.CharField(help_text=_("The value before (a code for closed lists)."))
    new = serializers.CharField(help_text=_("The value after."))


class TermAttributesSerializer(OutputSerializer):
    text = serializers.CharField(
        help_text=_("The term as written (an edited term's old and new wording differ).")
    )
    status = serializers.CharField(help_text=_("Term status code."))
    term_type = serializers.CharField(help_text=_("Term type code."))
    part_of_speech = serializers.CharField(help_text=_("Part of speech code."))
    geographic_usage = serializers.CharField(help_text=_("Region code, or empty."))
    context = serializers.CharField(help_text=_("Context sentence."))
    note = serializers.CharField(help_text=_("Note."))
    in_sense_only = serializers.CharField(
        help_text=_("yes when the term is flagged only where its concept is meant, else empty.")
    )
    source = serializers.CharField(help_text=_("Title of the term's source, or empty."))
    machine_converted = serializers.CharField(
        help_text=_(
            "yes when the term is a machine conversion no linguist has reviewed, else empty."
        )
    )


#: How an item of a version differs from the one before it.
CHANGES = [("added", "added"), ("removed", "removed"), ("changed", "changed")]


class TermChangeSerializer(OutputSerializer):
    language = serializers.ChoiceField(
        choices=Language.choices, help_text=_("Language of the term (BCP 47).")
    )
    text = serializers.CharField(help_text=_("The term."))
    change = serializers.ChoiceField(
        choices=CHANGES,
        help_text=_("added, removed, or changed (its attributes)."),
    )
    old = TermAttributesSerializer(
        allow_null=True, help_text=_("The term's attributes before; null if added.")
    )
    new = TermAttributesSerializer(
        allow_null=True, help_text=_("The term's attributes after; null if removed.")
    )


class SourcesChangeSerializer(OutputSerializer):
    added = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Citations added: title, locator and quote, as one line each."),
    )
    removed = serializers.ListField(
        child=serializers.CharField(), help_text=_("Citations removed, written the same way.")
    )


class RelationsChangeSerializer(OutputSerializer):
    added = RelationSerializer(many=True, help_text=_("Relations added."))
    removed = RelationSerializer(many=True, help_text=_("Relations removed."))


class DomainsChangeSerializer(OutputSerializer):
    added = serializers.ListField(
        child=serializers.CharField(), help_text=_("Keys of the domains added.")
    )
    removed = serializers.ListField(
        child=serializers.CharField(), help_text=_("Keys of the domains removed.")
    )


class RenderingAttributesSerializer(OutputSerializer):
    status = serializers.ChoiceField(
        choices=RenderingStatus.choices, help_text=_("What the authority did with its rendering.")
    )
    terms = LanguageTextsSerializer(
        help_text=_("The term the authority uses in each language (BCP 47 tag → term or empty).")
    )
    definition = serializers.CharField(help_text=_("The authority's definition, quoted."))
    definition_language = serializers.CharField(
        help_text=_("The language of the definition (BCP 47), or empty.")
    )
    locator = serializers.CharField(
        help_text=_("Where the authority says it: entry, article or page.")
    )
    date = serializers.CharField(
        help_text=_("The date of the rendering: 2024, 2024-12 or 2024-12-27.")
    )


class RenderingChangeSerializer(OutputSerializer):
    authority = serializers.CharField(help_text=_("Key of the authority."))
    change = serializers.ChoiceField(
        choices=CHANGES,
        help_text=_("added, removed, or changed (its terms, status, definition, place or date)."),
    )
    old = RenderingAttributesSerializer(
        allow_null=True, help_text=_("The rendering before; null if added.")
    )
    new = RenderingAttributesSerializer(
        allow_null=True, help_text=_("The rendering after; null if removed.")
    )


class DiffSerializer(OutputSerializer):
    """What changed from one public version of a concept to another."""

    uid = serializers.CharField(help_text=_("The concept's identifier."))
    texts = TextChangeSerializer(many=True, help_text=_("Changed texts, per field and language."))
    attributes = AttributeChangeSerializer(many=True, help_text=_("Changed attributes."))
    terms = TermChangeSerializer(many=True, help_text=_("Terms added, removed or changed."))
    sources = SourcesChangeSerializer(help_text=_("Citations added and removed."))
    relations = RelationsChangeSerializer(help_text=_("Relations added and removed."))
    domains = DomainsChangeSerializer(help_text=_("Domains added and removed."))
    renderings = RenderingChangeSerializer(
        many=True, help_text=_("Authorities' renderings added, removed or changed.")
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # "from" is a Python keyword, so these two cannot be declared as attributes.
        fields["from"] = serializers.IntegerField(
            read_only=True,
            allow_null=True,
            source="from_version",
            help_text=_("The older version number; null when comparing with nothing."),
        )
        fields["to"] = serializers.IntegerField(
            read_only=True, source="to_version", help_text=_("The newer version number.")
        )
        return fields


class DiffQuerySerializer(QueryParametersSerializer):
    """Query parameters of the diff: two public version numbers."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": serializers.IntegerField(
                required=False,
                min_value=1,
                help_text=_("The older version (default: the one before `to`)."),
            ),
            "to": serializers.IntegerField(
                required=False,
                min_value=1,
                help_text=_("The newer version (default: the current one)."),
            ),
        }
