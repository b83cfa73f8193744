"""Reading a translator's bilingual file, segment by segment.

XLIFF 1.2 and 2.x, TMX 1.4 and gettext PO are read by translate-toolkit (whose XML parser loads
no DTD, resolves no entity and reaches no network); bilingual CSV by the standard library and
XLSX by openpyxl in read-only mode. An XLIFF segment's source and target are taken from
translate-toolkit's parsed document with their inline codes and read by the same extractor as the
check's ``markup=xliff`` option (``glossary.termcheck.engine.extract``): the text inside ``g``,
``pc`` and ``mrk`` is checked, so a term they wrap or split is found; placeholders (``x``, ``bx``,
``ex``, ``sc``, ``ec``, ``ph`` of 2.x) and the native code inside ``ph``, ``bpt``, ``ept`` and
``it`` (such as ``<b>``) are left out. Unless the segment says ``xml:space="preserve"``, runs of
white space are read as one space, as XLIFF prescribes. A segment's texts are the text a reader
of the translated document sees, which is what the report shows.

Each reader gives ``Segment`` s in file order and the languages the file states; the limits of
``limits`` are enforced while reading, and a file over any of them is refused whole
(``FileRefused``), before a single segment is checked.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from django.utils.translation import gettext as _
from lxml import etree

from glossary.language.codes import EN, ZH_HANS, ZH_HANT, Language
from glossary.termcheck.engine import MarkupError, extract
from glossary.termcheck.files import limits

#: The formats read, by name.
FORMATS: Final = ("xliff", "tmx", "po", "csv", "xlsx")
#: File name extensions and the format each names.
EXTENSIONS: Final = {
    "xlf": "xliff",
    "xliff": "xliff",
    "tmx": "tmx",
    "po": "po",
    "pot": "po",
    "csv": "csv",
    "tsv": "csv",
    "txt": "csv",
    "xlsx": "xlsx",
}

_CHINESE_TRADITIONAL: Final = {"hant", "tw", "hk", "mo"}
#: Language names a spreadsheet's header may use instead of codes.
_NAMES: Final[dict[str, Language]] = {
    "english": EN,
    "chinese": ZH_HANS,
    "simplified chinese": ZH_HANS,
    "chinese (simplified)": ZH_HANS,
    "traditional chinese": ZH_HANT,
    "chinese (traditional)": ZH_HANT,
}
_SOURCE_NAMES: Final = frozenset({"source", "source text", "original", "src"})
_TARGET_NAMES: Final = frozenset({"target", "target text", "translation", "tgt"})
_ID_NAMES: Final = frozenset({"id", "key", "segment", "segment id", "msgid", "tuid"})
_LANGUAGE_TAG: Final = re.compile(r"^[a-z]{2,3}([-_][a-z0-9]{1,8})*$", re.IGNORECASE)
#: XML's white space, which XLIFF's default ``xml:space`` collapses.
_XML_SPACE: Final = re.compile(r"[ \t\r\n]+")
_XML_SPACE_ATTRIBUTE: Final = "{http://www.w3.org/XML/1998/namespace}space"


class FileRefused(Exception):
    """The whole file is refused, with a code (for the API) and a message that says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Segment:
    """A source text and its translation (None or empty when untranslated), with its id."""

    id: str
    source: str
    target: str | None


@dataclass(frozen=True, slots=True)
class BilingualFile:
    """The segments of a file, in file order, and the languages the file states (if any)."""

    format: str
    segments: tuple[Segment, ...]
    source_language: Language | None
    target_language: Language | None


def glossary_language(tag: str | None) -> Language | None:
    """One of the glossary's languages for a locale tag or name (zh_CN, zh-TW, en-US, English).

    None for a tag of another language, or no tag.
    """
    if not tag:
        return None
    value = tag.strip().lower()
    if value in _NAMES:
        return _NAMES[value]
    parts = re.split(r"[-_@.]", value)
    if parts[0] == "en":
        return EN
    if parts[0] in {"zh", "cmn"}:
        return ZH_HANT if any(part in _CHINESE_TRADITIONAL for part in parts[1:]) else ZH_HANS
    return None


def _stated_language(tag: str | None, role: str) -> Language | None:
    """The glossary language a file states, or a refusal for a language the glossary has not."""
    if not tag or not tag.strip():
        return None
    language = glossary_language(tag)
    if language is None:
        if role == "source":
            message = _(
                "The file gives %(tag)s as its source language; the glossary has English, "
                "Simplified and Traditional Chinese only. Choose the languages to check it in."
            )
        else:
            message = _(
                "The file gives %(tag)s as its target language; the glossary has English, "
                "Simplified and Traditional Chinese only. Choose the languages to check it in."
            )
        raise FileRefused("unsupported_language", message % {"tag": tag})
    return language


def format_of(name: str, data: bytes) -> str:
    """The format of a file: by its name's extension, else by its first bytes."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"<"):
        return "xliff" if b"<xliff" in data[:4096] else "tmx"
    if re.search(rb"^msgid\s", data[:4096], re.MULTILINE):
        return "po"
    raise FileRefused(
        "unknown_format",
        _(
            "The file's format is not known from its name or its content. Check XLIFF, TMX, PO, "
            "CSV or XLSX files (named .xlf, .xliff, .tmx, .po, .csv, .tsv or .xlsx)."
        ),
    )


def read_file(
    data: bytes,
    name: str,
    *,
    source_language: Language | None = None,
    target_language: Language | None = None,
) -> BilingualFile:
    """The segments and stated languages of a file; languages given override the file's."""
    check_size(len(data))
    fmt = format_of(name, data)
    reader = {
        "xliff": _read_xliff,
        "tmx": _read_tmx,
        "po": _read_po,
        "csv": _read_csv,
        "xlsx": _read_xlsx,
    }[fmt]
    segments, stated_source, stated_target = reader(data, target_language)
    return BilingualFile(
        format=fmt,
        segments=segments,
        source_language=source_language or stated_source,
        target_language=target_language or stated_target,
    )


def check_size(size: int) -> None:
    """Refuse a file larger than the limit, before reading it."""
    limit = limits.max_bytes()
    if size > limit:
        raise FileRefused(
            "too_large",
            _(
                "The file is %(size)s MB; a checked file may be at most %(limit)s MB. Split it "
                "and check the parts."
            )
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:g}"},
        )


def _collect(pairs: Iterable[tuple[str, str, str | None]]) -> tuple[Segment, ...]:
    """The segments, refusing the file at the first one over a limit."""
    most = limits.max_segments()
    longest = limits.max_segment_length()
    segments: list[Segment] = []
    for segment_id, source, target in pairs:
        if len(segments) == most:
            raise FileRefused(
                "too_many_segments",
                _(
                    "The file has more than %(limit)s segments; a checked file may have at most "
                    "%(limit)s. Split it and check the parts."
                )
                % {"limit": f"{most:,}"},
            )
        for text in (source, target or ""):
            if len(text) > longest:
                raise FileRefused(
                    "segment_too_long",
                    _(
                        "Segment %(segment)s has a text of %(length)s characters; a segment's "
                        "source and target may each be at most %(limit)s characters long."
                    )
                    % {
                        "segment": segment_id,
                        "length": f"{len(text):,}",
                        "limit": f"{longest:,}",
                    },
                )
        segments.append(Segment(segment_id, source, target))
    return tuple(segments)


def _xml_root(data: bytes) -> etree._Element:
    """The root of an XML file, parsed safely; a clear refusal for a file that is not XML."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FileRefused(
            "bad_xml",
            _("The file is not well-formed XML: %(error)s (line %(line)s).")
            % {"error": exc.msg or exc, "line": exc.lineno},
        ) from exc


def _local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _wrong_root(expected: str, found: str) -> FileRefused:
    return FileRefused(
        "wrong_root",
        _("The file's root element is <%(found)s>; a %(format)s file has <%(expected)s>.")
        % {"found": found, "format": expected.upper(), "expected": expected},
    )


def _plain(text: Any) -> str | None:
    return None if text is None else str(text)


def _read_xliff(data: bytes, target_language: Language | None) -> Any:
    from translate.storage import xliff, xliff2

    root = _xml_root(data)
    if _local_name(root) != "xliff":
        raise _wrong_root("xliff", _local_name(root))
    version = root.get("version", "")
    namespace = etree.QName(root).namespace or ""
    two = version.startswith("2.") or ":document:2." in namespace
    store_class: Any = xliff2.Xliff2File if two else xliff.xlifffile
    try:
        store = store_class.parsestring(data)
    except Exception as exc:  # translate-toolkit raises many kinds for a broken file
        raise FileRefused(
            "bad_file", _("The XLIFF file cannot be read: %(error)s") % {"error": exc}
        ) from exc

    def pairs() -> Iterator[tuple[str, str, str | None]]:
        for number, unit in enumerate(store.units, start=1):
            if unit.isheader() or not unit.istranslatable():
                continue
            unit_id = (unit.getid() or "").replace("\x04", ":") or str(number)
            source = _xliff_text(unit.source_dom) or ""
            yield unit_id, source, _xliff_text(unit.target_dom)

    segments = _collect(pairs())
    if two:
        stated = (root.get("srcLang"), root.get("trgLang"))
    else:
        stated = (
            _xliff1_language(root, "source-language"),
            _xliff1_language(root, "target-language"),
        )
    stated_source = _stated_language(stated[0], "source")
    stated_target = _stated_language(stated[1], "target")
    return segments, stated_source, stated_target


def _xliff_text(node: etree._Element | None) -> str | None:
    """The text a reader sees of an XLIFF ``source`` or ``target`` element, None without one.

    The element's content, its inline codes included, is written out as XML without namespaces
    (the extractor reads XLIFF's elements by their local names) and read by ``extract``.
    Comments, processing instructions and entities the file does not define (never expanded)
    are left out.
    """
    if node is None:
        return None
    bare = copy.deepcopy(node) if len(node) else node
    for other in list(bare.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity)):
        _drop_keeping_tail(other)
    if len(bare) == 0:
        # No inline code: the text as it is (what the extractor makes of it, without its cost).
        text = bare.text or ""
        return text if _xml_space(node) == "preserve" else _collapse(text)
    for element in bare.iter():
        element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(bare)
    content = html.escape(bare.text or "", quote=False) + "".join(
        etree.tostring(child, encoding="unicode", with_tail=True) for child in bare
    )
    try:
        text = extract(content, "xliff").text
    except MarkupError as exc:  # not expected: the content is written out by lxml
        raise FileRefused(
            "bad_file", _("The XLIFF file cannot be read: %(error)s") % {"error": exc}
        ) from exc
    return text if _xml_space(node) == "preserve" else _collapse(text)


def _collapse(text: str) -> str:
    """XML's white space collapsed as ``xml:space="default"`` reads it."""
    return _XML_SPACE.sub(" ", text).strip(" \t\r\n")


def _drop_keeping_tail(node: Any) -> None:
    """Remove a node from its parent, keeping the text that follows it."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail or ""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def _xml_space(node: etree._Element) -> str:
    """The ``xml:space`` in force on an element: its own or its nearest ancestor's."""
    for element in (node, *node.iterancestors()):
        value = element.get(_XML_SPACE_ATTRIBUTE)
        if value is not None:
            return value
    return "default"


def _xliff1_language(root: etree._Element, attribute: str) -> str | None:
    for element in root.iter():
        if _local_name(element) == "file":
            return element.get(attribute)
    return None


def _read_tmx(data: bytes, target_language: Language | None) -> Any:
    from translate.storage import tmx

    root = _xml_root(data)
    if _local_name(root) != "tmx":
        raise _wrong_root("tmx", _local_name(root))
    header = root.find("header")
    source_tag = header.get("srclang") if header is not None else None
    if source_tag and source_tag.lower() == "*all*":
        source_tag = None
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    tags = list(dict.fromkeys(tuv.get(lang) or tuv.get("lang") or "" for tuv in root.iter("tuv")))
    if not source_tag and tags:
        source_tag = tags[0]
    others = [tag for tag in tags if tag and tag.lower() != (source_tag or "").lower()]
    target_tag = None
    if target_language is not None:
        target_tag = next(
            (tag for tag in others if glossary_language(tag) == target_language), None
        )
    elif len(others) == 1:
        target_tag = others[0]
    elif len(others) > 1:
        raise FileRefused(
            "ambiguous_target",
            _(
                "The file holds translations into %(languages)s: choose the target language "
                "to check."
            )
            % {"languages": ", ".join(others)},
        )
    try:
        store = tmx.tmxfile.parsestring(data, sourcelanguage=source_tag, targetlanguage=target_tag)
    except Exception as exc:  # translate-toolkit raises many kinds for a broken file
        raise FileRefused(
            "bad_file", _("The TMX file cannot be read: %(error)s") % {"error": exc}
        ) from exc

    def pairs() -> Iterator[tuple[str, str, str | None]]:
        for number, unit in enumerate(store.units, start=1):
            tuid = unit.xmlelement.get("tuid") if hasattr(unit, "xmlelement") else None
            target = _plain(unit.target) if target_tag else None
            yield tuid or str(number), _plain(unit.source) or "", target

    segments = _collect(pairs())
    return (
        segments,
        _stated_language(source_tag, "source"),
        (_stated_language(target_tag, "target") if target_tag else target_language),
    )


def _read_po(data: bytes, target_language: Language | None) -> Any:
    from translate.storage import pypo

    try:
        store = pypo.pofile.parsestring(data)
    except Exception as exc:  # translate-toolkit raises many kinds for a broken file
        raise FileRefused(
            "bad_file", _("The PO file cannot be read: %(error)s") % {"error": exc}
        ) from exc
    units = [unit for unit in store.units if not unit.isheader() and not unit.isobsolete()]
    if not units and not data.lstrip(b"\xef\xbb\xbf \t\r\n#").startswith(b"msg"):
        raise FileRefused("bad_file", _("The file holds no PO entries (msgid and msgstr)."))

    def pairs() -> Iterator[tuple[str, str, str | None]]:
        for number, unit in enumerate(units, start=1):
            context = unit.getcontext()
            segment_id = f"{number} ({context})" if context else str(number)
            yield segment_id, str(unit.source or ""), _plain(unit.target)

    segments = _collect(pairs())
    stated_target = _stated_language(store.gettargetlanguage(), "target")
    return segments, None, stated_target


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileRefused(
            "not_utf8",
            _(
                "The file is not UTF-8: the byte at offset %(offset)d (line %(line)d) cannot be "
                "read. Save the file as UTF-8 and check it again."
            )
            % {"offset": exc.start, "line": line},
        ) from exc


def _columns(
    header: list[str],
) -> tuple[int, int, int | None, Language | None, Language | None] | None:
    """Source and target columns (and id column, stated languages) named by a header row."""
    names = [cell.strip().lower() for cell in header]
    source = next((i for i, name in enumerate(names) if name in _SOURCE_NAMES), None)
    target = next((i for i, name in enumerate(names) if name in _TARGET_NAMES), None)
    identifier = next((i for i, name in enumerate(names) if name in _ID_NAMES), None)
    languages = [
        (i, glossary_language(name))
        for i, name in enumerate(names)
        if name in _NAMES or (_LANGUAGE_TAG.match(name) and glossary_language(name))
    ]
    source_language = target_language = None
    if source is None and target is None and len(languages) >= 2:
        (source, source_language), (target, target_language) = languages[0], languages[1]
    if source is None or target is None:
        return None
    return source, target, identifier, source_language, target_language


def _table(rows: Iterable[list[str]]) -> Any:
    """Segments from rows of cells: a header names the columns, else the first two are used."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return (), None, None
    named = _columns(first)
    if named is None:
        if len(first) < 2:
            raise FileRefused(
                "bad_table",
                _(
                    "The table has one column; a bilingual table has the source text in one "
                    "column and its translation in another (name them source and target in "
                    "the first row, or put them first)."
                ),
            )
        source, target, identifier, source_language, target_language = 0, 1, None, None, None
        data_rows: Iterable[tuple[int, list[str]]] = _numbered([first], iterator)
    else:
        source, target, identifier, source_language, target_language = named
        data_rows = _numbered([], iterator, start=2)

    def pairs() -> Iterator[tuple[str, str, str | None]]:
        for number, row in data_rows:
            cells = row + [""] * (max(source, target) + 1 - len(row))
            if not any(cell.strip() for cell in cells):
                continue
            segment_id = (
                cells[identifier].strip()
                if identifier is not None and identifier < len(row)
                else ""
            ) or str(number)
            yield segment_id, cells[source], cells[target]

    return _collect(pairs()), source_language, target_language


def _numbered(
    head: list[list[str]], rest: Iterator[list[str]], start: int = 1
) -> Iterator[tuple[int, list[str]]]:
    number = start
    for row in head:
        yield number, row
        number += 1
    for row in rest:
        yield number, row
        number += 1


def _read_csv(data: bytes, target_language: Language | None) -> Any:
    text = _decode(data)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return _table(reader)
    except csv.Error as exc:
        raise FileRefused(
            "bad_table", _("The CSV file cannot be read: %(error)s") % {"error": exc}
        ) from exc


def _read_xlsx(data: bytes, target_language: Language | None) -> Any:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRefused(
            "bad_xlsx",
            _("The file is not an XLSX workbook (or it is truncated): %(error)s") % {"error": exc},
        ) from exc
    if unpacked > limits.max_bytes() * limits.UNPACK_FACTOR:
        raise FileRefused(
            "too_large",
            _("The workbook would unpack to %(size)s MB, which is more than a check takes.")
            % {"size": f"{unpacked / 1048576:.0f}"},
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise FileRefused(
            "bad_xlsx", _("The workbook cannot be read: %(error)s") % {"error": exc}
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows = (
            ["" if value is None else str(value) for value in row]
            for row in sheet.iter_rows(values_only=True)
        )
        return _table(rows)
    finally:
        book.close()
