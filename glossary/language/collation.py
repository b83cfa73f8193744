"""Sorting and browsing: the sort key of a term and the letter it is filed under."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from glossary.language.codes import Language
from glossary.language.folding import normalise
from glossary.language.romanise import pinyin

if TYPE_CHECKING:
    pass


def _check_language(language: str) -> None:
    if language not in ("en", "zh-Hans", "zh-Hant"):
        raise ValueError(f"unknown language {language!r}")


def sort_key(text: str, language: Language) -> str:
    """Sort key: pinyin (with tones, so that ordering is stable) for Chinese, normalised text for English."""
    _check_language(language)
    if language == "en":
        return normalise(text)
    # A space sorts before letters and digits, so syllables compare one by one ("ma1" < "mai2");
    # the text itself breaks ties between homophones.
    return f"{pinyin(text, tones=True)}\x00{normalise(text)}"


def browse_letter(text: str, language: Language) -> str:
    """The A–Z letter a term files under: first letter for English, first pinyin initial for Chinese, '#' otherwise."""
    _check_language(language)
    source = normalise(text) if language == "en" else pinyin(text)
    for char in source:
        if char.isalnum():
            base = unicodedata.normalize("NFD", char)[0]
            return base.upper() if "a" <= base <= "z" else "#"
    return "#"
