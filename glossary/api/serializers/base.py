"""What every resource's serializers share: links, language texts, strict input, the error shape."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from glossary.core.choices import (
    FIELD_SUFFIX,
    Language,
)
from glossary.core.fields import TEXT_FIELDS
from glossary.core.models import ConceptVersion

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


def links(link: Callable[[str], str]) -> Callable[[str], str]:
    """``link(uid)`` for the many concepts of a page, the route reversed once: ``link`` is
    called with a marker in place of the identifier, which is a slug that a URL never escapes
    and the route's last argument (``lambda uid: absolute(request, "concept", uid)``)."""
    marker = "uid0marker"
    head, tail = link(marker).rsplit(marker, 1)
    return lambda uid: f"{head}{uid}{tail}"


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
            language: getattr(instance, f"{self.translated}_{suffix}") or ""
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


class ErrorSerializer(serializers.Serializer):
    """Every error: a stable code for programs and a message for people.

    Not an ``OutputSerializer``: its last two fields are sent only with some errors, so the
    schema must not call them required (a generated client would fail on every other error).
    """

    code = serializers.CharField(
        help_text=_(
            "Stable, untranslated error code, for example not_found, invalid, "
            "permission_denied, wrong_state, stale_edit."
        )
    )
    detail = serializers.CharField(help_text=_("What went wrong, in the request's language."))
    errors = serializers.DictField(
        required=False,
        help_text=_(
            "Only for invalid input (code invalid): the messages per field (nested for lists)."
        ),
    )
    formats = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("Only for unknown_format: the export formats there are."),
    )
