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
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from glossary.choices import (
    Agreement,
    Language,
    Maturity,
    PartOfSpeech,
    Region,
    RelationKind,
    TermStatus,
    TermType,
)
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
from glossary.exchange.snapshot import Export
from glossary.models import uid_validator

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
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text XML 1.0 can hold (control characters have no place in a glossary)."""
    return _INVALID_XML_CHARS.sub("", value)


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


def citation_note(citation: CitationRecord) -> str:
    payload = {"source": citation.source}
    if citation.locator:
        payload["locator"] = citation.locator
    if citation.quote:
        payload["quote"] = citation.quote
    if citation.quote_language:
        payload["quoteLanguage"] = citation.quote_language
    return "citation: " + json.dumps(payload, ensure_ascii=False, sort_keys=True)


def citation_label(citation: CitationRecord) -> str:
    title = citation.source_title or citation.source
    return f"{title}, {citation.locator}" if citation.locator else title


# Writing -------------------------------------------------------------------------------------


class _Sink:
    """Collects what lxml writes so that a generator can hand it on piece by piece."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _sub(parent: etree._Element, tag: str, text: str = "", **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attrib.items() if v})
    if text:
        element.text = xml_text(text)
    return element


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


V3 = Layout(
    ns=NS,
    entry="conceptEntry",
    language="langSec",
    term_section="termSec",
    transaction_creation="creation",
    status_type="usageStatus",
    status_values=USAGE_STATUS,
)


def entry_element(
    record: ConceptRecord,
    layout: Layout,
    domain_names: dict[str, dict[str, str]],
) -> etree._Element:
    """One concept as a conceptEntry (v3) or termEntry (2008) element."""
    E = layout.tag
    v2008 = not layout.ns
    entry = etree.Element(E(layout.entry), id=concept_id(record.uid), nsmap=layout.nsmap)
    for key in record.domains:
        name = (domain_names.get(key) or {}).get(Language.EN) or key
        _sub(entry, E("descrip"), name, type="subjectField", target=domain_id(key))
    for relation in record.relations:
        _sub(
            entry,
            E("ref"),
            f"{relation.kind}: {relation.target}",
            type="crossReference",
            target=concept_id(relation.target) if relation.in_file else "",
        )
    _sub(entry, E("note"), f"agreement: {record.agreement}")
    _sub(entry, E("note"), f"maturity: {record.maturity}")
    if record.first_attested:
        _sub(entry, E("note"), f"firstAttested: {record.first_attested}")
    if record.retired:
        _sub(entry, E("note"), f"retired: {record.retirement_reason}")
    for event in record.history:
        group = _sub(entry, E("transacGrp"))
        action = layout.transaction_creation if event.action == "creation" else "modification"
        _sub(group, E("transac"), action, type="transactionType")
        _sub(group, E("date"), event.date)
        _sub(group, E("transacNote"), event.responsibility, type="responsibility")
    citations_placed = False
    has_terms = {term.language for term in record.terms}
    for language in LANGUAGES:
        definition = record.text("definition", language)
        notes = [(key, record.text(field, language)) for field, key in LANGUAGE_NOTES.items()] + [
            ("", record.text("note", language))
        ]
        notes = [(key, text) for key, text in notes if text]
        converted = [
            name
            for name in ("definition", *LANGUAGE_NOTES, "note")
            if text_key(name, language) in record.machine_converted_fields
            and record.text(name, language)
        ]
        terms = record.terms_in(language)
        if not (terms or definition or notes or converted):
            continue
        if v2008 and language not in has_terms:
            # A 2008 langSet must hold a term; this layout is the compatibility one.
            continue
        section = etree.SubElement(entry, E(layout.language), {XML_LANG: language})
        if definition:
            place_citations = bool(record.citations) and not citations_placed
            if place_citations:
                group = _sub(section, E("descripGrp"))
                _sub(group, E("descrip"), definition, type="definition")
                for citation in record.citations:
                    _sub(
                        group,
                        E("admin"),
                        citation_label(citation),
                        type="source",
                        target=source_id(citation.source),
                    )
                    if not v2008:
                        _sub(group, E("note"), citation_note(citation))
                if v2008:
                    for citation in record.citations:
                        _sub(section, E("note"), citation_note(citation))
                citations_placed = True
            else:
                _sub(section, E("descrip"), definition, type="definition")
        for key, text in notes:
            _sub(section, E("note"), f"{key}: {text}" if key else plain_note(text))
        if converted:
            _sub(section, E("note"), "machineConverted: " + ", ".join(converted))
        for term in terms:
            entry_term(section, term, layout)
    if record.citations and not citations_placed:
        # No definition to attach the sources to: keep them as concept-level notes.
        for citation in record.citations:
            _sub(entry, E("note"), citation_note(citation))
    return entry


def entry_term(section: etree._Element, term: TermRecord, layout: Layout) -> None:
    E = layout.tag
    element = _sub(section, E(layout.term_section))
    _sub(element, E("term"), term.text)
    _sub(element, E("termNote"), term.term_type, type="termType")
    _sub(element, E("termNote"), term.part_of_speech, type="partOfSpeech")
    _sub(element, E("termNote"), layout.status_values[term.status], type=layout.status_type)
    if term.geographic_usage:
        _sub(element, E("termNote"), term.geographic_usage, type="geographicalUsage")
    if term.context:
        _sub(element, E("descrip"), term.context, type="context")
    if term.source:
        _sub(
            element,
            E("admin"),
            term.source_title or term.source,
            type="source",
            target=source_id(term.source),
        )
    if term.status == TermStatus.SUPERSEDED and layout.ns:
        _sub(element, E("note"), "status: superseded")
    if term.machine_converted:
        _sub(element, E("note"), "machineConverted: yes")
    if term.note:
        _sub(element, E("note"), plain_note(term.note))


def _back(
    export: Export, source_keys: set[str], domain_keys: set[str], layout: Layout
) -> etree._Element | None:
    E = layout.tag
    section_tag = E("refObjectSec") if layout.ns else E("refObjectList")
    back = etree.Element(E("back"), nsmap=layout.nsmap)
    found_sources = export.sources(source_keys)
    if found_sources:
        section = _sub(back, section_tag, type="sources")
        for source in found_sources:
            ref = _sub(section, E("refObject"), id=source_id(source.key))
            for name in ("title", "publisher", "jurisdiction", "url", "language"):
                if getattr(source, name):
                    _sub(ref, E("item"), getattr(source, name), type=name)
            if source.published_on:
                _sub(ref, E("item"), source.published_on, type="date")
    found_domains = export.domains(domain_keys)
    if found_domains:
        section = _sub(back, section_tag, type="domains")
        for domain in found_domains:
            ref = _sub(section, E("refObject"), id=domain_id(domain.key))
            for language in LANGUAGES:
                _sub(ref, E("item"), domain.names.get(language, ""), type=f"name-{language}")
    return back if len(back) else None


def stream(export: Export, layout: Layout = V3) -> Iterator[bytes]:
    """The TBX file, a concept at a time."""
    E = layout.tag
    sink = _Sink()
    source_keys: set[str] = set()
    domain_keys: set[str] = set()
    domain_names = export.domain_names()
    with etree.xmlfile(sink, encoding="UTF-8") as xf:
        xf.write_declaration()
        if layout.ns:
            for pi in SCHEMA_PIS:
                xf.write(etree.ProcessingInstruction("xml-model", pi))
            # xmlfile writes a start tag as given: spell the xml: prefix out.
            root_attrib = {"type": "TBX-Basic", "style": "dca", "xml:lang": "en"}
            root_tag, header_tag = E("tbx"), E("tbxHeader")
        else:
            root_attrib = {"type": "TBX-Basic", "xml:lang": "en"}
            root_tag, header_tag = "martif", "martifHeader"
        with xf.element(root_tag, root_attrib, nsmap={None: layout.ns} if layout.ns else None):
            xf.write("\n  ")
            header = etree.Element(header_tag, nsmap=layout.nsmap)
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
            xf.write(header)
            xf.write("\n  ")
            with xf.element(E("text")):
                xf.write("\n    ")
                records = export.records()
                first = next(records, None)
                if first is not None or not layout.ns:
                    # TBX v3 makes the body optional but never empty; 2008 requires one.
                    with xf.element(E("body")):
                        pending = [first] if first is not None else []
                        for record in _chain(pending, records):
                            source_keys.update(c.source for c in record.citations)
                            source_keys.update(t.source for t in record.terms if t.source)
                            domain_keys.update(record.domains)
                            element = entry_element(record, layout, domain_names)
                            etree.indent(element, space="  ", level=3)
                            xf.write("\n      ")
                            xf.write(element)
                            yield sink.take()
                        xf.write("\n    ")
                back = _back(export, source_keys, domain_keys, layout)
                if back is not None:
                    etree.indent(back, space="  ", level=2)
                    xf.write("\n    ")
                    xf.write(back)
                xf.write("\n  ")
            xf.write("\n")
    sink.write(b"\n")
    yield sink.take()


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
            % {"id": raw_id}
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
