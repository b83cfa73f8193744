"""Writing TBX: each entry from its parts (kept per published version), the file streamed in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from glossary.core.choices import (
    Language,
    TermStatus,
)
from glossary.exchange import variants
from glossary.exchange.published import Export
from glossary.exchange.records import (
    GLOSSARY_TITLE,
    LANGUAGES,
    ConceptRecord,
    DomainRecord,
    HistoryRecord,
    RelationRecord,
    SourceRecord,
    TermRecord,
)
from glossary.exchange.tbx.categories import (
    INDENT_AT,
    LANGUAGE_TEXTS,
    SCHEMA_PIS,
    TYPE_DEFINITION,
    TYPE_SOURCE,
    V3,
    Layout,
    citation_note,
    concept_id,
    domain_id,
    escape_attribute,
    escape_text,
    plain_note,
    rendering_note,
    source_id,
    text_attribute,
    text_element,
    xml_text,
)

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
    at_entry, at_section, at_group = INDENT_AT[4], INDENT_AT[5], INDENT_AT[6]
    out: list[Part] = [
        f'<{layout.entry}{layout.xmlns} id="{escape_attribute(concept_id(record.uid))}">'
    ]
    add = out.append
    for key in record.domains:
        attributes = ' type="subjectField"' + text_attribute("target", domain_id(key))
        add(f"{at_entry}<descrip{attributes}>")
        add([DOMAIN, key])
        add("</descrip>")
    if record.relations if linked is None else linked:
        add([RELATIONS])
    add(_state_notes(record.agreement, record.maturity))
    if record.first_attested:
        add(at_entry + text_element("note", f"firstAttested: {record.first_attested}"))
    if record.retired:
        add(at_entry + text_element("note", f"retired: {record.retirement_reason}"))
    for rendering in record.renderings:
        add(at_entry + text_element("note", rendering_note(rendering)))
    if record.history:
        add([HISTORY, "".join(_transaction(event, layout) for event in record.history)])
    texts = record.texts
    converted_fields = record.machine_converted_fields
    terms_by_language: dict[str, list[TermRecord]] = {}
    for term in record.terms:
        terms_by_language.setdefault(term.language, []).append(term)
    citations_placed = False
    for language in LANGUAGES:
        definition_key, keyed_notes, note_key, convertible = LANGUAGE_TEXTS[language]
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
                add(at_group + text_element("descrip", definition, TYPE_DEFINITION))
                for citation in record.citations:
                    attributes = TYPE_SOURCE + text_attribute("target", source_id(citation.source))
                    add(f"{at_group}<admin{attributes}>")
                    add([SOURCE, citation.source, citation.locator])
                    add("</admin>")
                    if not v2008:
                        add(at_group + text_element("note", citation_note(citation)))
                add(f"{at_section}</descripGrp>")
                if v2008:
                    for citation in record.citations:
                        add(at_section + text_element("note", citation_note(citation)))
                citations_placed = True
            else:
                add(at_section + text_element("descrip", definition, TYPE_DEFINITION))
        for note in notes:
            add(at_section + text_element("note", note))
        if converted:
            add(at_section + text_element("note", "machineConverted: " + ", ".join(converted)))
        for term in terms:
            out.extend(term_parts(term, layout))
        add(f"{at_entry}</{layout.language}>")
    if record.citations and not citations_placed:
        # No definition to attach the sources to: keep them as concept-level notes.
        for citation in record.citations:
            add(at_entry + text_element("note", citation_note(citation)))
    add(f"{INDENT_AT[3]}</{layout.entry}>")
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
    at_entry, at_section = INDENT_AT[4], INDENT_AT[5]
    action = layout.transaction_creation if event.action == "creation" else "modification"
    return (
        f"{at_entry}<transacGrp>"
        + at_section
        + text_element("transac", action, ' type="transactionType"')
        + at_section
        + text_element("date", event.date)
        + at_section
        + text_element("transacNote", event.responsibility, ' type="responsibility"')
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
    out: list[str] = []
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
                attributes = ' type="crossReference"' + text_attribute("target", target)
                add(
                    INDENT_AT[4]
                    + text_element("ref", f"{relation.kind}: {relation.target}", attributes)
                )
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
    at_term, at_part = INDENT_AT[5], INDENT_AT[6]
    out: list[Part] = [
        f"{at_term}<{layout.term_section}>{at_part}",
        text_element("term", term.text),
        _term_notes(
            term.term_type,
            term.part_of_speech,
            layout.status_type,
            layout.status_values[term.status],
        ),
    ]
    add = out.append
    if term.geographic_usage:
        add(at_part + text_element("termNote", term.geographic_usage, ' type="geographicalUsage"'))
    if term.context:
        add(at_part + text_element("descrip", term.context, ' type="context"'))
    if term.source:
        attributes = TYPE_SOURCE + text_attribute("target", source_id(term.source))
        add(f"{at_part}<admin{attributes}>")
        add([SOURCE, term.source, ""])
        add("</admin>")
    if term.status == TermStatus.SUPERSEDED and layout.ns:
        add(at_part + text_element("note", "status: superseded"))
    if term.machine_converted:
        add(at_part + text_element("note", "machineConverted: yes"))
    if term.in_sense_only:
        add(at_part + text_element("note", "inSenseOnly: yes"))
    if term.note:
        add(at_part + text_element("note", plain_note(term.note)))
    add(f"{at_term}</{layout.term_section}>")
    return out


@lru_cache(maxsize=256)
def _term_notes(term_type: str, part_of_speech: str, status_type: str, status: str) -> str:
    """The termNotes every term has: its type, part of speech and status."""
    at_part = INDENT_AT[6]
    return (
        at_part
        + text_element("termNote", term_type, ' type="termType"')
        + at_part
        + text_element("termNote", part_of_speech, ' type="partOfSpeech"')
        + at_part
        + text_element("termNote", status, f' type="{status_type}"')
    )


@lru_cache(maxsize=256)
def _state_notes(agreement: str, maturity: str) -> str:
    """The notes every entry has: its agreement state and maturity."""
    at_entry = INDENT_AT[4]
    return (
        at_entry
        + text_element("note", f"agreement: {agreement}")
        + at_entry
        + text_element("note", f"maturity: {maturity}")
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
    at_object, at_item = INDENT_AT[4], INDENT_AT[5]
    items = [
        at_item + text_element("item", getattr(source, name), f' type="{name}"')
        for name in ("title", "publisher", "jurisdiction", "url", "language")
        if getattr(source, name)
    ]
    if source.published_on:
        items.append(at_item + text_element("item", source.published_on, ' type="date"'))
    start = f'{at_object}<refObject id="{escape_attribute(source_id(source.key))}"'
    return f"{start}>{''.join(items)}{at_object}</refObject>" if items else f"{start}/>"


def _domain_xml(domain: DomainRecord) -> str:
    at_object, at_item = INDENT_AT[4], INDENT_AT[5]
    items = "".join(
        at_item + text_element("item", domain.names.get(language, ""), f' type="name-{language}"')
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
    yield f"{INDENT_AT[2]}<back{layout.xmlns}>"
    if first_source is not None:
        yield f'{INDENT_AT[3]}<{section} type="sources">'
        yield from _batched(map(_source_xml, _chain([first_source], sources)))
        yield f"{INDENT_AT[3]}</{section}>"
    if domains:
        yield f'{INDENT_AT[3]}<{section} type="domains">'
        yield from _batched(map(_domain_xml, domains))
        yield f"{INDENT_AT[3]}</{section}>"
    yield f"{INDENT_AT[2]}</back>"


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
    renames = _language_renames(export, layout)
    for text in _document(export, layout):
        for old, new in renames:
            text = text.replace(old, new)
        yield text.encode()


def _language_renames(export: Export, layout: Layout) -> list[tuple[str, str]]:
    """The language sections' start tags in the codes the export asks for.

    Entries are written (and stored) with our own tags; a start tag is a whole piece of text
    that no escaped text can imitate, so it is renamed in the finished text, stored entries too.
    """
    if not export.meta.codes:
        return []
    return [
        (
            f'<{layout.language} xml:lang="{language}">',
            f'<{layout.language} xml:lang="{variants.code(export.meta.codes, language)}">',
        )
        for language in LANGUAGES
        if variants.code(export.meta.codes, language) != language
    ]


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
        f"{start}{INDENT_AT[1]}{_header(export, layout)}{INDENT_AT[1]}<text>{INDENT_AT[2]}"
    )
    domain_keys: set[str] = set()
    # A stored entry holds both Chinese variants: a file of one is written from the records.
    stored = layout is V3 and export.meta.chinese == variants.BOTH
    entries = _stored_entries(export, domain_keys) if stored else None
    if entries is None:
        entries = _entries(export.records(), layout, export.domain_names(), domain_keys)
    first = next(entries, None)
    if first is not None or not layout.ns:
        # TBX v3 makes the body optional but never empty; 2008 requires one.
        yield "<body>"
        yield from _batched(_chain([first] if first is not None else [], entries))
        yield f"{INDENT_AT[2]}</body>"
    yield from _back(export, domain_keys, layout)
    yield f"{INDENT_AT[1]}</text>\n</{root}>\n"


def _entries(
    records: Iterable[ConceptRecord],
    layout: Layout,
    domain_names: dict[str, dict[str, str]],
    domain_keys: set[str],
) -> Iterator[str]:
    """Each entry on a line of its own; the subject fields they use are added to ``domain_keys``."""
    for record in records:
        domain_keys.update(record.domains)
        yield INDENT_AT[3] + entry_xml(record, layout, domain_names)


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
            entry_parts = stored.get(version_id)
            if entry_parts is None:
                record = batch.records[version_id]
                domain_keys.update(record.domains)
                yield INDENT_AT[3] + entry_xml(record, V3, domain_names)
                continue
            related = relations.get(version_id, [])
            yield INDENT_AT[3] + assemble(entry_parts, names, related, history=export.history)


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest
