"""The fields of a concept version and of its terms: the one list of each, and their column names."""

from glossary.core.choices import FIELD_SUFFIX, Language

#: Translated text fields of a version, in the order the admin, the diff and the files show them.
TEXT_FIELDS = ("definition", "us_usage", "cn_usage", "agreement_note", "note")


def translated_field_names() -> list[str]:
    """definition_en, definition_zh_hans, ... for every translated field of a version."""
    return [f"{name}_{suffix}" for name in TEXT_FIELDS for suffix in FIELD_SUFFIX.values()]


def traditional_field_names() -> list[str]:
    """definition_zh_hant, ...: the translated fields that can hold a machine-converted text."""
    return [f"{name}_{FIELD_SUFFIX[Language.ZH_HANT]}" for name in TEXT_FIELDS]


#: A term's own fields, in the order the admin, the files and the services list them. Each term
#: also cites a source (a Source row, or its key in a file) and may be an unreviewed machine
#: conversion; those two are named where they are handled.
TERM_FIELDS = (
    "language",
    "text",
    "status",
    "term_type",
    "part_of_speech",
    "geographic_usage",
    "context",
    "note",
)
#: A term's details beside its language, text and status.
TERM_DETAILS = TERM_FIELDS[3:]
