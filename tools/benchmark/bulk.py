"""The benchmark's bulk loader: the rest of a large glossary, written as the importer writes it.

A glossary of a million concepts would take more than an hour to build through the importer,
which checks, matches and reports every entry of the file. The benchmark therefore imports the
first entries of its file through the real importer (``--import-entries``, 100,000 by default,
the stage it times) and writes the rest with this loader.

The loader writes exactly the rows the importer would have written for those entries: it reads
them with the importer's own reader, plans each entry with the importer's ``plan_entry``, gives a
new concept the identifier the importer would give it, and then writes through the very services
the importer's bootstrap calls, in the same order: ``concepts_create``, ``versions_submit`` (not
assessed, as an import is not), then ``versions_approve`` by each reviewer, with the import's
reason on each submission and approval. What it leaves out is the importer's own work on an
arbitrary file, which the benchmark's file does not need: matching against the glossary (every
entry is a new concept with an English term no other entry has; the loader refuses a file where
that is not so), merging repeated rows, relations, new sources and domains (every source it cites
must be in the glossary already, written by the import), and the per-entry report. Each batch is
its own transaction, so the loader's memory does not grow with the file.

``tests/benchmark/test_bulk.py`` proves it: for a small file, the database after importing all of
it and the database after importing its start and loading the rest are the same, table by table,
ignoring ids and timestamps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import connection, transaction

from glossary.core import services
from glossary.core.choices import Language, VersionState
from glossary.core.fields import TERM_FIELDS
from glossary.core.models import Concept, Source
from glossary.exchange import formats
from glossary.exchange.importer import CHUNK, PROBLEMS, PublishPlan, plan_entry
from glossary.exchange.importer.match import digest, uid_base
from glossary.exchange.records import LANGUAGES, ConceptRecord

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Rows of the file read, planned and written together (one transaction each).
BATCH = 2000


class BulkLoadError(Exception):
    """The file holds something the loader does not write as the importer would."""


def _chunks(path: Path, skip: int) -> Iterator[tuple[int, bytes]]:
    """The file's data rows after the first ``skip``, a batch at a time, each with the header
    (the benchmark's file has one row a line), with the index of the batch's first entry."""
    with path.open("rb") as handle:
        header = handle.readline()
        lines = iter(handle)
        index = 0
        while rows := list(islice(lines, BATCH)):
            if index + len(rows) > skip:
                start = max(skip - index, 0)
                yield index + start, header + b"".join(rows[start:])
            index += len(rows)


def _draft_data(record: ConceptRecord, sources: dict[str, Source]) -> services.DraftData:
    """The services' DraftData for a record, as the importer makes it (no domains, relations
    or history: the benchmark's file has none)."""
    missing = sorted({c.source for c in record.citations if c.source not in sources})
    if missing:
        raise BulkLoadError(f"{record.uid}: the sources {missing} are not in the glossary.")
    return services.DraftData(
        texts=dict(record.texts),
        agreement=record.agreement,
        maturity=record.maturity,
        first_attested=record.first_attested,
        terms=[
            services.TermData(
                **{name: getattr(t, name) for name in TERM_FIELDS},
                source=sources.get(t.source) if t.source else None,
                machine_converted=t.machine_converted,
            )
            for t in sorted(record.terms, key=lambda t: LANGUAGES.index(t.language))
        ],
        citations=[
            services.CitationData(
                source=sources[c.source],
                locator=c.locator,
                quote=c.quote,
                quote_language=c.quote_language,
            )
            for c in record.citations
        ],
        machine_converted_fields=list(record.machine_converted_fields),
    )


class _Uids:
    """New identifiers as the importer gives them: the English term's slug, numbered from 2
    when an earlier entry took it. Replayed over the whole file from its first entry, as the
    importer of the whole file would, so the entries already imported are counted."""

    def __init__(self) -> None:
        self.taken: set[int] = set()
        self.keys: set[int] = set()

    def new(self, english: str, key: str) -> str:
        found = digest(key)
        if found in self.keys:
            raise BulkLoadError(f"Two entries of the file have the English term {english!r}.")
        self.keys.add(found)
        base = uid_base(english)
        uid, number = base, 1
        while digest(uid) in self.taken:
            number += 1
            uid = f"{base}-{number}"
        self.taken.add(digest(uid))
        return uid


def _records(data: bytes, first: int, where: str) -> list[tuple[str, ConceptRecord]]:
    parsed = formats.stream_read(data, "", filename=where)
    planned = []
    for offset, entry in enumerate(parsed.entries):
        plan = plan_entry(entry, first + offset)
        if plan.record is None or plan.report.status in PROBLEMS or entry.has_uid:
            messages = " ".join(plan.report.messages) or "it names an identifier"
            raise BulkLoadError(f"Entry {first + offset + 1} of the file: {messages}")
        planned.append((plan.key, plan.record))
    return planned


def load(
    path: Path,
    *,
    skip: int,
    user: User,
    publish: PublishPlan,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the entries of the import file ``path`` after its first ``skip`` (which the
    importer has imported, published through review) as the importer would have; returns how
    many concepts were written."""
    if skip < 1 or Concept.objects.count() != skip:
        raise BulkLoadError(
            f"The glossary must hold exactly the {skip:,} concepts imported from the start of "
            "the file."
        )
    uids = _Uids()
    for first, data in _chunks(path, 0):
        for key, record in _records(data, first, str(path))[: skip - len(uids.keys)]:
            uids.new(record.preferred(Language.EN), key)
        if len(uids.keys) >= skip:
            break
    sources = {source.key: source for source in Source.objects.all()}
    written = 0
    for first, data in _chunks(path, skip):
        drafts = []
        for key, record in _records(data, first, str(path)):
            record.uid = uids.new(record.preferred(Language.EN), key)
            drafts.append((record.uid, _draft_data(record, sources)))
        with transaction.atomic():
            for start in range(0, len(drafts), CHUNK):
                _write(drafts[start : start + CHUNK], user, publish)
        written += len(drafts)
        if progress is not None:
            progress(written)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Statistics, as the importer refreshes after a large file, and the visibility map
            # that autovacuum writes soon after millions of rows are inserted: measured without
            # it, every index-only read visits the table, and autovacuum would start in the
            # middle of the measurements. (VACUUM cannot run in a transaction, as in a test.)
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")  # as the importer does after a large file
    return written


def _write(drafts: list[tuple[str, services.DraftData]], user: User, publish: PublishPlan) -> None:
    """Create, submit and approve a chunk of drafts, as the importer's bootstrap does."""
    versions = services.concepts_create(user=user, drafts=drafts)
    versions = services.versions_submit(
        versions=versions, user=user, comment=publish.reason, assessed=False
    )
    for reviewer in publish.reviewers:
        waiting = [v for v in versions if v.state == VersionState.IN_REVIEW]
        if waiting:
            approved = services.versions_approve(
                versions=waiting, user=reviewer, comment=publish.reason
            )
            done = {v.pk: v for v in approved}
            versions = [done.get(v.pk, v) for v in versions]
    unpublished = [v for v in versions if v.state != VersionState.PUBLISHED]
    if unpublished:
        raise BulkLoadError(f"{len(unpublished)} concepts were not published.")
