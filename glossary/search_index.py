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

``replace_keys`` writes them for a version as it is published (the concept's earlier keys go in
the same transaction); the migration that created the table builds them for versions published
before it. Keys depend only on the term's text: jieba's own dictionary, not the glossary's user
dictionary, cuts the segments, so keys do not change with what else happens to be published.
"""

from __future__ import annotations

from glossary import text
from glossary.choices import PUBLIC_STATES
from glossary.models import ConceptVersion, SearchKey

__all__ = [
    "KEY_LENGTH",
    "TYPO_MIN_LENGTH",
    "replace_keys",
    "term_keys",
    "typo_keys",
    "typo_probes",
]

Kind = SearchKey.Kind

#: Keys are cut to the column's length; no real term comes near it.
KEY_LENGTH = SearchKey._meta.get_field("key").max_length
#: Shorter English keys get no typo keys: too many words are one edit from them.
TYPO_MIN_LENGTH = 4


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
        add(Kind.PINYIN, text.pinyin_key(written))
        add(Kind.TONES, text.pinyin(written, tones=True).replace(" ", ""))
        add(Kind.INITIALS, text.pinyin_initials(written))
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


def replace_keys(*, version: ConceptVersion) -> int:
    """Make a public version's terms the ones that find its concept; returns how many keys.

    The concept's earlier keys (its previous public version's) are deleted first. Call it
    inside the transaction that publishes the version.
    """
    if version.state not in PUBLIC_STATES:
        raise ValueError(f"{version} is not public: only public versions have search keys.")
    SearchKey.objects.filter(concept_id=version.concept_id).delete()
    rows = [
        SearchKey(
            concept_id=version.concept_id,
            version_id=version.pk,
            term_id=term_id,
            kind=kind,
            key=key,
        )
        for term_id, term_text in version.terms.values_list("pk", "text")
        for kind, key in term_keys(term_text)
    ]
    SearchKey.objects.bulk_create(rows, batch_size=500)
    return len(rows)
