"""Plain text out of an uploaded document (PDF, DOCX, HTML, plain text), and its language.

Maintained libraries do the reading: pypdf, python-docx, lxml. Limits are stated here and
enforced before anything is parsed where the size allows it; a file that cannot be read
(broken, encrypted, empty, too large) raises ``ExtractionError`` with a message for the person
who uploaded it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Final

from glossary.language.detect import detect

#: The largest file the radar reads, in bytes.
MAX_BYTES: Final = 20 * 1024 * 1024
#: The most pages read from a PDF.
MAX_PAGES: Final = 500
#: The most characters kept from a document's text.
MAX_CHARACTERS: Final = 2_000_000

PDF, DOCX, HTML, TEXT = "pdf", "docx", "html", "text"
FORMATS: Final = (PDF, DOCX, HTML, TEXT)

_SUFFIXES: Final = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".txt": TEXT,
    ".text": TEXT,
    ".md": TEXT,
}
_CONTENT_TYPES: Final = {
    "application/pdf": PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DOCX,
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "text/plain": TEXT,
    "text/markdown": TEXT,
}


class ExtractionError(ValueError):
    """The file cannot be read; ``message`` says why, for the person who uploaded it."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Extracted:
    text: str
    language: str | None  # "en", "zh-Hans", "zh-Hant", or None when the text has no letters
    format: str
    pages: int | None = None


def file_format(filename: str, content_type: str = "", data: bytes = b"") -> str | None:
    """Which reader a file needs: by its name, then its content type, then its first bytes."""
    name = filename.lower()
    for suffix, found in _SUFFIXES.items():
        if name.endswith(suffix):
            return found
    typed = _CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
    if typed:
        return typed
    if data.startswith(b"%PDF"):
        return PDF
    if data.startswith(b"PK"):
        return DOCX
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return HTML
    return None


def extract(data: bytes, *, filename: str = "", content_type: str = "") -> Extracted:
    """Read a file's text and detect its language; ``ExtractionError`` when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise ExtractionError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.", "too_large"
        )
    if not data.strip():
        raise ExtractionError("The file is empty.", "empty")
    kind = file_format(filename, content_type, data)
    pages = None
    if kind == PDF:
        text, pages = _pdf(data)
    elif kind == DOCX:
        text = _docx(data)
    elif kind == HTML:
        text = _html(data)
    elif kind == TEXT:
        text = decode_text(data)
    else:
        raise ExtractionError(
            "Unknown file type: upload a PDF, DOCX, HTML or plain text file.", "unknown_format"
        )
    text = tidy(text)[:MAX_CHARACTERS]
    if not re.search(r"\w", text):
        raise ExtractionError("No text was found in the file.", "no_text")
    return Extracted(text=text, language=detect(text), format=kind, pages=pages)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without its byte-order mark), else GB18030, which reads GB2312 and GBK."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError("The text is neither UTF-8 nor GB18030.", "encoding")


_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def tidy(text: str) -> str:
    """Lines stripped, runs of blank lines made one (a paragraph break), no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub(" ", text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _pdf(data: bytes) -> tuple[str, int]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError(
                "The PDF is encrypted; upload a copy without a password.", "encrypted"
            )
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise ExtractionError(
                f"The PDF has {count} pages; at most {MAX_PAGES} are read.", "too_many_pages"
            )
        texts = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ExtractionError("The PDF is broken and cannot be read.", "broken") from exc
    return "\n\n".join(texts), count


def _docx(data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError("The DOCX file is broken and cannot be read.", "broken") from exc
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n\n".join(parts)


_BLOCKS: Final = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article",
    "blockquote", "pre", "dt", "dd", "td", "th", "table", "ul", "ol", "header", "footer",
)  # fmt: skip


def _html(data: bytes) -> str:
    from lxml import etree, html

    try:
        root = html.fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError("The HTML file cannot be read.", "broken") from exc
    for element in root.xpath("//script|//style|//noscript|//template|//head"):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    return str(root.text_content())
