"""Published concepts and their versions, and the filters of the concept list."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from glossary.api.serializers.base import (
    ZH_HANT,
    KeyRelatedField,
    LanguageTextsSerializer,
    MachineConvertedField,
    OutputSerializer,
    QueryParametersSerializer,
    TranslatedField,
    absolute,
    links,
    permalink,
)
from glossary.api.serializers.domains import DomainSerializer
from glossary.core.choices import (
    FIELD_SUFFIX,
    Agreement,
    AuthorityKind,
    Jurisdiction,
    Language,
    Maturity,
    PartOfSpeech,
    Region,
    RelationKind,
    RenderingStatus,
    TermStatus,
    TermType,
    VersionState,
)
from glossary.core.fields import TEXT_FIELDS
from glossary.core.models import ConceptVersion, Domain, Release, Rendering

#: Each language's BCP 47 tag and the suffix of its columns (``definition_zh_hans``).
SUFFIXES = {str(language): suffix for language, suffix in FIELD_SUFFIX.items()}


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
    in_sense_only = serializers.BooleanField(
        help_text=_(
            "True for a term that is also an everyday word (标记 beside token): the term check "
            "reports it only where its concept is meant, in a translation whose source names "
            "the concept."
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


class RenderingSerializer(OutputSerializer):
    """An authority's rendering of the concept, with the authority named in full."""

    authority = serializers.CharField(source="authority.key", help_text=_("Key of the authority."))
    authority_name = serializers.SerializerMethodField(
        help_text=_("The authority's name in each language (BCP 47 tag → name or empty).")
    )
    authority_kind = serializers.ChoiceField(
        source="authority.kind",
        choices=AuthorityKind.choices,
        help_text=_("terminology, standard, statute, list or academy."),
    )
    jurisdiction = serializers.ChoiceField(
        source="authority.jurisdiction",
        choices=Jurisdiction.choices,
        allow_blank=True,
        help_text=_("Where the authority speaks (US, CN, TW, …); empty if not stated."),
    )
    terms = serializers.SerializerMethodField(
        help_text=_("The term the authority uses in each language (BCP 47 tag → term or empty).")
    )
    status = serializers.ChoiceField(
        choices=RenderingStatus.choices,
        help_text=_("promulgated, recommended, standardised or used."),
    )
    definition = serializers.CharField(
        help_text=_("The authority's own definition, quoted; empty if it gives none.")
    )
    definition_language = serializers.ChoiceField(
        choices=Language.choices,
        allow_blank=True,
        help_text=_("Language of the quoted definition (BCP 47); empty without one."),
    )
    locator = serializers.CharField(
        help_text=_("Where the authority says it: entry, article or page.")
    )
    date = serializers.CharField(help_text=_("When: YYYY, YYYY-MM or YYYY-MM-DD; may be empty."))

    @extend_schema_field(LanguageTextsSerializer)
    def get_authority_name(self, rendering: Rendering) -> dict[str, str]:
        return {
            language: getattr(rendering.authority, f"name_{suffix}") or ""
            for language, suffix in FIELD_SUFFIX.items()
        }

    @extend_schema_field(LanguageTextsSerializer)
    def get_terms(self, rendering: Rendering) -> dict[str, str]:
        return {str(language): rendering.term(language) for language in Language}


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
    renderings = RenderingSerializer(
        many=True, help_text=_("What authorities call the concept, in order.")
    )


class ConceptSerializer(VersionContentSerializer):
    """A published version of a concept, as the public reads it.

    It describes the payload (the schema is made from it); ``concept_payloads`` writes it, from
    plain rows, and a test holds the two to the same output.
    """

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


#: How ``ConceptSerializer`` writes ``published_at`` (ISO 8601, in the current time zone).
_PUBLISHED_AT = serializers.DateTimeField()


def concept_payloads(
    records: list[dict[str, Any]],
    *,
    request: Any,
    release: Release | None = None,
    history: bool = False,
) -> list[dict[str, Any]]:
    """What ``ConceptSerializer`` writes for each version, from ``VersionQuerySet.api_records``.

    Every public concept payload is written here: a page of 50 concepts holds several hundred
    rows, and reading them as model instances and writing them field by field made the API's
    concept list cost 50-54 ms of CPU at 100,000 concepts (14-16 ms now). A test holds this to
    the serializer's output, key order included. ``release`` and ``history`` name the ``url`` as
    the serializer's context does.
    """

    def texts(record: dict[str, Any], prefix: str) -> dict[str, str]:
        return {
            language: record[f"{prefix}{suffix}"] or "" for language, suffix in SUFFIXES.items()
        }

    if release is not None:
        concept_url = links(lambda uid: absolute(request, "release-concept", release.name, uid))
    else:
        concept_url = links(lambda uid: absolute(request, "concept", uid))
    permalinks = links(lambda uid: permalink(request, uid))

    def url(uid: str, number: int) -> str:
        if history and release is None:
            return absolute(request, "concept-version", uid, number)
        return concept_url(uid)

    payloads = []
    for record in records:
        uid = record["concept__uid"]
        converted = record["machine_converted_fields"] or []
        payloads.append(
            {
                "uid": uid,
                "url": url(uid, record["number"]),
                "permalink": permalinks(uid),
                "version": record["number"],
                "state": record["state"],
                "published_at": _PUBLISHED_AT.to_representation(record["published_at"]),
                "retired": bool(record["retirement_reason"].strip()),
                "retirement_reason": record["retirement_reason"],
                "terms": [
                    {
                        "language": term["language"],
                        "text": term["text"],
                        "status": term["status"],
                        "term_type": term["term_type"],
                        "part_of_speech": term["part_of_speech"],
                        "geographic_usage": term["geographic_usage"],
                        "context": term["context"],
                        "note": term["note"],
                        "source": term["source__key"],
                        "machine_converted": term["machine_converted"],
                        "in_sense_only": term["in_sense_only"],
                    }
                    for term in record["terms"]
                ],
                "definition": texts(record, "definition_"),
                "us_usage": texts(record, "us_usage_"),
                "cn_usage": texts(record, "cn_usage_"),
                "agreement": record["agreement"],
                "agreement_note": texts(record, "agreement_note_"),
                "note": texts(record, "note_"),
                "machine_converted": [
                    name for name in TEXT_FIELDS if f"{name}_{ZH_HANT}" in converted
                ],
                "maturity": record["maturity"],
                "first_attested": record["first_attested"],
                "domains": [
                    {"key": domain["domain__key"], "name": texts(domain, "domain__name_")}
                    for domain in record["domains"]
                ],
                "sources": [
                    {
                        "source": citation["source__key"],
                        "title": citation["source__title"],
                        "publisher": citation["source__publisher"],
                        "jurisdiction": citation["source__jurisdiction"],
                        "date": _date(citation["source__published_on"]),
                        "url": citation["source__url"],
                        "locator": citation["locator"],
                        "quote": citation["quote"],
                        "quote_language": citation["quote_language"],
                    }
                    for citation in record["citations"]
                ],
                "relations": [
                    {"kind": relation["kind"], "target": relation["target__uid"]}
                    for relation in record["relations"]
                ],
                "renderings": [
                    {
                        "authority": rendering["authority__key"],
                        "authority_name": texts(rendering, "authority__name_"),
                        "authority_kind": rendering["authority__kind"],
                        "jurisdiction": rendering["authority__jurisdiction"],
                        "terms": texts(rendering, "term_"),
                        "status": rendering["status"],
                        "definition": rendering["definition"],
                        "definition_language": rendering["definition_language"],
                        "locator": rendering["locator"],
                        "date": rendering["date"],
                    }
                    for rendering in record["renderings"]
                ],
            }
        )
    return payloads


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None
