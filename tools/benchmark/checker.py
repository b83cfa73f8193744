"""``python -m tools.benchmark.checker CONCEPTS``: the term checker alone, without a database.

Builds the checker straight from the benchmark glossary's entries (CC-CEDICT, as ``data`` makes
them: one concept each, its English, Simplified and Traditional terms preferred), the way a
worker builds it from the term index rows, so that a run at 100,000 concepts takes a minute
rather than the import's hour. Prints one line of JSON:

* the build's CPU seconds, and the worker's memory (RSS, after freed memory is given back to the
  system) before the build, with jieba, OpenCC and lemminflect loaded as any worker has them,
  and after it, with jieba's user dictionary loaded: their difference is what the glossary costs
  a worker (``glossary_mb``), and what lemminflect's tables cost it beside (``lemminflect_mb``);
* a short check, the update of five concepts published anew, and the first check after it
  (CPU milliseconds): what the first reader after a publication waits;
* the check of each text of ``data.check_texts`` (about 1 MB each) beside jieba's own
  segmentation of the same text, taking turns (ours, jieba, ours, jieba, …), megabytes per CPU
  second, best of ``--rounds``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from tools.benchmark import data
from tools.benchmark.peers import jieba_segment
from tools.benchmark.stages import _interleaved


def _rss_mb() -> float:
    """This process's memory now (RSS), in MB, after what was freed is given back."""
    gc.collect()
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(concepts: int, *, text_bytes: int, rounds: int) -> dict[str, Any]:
    from glossary import language as gtext
    from glossary.termcheck.engine import GlossaryConcept, GlossaryTerm, TermChecker
    from glossary.termcheck.engine.english import term_forms

    entries = [(entry.en, entry.zh_hans, entry.zh_hant) for entry in data.iter_entries(concepts)]
    texts = data.check_texts(text_bytes)

    def glossary() -> Iterator[GlossaryConcept]:
        for number, (english, simplified, traditional) in enumerate(entries):
            yield GlossaryConcept(
                uid=f"c{number}",
                terms=tuple(
                    GlossaryTerm(text, sys.intern(language), "preferred", "noun")
                    for text, language in (
                        (english, "en"),
                        (simplified, "zh-Hans"),
                        (traditional, "zh-Hant"),
                    )
                ),
            )

    # What any worker has loaded before it reads the glossary: jieba and OpenCC (which search
    # uses too), then lemminflect (the check's own).
    gtext.segment_cuts("人工智能")
    gtext.to_simplified("軟體")
    base = _rss_mb()
    term_forms("train", "verb")
    before = _rss_mb()
    cpu = time.process_time()
    checker = TermChecker(glossary(), key="benchmark")
    gtext.set_user_terms(checker.chinese_terms, key=checker.key)
    result: dict[str, Any] = {
        "concepts": len(entries),
        "build_cpu_seconds": round(time.process_time() - cpu, 2),
    }
    after = _rss_mb()
    result.update(rss_before_mb=round(before), rss_after_mb=round(after))
    result["lemminflect_mb"] = round(before - base)
    result["glossary_mb"] = round(after - before)
    result["update"] = _first_check_after_update(checker, entries)
    for language, text in texts.items():
        size = len(text.encode()) / 1e6
        turns: dict[str, tuple[float, Callable[[], object]]] = {
            "ours": (size, lambda text=text, language=language: checker.check(text, language))
        }
        if language != "en":
            turns["jieba"] = (size, lambda text=text: jieba_segment(text))
        best = _interleaved(turns, rounds)
        # Four significant figures: a small sample's speeds are small numbers, and the ratio
        # must still follow from them.
        row = {f"{name}_mb_s": float(f"{size / best[name]['cpu']:.4g}") for name in turns}
        if "jieba" in best:
            row["ratio_to_jieba"] = round(best["jieba"]["cpu"] / best["ours"]["cpu"], 3)
        result[language] = row
    return result


def _first_check_after_update(
    checker: Any, entries: list[tuple[str, str, str]]
) -> dict[str, float]:
    """A short check, then five concepts published anew (new English verbs and Chinese terms),
    then the first check after them and the one after that: CPU milliseconds of each.

    What the first reader after a publication waits beyond a normal check, without a database:
    the update of the index and of jieba's user dictionary, and any table it loads again.
    """
    from glossary.termcheck.engine import GlossaryConcept, GlossaryTerm

    source = "We trained the model on labelled data and predicted the classes."
    target = "我们在已标注的数据上训练了模型，并预测了类别。"

    def check() -> float:
        cpu = time.process_time()
        checker.check(source, "en", target, "zh-Hans")
        return round((time.process_time() - cpu) * 1000, 2)

    check()
    before = check()
    published = [
        GlossaryConcept(
            uid=f"c{number}",
            terms=(
                GlossaryTerm(f"{verb} again", "en", "preferred", "verb"),
                GlossaryTerm(f"{entries[number][1]}一新", "zh-Hans", "preferred", "noun"),
            ),
        )
        for number, verb in enumerate(("train", "label", "forecast", "embed", "tokenize"))
    ]
    cpu = time.process_time()
    checker.update(published, key="benchmark:published")
    update = round((time.process_time() - cpu) * 1000, 2)
    first = check()
    return {
        "check_ms": before,
        "update_ms": update,
        "first_check_ms": first,
        "first_request_ms": round(update + first, 2),
        "then_ms": check(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmark.checker", description=__doc__)
    parser.add_argument("concepts", type=int)
    parser.add_argument("--text-bytes", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    try:
        result = measure(args.concepts, text_bytes=args.text_bytes, rounds=args.rounds)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
