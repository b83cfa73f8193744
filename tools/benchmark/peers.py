"""The peers the benchmark measures beside the glossary's own code, on the same input.

* translate-toolkit writing a TBX file of the same terms, held in memory (run as a process of
  its own, ``python -m tools.benchmark.peers tbx TERMS OUT``, so that its peak memory is its
  own);
* jieba's bare segmentation of the same text (the dictionary jieba ships, HMM off: the
  segmentation the term check builds on);
* plain substring matching: every term looked for anywhere in the text, case-insensitive, with
  no word boundaries and no segmentation (what ``scripts/evaluate_check.py`` compares with).

Nothing here needs Django. jieba is imported directly, not through ``glossary.language``: this is
jieba measured on its own, not the glossary's language processing.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

#: Columns of the term list a peer reads: one row per concept, terms of one language joined.
TERM_COLUMNS = ("en", "zh_hans", "zh_hant")
#: Separates several terms of one language in a cell of the term list.
TERM_SEPARATOR = "\t"


def write_tbx_with_translate_toolkit(rows: list[dict[str, str]], output: Path) -> None:
    """translate-toolkit's TBX: a unit per concept, its English, Simplified and Traditional terms.

    Its quickest calls for each: ``settarget`` for a language with one term (most concepts),
    ``set_target_terms`` (and ``set_source_terms``) only where a language has several.
    """
    from translate.storage.tbx import tbxfile

    store = tbxfile(sourcelanguage="en", targetlanguage="zh-Hans")
    for row in rows:
        english = _split(row["en"])
        unit = store.addsourceunit(english[0] if english else "")
        if len(english) > 1:
            unit.set_source_terms(english)
        for column, language in (("zh_hans", "zh-Hans"), ("zh_hant", "zh-Hant")):
            terms = _split(row[column])
            if len(terms) == 1:
                unit.settarget(terms[0], lang=language)
            elif terms:
                unit.set_target_terms(terms, lang=language)
    with output.open("wb") as handle:
        store.serialize(handle)


def _split(cell: str) -> list[str]:
    return [term for term in cell.split(TERM_SEPARATOR) if term]


def read_terms(path: Path) -> list[dict[str, str]]:
    """The term list the benchmark wrote (see ``TERM_COLUMNS``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def jieba_segment(text: str) -> list[str]:
    """jieba's own segmentation: its shipped dictionary, HMM off."""
    return list(_jieba().cut(text, HMM=False))


_tokenizer = None


def _jieba():
    global _tokenizer
    if _tokenizer is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        _tokenizer = jieba.Tokenizer()
        _tokenizer.initialize()
    return _tokenizer


class SubstringMatcher:
    """Plain substring matching, case-insensitive: no word boundaries, no segmentation."""

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        """``terms``: (concept, term text) pairs."""
        self.terms = [(concept, text.casefold()) for concept, text in terms if text.strip()]

    def find(self, text: str) -> set[str]:
        """The concepts one of whose terms occurs anywhere in the text."""
        folded = text.casefold()
        return {concept for concept, term in self.terms if term in folded}


def peak_mb() -> float:
    """This process's own peak memory (RSS), in MB.

    From the kernel's high-water mark of this process's memory map (Linux), not from
    ``getrusage``: a child started by fork counts its parent's memory there, so a large runner
    would make every step it starts look as large.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    """``tbx TERMS OUT``: write the terms with translate-toolkit; print the wall and CPU seconds."""
    if len(argv) != 3 or argv[0] != "tbx":
        print("usage: python -m tools.benchmark.peers tbx TERMS.csv OUT.tbx", file=sys.stderr)
        return 2
    rows = read_terms(Path(argv[1]))
    started, cpu = time.perf_counter(), time.process_time()
    write_tbx_with_translate_toolkit(rows, Path(argv[2]))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "concepts": len(rows),
                "peak_mb": peak_mb(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
