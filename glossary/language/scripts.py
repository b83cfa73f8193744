"""Which script a text is in: Han and Latin character classes, runs and words."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    pass


Script = Literal["latin", "han", "mixed", "none"]


def words_of(text: str) -> list[str]:
    # Long word lists read better as wrapped text than as one quoted item per line.
    return text.split()


# CJK unified ideographs (basic block, extension A, extensions B-I), the compatibility blocks, and
# 〇, which Chinese uses as a digit in dates ("二〇二四年").
_HAN_CLASS: Final = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af"
)


_HAN_RE: Final = re.compile(f"[{_HAN_CLASS}]")


HAN_RUN_RE: Final = re.compile(f"[{_HAN_CLASS}]+|[^{_HAN_CLASS}]+")


HAN_ONLY_RUN_RE: Final = re.compile(f"[{_HAN_CLASS}]+")


# Letters and digits of any other script.
_NON_HAN_WORD_RE: Final = re.compile(f"[^\\W_{_HAN_CLASS}]+")


# Latin letters, including accented and full-width forms; digits are not a script.
_LATIN_CLASS: Final = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a"
)


_LATIN_RE: Final = re.compile(f"[{_LATIN_CLASS}]")


# A Latin "word" for segmentation: letters and digits joined by the punctuation that occurs
# inside technical names (GPT-4, C++, e.g., o'clock, TCP/IP).
_WORD_CHARS: Final = f"{_LATIN_CLASS}0-9\uff10-\uff19"


LATIN_WORD_RE: Final = re.compile(
    f"[{_WORD_CHARS}]+(?:[-_.'’+&/\uff0d\uff3f\uff0e][{_WORD_CHARS}]+)*[+#*]*"
)


def has_han(text: str) -> bool:
    """Whether the text contains any CJK ideograph (unified, extensions or compatibility)."""
    return _HAN_RE.search(text) is not None


def count_han(text: str) -> int:
    """How many CJK ideographs the text holds."""
    return sum(map(len, han_runs(text)))


def han_runs(text: str) -> list[str]:
    """The runs of CJK ideographs in the text, in order."""
    return HAN_ONLY_RUN_RE.findall(text)


def non_han_words(text: str) -> list[str]:
    """The words of the text that are not Chinese: runs of letters and digits of other scripts."""
    return _NON_HAN_WORD_RE.findall(text)


def script_of(text: str) -> Script:
    """Which scripts the text is written in: Latin letters, Han characters, both or neither."""
    han = has_han(text)
    latin = _LATIN_RE.search(text) is not None
    if han and latin:
        return "mixed"
    if han:
        return "han"
    if latin:
        return "latin"
    return "none"
