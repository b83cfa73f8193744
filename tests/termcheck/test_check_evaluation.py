"""The evaluation of the term check on real parallel sentences (scripts/evaluate_check.py)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.language import segmentation

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "evaluate_check.py"


@pytest.fixture(autouse=True)
def _restore_user_terms() -> Iterator[None]:
    saved = segmentation._jieba_state.loaded
    yield
    segmentation._jieba_state.loaded = saved


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


def test_the_script_prints_both_systems_side_by_side() -> None:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    figures = json.loads(completed.stdout)
    assert figures["pairs"] >= 100
    assert set(figures["ours"]) == {"source", "target", "both", "check"}
    assert set(figures["substring"]["both"]) >= {"precision", "recall", "f1"}
