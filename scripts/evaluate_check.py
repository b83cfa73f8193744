"""Measure the term check against hand-labelled samples of real parallel sentences.

    .venv/bin/python scripts/evaluate_check.py [--set 1|2|all] [--errors ours|substring]
                                               [--by-tag] [--json]

Two samples, both from the Stanford CS229/CS230 cheatsheets (MIT licence) and labelled by hand
with the glossary concepts each side mentions and the Chinese term used for each:

* set 1 (tests/data/check/): 150 English / Simplified Chinese pairs, with a glossary of the terms
  those sheets use (see tests/data/check/NOTICE.md);
* set 2 (tests/data/check2/): 155 English / Simplified pairs (``2``) and 54 English / Traditional
  pairs (``2-hant``) from items set 1 did not use, chosen for English verb forms, Markdown,
  Chinese compounds and look-alike traps, each pair tagged with what it tests (see
  tests/data/check2/NOTICE.md).

Two recognisers are compared on the same glossary:

* ours: ``glossary.termcheck.engine.TermChecker``;
* substring: a term counts wherever its text occurs in the sentence (case-insensitive), which is
  what translation platforms do for Chinese today.

Reported, micro-averaged over (sentence pair, concept):

* detection in the English source, in the Chinese target, and both pooled (precision, recall);
* the check's findings: a (pair, concept, verdict) finding is right when the concept is in the
  source and the verdict (the status of the Chinese term used, or ``missing``) is the labelled
  one (precision, recall);
* verdict accuracy: of all the labelled occurrences of a concept in a source, the share for which
  the check reports that concept with the labelled verdict and no other. A concept the check does
  not find in the source counts as a wrong verdict.

``--by-tag`` repeats English and Chinese precision and recall and verdict accuracy for the pairs of
each tag of set 2 (verb, markdown, zh-compound, trap).

No database is needed: the engine is built straight from the glossary files.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.termcheck.engine import (  # noqa: E402
    GlossaryConcept,
    GlossaryTerm,
    LanguageMismatch,
    TermChecker,
    extract,
)

DATA = ROOT / "tests" / "data" / "check"
DATA2 = ROOT / "tests" / "data" / "check2"
DATASET = ROOT.parent / "shared" / "data" / "cs229-cs230-cheatsheets-parallel"
#: Which status wins when a translation uses several terms of one concept (as in the check).
VERDICT_ORDER = ("deprecated", "superseded", "preferred", "admitted")
#: The target column of a labels file, and the language it holds.
TARGET_COLUMNS = {"zh_hans": "zh-Hans", "zh_hant": "zh-Hant"}
#: Markdown emphasis added to the dataset's text on the pairs marked ``markdown``.
EMPHASIS = re.compile(r"\*{1,2}")


@dataclass(frozen=True)
class Sample:
    """One labelled sample: its pairs, its glossary, the language of its translations."""

    name: str
    labels: Path
    glossary: Path
    title: str


SAMPLES = {
    "1": Sample("1", DATA / "labels.csv", DATA / "glossary.csv", "set 1, en -> zh-Hans"),
    "2": Sample("2", DATA2 / "labels.csv", DATA2 / "glossary.csv", "set 2, en -> zh-Hans"),
    "2-hant": Sample(
        "2-hant", DATA2 / "labels_hant.csv", DATA2 / "glossary.csv", "set 2, en -> zh-Hant"
    ),
}
SETS = {"1": ("1",), "2": ("2", "2-hant"), "all": ("1", "2", "2-hant")}
TAGS = ("verb", "markdown", "zh-compound", "trap")
TAG_COLUMNS = ("en P", "en R", "zh P", "zh R", "acc")


@dataclass
class Pair:
    row: int
    en: str
    zh: str
    source: set[str]
    target: dict[str, set[str]]  # concept -> the Chinese terms the translation uses for it
    language: str = "zh-Hans"
    tags: frozenset[str] = frozenset()
    markup: str = ""


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


@dataclass
class Accuracy:
    """Right verdicts over every labelled occurrence of a concept in a source."""

    right: int = 0
    total: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, gold: dict[str, str], found: dict[str, set[str]], label: str) -> None:
        for concept, verdict in sorted(gold.items()):
            self.total += 1
            given = found.get(concept, set())
            if given == {verdict}:
                self.right += 1
            else:
                shown = "/".join(sorted(given)) or "not found"
                self.errors.append(f"{label} {concept}: {shown}, labelled {verdict}")

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {"accuracy": round(self.accuracy, 4), "right": self.right, "total": self.total}


@dataclass
class Scores:
    """One system's figures on one sample."""

    source: Score = field(default_factory=Score)
    target: Score = field(default_factory=Score)
    both: Score = field(default_factory=Score)
    check: Score = field(default_factory=Score)
    verdict: Accuracy = field(default_factory=Accuracy)

    def __getitem__(self, part: str) -> Any:
        return getattr(self, part)

    def as_dict(self) -> dict[str, dict[str, float | int]]:
        return {part: self[part].as_dict() for part in PARTS}


def load_glossary(path: Path) -> list[GlossaryConcept]:
    """The concepts of a glossary file (concept, language, text, status[, in_sense_only,
    part_of_speech])."""
    terms: dict[str, list[GlossaryTerm]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            terms[row["concept"]].append(
                GlossaryTerm(
                    row["text"],
                    row["language"],
                    row["status"],
                    part_of_speech=row.get("part_of_speech") or "",
                    in_sense_only=row.get("in_sense_only") == "1",
                )
            )
    return [GlossaryConcept(uid, tuple(found)) for uid, found in terms.items()]


def load_pairs(path: Path) -> list[Pair]:
    pairs = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        column = next(name for name in TARGET_COLUMNS if name in (reader.fieldnames or ()))
        for row in reader:
            target: dict[str, set[str]] = defaultdict(set)
            for item in filter(None, (part.strip() for part in row["target_terms"].split(";"))):
                concept, term = item.split(":", 1)
                target[concept].add(term)
            pairs.append(
                Pair(
                    row=int(row["row"]),
                    en=row["en"],
                    zh=row[column],
                    source=set(row["source_concepts"].split()),
                    target=dict(target),
                    language=TARGET_COLUMNS[column],
                    tags=frozenset(row.get("tags", "").split())
                    | ({"markdown"} if row.get("markup") == "markdown" else set()),
                    markup=row.get("markup", ""),
                )
            )
    return pairs


def unmarked(text: str, markup: str) -> str:
    """The text as the dataset has it: without the Markdown emphasis added to it."""
    return EMPHASIS.sub("", text) if markup == "markdown" else text


def check_against_dataset(pairs: Iterable[Pair], dataset: Path) -> int:
    """How many labelled texts differ from the dataset's (0 when it is not available)."""
    path = dataset / "cheatsheets_parallel.csv"
    if not path.exists():
        return 0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    column = {language: name for name, language in TARGET_COLUMNS.items()}
    return sum(
        1
        for p in pairs
        if (rows[p.row]["en"], rows[p.row][column[p.language]])
        != (unmarked(p.en, p.markup), unmarked(p.zh, p.markup))
    )


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


def gold_verdicts(pair: Pair, status_of: dict[tuple[str, str, str], str]) -> dict[str, str]:
    """concept -> the labelled verdict, for every concept of the source."""
    return {
        concept: aggregate(
            status_of[(pair.language, concept, term)] for term in pair.target.get(concept, ())
        )
        for concept in pair.source
    }


def evaluate(concepts: list[GlossaryConcept], pairs: list[Pair]) -> dict[str, Scores]:
    checker = TermChecker(concepts)
    substring = Substring(concepts)
    status_of = {
        (term.language, concept.uid, term.text): term.status
        for concept in concepts
        for term in concept.terms
    }
    scores = {"ours": Scores(), "substring": Scores()}
    for pair in pairs:
        gold = gold_verdicts(pair, status_of)
        label = f"row {pair.row}"
        # Ours, given the pair's markup as a translator gives it (``--markup markdown``)
        en, zh = (extract(text, pair.markup or "plain").text for text in (pair.en, pair.zh))
        source = {o.concept.uid for o in checker.find(en, "en")}
        target = {o.concept.uid for o in checker.find(zh, pair.language)}
        verdicts: dict[str, set[str]] = defaultdict(set)
        try:
            result = checker.check(en, "en", zh, pair.language)
        except LanguageMismatch as error:  # a text taken for another language: no findings
            scores["ours"].check.errors.append(f"{label} refused: {error}")
        else:
            for finding in result.findings:
                verdicts[finding.concept].add(finding.verdict)
        _score(scores["ours"], pair, label, source, target, verdicts, gold)
        # Substring
        in_source = substring.find(pair.en, "en")
        in_target = substring.find(pair.zh, pair.language)
        verdicts = {concept: {aggregate(in_target.get(concept, ()))} for concept in in_source}
        _score(scores["substring"], pair, label, set(in_source), set(in_target), verdicts, gold)
    return scores


def _score(
    score: Scores,
    pair: Pair,
    label: str,
    source: set[str],
    target: set[str],
    verdicts: dict[str, set[str]],
    gold: dict[str, str],
) -> None:
    gold_target = set(pair.target)
    score.source.add(pair.source, source, f"{label} en")
    score.target.add(gold_target, target, f"{label} zh")
    score.both.add(
        {("en", c) for c in pair.source} | {("zh", c) for c in gold_target},
        {("en", c) for c in source} | {("zh", c) for c in target},
        label,
    )
    score.check.add(
        set(gold.items()),
        {(concept, verdict) for concept, found in verdicts.items() for verdict in found},
        f"{label} verdict",
    )
    score.verdict.add(gold, verdicts, f"{label} verdict")


PARTS = {
    "source": "Detection in the English source",
    "target": "Detection in the Chinese target",
    "both": "Detection, both sides",
    "check": "Check findings (concept + verdict)",
    "verdict": "Verdict accuracy, all occurrences",
}


def report(name: str, scores: dict[str, Scores], pairs: list[Pair], seconds: float) -> str:
    sample = SAMPLES[name]
    gold_source = sum(len(p.source) for p in pairs)
    gold_target = sum(len(p.target) for p in pairs)
    lines = [
        f"{sample.title}: {len(pairs)} labelled sentence pairs; {gold_source} concepts in the "
        f"sources, {gold_target} in the targets. Engine time: {seconds:.2f}s.",
        "",
        f"{'':38} {'ours':^22} {'substring':^22}",
        f"{'':38} {'P':>6} {'R':>6} {'F1':>6}   {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for part, title in PARTS.items():
        ours, base = scores["ours"][part], scores["substring"][part]
        if isinstance(ours, Accuracy):
            lines.append(f"{title:38} {ours.accuracy:20.3f}   {base.accuracy:20.3f}")
            continue
        lines.append(
            f"{title:38} {ours.precision:6.3f} {ours.recall:6.3f} {ours.f1:6.3f}   "
            f"{base.precision:6.3f} {base.recall:6.3f} {base.f1:6.3f}"
        )
    return "\n".join(lines)


def summary(results: dict[str, dict[str, Scores]]) -> str:
    """The samples side by side: English and Chinese P/R and verdict accuracy, per system."""
    names = list(results)
    head = f"{'':22}" + "".join(f"{SAMPLES[name].title:>24}" for name in names)
    systems = f"{'':22}" + "".join(f"{'ours':>12}{'substring':>12}" for _ in names)
    lines = [head, systems]
    rows = [
        ("English precision", "source", "precision"),
        ("English recall", "source", "recall"),
        ("Chinese precision", "target", "precision"),
        ("Chinese recall", "target", "recall"),
        ("Verdict accuracy", "verdict", "accuracy"),
    ]
    for title, part, figure in rows:
        cells = "".join(
            f"{getattr(results[name][system][part], figure):12.3f}"
            for name in names
            for system in ("ours", "substring")
        )
        lines.append(f"{title:22}{cells}")
    return "\n".join(lines)


def by_tag(
    concepts: list[GlossaryConcept], pairs: list[Pair]
) -> dict[str, tuple[int, dict[str, Scores]]]:
    """For each tag, the number of pairs with it and the figures on those pairs alone."""
    return {
        tag: (len(tagged), evaluate(concepts, tagged))
        for tag in TAGS
        if (tagged := [pair for pair in pairs if tag in pair.tags])
    }


def tag_report(name: str, tagged: dict[str, tuple[int, dict[str, Scores]]]) -> str:
    lines = [
        f"{SAMPLES[name].title}, by tag: English P and R, Chinese P and R, verdict accuracy",
        f"{'':12}{'pairs':>6}  {'ours':^34}   {'substring':^34}",
        f"{'':12}{'':6}  " + "   ".join([" ".join(f"{h:>6}" for h in TAG_COLUMNS)] * 2),
    ]
    for tag, (count, scores) in tagged.items():
        cells = "   ".join(
            " ".join(
                f"{figure:6.3f}"
                for figure in (
                    scores[system].source.precision,
                    scores[system].source.recall,
                    scores[system].target.precision,
                    scores[system].target.recall,
                    scores[system].verdict.accuracy,
                )
            )
            for system in ("ours", "substring")
        )
        lines.append(f"{tag:12}{count:6d}  {cells}")
    return "\n".join(lines)


def validate(sample: Sample, concepts: list[GlossaryConcept], pairs: list[Pair]) -> list[str]:
    """What is wrong with a sample's labels (an empty list when they are well-formed)."""
    problems = []
    known = {c.uid for c in concepts}
    terms = {(t.language, c.uid, t.text) for c in concepts for t in c.terms}
    rows = [pair.row for pair in pairs]
    if len(set(rows)) != len(rows):
        problems.append(f"{sample.labels.name}: a row is labelled twice")
    for pair in pairs:
        for concept in sorted(pair.source - known):
            problems.append(f"row {pair.row}: unknown source concept {concept}")
        for concept, used in sorted(pair.target.items()):
            if concept not in known:
                problems.append(f"row {pair.row}: unknown target concept {concept}")
                continue
            for term in sorted(used):
                if (pair.language, concept, term) not in terms:
                    problems.append(
                        f"row {pair.row}: {term} is no {pair.language} term of {concept}"
                    )
                elif term.casefold() not in pair.zh.casefold():
                    problems.append(f"row {pair.row}: {term} is not in the translation")
        unknown_tags = pair.tags - set(TAGS)
        if unknown_tags:
            problems.append(f"row {pair.row}: unknown tags {sorted(unknown_tags)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=tuple(SETS), default="all", dest="which")
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--errors", choices=("ours", "substring"), help="List the mistakes.")
    parser.add_argument("--by-tag", action="store_true", help="Figures per tag (set 2).")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)

    results: dict[str, dict[str, Scores]] = {}
    loaded: dict[str, tuple[list[GlossaryConcept], list[Pair]]] = {}
    timings: dict[str, float] = {}
    for name in SETS[args.which]:
        sample = SAMPLES[name]
        concepts = load_glossary(sample.glossary)
        pairs = load_pairs(sample.labels)
        problems = validate(sample, concepts, pairs)
        if problems:
            parser.error(f"{sample.labels}: " + "; ".join(problems))
        differing = check_against_dataset(pairs, args.dataset)
        if differing:
            parser.error(f"{differing} labelled texts differ from the dataset in {args.dataset}")
        started = time.perf_counter()
        results[name] = evaluate(concepts, pairs)
        timings[name] = time.perf_counter() - started
        loaded[name] = (concepts, pairs)
    tagged = {
        name: by_tag(*loaded[name])
        for name in results
        if args.by_tag and any(pair.tags for pair in loaded[name][1])
    }
    if args.json:
        figures: dict[str, Any] = {
            name: {
                "pairs": len(loaded[name][1]),
                **{system: scores.as_dict() for system, scores in results[name].items()},
            }
            for name in results
        }
        for name, tags in tagged.items():
            figures[name]["by_tag"] = {
                tag: {
                    "pairs": count,
                    **{system: s.as_dict() for system, s in scores.items()},
                }
                for tag, (count, scores) in tags.items()
            }
        print(json.dumps({"sets": figures}, indent=2))
    else:
        print(summary(results))
        for name, scores in results.items():
            print()
            print(report(name, scores, loaded[name][1], timings[name]))
        for name, tags in tagged.items():
            print()
            print(tag_report(name, tags))
    if args.errors:
        for name, scores in results.items():
            print()
            print(f"Mistakes of {args.errors} on {SAMPLES[name].title}:")
            for part in PARTS:
                for error in scores[args.errors][part].errors:
                    print(f"[{part}] {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
