"""Chinese word segmentation with jieba, the glossary's terms as its user dictionary."""

from __future__ import annotations

import bisect
import enum
import logging
import math
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, compress
from typing import TYPE_CHECKING, Final

from glossary.language.convert import to_simplified
from glossary.language.scripts import HAN_ONLY_RUN_RE, LATIN_WORD_RE, has_han
from glossary.language.words import search_tokens

if TYPE_CHECKING:
    import jieba


@dataclass(frozen=True, slots=True)
class Token:
    """A segment of a text, with character offsets into the original string."""

    text: str
    start: int
    end: int


# High enough that a glossary term beats the dictionary words it overlaps in context (the
# dictionary's most frequent entries are in the 10^5 range), not so high that it dwarfs them.
_USER_TERM_FREQ: Final = 50_000


# Longer runs of Han characters without punctuation are aligned character by character: the
# exact alignment below costs a quadratic number of conversions.
_MAX_ALIGNED_RUN: Final = 200


class _Vocabulary:
    """jieba's prefix dictionary as ``_cut`` reads it: one lookup per fragment of text.

    ``scores`` maps each word to the score jieba's route gives it, ``log(frequency) - log(total)``,
    and each prefix of a word that is not a word itself to None. ``forms`` counts, for each user
    term's form, the user terms that give it (so that removing one term keeps a form another
    still gives).
    """

    __slots__ = ("forms", "scores", "unknown")

    def __init__(
        self, scores: dict[str, float | None], unknown: float, forms: dict[str, int] | None = None
    ) -> None:
        self.scores = scores
        # jieba scores a character it has no word for as if it had been seen once.
        self.unknown = unknown
        self.forms = forms if forms is not None else {}

    @classmethod
    def of(cls, tokenizer: jieba.Tokenizer) -> _Vocabulary:
        # A new table over jieba's words, its scores shared (``_score``): a few thousand float
        # objects for half a million words, rather than one each.
        freq = tokenizer.FREQ
        score_of = {count: _score(tokenizer, count) for count in set(freq.values())}
        scores = dict(zip(freq, map(score_of.__getitem__, freq.values()), strict=True))
        return cls(scores, math.log(1) - math.log(tokenizer.total))


@cache
def _score(tokenizer: jieba.Tokenizer, freq: int) -> float | None:
    """The score of a word seen ``freq`` times (None for a prefix of words, freq 0): one object each."""
    return math.log(freq) - math.log(tokenizer.total) if freq else None


class _JiebaState:
    def __init__(self) -> None:
        self.base: jieba.Tokenizer | None = None
        # jieba's own words scored, while no user terms are loaded: a user dictionary is a
        # table of its own (``set_user_terms``), and this one is dropped then, not kept beside it.
        self.base_vocabulary: _Vocabulary | None = None
        # (vocabulary, key) in one attribute so that readers never see one without the other.
        self.loaded: tuple[_Vocabulary, str] | None = None
        self.builds = 0


_JIEBA_LOCK: Final = threading.RLock()


_jieba_state: Final = _JiebaState()


def _base_tokenizer() -> jieba.Tokenizer:
    base = _jieba_state.base
    if base is not None:
        return base
    with _JIEBA_LOCK:
        if _jieba_state.base is None:
            import jieba

            # jieba logs "Building prefix dict ..." at DEBUG through its own stderr handler.
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _jieba_state.base = tokenizer
        return _jieba_state.base


def _base_vocabulary() -> _Vocabulary:
    vocabulary = _jieba_state.base_vocabulary
    if vocabulary is not None:
        return vocabulary
    with _JIEBA_LOCK:
        if _jieba_state.base_vocabulary is None:
            _jieba_state.base_vocabulary = _Vocabulary.of(_base_tokenizer())
        return _jieba_state.base_vocabulary


def _vocabulary() -> _Vocabulary:
    loaded = _jieba_state.loaded
    return loaded[0] if loaded is not None else _base_vocabulary()


def _to_simplified_each(texts: list[str]) -> list[str]:
    """``to_simplified`` of each text, in one conversion where possible."""
    if not texts:
        return []
    if any("\n" in text for text in texts):
        return [to_simplified(text) for text in texts]
    # OpenCC matches no phrase across a line break, so each line converts as it would alone.
    return to_simplified("\n".join(texts)).split("\n")


def _jieba_suggested_freq(word: str, known: int, total: int) -> int:
    """jieba's ``suggest_freq(word)`` for a word its dictionary counts ``known`` >= 50,000 times.

    No split of a word that frequent outscores it (two words would need a product of their
    frequencies above ``known * total``, some 3 * 10^12, where jieba's most frequent word has
    about 3 * 10^5), so jieba cuts it whole, unless it holds characters that jieba never joins
    (punctuation), which make the estimate negligible.
    """
    from jieba import re_han_default

    if len(word) > 1 and not re_han_default.fullmatch(word):
        return known
    return max(int(known / float(total) * total) + 1, known)


def _forms(terms: Iterable[str]) -> list[str]:
    """The forms jieba is given for these terms: each with Han, and its to_simplified form.

    segment() looks words up in the to_simplified form of the text. A form appears once for
    each term that gives it.
    """
    with_han = [given for given in (term.strip() for term in terms) if has_han(given)]
    forms = []
    for given, simplified in zip(with_han, _to_simplified_each(with_han), strict=True):
        forms.append(given)
        if simplified != given and has_han(simplified):
            forms.append(simplified)
    return forms


def _add_form(scores: dict[str, float | None], base: jieba.Tokenizer, form: str) -> None:
    """What jieba's add_word(form, freq=max(suggest_freq(form), _USER_TERM_FREQ)) does, without its cost.

    suggest_freq gives about a word's own count, far less for one jieba would split: above
    _USER_TERM_FREQ only for a word it already counts that often. The score is taken against
    the base dictionary's total, so that the rest of the dictionary scores as it did however
    many terms the glossary has, and a term scores the same whichever terms came before it
    (which lets terms be added and removed one at a time).
    """
    freq = _USER_TERM_FREQ
    known = base.FREQ.get(form, 0)
    if known >= _USER_TERM_FREQ:
        freq = max(_jieba_suggested_freq(form, known, base.total), _USER_TERM_FREQ)
    scores[form] = _score(base, freq)
    # Longest first: jieba's dictionary holds every prefix of what it holds.
    for end in range(len(form) - 1, 0, -1):
        if form[:end] in scores:
            break
        scores[form[:end]] = None


def set_user_terms(terms: Iterable[str], *, key: str) -> None:
    """Make these terms jieba's user dictionary (one token each), unless `key` is the one already loaded."""
    if user_terms_key() == key:
        return
    with _JIEBA_LOCK:
        if user_terms_key() == key:
            return
        base = _base_tokenizer()
        counts: dict[str, int] = {}
        for form in _forms(terms):
            counts[form] = counts.get(form, 0) + 1
        # jieba's words in a table of their own (not a copy of the base vocabulary, which is
        # dropped: a worker holds one table of half a million words, not two).
        vocabulary = _Vocabulary.of(base)
        scores = vocabulary.scores
        for form in counts:
            _add_form(scores, base, form)
        vocabulary.forms = counts
        _jieba_state.loaded = (vocabulary, key)
        _jieba_state.base_vocabulary = None
        _jieba_state.builds += 1


def update_user_terms(
    added: Iterable[str], removed: Iterable[str], *, key: str, previous: str
) -> bool:
    """Add and remove user terms in place, when those loaded are `previous`'s; False otherwise.

    Costs what the terms given cost, not what the dictionary holds: the loaded dictionary is
    changed where these terms' forms are (a removed form scores again as jieba's own dictionary
    scores it, or as no word; the prefixes it marked stay marked, which changes no cut). The
    terms must be those that differ between `previous` and `key`. On False, nothing changed:
    load the whole set with ``set_user_terms``.
    """
    with _JIEBA_LOCK:
        loaded = _jieba_state.loaded
        if loaded is None or loaded[1] != previous:
            return False
        vocabulary = loaded[0]
        base = _base_tokenizer()
        known = base.FREQ.get
        scores, counts = vocabulary.scores, vocabulary.forms
        for form in _forms(removed):
            left = counts.get(form, 0) - 1
            if left > 0:
                counts[form] = left
                continue
            counts.pop(form, None)
            scores[form] = _score(base, known(form, 0))
        for form in _forms(added):
            counts[form] = counts.get(form, 0) + 1
            if counts[form] == 1:
                _add_form(scores, base, form)
        _jieba_state.loaded = (vocabulary, key)
        return True


def user_terms_key() -> str | None:
    """The key of the user terms currently loaded, or None before set_user_terms is first called."""
    loaded = _jieba_state.loaded
    return loaded[1] if loaded is not None else None


def _user_terms_builds() -> int:
    # For tests: how many times set_user_terms actually rebuilt the dictionary.
    return _jieba_state.builds


@lru_cache(maxsize=8192)
def _simplified_char(char: str) -> str:
    return to_simplified(char)


class _SingleCharacters(dict[int, str]):
    """A ``str.translate`` table of each character's own to_simplified form, filled on use.

    A character whose form is not one character maps to NUL, which no conversion produces, so
    that the translation keeps every offset and a run holding that character never reads as
    converted character by character.
    """

    def __missing__(self, code: int) -> str:
        simplified = _simplified_char(chr(code))
        value = simplified if len(simplified) == 1 else "\x00"
        self[code] = value
        return value


_SINGLE_CHARACTERS: Final = _SingleCharacters()


def _align_han_runs(runs: list[tuple[str, str]]) -> list[list[tuple[int, int, str]]]:
    """Split Han runs into (start, end, simplified) pieces whose conversions are independent.

    Each run comes with its to_simplified form, which phrase conversion made other than its
    characters' own forms (演算法→算法); offsets are into the run. The run is cut wherever
    converting the two sides separately gives the same text, and what lies between two cuts is
    one phrase, mapped as a whole when its length changed. A run too long to align, or whose
    phrases do not add up to it, is one piece per character. All conversions are made together.
    """
    to_cut = [number for number, (run, _) in enumerate(runs) if len(run) <= _MAX_ALIGNED_RUN]
    sides = iter(
        _to_simplified_each(
            [
                side
                for run in (runs[number][0] for number in to_cut)
                for index in range(1, len(run))
                for side in (run[:index], run[index:])
            ]
        )
    )
    spans: list[list[tuple[int, int]]] = []
    for number in to_cut:
        run, converted = runs[number]
        cuts = [0]
        for index in range(1, len(run)):
            head, tail = next(sides), next(sides)
            if head + tail == converted:
                cuts.append(index)
        cuts.append(len(run))
        spans.append(list(zip(cuts, cuts[1:], strict=False)))
    phrases = iter(
        _to_simplified_each(
            [
                runs[number][0][start:end]
                for number, run_spans in zip(to_cut, spans, strict=True)
                for start, end in run_spans
            ]
        )
    )
    aligned: list[list[tuple[int, int, str]] | None] = [None] * len(runs)
    for number, run_spans in zip(to_cut, spans, strict=True):
        pieces = [(start, end, next(phrases)) for start, end in run_spans]
        if "".join(piece for _, _, piece in pieces) == runs[number][1]:
            aligned[number] = pieces
    return [
        pieces
        if pieces is not None
        else [(index, index + 1, _simplified_char(char)) for index, char in enumerate(run)]
        for (run, _), pieces in zip(runs, aligned, strict=True)
    ]


# Where a Traditional text's Simplified form changed length: for each phrase converted to
# another length (演算法 → 算法), in text order, where it starts and ends in the Simplified form
# and where it ends in the original. Elsewhere, a boundary in the Simplified form lies as far
# from the original one as after the last such phrase before it (``_original``).
_Shifts = list[tuple[int, int, int]]


# The text split into what lies between Han runs and the runs: [between, run, between, ...].
_HAN_SPLIT_RE: Final = re.compile(f"({HAN_ONLY_RUN_RE.pattern})")


def _simplify_aligned(text: str) -> tuple[str, _Shifts | None]:
    """to_simplified of the text, and where its length changed (None: it kept every offset).

    Simplified text and most Traditional text convert each character to one character; a
    phrase whose length changed maps to the original phrase as a whole, so that a boundary
    inside it goes to its end (``_original``). Each run converts as it would alone, so each
    distinct run is converted and aligned once, however often the text repeats it.
    """
    parts = _HAN_SPLIT_RE.split(text)
    if len(parts) == 1:
        return text, None
    runs = parts[1::2]
    unique = list(dict.fromkeys(runs))
    converted = _to_simplified_each(unique)
    # Each run's characters' own forms (right for a run converted character by character).
    forms = dict(
        zip(unique, "\n".join(unique).translate(_SINGLE_CHARACTERS).split("\n"), strict=True)
    )
    phrased = {
        run: simplified
        for run, simplified in zip(unique, converted, strict=True)
        if forms[run] != simplified
    }
    if not phrased and all(map(str.__eq__, forms, forms.values())):
        return text, None
    # A phrased run's pieces (an empty one keeps its text): those of a run whose length
    # changed, the text they make up for the others.
    changed: dict[str, list[tuple[int, int, str]]] = {}
    for run, pieces in zip(phrased, _align_han_runs(list(phrased.items())), strict=True):
        pieces = [(start, end, piece or run[start:end]) for start, end, piece in pieces]
        forms[run] = "".join(piece for _, _, piece in pieces)
        if not all(len(piece) == end - start for start, end, piece in pieces):
            changed[run] = pieces
    shifts: _Shifts = []
    if changed:
        # Where each part starts in the original text.
        offsets = [0, *accumulate(map(len, parts))]
        # How far the original lies ahead of the Simplified form here.
        shift = 0
        for number in compress(range(1, len(parts), 2), map(changed.__contains__, runs)):
            start = offsets[number]
            for run_start, run_end, piece in changed[parts[number]]:
                if len(piece) != run_end - run_start:
                    piece_start = start + run_start - shift
                    shifts.append((piece_start, piece_start + len(piece), start + run_end))
                    shift = start + run_end - (piece_start + len(piece))
    parts[1::2] = map(forms.__getitem__, runs)
    return "".join(parts), shifts or None


def _original(shifts: _Shifts, boundary: int) -> int:
    """Where a boundary of the Simplified form lies in the original text."""
    index = bisect.bisect_left(shifts, (boundary,)) - 1
    if index < 0:
        return boundary
    start, end, original_end = shifts[index]
    # start < boundary: inside the phrase (or at its end), its end; after it, as far as there.
    return original_end if boundary <= end else boundary + original_end - end


_ASCII_ALNUM: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_ASCII_ALNUM_RE: Final = re.compile("[0-9A-Za-z]")

# Below any score a word can have: a fragment that is only a prefix of words (scored None).
_NO_SCORE: Final = -math.inf


class _Absent(enum.Enum):
    """A word the vocabulary does not have (a stored score may be None)."""

    ABSENT = enum.auto()


_ABSENT: Final = _Absent.ABSENT


class _Shifting:
    """``_original`` of a text's cuts, a few at a time in text order, a phrase's cuts inside it
    once: for the parts of a text near a phrase that changed length (elsewhere ``_cut`` adds
    ``shift`` itself)."""

    __slots__ = ("inside", "next_start", "number", "shift", "shifts")

    def __init__(self, shifts: _Shifts) -> None:
        self.shifts = shifts
        self.number = 0  # the first phrase no cut has passed yet
        self.shift = 0
        self.inside = False  # whether a cut inside that phrase was mapped (to its end)
        self.next_start = shifts[0][0] if shifts else sys.maxsize

    def extend(self, mapped: list[int], cuts: list[int]) -> None:
        shifts, number, shift, inside = self.shifts, self.number, self.shift, self.inside
        count = len(shifts)
        for cut in cuts:
            while number < count and shifts[number][1] < cut:
                shift = shifts[number][2] - shifts[number][1]
                number += 1
                inside = False
            if number < count and shifts[number][0] < cut:
                if not inside:
                    mapped.append(shifts[number][2])
                    inside = True
            else:
                mapped.append(cut + shift)
        self.number, self.shift, self.inside = number, shift, inside
        self.next_start = shifts[number][0] if number < count else sys.maxsize


def _cut(text: str, vocabulary: _Vocabulary, shifts: _Shifts | None = None) -> list[int]:
    """Where jieba's ``cut(text, HMM=False)`` ends each word: 0, then each word's end offset.

    With ``shifts`` (``text`` is a Traditional text's Simplified form), the offsets are mapped
    back to the original text as ``_original`` maps them (a phrase's cuts inside it once) as
    they are made: most blocks lie between two phrases that changed length, and only their
    offset moves.

    jieba's __cut_DAG_NO_HMM (get_DAG, calc and the walk along the route) in one pass per
    block, inline: a text has a block per clause, so the per-block cost counts as much as the
    per-character cost.
    """
    from jieba import re_han_default

    cuts = [0]
    # [between, block, between, ...]: each character between blocks is a word of its own (a
    # carriage return before a line feed excepted: \r\n is one word).
    parts = re_han_default.split(text)
    # best[i]: the best score of block[i:]; ends[i]: where the first word of that route ends.
    longest = max(map(len, parts[1::2]), default=0)
    best = [0.0] * (longest + 1)
    ends = [0] * (longest + 1)
    get = vocabulary.scores.get
    unknown = vocabulary.unknown
    absent = _ABSENT
    no_score = _NO_SCORE
    has_ascii_alnum = _ASCII_ALNUM_RE.search
    plain = "\r" not in text
    shifting = _Shifting(shifts or [])
    offset = len(parts[0])
    _cut_between_blocks(text, 0, offset, cuts, shifting)
    for part, between in zip(parts[1::2], parts[2::2], strict=True):
        length = len(part)
        best[length] = following = 0.0
        start = length
        # Right to left; ``following`` is best[start + 1].
        for char in reversed(part):
            start -= 1
            score = get(char, absent)
            if score is absent:
                # No word starts here: jieba scores the character as if seen once.
                best[start] = following = unknown + following
                ends[start] = start + 1
                continue
            if score is None:
                top = no_score
                top_end = start
            else:
                top = score + following
                top_end = start + 1
            stop = start + 2
            if stop <= length:
                score = get(part[start:stop], absent)
                while score is not absent:
                    if score is not None:
                        total = score + best[stop]
                        # jieba takes the max of (score, end): a tie goes to the longer word.
                        if total >= top:
                            top = total
                            top_end = stop
                    if stop == length:
                        break
                    stop += 1
                    score = get(part[start:stop], absent)
            if top_end == start:
                best[start] = following = unknown + following
                ends[start] = start + 1
            else:
                best[start] = following = top
                ends[start] = top_end
        # The block's cuts go into ``cuts`` moved by the shift before the next phrase, or, if
        # that phrase starts inside the block, into a list of their own to be mapped.
        if shifting.next_start < offset + length:
            out: list[int] = []
            base = offset
        else:
            out = cuts
            base = offset + shifting.shift
        append = out.append
        position = 0
        if has_ascii_alnum(part) is None:
            while position < length:
                position = ends[position]
                append(base + position)
        else:
            # Single ASCII letters and digits in a row make one word ("GPT", "2024").
            buffered = False
            while position < length:
                end = ends[position]
                if end == position + 1 and part[position] in _ASCII_ALNUM:
                    buffered = True
                else:
                    if buffered:
                        append(base + position)
                        buffered = False
                    append(base + end)
                position = end
            if buffered:
                append(base + length)
        if out is not cuts:
            shifting.extend(cuts, out)
        offset += length
        end = offset + len(between)
        if plain and shifting.next_start >= end:
            shift = shifting.shift
            cuts.extend(range(offset + 1 + shift, end + 1 + shift))
        else:
            _cut_between_blocks(text, offset, end, cuts, shifting)
        offset = end
    return cuts


def _cut_between_blocks(
    text: str, start: int, end: int, cuts: list[int], shifting: _Shifting
) -> None:
    # jieba yields each character on its own there, and \r\n as one word.
    if "\r\n" in text[start:end]:
        between = [
            index + 1
            for index in range(start, end)
            if not (text[index] == "\r" and text[index + 1 : index + 2] == "\n")
        ]
    else:
        between = list(range(start + 1, end + 1))
    if shifting.next_start < end:
        shifting.extend(cuts, between)
    else:
        cuts.extend(map(shifting.shift.__add__, between))


_SPACE_RUN_RE: Final = re.compile(r"\s{2,}")


def _merge_runs(text: str, cuts: list[int]) -> list[int]:
    # jieba cuts "GPT-4" into GPT / - / 4 and returns each space separately; a Latin word and a
    # run of whitespace are one token each, so the cuts between two of its tokens go.
    regions = [match.span() for match in LATIN_WORD_RE.finditer(text)]
    regions.extend(match.span() for match in _SPACE_RUN_RE.finditer(text))
    if not regions:
        return cuts
    regions.sort()
    merged: list[int] = []
    kept = 0  # cuts[:kept] are in merged
    for start, end in regions:
        # The tokens between cuts[first] and cuts[last] are the ones inside the region.
        first = bisect.bisect_left(cuts, start, kept)
        last = bisect.bisect_right(cuts, end, first) - 1
        if last - first >= 2:
            merged.extend(cuts[kept : first + 1])
            kept = last
    merged.extend(cuts[kept:])
    return merged


def segment_cuts(text: str) -> list[int]:
    """Where ``segment`` cuts the text: 0, then the end of each token, without building tokens."""
    simplified, shifts = _simplify_aligned(text)
    # Mapped back to the text as they are made; a token whose characters all went into a
    # phrase vanishes.
    cuts = _cut(simplified, _vocabulary(), shifts)
    return _merge_runs(text, cuts)


def segment(text: str) -> list[Token]:
    """Segment Chinese text with jieba (HMM off), offsets into the original string."""
    if not text:
        return []
    cuts = segment_cuts(text)
    return [Token(text[start:end], start, end) for start, end in zip(cuts, cuts[1:], strict=False)]


def segment_words(text: str) -> list[Token]:
    """Every word of jieba's own dictionary in the text, overlapping (search mode, HMM off).

    For a search index, where the words inside a term are what matter: 大语言模型 → 大 · 语言 ·
    模型, 生成式人工智能 → 生成 · 生成式 · 人工 · 人工智能 · 智能. Unlike ``segment``, the glossary's
    user terms are not consulted, so a term is split into its words rather than kept whole, and
    the result does not depend on what else is published. Offsets are into the original string,
    tokens sorted by start, then end.
    """
    if not text:
        return []
    return list(_segment_words(text))


@lru_cache(maxsize=4096)
def _segment_words(text: str) -> tuple[Token, ...]:
    """``segment_words``, remembered: publishing keys a term's Simplified-folded text and its
    text as written, which for a Simplified term and its Traditional twin is three times one text.
    It depends on jieba's own dictionary only, so it never changes while a process runs; that
    dictionary is read from its compact copy (``words``), so that publishing does not load
    jieba's own tables."""
    simplified, shifts = _simplify_aligned(text)
    tokens: set[Token] = set()
    for _word, start, end in search_tokens(simplified):
        first, last = (
            (_original(shifts, start), _original(shifts, end))
            if shifts is not None
            else (start, end)
        )
        if last > first and not text[first:last].isspace():
            tokens.add(Token(text[first:last], first, last))
    return tuple(sorted(tokens, key=lambda token: (token.start, token.end)))
