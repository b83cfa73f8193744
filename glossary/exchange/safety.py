"""Checks every imported file passes before any reader looks inside it.

A file is refused, with a message that says why, when it is larger than a glossary can be, is not
UTF-8, holds a control character (NUL and the rest; tab and line breaks aside), declares XML entities (entity expansion, external entities), is truncated or malformed
XML, or is a spreadsheet whose compressed parts would unpack to more than the size limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, overload

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from glossary.language import control_character

#: Default size limit of an imported file (setting GLOSSARY_IMPORT_MAX_BYTES).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


class ImportRefused(Exception):
    """The whole file is refused; nothing was read into the glossary."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def max_bytes() -> int:
    return int(getattr(settings, "GLOSSARY_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


#: Bytes read at a time when a file on disk is checked or searched.
CHUNK = 1 << 20


class FileOnDisk:
    """A file to import that stays on disk: read a piece at a time, again on each walk.

    The readers take it wherever they take a file's bytes (``FileData``), so that an import
    of a large file holds neither its bytes nor its text. A file that changes on disk while
    it is read is refused when it is opened again (an import reads it more than once).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._stat = self._signature()

    def __repr__(self) -> str:
        return f"FileOnDisk({str(self.path)!r})"

    def _signature(self) -> tuple[int, int]:
        stat = self.path.stat()
        return stat.st_size, stat.st_mtime_ns

    @property
    def size(self) -> int:
        return self._stat[0]

    def open(self) -> BinaryIO:
        handle = self.path.open("rb")
        if self._signature() != self._stat:
            handle.close()
            raise ImportRefused(
                "changed",
                _(
                    "The file changed on disk while it was being read, so nothing was "
                    "imported. Import it again once it is complete."
                ),
            )
        return handle


#: A file to read: its bytes, or the file on disk.
FileData = bytes | FileOnDisk


def open_data(data: FileData) -> BinaryIO:
    """The file from its start, as a binary stream to close after use."""
    return data.open() if isinstance(data, FileOnDisk) else io.BytesIO(data)


def size_of(data: FileData) -> int:
    return data.size if isinstance(data, FileOnDisk) else len(data)


def head_of(data: FileData, count: int) -> bytes:
    """The file's first ``count`` bytes."""
    if isinstance(data, FileOnDisk):
        with data.open() as handle:
            return handle.read(count)
    return data[:count]


def tail_of(data: FileData, count: int) -> bytes:
    """The file's last ``count`` bytes."""
    if isinstance(data, FileOnDisk):
        with data.open() as handle:
            handle.seek(max(0, data.size - count))
            return handle.read()
    return data[-count:]


def _pieces(data: FileData) -> Iterator[bytes]:
    with open_data(data) as handle:
        while piece := handle.read(CHUNK):
            yield piece


def contains(pattern: re.Pattern[bytes], data: FileData, *, reach: int = 64) -> bool:
    """Whether ``pattern`` (a match at most ``reach`` bytes long) occurs in the file."""
    if not isinstance(data, FileOnDisk):
        return bool(pattern.search(data))
    carried = b""
    for piece in _pieces(data):
        window = carried + piece
        if pattern.search(window):
            return True
        carried = window[-reach:]
    return False


def _complete(piece: bytes) -> int:
    """Where the UTF-8 sequence cut off at the end of ``piece`` starts (its length if none)."""
    for back in range(1, min(4, len(piece)) + 1):
        byte = piece[-back]
        if byte & 0xC0 == 0x80:  # a continuation byte: look further back
            continue
        needed = 1 if byte < 0x80 else 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
        return len(piece) - back if back < needed else len(piece)
    return len(piece)


def check_text(data: FileData) -> None:
    """Refuse a file that is not UTF-8 or that holds a control character (tab and line breaks
    aside), naming where, as ``require_utf8`` and ``refuse_control_characters`` do; read a
    megabyte at a time, so that the file's text is never held whole."""
    offset = 0  # bytes before the piece
    lines = 0  # line feeds before the piece
    column = 0  # characters after the last line feed before the piece
    carried = b""
    with open_data(data) as handle:
        while True:
            read = handle.read(CHUNK)
            piece = carried + read
            if not piece:
                return
            cut = _complete(piece) if read else len(piece)
            part, carried = piece[:cut], piece[cut:]
            try:
                text = part.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise not_utf8(
                    part[exc.start], offset + exc.start, lines + part.count(b"\n", 0, exc.start) + 1
                ) from exc
            found = control_character(text, line_breaks=True)
            if found is not None:
                line_start = text.rfind("\n", 0, found.index) + 1
                where = _("line %(line)d, column %(column)d") % {
                    "line": lines + text.count("\n", 0, found.index) + 1,
                    "column": found.index - line_start + 1 + (0 if line_start else column),
                }
                raise control_character_refused(str(found), where)
            offset += len(part)
            lines += text.count("\n")
            last = text.rfind("\n")
            column = len(text) - last - 1 if last >= 0 else column + len(text)
            if not read:
                return


def check_size(size: int) -> None:
    """Refuse a file larger than the limit, before reading it."""
    limit = max_bytes()
    if size > limit:
        raise ImportRefused(
            "too_large",
            _(
                "The file is %(size)s MB; an import may be at most %(limit)s MB. A glossary is "
                "far smaller than this: check that this is the right file."
            )
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
        )


def require_utf8(data: bytes) -> str:
    """The file as text, or a refusal naming the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise not_utf8(data[exc.start], exc.start, line) from exc


def not_utf8(byte: int, offset: int, line: int) -> ImportRefused:
    """The refusal of a file whose byte at ``offset`` (on ``line``) is not UTF-8."""
    return ImportRefused(
        "not_utf8",
        _(
            "The file is not UTF-8: byte 0x%(byte)02X at offset %(offset)d (line %(line)d) "
            "cannot be read. Save the file as UTF-8 and import it again."
        )
        % {"byte": byte, "offset": offset, "line": line},
    )


def refuse_control_characters(text: str) -> None:
    """Refuse a text file holding a control character other than tab and line breaks.

    NUL and the other controls are never part of a glossary (PostgreSQL cannot even store NUL):
    a file holding one is damaged or not a glossary file, so it is refused whole, naming where.
    """
    found = control_character(text, line_breaks=True)
    if found is None:
        return
    line_start = text.rfind("\n", 0, found.index) + 1
    where = _("line %(line)d, column %(column)d") % {
        "line": text.count("\n", 0, found.index) + 1,
        "column": found.index - line_start + 1,
    }
    raise control_character_refused(str(found), where)


def control_character_refused(character: str, where: str) -> ImportRefused:
    """The refusal of a file holding a control character (``where``: "line 3, column 5")."""
    return ImportRefused(
        "control_character",
        _(
            "The file holds %(character)s at %(where)s: a control character that no glossary "
            "text may hold, so nothing was imported. The file may be damaged or not a glossary "
            "file; export it again."
        )
        % {"character": character, "where": where},
    )


@overload
def checked_xml(data: bytes) -> bytes: ...


@overload
def checked_xml(data: FileOnDisk) -> FileOnDisk: ...


def checked_xml(data: FileData) -> FileData:
    """The XML document of a file, once the checks that need no parsing pass.

    Refused: a file over the size limit, not UTF-8 (or declaring another encoding), holding a
    control character, or declaring XML entities. A file on disk stays there (the parser
    reads it, and a byte-order mark, itself); bytes lose their byte-order mark.
    """
    check_size(size_of(data))
    check_text(data)
    head = head_of(data, 1024)
    head = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    body = data[3:] if isinstance(data, bytes) and data.startswith(b"\xef\xbb\xbf") else data
    declared = _XML_DECLARATION.match(head.lstrip())
    if declared and declared.group(1).lower().replace(b"_", b"-") not in {b"utf-8", b"utf8"}:
        raise ImportRefused(
            "not_utf8",
            _("The file declares the encoding %(encoding)s; only UTF-8 files are imported.")
            % {"encoding": declared.group(1).decode("ascii", "replace")},
        )
    if contains(_ENTITY_DECLARATION, body):
        raise ImportRefused(
            "entities",
            _(
                "The file declares XML entities (<!ENTITY …>). Entity declarations are refused "
                "because they can expand without limit or read other files; remove the DOCTYPE."
            ),
        )
    return body


#: How every imported XML document is parsed: no DTD loading, no entities, no network, no
#: huge trees.
PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def parse_xml(data: bytes) -> etree._Element:
    """Parse XML safely: no DTD loading, no entities, no network, no huge trees."""
    body = checked_xml(data)
    parser = etree.XMLParser(**PARSER_OPTIONS)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise xml_refused(exc, body) from exc
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise ImportRefused("entities", _("The file declares XML entities; it is refused."))
    if has_doctype(body) and any(isinstance(node, etree._Entity) for node in root.iter()):
        raise entities_refused()
    return root


def has_doctype(body: FileData) -> bool:
    return contains(_DOCTYPE, body)


def entities_refused() -> ImportRefused:
    return ImportRefused("entities", _("The file uses XML entities; it is refused."))


def xml_refused(exc: etree.XMLSyntaxError, body: FileData) -> ImportRefused:
    """The refusal of a document that is not well-formed: truncated, or otherwise broken."""
    message = str(exc.msg or exc)
    # A cut-off download rarely ends on a closing tag; a malformed file usually does.
    if not _closes_root(tail_of(body, 200)):
        return ImportRefused(
            "truncated",
            _(
                "The file ends before its XML is complete (line %(line)s): it looks "
                "truncated. Export or download it again."
            )
            % {"line": exc.lineno},
        )
    return ImportRefused(
        "bad_xml",
        _("The file is not well-formed XML: %(error)s (line %(line)s, column %(column)s).")
        % {"error": message, "line": exc.lineno, "column": exc.position[1]},
    )


def _closes_root(tail: bytes) -> bool:
    """Whether the document's last bytes end with a closing tag (a truncated file's rarely do)."""
    return bool(re.search(rb"</[A-Za-z_][\w:.-]*>\s*$", tail))


def check_zip(data: FileData) -> zipfile.ZipFile:
    """Open a spreadsheet's zip container, refusing one that would unpack beyond the limit."""
    check_size(size_of(data))
    try:
        archive = zipfile.ZipFile(data.path if isinstance(data, FileOnDisk) else io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(
            "bad_xlsx",
            _("The file is not an XLSX workbook (or it is truncated): %(error)s") % {"error": exc},
        ) from exc
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_bytes():
        raise ImportRefused(
            "too_large",
            _(
                "The workbook would unpack to %(size)s MB, more than the import limit of "
                "%(limit)s MB; it is refused."
            )
            % {"size": f"{unpacked / 1048576:.0f}", "limit": f"{max_bytes() / 1048576:.0f}"},
        )
    for member in members:
        if member.filename.endswith(".xml") or member.filename.endswith(".rels"):
            head = archive.open(member).read(4096)
            if _ENTITY_DECLARATION.search(head) or _DOCTYPE.search(head):
                raise ImportRefused(
                    "entities",
                    _("The workbook's part %(name)s declares XML entities; it is refused.")
                    % {"name": member.filename},
                )
    return archive
