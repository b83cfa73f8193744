"""Checks every imported file passes before any reader looks inside it.

A file is refused, with a message that says why, when it is larger than a glossary can be, is not
UTF-8, holds a control character (NUL and the rest; tab and line breaks aside), declares XML entities (entity expansion, external entities), is truncated or malformed
XML, or is a spreadsheet whose compressed parts would unpack to more than the size limit.
"""

from __future__ import annotations

import io
import re
import zipfile

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
        raise ImportRefused(
            "not_utf8",
            _(
                "The file is not UTF-8: byte 0x%(byte)02X at offset %(offset)d (line %(line)d) "
                "cannot be read. Save the file as UTF-8 and import it again."
            )
            % {"byte": data[exc.start], "offset": exc.start, "line": line},
        ) from exc


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


def checked_xml(data: bytes) -> bytes:
    """The XML document of a file, once the checks that need no parsing pass.

    Refused: a file over the size limit, not UTF-8 (or declaring another encoding), holding a
    control character, or declaring XML entities.
    """
    check_size(len(data))
    refuse_control_characters(require_utf8(data))
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    declared = _XML_DECLARATION.match(body.lstrip())
    if declared and declared.group(1).lower().replace(b"_", b"-") not in {b"utf-8", b"utf8"}:
        raise ImportRefused(
            "not_utf8",
            _("The file declares the encoding %(encoding)s; only UTF-8 files are imported.")
            % {"encoding": declared.group(1).decode("ascii", "replace")},
        )
    if _ENTITY_DECLARATION.search(body):
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


def has_doctype(body: bytes) -> bool:
    return bool(_DOCTYPE.search(body))


def entities_refused() -> ImportRefused:
    return ImportRefused("entities", _("The file uses XML entities; it is refused."))


def xml_refused(exc: etree.XMLSyntaxError, body: bytes) -> ImportRefused:
    """The refusal of a document that is not well-formed: truncated, or otherwise broken."""
    message = str(exc.msg or exc)
    # A cut-off download rarely ends on a closing tag; a malformed file usually does.
    if not _closes_root(body):
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


def _closes_root(body: bytes) -> bool:
    """Whether the document ends with a closing tag (a truncated file usually does not)."""
    return bool(re.search(rb"</[A-Za-z_][\w:.-]*>\s*$", body[-200:]))


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Open a spreadsheet's zip container, refusing one that would unpack beyond the limit."""
    check_size(len(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
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
