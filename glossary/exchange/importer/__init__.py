"""Importing a read file into drafts: all or nothing, with a report per entry; import from here.

``run`` takes the file through the steps, a batch of entries at a time: ``plan`` checks each
entry and merges repeats, ``match`` finds what each is in the glossary (sources and domains
too) and decides the outcome, ``write`` creates and updates the drafts (and publishes a
bootstrap), ``report`` says what happened, keeping it on disk.
"""

from glossary.exchange.importer.match import (
    CHUNK,
    FileState,
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
    plan_entry,
    repeat_entry,
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
    EntryLog,
    EntryReport,
    ImportReport,
)
from glossary.exchange.importer.run import ANALYZE_AFTER, BATCH, import_file
from glossary.exchange.importer.write import write_entries, write_relations

__all__ = [
    "ANALYZE_AFTER",
    "BATCH",
    "CHUNK",
    "CONFLICT",
    "CREATED",
    "ERROR",
    "EntryLog",
    "EntryReport",
    "FileState",
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
    "plan_entry",
    "reference_rows",
    "repeat_entry",
    "same_term",
    "write_entries",
    "write_relations",
]
