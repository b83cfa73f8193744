"""The TBX 2008 file read by the rules Trados MultiTerm documents for bringing TBX in.

MultiTerm has no Linux build and no test copy here, so this is a reader written to what RWS and
the tools around MultiTerm document (docs/exchange.md, "Trados MultiTerm", names each source):

* MultiTerm imports MultiTerm XML only; a TBX file goes through MultiTerm Convert first, whose
  TBX option reads the file "in its native format" (RWS, "MultiTerm files" and "Prerequisites
  for file conversion"). The TBX it reads is the 2008 layout: ``martif``, ``termEntry``,
  ``langSet``, ``tig``/``ntig``.
* An entry has three levels, entry, index (one per termbase language) and term, with
  descriptive fields on each; Convert asks which field goes on which level ("Customizing entry
  structure"). An entry without a language holding a term cannot exist.
* A termbase language is a locale of the operating system ("language support … installed on
  operating system level"), named by language and country (``English (United States)``,
  ``Chinese (Taiwan)``): a code Convert cannot map to one is not an index.
* The entry number is a system field MultiTerm assigns: TBX ids that are not numbers are
  replaced (Glossary Converter, "TBX V2"), so a concept's id does not survive as its number.
* Picklist fields keep their values: ``administrativeStatus`` is the TBX-Basic picklist, so a
  deprecated term stays marked ``deprecatedTerm-admn-sts``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from lxml import etree

from glossary.core.choices import Language
from tests.exchange.glossaries import rich_glossary
from tests.exchange.test_exchange_cat import SAFE, export_bytes, published_terms

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The operating-system locales a termbase language can be, for the codes our files write.
#: MultiTerm names them by language and country; a script subtag names no country.
LOCALES = {
    "en": "English",
    "en-US": "English (United States)",
    "zh-CN": "Chinese (PRC)",
    "zh-TW": "Chinese (Taiwan)",
    "zh-HK": "Chinese (Hong Kong S.A.R.)",
    "zh-SG": "Chinese (Singapore)",
}
STATUS_PICKLIST = {
    "preferredTerm-admn-sts",
    "admittedTerm-admn-sts",
    "deprecatedTerm-admn-sts",
    "supersededTerm-admn-sts",
}


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    return rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)


class NotConverted(Exception):
    """What MultiTerm Convert would not turn into a termbase entry."""


@dataclass
class Entry:
    number: int
    fields: list[tuple[str, str]] = field(default_factory=list)
    #: index language → terms, each with its term-level fields
    indexes: dict[str, list[tuple[str, dict[str, str]]]] = field(default_factory=dict)


def _fields(element: etree._Element) -> list[tuple[str, str]]:
    """The descriptive fields of one level: its own descrip, admin, termNote, note, ref and
    xref children, and those of its groups (descripGrp), by type."""
    found = []
    for child in element:
        if child.tag in ("descrip", "admin", "termNote", "ref", "xref"):
            found.append((child.get("type", child.tag), (child.text or "").strip()))
        elif child.tag == "note":
            found.append(("note", (child.text or "").strip()))
        elif child.tag in ("descripGrp", "adminGrp"):
            found += _fields(child)
    return found


def convert(data: bytes) -> list[Entry]:
    """The entries MultiTerm Convert makes of a TBX file, by the rules above."""
    root = etree.parse(io.BytesIO(data), SAFE).getroot()
    if root.tag != "martif":
        raise NotConverted(f"not the TBX layout MultiTerm Convert reads: <{root.tag}>")
    entries = []
    for number, term_entry in enumerate(root.iter("termEntry"), start=1):
        entry = Entry(number=number, fields=_fields(term_entry))
        for lang_set in term_entry.iterfind("langSet"):
            code = lang_set.get(XML_LANG, "")
            language = LOCALES.get(code)
            if language is None:
                raise NotConverted(f"{code!r} is no termbase language")
            terms = []
            for tig in [*lang_set.iterfind("tig"), *lang_set.iterfind("ntig/termGrp")]:
                text = (tig.findtext("term") or "").strip()
                if not text:
                    raise NotConverted(f"entry {term_entry.get('id')}: a term group without a term")
                terms.append((text, dict(_fields(tig))))
            if not terms:
                raise NotConverted(f"entry {term_entry.get('id')}: {code} holds no term")
            entry.indexes.setdefault(language, []).extend(terms)
        if not entry.indexes:
            raise NotConverted(f"entry {term_entry.get('id')} holds no language with a term")
        entries.append(entry)
    return entries


def test_multiterm_convert_reads_the_region_coded_tbx_2008(glossary):
    both = convert(export_bytes("tbx2008", codes="cn-tw"))
    simplified = convert(export_bytes("tbx2008", chinese="zh-Hans", codes="cn-tw"))
    traditional = convert(export_bytes("tbx2008", chinese="zh-Hant", codes="cn-tw"))
    hong_kong = convert(export_bytes("tbx2008", chinese="zh-Hant", codes="cn-hk"))

    def languages(entries: list[Entry]) -> set[str]:
        return {language for entry in entries for language in entry.indexes}

    def terms(entries: list[Entry], language: str) -> set[str]:
        return {text for entry in entries for text, _ in entry.indexes.get(language, [])}

    assert languages(both) == {"English", "Chinese (PRC)", "Chinese (Taiwan)"}
    assert languages(simplified) == {"English", "Chinese (PRC)"}
    assert languages(traditional) == {"English", "Chinese (Taiwan)"}
    assert languages(hong_kong) == {"English", "Chinese (Hong Kong S.A.R.)"}
    assert terms(simplified, "Chinese (PRC)") == published_terms(Language.ZH_HANS)
    assert terms(traditional, "Chinese (Taiwan)") == published_terms(Language.ZH_HANT)
    assert terms(both, "English") == published_terms(Language.EN)
    # Entry numbers are MultiTerm's own, one per concept.
    assert [entry.number for entry in both] == list(range(1, len(both) + 1))
    # Every status is a value of the picklist, and the deprecated term stays forbidden.
    statuses = {
        text: notes["administrativeStatus"]
        for entry in both
        for index in entry.indexes.values()
        for text, notes in index
    }
    assert set(statuses.values()) <= STATUS_PICKLIST
    assert statuses["=generative(AI)"] == "deprecatedTerm-admn-sts"
    # Definitions and subject fields arrive as fields MultiTerm Convert can place on a level.
    assert any(name == "subjectField" for entry in both for name, _ in entry.fields)


@pytest.mark.parametrize(
    ("options", "refused"),
    [
        # The TBX v3 file: another layout, and script subtags that name no locale.
        ({"fmt": "tbx"}, "not the TBX layout"),
        ({"fmt": "tbx2008"}, "'zh-Hans' is no termbase language"),
        ({"fmt": "tbx2008", "chinese": "zh-Hans", "codes": "zh"}, "'zh' is no termbase language"),
    ],
)
def test_files_with_other_codes_are_not_what_multiterm_reads(glossary, options, refused):
    options = dict(options)
    fmt = options.pop("fmt")
    with pytest.raises(NotConverted, match=refused):
        convert(export_bytes(fmt, **options))
