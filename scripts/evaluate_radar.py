"""Precision of the radar's top candidates on the demonstration corpus, against its gold list.

    .venv/bin/python scripts/evaluate_radar.py [--top 50] [--show]

Reads fixtures/radar (manifest.yaml, the files, gold.yaml) and the seed glossary's terms
(fixtures/seed/concepts-*.yaml, which the radar leaves out as the published glossary), ranks
the candidates as ``manage.py radar_rebuild`` does, without a database, and prints the strict
precision (gold ``candidates`` only) and the lenient one (``borderline`` counted too), overall
and by language. A candidate matches a gold term as gold.yaml says: lower-cased, hyphens and
spaces alike, a final plural -s dropped, in the same language.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glossary.language import fold  # noqa: E402
from glossary.radar import candidates  # noqa: E402
from glossary.radar.extract import decode_text, tidy  # noqa: E402


def gold_key(text: str) -> str:
    text = re.sub(r"[\s\-‐–]+", " ", text.casefold()).strip()
    return text[:-1] if text.endswith("s") and not text.endswith("ss") else text


def group(language: str) -> str:
    return candidates.ZH if str(language).lower().startswith("zh") else candidates.EN


def seed_keys() -> set[str]:
    keys = set()
    for path in sorted((ROOT / "fixtures" / "seed").glob("concepts-*.yaml")):
        for concept in yaml.safe_load(path.read_text(encoding="utf-8")).get("concepts", []):
            for terms in (concept.get("terms") or {}).values():
                keys.update(fold(term["text"]) for term in terms or [])
    return keys


def documents(folder: Path) -> list[candidates.Document]:
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    found = []
    for number, entry in enumerate(manifest, 1):
        date = entry.get("date")
        if not isinstance(date, dt.date):
            date = dt.date.fromisoformat(str(date)[:10]) if date else None
        text = tidy(decode_text((folder / entry["file"]).read_bytes()))
        found.append(candidates.Document(number, str(entry["language"]), text, date))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--show", action="store_true", help="list the top candidates, marked")
    parser.add_argument("--corpus", default=str(ROOT / "fixtures" / "radar"))
    args = parser.parse_args()
    folder = Path(args.corpus)
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))

    def keyed(section: str) -> set[tuple[str, str]]:
        keys = set()
        for item in gold.get(section) or []:
            for text in [item.get("term") or item.get("phrase"), *(item.get("variants") or [])]:
                if text:
                    keys.add((group(item["language"]), gold_key(str(text))))
        return keys

    strict, borderline, negatives = keyed("candidates"), keyed("borderline"), keyed("negatives")
    wall, cpu = time.perf_counter(), time.process_time()
    known = seed_keys()
    ranked = candidates.rank(documents(folder), known=known.__contains__, vocabulary=known)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    top = ranked[: args.top]
    marks = []
    for candidate in top:
        key = (candidate.language, gold_key(candidate.text))
        mark = (
            "correct"
            if key in strict
            else "borderline"
            if key in borderline
            else "negative"
            if key in negatives
            else "-"
        )
        marks.append((candidate, mark))
    print(f"{len(ranked)} candidates ranked in {wall:.1f} s ({cpu:.1f} s CPU); top {len(top)}:")
    for language in (None, candidates.EN, candidates.ZH):
        chosen = [mark for candidate, mark in marks if language in (None, candidate.language)]
        if not chosen:
            continue
        right = chosen.count("correct")
        lenient = right + chosen.count("borderline")
        print(
            f"  {language or 'all':>3}: {len(chosen):2d} candidates, strict precision "
            f"{right / len(chosen):.2f} ({right}), lenient {lenient / len(chosen):.2f} "
            f"({lenient}), gold negatives among them: {chosen.count('negative')}"
        )
    if args.show:
        for rank, (candidate, mark) in enumerate(marks, 1):
            print(
                f"{rank:3d} {candidate.score:6.2f} {candidate.language} {mark:10} {candidate.text}"
            )


if __name__ == "__main__":
    main()
