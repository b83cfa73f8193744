"""A Chinese rendering inside a longer word, when its English source sits inside a longer phrase."""

from __future__ import annotations

import pytest

from glossary.termcheck.engine import TermChecker
from glossary.termcheck.engine.compounds import inside_phrase
from tests.termcheck.conftest import concept

pytestmark = pytest.mark.usefixtures("_restore_user_terms")


@pytest.fixture(scope="module")
def checker() -> TermChecker:
    return TermChecker(
        [
            concept("feature", ("feature", "en"), ("特征", "zh-Hans"), ("特徵", "zh-Hant")),
            concept("classification", ("classification", "en"), ("分类", "zh-Hans")),
            # Named apart from "multi-class classification" (which is "multiclass
            # classification" spelled another way), so the source finds only "classification",
            # while the target's 多类分类 is this concept's word.
            concept("multiclass", ("multinomial classification", "en"), ("多类分类", "zh-Hans")),
            concept("classify", ("classify", "en"), ("分类", "zh-Hans")),
            concept("classify-as", ("classify as", "en"), ("分类为", "zh-Hans")),
            concept("image", ("image", "en"), ("图像", "zh-Hans")),
            concept(
                "train", ("train", "en"), ("训练", "zh-Hans"), ("定型", "zh-Hans", "deprecated")
            ),
            concept("trainer", ("trainer", "en"), ("训练程序", "zh-Hans")),
            concept("training-loop", ("training loop", "en"), ("定型循环", "zh-Hans")),
            concept("precision", ("precision", "en"), ("精度", "zh-Hans")),
            concept("double-precision", ("double precision", "en"), ("双精度", "zh-Hans")),
            concept(
                "token", ("token", "en"), ("词元", "zh-Hans"), ("标记", "zh-Hans", "deprecated")
            ),
            concept("labelled", ("labelled", "en"), ("已标记", "zh-Hans")),
        ]
    )


def verdicts(checker: TermChecker, source: str, target: str, language: str = "zh-Hans"):
    result = checker.check(source, "en", target, language)
    return {
        finding.concept: (finding.verdict, [span.text for span in finding.target])
        for finding in result.findings
    }


@pytest.mark.parametrize(
    ("source", "target", "language", "uid", "rendered"),
    [
        ("Compute the feature vector.", "计算特征向量。", "zh-Hans", "feature", "特征"),
        (
            "Multi-class classification is hard.",
            "多类分类很难。",
            "zh-Hans",
            "classification",
            "分类",
        ),
        (
            "We classify images into two groups.",
            "我们将图像分类为两组。",
            "zh-Hans",
            "classify",
            "分类",
        ),
        ("Each feature vector is stored.", "每个特徵向量都被储存。", "zh-Hant", "feature", "特徵"),
        # A concept without zh-Hant terms, through its zh-Hans term folded.
        (
            "We classify images into two groups.",
            "我們將圖像分類為兩組。",
            "zh-Hant",
            "classify",
            "分類",
        ),
    ],
)
def test_a_rendering_inside_a_longer_word_counts_when_the_source_is_a_longer_phrase(
    checker: TermChecker, source: str, target: str, language: str, uid: str, rendered: str
) -> None:
    assert verdicts(checker, source, target, language)[uid] == ("preferred", [rendered])


def test_the_span_points_into_the_longer_word(checker: TermChecker) -> None:
    result = checker.check("Compute the feature vector.", "en", "计算特征向量。", "zh-Hans")
    (span,) = result.target
    assert (span.start, span.end, span.text, span.match) == (2, 4, "特征", "exact")


def test_a_deprecated_rendering_inside_a_longer_word_is_flagged(checker: TermChecker) -> None:
    found = verdicts(checker, "Run the train loop.", "运行定型循环。")
    assert found["train"] == ("deprecated", ["定型"])


@pytest.mark.parametrize(
    ("source", "target", "uid"),
    [
        ("Train it.", "训练程序。", "train"),
        ("The precision is low.", "双精度很低。", "precision"),
        ("The token is used.", "已标记的数据。", "token"),
    ],
)
def test_a_term_inside_a_longer_word_is_no_rendering_of_a_lone_source_term(
    checker: TermChecker, source: str, target: str, uid: str
) -> None:
    assert verdicts(checker, source, target)[uid] == ("missing", [])


@pytest.mark.parametrize(
    ("text", "absent"),
    [("用训练程序。", "train"), ("使用双精度。", "precision"), ("已标记的数据。", "token")],
)
def test_a_single_text_never_finds_a_term_inside_a_longer_word(
    checker: TermChecker, text: str, absent: str
) -> None:
    assert absent not in {o.concept.uid for o in checker.find(text, "zh-Hans")}
    assert checker.check(text, "zh-Hans").findings == ()


def test_a_concept_rendered_as_a_word_of_its_own_is_not_looked_for_inside_others(
    checker: TermChecker,
) -> None:
    found = verdicts(checker, "Compute the feature vector of each feature.", "计算特征向量的特征。")
    assert found["feature"] == ("preferred", ["特征"])
    result = checker.check(
        "Compute the feature vector of each feature.", "en", "计算特征向量的特征。", "zh-Hans"
    )
    assert [(span.start, span.end) for span in result.target] == [(7, 9)]


@pytest.mark.parametrize(
    ("text", "word", "joined"),
    [
        ("the feature vector", "feature", True),
        ("multi-class classification", "classification", True),
        ("classify images", "classify", True),
        ("Train the model", "Train", False),
        ("the token is used", "token", False),
        ("a feature, then more", "feature", False),
        ("feature 2", "feature", False),
    ],
)
def test_inside_phrase(text: str, word: str, joined: bool) -> None:
    start = text.index(word)
    assert inside_phrase(text, start, start + len(word)) is joined


def test_a_rendering_through_the_other_script_is_a_folded_match(checker: TermChecker) -> None:
    result = checker.check("We classify images.", "en", "我們將圖像分類為兩組。", "zh-Hant")
    spans = {span.concept: span for span in result.target}
    assert (spans["classify"].text, spans["classify"].term, spans["classify"].match) == (
        "分類",
        "分类",
        "folded",
    )


def test_two_concepts_inside_one_word_do_not_share_its_characters() -> None:
    checker = TermChecker(
        [
            concept("class", ("class", "en"), ("类", "zh-Hans")),
            concept("classification", ("classification", "en"), ("分类", "zh-Hans")),
            concept("multiclass", ("multinomial classification", "en"), ("多类分类", "zh-Hans")),
        ]
    )
    result = checker.check("Multi-class classification is hard.", "en", "多类分类很难。", "zh-Hans")
    assert [(span.concept, span.start, span.end) for span in result.target] == [
        ("class", 1, 2),
        ("classification", 2, 4),
    ]
