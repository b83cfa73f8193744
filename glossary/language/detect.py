"""The one language detector: which of the glossary's languages a text is written in.

Used wherever a text arrives without its language: the term check, the site's ``lang``
attributes, search. A text is read by its frame, not by counting characters alone, because
Chinese technical writing is full of Latin names and English writing about Chinese terms
quotes them:

* no Han character: English (None when it has no letters at all);
* Chinese sentence punctuation (，。、；：！？): Chinese, the sentence is built in Chinese;
* an English function word (the, is, of, …): English, the sentence is built in English
  ("the term 人工智能", "Word embedding is 词嵌入");
* otherwise Chinese when its Han characters are at least twice its Latin words (a Chinese word
  is one to three characters: "Transformer 架构", "我们用GPT-4"), else English.

Code (```fenced``` blocks and `spans`) is left out first. A Chinese text is Traditional when
folding it to Simplified changes it; otherwise Simplified, or ``chinese`` when it reads the
same in both scripts.
"""

from __future__ import annotations

import re
from typing import Final

from glossary.language.codes import EN, ZH_HANS, ZH_HANT, Language
from glossary.language.convert import to_simplified, to_traditional
from glossary.language.scripts import count_han, script_of

_FENCE_RE: Final = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_CODE_SPAN_RE: Final = re.compile(r"`[^`\n]+`")
# A Latin word inside Chinese text, as segmentation keeps it whole (GPT-4, C++, SVMs).
_LATIN_LETTERS: Final = (
    "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
    "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
)
LATIN_WORD_RE: Final = re.compile(
    f"[{_LATIN_LETTERS}]+(?:[-_.'’+&/\uff0d\uff3f\uff0e][{_LATIN_LETTERS}]+)*[+#*]*"
)
_CHINESE_SENTENCE_MARKS: Final = re.compile("[\uff0c\u3002\u3001\uff1b\uff1a\uff01\uff1f]")
#: Words that build English sentences and never name anything a Chinese text would quote.
_ENGLISH_FUNCTION_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "and",
        "or",
        "but",
        "not",
        "no",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "we",
        "our",
        "you",
        "your",
        "they",
        "their",
        "he",
        "she",
        "his",
        "her",
        "which",
        "who",
        "what",
        "when",
        "where",
        "how",
        "than",
        "then",
        "there",
        "here",
        "also",
        "can",
        "may",
        "must",
        "should",
        "will",
        "would",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "into",
        "about",
        "between",
        "called",
        "term",
        "terms",
        "word",
        "words",
        "means",
        "translated",
    ]
)


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of ```fenced``` blocks and `code spans`, which are not read as language."""
    ranges = [match.span() for match in _FENCE_RE.finditer(text)]
    masked = _FENCE_RE.sub(lambda match: " " * len(match.group()), text)
    ranges.extend(match.span() for match in _CODE_SPAN_RE.finditer(masked))
    return sorted(ranges)


def without_code(text: str) -> str:
    """The text with its code left out (each piece of code becomes a space)."""
    ranges = code_ranges(text)
    if not ranges:
        return text
    parts, position = [], 0
    for start, end in ranges:
        parts.append(text[position:start])
        position = max(position, end)
    parts.append(text[position:])
    return " ".join(parts)


def latin_words(text: str) -> list[str]:
    """The Latin words of a text (names and words with letters; numbers alone are not words)."""
    return [word for word in LATIN_WORD_RE.findall(text) if script_of(word) in ("latin", "mixed")]


def chinese_variant(text: str, *, chinese: Language = ZH_HANS) -> Language:
    """zh-Hant when folding the text to Simplified changes it; else Simplified, or ``chinese``
    when the text reads the same in both scripts."""
    if to_simplified(text) != text:
        return ZH_HANT
    if chinese == ZH_HANT and to_traditional(text) == text:
        return ZH_HANT
    return ZH_HANS


def term_language(text: str, language: str) -> str:
    """The language to tag a term of ``language`` with: English for Latin letters only.

    A glossary term's language is known; only a Chinese term written in Latin letters alone
    (GPT-4, Transformer) is read, and pronounced, as English.
    """
    return EN if script_of(text) == "latin" else language


def detect(text: str, *, chinese: Language = ZH_HANS, variant: bool = True) -> Language | None:
    """The language a text is written in, read from its frame; None when it has no letters.

    ``variant=False``: a Chinese text is ``chinese`` without its script being read, which
    converts the whole text (for a caller that only tells English from Chinese).
    """
    plain = without_code(text or "")
    han = count_han(plain)
    if not han:
        return EN if latin_words(plain) else None
    # The Latin words count only in a text without Chinese sentence punctuation, so a long
    # Chinese text is not split into words for nothing.
    if not _CHINESE_SENTENCE_MARKS.search(plain):
        words = latin_words(plain)
        if any(word.lower() in _ENGLISH_FUNCTION_WORDS for word in words):
            return EN
        if words and han < 2 * len(words):
            return EN
    if not variant:
        return chinese
    return chinese_variant(plain, chinese=chinese)
