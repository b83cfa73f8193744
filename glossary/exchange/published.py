"""What an export holds, read in batches: the published versions, or a release's.

The ids of the exported versions are read first, in concept uid order (one sorted query); then
the versions a batch at a time by id, and the rows hanging off each batch (terms, citations,
relations, domains, history) in one query per kind of row. The number of queries per concept
stays flat however large the glossary grows, and so does memory, but for 8 bytes an id.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, Subquery, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from glossary.core.choices import FIELD_SUFFIX, Language, TermStatus, VersionState
from glossary.core.fields import TERM_FIELDS, translated_field_names
from glossary.core.models import (
    Citation,
    ConceptVersion,
    Domain,
    Relation,
    Release,
    ReleaseEntry,
    Rendering,
    Source,
    Term,
    VersionDomain,
)
from glossary.exchange import variants
from glossary.exchange.records import (
    CitationRecord,
    ConceptRecord,
    DomainRecord,
    ExportMeta,
    HistoryRecord,
    RelationRecord,
    RenderingRecord,
    SourceRecord,
    TermRecord,
)

#: Versions read per batch; each batch costs a handful of queries.
BATCH_SIZE = 500


class ExportError(Exception):
    """The export cannot be made as asked; ``code`` is for programs, the message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def make_meta(
    *,
    release: str = "",
    domain: str = "",
    date: dt.date | None = None,
    chinese: str = variants.BOTH,
    codes: str = "",
    unreviewed: bool = False,
) -> tuple[ExportMeta, Release | None]:
    """Check what was asked for and say what the file is made from."""
    try:
        variants.check(chinese, codes)
    except variants.VariantError as exc:
        raise ExportError(exc.code, exc.message) from exc
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
    meta = ExportMeta(
        date=date,
        release=release,
        domain=domain,
        chinese=chinese,
        codes=codes,
        unreviewed=unreviewed,
    )
    return meta, release_obj


@dataclass
class Export:
    """One export: what it is made from, and the reads a writer needs while it streams."""

    meta: ExportMeta
    release: Release | None = None
    history: bool = True

    def records(self) -> Iterator[ConceptRecord]:
        records = iter_records(self.meta, self.release, history=self.history)
        if self.meta.chinese == variants.BOTH:
            return records
        return (restricted(record, self.meta.chinese) for record in records)

    def entry_batches(self) -> Iterator[EntryBatch]:
        return iter_entry_batches(self.meta, self.release, history=self.history)

    def count(self) -> int:
        return _versions(self.release, self.meta.domain).count()

    def cited_sources(self) -> Iterator[SourceRecord]:
        return iter_cited_sources(self.release, self.meta.domain)

    def domains(self, keys: Iterable[str]) -> list[DomainRecord]:
        return domains(keys)

    def source_titles(self, keys: Iterable[str]) -> dict[str, str]:
        """The titles of these sources, by key (one query)."""
        return dict(Source.objects.filter(key__in=list(keys)).values_list("key", "title"))

    def domain_names(self) -> dict[str, dict[str, str]]:
        """Every subject field's names (a short reference list, read once per export)."""
        return {d.key: d.names for d in domains(Domain.objects.values_list("key", flat=True))}

    def mt_pairs(self, language: str = Language.ZH_HANS) -> Iterator[tuple[str, str]]:
        """(English term, preferred term in ``language``) for every current English term."""
        return iter_mt_pairs(self, language)


def prepare(
    *,
    release: str = "",
    domain: str = "",
    date: dt.date | None = None,
    chinese: str = variants.BOTH,
    codes: str = "",
    unreviewed: bool = False,
) -> Export:
    """An export of the published glossary, or of a release, optionally of one subject field,
    optionally of one Chinese variant (``glossary.exchange.variants``)."""
    meta, release_obj = make_meta(
        release=release,
        domain=domain,
        date=date,
        chinese=chinese,
        codes=codes,
        unreviewed=unreviewed,
    )
    return Export(meta=meta, release=release_obj)


def restricted(record: ConceptRecord, chinese: str) -> ConceptRecord:
    """The record without the terms and texts of the Chinese variant the file leaves out."""
    dropped = [
        f"_{FIELD_SUFFIX[Language(language)]}"
        for language in (Language.ZH_HANS, Language.ZH_HANT)
        if not variants.keeps(chinese, language)
    ]
    if not dropped:
        return record
    record.terms = [t for t in record.terms if variants.keeps(chinese, t.language)]
    record.texts = {k: v for k, v in record.texts.items() if not k.endswith(tuple(dropped))}
    record.machine_converted_fields = [
        name for name in record.machine_converted_fields if not name.endswith(tuple(dropped))
    ]
    return record


def iter_mt_pairs(export: Export, language: str = Language.ZH_HANS) -> Iterator[tuple[str, str]]:
    """Preferred and admitted English terms of current concepts, each with its concept's
    preferred term in ``language`` (a Chinese variant).

    Deprecated and superseded English terms are left out (an MT glossary would make the engine
    use them as well as the preferred ones), and so is an unreviewed machine-converted
    Traditional term unless the export asks for them (``ExportMeta.unreviewed``). Sorted by
    English term and then concept, so that a term two concepts share appears once (the first
    concept's) without remembering every term seen.
    """
    versions = _versions(export.release, export.meta.domain).exclude(state=VersionState.RETIRED)
    targets = Term.objects.filter(
        version_id=OuterRef("version_id"), language=language, status=TermStatus.PREFERRED
    )
    if not export.meta.unreviewed:
        targets = targets.filter(machine_converted=False)
    rows = (
        Term.objects.filter(
            language=Language.EN,
            status__in=(TermStatus.PREFERRED, TermStatus.ADMITTED),
            version__in=versions.order_by().values("pk"),
        )
        .annotate(zh=Subquery(targets.values("text")[:1]))
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


VERSION_COLUMNS = (
    "id",
    "concept_id",
    "concept__uid",
    "number",
    "agreement",
    "maturity",
    "first_attested",
    "retirement_reason",
    "machine_converted_fields",
)
SOURCE_FIELDS = ("key", "title", "publisher", "jurisdiction", "published_on", "url", "language")


def version_rows(versions: Any) -> Any:
    """``VERSION_COLUMNS`` and then every translated field, as tuples.

    The translated fields are named one by one (``definition_en``, …), so modeltranslation has
    nothing to rewrite; ``rewrite(False)`` skips its per-row fallback pass.
    """
    return versions.rewrite(False).values_list(*VERSION_COLUMNS, *translated_field_names())


def exported_ids(release: Release | None = None, domain: str = "") -> array[int]:
    """The ids of the versions an export holds, in concept uid order (8 bytes a concept).

    They pin what the file holds to the moment it starts: a concept published again while the
    file is written goes out as it was when the export began.
    """
    ids = array("q")
    rows = _versions(release, domain).rewrite(False).values_list("id", flat=True)
    ids.extend(rows.iterator(chunk_size=BATCH_SIZE))
    return ids


def iter_records(
    meta: ExportMeta, release: Release | None = None, *, history: bool = True
) -> Iterator[ConceptRecord]:
    """Every exported concept, in uid order, built a batch at a time."""
    base = _versions(release, meta.domain)
    # Pages of "the versions after this uid" would each sort every remaining version again on a
    # database without statistics (SQLite reads them by the state index): quadratic.
    ids = exported_ids(release, meta.domain)
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ConceptVersion.objects.filter(
            pk__in=id_list(ids[start : start + BATCH_SIZE].tolist())
        )
        rows = list(version_rows(batch).order_by("concept__uid"))
        yield from build_records(rows, base, release=release, history=history)


def id_list(ids: list[int]) -> RawSQL:
    """Ids for ``__in``, as one SQL list of parameters.

    A batch's ids are named by half a dozen queries; given as a Python list, the ORM would
    prepare each id again for each of them, which cost more than running the queries.
    """
    return RawSQL(", ".join(["%s"] * len(ids)), ids)


def build_records(
    rows: list[tuple],
    exported: Any = None,
    *,
    release: Release | None = None,
    history: bool = True,
    relations: bool = True,
) -> list[ConceptRecord]:
    """Records for a batch of version rows (``version_rows``).

    ``exported``: the versions of the whole file, to say which relation targets are in it.
    Relations are kept only to concepts a reader of the file may know (see ``public_relations``);
    without ``relations`` they are not read at all (a stored TBX entry reads them as the file is
    written).
    """
    batch = id_list([row[0] for row in rows])
    terms: dict[int, list[TermRecord]] = defaultdict(list)
    # The columns in TermRecord's order, the version first.
    term_rows = (
        Term.objects.for_export(batch)
        .order_by("version_id", "language", "position", "id")
        .values_list(
            "version_id",
            *TERM_FIELDS,
            "source__key",
            "machine_converted",
            "source__title",
        )
    )
    for (
        version_id,
        language,
        text,
        status,
        term_type,
        part_of_speech,
        geographic_usage,
        context,
        note,
        in_sense_only,
        source,
        converted,
        source_title,
    ) in term_rows:
        terms[version_id].append(
            TermRecord(
                language,
                text,
                status,
                term_type,
                part_of_speech,
                geographic_usage,
                context,
                note,
                in_sense_only,
                source or "",
                converted,
                source_title or "",
            )
        )
    citations: dict[int, list[CitationRecord]] = defaultdict(list)
    for version_id, source, locator, quote, quote_language, source_title in (
        Citation.objects.for_export(batch)
        .order_by("version_id", "position", "id")
        .values_list(
            "version_id", "source__key", "locator", "quote", "quote_language", "source__title"
        )
    ):
        citations[version_id].append(
            CitationRecord(source, locator, quote, quote_language, source_title)
        )
    related = relations_of(batch, exported, release) if relations else {}
    renderings = renderings_of(batch)
    domains: dict[int, list[str]] = defaultdict(list)
    for version_id, key in (
        VersionDomain.objects.for_export(batch)
        .order_by("version_id", "domain__key")
        .values_list("version_id", "domain__key")
    ):
        domains[version_id].append(key)
    histories = _histories(rows) if history else {}
    text_names = translated_field_names()
    records = []
    for (
        version_id,
        _concept_id,
        uid,
        _number,
        agreement,
        maturity,
        first_attested,
        retirement_reason,
        converted_fields,
        *texts,
    ) in rows:
        records.append(
            ConceptRecord(
                uid=uid,
                texts={name: text for name, text in zip(text_names, texts, strict=True) if text},
                agreement=agreement,
                maturity=maturity,
                first_attested=first_attested,
                domains=domains.get(version_id, []),
                terms=terms.get(version_id, []),
                citations=citations.get(version_id, []),
                relations=related.get(version_id, []),
                machine_converted_fields=list(converted_fields or ()),
                retirement_reason=retirement_reason,
                history=histories.get(version_id, []),
                renderings=renderings.get(version_id, []),
            )
        )
    return records


def renderings_of(batch: Any) -> dict[int, list[RenderingRecord]]:
    """The authorities' renderings of a batch of versions (``id_list``): one query."""
    renderings: dict[int, list[RenderingRecord]] = defaultdict(list)
    suffixes = list(FIELD_SUFFIX.items())
    for rendering in (
        Rendering.objects.for_export(batch)
        .select_related("authority")
        .order_by("version_id", "position", "id")
    ):
        authority = rendering.authority
        renderings[rendering.version_id].append(
            RenderingRecord(
                authority=authority.key,
                status=rendering.status,
                terms={language: rendering.term(language) for language, _s in suffixes},
                definition=rendering.definition,
                definition_language=rendering.definition_language,
                locator=rendering.locator,
                date=rendering.date,
                authority_names={
                    language: getattr(authority, f"name_{suffix}") or ""
                    for language, suffix in suffixes
                },
                authority_kind=authority.kind,
                jurisdiction=authority.jurisdiction,
            )
        )
    return renderings


def relations_of(
    batch: Any, exported: Any = None, release: Release | None = None
) -> dict[int, list[RelationRecord]]:
    """The relations of a batch of versions (``id_list``) a reader of the file may know.

    ``exported``: the versions of the whole file, to say which relation targets are in it.
    """
    relations: dict[int, list[RelationRecord]] = defaultdict(list)
    rows = public_relations(Relation.objects.for_export(batch), release).order_by(
        "version_id", "kind", "target__uid"
    )
    names: tuple[str, ...] = ("version_id", "kind", "target__uid")
    if exported is not None:
        rows = rows.annotate(
            in_file=Exists(exported.order_by().filter(concept_id=OuterRef("target_id")))
        )
        names += ("in_file",)
    for version_id, kind, target, *in_file in rows.values_list(*names):
        relations[version_id].append(RelationRecord(kind, target, *in_file))
    return relations


@dataclass
class EntryBatch:
    """A batch of an export's versions as TBX writes them: stored entries where there are.

    ``stored``: each version's stored entry (``TbxEntry.parts``, packed); ``records``: the
    versions without one, read whole. ``relations(ids)`` reads the relations of some of them
    (a stored entry says whether its version has any: most have none, and then nothing is read).
    """

    order: list[int]
    stored: dict[int, str]
    records: dict[int, ConceptRecord]
    relations: Callable[[list[int]], dict[int, list[RelationRecord]]]


def iter_entry_batches(
    meta: ExportMeta, release: Release | None = None, *, history: bool = True
) -> Iterator[EntryBatch]:
    """The exported versions in uid order, a batch at a time, for a TBX file.

    A stored entry costs one row of one query: a batch of them, two or three queries in all
    (ids, entries, and the relations of those that have any).
    """
    from glossary.core.models import TbxEntry

    base = _versions(release, meta.domain)
    ids = exported_ids(release, meta.domain)

    def relations(version_ids: list[int]) -> dict[int, list[RelationRecord]]:
        return relations_of(id_list(version_ids), base, release) if version_ids else {}

    for start in range(0, len(ids), BATCH_SIZE):
        order = ids[start : start + BATCH_SIZE].tolist()
        stored = dict(
            TbxEntry.objects.filter(version_id__in=id_list(order)).values_list(
                "version_id", "parts"
            )
        )
        missing = [version_id for version_id in order if version_id not in stored]
        records: dict[int, ConceptRecord] = {}
        if missing:
            versions = ConceptVersion.objects.filter(pk__in=id_list(missing))
            rows = list(version_rows(versions))
            built = build_records(rows, base, release=release, history=history)
            records = {row[0]: record for row, record in zip(rows, built, strict=True)}
        yield EntryBatch(order, stored, records, relations)


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


def _histories(rows: list[tuple]) -> dict[int, list[HistoryRecord]]:
    """Per exported version: the concept's creation and each publication up to that version.

    A version an import created carries the file's history (``imported_history``): its entries
    are written, in order, in place of the one entry of our own that version stands for (its
    creation, or the publication of a retirement the import made), so that the history a file
    brought in goes out again unchanged. It is a column of the row: no query per concept.
    """
    # concept id: (version id, number) of each of its versions in the rows (an export has one a
    # concept; the TBX entries stored for a concept's several versions, more).
    exported: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        exported[row[1]].append((row[0], row[3]))
    found: dict[int, list[HistoryRecord]] = defaultdict(list)
    zone = timezone.get_current_timezone()
    # A version's moment is its creation for the first, its publication for later ones: one
    # datetime per row to convert rather than two.
    moment = Case(When(number=1, then=F("created_at")), default=F("published_at"))
    for concept_id, number, when, imported, username, first, last in (
        ConceptVersion.objects.history_of(id_list(list(exported)))
        # modeltranslation mixes rewrite() into this queryset at run time; the stubs cannot
        # know it (and type its values_list() as returning model instances).
        .rewrite(False)  # type: ignore[attr-defined]
        .values_list(
            "concept_id",
            "number",
            moment,
            "imported_history",
            "author__username",
            "author__first_name",
            "author__last_name",
        )
    ):
        if imported:
            events = list(map(HistoryRecord.from_dict, imported))
        else:
            action = "creation" if number == 1 else "modification"
            events = [
                HistoryRecord(
                    action, when.astimezone(zone).date().isoformat(), _who(username, first, last)
                )
            ]
        for version_id, exported_number in exported[concept_id]:
            if number <= exported_number:
                found[version_id].extend(events)
    return found


def record_of(version: ConceptVersion) -> ConceptRecord:
    """One version as a record (the importer compares files with the glossary through this).

    Its relations follow the exports' rule, so that re-importing an unchanged export finds the
    concept unchanged even when it links to a concept that is not published yet.
    """
    row = version_rows(ConceptVersion.objects.filter(pk=version.pk)).get()
    return build_records([row], history=False)[0]


def iter_cited_sources(release: Release | None = None, domain: str = "") -> Iterator[SourceRecord]:
    """The sources an export's versions cite (in a citation or on a term), by key.

    Read a page at a time rather than collected while the entries are written, so that memory
    stays flat however many sources there are. The query asks, per source, whether an exported
    version cites it (index lookups only); it sees the glossary as it is when the back matter is
    written, as the relations of each batch do when that batch is read.
    """
    exported = _versions(release, domain).order_by().filter(pk=OuterRef("version_id"))
    cited = Source.objects.filter(
        Exists(Citation.objects.filter(source=OuterRef("pk")).filter(Exists(exported)))
        | Exists(Term.objects.filter(source=OuterRef("pk")).filter(Exists(exported)))
    ).order_by("key")
    last_key = None
    while True:
        page = cited if last_key is None else cited.filter(key__gt=last_key)
        rows = list(page.values_list(*SOURCE_FIELDS)[:BATCH_SIZE])
        yield from map(_source_record, rows)
        if len(rows) < BATCH_SIZE:
            return
        last_key = rows[-1][0]


def _source_record(row: tuple) -> SourceRecord:
    key, title, publisher, jurisdiction, published_on, url, language = row
    return SourceRecord(
        key=key,
        title=title,
        publisher=publisher,
        jurisdiction=jurisdiction,
        published_on=published_on.isoformat() if published_on else "",
        url=url,
        language=language,
    )


def sources(keys: Iterable[str]) -> list[SourceRecord]:
    """The sources with these keys, by key."""
    out: list[SourceRecord] = []
    keys = sorted(set(keys))
    for start in range(0, len(keys), BATCH_SIZE):
        rows = (
            Source.objects.filter(key__in=keys[start : start + BATCH_SIZE])
            .order_by("key")
            .values_list(*SOURCE_FIELDS)
        )
        out.extend(map(_source_record, rows))
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
