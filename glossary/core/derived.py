"""Derived data: rows computed from the published versions and stored beside them.

Publishing writes them in the transaction that publishes a version (``publication``); ``rebuild``
writes them again, for ``manage.py rebuild_derived``: after an upgrade whose migrations created
or emptied a derived table, or whose code derives the rows differently. Migrations never
write them: a migration that ran today's code would read tables as they are in the middle of
an upgrade, not as today's models say.

* ``search``: the search keys of each public version's terms (``SearchKey``), each with its
  term's rank (keys from before ranks were stored count as lacking);
* ``definitions``: the words of each public version's definitions (``DefinitionKey``);
* ``tbx``: the TBX entry of each version that was ever public (``TbxEntry``);
* ``lists``: each public version's place in the public lists (``ListEntry``), and then the
  counts summed again from them (``ListCount``).
* ``terms``: each public concept's terms as the term check reads them (``TermIndexEntry``).

Each process builds the term check's index and jieba's user dictionary from the ``terms`` rows
when it starts and then reads only the rows written since (by serial); a rebuild of them gives
them a new serial, so every process reads them again. The publication stamp itself is written
by migration 0006 and by every publication.

Work is done a batch of concepts at a time, each batch in its own transaction with its
concepts locked, so a rebuild can run beside a live site: a concept published meanwhile waits
for the batch (or the batch for it), and either way ends with the rows of its new version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from glossary.core import lists, publication, services
from glossary.core.choices import (
    HISTORY_STATES,
    PUBLIC_STATES,
    Agreement,
    ListSection,
    VersionState,
)
from glossary.core.models import (
    Concept,
    ConceptVersion,
    DefinitionKey,
    ListEntry,
    SearchKey,
    TbxEntry,
    TermIndexEntry,
)

__all__ = [
    "BATCH",
    "DEFINITIONS",
    "KINDS",
    "LISTS",
    "SEARCH",
    "TBX",
    "TERMS",
    "Rebuilt",
    "lacking",
    "rebuild",
    "rebuild_concepts",
]

SEARCH, DEFINITIONS, TBX, LISTS, TERMS = "search", "definitions", "tbx", "lists", "terms"
KINDS = (SEARCH, DEFINITIONS, TBX, LISTS, TERMS)
#: What writes each kind's rows, by dotted path: the search and exchange packages build on the
#: domain, so it names them instead of importing them (as ``glossary.core.publication`` does).
WRITERS = {
    SEARCH: "glossary.search.keys.write_search_keys",
    DEFINITIONS: "glossary.search.keys.write_definition_keys",
    TBX: "glossary.exchange.stored_tbx.store",
    TERMS: "glossary.termcheck.index.store",
}
#: Concepts rebuilt per transaction.
BATCH = 500


@dataclass
class Rebuilt:
    """What a rebuild of one kind of derived row did."""

    kind: str
    concepts: int = 0
    rows: int = 0


def _versions(kind: str) -> QuerySet:
    """The versions that have rows of this kind."""
    states = HISTORY_STATES if kind == TBX else PUBLIC_STATES
    return ConceptVersion.objects.filter(state__in=states)


def lacking(kind: str) -> QuerySet:
    """Ids of the concepts with a version that should have rows of this kind and has none.

    One query (an anti-join on the derived table's version index). A version whose definitions
    are all empty has no definition keys, and is not counted as lacking them.
    """
    versions = _versions(kind)
    rows: QuerySet[Any]
    if kind == SEARCH:
        rows = SearchKey.objects.filter(version_id=OuterRef("pk"))
        # Keys written before they had a rank lack it (a partial index finds them at once).
        unranked = rows.filter(rank__isnull=True)
        return (
            versions.filter(~Exists(rows) | Exists(unranked))
            .values_list("concept_id", flat=True)
            .distinct()
        )
    elif kind == DEFINITIONS:
        rows = DefinitionKey.objects.filter(version_id=OuterRef("pk"))
        versions = versions.filter(
            Q(definition_en__gt="") | Q(definition_zh_hans__gt="") | Q(definition_zh_hant__gt="")
        )
    elif kind == TBX:
        rows = TbxEntry.objects.filter(version_id=OuterRef("pk"))
    elif kind == LISTS:
        # Every public version's concept has its "public" row.
        rows = ListEntry.objects.filter(
            concept_id=OuterRef("concept_id"), section=ListSection.PUBLIC
        )
        # A published concept whose sides differ also has its rows on the page of differences
        # (lists written before that page existed lack them).
        differ = ListEntry.objects.filter(
            concept_id=OuterRef("concept_id"),
            section__in=[ListSection.DIFFER_EN, ListSection.DIFFER_ZH],
        )
        sides_differ = Q(
            state=VersionState.PUBLISHED, agreement__in=[Agreement.PARTLY, Agreement.DIVERGENT]
        )
        return (
            versions.filter(~Exists(rows) | (sides_differ & ~Exists(differ)))
            .values_list("concept_id", flat=True)
            .distinct()
        )
    elif kind == TERMS:
        rows = TermIndexEntry.objects.filter(version_id=OuterRef("pk"))
    else:
        raise ValueError(f"Unknown kind of derived data: {kind}")
    return versions.filter(~Exists(rows)).values_list("concept_id", flat=True).distinct()


@transaction.atomic
def rebuild_concepts(kind: str, concept_ids: list[int]) -> int:
    """Delete and write again this kind of row for every version of these concepts.

    The concepts are locked first, as publishing locks them, and their versions read after
    the lock. Returns how many rows were written.
    """
    ids = list(
        Concept.objects.select_for_update().filter(pk__in=concept_ids).values_list("pk", flat=True)
    )
    if kind == LISTS:
        # Replacing a concept's rows adjusts the counts by the difference.
        return lists.replace_entries(versions=list(_versions(kind).filter(concept_id__in=ids)))
    concept_of = dict(_versions(kind).filter(concept_id__in=ids).values_list("pk", "concept_id"))
    write = publication.step(WRITERS[kind])
    if kind == SEARCH:
        SearchKey.objects.filter(concept_id__in=ids).delete()
        return write(concept_of)
    if kind == DEFINITIONS:
        DefinitionKey.objects.filter(concept_id__in=ids).delete()
        return write(concept_of)
    if kind == TERMS:
        # The rows replace the concepts' own, with the serial of the stamp bumped here, so
        # every process reads them as it reads a publication.
        written = write(sorted(concept_of))
        services.publication_touch()
        return written
    TbxEntry.objects.filter(version__concept_id__in=ids).delete()
    return write(sorted(concept_of))


def _batches(ids: Iterable[int], size: int) -> Iterable[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def rebuild(
    kinds: Iterable[str] = KINDS,
    *,
    only_lacking: bool = False,
    batch: int = BATCH,
    progress: Callable[[Rebuilt], None] | None = None,
) -> list[Rebuilt]:
    """Write these kinds of derived rows again; returns what was rebuilt, one entry per kind.

    Every concept's rows are rewritten, or with ``only_lacking`` only those of the concepts
    with a version that lacks rows; running it again writes the same rows. ``progress`` is
    called after each batch with the running totals of its kind. When any concept was
    rebuilt, the publication stamp moves, so caches keyed by it are read afresh.
    """
    done = []
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"Unknown kind of derived data: {kind}")
        concepts: Iterable[int]
        if only_lacking:
            concepts = sorted(lacking(kind))
        else:
            concepts = (
                _versions(kind)
                .order_by("concept_id")
                .values_list("concept_id", flat=True)
                .distinct()
            )
        rebuilt = Rebuilt(kind)
        for ids in _batches(concepts, batch):
            rebuilt.rows += rebuild_concepts(kind, ids)
            rebuilt.concepts += len(ids)
            if progress is not None:
                progress(rebuilt)
        if kind == LISTS and (rebuilt.concepts or not only_lacking):
            # Whatever the counts were, they are now the sums of the rows just written.
            lists.recount()
        done.append(rebuilt)
    if any(rebuilt.concepts for rebuilt in done):
        services.publication_touch()
    return done
