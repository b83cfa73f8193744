"""pypinyin's readings of phrases and characters, held in one marisa trie.

pypinyin keeps its phrase dictionary, its character dictionary and its segmenter's prefix set as
Python objects: about 55 MB in every process that reads pinyin. The same readings fit in a trie
of about 1 MB. ``make`` writes it (``scripts/build_language_stores.py``) beside this module,
named after the pypinyin version it was read from, and each process maps the file. Without the
file the trie is built in memory on first use: the same answers, at the cost of loading pypinyin.

The trie maps every phrase pypinyin knows, and every character it reads as Han, to what
``lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore")`` gives for
it, the syllables separated by spaces (a character pypinyin has no reading for maps to nothing).
``syllables`` cuts a text into those phrases exactly as pypinyin's own segmenter does, so that it
answers what pypinyin would; checked over every phrase and character pypinyin knows, and
CC-CEDICT's headwords.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from glossary.language import stores

if TYPE_CHECKING:
    import marisa_trie

_logger = logging.getLogger(__name__)


def syllables(text: str) -> list[str]:
    """Pinyin syllables of a text with tone digits, the neutral tone written 5 (``le5``): what
    ``lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore")``
    gives, without its empty strings."""
    store = _store()
    found: list[str] = []
    for run in _han_runs(text, store):
        for word in _words(run, store):
            found.extend(store[word][0].decode().split())
    return found


def _han_runs(text: str, store: marisa_trie.BytesTrie) -> Iterator[str]:
    """The runs of characters pypinyin reads as Han; it leaves out the rest (errors="ignore")."""
    start = None
    for index, char in enumerate(text):
        if char in store:
            if start is None:
                start = index
        elif start is not None:
            yield text[start:index]
            start = None
    if start is not None:
        yield text[start:]


def _words(run: str, store: marisa_trie.BytesTrie) -> Iterator[str]:
    """A run of Han cut as pypinyin's segmenter cuts it (``pypinyin.seg.mmseg.seg``): the
    longest phrase at the start of the rest, else one character.

    One quirk is kept, since the syllables follow the cut: a rest that begins some phrase
    without holding one is given character by character, without looking for phrases in it.
    """
    rest = run
    while rest:
        # Every key of two characters or more is a phrase; the characters are keys of one.
        phrase = max(store.prefixes(rest), key=len)
        if len(phrase) > 1:
            yield phrase
            rest = rest[len(phrase) :]
        elif len(rest) > 1 and next(store.iterkeys(rest), None) is not None:
            yield from rest
            return
        else:
            yield rest[0]
            rest = rest[1:]


def _open_store() -> marisa_trie.BytesTrie:
    import marisa_trie

    path = store_path()
    if path.exists():
        return marisa_trie.BytesTrie().mmap(str(path))
    _logger.warning(
        "%s is missing (`make` writes it): pypinyin's readings are read into memory instead",
        path.name,
    )
    return build_store()


_store = stores.once(_open_store)


def store_path() -> Path:
    """Where the trie of the installed pypinyin is kept."""
    from importlib.metadata import version

    return Path(__file__).with_name(f"pinyin-{version('pypinyin')}.marisa")


def build_store() -> marisa_trie.BytesTrie:
    """The trie, read from pypinyin's own dictionaries (which this loads, 55 MB)."""
    import marisa_trie
    from pypinyin import Style
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS
    from pypinyin.converter import UltimateConverter

    converter = UltimateConverter(neutral_tone_with_five=True)

    # pypinyin restyles each syllable through a chain of regular expressions; the tone-digit
    # style depends on the toned syllable alone, not on its character, so each is done once.
    @cache
    def restyled(syllable: str) -> str:
        return str(converter.convert_style("", syllable, Style.TONE3, strict=True))

    def reading(first_syllables: list[str]) -> bytes:
        return " ".join(filter(None, map(restyled, first_syllables))).encode()

    # A word's first reading is the one lazy_pinyin gives.
    entries = [
        (phrase, reading([heteronyms[0] for heteronyms in readings]))
        for phrase, readings in PHRASES_DICT.items()
    ]
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if RE_HANS.match(char):
            readings = PINYIN_DICT.get(code)
            entries.append((char, reading(readings.split(",")[:1]) if readings else b""))
    return marisa_trie.BytesTrie(entries)


def write_store() -> Path | None:
    """Write the trie for the installed pypinyin unless it is there, removing those of other
    versions; the path written, or None."""
    return stores.write(
        [store_path()], "pinyin-*", lambda partial: build_store().save(str(partial))
    )
