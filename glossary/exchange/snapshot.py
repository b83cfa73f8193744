"""What an export holds, read in batches: the published versions, or a release's.

Versions are read a page at a time (keyset pagination on the concept uid), and the rows hanging
off each page (terms, citations, relations, domains, history) in one query per kind of row, so
memory and the number of queries per concept stay flat however large the glossary grows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from glossary.choices import Language, TermStatus, VersionState
from glossary.exchange.records import (
    CitationRecord,
    ConceptRecord,
    DomainRecord,
    ExportMeta,
    HistoryRecord,
    RelationRecord,
    SourceRecord,
    TermRecord,
)
from glossary.models import (
    Citation,
    ConceptVersion,
    Domain,
    Relation,
    Release,
    ReleaseEntry,
    Source,
    Term,
    VersionDomain,
)
from glossary.services import translated_field_names

#: Versions read per page; each page costs a handful of queries.
BATCH_SIZE = 500


class ExportError(Exception):
    """The export cannot be made as asked; ``code`` is for programs, the message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def make_meta(
    *, release: str = "", domain: str = "", date: dt.date | None = None
) -> tuple[ExportMeta, Release | None]:
    """Check what was asked for and say what the file is made from."""
    release_obj = None
    if release:
        release_obj = Release.objects.filter(name=release).first()
        if release_obj is None:
            raise ExportError(
                "unknown_release", _("There is no release %(name)s.") % {"name": release}
            )
    if domain and not Domain.objects.filter(key=domain).exists():
        raise ExportError(
            "unknown_domain", _("There is no subject field %(key)s.") % {"key": domain}
        )
    if date is None:
        moment = release_obj.created_at if release_obj is not None else timezone.now()
        date = timezone.localtime(moment).date()
    return ExportMeta(date=date, release=release, domain=domain), release_obj


@dataclass
class Export:
    """One export: what it is made from, and the reads a writer needs while it streams."""

    meta: ExportMeta
    release: Release | None = None
    history: bool = True

    def records(self) -> Iterator[ConceptRecord]:
        return iter_records(self.meta, self.release, history=self.history)

    def count(self) -> int:
        return _versions(self.release, self.meta.domain).count()

    def sources(self, keys: Iterable[str]) -> list[SourceRecord]:
        return sources(keys)

    def domains(self, keys: Iterable[str]) -> list[DomainRecord]:
        return domains(keys)

    def domain_names(self) -> dict[str, dict[str, str]]:
        """Every subject field's names (a short reference list, read once per export)."""
        return {d.key: d.names for d in domains(Domain.objects.values_list("key", flat=True))}

    def mt_pairs(self) -> Iterator[tuple[str, str]]:
        """(English term, preferred Simplified term) for every English term, sorted by term."""
        return iter_mt_pairs(self)


def prepare(*, release: str = "", domain: str = "", date: dt.date | None = None) -> Export:
    """An export of the published glossary, or of a release, optionally of one subject field."""
    meta, release_obj = make_meta(release=release, domain=domain, date=date)
    return Export(meta=meta, release=release_obj)


def iter_mt_pairs(export: Export) -> Iterator[tuple[str, str]]:
    """English terms of current concepts with their concept's preferred Simplified term.

    Sorted by English term and then concept, so that a term two concepts share appears once
    (the first concept's) without remembering every term seen.
    """
    versions = _versions(export.release, export.meta.domain).exclude(state=VersionState.RETIRED)
    chinese = Term.objects.filter(
        version_id=OuterRef("version_id"), language=Language.ZH_HANS, status=TermStatus.PREFERRED
    ).values("text")[:1]
    rows = (
        Term.objects.filter(language=Language.EN, version__in=versions.order_by().values("pk"))
        .annotate(zh=Subquery(chinese))
        .exclude(zh__isnull=True)
        .order_by("text", "version__concept__uid", "position")
        .values_list("text", "zh")
    )
    previous = None
    for english, zh in rows.iterator(chunk_size=BATCH_SIZE):
        if english == previous:
            continue
        previous = english
        yield english, zh


def _versions(release: Release | None, domain: str):
    return ConceptVersion.objects.for_export(release=release, domain_key=domain)


VERSION_FIELDS = [
    "id",
    "concept_id",
    "concept__uid",
    "number",
    "agreement",
    "maturity",
    "first_attested",
    "retirement_reason",
    "machine_converted_fields",
]


def iter_records(
    meta: ExportMeta, release: Release | None = None, *, history: bool = True
) -> Iterator[ConceptRecord]:
    """Every exported concept, in uid order, built a batch at a time."""
    base = _versions(release, meta.domain)
    fields = VERSION_FIELDS + translated_field_names()
    last_uid = None
    while True:
        page = base if last_uid is None else base.filter(concept__uid__gt=last_uid)
        rows = list(page.values(*fields)[:BATCH_SIZE])
        if not rows:
            return
        yield from build_records(rows, base, release=release, history=history)
        last_uid = rows[-1]["concept__uid"]
        if len(rows) < BATCH_SIZE:
            return


def build_records(
    rows: list[dict[str, Any]],
    exported: Any = None,
    *,
    release: Release | None = None,
    history: bool = True,
) -> list[ConceptRecord]:
    """Records for a batch of version rows (``values()`` of ConceptVersion).

    ``exported``: the versions of the whole file, to say which relation targets are in it.
    Relations are kept only to concepts a reader of the file may know (see ``public_relations``).
    """
    ids = [row["id"] for row in rows]
    terms: dict[int, list[TermRecord]] = defaultdict(list)
    for t in (
        Term.objects.for_export(ids)
        .order_by("version_id", "language", "position", "id")
        .values(
            "version_id",
            "language",
            "text",
            "status",
            "term_type",
            "part_of_speech",
            "geographic_usage",
            "context",
            "note",
            "source__key",
            "source__title",
            "machine_converted",
        )
    ):
        terms[t["version_id"]].append(
            TermRecord(
                language=t["language"],
                text=t["text"],
                status=t["status"],
                term_type=t["term_type"],
                part_of_speech=t["part_of_speech"],
                geographic_usage=t["geographic_usage"],
                context=t["context"],
                note=t["note"],
                source=t["source__key"] or "",
                machine_converted=t["machine_converted"],
                source_title=t["source__title"] or "",
            )
        )
    citations: dict[int, list[CitationRecord]] = defaultdict(list)
    for c in (
        Citation.objects.for_export(ids)
        .order_by("version_id", "position", "id")
        .values("version_id", "source__key", "source__title", "locator", "quote", "quote_language")
    ):
        citations[c["version_id"]].append(
            CitationRecord(
                source=c["source__key"],
                locator=c["locator"],
                quote=c["quote"],
                quote_language=c["quote_language"],
                source_title=c["source__title"],
            )
        )
    relations: dict[int, list[RelationRecord]] = defaultdict(list)
    relation_rows = public_relations(Relation.objects.for_export(ids), release).order_by(
        "version_id", "kind", "target__uid"
    )
    if exported is not None:
        relation_rows = relation_rows.annotate(
            in_file=Exists(exported.order_by().filter(concept_id=OuterRef("target_id")))
        )
        names = ("version_id", "kind", "target__uid", "in_file")
    else:
        names = ("version_id", "kind", "target__uid")
    for r in relation_rows.values(*names):
        relations[r["version_id"]].append(
            RelationRecord(kind=r["kind"], target=r["target__uid"], in_file=r.get("in_file", True))
        )
    domains: dict[int, list[str]] = defaultdict(list)
    for d in (
        VersionDomain.objects.for_export(ids)
        .order_by("version_id", "domain__key")
        .values("version_id", "domain__key")
    ):
        domains[d["version_id"]].append(d["domain__key"])
    histories = _histories(rows) if history else {}
    text_names = translated_field_names()
    return [
        ConceptRecord(
            uid=row["concept__uid"],
            texts={name: row[name] or "" for name in text_names if row[name]},
            agreement=row["agreement"],
            maturity=row["maturity"],
            first_attested=row["first_attested"],
            domains=domains[row["id"]],
            terms=terms[row["id"]],
            citations=citations[row["id"]],
            relations=relations[row["id"]],
            machine_converted_fields=list(row["machine_converted_fields"] or []),
            retirement_reason=row["retirement_reason"],
            history=histories.get(row["id"], []),
        )
        for row in rows
    ]


def public_relations(relations: Any, release: Release | None = None) -> Any:
    """Relations whose target the public may read: it has a public version, as in the API.

    For a release, the target must be in that release: a concept published after it was cut is
    not part of it. A link to a concept that is only a draft would name it, so it is left out.
    """
    if release is not None:
        in_release = ReleaseEntry.objects.filter(release=release, concept_id=OuterRef("target_id"))
        return relations.filter(Exists(in_release))
    return relations.filter(target__public_version__isnull=False)


def _who(username: str | None, first: str | None, last: str | None) -> str:
    full = " ".join(part for part in (first, last) if part)
    return full or username or "system"


def _histories(rows: list[dict[str, Any]]) -> dict[int, list[HistoryRecord]]:
    """Per exported version: the concept's creation and each publication up to that version.

    A version an import created carries the file's history (``imported_history``): its entries
    are written, in order, in place of the one entry of our own that version stands for (its
    creation, or the publication of a retirement the import made), so that the history a file
    brought in goes out again unchanged. It is a column of the row: no query per concept.
    """
    by_concept = {row["concept_id"]: row for row in rows}
    found: dict[int, list[HistoryRecord]] = defaultdict(list)
    for v in ConceptVersion.objects.history_of(list(by_concept)).values(
        "concept_id",
        "number",
        "created_at",
        "published_at",
        "imported_history",
        "author__username",
        "author__first_name",
        "author__last_name",
    ):
        exported = by_concept[v["concept_id"]]
        if v["number"] > exported["number"]:
            continue
        if v["imported_history"]:
            found[exported["id"]].extend(map(HistoryRecord.from_dict, v["imported_history"]))
            continue
        who = _who(v["author__username"], v["author__first_name"], v["author__last_name"])
        if v["number"] == 1:
            moment, action = v["created_at"], "creation"
        else:
            moment, action = v["published_at"], "modification"
        found[exported["id"]].append(
            HistoryRecord(
                action=action,
                date=timezone.localtime(moment).date().isoformat(),
                responsibility=who,
            )
        )
    return found


def record_of(version: ConceptVersion) -> ConceptRecord:
    """One version as a record (the importer compares files with the glossary through this).

    Its relations follow the exports' rule, so that re-importing an unchanged export finds the
    concept unchanged even when it links to a concept that is not published yet.
    """
    row = (
        ConceptVersion.objects.filter(pk=version.pk)
        .values(*VERSION_FIELDS, *translated_field_names())
        .get()
    )
    return build_records([row], history=False)[0]


def sources(keys: Iterable[str]) -> list[SourceRecord]:
    """The sources an export cites, by key."""
    out = []
    keys = sorted(set(keys))
    for start in range(0, len(keys), BATCH_SIZE):
        for s in (
            Source.objects.filter(key__in=keys[start : start + BATCH_SIZE])
            .order_by("key")
            .values("key", "title", "publisher", "jurisdiction", "published_on", "url", "language")
        ):
            out.append(
                SourceRecord(
                    key=s["key"],
                    title=s["title"],
                    publisher=s["publisher"],
                    jurisdiction=s["jurisdiction"],
                    published_on=s["published_on"].isoformat() if s["published_on"] else "",
                    url=s["url"],
                    language=s["language"],
                )
            )
    return out


def domains(keys: Iterable[str]) -> list[DomainRecord]:
    """The subject fields an export uses, by key, with their names in each language."""
    keys = sorted(set(keys))
    out = []
    for d in (
        Domain.objects.filter(key__in=keys)
        .order_by("key")
        .values("key", "name", "name_en", "name_zh_hans", "name_zh_hant")
    ):
        out.append(
            DomainRecord(
                key=d["key"],
                names={
                    Language.EN: d["name_en"] or d["name"] or "",
                    Language.ZH_HANS: d["name_zh_hans"] or "",
                    Language.ZH_HANT: d["name_zh_hant"] or "",
                },
            )
        )
    return out
