"""Search over the published glossary, in English, Simplified or Traditional Chinese.

Every term stores its matching key (``Term.folded``, ``glossary.text.fold`` of its text), so a
query is folded the same way once and compared with indexed equality and prefix lookups before
anything slower: exact match (preferred terms first, then admitted, deprecated, superseded),
then prefix, then contains, and only as a last resort the definitions. Traditional input folds to
Simplified (人工智慧 finds 人工智能); case, hyphens, spaces and plurals fold away in English
("Generative-AI", "generative ai" and "generative AIs" all find generative AI).

Results are grouped by concept, best first. The number of queries does not depend on the number
of hits: at most four lookups, then the concepts and their preferred terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import F, Q

from glossary.choices import Language, TermStatus
from glossary.models import Concept, ConceptVersion, Term
from glossary.text import fold, has_han, to_simplified, to_traditional

__all__ = ["MAX_QUERY_LENGTH", "SearchHit", "search"]

#: Longer queries are refused by the search page; nothing in the glossary is that long.
MAX_QUERY_LENGTH = 200

#: Match kinds, best first.
MATCH_ORDER = (
    TermStatus.PREFERRED,
    TermStatus.ADMITTED,
    TermStatus.DEPRECATED,
    TermStatus.SUPERSEDED,
    "prefix",
    "contains",
    "definition",
)
_STATUS_ORDER = {status: index for index, status in enumerate(TermStatus.values)}


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
        return {
            Language.EN: self.preferred_en,
            Language.ZH_HANS: self.preferred_zh_hans,
            Language.ZH_HANT: self.preferred_zh_hant,
        }.get(self.term.language, "")

    @property
    def is_retired(self) -> bool:
        return self.concept.is_retired


def search(query: str, *, limit: int = 50) -> list[SearchHit]:
    """Published concepts matching ``query``, grouped by concept, best first."""
    key = fold(query or "")
    if not key or limit < 1:
        return []
    found: dict[int, tuple[tuple, Term | None]] = {}  # concept id -> (rank, matching term)

    def take(terms: list[Term], kind: str | None) -> None:
        for term in terms:
            # Exact matches rank by the term's status; within a kind a closer match (shorter
            # key) and then a better status win.
            rank = (
                MATCH_ORDER.index(kind or term.status),
                len(term.folded),
                _STATUS_ORDER.get(term.status, len(_STATUS_ORDER)),
                term.folded,
            )
            best = found.get(term.concept_id)
            if best is None or rank < best[0]:
                found[term.concept_id] = (rank, term)

    terms = Term.objects.public().annotate(concept_id=F("version__concept_id"))
    take(list(terms.filter(folded=key)), None)
    if len(found) < limit:
        take(list(terms.filter(folded__startswith=key).exclude(folded=key)[:_STAGE_ROWS]), "prefix")
    if len(found) < limit:
        rows = terms.filter(folded__contains=key).exclude(folded__startswith=key)[:_STAGE_ROWS]
        take([t for t in rows if _contains(t.folded, key)], "contains")
    if not found:
        rank = (MATCH_ORDER.index("definition"), 0, 0, "")
        for concept_id in _definition_matches(query, limit=limit):
            found[concept_id] = (rank, None)
    return _hits(found, limit)


#: Enough rows of one kind of match for any real query; a one-letter query stops here.
_STAGE_ROWS = 2000


def _contains(folded: str, key: str) -> bool:
    """Whether the key occurs in the term: anywhere in Chinese, from a word start in English.

    "learn" finds "machine learning", but "ai" does not find "training".
    """
    if has_han(key):
        return key in folded
    return re.search(rf"(?:^|[^\w]){re.escape(key)}", folded) is not None


def _definition_matches(query: str, *, limit: int) -> list[int]:
    """Concepts whose definition, in any language, contains the query as typed or converted."""
    text = " ".join(query.split())
    if not text:
        return []
    condition = Q(definition_en__icontains=text)
    for variant in {text, to_simplified(text)}:
        condition |= Q(definition_zh_hans__icontains=variant)
    for variant in {text, to_traditional(text)}:
        condition |= Q(definition_zh_hant__icontains=variant)
    rows = (
        ConceptVersion.objects.public()
        .filter(condition)
        .order_by("concept__uid")
        .values_list("concept_id", "definition_en", "definition_zh_hans", "definition_zh_hant")
    )
    if has_han(text):
        return [row[0] for row in rows[:limit]]
    # English: the query must start a word, as for terms ("ai" is not found in "certain").
    pattern = re.compile(rf"(?:^|[^\w]){re.escape(text)}", re.IGNORECASE)
    matches = [
        row[0] for row in rows[:_STAGE_ROWS] if any(pattern.search(t or "") for t in row[1:])
    ]
    return matches[:limit]


def _hits(found: dict[int, tuple[tuple, Term | None]], limit: int) -> list[SearchHit]:
    if not found:
        return []
    ordered = sorted(found.items(), key=lambda item: item[1][0])[:limit]
    concepts = Concept.objects.for_lists().in_bulk([concept_id for concept_id, _ in ordered])
    hits = []
    for concept_id, (rank, term) in ordered:
        concept = concepts.get(concept_id)
        if concept is None:  # its version changed between the queries: leave it out
            continue
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
