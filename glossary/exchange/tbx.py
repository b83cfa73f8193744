"""TBX (ISO 30042:2019), dialect TBX-Basic, style DCA: the lossless exchange format.

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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from glossary.core.choices import (
    Agreement,
    Language,
    Maturity,
    PartOfSpeech,
    Region,
    RelationKind,
    TermStatus,
    TermType,
)
from glossary.core.models import uid_validator
from glossary.exchange.published import Export
from glossary.exchange.records import (
    GLOSSARY_TITLE,
    LANGUAGES,
    CitationRecord,
    ConceptRecord,
    DomainRecord,
    HistoryRecord,
    ImportEntry,
    ImportFile,
    RelationRecord,
    SourceRecord,
    TermRecord,
    clean_term,
    history_date,
    text_key,
)
from glossary.exchange.safety import ImportRefused, parse_xml
from glossary.language import shown_safely

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_PIS = (
    'href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    'TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"',
    'href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    'TBX-Basic_DCA.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"',
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
    "status",
    "note",
)
KEYED_NOTE = re.compile(r"^(" + "|".join(NOTE_KEYS) + r"): (.*)\Z", re.S)
#: Translated fields carried as keyed language-level notes (the definition has its own category).
LANGUAGE_NOTES = {"us_usage": "usUsage", "cn_usage": "cnUsage", "agreement_note": "agreementNote"}

#: TBX 2008 administrativeStatus values and our term statuses.
ADMIN_STATUS = {
    TermStatus.PREFERRED: "preferredTerm-admn-sts",
    TermStatus.ADMITTED: "admittedTerm-admn-sts",
    TermStatus.DEPRECATED: "deprecatedTerm-admn-sts",
    TermStatus.SUPERSEDED: "supersededTerm-admn-sts",
}
USAGE_STATUS = {
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


# Writing -------------------------------------------------------------------------------------
#
# The file is written as text. Building each entry as an lxml tree of some thirty elements,
# indenting and serialising it, cost more than reading the concept from the database, so the
# entries and the back matter are formatted directly, exactly as ``etree.indent`` (two spaces)
# and lxml's serialiser wrote them before: the files stay the same byte for byte (tested). Only
# the header, written once, is still an lxml tree.

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


def _element(tag: str, text: str, attributes: str = "") -> str:
    """An element that holds text; ``<tag/>`` without text, as the trees left it empty."""
    if not text:
        return f"<{tag}{attributes}/>"
    return f"<{tag}{attributes}>{escape_text(text)}</{tag}>"


def _attribute(name: str, value: str) -> str:
    """`` name="value"``; nothing for an empty value (the trees left those attributes out)."""
    return f' {name}="{escape_attribute(value)}"' if value else ""


#: Line breaks and indentation by depth: the body's entries are at depth 3.
_AT = tuple("\n" + "  " * depth for depth in range(8))
_TYPE_DEFINITION = ' type="definition"'
_TYPE_SOURCE = ' type="source"'


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
_LANGUAGE_TEXTS = {
    language: (
        text_key("definition", language),
        tuple((key, text_key(name, language)) for name, key in LANGUAGE_NOTES.items()),
        text_key("note", language),
        tuple((name, text_key(name, language)) for name in ("definition", *LANGUAGE_NOTES, "note")),
    )
    for language in LANGUAGES
}


# An entry is rendered as a list of text and placeholders for what can change without a new
# version; ``assemble`` fills them in. Stored for each published version (``TbxEntry``, as
# ``pack`` writes the list), it spares an export every read but a handful per batch.
# Placeholders are lists of strings:
#: ``["domain", key]``: a subject field's English name;
DOMAIN = "domain"
#: ``["source", key, locator]``: a source's title, then ", locator" if there is one;
SOURCE = "source"
#: ``["relations"]``: the cross-references to the concepts a reader of the file may know;
RELATIONS = "relations"
#: ``["history", text]``: the transactions, left out of a file made without history.
HISTORY = "history"

Part = str | list

# Stored, parts are separated by RS and a placeholder's strings by US: characters XML does not
# allow, so no text of an entry holds them (and none is lost: the writer drops them anyway).
_RS, _US = "\x1e", "\x1f"


def pack(parts: list[Part]) -> str:
    """An entry's parts as one string (``unpack`` reads it back)."""
    return _RS.join(
        part if isinstance(part, str) else _US + _US.join(xml_text(value) for value in part)
        for part in parts
    )


def unpack(packed: str) -> list[Part]:
    """The parts of a stored entry (see ``pack``)."""
    return [part[1:].split(_US) if part.startswith(_US) else part for part in packed.split(_RS)]


def entry_parts(record: ConceptRecord, layout: Layout, *, linked: bool | None = None) -> list[Part]:
    """One concept as a conceptEntry (v3) or termEntry (2008), indented for its place in the
    body, with placeholders for the names, cross-references and history (see ``assemble``).

    ``linked``: whether the version has relations at all, to any concept, public or not (the
    cross-references placeholder is left out of a stored entry without); by default, whether
    the record has any.
    """
    v2008 = not layout.ns
    at_entry, at_section, at_group = _AT[4], _AT[5], _AT[6]
    out: list[Part] = [
        f'<{layout.entry}{layout.xmlns} id="{escape_attribute(concept_id(record.uid))}">'
    ]
    add = out.append
    for key in record.domains:
        attributes = ' type="subjectField"' + _attribute("target", domain_id(key))
        add(f"{at_entry}<descrip{attributes}>")
        add([DOMAIN, key])
        add("</descrip>")
    if record.relations if linked is None else linked:
        add([RELATIONS])
    add(_state_notes(record.agreement, record.maturity))
    if record.first_attested:
        add(at_entry + _element("note", f"firstAttested: {record.first_attested}"))
    if record.retired:
        add(at_entry + _element("note", f"retired: {record.retirement_reason}"))
    if record.history:
        add([HISTORY, "".join(_transaction(event, layout) for event in record.history)])
    texts = record.texts
    converted_fields = record.machine_converted_fields
    terms_by_language: dict[str, list[TermRecord]] = {}
    for term in record.terms:
        terms_by_language.setdefault(term.language, []).append(term)
    citations_placed = False
    for language in LANGUAGES:
        definition_key, keyed_notes, note_key, convertible = _LANGUAGE_TEXTS[language]
        definition = texts.get(definition_key) or ""
        notes = [f"{key}: {texts[name]}" for key, name in keyed_notes if texts.get(name)]
        if texts.get(note_key):
            notes.append(plain_note(texts[note_key]))
        converted = converted_fields and [
            name for name, key in convertible if key in converted_fields and texts.get(key)
        ]
        terms = terms_by_language.get(language, [])
        if not (terms or definition or notes or converted):
            continue
        if v2008 and not terms:
            # A 2008 langSet must hold a term; this layout is the compatibility one.
            continue
        add(f'{at_entry}<{layout.language} xml:lang="{language}">')
        if definition:
            if record.citations and not citations_placed:
                add(f"{at_section}<descripGrp>")
                add(at_group + _element("descrip", definition, _TYPE_DEFINITION))
                for citation in record.citations:
                    attributes = _TYPE_SOURCE + _attribute("target", source_id(citation.source))
                    add(f"{at_group}<admin{attributes}>")
                    add([SOURCE, citation.source, citation.locator])
                    add("</admin>")
                    if not v2008:
                        add(at_group + _element("note", citation_note(citation)))
                add(f"{at_section}</descripGrp>")
                if v2008:
                    for citation in record.citations:
                        add(at_section + _element("note", citation_note(citation)))
                citations_placed = True
            else:
                add(at_section + _element("descrip", definition, _TYPE_DEFINITION))
        for note in notes:
            add(at_section + _element("note", note))
        if converted:
            add(at_section + _element("note", "machineConverted: " + ", ".join(converted)))
        for term in terms:
            out.extend(term_parts(term, layout))
        add(f"{at_entry}</{layout.language}>")
    if record.citations and not citations_placed:
        # No definition to attach the sources to: keep them as concept-level notes.
        for citation in record.citations:
            add(at_entry + _element("note", citation_note(citation)))
    add(f"{_AT[3]}</{layout.entry}>")
    return _joined(out)


def _joined(parts: list[Part]) -> list[Part]:
    """The parts with each run of text joined into one."""
    joined: list[Part] = []
    text: list[str] = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
            continue
        if text:
            joined.append("".join(text))
            text = []
        joined.append(part)
    if text:
        joined.append("".join(text))
    return joined


def _transaction(event: HistoryRecord, layout: Layout) -> str:
    at_entry, at_section = _AT[4], _AT[5]
    action = layout.transaction_creation if event.action == "creation" else "modification"
    return (
        f"{at_entry}<transacGrp>"
        + at_section
        + _element("transac", action, ' type="transactionType"')
        + at_section
        + _element("date", event.date)
        + at_section
        + _element("transacNote", event.responsibility, ' type="responsibility"')
        + f"{at_entry}</transacGrp>"
    )


@dataclass
class Names:
    """What placeholders name, as the file is written: subject fields and source titles."""

    domains: dict[str, dict[str, str]]
    sources: dict[str, str]


def assemble(
    parts: list[Part], names: Names, relations: list[RelationRecord], *, history: bool
) -> str:
    """An entry's text: its parts with each placeholder filled in."""
    out = []
    add = out.append
    for part in parts:
        if isinstance(part, str):
            add(part)
            continue
        kind = part[0]
        if kind == SOURCE:
            title = names.sources.get(part[1]) or part[1]
            add(escape_text(f"{title}, {part[2]}" if part[2] else title))
        elif kind == DOMAIN:
            add(escape_text((names.domains.get(part[1]) or {}).get(Language.EN) or part[1]))
        elif kind == RELATIONS:
            for relation in relations:
                target = concept_id(relation.target) if relation.in_file else ""
                attributes = ' type="crossReference"' + _attribute("target", target)
                add(_AT[4] + _element("ref", f"{relation.kind}: {relation.target}", attributes))
        elif kind == HISTORY:
            if history:
                add(part[1])
        else:
            raise ValueError(f"Unknown part of a TBX entry: {kind!r}")
    return "".join(out)


def entry_xml(
    record: ConceptRecord, layout: Layout, domain_names: dict[str, dict[str, str]]
) -> str:
    """One concept as a conceptEntry (v3) or termEntry (2008), from its record."""
    titles = {c.source: c.source_title for c in record.citations}
    titles.update((t.source, t.source_title) for t in record.terms if t.source)
    names = Names(domain_names, titles)
    return assemble(entry_parts(record, layout), names, record.relations, history=True)


def term_parts(term: TermRecord, layout: Layout) -> list[Part]:
    """One term as a termSec (v3) or tig (2008), indented for its place in the language section."""
    at_term, at_part = _AT[5], _AT[6]
    out: list[Part] = [
        f"{at_term}<{layout.term_section}>{at_part}",
        _element("term", term.text),
        _term_notes(
            term.term_type,
            term.part_of_speech,
            layout.status_type,
            layout.status_values[term.status],
        ),
    ]
    add = out.append
    if term.geographic_usage:
        add(at_part + _element("termNote", term.geographic_usage, ' type="geographicalUsage"'))
    if term.context:
        add(at_part + _element("descrip", term.context, ' type="context"'))
    if term.source:
        attributes = _TYPE_SOURCE + _attribute("target", source_id(term.source))
        add(f"{at_part}<admin{attributes}>")
        add([SOURCE, term.source, ""])
        add("</admin>")
    if term.status == TermStatus.SUPERSEDED and layout.ns:
        add(at_part + _element("note", "status: superseded"))
    if term.machine_converted:
        add(at_part + _element("note", "machineConverted: yes"))
    if term.note:
        add(at_part + _element("note", plain_note(term.note)))
    add(f"{at_term}</{layout.term_section}>")
    return out


# Picklist values come in a handful of combinations: each is formatted once.


@lru_cache(maxsize=256)
def _term_notes(term_type: str, part_of_speech: str, status_type: str, status: str) -> str:
    """The termNotes every term has: its type, part of speech and status."""
    at_part = _AT[6]
    return (
        at_part
        + _element("termNote", term_type, ' type="termType"')
        + at_part
        + _element("termNote", part_of_speech, ' type="partOfSpeech"')
        + at_part
        + _element("termNote", status, f' type="{status_type}"')
    )


@lru_cache(maxsize=256)
def _state_notes(agreement: str, maturity: str) -> str:
    """The notes every entry has: its agreement state and maturity."""
    at_entry = _AT[4]
    return (
        at_entry
        + _element("note", f"agreement: {agreement}")
        + at_entry
        + _element("note", f"maturity: {maturity}")
    )


def _header(export: Export, layout: Layout) -> str:
    """The file's header element, which says what the file was made from."""
    E = layout.tag
    header = etree.Element(E("tbxHeader") if layout.ns else "martifHeader", nsmap=layout.nsmap)
    file_desc = _sub(header, E("fileDesc"))
    if layout.ns:
        publication = _sub(file_desc, E("publicationStmt"))
        _sub(publication, E("p"), export.meta.describe())
    title = _sub(file_desc, E("titleStmt"))
    _sub(title, E("title"), GLOSSARY_TITLE)
    if not layout.ns:
        publication = _sub(file_desc, E("publicationStmt"))
        _sub(publication, E("p"), export.meta.describe())
    source_desc = _sub(file_desc, E("sourceDesc"))
    _sub(source_desc, E("p"), export.meta.describe())
    if not layout.ns:
        encoding = _sub(header, E("encodingDesc"))
        _sub(encoding, E("p"), "TBXBasicXCSV02.xcs", type="XCSURI")
    etree.indent(header, space="  ", level=1)
    return etree.tostring(header, encoding="unicode")


def _sub(parent: etree._Element, tag: str, text: str = "", **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attrib.items() if v})
    if text:
        element.text = xml_text(text)
    return element


def _source_xml(source: SourceRecord) -> str:
    at_object, at_item = _AT[4], _AT[5]
    items = [
        at_item + _element("item", getattr(source, name), f' type="{name}"')
        for name in ("title", "publisher", "jurisdiction", "url", "language")
        if getattr(source, name)
    ]
    if source.published_on:
        items.append(at_item + _element("item", source.published_on, ' type="date"'))
    start = f'{at_object}<refObject id="{escape_attribute(source_id(source.key))}"'
    return f"{start}>{''.join(items)}{at_object}</refObject>" if items else f"{start}/>"


def _domain_xml(domain: DomainRecord) -> str:
    at_object, at_item = _AT[4], _AT[5]
    items = "".join(
        at_item + _element("item", domain.names.get(language, ""), f' type="name-{language}"')
        for language in LANGUAGES
    )
    start = f'{at_object}<refObject id="{escape_attribute(domain_id(domain.key))}">'
    return f"{start}{items}{at_object}</refObject>"


def _back(export: Export, domain_keys: set[str], layout: Layout) -> Iterator[str]:
    """The back matter: the sources the entries cite and the subject fields they use."""
    section = "refObjectSec" if layout.ns else "refObjectList"
    sources = export.cited_sources()
    first_source = next(sources, None)
    domains = export.domains(domain_keys)
    if first_source is None and not domains:
        return
    yield f"{_AT[2]}<back{layout.xmlns}>"
    if first_source is not None:
        yield f'{_AT[3]}<{section} type="sources">'
        yield from _batched(map(_source_xml, _chain([first_source], sources)))
        yield f"{_AT[3]}</{section}>"
    if domains:
        yield f'{_AT[3]}<{section} type="domains">'
        yield from _batched(map(_domain_xml, domains))
        yield f"{_AT[3]}</{section}>"
    yield f"{_AT[2]}</back>"


#: Characters handed on at a time: few writes, and the file still streams.
CHUNK = 64 * 1024


def _batched(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces joined into chunks of about ``CHUNK`` characters."""
    parts: list[str] = []
    size = 0
    for piece in pieces:
        parts.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(parts)
            parts.clear()
            size = 0
    if parts:
        yield "".join(parts)


def stream(export: Export, layout: Layout = V3) -> Iterator[bytes]:
    """The TBX file, some dozens of concepts at a time."""
    for text in _document(export, layout):
        yield text.encode()


def _document(export: Export, layout: Layout) -> Iterator[str]:
    if layout.ns:
        pis = "".join(f"<?xml-model {pi}?>" for pi in SCHEMA_PIS)
        root = "tbx"
        start = f'{pis}<tbx xmlns="{layout.ns}" type="TBX-Basic" style="dca" xml:lang="en">'
    else:
        root = "martif"
        start = '<martif type="TBX-Basic" xml:lang="en">'
    yield (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f"{start}{_AT[1]}{_header(export, layout)}{_AT[1]}<text>{_AT[2]}"
    )
    domain_keys: set[str] = set()
    entries = _stored_entries(export, domain_keys) if layout is V3 else None
    if entries is None:
        entries = _entries(export.records(), layout, export.domain_names(), domain_keys)
    first = next(entries, None)
    if first is not None or not layout.ns:
        # TBX v3 makes the body optional but never empty; 2008 requires one.
        yield "<body>"
        yield from _batched(_chain([first] if first is not None else [], entries))
        yield f"{_AT[2]}</body>"
    yield from _back(export, domain_keys, layout)
    yield f"{_AT[1]}</text>\n</{root}>\n"


def _entries(
    records: Iterable[ConceptRecord],
    layout: Layout,
    domain_names: dict[str, dict[str, str]],
    domain_keys: set[str],
) -> Iterator[str]:
    """Each entry on a line of its own; the subject fields they use are added to ``domain_keys``."""
    for record in records:
        domain_keys.update(record.domains)
        yield _AT[3] + entry_xml(record, layout, domain_names)


def _stored_entries(export: Export, domain_keys: set[str]) -> Iterator[str]:
    """Each TBX v3 entry from its stored parts (or its record, for a version stored without)."""
    domain_names = export.domain_names()
    for batch in export.entry_batches():
        stored = {version_id: unpack(packed) for version_id, packed in batch.stored.items()}
        # What the batch's placeholders name, read in one pass: sources, subject fields, and
        # the versions whose cross-references are to be read.
        sources: set[str] = set()
        linked: list[int] = []
        for version_id, parts in stored.items():
            for part in parts:
                if isinstance(part, list):
                    if part[0] == SOURCE:
                        sources.add(part[1])
                    elif part[0] == DOMAIN:
                        domain_keys.add(part[1])
                    elif part[0] == RELATIONS:
                        linked.append(version_id)
        names = Names(domain_names, export.source_titles(sources))
        relations = batch.relations(linked)
        for version_id in batch.order:
            parts = stored.get(version_id)
            if parts is None:
                record = batch.records[version_id]
                domain_keys.update(record.domains)
                yield _AT[3] + entry_xml(record, V3, domain_names)
                continue
            related = relations.get(version_id, [])
            yield _AT[3] + assemble(parts, names, related, history=export.history)


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


# Reading -------------------------------------------------------------------------------------

_LANGUAGE_TAGS = {
    "en": Language.EN,
    "zh": Language.ZH_HANS,
    "zh-hans": Language.ZH_HANS,
    "zh-cn": Language.ZH_HANS,
    "zh-sg": Language.ZH_HANS,
    "zh-hans-cn": Language.ZH_HANS,
    "zh-hant": Language.ZH_HANT,
    "zh-tw": Language.ZH_HANT,
    "zh-hk": Language.ZH_HANT,
    "zh-mo": Language.ZH_HANT,
    "zh-hant-tw": Language.ZH_HANT,
    "zh-hant-hk": Language.ZH_HANT,
}
_STATUS_FROM_FILE = {
    "preferred": TermStatus.PREFERRED,
    "admitted": TermStatus.ADMITTED,
    "deprecated": TermStatus.DEPRECATED,
    "superseded": TermStatus.SUPERSEDED,
    "preferredterm-admn-sts": TermStatus.PREFERRED,
    "admittedterm-admn-sts": TermStatus.ADMITTED,
    "deprecatedterm-admn-sts": TermStatus.DEPRECATED,
    "supersededterm-admn-sts": TermStatus.SUPERSEDED,
    "standardizedterm-admn-sts": TermStatus.PREFERRED,
    "legalterm-admn-sts": TermStatus.ADMITTED,
    "regulatedterm-admn-sts": TermStatus.ADMITTED,
}


def language_of(tag: str | None) -> str | None:
    """Our language for a file's language tag (en-US is English, zh-TW Traditional, …)."""
    if not tag:
        return None
    value = tag.strip().replace("_", "-").lower()
    if value in _LANGUAGE_TAGS:
        return _LANGUAGE_TAGS[value]
    if value.startswith("en-"):
        return Language.EN
    return None


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def _where(element: etree._Element, what: str) -> str:
    return _("%(what)s (line %(line)s)") % {"what": what, "line": element.sourceline}


@dataclass
class _Reading:
    """State of one entry while it is read."""

    entry: ImportEntry
    record: ConceptRecord
    note_texts: dict[str, list[str]]

    def error(self, message: str) -> None:
        self.entry.errors.append(message)

    def warn(self, message: str) -> None:
        self.entry.warnings.append(message)


def read(data: bytes, fmt: str = "tbx") -> ImportFile:
    """Read a TBX file of either layout (v3 ``tbx`` or 2008 ``martif``) into entries."""
    root = parse_xml(data)
    name = _local(root)
    if name == "tbx":
        if etree.QName(root).namespace != NS:
            raise ImportRefused(
                "not_tbx",
                _("The root element is tbx but not in the TBX namespace %(ns)s.") % {"ns": NS},
            )
    elif name != "martif":
        raise ImportRefused(
            "not_tbx",
            _("This is not a TBX file: its root element is %(name)s, not tbx or martif.")
            % {"name": name or "?"},
        )
    result = ImportFile(format=fmt)
    # Entry ids are our concept uids only in our own files (a CAT tool's ids are its own).
    titles = [_text(e) for e in root.iter() if _local(e) == "title"]
    ours = GLOSSARY_TITLE in titles
    text = next((child for child in root if _local(child) == "text"), None)
    if text is None:
        raise ImportRefused("not_tbx", _("The TBX file has no text element."))
    _read_back(text, result)
    for body in _children(text, "body"):
        for element in body:
            if _local(element) in ("conceptEntry", "termEntry"):
                result.entries.append(_read_entry(element, result, ours=ours))
    if not result.entries:
        result.warnings.append(_("The file holds no concept entries."))
    return result


def _read_back(text: etree._Element, result: ImportFile) -> None:
    for back in _children(text, "back"):
        for section in back:
            kind = section.get("type", "")
            for ref in _children(section, "refObject"):
                ident = ref.get("id", "")
                items = {
                    item.get("type", ""): _text(item)
                    for item in ref.iter()
                    if _local(item) == "item"
                }
                if kind == "sources" or ident.startswith("src."):
                    key = ident[4:] if ident.startswith("src.") else ident
                    if key:
                        result.sources[key] = SourceRecord(
                            key=key,
                            title=items.get("title") or key,
                            publisher=items.get("publisher", ""),
                            jurisdiction=items.get("jurisdiction", ""),
                            published_on=items.get("date", ""),
                            url=items.get("url", ""),
                            language=items.get("language", ""),
                        )
                elif kind == "domains" or ident.startswith("dom."):
                    key = ident[4:] if ident.startswith("dom.") else ident
                    if key:
                        result.domains[key] = DomainRecord(
                            key=key,
                            names={
                                language: items.get(f"name-{language}", "")
                                for language in LANGUAGES
                            },
                        )


def _read_entry(element: etree._Element, result: ImportFile, *, ours: bool) -> ImportEntry:
    raw_id = element.get("id", "")
    uid = uid_from_id(raw_id)
    has_uid = ours or any(
        _local(child) == "note" and _text(child).startswith(("agreement: ", "maturity: "))
        for child in element
    )
    try:
        uid_validator(uid)
    except ValidationError:
        has_uid = False
    label = uid or raw_id or _local(element)
    entry = ImportEntry(
        where=_where(element, f"{_local(element)} {label}"), record=None, has_uid=has_uid
    )
    record = ConceptRecord(uid=uid if has_uid else "")
    reading = _Reading(entry=entry, record=record, note_texts={})
    if raw_id and not has_uid:
        reading.warn(
            _("Its id %(id)s is not one of this glossary's; it is matched by its English term.")
            % {"id": shown_safely(raw_id)}
        )
    _read_concept_level(element, reading, result)
    for section in element:
        if _local(section) not in ("langSec", "langSet"):
            continue
        language = language_of(section.get(XML_LANG))
        if language is None:
            reading.warn(
                _("Language %(lang)s is not one of the glossary's; its terms are left out.")
                % {"lang": section.get(XML_LANG) or "?"}
            )
            continue
        _read_language(section, language, reading, result)
    for language, texts in reading.note_texts.items():
        if texts:
            key = text_key("note", language)
            record.texts[key] = "\n\n".join([*filter(None, [record.texts.get(key, "")]), *texts])
    if not record.terms:
        reading.error(_("It has no term in English or Chinese."))
    for language in LANGUAGES:
        terms = record.terms_in(language)
        if terms and not any(t.status == TermStatus.PREFERRED for t in terms):
            terms[0].status = TermStatus.PREFERRED
            reading.warn(
                _("No %(language)s term is marked preferred; %(term)s is taken as preferred.")
                % {"language": Language(language).label, "term": terms[0].text}
            )
    entry.record = record
    return entry


def _read_concept_level(element: etree._Element, reading: _Reading, result: ImportFile) -> None:
    record = reading.record
    for child in element:
        name, kind = _local(child), child.get("type", "")
        value = _text(child)
        if name == "descrip" and kind == "subjectField":
            target = child.get("target", "")
            key = target[4:] if target.startswith("dom.") else ""
            if not key:
                key = _domain_key_for(value, result)
            if key and key not in record.domains:
                record.domains.append(key)
        elif name == "descrip" and kind == "definition":
            record.texts.setdefault(text_key("definition", Language.EN), value)
        elif name == "ref" and kind == "crossReference":
            _read_relation(child, value, reading)
        elif name == "note":
            _read_concept_note(value, reading)
        elif name == "transacGrp":
            _read_transaction(child, reading)
        elif name == "descripGrp":
            # A concept-level definition with its sources.
            for part in child:
                if _local(part) == "descrip" and part.get("type") == "definition":
                    record.texts.setdefault(text_key("definition", Language.EN), _text(part))
            _read_citations(child, reading, result)


def _read_transaction(group: etree._Element, reading: _Reading) -> None:
    """History is this file's record: an import that creates the concept keeps it."""
    parts = {_local(part): _text(part) for part in group}
    action = {"origination": "creation", "creation": "creation"}.get(
        parts.get("transac", ""), "modification"
    )
    date = history_date(parts.get("date", ""))
    if not date:
        reading.warn(
            _("A transaction has no ISO date (%(date)s); it is left out of the history.")
            % {"date": parts.get("date", "") or "—"}
        )
        return
    reading.record.history.append(
        HistoryRecord(action=action, date=date, responsibility=parts.get("transacNote", ""))
    )


def _domain_key_for(name: str, result: ImportFile) -> str:
    """A domain named in plain text (a file from another tool): match it by key or name."""
    from django.utils.text import slugify

    for key, domain in result.domains.items():
        if name in domain.names.values() or name == key:
            return key
    key = slugify(name)[:60]
    if key and key not in result.domains:
        result.domains[key] = DomainRecord(key=key, names={Language.EN: name})
    return key


def _read_relation(element: etree._Element, value: str, reading: _Reading) -> None:
    match = re.match(r"^(broader|narrower|related):\s*(\S+)$", value)
    if match:
        kind, target = match.group(1), match.group(2)
    else:
        kind, target = RelationKind.RELATED, uid_from_id(element.get("target", "") or value)
    if element.get("target"):
        target = uid_from_id(element.get("target"))
    try:
        uid_validator(target)
    except ValidationError:
        reading.warn(
            _("The cross-reference %(value)s does not name a concept id; it is left out.")
            % {"value": value or element.get("target", "")}
        )
        return
    reading.record.relations.append(RelationRecord(kind=kind, target=target))


def _read_concept_note(value: str, reading: _Reading) -> None:
    record = reading.record
    match = KEYED_NOTE.match(value)
    key, text = (match.group(1), match.group(2)) if match else ("", value)
    if key == "agreement":
        if text in Agreement.values:
            record.agreement = text
        else:
            reading.error(
                _("Unknown agreement state %(value)s (use %(choices)s).")
                % {"value": text, "choices": ", ".join(Agreement.values)}
            )
    elif key == "maturity":
        if text in Maturity.values:
            record.maturity = text
        else:
            reading.error(
                _("Unknown maturity %(value)s (use %(choices)s).")
                % {"value": text, "choices": ", ".join(Maturity.values)}
            )
    elif key == "firstAttested":
        record.first_attested = text
    elif key == "retired":
        record.retirement_reason = text
    elif key == "citation":
        _read_citation_note(text, reading)
    else:
        # A free note on the whole concept (from another tool) becomes the English note.
        reading.note_texts.setdefault(Language.EN, []).append(text if key == "note" else value)


def _read_citation_note(text: str, reading: _Reading) -> None:
    try:
        payload = json.loads(text)
        citation = CitationRecord(
            source=str(payload["source"]),
            locator=str(payload.get("locator", "")),
            quote=str(payload.get("quote", "")),
            quote_language=str(payload.get("quoteLanguage", "")),
        )
    except (ValueError, KeyError, TypeError):
        reading.error(_("A citation note is not readable: %(text)s") % {"text": text[:80]})
        return
    reading.record.citations.append(citation)


def _read_citations(group: etree._Element, reading: _Reading, result: ImportFile) -> None:
    """Citations of a definition: our keyed notes, or else the group's source elements."""
    noted = [
        _text(part)
        for part in group
        if _local(part) == "note" and _text(part).startswith("citation: ")
    ]
    if noted:
        for text in noted:
            _read_citation_note(text[len("citation: ") :], reading)
        return
    for part in group:
        if _local(part) == "admin" and part.get("type") == "source":
            key = _source_key_for(part, result)
            if key:
                reading.record.citations.append(CitationRecord(source=key))


def _source_key_for(element: etree._Element, result: ImportFile) -> str:
    """The source an ``admin type="source"`` names: by target, or by its text as a title."""
    from django.utils.text import slugify

    target = element.get("target", "")
    if target.startswith("src."):
        return target[4:]
    title = _text(element)
    if not title:
        return ""
    for key, source in result.sources.items():
        if source.title == title:
            return key
    key = slugify(title)[:100] or "source"
    result.sources.setdefault(key, SourceRecord(key=key, title=title[:500]))
    return key


def _read_language(
    section: etree._Element, language: str, reading: _Reading, result: ImportFile
) -> None:
    record = reading.record
    has_citation_notes = any(
        _local(child) == "note" and _text(child).startswith("citation: ") for child in section
    )
    for child in section:
        name, kind = _local(child), child.get("type", "")
        if name == "descrip" and kind == "definition":
            _set_definition(record, language, _text(child), reading)
        elif name == "descripGrp":
            for part in child:
                if _local(part) == "descrip" and part.get("type") == "definition":
                    _set_definition(record, language, _text(part), reading)
            if not has_citation_notes:
                _read_citations(child, reading, result)
        elif name == "note":
            value = _text(child)
            match = KEYED_NOTE.match(value)
            key, text = (match.group(1), match.group(2)) if match else ("", value)
            field = {v: k for k, v in LANGUAGE_NOTES.items()}.get(key)
            if field:
                record.texts[text_key(field, language)] = text
            elif key == "machineConverted":
                for part in text.split(","):
                    part = part.strip()
                    if part in ("definition", *LANGUAGE_NOTES, "note"):
                        record.machine_converted_fields.append(text_key(part, language))
            elif key == "citation":
                _read_citation_note(text, reading)
            else:
                reading.note_texts.setdefault(language, []).append(text if key == "note" else value)
        elif name in ("termSec", "tig", "ntig"):
            term = _read_term(child, language, reading, result)
            if term is not None:
                record.terms.append(term)


def _set_definition(record: ConceptRecord, language: str, text: str, reading: _Reading) -> None:
    key = text_key("definition", language)
    if record.texts.get(key):
        reading.warn(
            _("More than one definition in %(language)s; they are joined.")
            % {"language": Language(language).label}
        )
        record.texts[key] = f"{record.texts[key]}\n\n{text}"
    else:
        record.texts[key] = text


_PICKLISTS: dict[str, tuple[str, list[str], Callable[[str], str]]] = {
    "termType": ("term_type", TermType.values, lambda v: v),
    "partOfSpeech": (
        "part_of_speech",
        PartOfSpeech.values,
        lambda v: "noun" if v == "properNoun" else v,
    ),
}


def _read_term(
    element: etree._Element, language: str, reading: _Reading, result: ImportFile
) -> TermRecord | None:
    # A 2008 ntig keeps its term and termNotes inside a termGrp.
    parts = list(element)
    for group in _children(element, "termGrp"):
        parts.extend(group)
    term_element = next((part for part in parts if _local(part) == "term"), None)
    text = clean_term(_text(term_element)) if term_element is not None else ""
    if not text:
        reading.error(_where(element, _("An empty term")))
        return None
    term = TermRecord(language=language, text=text)
    status = ""
    superseded = False
    notes = []
    for part in parts:
        name, kind, value = _local(part), part.get("type", ""), _text(part)
        if name == "termNote":
            if kind in _PICKLISTS:
                attribute, allowed, normalise = _PICKLISTS[kind]
                value = normalise(value)
                if value in allowed:
                    setattr(term, attribute, value)
                else:
                    reading.error(
                        _("Term %(term)s: %(kind)s %(value)s is not one of %(choices)s.")
                        % {
                            "term": text,
                            "kind": kind,
                            "value": value,
                            "choices": ", ".join(allowed),
                        }
                    )
            elif kind in ("usageStatus", "administrativeStatus", "normativeAuthorization"):
                status = value
            elif kind == "geographicalUsage":
                if value in Region.values:
                    term.geographic_usage = value
                else:
                    reading.warn(
                        _(
                            "Term %(term)s: geographical usage %(value)s is not one of ours; "
                            "it is kept as a note."
                        )
                        % {"term": text, "value": value}
                    )
                    notes.append(f"geographicalUsage {value}")
        elif name == "descrip" and kind == "context":
            term.context = value
        elif name == "descripGrp":
            for sub in part:
                if _local(sub) == "descrip" and sub.get("type") == "context":
                    term.context = _text(sub)
        elif name == "admin" and kind == "source":
            term.source = _source_key_for(part, result)
        elif name == "note":
            match = KEYED_NOTE.match(value)
            key, rest = (match.group(1), match.group(2)) if match else ("", value)
            if key == "status" and rest == "superseded":
                superseded = True
            elif key == "machineConverted":
                term.machine_converted = rest.strip().lower() in ("yes", "true", "1")
            elif key == "note":
                notes.append(rest)
            else:
                notes.append(value)
    if status:
        mapped = _STATUS_FROM_FILE.get(status.strip().lower())
        if mapped is None:
            reading.error(
                _(
                    "Term %(term)s: status %(value)s is not one of preferred, admitted, "
                    "deprecated or superseded."
                )
                % {"term": text, "value": status}
            )
        else:
            term.status = mapped
    if superseded and term.status == TermStatus.DEPRECATED:
        term.status = TermStatus.SUPERSEDED
    term.note = "\n".join(notes)
    return term


__all__ = ["ADMIN_STATUS", "NOTE_KEYS", "V3", "Layout", "read", "stream"]
