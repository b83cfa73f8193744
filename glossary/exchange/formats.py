"""The formats, by name: the one list the API, the commands and the admin share."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from glossary.exchange import cat, mt, tbx, tbx2008, xlsx
from glossary.exchange import csv as csv_format
from glossary.exchange import json as json_format
from glossary.exchange.published import Export
from glossary.exchange.records import ImportFile
from glossary.exchange.safety import FileData, ImportRefused, head_of


@dataclass(frozen=True)
class ExportFormat:
    name: str
    description: object  # lazy text
    content_type: str
    suffix: str
    stream: Callable[[Export], Iterator[bytes]]
    #: Whether the file carries the concepts' history (the MT formats do not).
    history: bool = True


EXPORTS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "tbx",
            gettext_lazy("TBX (ISO 30042:2019), TBX-Basic, DCA style; lossless"),
            "application/x-tbx",
            ".tbx",
            tbx.stream,
        ),
        ExportFormat(
            "tbx2008",
            gettext_lazy("TBX 2008 (martif) for older CAT tools and translate-toolkit"),
            "application/x-tbx",
            ".martif.tbx",
            tbx2008.stream,
        ),
        ExportFormat(
            "csv",
            gettext_lazy("CSV for tools: UTF-8, one row per concept"),
            "text/csv; charset=utf-8",
            ".csv",
            csv_format.stream,
            history=False,
        ),
        ExportFormat(
            "csv-excel",
            gettext_lazy("CSV for spreadsheets: UTF-8 with BOM, formula-safe cells"),
            "text/csv; charset=utf-8",
            ".excel.csv",
            partial(csv_format.stream, spreadsheet=True),
            history=False,
        ),
        ExportFormat(
            "xlsx",
            gettext_lazy("Excel workbook (XLSX), every cell text"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
            xlsx.stream,
            history=False,
        ),
        ExportFormat(
            "json",
            gettext_lazy("JSON, every field of every concept"),
            "application/json",
            ".json",
            json_format.stream,
        ),
        ExportFormat(
            "deepl",
            gettext_lazy("DeepL glossary, English to Chinese (EN → ZH), TSV"),
            "text/tab-separated-values; charset=utf-8",
            ".deepl-en-zh.tsv",
            mt.stream_deepl_tsv,
            history=False,
        ),
        ExportFormat(
            "deepl-csv",
            gettext_lazy("DeepL glossary, English to Chinese (EN → ZH), CSV with language codes"),
            "text/csv; charset=utf-8",
            ".deepl-en-zh.csv",
            mt.stream_deepl_csv,
            history=False,
        ),
        ExportFormat(
            "omegat",
            gettext_lazy(
                "OmegaT glossary, English to one Chinese variant: UTF-8 tab-separated, "
                "status and the term to use instead in the comment"
            ),
            "text/tab-separated-values; charset=utf-8",
            ".omegat.utf8",
            cat.stream_omegat,
            history=False,
        ),
        ExportFormat(
            "tmx",
            gettext_lazy("TMX 1.4 term pairs (English to Chinese) for translation memories"),
            "application/x-tmx+xml",
            ".terms.tmx",
            cat.stream_tmx,
            history=False,
        ),
        ExportFormat(
            "xlsx-terms",
            gettext_lazy(
                "Terms workbook for memoQ, Phrase and Smartcat: one language per column, "
                "one term per cell"
            ),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".terms.xlsx",
            cat.stream_xlsx_terms,
            history=False,
        ),
        ExportFormat(
            "google",
            gettext_lazy("Google Cloud Translation equivalent term set (en, zh-CN, zh-TW)"),
            "text/csv; charset=utf-8",
            ".google.csv",
            mt.stream_google,
            history=False,
        ),
        ExportFormat(
            "amazon",
            gettext_lazy("Amazon Translate custom terminology (en, zh, zh-TW)"),
            "text/csv; charset=utf-8",
            ".amazon.csv",
            mt.stream_amazon,
            history=False,
        ),
    )
}

READERS: dict[str, Callable[[bytes], ImportFile]] = {
    "tbx": tbx.read,
    "tbx2008": tbx2008.read,
    "csv": csv_format.read,
    "xlsx": xlsx.read,
}

#: The same readers, handing on the entries an entry at a time (``records.ImportFile``).
STREAM_READERS: dict[str, Callable[[FileData], ImportFile]] = {
    "tbx": tbx.stream_read,
    "tbx2008": tbx2008.stream_read,
    "csv": csv_format.stream_read,
    "xlsx": xlsx.stream_read,
}


def stream(fmt: ExportFormat, export: Export) -> Iterator[bytes]:
    """The file's bytes, a piece at a time."""
    if not fmt.history:
        export.history = False
    return fmt.stream(export)


def guess_format(data: FileData, filename: str = "") -> str:
    """The reader for a file: by its first bytes, then by its name."""
    head = head_of(data, 64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"<"):
        return "tbx"
    name = filename.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".tbx", ".xml")):
        return "tbx"
    return "csv"


def read(data: bytes, fmt: str = "", filename: str = "") -> ImportFile:
    """Read a file in the given format (or the one its content shows), every entry now."""
    return READERS[_format(READERS, data, fmt, filename)](data)


def stream_read(data: FileData, fmt: str = "", filename: str = "") -> ImportFile:
    """Check a file in the given format (or the one its content shows); its entries are read
    as the import walks them, so that a file of any size is never held as records (nor, given
    as a ``FileOnDisk``, as bytes)."""
    return STREAM_READERS[_format(STREAM_READERS, data, fmt, filename)](data)


def _format(readers: Collection[str], data: FileData, fmt: str, filename: str) -> str:
    """The format to read the file as: the one given, or the one its content shows."""
    fmt = fmt or guess_format(data, filename)
    if fmt not in readers:
        raise ImportRefused(
            "unknown_format",
            _("Files in %(format)s cannot be imported; use one of %(formats)s.")
            % {"format": fmt, "formats": ", ".join(readers)},
        )
    return fmt
