"""Likely translations from aligned English–Chinese document pairs, by co-occurrence.

The two sides of a pair are cut into units: paragraphs when both have as many (and the sentences
of two such paragraphs when they have as many), else sentences when both have as many, else paragraphs matched by their position in the text (an English
paragraph meets the Chinese paragraphs whose share of the text overlaps its own). A candidate
on one side and one on the other that occur in the same units are likely translations: Dice's
coefficient over the units, 2·both / (units with one + units with the other), ranks them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Final

#: A suggested translation must share at least this many units with the candidate ...
MIN_SHARED: Final = 2
#: ... and reach this Dice coefficient.
MIN_DICE: Final = 0.3

_PARAGRAPH_RE: Final = re.compile(r"\n\s*\n")
_SENTENCE_RE: Final = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in _PARAGRAPH_RE.split(text) if part.strip()]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.findall(text) if len(s.strip()) > 1]


def align(english: str, chinese: str) -> list[tuple[str, str]]:
    """The pair's aligned units: (English, Chinese)."""
    en, zh = paragraphs(english), paragraphs(chinese)
    if len(en) == len(zh):
        units: list[tuple[str, str]] = []
        for en_paragraph, zh_paragraph in zip(en, zh, strict=True):
            en_s, zh_s = _sentences(en_paragraph), _sentences(zh_paragraph)
            if len(en_s) == len(zh_s) > 1:
                units.extend(zip(en_s, zh_s, strict=True))
            else:
                units.append((en_paragraph, zh_paragraph))
        return units
    en_s, zh_s = _sentences(english), _sentences(chinese)
    if en_s and len(en_s) == len(zh_s):
        return list(zip(en_s, zh_s, strict=True))
    return _by_position(en, zh)


def _spans(parts: Sequence[str]) -> list[tuple[float, float]]:
    total = sum(len(part) for part in parts) or 1
    spans, start = [], 0
    for part in parts:
        spans.append((start / total, (start + len(part)) / total))
        start += len(part)
    return spans


def _by_position(en: Sequence[str], zh: Sequence[str]) -> list[tuple[str, str]]:
    zh_spans = _spans(zh)
    units = []
    for text, (start, end) in zip(en, _spans(en), strict=True):
        overlapping = [
            part
            for part, (z_start, z_end) in zip(zh, zh_spans, strict=True)
            if min(end, z_end) - max(start, z_start) > 0
        ]
        units.append((text, "\n".join(overlapping)))
    return units


def dice(both: int, one: int, other: int) -> float:
    return 2 * both / (one + other) if one + other else 0.0


def translations(
    units: Iterable[tuple[str, str]],
    *,
    english_keys: Callable[[str], set[str]],
    chinese_keys: Callable[[str], set[str]],
) -> dict[str, tuple[str, float]]:
    """For each candidate key (either side), its likeliest translation's key and Dice score.

    ``english_keys(text)`` / ``chinese_keys(text)``: the candidate keys a unit's side holds.
    """
    en_units: Counter[str] = Counter()
    zh_units: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    for en_text, zh_text in units:
        en, zh = english_keys(en_text), chinese_keys(zh_text)
        en_units.update(en)
        zh_units.update(zh)
        both.update((e, z) for e in en for z in zh)
    best: dict[str, tuple[str, float]] = {}
    for (e, z), shared in both.items():
        if shared < MIN_SHARED:
            continue
        score = round(dice(shared, en_units[e], zh_units[z]), 3)
        if score < MIN_DICE:
            continue
        for key, other in ((e, z), (z, e)):
            if key not in best or (score, other) > (best[key][1], best[key][0]):
                best[key] = (other, score)
    return best
