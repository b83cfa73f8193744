"""Checking translators' bilingual files (XLIFF, TMX, PO, CSV, XLSX) segment by segment.

``read`` turns a file into segments and the languages it states, ``report`` checks them with
the engine and makes the report, ``write`` writes it as CSV, XLSX or HTML, and ``limits`` holds
the limits every entry point enforces. ``glossary.termcheck.service.check_file`` runs a check
against the published glossary. Import from here.
"""

from glossary.termcheck.files.limits import max_bytes, max_segment_length, max_segments
from glossary.termcheck.files.read import (
    EXTENSIONS,
    FORMATS,
    BilingualFile,
    FileRefused,
    Segment,
    check_size,
    glossary_language,
    read_file,
)
from glossary.termcheck.files.report import (
    PROBLEMS,
    ConceptSummary,
    FileReport,
    Problem,
    SegmentReport,
    check_file,
)
from glossary.termcheck.files.write import REPORTS, filename, render

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "PROBLEMS",
    "REPORTS",
    "BilingualFile",
    "ConceptSummary",
    "FileRefused",
    "FileReport",
    "Problem",
    "Segment",
    "SegmentReport",
    "check_file",
    "check_size",
    "filename",
    "glossary_language",
    "max_bytes",
    "max_segment_length",
    "max_segments",
    "read_file",
    "render",
]
