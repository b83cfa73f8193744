"""The TBX data categories the glossary uses, in both directions.

Data categories used (TBX-Basic Version 4 picklists):

* concept: ``descrip type="subjectField"`` per domain (its ``target`` names the domain in the back
  matter), ``ref type="crossReference"`` per relation, ``transacGrp`` per history event
  (transactionType ``creation`` / ``modification``, ``date``, ``transacNote type="responsibility"``);
* language: ``descrip type="definition"`` (in a ``descripGrp`` with ``admin type="source"`` when
  the concept cites sources);
* term: ``termNote`` termType, partOfSpeech, usageStatus (preferred, admitted, deprecated; a
  superseded term is ``deprecated`` plus the note ``status: superseded``), geographicalUsage;
  ``descrip type="context"``; ``admin type="source"``; ``note``.

What TBX-Basic has no category for travels in ``note`` elements whose text starts with a key,
a colon and a space (see ``NOTE_KEYS`` and docs/exchange.md): ``agreement: partly_agreed``,
``usUsage: …``. A plain note that happens to start like that is written as ``note: …`` so that
reading it back is unambiguous. Sources and domains are described once, in the back matter
(``refObjectSec``), and referred to by ``target``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from glossary.core.choices import (
    TermStatus,
)
from glossary.exchange.records import (
    LANGUAGES,
    CitationRecord,
    RenderingRecord,
    text_key,
)

NS = "urn:iso:std:iso:30042:ed-2"


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


#: Where the schemas a TBX v3 file validates against are published (the file's xml-model lines).
CORE_RNG_URL = "https://standards.iso.org/iso/tr/24633/-2/ed-1/en/core_schema.rng"
BASIC_SCH_URL = "jar:https://www.terminorgs.net/downloads/TBX-Basic-V4-files.zip!/basic_schema.sch"
SCHEMA_PIS = (
    # The ISO/TR 24633-2 core structure (RELAX NG), where ISO publishes it.
    f'href="{CORE_RNG_URL}" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"',
    # The TBX-Basic Version 4 rules (TerminOrgs), inside the archive TerminOrgs publishes.
    f'href="{BASIC_SCH_URL}" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"',
)


#: Keys of the notes that carry what TBX-Basic has no data category for.
NOTE_KEYS = (
    "agreement",
    "maturity",
    "firstAttested",
    "retired",
    "citation",
    "usUsage",
    "cnUsage",
    "agreementNote",
    "machineConverted",
    "inSenseOnly",
    "status",
    "authorityRendering",
    "note",
)


KEYED_NOTE = re.compile(r"^(" + "|".join(NOTE_KEYS) + r"): (.*)\Z", re.S)


#: Translated fields carried as keyed language-level notes (the definition has its own category).
LANGUAGE_NOTES = {"us_usage": "usUsage", "cn_usage": "cnUsage", "agreement_note": "agreementNote"}


#: TBX 2008 administrativeStatus values and our term statuses.
ADMIN_STATUS: dict[str, str] = {
    TermStatus.PREFERRED: "preferredTerm-admn-sts",
    TermStatus.ADMITTED: "admittedTerm-admn-sts",
    TermStatus.DEPRECATED: "deprecatedTerm-admn-sts",
    TermStatus.SUPERSEDED: "supersededTerm-admn-sts",
}


USAGE_STATUS: dict[str, str] = {
    TermStatus.PREFERRED: "preferred",
    TermStatus.ADMITTED: "admitted",
    TermStatus.DEPRECATED: "deprecated",
    TermStatus.SUPERSEDED: "deprecated",
}


def concept_id(uid: str) -> str:
    """The XML id of a concept: its uid, with ``_`` before a uid that starts with a digit."""
    return f"_{uid}" if uid[:1].isdigit() else uid


def uid_from_id(value: str) -> str:
    value = (value or "").strip()
    return value[1:] if value.startswith("_") and value[1:2].isdigit() else value


def source_id(key: str) -> str:
    return f"src.{key}"


def domain_id(key: str) -> str:
    return f"dom.{key}"


def plain_note(text: str) -> str:
    """A free note, written so that it cannot be taken for a keyed one."""
    return f"note: {text}" if KEYED_NOTE.match(text) else text


#: ``json.dumps`` with options builds an encoder per call; one made once writes the same.
_CITATION_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def citation_note(citation: CitationRecord) -> str:
    payload = {"source": citation.source}
    if citation.locator:
        payload["locator"] = citation.locator
    if citation.quote:
        payload["quote"] = citation.quote
    if citation.quote_language:
        payload["quoteLanguage"] = citation.quote_language
    return "citation: " + _CITATION_JSON.encode(payload)


def citation_label(citation: CitationRecord) -> str:
    title = citation.source_title or citation.source
    return f"{title}, {citation.locator}" if citation.locator else title


#: Characters XML 1.0 does not allow (control characters have no place in a glossary).
_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"


_INVALID_XML_CHARS = re.compile(f"[{_FORBIDDEN}]")


_TEXT_SPECIAL = re.compile(f"[&<>\r{_FORBIDDEN}]")


_ATTRIBUTE_SPECIAL = re.compile(f'[&<>"\t\n\r{_FORBIDDEN}]')


_DROP = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


# A CR is written as a reference, or a parser would read it back as a line feed.
_TEXT_ESCAPES = {**_DROP, ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}


# In an attribute every whitespace character but the space is a reference: a parser would
# normalise it to a space.
_ATTRIBUTE_ESCAPES = {
    **_TEXT_ESCAPES,
    ord('"'): "&quot;",
    ord("\t"): "&#9;",
    ord("\n"): "&#10;",
}


def xml_text(value: str) -> str:
    """Text XML 1.0 can hold (control characters have no place in a glossary)."""
    return _INVALID_XML_CHARS.sub("", value)


def escape_text(value: str) -> str:
    """Character data as lxml writes it, without the characters XML does not allow."""
    if _TEXT_SPECIAL.search(value) is None:
        return value
    return value.translate(_TEXT_ESCAPES)


def escape_attribute(value: str) -> str:
    """An attribute value as lxml writes it between double quotes (without forbidden ones)."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    return value.translate(_ATTRIBUTE_ESCAPES)


def text_element(tag: str, text: str, attributes: str = "") -> str:
    """An element that holds text; ``<tag/>`` without text, as the trees left it empty."""
    if not text:
        return f"<{tag}{attributes}/>"
    return f"<{tag}{attributes}>{escape_text(text)}</{tag}>"


def text_attribute(name: str, value: str) -> str:
    """`` name="value"``; nothing for an empty value (the trees left those attributes out)."""
    return f' {name}="{escape_attribute(value)}"' if value else ""


#: Line breaks and indentation by depth: the body's entries are at depth 3.
INDENT_AT = tuple("\n" + "  " * depth for depth in range(8))


TYPE_DEFINITION = ' type="definition"'


TYPE_SOURCE = ' type="source"'


@dataclass
class Layout:
    """Element names and picklists of one TBX layout (TBX v3, or the 2008 martif)."""

    ns: str
    entry: str
    language: str
    term_section: str
    transaction_creation: str
    status_type: str
    status_values: dict[str, str]

    def tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    @property
    def nsmap(self) -> dict | None:
        return {None: self.ns} if self.ns else None

    @property
    def xmlns(self) -> str:
        """The namespace declaration each entry repeats (as an element serialised alone does)."""
        return f' xmlns="{self.ns}"' if self.ns else ""


V3 = Layout(
    ns=NS,
    entry="conceptEntry",
    language="langSec",
    term_section="termSec",
    transaction_creation="creation",
    status_type="usageStatus",
    status_values=USAGE_STATUS,
)


#: Per language, the keys (``text_key``) of its definition; of the texts written as keyed notes,
#: with their note keys; of its free note; and of every text, with its name for machineConverted.
LANGUAGE_TEXTS = {
    language: (
        text_key("definition", language),
        tuple((key, text_key(name, language)) for name, key in LANGUAGE_NOTES.items()),
        text_key("note", language),
        tuple((name, text_key(name, language)) for name in ("definition", *LANGUAGE_NOTES, "note")),
    )
    for language in LANGUAGES
}


def rendering_note(rendering: RenderingRecord) -> str:
    """An authority's rendering as a keyed concept-level note: TBX-Basic has no data category
    for it, so the note holds it as JSON (one object), which a reader of ours reads back and any
    other tool shows as a note naming the authority."""
    value = {
        "authority": rendering.authority,
        "authorityName": rendering.authority_names,
        "authorityKind": rendering.authority_kind,
        "jurisdiction": rendering.jurisdiction,
        "status": rendering.status,
        "terms": {language: text for language, text in rendering.terms.items() if text},
        "definition": rendering.definition,
        "definitionLanguage": rendering.definition_language,
        "locator": rendering.locator,
        "date": rendering.date,
    }
    return "authorityRendering: " + json.dumps(
        {key: item for key, item in value.items() if item}, ensure_ascii=False, sort_keys=False
    )
