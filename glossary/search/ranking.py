"""Search over the published glossary: English, Simplified or Traditional Chinese, or pinyin.

Every public term has stored search keys (``glossary.search.keys``), written when its version
was published. A query is keyed the same way once, and the keys are read with indexed equality
and prefix lookups, best kind of match first:

1. an exact term: preferred, then admitted, deprecated, superseded (a deprecated or superseded
   hit names the preferred term to use instead);
2. ``prefix``: a term begins with the query ("machine learn");
3. ``pinyin``: the query read as pinyin, with or without spaces and tones, is a term's pinyin,
   begins it, or begins one of its segments' ("shengchengshi rengong zhineng", "sheng cheng shi",
   "zhineng"), or gives its initials ("scsrgzn"); typed tones put the terms with those tones
   first;
4. ``contains``: the query begins at a later word of an English term or a later jieba segment
   of a Chinese one ("language model" in "large language model", 语言模型 in 大语言模型);
5. ``typo``: an English query of four or more letters is one edit (Damerau-Levenshtein) from a
   whole term: a few stored halves of terms are looked up, and the candidates checked;
6. ``definition``: only when nothing else matched, the definitions are searched, with a limit.
   This is the one lookup that reads rows rather than an index.

Traditional input folds to Simplified (人工智慧 finds 人工智能); case, hyphens, spaces and plurals
fold away in English. Results are grouped by concept, best first.

Ranking is the database's. Each key stores its term's rank (``keys.term_rank``: status, length,
language, the key, the concept), and the query computes how well each key matches
(``_match_order``: kind of match, place among pinyin matches, whether a whole term is written as
typed), so one query groups the matching keys by concept, orders the concepts by their best key
and returns only the page asked for (``limit`` from ``offset``): of the thousands of keys a common
word ("a", "to", "data") begins, the database sorts only as many as the page could need
(``_Keys._page``), and Python reads one row a concept shown.
Typos, which need checking here, are read only when the page goes past the other matches, and
definitions only when nothing else matched. Then three queries load the concepts, their
preferred terms and the terms that matched: four queries as a rule, five when the page is not
filled and the query may be a misspelt English word (or when the definitions are read).

Ranks are compared by code point (SQLite's default; PostgreSQL is told ``COLLATE "C"``), as
Python compares strings, so the order is the one Python ranking gave (``tests/search``), except
that terms of the same status, length and language that share their first ``keys.RANK_TEXT``
characters are ordered by concept, and that where one concept has two keys that rank alike, the
term with the smaller id is the one shown (it was whichever was read first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import NamedTuple

from django.db import connection
from django.db.models import Exists, Field, OuterRef, Q, Value

from glossary.core.choices import Language, TermStatus, VersionState
from glossary.core.models import Concept, ConceptVersion, DefinitionKey, SearchKey, Term
from glossary.language import (
    fold,
    has_han,
    normalise,
    query_pinyin_initials,
    query_pinyin_key,
    query_pinyin_tones,
    to_simplified,
    to_traditional,
)
from glossary.search.keys import (
    DEFINITION_FIELDS,
    definition_anchor,
    rank_concept_id,
    rank_term_id,
    typed_mark,
    typed_mark_start,
    typo_probes,
)

__all__ = ["MATCH_ORDER", "MAX_QUERY_LENGTH", "Ranked", "SearchHit", "ranked", "search"]

#: Longer queries are refused by the search page; nothing in the glossary is that long.
MAX_QUERY_LENGTH = 200

#: Match kinds, best first.
MATCH_ORDER = (
    TermStatus.PREFERRED,
    TermStatus.ADMITTED,
    TermStatus.DEPRECATED,
    TermStatus.SUPERSEDED,
    "prefix",
    "pinyin",
    "contains",
    "typo",
    "definition",
)
_TIER = {match: index for index, match in enumerate(MATCH_ORDER)}

#: The conditions of ``_Keys`` in two tiers, the matches of the first ordering before those of
#: the second: a whole term, a term's beginning, a whole reading or its beginning; then a later
#: word of a term or a syllable of a reading, which for a common word or syllable ("a", "to",
#: "zhong") are several times as many keys as all the others.
_FIRST_TIER, _CONTAINS_TIER = 0, 1

Kind = SearchKey.Kind

# How pinyin matches rank among themselves, best first.
_TONES_EXACT, _PINYIN_EXACT, _INITIALS_EXACT = 0, 1, 2
_TONES_PREFIX, _PINYIN_PREFIX, _INITIALS_PREFIX, _PINYIN_PART = 3, 4, 5, 6

#: Queries with fewer letters are not corrected: too many words are one edit from them.
TYPO_MIN_LETTERS = 4
#: Prefix initials need a few letters, or two letters would find half the Chinese terms.
_INITIALS_PREFIX_MIN = 3
#: The largest code point: a key starting with a prefix sorts below prefix + this.
_MAX_CHAR = "\U0010ffff"


@dataclass(frozen=True)
class HitTerm:
    """The term a hit matched."""

    version_id: int
    text: str
    language: str
    status: str


@dataclass(frozen=True)
class HitVersion:
    """What a hit shows of its concept's public version."""

    state: str
    agreement: str
    machine_converted_fields: list[str]
    definition_en: str
    definition_zh_hans: str
    definition_zh_hant: str


#: The public version's fields a hit reads (``HitVersion``'s).
_HIT_VERSION_FIELDS = tuple(field.name for field in fields(HitVersion))


@dataclass(frozen=True)
class SearchHit:
    """One concept found, as plain values: its uid, its public version and preferred terms,
    the term that matched (if a term matched) and how."""

    uid: str
    version_id: int  # the public version's
    version: HitVersion
    preferred: dict[str, str]  # language: the preferred term's text
    term: HitTerm | None
    match: str  # one of MATCH_ORDER

    @property
    def preferred_en(self) -> str:
        return self.preferred.get(Language.EN, "")

    @property
    def preferred_zh_hans(self) -> str:
        return self.preferred.get(Language.ZH_HANS, "")

    @property
    def preferred_zh_hant(self) -> str:
        return self.preferred.get(Language.ZH_HANT, "")

    @property
    def use_instead(self) -> str:
        """For a deprecated or superseded term: the preferred term of its language."""
        if self.term is None or self.term.status not in (
            TermStatus.DEPRECATED,
            TermStatus.SUPERSEDED,
        ):
            return ""
        return self.preferred.get(self.term.language, "")

    @property
    def is_retired(self) -> bool:
        return self.version.state == VersionState.RETIRED


@dataclass(frozen=True)
class _Query:
    """A query keyed every way the stored keys are."""

    typed: str  # normalised as typed, to prefer the term in the script the reader used
    key: str  # text.fold, as Term.folded and the term keys
    pinyin: str | None
    tones: str | None
    initials: str | None

    @classmethod
    def parse(cls, query: str) -> _Query:
        key = fold(query)
        latin = bool(key) and not has_han(key)
        return cls(
            typed=normalise(query),
            key=key,
            pinyin=query_pinyin_key(query) if latin else None,
            tones=query_pinyin_tones(query) if latin else None,
            initials=query_pinyin_initials(query) if latin else None,
        )


class Ranked(NamedTuple):
    """A concept found: the term whose key matched best (none for a definition) and how."""

    concept_id: int
    term_id: int | None
    match: str  # one of MATCH_ORDER


def search(query: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
    """Published concepts matching ``query``, grouped by concept, best first: ``limit`` of
    them from the ``offset``-th on."""
    return _hits(ranked(query, limit=limit, offset=offset))


def ranked(query: str, *, limit: int = 50, offset: int = 0) -> list[Ranked]:
    """The concepts ``search`` finds, as ids, without loading them: ``limit`` from ``offset``.

    The database ranks the keys (``_Keys.order`` and each key's stored rank) and returns one
    row a concept, a page of them: the keys a common word matches are ranked there, never read.
    Only when the page is not filled are typos looked for (their candidates are checked here),
    and only when nothing matched, definitions.
    """
    parsed = _Query.parse(query or "")
    if not parsed.key or limit < 1 or offset < 0:
        return []
    keys = _Keys(parsed)
    found = [_parse(order) for order in keys.page(offset=offset, limit=limit)]
    if len(found) == limit:
        return found
    # The page goes past the last key match: typos (then definitions) follow them.
    before = offset + len(found) if found or not offset else keys.count()
    typos = []
    if _correctable(parsed.key):
        # A first page that is not full holds every concept with a better match.
        seen = {hit.concept_id for hit in found} if not offset else None
        typos = _typos(parsed, keys, seen)
    if before or typos:
        start = max(0, offset - before)
        return found + typos[start : start + limit - len(found)]
    concepts = _definition_matches(query, limit=offset + limit)[offset:]
    return [Ranked(concept_id, None, "definition") for concept_id in concepts]


#: Typo candidates read at most: a few thousand English terms share half of any one key.
_TYPO_CANDIDATES = 2000


def _column(name: str) -> str:
    field = SearchKey._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return connection.ops.quote_name(field.column)


class _Keys:
    """The SQL that finds and ranks the keys matching a query in any way but a typo.

    Written out rather than built by the ORM: the query is one condition per kind of key and an
    expression over the kinds, and assembling them as expressions cost more than the database
    took to answer (milliseconds, for a handful of rows).
    """

    def __init__(self, query: _Query) -> None:
        self.query = query
        self.kind, self.key, self.rank = _column("kind"), _column("key"), _column("rank")
        self.table = connection.ops.quote_name(SearchKey._meta.db_table)
        self.clauses, self.clause_params, self.clause_tiers = self._clauses()
        #: The condition ``_page`` reads whole: a whole term's, the first ``_clauses`` writes.
        self.whole_clauses = {0}
        self.where = f"{self.rank} IS NOT NULL AND ({' OR '.join(self.clauses)})"
        self.where_params = [param for params in self.clause_params for param in params]

    def _clauses(self) -> tuple[list[str], list[list[str]], list[int]]:
        """One condition for each kind of key and way it may match, with its parameters and
        its tier (``_FIRST_TIER`` or ``_CONTAINS_TIER``)."""
        query = self.query
        exact = [(Kind.TERM, query.key)]
        prefix = [(Kind.TERM, query.key)]
        if query.pinyin:
            exact.append((Kind.PINYIN, query.pinyin))
            prefix.append((Kind.PINYIN, query.pinyin))
        if query.tones:
            exact.append((Kind.TONES, query.tones))
            prefix.append((Kind.TONES, query.tones))
        if query.initials:
            exact.append((Kind.INITIALS, query.initials))
            if len(query.initials) >= _INITIALS_PREFIX_MIN:
                prefix.append((Kind.INITIALS, query.initials))
        contains = [(Kind.PART, query.key)]
        if query.pinyin:
            contains.append((Kind.PINYIN_PART, query.pinyin))
        clauses: list[str] = []
        params: list[list[str]] = []
        tiers: list[int] = []
        for kind, key in exact:
            clauses.append(f"({self.kind} = %s AND {self.key} = %s)")
            params.append([kind, key])
            tiers.append(_FIRST_TIER)
        for kinds, proper in ((prefix, True), (contains, False)):
            for kind, key in kinds:
                clauses.append(self._starts_with(proper=proper))
                params.append([kind, key, key + _MAX_CHAR, _like_prefix(key)])
                tiers.append(_FIRST_TIER if proper else _CONTAINS_TIER)
        return clauses, params, tiers

    def _matching(self) -> tuple[str, list[str]]:
        """The matching keys' concepts (for ``count``), one index range for each condition.

        A union of ranges rather than one condition with ``OR``: each range is then read from
        the index alone (it holds every column needed), where ``OR`` makes PostgreSQL visit
        the table for every key (a bitmap scan) and SQLite look each one up by row id.
        """
        parts = [
            f"SELECT {_column('concept')} FROM {self.table}"
            f" WHERE {clause} AND {self.rank} IS NOT NULL"
            for clause in self.clauses
        ]
        return " UNION ALL ".join(parts), [p for params in self.clause_params for p in params]

    def _starts_with(self, *, proper: bool) -> str:
        """Keys of a kind that begin with a prefix (and are longer, if ``proper``).

        The range on the key is what the index on (kind, key, rank, concept) answers, on both
        databases (SQLite's LIKE ignores case and cannot use a binary index); LIKE keeps the
        rows exact. The two together give the same rows on both.
        """
        above = ">" if proper else ">="
        return (
            f"({self.kind} = %s AND {self.key} {above} %s AND {self.key} < %s"
            f" AND {self.key} LIKE %s ESCAPE '\\')"
        )

    def order(self) -> tuple[str, list[str]]:
        """How well a key matches, then its rank, as text that sorts best first.

        Three characters for the match: the kind of match (``MATCH_ORDER``: a whole term's is
        its status, the first character of its rank), the place among pinyin matches, and
        whether a whole term is written as typed (its rank's typed mark is the query's). Then
        the rank, which orders equal matches.
        """
        query = self.query
        mark = typed_mark(query.typed)
        typed_at = typed_mark_start(query.key)
        whens = [
            f"WHEN {self.kind} = %s AND {self.key} = %s THEN SUBSTR({self.rank}, 1, 1) || '0'"
            f" || CASE WHEN SUBSTR({self.rank}, {typed_at:d}, {len(mark):d}) = %s"
            " THEN '0' ELSE '1' END"
        ]
        params = [Kind.TERM, query.key, mark]
        whens.append(f"WHEN {self.kind} = %s THEN %s")
        params += [Kind.TERM, _order("prefix")]
        wanted_by_kind = {Kind.TONES: query.tones, Kind.PINYIN: query.pinyin}
        wanted_by_kind[Kind.INITIALS] = query.initials
        for kind, wanted in wanted_by_kind.items():
            exact, prefix = _PINYIN_PLACES[kind]
            if wanted:
                whens.append(f"WHEN {self.kind} = %s AND {self.key} = %s THEN %s")
                params += [kind, wanted, _order("pinyin", exact)]
                whens.append(f"WHEN {self.kind} = %s THEN %s")
                params += [kind, _order("pinyin", prefix)]
        whens.append(f"WHEN {self.kind} = %s THEN %s")
        params += [Kind.PINYIN_PART, _order("pinyin", _PINYIN_PART)]
        order = f"(CASE {' '.join(whens)} ELSE %s END || {self.rank})"
        params += [_order("contains")]
        if connection.vendor == "postgresql":
            order += ' COLLATE "C"'
        return order, params

    def page(self, *, offset: int, limit: int) -> list[str]:
        """The best ``order`` of each concept, best first, ``limit`` from ``offset``.

        The first tier's matches alone first (``_FIRST_TIER``): every one of them orders before
        every match of the second tier (``_CONTAINS_TIER``), so when they fill the page, it is
        the page, and the second tier's keys are never read. That is a common word's case
        ("a", "to", "zhong"): its whole terms, beginnings and readings fill its first pages, and
        the far more numerous terms that merely hold a later word or syllable beginning with it
        are not ranked. Otherwise the page is ranked again from every match.
        """
        if _CONTAINS_TIER in self.clause_tiers:
            first = self._page(offset=offset, limit=limit, tier=_FIRST_TIER)
            if len(first) == limit:
                return first
        return self._page(offset=offset, limit=limit)

    def _page(self, *, offset: int, limit: int, tier: int | None = None) -> list[str]:
        """The page, from each condition's best keys.

        Within a condition, every key but a whole term's matches in the same way, so its keys
        in the order of their rank are in ``order``'s order: the condition's first keys by rank
        hold its best concepts. Each such condition is read only as far as the page could need,
        a sort the database keeps to that many rows, where grouping every matching key by
        concept sorted them all (22,555 keys begin with "to" at 100,000 concepts). The
        whole-term condition, whose order also weighs how a term is written, is read whole: it
        holds the few terms equal to the query.

        A concept whose best key in a condition is not among that condition's first concepts
        cannot be on the page: they all order before it. So the page is right unless a
        condition read in part gave fewer concepts than the page needs (its concepts having
        many keys each); that condition is read again, four times as far. A page that is not
        full is right unless a condition stopped where it was told to: that one is read whole.
        """
        wanted = offset + limit
        chosen = [i for i, t in enumerate(self.clause_tiers) if tier is None or t == tier]
        reads: dict[int, int | None] = {
            i: None if i in self.whole_clauses else 2 * wanted + 8 for i in chosen
        }
        while True:
            page, read = self._ranked(reads, offset=offset, limit=limit)
            if len(page) < limit:
                # Not full: right unless a condition stopped at what it was to read. An empty
                # page past the first says nothing of what was read.
                if not page and offset:
                    stopped = [i for i, count in reads.items() if count is not None]
                else:
                    stopped = [i for i, (rows, _concepts) in read.items() if rows == reads[i]]
                if not stopped:
                    return page
                for i in stopped:
                    reads[i] = None
                continue
            short = [
                i for i, (rows, concepts) in read.items() if rows == reads[i] and concepts < wanted
            ]
            if not short:
                return page
            for i in short:
                reads[i] = 4 * (reads[i] or 0)

    def _ranked(
        self, reads: dict[int, int | None], *, offset: int, limit: int
    ) -> tuple[list[str], dict[int, tuple[int, int]]]:
        """The best ``order`` of each concept over the keys read (of each condition ``i``, the
        first ``reads[i]`` by rank, or all of them for ``None``), ``limit`` from ``offset``; and
        for each condition read in part, how many keys and concepts it gave (on the page's
        rows: one query, which returns the page alone)."""
        order, order_params = self.order()
        concept = _column("concept")
        columns = f"{self.kind}, {self.key}, {self.rank}, {concept}"
        collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
        ctes, cte_params, counts = [], [], []
        for i, read in reads.items():
            keys = (
                f"SELECT {columns} FROM {self.table}"
                f" WHERE {self.clauses[i]} AND {self.rank} IS NOT NULL"
            )
            if read is not None:
                keys += f" ORDER BY {self.rank}{collate} LIMIT {read:d}"
                counts.append(i)
            ctes.append(f"clause_{i:d} AS ({keys})")
            cte_params += self.clause_params[i]
        tallies = "".join(
            f", (SELECT COUNT(*) FROM clause_{i:d})"
            f", (SELECT COUNT(DISTINCT {concept}) FROM clause_{i:d})"
            for i in counts
        )
        matching = " UNION ALL ".join(f"SELECT {columns} FROM clause_{i:d}" for i in reads)
        sql = (
            f"WITH {', '.join(ctes)} SELECT MIN({order}) AS best{tallies}"
            f" FROM ({matching}) AS matching"
            f" GROUP BY {concept} ORDER BY best LIMIT {limit:d} OFFSET {offset:d}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*cte_params, *order_params])
            rows = cursor.fetchall()
        found = (
            {i: (rows[0][1 + 2 * n], rows[0][2 + 2 * n]) for n, i in enumerate(counts)}
            if rows
            else {}
        )
        return [row[0] for row in rows], found

    def count(self) -> int:
        """How many concepts have matching keys."""
        matching, params = self._matching()
        sql = f"SELECT COUNT(DISTINCT {_column('concept')}) FROM ({matching}) AS matching"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.fetchone()[0])

    def better(self) -> Exists:
        """Whether the concept of the outer key has a matching key (for ``_typos``)."""
        return Exists(
            SearchKey.objects.filter(concept_id=OuterRef("concept_id")).extra(
                where=[self.where], params=self.where_params
            )
        )


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern for strings that begin with ``prefix``."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _order(match: str, place: int = 0) -> str:
    """The three characters of ``_Keys.order`` for a kind of match other than a whole term."""
    return f"{_TIER[match]}{place}1"


def _parse(order: str) -> Ranked:
    """A concept's best ``_Keys.order`` as read: its concept, term and kind of match."""
    rank = order[3:]
    return Ranked(rank_concept_id(rank), rank_term_id(rank), MATCH_ORDER[int(order[0])])


def _typos(query: _Query, keys: _Keys, seen: set[int] | None) -> list[Ranked]:
    """Concepts with a term one edit from the query and no better match, best first.

    The typo keys find the candidates (terms sharing half of the query); each is checked here.
    A concept has a better match if it is among ``seen`` (every concept the other keys
    match), or, when those are not known, if the database says so in the same query.
    """
    rows = SearchKey.objects.filter(
        kind=Kind.TYPO, key__in=sorted(typo_probes(query.key)), rank__isnull=False
    )
    if seen is None:
        rows = rows.annotate(better=keys.better())
    else:
        rows = rows.annotate(better=Value(False))
    best: dict[int, str] = {}
    candidates = rows.values_list("concept_id", "rank", "term__folded", "better")
    for concept_id, rank, folded, has_better in candidates[:_TYPO_CANDIDATES]:
        if rank is None or has_better or (seen and concept_id in seen):
            continue
        if not _one_edit_apart(query.key, folded):
            continue
        if concept_id not in best or rank < best[concept_id]:
            best[concept_id] = rank
    return [
        Ranked(concept_id, rank_term_id(rank), "typo")
        for concept_id, rank in sorted(best.items(), key=lambda item: item[1])
    ]


def _correctable(key: str) -> bool:
    """Whether a query is English with enough letters to look for terms one typo away."""
    letters = sum(1 for char in key if char.isalpha())
    return letters >= TYPO_MIN_LETTERS and not has_han(key)


#: For each kind of pinyin key: its place when equal to the query, and when it begins with it.
_PINYIN_PLACES: dict[str, tuple[int, int]] = {
    Kind.TONES: (_TONES_EXACT, _TONES_PREFIX),
    Kind.PINYIN: (_PINYIN_EXACT, _PINYIN_PREFIX),
    Kind.INITIALS: (_INITIALS_EXACT, _INITIALS_PREFIX),
    Kind.PINYIN_PART: (_PINYIN_PART, _PINYIN_PART),
}


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether two different strings are one deletion, insertion, substitution or swap apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) < len(b):
        a, b = b, a
    same = 0
    while same < len(b) and a[same] == b[same]:
        same += 1
    if len(a) > len(b):
        return a[same + 1 :] == b[same:]
    return a[same + 1 :] == b[same + 1 :] or (
        a[same + 2 :] == b[same + 2 :] and a[same : same + 2] == b[same : same + 2][::-1]
    )


def _starts_with(prefix: str) -> Q:
    """Keys that begin with ``prefix``, from the index (see ``_Keys._starts_with``)."""
    return Q(key__startswith=prefix) & Q(key__gte=prefix) & Q(key__lt=prefix + _MAX_CHAR)


def _definition_matches(query: str, *, limit: int) -> list[int]:
    """Concepts whose definition, in any language, contains the query as typed or converted.

    The definition keys (``search_index.definition_keys``) name the candidates: the concepts
    whose definitions have the query's most telling word or pair of Chinese characters
    (``definition_anchor``), at most ``_DEFINITION_CANDIDATES`` of them. Only their definitions
    are read and checked. A query without keys (one Chinese character) is the one case left to
    a scan.
    """
    text = " ".join(query.split())
    if not text:
        return []
    anchor = definition_anchor(text)
    matches = _definition_test(text)
    if anchor is not None:
        key, prefix = anchor
        candidates = DefinitionKey.objects.filter(
            _starts_with(key) if prefix else Q(key=key)
        ).values("concept_id")
        rows = (
            Concept.objects.filter(
                pk__in=candidates[:_DEFINITION_CANDIDATES], public_version__isnull=False
            )
            .order_by()
            .values_list("pk", *(f"public_version__{name}" for name in DEFINITION_FIELDS))
        )
    else:
        rows = (
            ConceptVersion.objects.public()
            .filter(_contains_anywhere(text))
            .values_list("concept_id", *DEFINITION_FIELDS)[:limit]
        )
    return sorted(row[0] for row in rows if matches(row[1:]))[:limit]


def _contains_anywhere(text: str) -> Q:
    """Definitions that contain Chinese text as typed or converted (for a scan)."""
    condition = Q(definition_en__contains=text)
    for variant in {text, to_simplified(text)}:
        condition |= Q(definition_zh_hans__contains=variant)
    for variant in {text, to_traditional(text)}:
        condition |= Q(definition_zh_hant__contains=variant)
    return condition


def _definition_test(text: str):  # noqa: ANN202 - a predicate over a version's definitions
    """Whether definitions (English, Simplified, Traditional) contain the query.

    English must start a word ("ai" is not found in "certain"); Chinese may be anywhere, in the
    script typed or converted to the definition's. Case is ignored.
    """
    if not has_han(text):
        pattern = re.compile(rf"(?:^|[^\w]){re.escape(text)}", re.IGNORECASE)
        return lambda texts: any(pattern.search(t or "") for t in texts)
    folded = text.casefold()
    simplified = {folded, to_simplified(text).casefold()}
    traditional = {folded, to_traditional(text).casefold()}

    def test(texts: tuple[str, ...]) -> bool:
        english, hans, hant = ((t or "").casefold() for t in texts)
        return (
            folded in english
            or any(v in hans for v in simplified)
            or any(v in hant for v in traditional)
        )

    return test


#: Definitions read at most for one query, before checking that they hold the query.
_DEFINITION_CANDIDATES = 2000


def _hits(found: list[Ranked]) -> list[SearchHit]:
    """The hits of ``found``, read as plain rows in three queries (``Concept.public_rows`` and
    the terms that matched)."""
    if not found:
        return []
    rows = Concept.objects.public_rows([hit.concept_id for hit in found], *_HIT_VERSION_FIELDS)
    terms = {
        pk: HitTerm(version_id, text, language, status)
        for pk, version_id, text, language, status in Term.objects.filter(
            pk__in=[hit.term_id for hit in found if hit.term_id is not None]
        ).values_list("pk", "version_id", "text", "language", "status")
    }
    hits = []
    for concept_id, term_id, match in found:
        row = rows.get(concept_id)
        term = terms.get(term_id) if term_id is not None else None
        if row is None or (
            term_id is not None and (term is None or term.version_id != row.version_id)
        ):
            continue  # published anew between the queries: its old terms no longer hold
        hits.append(
            SearchHit(
                uid=row.uid,
                version_id=row.version_id,
                version=HitVersion(**row.version),
                preferred=row.preferred,
                term=term,
                match=match,
            )
        )
    return hits
