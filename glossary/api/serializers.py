"""Input and output serializers of the REST API.

Output serializers render model instances and never depend on the active language: every
translated text is an object naming each language by its BCP 47 tag (``en``, ``zh-Hans``,
``zh-Hant``), and every closed vocabulary is given by its stable code. Input serializers validate a
request and turn it into the service layer's data classes; no serializer writes anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from glossary.core.choices import (
    FIELD_SUFFIX,
    Agreement,
    Jurisdiction,
    Language,
    Maturity,
    PartOfSpeech,
    Region,
    RelationKind,
    ReleaseChange,
    ReviewDecision,
    Side,
    TermStatus,
    TermType,
    VersionState,
)
from glossary.core.fields import TEXT_FIELDS
from glossary.core.models import Concept, ConceptVersion, Domain, Release, Source
from glossary.core.services import CitationData, DraftData, RelationData, TermData
from glossary.core.validators import validate_identifier, validate_term

#: The term languages, as BCP 47 tags, in the order payloads list them.
LANGUAGES: tuple[str, ...] = tuple(Language.values)


def absolute(request: Any, name: str, *args: Any, query: str = "") -> str:
    """The absolute URL of an API route, as the client addressed this server."""
    path = reverse(f"api:{name}", args=args) + (f"?{query}" if query else "")
    return request.build_absolute_uri(path) if request is not None else path


def permalink(request: Any, uid: str) -> str:
    """The concept's public page, ``/en/concepts/<uid>/``, whatever language is active."""
    with translation.override("en"):
        path = reverse("glossary:concept", args=[uid])
    return request.build_absolute_uri(path) if request is not None else path


def draft_etag(version: ConceptVersion) -> str:
    """The strong ETag of an open version: its number and how many times it was saved."""
    return f'"v{version.number}-r{version.revision}"'


class OutputSerializer(serializers.Serializer):
    """A serializer that only renders: every field is read-only (and always present).

    ``leading`` names the fields that come first in the payload, for people reading it.
    """

    leading: tuple[str, ...] = ()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        first = {name: fields[name] for name in self.leading if name in fields}
        return {**first, **{name: f for name, f in fields.items() if name not in first}}


# Texts in every language -------------------------------------------------------------------


class LanguageTextsSerializer(OutputSerializer):
    """A text in each language of the glossary; an empty string where it is not written."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            language: serializers.CharField(
                read_only=True,
                help_text=_("In %(language)s (no fallback to another language).")
                % {"language": Language(language).label},
            )
            for language in LANGUAGES
        }


@extend_schema_field(LanguageTextsSerializer)
class TranslatedField(serializers.Field):
    """Every language's value of a translated field (``definition_en``, …), without fallback."""

    def __init__(self, translated: str, **kwargs: Any) -> None:
        self.translated = translated
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance: Any) -> dict[str, str]:
        return {
            language.value: getattr(instance, f"{self.translated}_{suffix}") or ""
            for language, suffix in FIELD_SUFFIX.items()
        }


@extend_schema_field(LanguageTextsSerializer)
class PreferredTermsField(serializers.Field):
    """The preferred term of a version in each language (from prefetched terms)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, version: ConceptVersion) -> dict[str, str]:
        return {language: str(version.preferred(language) or "") for language in LANGUAGES}


#: The translated texts of a version, and the other attributes a diff reports, as the API
#: names them (named enums in the schema: see SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
TEXT_FIELD_CHOICES = [(name, name) for name in TEXT_FIELDS]
ATTRIBUTE_FIELDS = [
    (name, name) for name in ("agreement", "maturity", "first_attested", "retirement_reason")
]
ZH_HANT = FIELD_SUFFIX[Language.ZH_HANT]


@extend_schema_field(
    serializers.ListField(child=serializers.ChoiceField(choices=TEXT_FIELD_CHOICES))
)
class MachineConvertedField(serializers.Field):
    """Texts whose Traditional Chinese version is an unreviewed machine conversion."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="machine_converted_fields", read_only=True, **kwargs)

    def to_representation(self, names: list[str]) -> list[str]:
        return [name for name in TEXT_FIELDS if f"{name}_{ZH_HANT}" in (names or [])]


# Published content ---------------------------------------------------------------------------


class DomainSerializer(OutputSerializer):
    key = serializers.SlugField(help_text=_("Stable identifier of the domain (subject field)."))
    name = TranslatedField("name", help_text=_("Name of the domain in each language."))


class DomainListSerializer(DomainSerializer):
    concept_count = serializers.IntegerField(
        help_text=_("How many current (published, not retired) concepts are in this domain.")
    )


class TermSerializer(OutputSerializer):
    language = serializers.ChoiceField(
        choices=Language.choices, help_text=_("Language of the term, as a BCP 47 tag.")
    )
    text = serializers.CharField(help_text=_("The term as written."))
    status = serializers.ChoiceField(
        choices=TermStatus.choices,
        help_text=_(
            "preferred (one per language), admitted, deprecated (avoid) or superseded "
            "(replaced by a newer term)."
        ),
    )
    term_type = serializers.ChoiceField(
        choices=TermType.choices, help_text=_("TBX-Basic term type.")
    )
    part_of_speech = serializers.ChoiceField(
        choices=PartOfSpeech.choices, help_text=_("Part of speech.")
    )
    geographic_usage = serializers.ChoiceField(
        choices=Region.choices,
        allow_blank=True,
        help_text=_("Where the term is used (for example TW for a Taiwan form); empty if general."),
    )
    context = serializers.CharField(help_text=_("A sentence showing the term in use."))
    note = serializers.CharField(help_text=_("A note on the term."))
    source = serializers.CharField(
        source="source.key",
        allow_null=True,
        help_text=_("Key of the source the term is taken from, or null."),
    )
    machine_converted = serializers.BooleanField(
        help_text=_(
            "True for a Traditional Chinese term converted from the Simplified one by machine "
            "(OpenCC) that no linguist has reviewed yet."
        )
    )


class CitationSerializer(OutputSerializer):
    source = serializers.CharField(source="source.key", help_text=_("Key of the cited source."))
    title = serializers.CharField(source="source.title", help_text=_("Title of the source."))
    publisher = serializers.CharField(
        source="source.publisher", help_text=_("Publisher or issuing body.")
    )
    jurisdiction = serializers.ChoiceField(
        source="source.jurisdiction",
        choices=Jurisdiction.choices,
        allow_blank=True,
        help_text=_("Where the source applies (US, CN, TW, …); empty if not stated."),
    )
    date = serializers.DateField(
        source="source.published_on",
        allow_null=True,
        help_text=_("Date of the source, or null if unknown."),
    )
    url = serializers.CharField(source="source.url", help_text=_("Address of the source."))
    locator = serializers.CharField(help_text=_("Where in the source: article, section or page."))
    quote = serializers.CharField(
        help_text=_("The wording quoted from the source (for example a legal definition).")
    )
    quote_language = serializers.ChoiceField(
        choices=Language.choices,
        allow_blank=True,
        help_text=_("Language of the quote, as a BCP 47 tag; empty if there is no quote."),
    )


class RelationSerializer(OutputSerializer):
    kind = serializers.ChoiceField(
        choices=RelationKind.choices, help_text=_("broader, narrower or related.")
    )
    target = serializers.CharField(
        source="target.uid", help_text=_("Identifier of the related concept.")
    )


class VersionContentSerializer(OutputSerializer):
    """What every version says: terms, texts in each language, sources, relations, domains."""

    uid = serializers.CharField(
        source="concept.uid", help_text=_("The concept's permanent public identifier.")
    )
    version = serializers.IntegerField(
        source="number", help_text=_("Number of this version of the concept.")
    )
    state = serializers.ChoiceField(
        choices=VersionState.choices,
        help_text=_(
            "State of this version: published (current), superseded (replaced by a newer "
            "version) or retired; for editors also draft, in_review or withdrawn."
        ),
    )
    retired = serializers.BooleanField(
        source="is_retirement", help_text=_("True when this version retires the concept.")
    )
    retirement_reason = serializers.CharField(
        help_text=_("Why the concept was retired; empty unless retired is true.")
    )
    terms = TermSerializer(
        many=True, help_text=_("Every term, by language, in the order the editors gave them.")
    )
    definition = TranslatedField("definition", help_text=_("The agreed definition."))
    us_usage = TranslatedField(
        "us_usage", help_text=_("How U.S.-side documents define or use the term.")
    )
    cn_usage = TranslatedField(
        "cn_usage", help_text=_("How China-side documents define or use the term.")
    )
    agreement = serializers.ChoiceField(
        choices=Agreement.choices,
        help_text=_("Whether the two sides' usages agree: agreed, partly_agreed or divergent."),
    )
    agreement_note = TranslatedField(
        "agreement_note", help_text=_("Why the two sides' usages differ.")
    )
    note = TranslatedField("note", help_text=_("A note on the concept."))
    machine_converted = MachineConvertedField(
        help_text=_(
            "The texts (definition, us_usage, …) whose zh-Hant version was converted from the "
            "Simplified one by machine (OpenCC) and is not reviewed by a linguist yet."
        )
    )
    maturity = serializers.ChoiceField(
        choices=Maturity.choices,
        help_text=_("provisional for a new coinage still settling, otherwise established."),
    )
    first_attested = serializers.CharField(
        help_text=_("When the term was first attested: YYYY, YYYY-MM or YYYY-MM-DD; may be empty.")
    )
    domains = DomainSerializer(many=True, help_text=_("Subject fields (domains) of the concept."))
    sources = CitationSerializer(
        many=True, source="citations", help_text=_("Sources cited, in order.")
    )
    relations = RelationSerializer(many=True, help_text=_("Links to other concepts."))


class ConceptSerializer(VersionContentSerializer):
    """A published version of a concept, as the public reads it."""

    leading = ("uid", "url", "permalink", "version", "state", "published_at")

    url = serializers.SerializerMethodField(help_text=_("This resource in the API."))
    permalink = serializers.SerializerMethodField(
        help_text=_("The concept's public page, which never changes address.")
    )
    published_at = serializers.DateTimeField(
        help_text=_("When this version was published (ISO 8601, UTC).")
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, version: ConceptVersion) -> str:
        request = self.context.get("request")
        release = self.context.get("release")
        if release is not None:
            return absolute(request, "release-concept", release.name, version.concept.uid)
        if self.context.get("history"):
            return absolute(request, "concept-version", version.concept.uid, version.number)
        return absolute(request, "concept", version.concept.uid)

    @extend_schema_field(OpenApiTypes.URI)
    def get_permalink(self, version: ConceptVersion) -> str:
        return permalink(self.context.get("request"), version.concept.uid)


class VersionSummarySerializer(OutputSerializer):
    """One entry of a concept's public history."""

    version = serializers.IntegerField(source="number", help_text=_("Version number."))
    state = serializers.ChoiceField(
        choices=VersionState.choices, help_text=_("published, superseded or retired.")
    )
    published_at = serializers.DateTimeField(help_text=_("When this version was published."))
    retired = serializers.BooleanField(
        source="is_retirement", help_text=_("True when this version retired the concept.")
    )
    releases = serializers.SerializerMethodField(
        help_text=_("Names of the releases that include this exact version, oldest first.")
    )
    url = serializers.SerializerMethodField(help_text=_("This version in the API."))

    def get_releases(self, version: ConceptVersion) -> list[str]:
        return [entry.release.name for entry in version.release_entries.all()]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, version: ConceptVersion) -> str:
        return absolute(
            self.context.get("request"), "concept-version", version.concept.uid, version.number
        )


# Diff ----------------------------------------------------------------------------------------


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
    status = serializers.CharField(help_text=_("Term status code."))
    term_type = serializers.CharField(help_text=_("Term type code."))
    part_of_speech = serializers.CharField(help_text=_("Part of speech code."))
    geographic_usage = serializers.CharField(help_text=_("Region code, or empty."))
    context = serializers.CharField(help_text=_("Context sentence."))
    note = serializers.CharField(help_text=_("Note."))
    source = serializers.CharField(help_text=_("Title of the term's source, or empty."))


class TermChangeSerializer(OutputSerializer):
    language = serializers.ChoiceField(
        choices=Language.choices, help_text=_("Language of the term (BCP 47).")
    )
    text = serializers.CharField(help_text=_("The term."))
    change = serializers.ChoiceField(
        choices=[("added", "added"), ("removed", "removed"), ("changed", "changed")],
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


class DiffSerializer(OutputSerializer):
    """What changed from one public version of a concept to another."""

    uid = serializers.CharField(help_text=_("The concept's identifier."))
    texts = TextChangeSerializer(many=True, help_text=_("Changed texts, per field and language."))
    attributes = AttributeChangeSerializer(many=True, help_text=_("Changed attributes."))
    terms = TermChangeSerializer(many=True, help_text=_("Terms added, removed or changed."))
    sources = SourcesChangeSerializer(help_text=_("Citations added and removed."))
    relations = RelationsChangeSerializer(help_text=_("Relations added and removed."))
    domains = DomainsChangeSerializer(help_text=_("Domains added and removed."))

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


# Releases ------------------------------------------------------------------------------------


class ReleaseCountsSerializer(OutputSerializer):
    added = serializers.IntegerField(
        source="added_count", help_text=_("Concepts new in this release.")
    )
    changed = serializers.IntegerField(
        source="changed_count", help_text=_("Concepts with a newer version than before.")
    )
    retired = serializers.IntegerField(
        source="retired_count", help_text=_("Concepts retired since the previous release.")
    )
    unchanged = serializers.IntegerField(
        source="unchanged_count", help_text=_("Concepts as they were in the previous release.")
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
        source="total", help_text=_("How many concepts the release holds (retired included).")
    )
    changes = ReleaseCountsSerializer(
        source="*", help_text=_("How many concepts changed, and how, since the previous release.")
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
        help_text=_("What changed since the previous release, by kind of change.")
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_concepts(self, release: Release) -> str:
        return absolute(self.context.get("request"), "concepts", query=f"release={release.name}")

    @extend_schema_field(ChangelogSerializer)
    def get_changelog(self, release: Release) -> dict[str, Any]:
        grouped: dict[str, list[Any]] = {
            change: []
            for change in (ReleaseChange.ADDED, ReleaseChange.CHANGED, ReleaseChange.RETIRED)
        }
        for entry in release.changelog_entries:
            grouped[entry.change].append(entry)
        context = {**self.context, "release_name": release.name}
        return ChangelogSerializer(grouped, context=context).data


# Editorial -----------------------------------------------------------------------------------


class ReviewSerializer(OutputSerializer):
    reviewer = serializers.CharField(source="reviewer.username", help_text=_("Who reviewed."))
    side = serializers.ChoiceField(choices=Side.choices, help_text=_("The reviewer's side."))
    review_round = serializers.IntegerField(
        help_text=_("The review round (each submission starts a new one).")
    )
    revision = serializers.IntegerField(help_text=_("The revision of the version reviewed."))
    decision = serializers.ChoiceField(
        choices=ReviewDecision.choices, help_text=_("approve or request_changes.")
    )
    comment = serializers.CharField(help_text=_("The reviewer's comment."))
    created_at = serializers.DateTimeField(help_text=_("When."))


class VersionEditorialSerializer(VersionContentSerializer):
    """Any version of a concept as editors and reviewers see it, with its workflow state."""

    leading = ("uid", "url", "version", "state", "etag", "revision", "review_round")

    url = serializers.SerializerMethodField(help_text=_("The concept's open version in the API."))
    etag = serializers.SerializerMethodField(
        help_text=_(
            "The version's ETag, also sent in the ETag header; send it back in If-Match to save."
        )
    )
    revision = serializers.IntegerField(
        help_text=_("How many times this draft was saved; every save increases it.")
    )
    review_round = serializers.IntegerField(help_text=_("How many times it was submitted."))
    based_on = serializers.IntegerField(
        source="based_on.number",
        allow_null=True,
        help_text=_("The published version this draft was copied from, or null."),
    )
    author = serializers.CharField(
        source="author.username", allow_null=True, help_text=_("Who started this version.")
    )
    created_at = serializers.DateTimeField(help_text=_("When this version was started."))
    updated_at = serializers.DateTimeField(help_text=_("When it was last saved."))
    submitted_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When it was last submitted for review, or null.")
    )
    published_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When it was published, or null.")
    )
    reviews = ReviewSerializer(many=True, help_text=_("Every review of this version, in order."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, version: ConceptVersion) -> str:
        return absolute(self.context.get("request"), "draft", version.concept.uid)

    def get_etag(self, version: ConceptVersion) -> str:
        return draft_etag(version)


#: Fields of the editorial output that a client may send back unchanged in a PUT.
READ_ONLY_ECHO = frozenset(
    {
        "uid",
        "version",
        "state",
        "retired",
        "retirement_reason",
        "url",
        "etag",
        "revision",
        "review_round",
        "based_on",
        "author",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "reviews",
        "permalink",
    }
)


# Input ---------------------------------------------------------------------------------------


class StrictInputSerializer(serializers.Serializer):
    """Input that refuses names it does not know, so that a typo is an error, not a loss.

    ``echo`` names fields of the output that may be sent back unchanged and are ignored.
    """

    echo: frozenset[str] = frozenset()
    unknown_message: Any = _("Unknown field.")

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields) - self.echo)
            if unknown:
                raise serializers.ValidationError({key: [self.unknown_message] for key in unknown})
        return super().to_internal_value(data)


class QueryParametersSerializer(StrictInputSerializer):
    """Query parameters: a misspelt filter is an error, not a silently unfiltered answer."""

    echo = frozenset({"format"})  # DRF's format override
    unknown_message = _("Unknown parameter.")


class LanguageTextsInputSerializer(serializers.Serializer):
    """A text in each language, keyed by BCP 47 tag (en, zh-Hans, zh-Hant)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            language: serializers.CharField(
                required=False,
                allow_blank=True,
                help_text=_("In %(language)s.") % {"language": Language(language).label},
            )
            for language in LANGUAGES
        }

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(LANGUAGES))
            if unknown:
                raise serializers.ValidationError(
                    {
                        key: [
                            _("Unknown language %(key)s: use en, zh-Hans or zh-Hant.")
                            % {"key": key}
                        ]
                        for key in unknown
                    }
                )
        return super().to_internal_value(data)


class KeyRelatedField(serializers.SlugRelatedField):
    """A related object by its key; also accepts ``{"key": …}``, as the output writes it."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping) and self.slug_field in data:
            data = data[self.slug_field]
        return super().to_internal_value(data)


class TermInputSerializer(StrictInputSerializer):
    language = serializers.ChoiceField(
        choices=Language.choices, help_text=_("Language of the term, as a BCP 47 tag.")
    )
    text = serializers.CharField(
        max_length=300,
        validators=[validate_term],
        help_text=_("The term (no control, invisible or direction-changing characters)."),
    )
    status = serializers.ChoiceField(
        choices=TermStatus.choices,
        default=TermStatus.ADMITTED,
        help_text=_("preferred (at most one per language), admitted, deprecated or superseded."),
    )
    term_type = serializers.ChoiceField(
        choices=TermType.choices, default=TermType.FULL_FORM, help_text=_("TBX-Basic term type.")
    )
    part_of_speech = serializers.ChoiceField(
        choices=PartOfSpeech.choices, default=PartOfSpeech.NOUN, help_text=_("Part of speech.")
    )
    geographic_usage = serializers.ChoiceField(
        choices=Region.choices,
        allow_blank=True,
        default="",
        help_text=_("Where the term is used; empty if general."),
    )
    context = serializers.CharField(
        allow_blank=True, default="", help_text=_("A sentence showing the term in use.")
    )
    note = serializers.CharField(allow_blank=True, default="", help_text=_("A note on the term."))
    source = KeyRelatedField(
        slug_field="key",
        queryset=Source.objects.all(),
        allow_null=True,
        default=None,
        help_text=_("Key of an existing source, or null."),
        error_messages={"does_not_exist": _("There is no source with the key “{value}”.")},
    )
    machine_converted = serializers.BooleanField(
        default=False,
        help_text=_(
            "Only for a zh-Hant term: true while it is an unreviewed machine conversion. Omit it "
            "or send false once a linguist has reviewed the term."
        ),
    )


class CitationInputSerializer(StrictInputSerializer):
    echo = frozenset({"title", "publisher", "jurisdiction", "date", "url"})  # the source's own

    source = KeyRelatedField(
        slug_field="key",
        queryset=Source.objects.all(),
        help_text=_("Key of an existing source."),
        error_messages={"does_not_exist": _("There is no source with the key “{value}”.")},
    )
    locator = serializers.CharField(
        max_length=200,
        allow_blank=True,
        default="",
        help_text=_("Where in the source: article, section or page."),
    )
    quote = serializers.CharField(
        allow_blank=True, default="", help_text=_("The wording quoted from the source.")
    )
    quote_language = serializers.ChoiceField(
        choices=Language.choices,
        allow_blank=True,
        default="",
        help_text=_("Language of the quote (BCP 47); empty if there is no quote."),
    )


class RelationInputSerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(
        choices=RelationKind.choices, help_text=_("broader, narrower or related.")
    )
    target = KeyRelatedField(
        slug_field="uid",
        queryset=Concept.objects.all(),
        help_text=_("Identifier of an existing concept."),
        error_messages={"does_not_exist": _("There is no concept with the identifier “{value}”.")},
    )


class DraftInputSerializer(StrictInputSerializer):
    """The whole content of a draft. Fields left out are empty (or their default)."""

    echo = READ_ONLY_ECHO

    terms = TermInputSerializer(
        many=True, required=False, help_text=_("Every term of the concept, in order.")
    )
    definition = LanguageTextsInputSerializer(
        required=False, help_text=_("The agreed definition in each language.")
    )
    us_usage = LanguageTextsInputSerializer(
        required=False, help_text=_("How U.S.-side documents define or use the term.")
    )
    cn_usage = LanguageTextsInputSerializer(
        required=False, help_text=_("How China-side documents define or use the term.")
    )
    agreement = serializers.ChoiceField(
        choices=Agreement.choices,
        required=False,
        help_text=_("agreed, partly_agreed or divergent (default agreed)."),
    )
    agreement_note = LanguageTextsInputSerializer(
        required=False, help_text=_("Why the two sides' usages differ.")
    )
    note = LanguageTextsInputSerializer(required=False, help_text=_("A note on the concept."))
    machine_converted = serializers.ListField(
        child=serializers.ChoiceField(choices=TEXT_FIELD_CHOICES),
        required=False,
        help_text=_(
            "The texts whose zh-Hant version is still an unreviewed machine conversion (send "
            "back what you read; leave a text out once a linguist has reviewed it)."
        ),
    )
    maturity = serializers.ChoiceField(
        choices=Maturity.choices,
        required=False,
        help_text=_("provisional or established (default established)."),
    )
    first_attested = serializers.CharField(
        max_length=10,
        allow_blank=True,
        required=False,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD, or empty."),
    )
    domains = KeyRelatedField(
        slug_field="key",
        queryset=Domain.objects.all(),
        many=True,
        required=False,
        help_text=_("Keys of existing domains (objects with a key are accepted too)."),
    )
    sources = CitationInputSerializer(
        many=True, required=False, help_text=_("Sources cited, in order.")
    )
    relations = RelationInputSerializer(
        many=True, required=False, help_text=_("Links to other concepts.")
    )

    def draft_data(self) -> DraftData:
        """The validated content as the service layer's ``DraftData``."""
        data = self.validated_data
        texts = {}
        for name in TEXT_FIELDS:
            values = data.get(name) or {}
            for language, suffix in FIELD_SUFFIX.items():
                texts[f"{name}_{suffix}"] = values.get(language.value, "")
        return DraftData(
            texts=texts,
            agreement=data.get("agreement") or Agreement.AGREED,
            maturity=data.get("maturity") or Maturity.ESTABLISHED,
            first_attested=data.get("first_attested", ""),
            domains=list(data.get("domains", [])),
            terms=[TermData(**term) for term in data.get("terms", [])],
            citations=[CitationData(**citation) for citation in data.get("sources", [])],
            relations=[RelationData(**relation) for relation in data.get("relations", [])],
            machine_converted_fields=[
                f"{name}_{ZH_HANT}" for name in data.get("machine_converted", [])
            ],
        )


class DraftReplaceSerializer(DraftInputSerializer):
    """The whole content of a draft, every field present: a PUT replaces what the draft had."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            # Leaving a field out must not silently empty it: say that it is missing instead.
            field.required = True
            if isinstance(field, LanguageTextsInputSerializer):
                for language_field in field.fields.values():
                    language_field.required = True
        return fields


class ConceptCreateSerializer(DraftInputSerializer):
    """A new concept: its identifier and the content of its first draft."""

    uid = serializers.CharField(
        max_length=100,
        validators=[validate_identifier],
        help_text=_(
            "The permanent public identifier: lower-case letters, digits and single hyphens, "
            "for example generative-ai. It never changes."
        ),
    )


class CommentInputSerializer(StrictInputSerializer):
    comment = serializers.CharField(
        allow_blank=True, default="", help_text=_("A comment kept in the concept's history.")
    )


class ReviewInputSerializer(StrictInputSerializer):
    decision = serializers.ChoiceField(
        choices=ReviewDecision.choices, help_text=_("approve or request_changes.")
    )
    comment = serializers.CharField(
        allow_blank=True,
        default="",
        help_text=_("Required when requesting changes; kept on the record."),
    )


class RetireInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(
        help_text=_("Why the concept is retired; shown on its permalink once approved.")
    )


class ConceptFilterSerializer(QueryParametersSerializer):
    """Query parameters of the concept list."""

    echo = frozenset({"page", "page_size", "format"})  # read by the paginator and DRF

    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_(
            "Search by any term in English, Simplified or Traditional Chinese (人工智慧 finds "
            "人工智能); best matches first."
        ),
    )
    domain = KeyRelatedField(
        slug_field="key",
        queryset=Domain.objects.all(),
        required=False,
        help_text=_("Only concepts in this domain (its key)."),
        error_messages={"does_not_exist": _("There is no domain with the key “{value}”.")},
    )
    agreement = serializers.ChoiceField(
        choices=Agreement.choices, required=False, help_text=_("Only this agreement state.")
    )
    maturity = serializers.ChoiceField(
        choices=Maturity.choices, required=False, help_text=_("Only this maturity.")
    )
    updated_since = serializers.DateTimeField(
        required=False,
        help_text=_(
            "Only concepts whose version was published at or after this moment (ISO 8601 date "
            "or date and time; UTC unless an offset is given)."
        ),
    )
    release = KeyRelatedField(
        slug_field="name",
        queryset=Release.objects.all(),
        required=False,
        help_text=_("The concepts as they stood in this release (its name, for example 2025.1)."),
        error_messages={"does_not_exist": _("There is no release named “{value}”.")},
    )


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


class TokenRequestSerializer(serializers.Serializer):
    """A username and password, exchanged for a new API token."""

    username = serializers.CharField(
        write_only=True, help_text=_("The username of an editorial account.")
    )
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=_("Its password."),
    )


class TokenSerializer(OutputSerializer):
    """A new API token and when it stops working."""

    token = serializers.CharField(
        help_text=_(
            "Send it as the header “Authorization: Token <token>”. It is shown only once: "
            "the glossary keeps a digest of it, not the token itself."
        )
    )
    expires = serializers.DateTimeField(
        help_text=_(
            "When the token stops working (ISO 8601, UTC). It stops earlier if the account's "
            "password changes or the account is deactivated."
        )
    )


class ErrorSerializer(OutputSerializer):
    """Every error: a stable code for programs and a message for people."""

    code = serializers.CharField(
        help_text=_(
            "Stable, untranslated error code, for example not_found, invalid, "
            "permission_denied, wrong_state, stale_edit."
        )
    )
    detail = serializers.CharField(help_text=_("What went wrong, in the request's language."))
    errors = serializers.DictField(
        required=False,
        help_text=_("For invalid input: the messages per field (nested for lists)."),
    )
