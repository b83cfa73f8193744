"""The editorial workflow: drafts as read and written, reviews and the actions' input."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from glossary.api.serializers.base import (
    READ_ONLY_ECHO,
    TEXT_FIELD_CHOICES,
    ZH_HANT,
    KeyRelatedField,
    LanguageTextsInputSerializer,
    OutputSerializer,
    StrictInputSerializer,
    absolute,
    draft_etag,
)
from glossary.api.serializers.concepts import VersionContentSerializer
from glossary.core.choices import (
    FIELD_SUFFIX,
    Agreement,
    Language,
    Maturity,
    PartOfSpeech,
    Region,
    RelationKind,
    RenderingStatus,
    ReviewDecision,
    Side,
    TermStatus,
    TermType,
)
from glossary.core.fields import TEXT_FIELDS
from glossary.core.models import (
    Authority,
    Concept,
    ConceptVersion,
    DialogueRound,
    Domain,
    Source,
)
from glossary.core.services import (
    CitationData,
    DraftData,
    RelationData,
    RenderingData,
    TermData,
)
from glossary.core.validators import validate_identifier, validate_term


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
    in_sense_only = serializers.BooleanField(
        default=False,
        help_text=_(
            "True for a term that is also an everyday word (标记 beside token): the term check "
            "then reports it only where its concept is meant."
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


class RenderingInputSerializer(StrictInputSerializer):
    echo = frozenset({"authority_name", "authority_kind", "jurisdiction"})  # the authority's own

    authority = KeyRelatedField(
        slug_field="key",
        queryset=Authority.objects.all(),
        help_text=_("Key of an existing authority."),
        error_messages={"does_not_exist": _("There is no authority with the key “{value}”.")},
    )
    terms = LanguageTextsInputSerializer(
        help_text=_("The term the authority uses in each language (at least one).")
    )
    status = serializers.ChoiceField(
        choices=RenderingStatus.choices,
        help_text=_("promulgated, recommended, standardised or used."),
    )
    definition = serializers.CharField(
        allow_blank=True, default="", help_text=_("The authority's definition, quoted.")
    )
    definition_language = serializers.ChoiceField(
        choices=Language.choices,
        allow_blank=True,
        default="",
        help_text=_("Language of the quoted definition (BCP 47); empty without one."),
    )
    locator = serializers.CharField(
        max_length=200, allow_blank=True, default="", help_text=_("Entry, article or page.")
    )
    date = serializers.CharField(
        max_length=10, allow_blank=True, default="", help_text=_("YYYY, YYYY-MM or YYYY-MM-DD.")
    )

    @staticmethod
    def rendering_data(data: dict) -> RenderingData:
        terms = data.get("terms") or {}
        return RenderingData(
            authority=data["authority"],
            status=data["status"],
            **{
                f"term_{suffix}": terms.get(language, "")
                for language, suffix in FIELD_SUFFIX.items()
            },
            definition=data.get("definition", ""),
            definition_language=data.get("definition_language", ""),
            locator=data.get("locator", ""),
            date=data.get("date", ""),
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
        help_text=_(
            "agreed, partly_agreed or divergent (default not_assessed: a version is submitted "
            "only once it is assessed)."
        ),
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
        help_text=_(
            "provisional or established (default not_assessed: a version is submitted only "
            "once it is assessed)."
        ),
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
    renderings = RenderingInputSerializer(
        many=True, required=False, help_text=_("What authorities call the concept, in order.")
    )

    def draft_data(self) -> DraftData:
        """The validated content as the service layer's ``DraftData``."""
        data = self.validated_data
        texts = {}
        for name in TEXT_FIELDS:
            values = data.get(name) or {}
            for language, suffix in FIELD_SUFFIX.items():
                texts[f"{name}_{suffix}"] = values.get(language, "")
        return DraftData(
            texts=texts,
            agreement=data.get("agreement") or Agreement.NOT_ASSESSED,
            maturity=data.get("maturity") or Maturity.NOT_ASSESSED,
            first_attested=data.get("first_attested", ""),
            domains=list(data.get("domains", [])),
            terms=[TermData(**term) for term in data.get("terms", [])],
            citations=[CitationData(**citation) for citation in data.get("sources", [])],
            relations=[RelationData(**relation) for relation in data.get("relations", [])],
            renderings=[
                RenderingInputSerializer.rendering_data(rendering)
                for rendering in data.get("renderings", [])
            ],
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


class SubmitInputSerializer(StrictInputSerializer):
    change_note = serializers.CharField(
        allow_blank=True,
        default="",
        help_text=_(
            "Why this version: what it changes and why. Reviewers read it first; it is kept in "
            "the concept's history as the submission's comment."
        ),
    )
    comment = serializers.CharField(
        allow_blank=True,
        default="",
        help_text=_("The change note's earlier name; used when change_note is not given."),
    )

    def validate(self, attrs: dict) -> dict:
        note, comment = attrs["change_note"].strip(), attrs["comment"].strip()
        if note and comment and note != comment:
            raise serializers.ValidationError(
                {"comment": [_("Give the change note once, as change_note.")]}
            )
        return {"change_note": note or comment}


class ReviewInputSerializer(StrictInputSerializer):
    decision = serializers.ChoiceField(
        choices=ReviewDecision.choices, help_text=_("approve or request_changes.")
    )
    comment = serializers.CharField(
        allow_blank=True,
        default="",
        help_text=_("Required when requesting changes; kept on the record."),
    )
    # Decision records (issue 17): the round of the dialogue an approval cites.
    dialogue_round = serializers.SlugRelatedField(
        slug_field="key",
        queryset=DialogueRound.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "With an approval: the identifier of the dialogue round where the agreement was "
            "reached (see /<lang>/rounds/)."
        ),
    )


class RetireInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(
        help_text=_("Why the concept is retired; shown on its permalink once approved.")
    )
