"""A Chinese rendering inside a longer word, when its English source sits inside a longer phrase.

Chinese writes a phrase as one word where English writes it as words: "feature vector" is
特征向量, "classify images" 图像分类为. Segmentation keeps such a word whole, so the term 特征
is not an occurrence in it, which is what keeps 训练 inside 训练程序 ("trainer") or 精度 inside
双精度 from counting. Only when the English occurrence is itself joined to a content word (the
phrase its Chinese rendering may have merged with) is a term inside a longer word taken as the
concept's rendering, and only in a translation check, for a concept the target does not
otherwise render.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator
from typing import Final

from glossary import language as gtext
from glossary.language.scripts import HAN_ONLY_RUN_RE
from glossary.termcheck.engine.keys import chinese_keys
from glossary.termcheck.engine.results import GlossaryTerm, MatchKind

# Words that join no phrase: a term beside one of them stands alone ("train the model").
_FUNCTION_WORDS: Final = frozenset(
    gtext.words_of(
        """
        a about above after against all also an and any are as at be been before being below
        between both but by can could did do does doing down during each either every few for
        from had has have having he her here hers him his how i if in into is it its itself just
        may me might more most must my neither no nor not of off on once only or other our ours
        out over own same shall she should so some such than that the their theirs them then
        there these they this those through to too under until up upon very was we were what
        when where which while who whom whose why will with within without would you your
        """
    )
)

# A word and what joins it to the occurrence: spaces or a hyphen, nothing else.
_WORD_BEFORE_RE: Final = re.compile(r"([^\W_]+)[ \t\u00a0-]+$")
_WORD_AFTER_RE: Final = re.compile(r"[ \t\u00a0-]+([^\W_]+)")

# How far to look for the neighbouring word (a longer word is no less a word).
_REACH: Final = 64


def inside_phrase(text: str, start: int, end: int) -> bool:
    """Whether the English words at ``text[start:end]`` are joined to a content word beside them."""
    before = _WORD_BEFORE_RE.search(text, max(0, start - _REACH), start)
    if before is not None and before.end() == start and _content(before.group(1)):
        return True
    after = _WORD_AFTER_RE.match(text, end, end + _REACH)
    return after is not None and _content(after.group(1))


def _content(word: str) -> bool:
    return not word.isdigit() and word.casefold() not in _FUNCTION_WORDS


def _han_key(term: str) -> str | None:
    """A term's folded key when it is Han characters only (a rendering that can merge), else None."""
    folded = chinese_keys(term)[1]
    if not folded or HAN_ONLY_RUN_RE.fullmatch(folded) is None:
        return None
    return folded


def folded_text(text: str) -> str:
    """The text folded to Simplified character for character (its offsets kept), once a check."""
    for convert in (gtext.to_simplified, gtext.to_simplified_characters):
        folded = convert(text)
        if len(folded) == len(text):
            return folded
    return text


def within_words(
    text: str,
    folded: str,
    boundaries: Container[int],
    terms: Iterable[GlossaryTerm],
    covered: bytearray,
) -> Iterator[tuple[int, int, GlossaryTerm, MatchKind]]:
    """Where these Chinese terms occur inside a longer word of the text: (start, end, term, kind).

    ``folded`` is ``folded_text(text)``, so a zh-Hans term is found in zh-Hant text;
    ``boundaries`` are the text's token boundaries (``segment_cuts``). An occurrence counts
    when it does not both start and end at one (a token of its own was already looked up), and
    covers no character marked in ``covered`` (one byte a character, non-zero where taken).
    """
    for term in terms:
        key = _han_key(term.text)
        if key is None:
            continue
        written = term.text.strip()
        start = folded.find(key)
        while start >= 0:
            end = start + len(key)
            if not (start in boundaries and end in boundaries) and not any(covered[start:end]):
                yield start, end, term, "exact" if text[start:end] == written else "folded"
            start = folded.find(key, start + 1)
