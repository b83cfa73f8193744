"""Every word of jieba's own dictionary in a short text, as jieba's search mode finds it.

The search keys of a term (``glossary.search.keys``) hold the term from each of its words on:
``jieba.Tokenizer().tokenize(text, mode="search", HMM=False)``. Asking jieba for it means
loading jieba: its dictionary as a Python table of half a million words and prefixes (about
60 MB) and, with the package, its HMM tables (about 14 MB), in every process that publishes,
an import among them. ``search_tokens`` gives the same tokens from a compact copy of jieba's
dictionary: its words in a MARISA trie (``marisa-trie``, about 2 MB) and their counts in an
array, read from jieba's own ``dict.txt`` without importing jieba.

``make`` writes the copy (``scripts/build_language_stores.py``) beside this module, named after
the jieba version it was read from: the trie and a file of counts, which each process maps, so
that the pages are shared between processes and none spends the build (about 1 s and 30 MB at
its peak). Without the files the copy is built in memory on first use: the same answers.

The cut is jieba's, step for step (``get_DAG``, ``calc``, ``__cut_DAG_NO_HMM``, ``cut`` and
``tokenize``), with one change of means: where jieba walks a fragment forward while it is a
word or the prefix of one, the trie lists the words that start at a position
(``Trie.prefixes``), which are the same words. ``tests/language/test_words.py`` compares the
two on every CC-CEDICT headword the tests hold and on jieba's own words.
"""

from __future__ import annotations

import array
import importlib.util
import logging
import mmap
import re
from collections.abc import Iterator, Sequence
from math import log
from pathlib import Path
from typing import Any, Final

from glossary.language import stores

# jieba's own patterns (jieba/__init__.py): what a block of words is, what a space is, and what
# a single Latin letter or digit the cut joins to its neighbours is.
_HAN_BLOCK_RE: Final = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_SKIP_RE: Final = re.compile("(\r\n|\\s)", re.U)
_LATIN_RE: Final = re.compile("[a-zA-Z0-9]", re.U)

_logger = logging.getLogger(__name__)


class _Dictionary:
    """jieba's ``dict.txt``: its words in a trie, each word's count at the word's id."""

    __slots__ = ("counts", "log_total", "total", "trie")

    def __init__(self, trie: Any, counts: Sequence[int], total: int) -> None:
        self.trie = trie
        self.counts = counts
        self.total = total
        self.log_total = log(total)

    @classmethod
    def read(cls, path: Path) -> _Dictionary:
        """The dictionary read from a ``dict.txt``, in memory."""
        import marisa_trie

        trie = marisa_trie.Trie(word for word, _count in _entries(path))
        counts = array.array("Q", bytes(8 * len(trie)))
        total = 0
        # As jieba's gen_pfdict: a word listed twice keeps its last count, the total all of them.
        for word, count in _entries(path):
            counts[trie[word]] = count
            total += count
        return cls(trie, counts, total)

    @classmethod
    def mapped(cls, trie_path: Path, counts_path: Path) -> _Dictionary:
        """The dictionary ``save`` wrote, mapped from its files: nothing is read until used."""
        import marisa_trie

        with counts_path.open("rb") as handle:
            view = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)).cast("Q")
        return cls(marisa_trie.Trie().mmap(str(trie_path)), view[1:], view[0])

    def save(self, trie_path: Path, counts_path: Path) -> None:
        """Write the trie and the counts (the total first) where ``mapped`` reads them."""
        with counts_path.open("wb") as handle:
            array.array("Q", [self.total, *self.counts]).tofile(handle)
        self.trie.save(str(trie_path))

    def count(self, word: str) -> int:
        """The word's count in jieba's dictionary, 0 when it is none of its words."""
        key = self.trie.get(word)
        return 0 if key is None else self.counts[key]


def _entries(path: Path) -> Iterator[tuple[str, int]]:
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            try:
                word, count = line.strip().decode("utf-8").split(" ")[:2]
                yield word, int(count)
            except ValueError as error:
                raise ValueError(f"invalid dictionary entry in {path} at line {number}") from error


def _jieba_dictionary_path() -> Path:
    # find_spec locates the package without running its __init__, which loads the HMM tables.
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def store_paths() -> tuple[Path, Path]:
    """Where the copy of the installed jieba's dictionary is kept: its trie and its counts."""
    from importlib.metadata import version

    stem = f"words-jieba-{version('jieba')}"
    here = Path(__file__).parent
    return here / f"{stem}.marisa", here / f"{stem}.counts"


def write_store() -> Path | None:
    """Write the copy of the installed jieba's dictionary unless it is there, removing those of
    other versions; the trie's path when it was written, or None."""
    trie_path, counts_path = store_paths()
    # The counts first: the trie's file is what says the copy is whole.
    return stores.write(
        [counts_path, trie_path],
        "words-jieba-*",
        lambda counts, trie: _Dictionary.read(_jieba_dictionary_path()).save(trie, counts),
    )


def _open_dictionary() -> _Dictionary:
    trie_path, counts_path = store_paths()
    if trie_path.exists() and counts_path.exists():
        return _Dictionary.mapped(trie_path, counts_path)
    _logger.warning(
        "%s is missing (`make` writes it): jieba's dictionary is read into memory instead",
        trie_path.name,
    )
    return _Dictionary.read(_jieba_dictionary_path())


#: jieba's dictionary, opened once per process.
_dictionary = stores.once(_open_dictionary)


def _cut_block(sentence: str, dictionary: _Dictionary) -> Iterator[str]:
    """jieba's ``__cut_DAG_NO_HMM`` of one block of Han characters, letters and digits."""
    count, prefixes, log_total = dictionary.count, dictionary.trie.prefixes, dictionary.log_total
    length = len(sentence)
    # DAG: the last index of each word starting at k (k itself when none does), shortest first.
    dag: list[list[int]] = []
    for k in range(length):
        ends = [k + len(word) - 1 for word in prefixes(sentence[k:]) if count(word)]
        dag.append(sorted(ends) or [k])
    route: list[tuple[float, int]] = [(0.0, 0)] * (length + 1)
    for idx in range(length - 1, -1, -1):
        route[idx] = max(
            (log(count(sentence[idx : x + 1]) or 1) - log_total + route[x + 1][0], x)
            for x in dag[idx]
        )
    x = 0
    buffer = ""
    while x < length:
        y = route[x][1] + 1
        word = sentence[x:y]
        if _LATIN_RE.match(word) and len(word) == 1:
            buffer += word
        else:
            if buffer:
                yield buffer
                buffer = ""
            yield word
        x = y
    if buffer:
        yield buffer


def _cut(sentence: str, dictionary: _Dictionary) -> Iterator[str]:
    """jieba's ``cut(sentence, HMM=False)``."""
    for block in _HAN_BLOCK_RE.split(sentence):
        if not block:
            continue
        if _HAN_BLOCK_RE.match(block):
            yield from _cut_block(block, dictionary)
            continue
        for part in _SKIP_RE.split(block):
            if _SKIP_RE.match(part):
                yield part
            else:
                yield from part


def search_tokens(text: str) -> list[tuple[str, int, int]]:
    """``jieba.Tokenizer().tokenize(text, mode="search", HMM=False)``, as a list.

    Each word of the cut, preceded by the two- and three-character words of jieba's dictionary
    inside it (for a word longer than two and three characters), with offsets into ``text``.
    """
    dictionary = _dictionary()
    count = dictionary.count
    tokens: list[tuple[str, int, int]] = []
    start = 0
    for word in _cut(text, dictionary):
        width = len(word)
        if width > 2:
            for i in range(width - 1):
                if count(gram := word[i : i + 2]):
                    tokens.append((gram, start + i, start + i + 2))
        if width > 3:
            for i in range(width - 2):
                if count(gram := word[i : i + 3]):
                    tokens.append((gram, start + i, start + i + 3))
        tokens.append((word, start, start + width))
        start += width
    return tokens
