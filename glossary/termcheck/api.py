"""POST /api/v1/check/: check a text and its translation against the published glossary.

Anonymous clients may use it (throttled like every public endpoint). The input is validated by
``CheckInputSerializer``; texts longer than ``glossary.termcheck.engine.MAX_TEXT_LENGTH`` characters are
refused with 413 ``too_large`` before any work is done. A language left out is read from the
text's script; a language given for a text plainly in another script is refused with 400
``language_mismatch``. The answer has one finding per glossary concept found in the source, and
the occurrences of those concepts in both texts, each listed once with character offsets
(Unicode code points): findings name their occurrences by position, so the answer grows with the
texts and never with the product of their occurrences.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from glossary.api.errors import ApiError
from glossary.api.serializers import ErrorSerializer, LanguageTextsSerializer, OutputSerializer
from glossary.api.views import PUBLIC, ApiView
from glossary.core.choices import RenderingStatus
from glossary.language.codes import LANGUAGES
from glossary.termcheck import authorities, engine, service

LANGUAGE_CHOICES = [(code, code) for code in LANGUAGES]
#: A request body larger than this is refused before it is parsed: two texts at the limit, each
#: character escaped as \\uXXXX (6 bytes), plus room for the rest of the JSON.
MAX_BODY_BYTES = 2 * engine.MAX_TEXT_LENGTH * 6 + 4096


def too_large_message() -> str:
    return _("A text may be at most %(limit)s characters long; split it and check the parts.") % {
        "limit": f"{engine.MAX_TEXT_LENGTH:,}"
    }


def markup_message(error: engine.MarkupError) -> str:
    """What to tell a client whose text is not what its format says (the parser's reason kept)."""
    return _("The text is not in the format given: %(reason)s") % {"reason": str(error)}


class TextField(serializers.CharField):
    """A string, and only a string: a number or a list is an error, not silently converted."""

    default_error_messages = {"invalid": gettext_lazy("Give the text as a string.")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CheckInputSerializer(serializers.Serializer):
    source = TextField(  # type: ignore[assignment]  # stubs: clashes with Field.source
        trim_whitespace=False,
        help_text=gettext_lazy("The text to check (the original, or the only text)."),
        error_messages={"blank": gettext_lazy("Give the text to check.")},
    )
    target = TextField(
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
        help_text=gettext_lazy(
            "Its translation. Without it, the source alone is checked for deprecated and "
            "superseded terms."
        ),
    )
    source_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "The source's language: en, zh-Hans or zh-Hant. Left out, it is read from the "
            "text's script (English for a text without letters)."
        ),
    )
    target_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "The target's language. Left out, it is read from the target's script (for a text "
            "without letters: zh-Hans for an English source, en otherwise)."
        ),
    )

    markup = serializers.ChoiceField(
        choices=[(markup, markup) for markup in engine.MARKUPS],
        default="plain",
        help_text=gettext_lazy(
            "What both texts are written in: plain (the default), markdown, html, or xliff (an "
            "XLIFF segment's content with its inline codes). Markup is left out of the check, "
            "and offsets point into the texts as sent."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        target = attrs.get("target") or ""
        if not target.strip():
            attrs["target"] = None
        markup = attrs.get("markup") or "plain"
        texts: dict[str, str | None] = {}
        for role in ("source", "target"):
            text = attrs[role]
            try:
                texts[role] = engine.extract(text, markup).text if text is not None else None
            except engine.MarkupError as error:
                raise serializers.ValidationError({role: [markup_message(error)]}) from error
        source_language, target_language = engine.resolve_languages(
            texts["source"] or "",
            attrs.get("source_language"),
            texts["target"],
            attrs.get("target_language"),
        )
        attrs["source_language"] = source_language
        attrs["target_language"] = target_language
        if attrs["target"] is not None and attrs["target_language"] == source_language:
            raise serializers.ValidationError(
                {"target_language": [_("The target must be in another language than the source.")]}
            )
        return attrs


class OccurrenceSerializer(OutputSerializer):
    """A place where a glossary term occurs in a text, and which term of which concept it is."""

    start = serializers.IntegerField(help_text="First character (code point) of the match.")
    end = serializers.IntegerField(help_text="One past its last character.")
    text = serializers.CharField(help_text="The matched text, as written.")
    concept = serializers.CharField(help_text="The identifier of the concept whose term it is.")
    term = serializers.CharField(help_text="The glossary term it matched.")
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, help_text="The term's language.")
    status = serializers.CharField(
        help_text="The term's status: preferred, admitted, deprecated or superseded."
    )
    match = serializers.ChoiceField(
        choices=[("exact", "exact"), ("folded", "folded")],
        help_text="exact, or folded (matched after folding Traditional to Simplified).",
    )
    replacement = serializers.CharField(
        allow_null=True,
        help_text="For a deprecated or superseded term: the preferred term to use instead.",
    )


class OccurrencesSerializer(OutputSerializer):
    """The occurrences of the findings' concepts in each text; each is listed once."""

    source = OccurrenceSerializer(  # type: ignore[assignment]  # stubs: clashes with Field.source
        many=True,
        help_text="Every occurrence of a finding's concept in the source, once, in text order.",
    )
    target = OccurrenceSerializer(
        many=True,
        help_text=(
            "Every occurrence in the target of a concept found in the source, once, in text "
            "order (empty for a single text)."
        ),
    )


class AuthorityMentionSerializer(OutputSerializer):
    """An authority whose rendering of the concept is the term the translation uses (issue 18)."""

    leading = ("key", "name", "status", "term")

    key = serializers.CharField(help_text="The authority's key.")
    name = LanguageTextsSerializer(help_text="The authority's name in each language.")
    status = serializers.ChoiceField(
        choices=RenderingStatus.choices,
        help_text="What the authority did with the term: promulgated, recommended, standardised "
        "or used.",
    )
    term = serializers.CharField(help_text="The glossary term the translation uses.")


class FindingSerializer(OutputSerializer):
    """A concept found in the source, what the target uses for it, and where (by position)."""

    concept = serializers.CharField(help_text="The concept's identifier.")
    verdict = serializers.ChoiceField(
        choices=[(v, v) for v in engine.VERDICTS],
        help_text=(
            "What the target uses for the concept: preferred, admitted, deprecated or superseded "
            "(the term's status), missing (none of its terms), or retired (the concept was "
            "retired). For a single text: the source term's status."
        ),
    )
    expected = serializers.CharField(
        allow_null=True, help_text="The preferred term in the target language."
    )
    replacement = serializers.CharField(
        allow_null=True,
        help_text="For a deprecated or superseded verdict: the preferred term to use instead.",
    )
    source = serializers.ListField(  # type: ignore[assignment]  # stubs: clashes with Field.source
        child=serializers.IntegerField(min_value=0),
        help_text="Where the concept occurs in the source: positions in `occurrences.source`.",
    )
    target = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        help_text="Where its terms occur in the target: positions in `occurrences.target`.",
    )
    authorities = AuthorityMentionSerializer(
        many=True,
        help_text=(
            "For a target term the glossary does not prefer (admitted, deprecated, superseded): "
            'the authorities whose rendering of the concept it is ("admitted; recommended by '
            '…"), in the order the concept lists them; empty otherwise.'
        ),
    )


class SummarySerializer(OutputSerializer):
    """How many findings have each verdict, how many to fix, and the occurrences in each text."""

    preferred = serializers.IntegerField()
    admitted = serializers.IntegerField()
    deprecated = serializers.IntegerField()
    superseded = serializers.IntegerField()
    missing = serializers.IntegerField()
    retired = serializers.IntegerField()
    problems = serializers.IntegerField(
        help_text="Findings with a deprecated, superseded or missing term (in either text)."
    )
    source_occurrences = serializers.IntegerField(
        help_text="How many occurrences `occurrences.source` lists."
    )
    target_occurrences = serializers.IntegerField(
        help_text="How many occurrences `occurrences.target` lists."
    )


class CheckResultSerializer(OutputSerializer):
    """The shape of ``CheckResult.as_dict()``, which the view sends (for the schema)."""

    leading = (
        "source_language",
        "target_language",
        "glossary",
        "summary",
        "findings",
        "occurrences",
    )

    source_language = serializers.CharField()
    target_language = serializers.CharField(
        allow_null=True, help_text="null when a single text was checked."
    )
    glossary = serializers.CharField(
        help_text="Which state of the published glossary was used; changes with each publication."
    )
    summary = SummarySerializer(help_text="How many findings have each verdict.")
    findings = FindingSerializer(
        many=True,
        help_text=(
            "One per concept found in the source (for a single text: per concept and status), "
            "in the order of its first occurrence."
        ),
    )
    occurrences = OccurrencesSerializer(
        help_text="The occurrences the findings name by position; each is listed once."
    )


class CheckView(ApiView):
    """Check a text and its translation against the published glossary."""

    serializer_class = CheckInputSerializer  # what POST takes (described by OPTIONS)

    @extend_schema(
        tags=[PUBLIC],
        summary="Check a translation against the glossary",
        description=(
            "Finds every published concept whose term occurs in `source` (longest match first; "
            "English on word boundaries with plurals and hyphen variants, outside code spans; "
            "Chinese by jieba segmentation with the glossary as user dictionary) and reports, for "
            "each occurrence, the preferred target term and whether `target` uses it, an "
            "admitted term, a deprecated or superseded one (with the term to use instead), or "
            "none (`missing`); a target term the glossary does not prefer names the authorities "
            "whose rendering of the concept it is (`authorities`). Without `target`, reports the "
            "deprecated and superseded terms of "
            "`source`. There is one finding per concept found in the source (for a single text: "
            "per concept and status); `occurrences.source` and `occurrences.target` list every "
            "place those concepts occur, once each, and a finding's `source` and `target` are "
            "positions in those lists. "
            "With `markup` (markdown, html or xliff) the markup is left out of the check "
            "(emphasis, tags, entities and inline codes; code is never checked) and every offset "
            "still points into the text as sent. "
            "Offsets are `[start, end)` in Unicode code points. Each text may be at "
            f"most {engine.MAX_TEXT_LENGTH:,} characters long. A language left out is read from "
            "the text's script (Chinese characters: zh-Hant when folding to Simplified changes "
            "the text, zh-Hans otherwise; Latin letters: en); a language given for a text plainly "
            "in another script (Chinese given as en, a text without Chinese characters given as "
            "zh-Hans or zh-Hant) is refused with 400 `language_mismatch`."
        ),
        request=CheckInputSerializer,
        responses={
            200: CheckResultSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "invalid: invalid input, `errors` says why; language_mismatch: a text is "
                    "plainly not in the language given for it."
                ),
            ),
            413: OpenApiResponse(ErrorSerializer, description="too_large: a text is too long."),
            429: OpenApiResponse(ErrorSerializer, description="Too many requests."),
        },
        examples=[
            OpenApiExample(
                "English to Simplified Chinese",
                request_only=True,
                value={
                    "source": "Generative AI models are neural networks.",
                    "target": "生成式人工智能模型是神经网络。",
                    "source_language": "en",
                    "target_language": "zh-Hans",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            raise ApiError(
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "too_large", too_large_message()
            )
        data = CheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        texts = [params["source"], params["target"] or ""]
        if any(len(text) > engine.MAX_TEXT_LENGTH for text in texts):
            raise ApiError(
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "too_large", too_large_message()
            )
        try:
            result = service.check(
                params["source"],
                params["source_language"],
                params["target"],
                params["target_language"],
                markup=params["markup"],
            )
        except engine.LanguageMismatch as exc:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST, "language_mismatch", service.mismatch_message(exc)
            ) from exc
        payload = authorities.result_payload(result, authorities.of_result(result))
        return Response(self.render(CheckResultSerializer, payload))


check = CheckView.as_view()
