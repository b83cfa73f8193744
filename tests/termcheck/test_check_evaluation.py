"""The evaluation of the term check on real parallel sentences (scripts/evaluate_check.py)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("_restore_user_terms")

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "evaluate_check.py"


@pytest.fixture(scope="module")
def evaluation():
    spec = importlib.util.spec_from_file_location("evaluate_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_sample_is_large_enough_and_consistent(evaluation) -> None:
    concepts = evaluation.load_glossary(evaluation.DATA / "glossary.csv")
    pairs = evaluation.load_pairs(evaluation.DATA / "labels.csv")
    assert len(pairs) >= 100
    assert len({pair.row for pair in pairs}) == len(pairs)
    terms = {(c.uid, t.text) for c in concepts for t in c.terms if t.language == "zh-Hans"}
    for pair in pairs:
        for concept, used in pair.target.items():
            for term in used:
                assert (concept, term) in terms
                assert term.casefold() in pair.zh.casefold()
    assert evaluation.check_against_dataset(pairs, evaluation.DATASET) == 0


def test_the_check_meets_its_goals_and_beats_substring_matching(evaluation) -> None:
    concepts = evaluation.load_glossary(evaluation.DATA / "glossary.csv")
    pairs = evaluation.load_pairs(evaluation.DATA / "labels.csv")
    scores = evaluation.evaluate(concepts, pairs)
    ours, substring = scores["ours"], scores["substring"]
    for part in ("source", "target", "both"):
        assert ours[part].precision >= 0.95, part
        assert ours[part].recall >= 0.90, part
        assert ours[part].precision > substring[part].precision, part
    assert ours["check"].precision > substring["check"].precision


def test_the_second_sample_is_large_enough_and_well_formed(evaluation) -> None:
    """Set 2 loads, names only its glossary's concepts and terms, and copies the dataset."""
    for name, least in (("2", 150), ("2-hant", 50)):
        sample = evaluation.SAMPLES[name]
        concepts = evaluation.load_glossary(sample.glossary)
        pairs = evaluation.load_pairs(sample.labels)
        assert len(pairs) >= least, name
        assert evaluation.validate(sample, concepts, pairs) == [], name
        assert evaluation.check_against_dataset(pairs, evaluation.DATASET) == 0, name
        # Every phenomenon the sample was chosen for is there.
        assert {tag for pair in pairs for tag in pair.tags} == set(evaluation.TAGS), name
        # Set 2 takes no item set 1 used.
        first = {pair.row for pair in evaluation.load_pairs(evaluation.DATA / "labels.csv")}
        assert not first & {pair.row for pair in pairs}, name
    statuses = {t.status for c in concepts for t in c.terms if t.language == "zh-Hans"}
    assert {"preferred", "admitted", "deprecated"} <= statuses


def test_validation_reports_labels_outside_the_glossary(evaluation) -> None:
    sample = evaluation.SAMPLES["2"]
    concepts = evaluation.load_glossary(sample.glossary)
    pair = evaluation.Pair(
        row=1,
        en="The model was trained.",
        zh="模型已定型。",
        source={"model", "no-such-concept"},
        target={"model": {"模型"}, "training": {"训练"}, "layer": {"網路"}},
    )
    assert evaluation.validate(sample, concepts, [pair]) == [
        "row 1: unknown source concept no-such-concept",
        "row 1: 網路 is no zh-Hans term of layer",
        "row 1: 训练 is not in the translation",
    ]


def test_the_glossary_marks_terms_flagged_only_in_sense(evaluation) -> None:
    path = evaluation.SAMPLES["2"].glossary
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(evaluation.csv.DictReader(handle))
    flagged = {(row["language"], row["text"]) for row in rows if row["in_sense_only"] == "1"}
    assert ("zh-Hans", "令牌") in flagged
    assert ("zh-Hans", "代币") in flagged
    assert ("zh-Hans", "标记") in flagged
    assert {row["in_sense_only"] for row in rows} == {"", "1"}
    concepts = evaluation.load_glossary(path)
    token = next(c for c in concepts if c.uid == "token")
    assert {t.text for t in token.terms if t.in_sense_only} >= {"令牌", "代币", "标记"}


def test_verdict_accuracy_counts_every_labelled_occurrence(evaluation) -> None:
    """A concept the check misses in the source is a wrong verdict, not one left out."""
    concepts = [
        evaluation.GlossaryConcept(
            "training",
            (
                evaluation.GlossaryTerm("train", "en", "preferred"),
                evaluation.GlossaryTerm("训练", "zh-Hans", "preferred"),
                evaluation.GlossaryTerm("定型", "zh-Hans", "deprecated"),
            ),
        ),
        evaluation.GlossaryConcept(
            "model",
            (
                evaluation.GlossaryTerm("model", "en", "preferred"),
                evaluation.GlossaryTerm("模型", "zh-Hans", "preferred"),
            ),
        ),
    ]
    pairs = [
        evaluation.Pair(
            1,
            "Train the model first.",
            "先训练模型。",
            {"training", "model"},
            {"training": {"训练"}, "model": {"模型"}},
        ),
        # Nothing in "Fit it" says train: no system finds the concept, and that is a mistake.
        evaluation.Pair(
            2, "Fit it on the data.", "用这些数据训练它。", {"training"}, {"training": {"训练"}}
        ),
    ]
    scores = evaluation.evaluate(concepts, pairs)
    for system in ("ours", "substring"):
        verdict = scores[system]["verdict"]
        assert (verdict.right, verdict.total) == (2, 3), system
        assert verdict.accuracy == pytest.approx(2 / 3)
        assert verdict.errors == ["row 2 verdict training: not found, labelled preferred"]


def test_the_script_prints_every_sample_side_by_side() -> None:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--json", "--by-tag"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    figures = json.loads(completed.stdout)["sets"]
    assert set(figures) == {"1", "2", "2-hant"}
    assert figures["1"]["pairs"] >= 100
    assert figures["2"]["pairs"] >= 150
    assert figures["2-hant"]["pairs"] >= 50
    for sample in figures.values():
        for system in ("ours", "substring"):
            assert set(sample[system]) == {"source", "target", "both", "check", "verdict"}
            assert set(sample[system]["source"]) >= {"precision", "recall", "f1"}
            assert 0 <= sample[system]["verdict"]["accuracy"] <= 1
            check = sample[system]["check"]
            gold = check["true_positives"] + check["false_negatives"]
            assert sample[system]["verdict"]["total"] == gold
    assert set(figures["2"]["by_tag"]) == {"verb", "markdown", "zh-compound", "trap"}
    assert "by_tag" not in figures["1"]


def test_the_script_runs_one_set_in_text() -> None:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--set", "2", "--by-tag"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "set 2, en -> zh-Hans" in completed.stdout
    assert "set 2, en -> zh-Hant" in completed.stdout
    assert "set 1" not in completed.stdout
    assert "Verdict accuracy" in completed.stdout
    assert "zh-compound" in completed.stdout
