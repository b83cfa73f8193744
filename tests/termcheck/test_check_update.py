"""Updating a TermChecker in place (``TermChecker.update``) against building one afresh: no database."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from glossary.language import segmentation
from glossary.termcheck.engine import GlossaryConcept, GlossaryTerm, TermChecker
from glossary.termcheck.engine.keys import english_term_key

pytestmark = pytest.mark.usefixtures("_jieba_once", "_restore_user_terms")


# Words that overlap one another, so that terms collide, nest and share prefixes.
ENGLISH = ["neural", "network", "networks", "deep", "learning", "model", "AI", "fine-tuning"]
SIMPLIFIED = [
    "神经",
    "网络",
    "神经网络",
    "深度",
    "学习",
    "深度学习",
    "模型",
    "特征",
    "特征值",
    "人工智能",
]
TRADITIONAL = ["神經", "網路", "神經網路", "深度", "學習", "深度學習", "模型", "特徵", "人工智慧"]
STATUSES = ["preferred", "admitted", "deprecated", "superseded"]


def random_concept(rng: random.Random, uid: str) -> GlossaryConcept:
    terms = []
    for language, words, joiner in (
        ("en", ENGLISH, " "),
        ("zh-Hans", SIMPLIFIED, ""),
        ("zh-Hant", TRADITIONAL, ""),
    ):
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            text = joiner.join(rng.sample(words, rng.choice([1, 1, 2])))
            terms.append(GlossaryTerm(text, language, rng.choice(STATUSES)))
    return GlossaryConcept(uid=uid, terms=tuple(terms), retired=rng.random() < 0.15)


def texts(rng: random.Random) -> list[tuple[str, str]]:
    found = []
    for _ in range(6):
        found.append((" ".join(rng.choices(ENGLISH, k=8)) + ".", "en"))
        found.append(
            ("，".join("".join(rng.choices(SIMPLIFIED, k=3)) for _ in range(3)), "zh-Hans")
        )
        found.append(
            ("，".join("".join(rng.choices(TRADITIONAL, k=3)) for _ in range(3)), "zh-Hant")
        )
    return found


def findings(checker: TermChecker, rng: random.Random) -> list:
    seen = []
    for text, language in texts(rng):
        seen.append(
            [(o.concept, o.start, o.end, o.term, o.match) for o in checker.find(text, language)]
        )
    # The whole result, but for the key that names the checker.
    for args in (
        ("deep learning and a neural network", "en", "深度学习与神經網路", "zh-Hans"),
        ("深度学习，神经网络模型", "zh-Hans"),
    ):
        seen.append(replace(checker.check(*args), glossary=""))
    return seen


def words(loaded) -> dict[str, float]:
    """jieba's words (not the prefixes it marks) in a loaded user dictionary."""
    return {word: score for word, score in loaded[0].scores.items() if score is not None}


@pytest.mark.parametrize("seed", range(6))
def test_an_updated_checker_finds_what_a_fresh_one_finds(seed: int) -> None:
    rng = random.Random(seed)
    glossary = {f"c{n}": random_concept(rng, f"c{n}") for n in range(12)}
    checker = TermChecker(glossary.values(), key=f"start-{seed}")
    for step in range(8):
        # New concepts, new versions of some (supersession), retirements.
        changed = []
        for _ in range(rng.randint(1, 4)):
            uid = f"c{rng.randint(0, 16)}"
            if uid in glossary and rng.random() < 0.3:
                old = glossary[uid]
                new = GlossaryConcept(uid, old.terms, retired=True)
            else:
                new = random_concept(rng, uid)
            glossary[uid] = new
            changed.append(new)
        checker.update(changed, key=f"step-{seed}-{step}")
        fresh = TermChecker(glossary.values(), key=f"fresh-{seed}-{step}")
        assert sorted(checker.concepts, key=lambda c: c.uid) == sorted(
            fresh.concepts, key=lambda c: c.uid
        )
        assert checker.chinese_terms == fresh.chinese_terms
        state = rng.getstate()
        ours = findings(checker, rng)
        incremental = segmentation._jieba_state.loaded
        rng.setstate(state)
        assert findings(fresh, rng) == ours
        # jieba's user dictionary, changed in place for the update, holds the words a fresh
        # load of the same terms holds.
        assert incremental is not None and incremental[1] == checker.key
        assert words(incremental) == words(segmentation._jieba_state.loaded)
        # Back to the updated checker's dictionary, as it stood, for the next update.
        segmentation._jieba_state.loaded = incremental


def test_a_replaced_concept_leaves_no_trace_of_its_old_terms() -> None:
    old = GlossaryConcept(
        "nn",
        (
            GlossaryTerm("neural network", "en"),
            GlossaryTerm("神经网络", "zh-Hans"),
            GlossaryTerm("神經網路", "zh-Hant"),
        ),
    )
    other = GlossaryConcept("dl", (GlossaryTerm("deep learning", "en"),))
    checker = TermChecker([old, other], key="before")
    assert [o.concept.uid for o in checker.find("a neural network", "en")] == ["nn"]
    checker.update(
        [
            GlossaryConcept(
                "nn", (GlossaryTerm("neural net", "en"), GlossaryTerm("神经网", "zh-Hans"))
            )
        ],
        key="after",
    )
    assert checker.find("a neural network", "en") == []
    assert checker.find("神经网络", "zh-Hans") == []
    assert [o.term.text for o in checker.find("a neural net", "en")] == ["neural net"]
    # Its old keys are gone from every index; its old self from the concepts.
    for language, key in (("en", english_term_key("neural network")), ("zh-Hant", "神經網路")):
        slot = checker._indexes[language].slots.get(key)
        assert slot is None or slot[:2] == (None, None)
    assert {c.uid: c for c in checker.concepts}["nn"].terms[0].text == "neural net"
    assert len(checker.concepts) == 2
    assert "神經網路" not in checker.chinese_terms
