"""Measure the term check against a hand-labelled sample of real parallel sentences.

    .venv/bin/python scripts/evaluate_check.py [--errors] [--json]

The sample (tests/data/check/labels.csv) is 150 English / Simplified Chinese sentence pairs from
the Stanford CS229/CS230 cheatsheets (MIT licence, see tests/data/check/NOTICE.md), labelled by
hand with the glossary concepts each side mentions and the Chinese term used for each. The
glossary (tests/data/check/glossary.csv) holds the terms those sheets use.

Two recognisers are compared on the same glossary:

* ours: ``glossary.termcheck.engine.TermChecker`` (word boundaries and inflection in English, jieba
  segmentation with the glossary as user dictionary in Chinese, longest match first);
* substring: a term counts wherever its text occurs in the sentence (case-insensitive), which is
  what translation platforms do for Chinese today.

Reported, micro-averaged over (sentence pair, concept):

* detection in the English source, in the Chinese target, and both pooled;
* the check itself: a (pair, concept, verdict) finding is right when the concept is in the
  source and the verdict (the status of the Chinese term used, or ``missing``) is the labelled
  one.

No database is needed: the engine is built straight from the glossary file.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.termcheck.engine import GlossaryConcept, GlossaryTerm, TermChecker  # noqa: E402

DATA = ROOT / "tests" / "data" / "check"
DATASET = ROOT.parent / "shared" / "data" / "cs229-cs230-cheatsheets-parallel"
#: Which status wins when a translation uses several terms of one concept (as in the check).
VERDICT_ORDER = ("deprecated", "superseded", "preferred", "admitted")


@dataclass
class Pair:
    row: int
    en: str
    zh: str
    source: set[str]
    target: dict[str, set[str]]  # concept -> the Chinese terms the translation uses for it


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, gold: set, found: set, label: str) -> None:
        self.true_positives += len(gold & found)
        self.false_positives += len(found - gold)
        self.false_negatives += len(gold - found)
        for item in sorted(found - gold, key=str):
            self.errors.append(f"{label} false positive: {item}")
        for item in sorted(gold - found, key=str):
            self.errors.append(f"{label} false negative: {item}")

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
        }


def load_glossary(path: Path) -> list[GlossaryConcept]:
    terms: dict[str, list[GlossaryTerm]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            terms[row["concept"]].append(GlossaryTerm(row["text"], row["language"], row["status"]))
    return [GlossaryConcept(uid, tuple(found)) for uid, found in terms.items()]


def load_pairs(path: Path) -> list[Pair]:
    pairs = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            target: dict[str, set[str]] = defaultdict(set)
            for item in filter(None, (part.strip() for part in row["target_terms"].split(";"))):
                concept, term = item.split(":", 1)
                target[concept].add(term)
            pairs.append(
                Pair(
                    row=int(row["row"]),
                    en=row["en"],
                    zh=row["zh_hans"],
                    source=set(row["source_concepts"].split()),
                    target=dict(target),
                )
            )
    return pairs


def check_against_dataset(pairs: Iterable[Pair], dataset: Path) -> int:
    """How many labelled texts differ from the dataset's (0 when it is not available)."""
    path = dataset / "cheatsheets_parallel.csv"
    if not path.exists():
        return 0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return sum(1 for p in pairs if (rows[p.row]["en"], rows[p.row]["zh_hans"]) != (p.en, p.zh))


def aggregate(statuses: Iterable[str]) -> str:
    statuses = set(statuses)
    return next((status for status in VERDICT_ORDER if status in statuses), "missing")


class Substring:
    """Plain substring matching, case-insensitive: no word boundaries, no segmentation."""

    def __init__(self, concepts: list[GlossaryConcept]) -> None:
        self.concepts = concepts

    def find(self, text: str, language: str) -> dict[str, list[str]]:
        """concept -> statuses of its terms (in that language) that occur in the text."""
        folded = text.casefold()
        found: dict[str, list[str]] = {}
        for concept in self.concepts:
            statuses = [
                term.status
                for term in concept.terms
                if term.language == language and term.text.casefold() in folded
            ]
            if statuses:
                found[concept.uid] = statuses
        return found


def evaluate(concepts: list[GlossaryConcept], pairs: list[Pair]) -> dict[str, dict[str, Score]]:
    checker = TermChecker(concepts)
    substring = Substring(concepts)
    status_of = {
        (concept.uid, term.text): term.status
        for concept in concepts
        for term in concept.terms
        if term.language == "zh-Hans"
    }
    scores: dict[str, dict[str, Score]] = {
        system: {part: Score() for part in ("source", "target", "both", "check")}
        for system in ("ours", "substring")
    }
    for pair in pairs:
        gold_target = set(pair.target)
        gold_verdicts = {
            (
                concept,
                aggregate(status_of[(concept, term)] for term in pair.target.get(concept, ())),
            )
            for concept in pair.source
        }
        label = f"row {pair.row}"
        # Ours
        source = {o.concept.uid for o in checker.find(pair.en, "en")}
        target = {o.concept.uid for o in checker.find(pair.zh, "zh-Hans")}
        verdicts = {
            (f.concept, f.verdict)
            for f in checker.check(pair.en, "en", pair.zh, "zh-Hans").findings
        }
        _score(scores["ours"], pair, label, source, target, gold_target, verdicts, gold_verdicts)
        # Substring
        in_source = substring.find(pair.en, "en")
        in_target = substring.find(pair.zh, "zh-Hans")
        verdicts = {(concept, aggregate(in_target.get(concept, ()))) for concept in in_source}
        _score(
            scores["substring"],
            pair,
            label,
            set(in_source),
            set(in_target),
            gold_target,
            verdicts,
            gold_verdicts,
        )
    return scores


def _score(
    score: dict[str, Score],
    pair: Pair,
    label: str,
    source: set[str],
    target: set[str],
    gold_target: set[str],
    verdicts: set[tuple[str, str]],
    gold_verdicts: set[tuple[str, str]],
) -> None:
    score["source"].add(pair.source, source, f"{label} en")
    score["target"].add(gold_target, target, f"{label} zh")
    score["both"].add(
        {("en", c) for c in pair.source} | {("zh", c) for c in gold_target},
        {("en", c) for c in source} | {("zh", c) for c in target},
        label,
    )
    score["check"].add(gold_verdicts, verdicts, f"{label} verdict")


PARTS = [
    ("source", "Detection in the English source"),
    ("target", "Detection in the Chinese target"),
    ("both", "Detection, both sides"),
    ("check", "Check findings (concept + verdict)"),
]


def report(scores: dict[str, dict[str, Score]], pairs: list[Pair], seconds: float) -> str:
    gold_source = sum(len(p.source) for p in pairs)
    gold_target = sum(len(p.target) for p in pairs)
    lines = [
        f"{len(pairs)} labelled sentence pairs (en -> zh-Hans); {gold_source} concepts in the "
        f"sources, {gold_target} in the targets. Engine time: {seconds:.2f}s.",
        "",
        f"{'':38} {'ours':^22} {'substring':^22}",
        f"{'':38} {'P':>6} {'R':>6} {'F1':>6}   {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for part, title in PARTS:
        ours, base = scores["ours"][part], scores["substring"][part]
        lines.append(
            f"{title:38} {ours.precision:6.3f} {ours.recall:6.3f} {ours.f1:6.3f}   "
            f"{base.precision:6.3f} {base.recall:6.3f} {base.f1:6.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=DATA / "labels.csv")
    parser.add_argument("--glossary", type=Path, default=DATA / "glossary.csv")
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--errors", choices=("ours", "substring"), help="List the mistakes.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)

    concepts = load_glossary(args.glossary)
    pairs = load_pairs(args.labels)
    unknown = {c for p in pairs for c in (*p.source, *p.target)} - {c.uid for c in concepts}
    if unknown:
        parser.error(f"labels name concepts missing from the glossary: {sorted(unknown)}")
    differing = check_against_dataset(pairs, args.dataset)
    if differing:
        parser.error(f"{differing} labelled texts differ from the dataset in {args.dataset}")
    started = time.perf_counter()
    scores = evaluate(concepts, pairs)
    seconds = time.perf_counter() - started
    if args.json:
        print(
            json.dumps(
                {
                    "pairs": len(pairs),
                    **{
                        system: {part: score.as_dict() for part, score in parts.items()}
                        for system, parts in scores.items()
                    },
                },
                indent=2,
            )
        )
    else:
        print(report(scores, pairs, seconds))
    if args.errors:
        print()
        for part, _title in PARTS:
            for error in scores[args.errors][part].errors:
                print(f"[{part}] {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
