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

Queries: one reads every matching key, capped; only when the cap is reached (a very short or
very common query) are the kinds of match read again one by one, best first, each capped, until
the limit is filled. Then three queries load the concepts, their preferred terms and the terms
that matched, however many hits there are: four queries as a rule, eight at most.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import NamedTuple

from django.db.models import Q

from glossary.core.choices import Language, TermStatus
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
    LANGUAGE_ORDER,
    STATUS_ORDER,
    definition_anchor,
    typo_probes,
)

__all__ = ["MATCH_ORDER", "MAX_QUERY_LENGTH", "SearchHit", "search"]

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
class SearchHit:
    """One concept found, with the term that matched (if a term matched) and how."""

    concept: Concept  # with public_version and its preferred terms loaded
    term: Term | None
    match: str  # one of MATCH_ORDER
    preferred_en: str
    preferred_zh_hans: str
    preferred_zh_hant: str

    @property
    def use_instead(self) -> str:
        """For a deprecated or superseded term: the preferred term of its language."""
        if self.term is None or self.term.status not in (
            TermStatus.DEPRECATED,
            TermStatus.SUPERSEDED,
        ):
            return ""
        preferred: dict[str, str] = {
            Language.EN: self.preferred_en,
            Language.ZH_HANS: self.preferred_zh_hans,
            Language.ZH_HANT: self.preferred_zh_hant,
        }
        return preferred.get(self.term.language, "")

    @property
    def is_retired(self) -> bool:
        return self.concept.is_retired


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


# A rank sorts best first: (match kind, place among pinyin matches, term status, term length,
# not as typed, term language, term key, concept id). A preferred term beats an admitted one
# that matches as well (and is the one shown); shorter terms are closer matches; a term in the
# script the reader typed beats its folded twin (人工智慧 shows 人工智慧, not 人工智能); the rest
# only makes the order stable.
Rank = tuple[int, int, int, int, bool, int, str, int]


class _Key(NamedTuple):
    """A search key as read, with what ranking needs of its term (tuples: no model instances)."""

    concept_id: int
    version_id: int
    term_id: int
    kind: str
    key: str
    folded: str  # the term's matching key (Term.folded)
    status: str
    language: str
    text: str


_KEY_COLUMNS = (
    "concept_id",
    "version_id",
    "term_id",
    "kind",
    "key",
    "term__folded",
    "term__status",
    "term__language",
    "term__text",
)


class _Found:
    """The best match of each concept so far, with the key that made it."""

    def __init__(self, query: _Query) -> None:
        self.query = query
        self.best: dict[int, tuple[Rank, _Key | None]] = {}

    def add(self, row: _Key, match: str, place: int = 0) -> None:
        rank: Rank = (
            _TIER[match],
            place,
            STATUS_ORDER.get(row.status, len(STATUS_ORDER)),
            len(row.folded),
            # Only a term whose key is the query's can be written as typed: skip the others.
            row.folded != self.query.key or normalise(row.text) != self.query.typed,
            LANGUAGE_ORDER.get(row.language, len(LANGUAGE_ORDER)),
            row.folded,
            row.concept_id,
        )
        best = self.best.get(row.concept_id)
        if best is None or rank < best[0]:
            self.best[row.concept_id] = (rank, row)

    def add_definition(self, concept_id: int) -> None:
        if concept_id not in self.best:
            rank: Rank = (_TIER["definition"], 0, 0, 0, False, 0, "", concept_id)
            self.best[concept_id] = (rank, None)

    def better_than(self, match: str) -> int:
        """How many concepts were found by a better kind of match than ``match``."""
        tier = _TIER[match]
        return sum(1 for rank, _ in self.best.values() if rank[0] < tier)


def search(query: str, *, limit: int = 50) -> list[SearchHit]:
    """Published concepts matching ``query``, grouped by concept, best first."""
    parsed = _Query.parse(query or "")
    if not parsed.key or limit < 1:
        return []
    found = _Found(parsed)
    steps = _steps(parsed)
    cap = _rows_read(limit)
    # Usually every key that matches fits in one read, and ranking them is done here.
    rows = _read(reduce(operator.or_, (condition for _, condition in steps)), cap)
    for row in rows:
        _take(row, parsed, found)
    if len(rows) >= cap:
        # Too many keys match (a very short or very common query) for one read to hold them
        # all: read step by step, best first, each capped. A step finds nothing better than its
        # floor, so once that many concepts are found by better matches, the rest cannot change
        # the first ``limit``.
        for floor, condition in steps:
            if found.better_than(floor) >= limit:
                break
            for row in _read(condition, cap):
                _take(row, parsed, found)
    if not found.best:
        for concept_id in _definition_matches(query, limit=limit):
            found.add_definition(concept_id)
    return _hits(found, limit)


def _rows_read(limit: int) -> int:
    # A concept has a few keys that can match one query: this is plenty for ``limit`` concepts,
    # and stops a one-letter query from reading every key that starts with that letter.
    return min(max(limit * 4, 200), 2000)


def _steps(query: _Query) -> list[tuple[str, Q]]:
    """(best kind of match it can find, condition on the keys) for each step, best first."""
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
    contains = Q(kind=Kind.PART) & _starts_with(query.key)
    if query.pinyin:
        contains |= Q(kind=Kind.PINYIN_PART) & _starts_with(query.pinyin)
    steps = [
        (TermStatus.PREFERRED, _any(Q(kind=kind, key=key) for kind, key in exact)),
        ("prefix", _any(Q(kind=kind) & _starts_with(key, proper=True) for kind, key in prefix)),
        ("pinyin", contains),
    ]
    if _correctable(query.key):
        steps.append(("typo", Q(kind=Kind.TYPO, key__in=typo_probes(query.key))))
    return steps


def _any(conditions: Iterable[Q]) -> Q:
    return reduce(operator.or_, conditions)


def _correctable(key: str) -> bool:
    """Whether a query is English with enough letters to look for terms one typo away."""
    letters = sum(1 for char in key if char.isalpha())
    return letters >= TYPO_MIN_LETTERS and not has_han(key)


def _take(row: _Key, query: _Query, found: _Found) -> None:
    """Rank a key that one of the steps read, by how it matches the query."""
    key, kind = row.key, row.kind
    if kind == Kind.TERM:
        if key == query.key:
            found.add(row, row.status)
        elif key.startswith(query.key):
            found.add(row, "prefix")
    elif kind == Kind.PART:
        if key.startswith(query.key):
            found.add(row, "contains")
    elif kind == Kind.TYPO:
        if _one_edit_apart(query.key, row.folded):
            found.add(row, "typo")
    else:
        place = _pinyin_place(kind, key, query)
        if place is not None:
            found.add(row, "pinyin", place)


#: For each kind of pinyin key: its place when equal to the query, and when it begins with it.
_PINYIN_PLACES: dict[str, tuple[int, int]] = {
    Kind.TONES: (_TONES_EXACT, _TONES_PREFIX),
    Kind.PINYIN: (_PINYIN_EXACT, _PINYIN_PREFIX),
    Kind.INITIALS: (_INITIALS_EXACT, _INITIALS_PREFIX),
    Kind.PINYIN_PART: (_PINYIN_PART, _PINYIN_PART),
}


def _pinyin_place(kind: str, key: str, query: _Query) -> int | None:
    """Where a pinyin, tones or initials key ranks among pinyin matches; None if no match."""
    wanted_by_kind: dict[str, str | None] = {
        Kind.PINYIN: query.pinyin,
        Kind.PINYIN_PART: query.pinyin,
        Kind.TONES: query.tones,
        Kind.INITIALS: query.initials,
    }
    wanted = wanted_by_kind.get(kind)
    if not wanted or not key.startswith(wanted):
        return None
    exact, prefix = _PINYIN_PLACES[kind]
    if key == wanted:
        return exact
    if kind == Kind.INITIALS and len(wanted) < _INITIALS_PREFIX_MIN:
        return None
    return prefix


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


def _starts_with(prefix: str, *, proper: bool = False) -> Q:
    """Keys that begin with ``prefix`` (and are longer than it, if ``proper``), from the index.

    LIKE 'abc%' alone is answered from an index on PostgreSQL (the varchar_pattern_ops index
    Django adds), but not on SQLite, whose LIKE ignores case and cannot use the binary index; a
    range on the key can. The two together give the same rows on both.
    """
    bound = Q(key__gt=prefix) if proper else Q(key__gte=prefix)
    return Q(key__startswith=prefix) & bound & Q(key__lt=prefix + _MAX_CHAR)


def _read(condition: Q, rows: int) -> list[_Key]:
    keys = SearchKey.objects.filter(condition).values_list(*_KEY_COLUMNS)[:rows]
    return [_Key(*values) for values in keys]


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


def _hits(found: _Found, limit: int) -> list[SearchHit]:
    if not found.best:
        return []
    ordered = sorted(found.best.items(), key=lambda item: item[1][0])[:limit]
    concepts = Concept.objects.for_lists().in_bulk([concept_id for concept_id, _ in ordered])
    terms = Term.objects.in_bulk([key.term_id for _, (_, key) in ordered if key is not None])
    hits = []
    for concept_id, (rank, key) in ordered:
        concept = concepts.get(concept_id)
        term = terms.get(key.term_id) if key is not None else None
        if concept is None or (key is not None and key.version_id != concept.public_version_id):
            continue  # published anew between the queries: its old terms no longer hold
        version = concept.public_version
        labels = {lang: str(version.preferred(lang) or "") for lang in Language.values}
        hits.append(
            SearchHit(
                concept=concept,
                term=term,
                match=MATCH_ORDER[rank[0]],
                preferred_en=labels[Language.EN],
                preferred_zh_hans=labels[Language.ZH_HANS],
                preferred_zh_hant=labels[Language.ZH_HANT],
            )
        )
    return hits
