"""Each published version's TBX entry, written in the transaction that publishes it.

A version never changes once published, so its entry is rendered once (``tbx.entry_parts``,
with placeholders for what can change without a new version) and exports read it back with one
query per batch instead of assembling it from the version's rows: a TBX file of 100,000
concepts is written several times faster. Versions without a stored entry are still exported,
from their rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from glossary.core.models import ConceptVersion, Relation, TbxEntry
from glossary.exchange import published as snapshot
from glossary.exchange import tbx


def store_versions(*, versions: list[ConceptVersion]) -> int:
    """The publication step (``glossary.core.publication``): store these versions' entries."""
    return store(version.pk for version in versions)


def store(version_ids: Iterable[int]) -> int:
    """Render and keep the entries of these public versions; returns how many.

    A version's history reads the publication times of its concept's versions, so call it
    after the versions' states are written, in the same transaction.
    """
    ids = list(version_ids)
    rows = list(snapshot.version_rows(ConceptVersion.objects.filter(pk__in=snapshot.id_list(ids))))
    if not rows:
        return 0
    records = snapshot.build_records(rows, relations=False)
    # Whether a version links to other concepts at all; which of them a file names is settled
    # as the file is written (a target may be published after the version).
    linked = set(
        Relation.objects.filter(version_id__in=snapshot.id_list(ids)).values_list(
            "version_id", flat=True
        )
    )
    TbxEntry.objects.filter(version_id__in=ids).delete()
    TbxEntry.objects.bulk_create(
        (
            TbxEntry(
                version_id=row[0],
                parts=tbx.pack(tbx.entry_parts(record, tbx.V3, linked=row[0] in linked)),
            )
            for row, record in zip(rows, records, strict=True)
        ),
        batch_size=500,
    )
    return len(rows)
