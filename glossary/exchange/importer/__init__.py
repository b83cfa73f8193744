"""Importing a read file into drafts: all or nothing, with a report per entry; import from here.

``run`` takes the file through the steps: ``plan`` merges and checks its entries, ``match``
finds what each is in the glossary (sources and domains too) and decides the outcome, ``write``
creates and updates the drafts (and publishes a bootstrap), ``report`` says what happened.
"""

from glossary.exchange.importer.match import (
    CHUNK,
    decide_outcomes,
    in_chunks,
    match_entries,
    reference_rows,
)
from glossary.exchange.importer.plan import (
    Plan,
    PublishPlan,
    fail_entry,
    keep_details,
    merge_records,
    plan_entries,
    same_term,
)
from glossary.exchange.importer.report import (
    CONFLICT,
    CREATED,
    ERROR,
    PROBLEMS,
    SKIPPED_LABELS,
    STATUS_LABELS,
    UNCHANGED,
    UPDATED,
    EntryReport,
    ImportReport,
)
from glossary.exchange.importer.run import ANALYZE_AFTER, import_file
from glossary.exchange.importer.write import write_entries

__all__ = [
    "ANALYZE_AFTER",
    "CHUNK",
    "CONFLICT",
    "CREATED",
    "ERROR",
    "EntryReport",
    "ImportReport",
    "PROBLEMS",
    "Plan",
    "PublishPlan",
    "SKIPPED_LABELS",
    "STATUS_LABELS",
    "UNCHANGED",
    "UPDATED",
    "decide_outcomes",
    "fail_entry",
    "import_file",
    "in_chunks",
    "keep_details",
    "match_entries",
    "merge_records",
    "plan_entries",
    "reference_rows",
    "same_term",
    "write_entries",
]
