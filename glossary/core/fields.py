"""The fields of a concept version and of its terms: the one list of each, and their column names."""

from dataclasses import dataclass, fields

from glossary.core.choices import FIELD_SUFFIX, Language, PartOfSpeech, TermStatus, TermType

#: Translated text fields of a version, in the order the admin, the diff and the files show them.
TEXT_FIELDS = ("definition", "us_usage", "cn_usage", "agreement_note", "note")


def translated_field_names() -> list[str]:
    """definition_en, definition_zh_hans, ... for every translated field of a version."""
    return [f"{name}_{suffix}" for name in TEXT_FIELDS for suffix in FIELD_SUFFIX.values()]


def traditional_field_names() -> list[str]:
    """definition_zh_hant, ...: the translated fields that can hold a machine-converted text."""
    return [f"{name}_{FIELD_SUFFIX[Language.ZH_HANT]}" for name in TEXT_FIELDS]


@dataclass
class TermFields:
    """A term's own fields, in the order the admin, the files and the services list them.

    A draft's term (``services.TermData``) and an import file's (``exchange.records.TermRecord``)
    add the source each cites (a Source row, or its key in a file) and whether it is an
    unreviewed machine conversion.
    """

    language: str
    text: str
    status: str = TermStatus.ADMITTED
    term_type: str = TermType.FULL_FORM
    part_of_speech: str = PartOfSpeech.NOUN
    geographic_usage: str = ""
    context: str = ""
    note: str = ""
    #: An everyday word as well as a term: flagged only where its concept is meant.
    in_sense_only: bool = False


#: The names of a term's own fields (``TermFields``).
TERM_FIELDS = tuple(field.name for field in fields(TermFields))
#: A term's details beside its language, text and status.
TERM_DETAILS = TERM_FIELDS[3:]
