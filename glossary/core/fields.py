"""The translated text fields of a concept version: the one list, and their column names."""

from glossary.core.choices import FIELD_SUFFIX, Language

#: Translated text fields of a version, in the order the admin, the diff and the files show them.
TEXT_FIELDS = ("definition", "us_usage", "cn_usage", "agreement_note", "note")


def translated_field_names() -> list[str]:
    """definition_en, definition_zh_hans, ... for every translated field of a version."""
    return [f"{name}_{suffix}" for name in TEXT_FIELDS for suffix in FIELD_SUFFIX.values()]


def traditional_field_names() -> list[str]:
    """definition_zh_hant, ...: the translated fields that can hold a machine-converted text."""
    return [f"{name}_{FIELD_SUFFIX[Language.ZH_HANT]}" for name in TEXT_FIELDS]
