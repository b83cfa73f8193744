"""The stored search keys of the published glossary: every way a public term can be found.

``term_keys`` says, without touching the database, which keys a term is found by:

* ``term``: its whole matching key (``text.fold``: case-folded, singularised English; Chinese
  folded to Simplified, so 人工智慧 and 人工智能 have one key);
* ``part``: the key from each later word on (English: "language model" and "model" for "large
  language model"), or from each later jieba segment on (Chinese: 语言模型 and 模型 for 大语言模型),
  so that a word or segment match is a prefix lookup too;
* for terms written in Han characters, ``pinyin`` (toneless, no spaces), ``tones`` (tone
  digits, no spaces), ``initials``, and ``pinyin_part`` (the pinyin from each later segment on).
  Pinyin is read from the characters as written, so a Traditional term and its Simplified twin
  have the same pinyin keys;
* for English terms, ``typo``: the two halves of the key, each tagged with the key's length
  ("16^machine " and "16$learning"). One edit (Damerau-Levenshtein) leaves one half of the
  longer string intact, so ``typo_probes`` of a query (a handful of keys, see there) find every
  term one edit away among a few candidates, which the search then checks. Two rows per term,
  where a deletion neighbourhood would take one per letter.

Each key row also stores its term's ``rank`` (``term_rank``): what orders the terms that match a
query equally well, as text that sorts the same in Python and in the database, so that the search
reads a page of concepts in order from the database instead of every key that matches.

``version_keys`` keys a version's terms, keeping a key that two of them share (a Traditional term
and its Simplified twin have the same pinyin and segments) only once: about a third fewer rows.
``replace_keys`` writes them for versions as they are published (the concepts' earlier keys go
in the same transaction); ``manage.py rebuild_derived`` (``glossary.core.derived``) writes them again
for the whole glossary, through ``write_search_keys`` and ``write_definition_keys``. Keys
depend only on the terms' text: jieba's own dictionary, not the glossary's user
dictionary, cuts the segments, so keys do not change with what else happens to be published.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from glossary import language as text
from glossary.core.bulk import insert_rows
from glossary.core.choices import PUBLIC_STATES, Language, TermStatus
from glossary.core.models import ConceptVersion, DefinitionKey, SearchKey, Term

__all__ = [
    "KEY_LENGTH",
    "TYPO_MIN_LENGTH",
    "replace_keys",
    "term_keys",
    "term_rank",
    "typo_keys",
    "typo_probes",
    "version_keys",
    "write_definition_keys",
    "write_search_keys",
]

Kind = SearchKey.Kind

#: How the search orders term statuses and languages among matches that are otherwise equal.
STATUS_ORDER = {status: index for index, status in enumerate(TermStatus.values)}
LANGUAGE_ORDER = {language: index for index, language in enumerate(Language.values)}
#: The translated definition fields whose words find a concept as a last resort.
DEFINITION_FIELDS = ("definition_en", "definition_zh_hans", "definition_zh_hant")
#: Keys are cut to the column's length; no real term comes near it.
KEY_LENGTH = SearchKey._meta.get_field("key").max_length
#: Shorter English keys get no typo keys: too many words are one edit from them.
TYPO_MIN_LENGTH = 4
#: How much of a term's key its rank holds: beyond that, terms of one length, status and
#: language that begin alike are ordered by concept.
RANK_TEXT = 40
#: Digits of the concept and term ids in a rank.
RANK_ID_DIGITS = 10
#: Characters of the mark of a term's text as written (``typed_mark``).
TYPED_MARK = 8


def term_rank(
    *, concept_id: int, term_id: int, status: str, language: str, folded: str, text: str
) -> str:
    """How a term ranks among the terms that match a query equally well, as sortable text.

    The search's order of equal matches, each part of fixed width where it must be: term
    status (preferred first), length of the matching key (shorter is closer), language, the
    key itself (its first ``RANK_TEXT`` characters), the concept and the term. Then a mark of
    the text as written (``typed_mark``), which the search compares with the query's when the
    whole term matches: a term written as the reader typed it is shown before its folded twin.
    Text compares by code point, as Python's strings and SQLite's do (PostgreSQL is told to
    with ``COLLATE "C"``).
    """
    return (
        f"{STATUS_ORDER.get(status, len(STATUS_ORDER))}"
        f"{min(len(folded), 999):03d}"
        f"{LANGUAGE_ORDER.get(language, len(LANGUAGE_ORDER))}"
        f"{folded[:RANK_TEXT]}"
        f"{concept_id:0{RANK_ID_DIGITS}d}{term_id:0{RANK_ID_DIGITS}d}"
        f"{typed_mark(text)}"
    )


def typed_mark(written: str) -> str:
    """A short mark of a text as normalised (``text.normalise``: case and width folded, script
    kept), the same for a term and a query written alike."""
    digest = hashlib.blake2b(text.normalise(written).encode(), digest_size=TYPED_MARK // 2)
    return digest.hexdigest()


def rank_ids_start(rank: str) -> int:
    """Where a rank (``term_rank``) holds its concept's id, then its term's: after the status,
    the length, the language and the key's first ``RANK_TEXT`` characters."""
    return 5 + min(int(rank[1:4]), RANK_TEXT)


def rank_concept_id(rank: str) -> int:
    """The concept a rank (``term_rank``) belongs to."""
    start = rank_ids_start(rank)
    return int(rank[start : start + RANK_ID_DIGITS])


def rank_term_id(rank: str) -> int:
    """The term a rank (``term_rank``) belongs to."""
    start = rank_ids_start(rank) + RANK_ID_DIGITS
    return int(rank[start : start + RANK_ID_DIGITS])


def typed_mark_start(key: str) -> int:
    """Where (from 1, as SQL counts) the typed mark begins in the rank of a term whose whole
    matching key is ``key``."""
    return 6 + min(len(key), RANK_TEXT) + 2 * RANK_ID_DIGITS


def term_keys(term_text: str) -> list[tuple[str, str]]:
    """Every (kind, key) a term is found by, without duplicates, in a stable order.

    The keys follow from the script of the text, not the term's language: a Latin acronym listed
    among the Chinese terms is keyed as English, and has no pinyin.
    """
    keys: dict[tuple[str, str], None] = {}

    def add(kind: str, key: str) -> None:
        key = key[:KEY_LENGTH]
        if key:
            keys[(kind, key)] = None

    folded = text.fold(term_text)[:KEY_LENGTH]
    add(Kind.TERM, folded)
    for part in _parts(folded):
        add(Kind.PART, part)
    if folded and not text.has_han(folded):
        for key in typo_keys(folded):
            add(Kind.TYPO, key)
    if text.has_han(term_text):
        written = text.normalise(term_text)
        key, tones, initials = text.pinyin_forms(written)
        add(Kind.PINYIN, key)
        add(Kind.TONES, tones)
        add(Kind.INITIALS, initials)
        for part in _parts(written):
            add(Kind.PINYIN_PART, text.pinyin_key(part))
    return list(keys)


def _parts(key: str) -> list[str]:
    """The key from each later word (Latin) or dictionary word (Han) on, longest first."""
    if not key:
        return []
    if not text.has_han(key):
        words = key.split(" ")
        return [" ".join(words[index:]) for index in range(1, len(words))]
    starts = sorted(
        {
            token.start
            for token in text.segment_words(key)
            if token.start > 0 and key[token.start].isalnum()
        }
    )
    return [key[start:] for start in starts]


def typo_keys(key: str) -> list[str]:
    """The two halves of an English key, each tagged with the key's length (none if short)."""
    if len(key) < TYPO_MIN_LENGTH:
        return []
    middle = len(key) // 2
    return [f"{len(key)}^{key[:middle]}", f"{len(key)}${key[middle:]}"]


def typo_probes(key: str) -> set[str]:
    """Typo keys of which every key one edit from ``key`` has at least one, if it has any.

    For each length the other key can have (one less, the same, one more): the first half it
    would share if the edit is in its second half, and the second half it would share if the
    edit is in its first. A transposition across the middle changes both halves, so the key
    with its two middle letters swapped back is probed too.
    """
    length = len(key)
    probes: set[str] = set()
    for other in (length - 1, length, length + 1):
        if other < TYPO_MIN_LENGTH:
            continue
        middle = other // 2
        probes.add(f"{other}^{key[:middle]}")
        probes.add(f"{other}${key[length - (other - middle) :]}")
    middle = length // 2
    if length >= TYPO_MIN_LENGTH:
        swapped = key[: middle - 1] + key[middle] + key[middle - 1] + key[middle + 1 :]
        probes.add(f"{length}^{swapped[:middle]}")
    return probes


class TermRow(NamedTuple):
    """What keying needs of a term (the columns of ``TERM_COLUMNS``)."""

    pk: int
    version_id: int
    text: str
    status: str
    language: str
    folded: str


TERM_COLUMNS = ("pk", "version_id", "text", "status", "language", "folded")


def version_keys(terms: Iterable[TermRow]) -> list[tuple[int, str, str]]:
    """(term id, kind, key) for every key of one version's terms.

    A key two of the terms share (a Traditional term and its Simplified twin have the same
    pinyin and segments) is kept once, on the term the search would show for it: the order
    below is the search's order of equally good matches of one concept. Whole-term keys are
    kept for every term, since there the script the reader typed decides which one is shown.
    """
    keys: list[tuple[int, str, str]] = []
    best: dict[tuple[str, str], tuple[tuple, int]] = {}
    for term in terms:
        rank = (
            STATUS_ORDER.get(term.status, len(STATUS_ORDER)),
            len(term.folded),
            LANGUAGE_ORDER.get(term.language, len(LANGUAGE_ORDER)),
            term.folded,
            term.pk,
        )
        for kind, key in term_keys(term.text):
            if kind == Kind.TERM:
                keys.append((term.pk, kind, key))
            elif (kind, key) not in best or rank < best[(kind, key)][0]:
                best[(kind, key)] = (rank, term.pk)
    keys.extend((term_id, kind, key) for (kind, key), (_rank, term_id) in best.items())
    return keys


# --- Definitions ----------------------------------------------------------------------------

DEFINITION_KEY_LENGTH = DefinitionKey._meta.get_field("key").max_length


def definition_keys(definition: str) -> set[str]:
    """The keys of a definition: its words (case-folded), and each pair of adjacent Chinese
    characters (folded to Simplified), so that any Chinese query of two or more characters
    has keys every definition containing it has too."""
    normalised = text.normalise(definition)
    keys = {word[:DEFINITION_KEY_LENGTH] for word in text.non_han_words(normalised)}
    for run in text.han_runs(normalised):
        folded = text.to_simplified(run)
        keys.update(folded[start : start + 2] for start in range(len(folded) - 1))
    return keys


def definition_anchor(query: str) -> tuple[str, bool] | None:
    """The key that finds the definitions which may contain ``query``, and whether it is a
    prefix; None when the query has no key (a single Chinese character: only a scan can tell).

    The longest key is the most telling: a word, or a pair of Chinese characters (the middle
    one of the query's). The word a query ends with may be unfinished ("explicit rul"), so it
    counts as a prefix. The search then checks each definition the anchor finds for the whole
    query.
    """
    normalised = text.normalise(query)
    words = [word[:DEFINITION_KEY_LENGTH] for word in text.non_han_words(normalised)]
    # The word the query ends with may be unfinished.
    unfinished = bool(words) and normalised.endswith(words[-1])
    options = [(word, unfinished and place == len(words) - 1) for place, word in enumerate(words)]
    pairs = [
        folded[start : start + 2]
        for run in text.han_runs(normalised)
        for folded in [text.to_simplified(run)]
        for start in range(len(folded) - 1)
    ]
    if pairs:
        options.append((pairs[len(pairs) // 2], False))
    if not options:
        return None
    return max(options, key=lambda option: (len(option[0]), not option[1]))


# --- Writing -----------------------------------------------------------------------------------


def write_search_keys(concept_of: dict[int, int]) -> int:
    """Write the search keys of these versions ({version id: concept id}), each with its
    term's rank; returns how many."""
    terms: dict[int, list[TermRow]] = defaultdict(list)
    rows = Term.objects.filter(version_id__in=list(concept_of))
    for row in rows.order_by("pk").values_list(*TERM_COLUMNS):
        term = TermRow(*row)
        terms[term.version_id].append(term)

    def keys() -> Iterable[tuple[int, int, int, str, str, str]]:
        for version_id, version_terms in terms.items():
            concept_id = concept_of[version_id]
            ranks = {
                term.pk: term_rank(
                    concept_id=concept_id,
                    term_id=term.pk,
                    status=term.status,
                    language=term.language,
                    folded=term.folded,
                    text=term.text,
                )
                for term in version_terms
            }
            for term_id, kind, key in version_keys(version_terms):
                yield (concept_id, version_id, term_id, str(kind), key, ranks[term_id])

    return insert_rows(
        SearchKey, ("concept_id", "version_id", "term_id", "kind", "key", "rank"), keys()
    )


def write_definition_keys(concept_of: dict[int, int]) -> int:
    """Write the definition keys of these versions ({version id: concept id}); returns how many."""
    definitions = ConceptVersion.objects.filter(pk__in=list(concept_of))
    return insert_rows(
        DefinitionKey,
        ("concept_id", "version_id", "key"),
        (
            (concept_of[version_id], version_id, key)
            for version_id, *texts in definitions.values_list("pk", *DEFINITION_FIELDS)
            for key in sorted(set().union(*(definition_keys(t or "") for t in texts)))
        ),
    )


def replace_keys(*, versions: list[ConceptVersion]) -> int:
    """Make public versions' terms and definitions the ones that find their concepts.

    The concepts' earlier keys (their previous public versions') are deleted first. Call it
    inside the transaction that publishes the versions. A fixed number of queries, however many
    versions. Returns how many keys were written.
    """
    for version in versions:
        if version.state not in PUBLIC_STATES:
            raise ValueError(f"{version} is not public: only public versions have search keys.")
    concept_of = {version.pk: version.concept_id for version in versions}
    SearchKey.objects.filter(concept_id__in=list(concept_of.values())).delete()
    DefinitionKey.objects.filter(concept_id__in=list(concept_of.values())).delete()
    return write_search_keys(concept_of) + write_definition_keys(concept_of)
