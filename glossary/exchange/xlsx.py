"""XLSX (openpyxl): the CSV columns in a workbook, every cell stored as a string, never a formula.

The workbook is written in openpyxl's write-only mode, which keeps rows in a temporary file
rather than in memory; a second sheet, "About", states the release and date it was made from.
Reading accepts the same columns (or the simple layout) on the first sheet. A worksheet does not
store empty cells, so a row shorter than the first is read with the rest empty; a value beyond
the columns the first row names is an error.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from glossary.exchange import csv as csv_format
from glossary.exchange.published import Export
from glossary.exchange.records import GLOSSARY_TITLE, Entries, ImportEntry, ImportFile
from glossary.exchange.safety import (
    FileData,
    ImportRefused,
    check_zip,
    control_character_refused,
    open_data,
)
from glossary.language import control_character

SHEET = "Glossary"
CHUNK = 64 * 1024
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_ILLEGAL.sub("", value))
    # openpyxl takes a value starting with "=" for a formula; a glossary holds none.
    cell.data_type = "s"
    return cell


def write(export: Export, target) -> None:
    """Write the workbook to a path or a binary file."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.freeze_panes = "B2"
    sheet.append([_cell(sheet, column) for column in csv_format.COLUMNS])
    for record in export.records():
        sheet.append([_cell(sheet, value) for value in csv_format.row_of(record, export.meta)])
    about = book.create_sheet("About")
    for row in (
        ("title", GLOSSARY_TITLE),
        ("made from", export.meta.describe()),
        ("release", export.meta.release or "published concepts, no release"),
        ("date", export.meta.date.isoformat()),
        ("subject field", export.meta.domain or "all"),
    ):
        about.append([_cell(about, value) for value in row])
    book.save(target)


def stream(export: Export) -> Iterator[bytes]:
    """The workbook's bytes: written to a temporary file first (a zip is written at the end)."""
    with tempfile.TemporaryFile() as handle:
        write(export, handle)
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            yield chunk


def read(data: bytes) -> ImportFile:
    return csv_format.materialise(stream_read(data))


def stream_read(data: FileData, fmt: str = "xlsx") -> ImportFile:
    """A workbook checked whole (zip, size, entities); its rows read as the entries are walked.

    Each walk opens the workbook again in openpyxl's read-only mode, which reads the sheet a
    row at a time; a cell holding a control character refuses the file when a walk reaches it.
    """
    archive = check_zip(data)
    archive.close()
    with open_data(data) as handle:
        _open(handle).close()
    result = ImportFile(format=fmt)
    result.entries = Entries(lambda: _walk(data, result))
    return result


def _open(handle: BinaryIO) -> Any:
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ImportRefused(
            "bad_xlsx", _("The workbook cannot be read: %(error)s") % {"error": exc}
        ) from exc


def _walk(data: FileData, result: ImportFile) -> Iterator[ImportEntry]:
    # Opened as every reader opens a file: one on disk that changed since is refused here.
    with open_data(data) as handle:
        book = _open(handle)
        try:
            sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
            what = _("sheet %(name)s, ") % {"name": sheet.title}
            # A workbook stores no empty cells, so a short row is not a cut one: a truncated
            # workbook is not a readable zip and was refused before.
            yield from csv_format.table_entries(_rows(sheet), result, what=what, sparse=True)
        finally:
            book.close()


def _rows(sheet: Any) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of each row, refusing a cell with a control character."""
    # Numbered from the sheet's first row, so that each entry names the row a person sees.
    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        cells = ["" if value is None else str(value) for value in row]
        # One search per row (joined by a line feed, which is allowed); cells only on a hit.
        if control_character("\n".join(cells), line_breaks=True) is not None:
            for column, value in enumerate(cells, start=1):
                found = control_character(value, line_breaks=True)
                if found is not None:
                    where = _("sheet %(name)s, cell %(cell)s") % {
                        "name": sheet.title,
                        "cell": f"{get_column_letter(column)}{number}",
                    }
                    raise control_character_refused(str(found), where)
        yield number, cells
