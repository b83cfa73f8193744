"""The public lists and their counts, kept by publishing so that no page counts or sorts the
glossary when it is read.

Each current concept has a row per list it appears in (a browse letter in English, a pinyin
initial, each of its domains in both orders) holding its sort key, and rows that only count
(its domains, its terms per language, that it is current or public). ``ListCount`` holds each
list's total. Publishing replaces a concept's rows and adds the difference to the totals, in
its transaction; ``rebuild_derived`` writes the rows again and ``recount`` sums them afresh.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum

from glossary.core.bulk import insert_rows
from glossary.core.choices import Agreement, ListSection, TermStatus, VersionState
from glossary.core.models import (
    ConceptVersion,
    ListCount,
    ListEntry,
    Publication,
    Release,
    ReleaseEntry,
    Term,
    VersionDomain,
)
from glossary.language import Language, browse_letter, codes, sort_key

__all__ = [
    "Entry",
    "LETTERS",
    "OTHER",
    "count_release",
    "entries_for",
    "letter_of",
    "recount",
    "replace_entries",
]

#: Letters of the A–Z browse pages; "other" files what starts with a digit or a symbol.
LETTERS = [chr(code) for code in range(ord("a"), ord("z") + 1)]
OTHER = "other"
#: Bytes of a term's sort key that are stored (twice as many hexadecimal digits): enough to
#: order any real term, and the concept id breaks a tie between two longer ones.
KEY_BYTES = 300


def letter_of(text: str, language: Language) -> str:
    """The browse letter a term files under (a–z, or "other")."""
    letter = browse_letter(text, language).lower()
    return letter if letter in LETTERS else OTHER


def _key(text: str, language: Language) -> str:
    # Hexadecimal of the UTF-8 bytes: every collation orders 0-9a-f as bytes are ordered, so
    # the database sorts these keys as Python sorts the texts.
    return sort_key(text, language).encode()[:KEY_BYTES].hex()


class Entry(NamedTuple):
    """A ``ListEntry`` row to write, as plain values (publishing writes several a concept)."""

    concept_id: int
    section: str
    bucket: str = ""
    key: str = ""
    weight: int = 1


def entries_for(
    concept_id: int,
    state: str,
    terms: Sequence[tuple[str, str, str]],
    domain_keys: Iterable[str],
    agreement: str = "",
) -> list[Entry]:
    """The rows of one concept whose public version is in ``state``, has these terms
    (language, status, text; in their order), is filed under these domains and has this
    agreement state (a partly agreed or divergent concept is also listed where the sides
    differ)."""
    rows = [Entry(concept_id=concept_id, section=ListSection.PUBLIC)]
    if state != VersionState.PUBLISHED:
        return rows  # retired: its permalink answers, no list shows it
    rows.append(Entry(concept_id=concept_id, section=ListSection.CONCEPTS))
    per_language = Counter(language for language, _status, _text in terms)
    rows.extend(
        Entry(concept_id=concept_id, section=ListSection.TERMS, bucket=language, weight=n)
        for language, n in sorted(per_language.items())
    )
    preferred: dict[str, str] = {}
    for language, status, text in terms:
        if status == TermStatus.PREFERRED:
            preferred.setdefault(language, text)
    english = preferred.get(codes.EN)
    chinese = preferred.get(codes.ZH_HANS) or preferred.get(codes.ZH_HANT)
    orders = []
    if english:
        key = _key(english, codes.EN)
        letter = letter_of(english, codes.EN)
        rows.append(Entry(concept_id=concept_id, section=ListSection.EN, bucket=letter, key=key))
        orders.append((ListSection.DOMAIN_EN, key))
    if chinese:
        key = _key(chinese, codes.ZH_HANS)
        letter = letter_of(chinese, codes.ZH_HANS)
        rows.append(Entry(concept_id=concept_id, section=ListSection.ZH, bucket=letter, key=key))
        orders.append((ListSection.DOMAIN_ZH, key))
    for domain in sorted(set(domain_keys)):
        rows.append(Entry(concept_id=concept_id, section=ListSection.DOMAINS, bucket=domain))
        rows.extend(
            Entry(concept_id=concept_id, section=section, bucket=domain, key=key)
            for section, key in orders
        )
    if agreement in (Agreement.PARTLY, Agreement.DIVERGENT):
        differ = {ListSection.DOMAIN_EN: ListSection.DIFFER_EN}
        differ[ListSection.DOMAIN_ZH] = ListSection.DIFFER_ZH
        for bucket in ["", *sorted(set(domain_keys))]:
            rows.extend(
                Entry(concept_id=concept_id, section=differ[section], bucket=bucket, key=key)
                for section, key in orders
            )
    return rows


def replace_entries(*, versions: Sequence[ConceptVersion]) -> int:
    """Publication step: replace the list rows of these public versions' concepts and add the
    difference to the counts. Three reads and a write or two, whatever the glossary's size;
    returns how many rows were written."""
    versions = list(versions)
    if not versions:
        return 0
    version_ids = [version.pk for version in versions]
    terms: dict[int, list[tuple[str, str, str]]] = {pk: [] for pk in version_ids}
    for version_id, language, status, text in (
        Term.objects.filter(version_id__in=version_ids)
        .order_by("version_id", "language", "position", "id")
        .values_list("version_id", "language", "status", "text")
    ):
        terms[version_id].append((language, status, text))
    domains: dict[int, list[str]] = {pk: [] for pk in version_ids}
    for version_id, key in VersionDomain.objects.filter(version_id__in=version_ids).values_list(
        "version_id", "domain__key"
    ):
        domains[version_id].append(key)
    rows = [
        row
        for version in versions
        for row in entries_for(
            version.concept_id,
            version.state,
            terms[version.pk],
            domains[version.pk],
            version.agreement,
        )
    ]
    concept_ids = {version.concept_id for version in versions}
    old = ListEntry.objects.filter(concept_id__in=concept_ids)
    change: Counter[tuple[str, str]] = Counter()
    for section, bucket, weight in (
        old.values("section", "bucket")
        .annotate(weight=Sum("weight"))
        .values_list("section", "bucket", "weight")
    ):
        change[(section, bucket)] -= weight
    old.delete()
    insert_rows(
        ListEntry,
        ("concept_id", "section", "bucket", "key", "weight"),
        ((row.concept_id, str(row.section), row.bucket, row.key, row.weight) for row in rows),
    )
    for row in rows:
        change[(row.section, row.bucket)] += row.weight
    _add(change)
    return len(rows)


def _add(change: Counter[tuple[str, str]]) -> None:
    """Add these differences to the counts, creating a count the first time it is needed."""
    for (section, bucket), difference in sorted(change.items()):
        if not difference:
            continue
        counts = ListCount.objects.filter(section=section, bucket=bucket)
        if counts.update(count=F("count") + difference):
            if difference < 0:
                # An emptied list keeps no row, as ``recount`` would write none.
                counts.filter(count=0).delete()
            continue
        try:
            with transaction.atomic():
                ListCount.objects.create(section=section, bucket=bucket, count=difference)
        except IntegrityError:
            # Another publisher created it meanwhile; add to theirs.
            counts.update(count=F("count") + difference)


def count_release(release_id: int, changes: Counter[str]) -> None:
    """A release was cut with this many entries of each kind of change (for the releases
    pages, and the sitemap of releases and their concept pages)."""
    counts: Counter[tuple[str, str]] = Counter(
        {
            (ListSection.RELEASES, ""): 1,
            (ListSection.RELEASE_ENTRIES, ""): sum(changes.values()),
        }
    )
    for change, n in changes.items():
        counts[(ListSection.RELEASE_CHANGES, ListSection.release_bucket(release_id, change))] = n
    _add(counts)


@transaction.atomic
def recount() -> int:
    """Sum every count again from the list rows and the release entries (in all, and per
    release and kind of change); returns how many counts there are. Publishers wait (the
    publication stamp is locked) until it is done."""
    list(Publication.objects.select_for_update().filter(pk=Publication.ROW).values("pk"))
    ListCount.objects.all().delete()
    counts = [
        ListCount(section=section, bucket=bucket, count=total)
        for section, bucket, total in ListEntry.objects.values("section", "bucket")
        .annotate(total=Sum("weight"))
        .values_list("section", "bucket", "total")
        .order_by()
    ]
    for section, total in (
        (ListSection.RELEASES, Release.objects.count()),
        (ListSection.RELEASE_ENTRIES, ReleaseEntry.objects.count()),
    ):
        if total:
            counts.append(ListCount(section=section, count=total))
    counts.extend(
        ListCount(
            section=ListSection.RELEASE_CHANGES,
            bucket=ListSection.release_bucket(release_id, change),
            count=total,
        )
        for release_id, change, total in ReleaseEntry.objects.values("release_id", "change")
        .annotate(total=Count("id"))
        .values_list("release_id", "change", "total")
        .order_by()
    )
    ListCount.objects.bulk_create(counts, batch_size=1000)
    return len(counts)
