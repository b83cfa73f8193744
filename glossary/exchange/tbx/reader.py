"""Reading TBX back into import records, refusing what it cannot read safely."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

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
from glossary.exchange.records import (
    GLOSSARY_TITLE,
    LANGUAGES,
    CitationRecord,
    ConceptRecord,
    DomainRecord,
    Entries,
    HistoryRecord,
    ImportEntry,
    ImportFile,
    RelationRecord,
    RenderingRecord,
    SourceRecord,
    TermRecord,
    clean_term,
    history_date,
    source_key,
    text_key,
)
from glossary.exchange.safety import (
    PARSER_OPTIONS,
    FileData,
    ImportRefused,
    checked_xml,
    entities_refused,
    has_doctype,
    open_data,
    xml_refused,
)
from glossary.exchange.tbx.categories import KEYED_NOTE, LANGUAGE_NOTES, NS, XML_LANG, uid_from_id
from glossary.language import shown_safely

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
    result = stream_read(data, fmt)
    result.entries = list(result.entries)
    return result


def stream_read(data: FileData, fmt: str = "tbx") -> ImportFile:
    """A TBX file checked whole, its back matter read; its entries read as they are walked.

    The document is parsed here once, an element at a time, to refuse a broken or unsafe file
    and to read what the entries refer to (the sources and subject fields of the back matter,
    whether the file is ours). Each walk over ``entries`` parses it again, handing on an entry
    at a time and letting go of each once read, so that no walk holds the whole tree. A file
    on disk (``FileOnDisk``) is read from the disk on each walk, never held.
    """
    body = checked_xml(data)
    # Whether the document has a DOCTYPE: found once, not again on every walk of the file.
    doctype = has_doctype(body)
    result = ImportFile(format=fmt)
    ours, count = _scan(body, doctype, result)
    if not count:
        result.warnings.append(_("The file holds no concept entries."))
    result.entries = Entries(lambda: _walk_entries(body, doctype, result, ours=ours))
    return result


def _elements(body: FileData, doctype: bool) -> Iterator[etree._Element]:
    """Each element of the document as it ends, refusing what ``parse_xml`` refuses
    (``doctype``: whether the document has a DOCTYPE, whose entities are then refused)."""
    with open_data(body) as handle:
        events = etree.iterparse(handle, events=("end",), **PARSER_OPTIONS)
        try:
            for _event, element in events:
                if doctype and any(isinstance(node, etree._Entity) for node in element):
                    raise entities_refused()
                yield element
        except etree.XMLSyntaxError as exc:
            raise xml_refused(exc, body) from exc


def _is_entry(element: etree._Element) -> bool:
    """A concept entry: a conceptEntry or termEntry of a body of the root's text element."""
    if _local(element) not in ("conceptEntry", "termEntry"):
        return False
    body = element.getparent()
    text = body.getparent() if body is not None else None
    return (
        body is not None
        and _local(body) == "body"
        and text is not None
        and _local(text) == "text"
        and text.getparent() is not None
        and text.getparent().getparent() is None
    )


def _let_go(element: etree._Element) -> None:
    """Free an element that has been read, and the siblings read before it."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _scan(body: FileData, doctype: bool, result: ImportFile) -> tuple[bool, int]:
    """Check the whole document and read its back matter; whether the file is ours, and how
    many concept entries it holds."""
    titles: list[str] = []
    count = 0
    root = None
    for element in _elements(body, doctype):
        name = _local(element)
        if name == "title":
            titles.append(_text(element))
        elif _is_entry(element):
            count += 1
            _let_go(element)
        elif name == "back":
            text = element.getparent()
            if text is not None and _local(text) == "text":
                _read_back(text, result, backs=[element])
                _let_go(element)
        if element.getparent() is None:
            root = element
    assert root is not None  # a well-formed document has a root
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
    if not any(_local(child) == "text" for child in root):
        raise ImportRefused("not_tbx", _("The TBX file has no text element."))
    # Entry ids are our concept uids only in our own files (a CAT tool's ids are its own).
    return GLOSSARY_TITLE in titles, count


def _walk_entries(
    body: FileData, doctype: bool, result: ImportFile, *, ours: bool
) -> Iterator[ImportEntry]:
    for element in _elements(body, doctype):
        if _is_entry(element):
            yield _read_entry(element, result, ours=ours)
            _let_go(element)


def _read_back(
    text: etree._Element, result: ImportFile, backs: list[etree._Element] | None = None
) -> None:
    for back in backs if backs is not None else _children(text, "back"):
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
        where=_where(element, f"{_local(element)} {label}"),
        record=None,
        has_uid=has_uid,
        # Our own files say every rendering a concept has (none is none); another tool's file
        # says so only for an entry that holds one.
        carries_renderings=ours,
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
    elif key == "authorityRendering":
        _read_rendering_note(text, reading)
    else:
        # A free note on the whole concept (from another tool) becomes the English note.
        reading.note_texts.setdefault(Language.EN, []).append(text if key == "note" else value)


def _read_rendering_note(text: str, reading: _Reading) -> None:
    """An authority's rendering, as ``categories.rendering_note`` writes it (a JSON object)."""
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    fields = (
        "authority",
        "authorityName",
        "authorityKind",
        "jurisdiction",
        "status",
        "terms",
        "definition",
        "definitionLanguage",
        "locator",
        "date",
    )
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("authority"), str)
        or not isinstance(value.get("status"), str)
        or not all(
            isinstance(value.get(name, ""), str)
            for name in fields
            if name not in ("terms", "authorityName")
        )
        or not all(
            isinstance(value.get(name, {}), dict)
            and all(isinstance(v, str) for v in value.get(name, {}).values())
            for name in ("terms", "authorityName")
        )
    ):
        reading.error(
            _(
                "An authorityRendering note must be a JSON object with at least an authority "
                "key and a status, and text values: %(note)s"
            )
            % {"note": shown_safely(text[:200])}
        )
        return
    unknown = sorted(set(value.get("terms", {})) - set(LANGUAGES))
    if unknown:
        reading.error(
            _("A rendering names an unknown language %(languages)s: use en, zh-Hans or zh-Hant.")
            % {"languages": ", ".join(shown_safely(u) for u in unknown)}
        )
        return
    reading.record.renderings.append(
        RenderingRecord(
            authority=value["authority"],
            status=value["status"],
            terms={language: value.get("terms", {}).get(language, "") for language in LANGUAGES},
            definition=value.get("definition", ""),
            definition_language=value.get("definitionLanguage", ""),
            locator=value.get("locator", ""),
            date=value.get("date", ""),
            authority_names={
                language: value.get("authorityName", {}).get(language, "") for language in LANGUAGES
            },
            authority_kind=value.get("authorityKind", ""),
            jurisdiction=value.get("jurisdiction", ""),
        )
    )
    reading.entry.carries_renderings = True


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
    target = element.get("target", "")
    if target.startswith("src."):
        return target[4:]
    title = _text(element)
    if not title:
        return ""
    for key, source in result.sources.items():
        if source.title == title:
            return key
    key = source_key(title)
    result.sources.setdefault(key, SourceRecord(key=key, title=title[:500], keyed_by_title=True))
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
            elif key == "inSenseOnly":
                term.in_sense_only = rest.strip().lower() in ("yes", "true", "1")
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
