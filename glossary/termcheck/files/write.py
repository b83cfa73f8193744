"""A file check's report as CSV, XLSX and a standalone HTML page.

The CSV lists the problems, one row each: a segment's source and target on its first row only
(so that a segment with many problems is not written many times). The "authorities" column of a
problem and of a concept says which authorities give the unpreferred terms the translation uses
("recommended by …"), in the interface language. The XLSX holds the same rows,
the summary per concept and the totals, each on a sheet of its own; the HTML page all three,
with no script and no outside resource, for a translator to keep.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from glossary.termcheck.authorities import said
from glossary.termcheck.files.report import PROBLEMS, FileReport

#: The writers, by the name of their format, with the type and extension of their file.
REPORTS: Final = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "html": ("text/html; charset=utf-8", "html"),
}
COLUMNS: Final = (
    "segment",
    "source",
    "target",
    "concept",
    "verdict",
    "source_terms",
    "target_terms",
    "use",
    "authorities",
)
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def problem_rows(report: FileReport) -> Iterator[list[str]]:
    """A row per problem; a segment's texts on its first row only."""
    for segment in report.flagged:
        for number, problem in enumerate(segment.problems):
            first = number == 0
            yield [
                segment.segment,
                segment.source if first else "",
                segment.target if first else "",
                problem.concept,
                problem.verdict,
                " | ".join(problem.source_terms),
                " | ".join(problem.target_terms),
                problem.use or "",
                said(report.authorities_of(problem)),
            ]


def concept_rows(report: FileReport) -> Iterator[list[str | int]]:
    for concept in report.concepts:
        yield [
            concept.concept,
            concept.term,
            concept.expected or "",
            concept.segments,
            concept.occurrences,
            *(concept.verdicts[verdict] for verdict in concept.verdicts),
            concept.problems,
            said(report.authorities_of(concept)),
        ]


def concept_columns(report: FileReport) -> list[str]:
    verdicts = list(report.concepts[0].verdicts) if report.concepts else []
    return [
        "concept",
        "term",
        "expected",
        "segments",
        "occurrences",
        *verdicts,
        "problems",
        "authorities",
    ]


def _neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading ' before anything that starts a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(report: FileReport) -> bytes:
    """The problems as CSV for spreadsheets (UTF-8 with a BOM, formulas neutralised)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in problem_rows(report):
        writer.writerow([_neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(report: FileReport) -> bytes:
    """Problems, concepts and totals, a sheet each (cells as text, never as formulas)."""
    book = Workbook(write_only=True)

    def sheet(title: str, header: list[str], rows: Iterable[Sequence[object]]) -> None:
        worksheet = book.create_sheet(title)
        worksheet.append(header)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(worksheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a text starting with = stays text
                cells.append(cell)
            worksheet.append(cells)

    sheet("Problems", list(COLUMNS), problem_rows(report))
    sheet("Concepts", concept_columns(report), concept_rows(report))
    totals = report.totals()
    sheet(
        "Totals",
        ["file", "source_language", "target_language", "glossary", *totals],
        iter(
            [
                [
                    report.name,
                    report.source_language,
                    report.target_language,
                    report.glossary,
                    *totals.values(),
                ]
            ]
        ),
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_html(report: FileReport) -> bytes:
    """A standalone page in the interface language: totals, concepts, then each segment."""
    return render_to_string(
        "glossary/check_file_report.html",
        {
            "report": report,
            "totals": report.totals(),
            "problem_verdicts": PROBLEMS,
            # What each concept and problem says of authorities, in the interface language.
            "concepts": [
                (concept, said(report.authorities_of(concept))) for concept in report.concepts
            ],
            "segments": [
                (
                    segment,
                    [
                        (problem, said(report.authorities_of(problem)))
                        for problem in segment.problems
                    ],
                )
                for segment in report.flagged
            ],
        },
    ).encode("utf-8")


def render(report: FileReport, fmt: str) -> bytes:
    """The report in one of ``REPORTS``."""
    return {"csv": to_csv, "xlsx": to_xlsx, "html": to_html}[fmt](report)


def filename(report: FileReport, fmt: str) -> str:
    """The report's file name: the checked file's, with ``-terms`` and the format's extension."""
    stem = report.name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "file"
    # ASCII only: the name goes into a Content-Disposition header as it is.
    safe = "".join(
        char if (char.isascii() and char.isalnum()) or char in "-_." else "_" for char in stem
    )[:80]
    return f"{safe}-terms.{REPORTS[fmt][1]}"
