"""Text made into the keys terms are found by: English words, Chinese segments, code left out."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import is_not, itemgetter, sub
from typing import Final

from glossary import language as gtext
from glossary.language.detect import LATIN_WORD_RE as _LATIN_WORD_RE
from glossary.language.detect import code_ranges
from glossary.termcheck.engine.english import compound_key

# Letters and digits, with the apostrophes and dots that occur inside a word (model's, e.g.) and
# the signs that end some names (C++, C#); the same words english_key sees.
_WORD_RE: Final = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*[+#*]*")


# What may stand between two words of one term: spaces and hyphens ("fine-tuning" = "fine tuning").
_JOIN_RE: Final = re.compile(r"[\s\-\u00ad\u2010-\u2015\u2212\ufe63\uff0d]*")


# Never part of a key: separates pieces that a term may not span.
BARRIER: Final = "\x00"


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    # Singular first ("datasets" -> "dataset"), then a compound apart ("data set"), so that the
    # word and its spellings in two words ("data set", "data-set") have one key.
    return compound_key(gtext.english_key(word).replace(" ", "-"))


def _han_keys(text: str) -> tuple[str, str]:
    """The exact and the folded key of Chinese text between Latin words."""
    exact = _spaced(text, gtext.normalise(text))
    simplified = gtext.to_simplified(text)
    return exact, exact if simplified == text else _spaced(text, gtext.normalise(simplified))


def _spaced(text: str, core: str) -> str:
    # normalise() trims; a space that separated two words must stay.
    if not core:
        return " " if text.isspace() else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def chinese_keys(text: str) -> tuple[str, str]:
    """The matching keys of a Chinese term or token: exact, and folded to Simplified.

    Han text is normalised (and folded); Latin words are keyed like English words, so "SVMs"
    in a Chinese sentence matches the term SVM.
    """
    exact: list[str] = []
    folded: list[str] = []
    position = 0
    for match in _LATIN_WORD_RE.finditer(text):
        if match.start() > position:
            between = _han_keys(text[position : match.start()])
            exact.append(between[0])
            folded.append(between[1])
        word = english_term_key(match.group())
        exact.append(word)
        folded.append(word)
        position = match.end()
    if position < len(text):
        rest = _han_keys(text[position:])
        exact.append(rest[0])
        folded.append(rest[1])
    return "".join(exact), "".join(folded)


def english_term_key(term: str) -> str:
    # The same words the text is cut into, each keyed on its own, so both sides agree.
    return " ".join(_word_key(word) for word in _WORD_RE.findall(term))


def script_fallback(language: str) -> tuple[str, ...]:
    if language == "zh-Hans":
        return ("zh-Hans", "zh-Hant")
    if language == "zh-Hant":
        return ("zh-Hant", "zh-Hans")
    return (language,)


def _in_ranges(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in ranges)


@dataclass
class Pieces:
    """A text cut into pieces (words or tokens): their offsets and keys, and the keys joined.

    ``joined`` holds the keys in order with what separates them (a space, or a barrier that no
    key holds); ``key_starts`` and ``key_ends`` say where each piece's key lies in it. The exact
    keys of a Traditional text, walked through its folded keys, are not joined: ``parts`` holds
    each key with the space that would stand before it, and ``run_key`` joins a few on demand.
    """

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    joined: str = ""
    key_starts: list[int] = field(default_factory=list)
    key_ends: list[int] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    def run_key(self, first: int, last: int) -> str:
        """The key of the pieces from ``first`` to ``last``: ``joined``'s slice, from ``parts``."""
        if first == last:
            return self.keys[first]
        return self.keys[first] + "".join(self.parts[first + 1 : last + 1])


def english_pieces(text: str) -> Pieces:
    code = code_ranges(text)
    pieces = Pieces()
    parts: list[str] = [" "]
    length = 1
    previous_end: int | None = None
    for match in _WORD_RE.finditer(text):
        start, end = match.span()
        if code and _in_ranges(start, code):
            previous_end = None
            continue
        # A code span or punctuation between two words: no term may run across it.
        broken = previous_end is None or not _JOIN_RE.fullmatch(text, previous_end, start)
        if pieces.starts and broken:
            parts.append(BARRIER + " ")
            length += 2
        key = _word_key(match.group())
        pieces.starts.append(start)
        pieces.ends.append(end)
        pieces.keys.append(key)
        pieces.key_starts.append(length)
        parts.append(key)
        length += len(key)
        pieces.key_ends.append(length)
        parts.append(" ")
        length += 1
        previous_end = end
    pieces.joined = "".join(parts)
    return pieces


@lru_cache(maxsize=65536)
def _token_keys(token: str) -> tuple[str, str, tuple[tuple[int, int, str], ...] | None]:
    """A token of Chinese text keyed: (exact key, folded key, None), or for a Latin compound its words.

    A Latin compound (R-CNN, LSTM-based) is cut into words as in English text, so that a term may
    match one of them: ("", "", the (start, end, key) of each word in the token).
    """
    if token.isspace():
        return " ", " ", None
    if _LATIN_WORD_RE.fullmatch(token):
        words = tuple(
            (word.start(), word.end(), _word_key(word.group())) for word in _WORD_RE.finditer(token)
        )
        return "", "", words
    exact, folded = chinese_keys(token)
    # A token whose key vanished (a zero-width character) still keeps its place.
    return exact or BARRIER, folded or BARRIER, None


_IN_CODE: Final = (BARRIER, BARRIER, None)


def chinese_pieces(
    text: str, cuts: list[int], code: list[tuple[int, int]]
) -> tuple[Pieces, Pieces]:
    """The tokens between the cuts as pieces keyed exactly and folded (one object if alike).

    Both share the pieces' offsets, so piece indices agree. The keys follow each other without
    separator, except the words of a Latin compound, which a space separates.
    """
    # Every token keyed in one pass of C loops (the keys of a token are remembered); then the
    # few tokens in code, and the Latin words (one token in ten or so), are put right.
    starts = cuts[:-1]
    ends = cuts[1:]
    keyed = list(
        map(_token_keys, [text[start:end] for start, end in zip(starts, ends, strict=True)])
    )
    for code_start, code_end in code:
        for index in range(bisect_left(starts, code_start), bisect_left(starts, code_end)):
            if not text[starts[index] : ends[index]].isspace():
                keyed[index] = _IN_CODE
    exact_keys = list(map(itemgetter(0), keyed))
    folded_keys = list(map(itemgetter(1), keyed))
    latin = list(compress(count(), map(is_not, map(itemgetter(2), keyed), repeat(None))))
    spaced: list[int] = []  # the pieces after such a space
    if latin:
        starts, ends, exact_keys, folded_keys, spaced = _latin_words(
            keyed, latin, starts, ends, exact_keys, folded_keys
        )
    if folded_keys == exact_keys:
        exact = Pieces(starts, ends, exact_keys, *_joined(_parts(exact_keys, spaced), exact_keys))
        return exact, exact
    # The exact keys are looked up only where a folded key matched (``_Index.runs``), a run at
    # a time: they are not joined.
    exact = Pieces(starts, ends, exact_keys, parts=_parts(exact_keys, spaced))
    folded_pieces = Pieces(
        starts, ends, folded_keys, *_joined(_parts(folded_keys, spaced), folded_keys)
    )
    return exact, folded_pieces


def _latin_words(
    keyed: list[tuple[str, str, tuple[tuple[int, int, str], ...] | None]],
    latin: list[int],
    starts: list[int],
    ends: list[int],
    exact_keys: list[str],
    folded_keys: list[str],
) -> tuple[list[int], list[int], list[str], list[str], list[int]]:
    """The pieces with each Latin token (at the indices ``latin``) replaced by its words.

    A token of one word (most) is changed in place; the lists are made anew only if a token
    has several.
    """
    several: list[int] = []
    for index in latin:
        words = keyed[index][2]
        assert words is not None
        if len(words) != 1:
            several.append(index)
            continue
        start = starts[index]
        word_start, word_end, key = words[0]
        starts[index] = start + word_start
        ends[index] = start + word_end
        exact_keys[index] = folded_keys[index] = key
    if not several:
        return starts, ends, exact_keys, folded_keys, []
    new_starts: list[int] = []
    new_ends: list[int] = []
    new_exact: list[str] = []
    new_folded: list[str] = []
    spaced: list[int] = []
    position = 0
    for index in several:
        new_starts += starts[position:index]
        new_ends += ends[position:index]
        new_exact += exact_keys[position:index]
        new_folded += folded_keys[position:index]
        start = starts[index]
        words = keyed[index][2]
        assert words is not None
        for number, (word_start, word_end, key) in enumerate(words):
            if number:
                spaced.append(len(new_starts))
            new_starts.append(start + word_start)
            new_ends.append(start + word_end)
            new_exact.append(key)
            new_folded.append(key)
        position = index + 1
    new_starts += starts[position:]
    new_ends += ends[position:]
    new_exact += exact_keys[position:]
    new_folded += folded_keys[position:]
    return new_starts, new_ends, new_exact, new_folded, spaced


def _parts(keys: list[str], spaced: list[int]) -> list[str]:
    """The keys, a space before each spaced one."""
    if not spaced:
        return keys
    parts = list(keys)
    for index in spaced:
        parts[index] = " " + parts[index]
    return parts


def _joined(parts: list[str], keys: list[str]) -> tuple[str, list[int], list[int]]:
    """The parts joined, and where each key starts and ends in them."""
    key_ends = list(accumulate(map(len, parts)))
    key_starts = list(map(sub, key_ends, map(len, keys)))
    return "".join(parts), key_starts, key_ends
