"""The one list of translated fields (django-modeltranslation), in en, zh-hans and zh-hant."""

from modeltranslation.translator import TranslationOptions, register

from glossary.core.choices import FIELD_SUFFIX, Language
from glossary.core.models import ConceptVersion, Domain

#: Translated fields of a version, in the order the admin and the diff show them.
VERSION_FIELDS = ("definition", "us_usage", "cn_usage", "agreement_note", "note")


def translated_field_names() -> list[str]:
    """definition_en, definition_zh_hans, ... for every translated field of a version."""
    return [f"{name}_{suffix}" for name in VERSION_FIELDS for suffix in FIELD_SUFFIX.values()]


def traditional_field_names() -> list[str]:
    """definition_zh_hant, ...: the translated fields that can hold a machine-converted text."""
    return [f"{name}_{FIELD_SUFFIX[Language.ZH_HANT]}" for name in VERSION_FIELDS]


@register(ConceptVersion)
class ConceptVersionTranslation(TranslationOptions):
    fields = VERSION_FIELDS


@register(Domain)
class DomainTranslation(TranslationOptions):
    fields = ("name",)
