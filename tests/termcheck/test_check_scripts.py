"""The term check across scripts and languages: the other Chinese script's flagged terms, and
which language a text is in (detected, or refused when plainly not the one given). No database."""

from __future__ import annotations

import pytest

from glossary.language.detect import detect as detect_language
from glossary.termcheck.engine import (
    LanguageMismatch,
    TermChecker,
    mismatch,
    resolve_languages,
)
from tests.termcheck.conftest import concept

pytestmark = pytest.mark.usefixtures("_jieba_once", "_restore_user_terms")


GLOSSARY = [
    concept(
        "token",
        ("token", "en"),
        ("词元", "zh-Hans"),
        ("令牌", "zh-Hans", "deprecated"),
        ("符元", "zh-Hant"),
    ),
    concept(
        "transformer",
        ("Transformer", "en"),
        ("Transformer", "zh-Hans"),
        ("变压器", "zh-Hans", "deprecated"),
        ("Transformer", "zh-Hant"),
        ("變壓器", "zh-Hant", "deprecated"),
    ),
    concept(
        "reinforcement-learning",
        ("reinforcement learning", "en"),
        ("强化学习", "zh-Hans"),
        ("增强学习", "zh-Hans", "superseded"),
        ("強化學習", "zh-Hant"),
    ),
    # Two concepts whose terms fold to the same key, 记号, in different scripts.
    concept("notation", ("notation", "en"), ("记法", "zh-Hans"), ("記號", "zh-Hant")),
    concept(
        "marker",
        ("marker", "en"),
        ("标记", "zh-Hans"),
        ("记号", "zh-Hans", "deprecated"),
        ("標記", "zh-Hant"),
    ),
    # Made up: a deprecated zh-Hans term (软件) that folds like the zh-Hant preferred one (軟體).
    concept(
        "software",
        ("software", "en"),
        ("软件系统", "zh-Hans"),
        ("软件", "zh-Hans", "deprecated"),
        ("軟體", "zh-Hant"),
    ),
]


@pytest.fixture(scope="module")
def checker() -> TermChecker:
    return TermChecker(GLOSSARY)


def findings(result) -> list[tuple[str, str, str | None, str | None]]:
    return [(f.concept, f.verdict, f.expected, f.replacement) for f in result.findings]


# --- The other script's deprecated and superseded terms --------------------------------------


def test_a_deprecated_simplified_term_in_a_traditional_target_is_flagged(checker) -> None:
    result = checker.check("token", "en", "令牌", "zh-Hant")
    assert findings(result) == [("token", "deprecated", "符元", "符元")]
    (span,) = result.findings[0].target
    assert (span.text, span.term, span.language, span.status, span.match, span.replacement) == (
        "令牌",
        "令牌",
        "zh-Hans",
        "deprecated",
        "folded",
        "符元",
    )
    assert [f.concept for f in result.problems] == ["token"]


def test_a_superseded_simplified_term_written_in_traditional_is_flagged(checker) -> None:
    result = checker.check("reinforcement learning", "en", "增強學習", "zh-Hant")
    assert findings(result) == [("reinforcement-learning", "superseded", "強化學習", "強化學習")]


def test_a_single_traditional_text_flags_terms_of_both_scripts(checker) -> None:
    result = checker.check("变压器与令牌", "zh-Hant")
    assert findings(result) == [
        ("transformer", "deprecated", "Transformer", "Transformer"),
        ("token", "deprecated", "符元", "符元"),
    ]


def test_the_same_holds_the_other_way_round(checker) -> None:
    # A zh-Hant-only deprecated term (變壓器) is flagged in a Simplified text too.
    checker_hans = TermChecker(
        [
            concept(
                "t",
                ("Transformer", "en"),
                ("Transformer", "zh-Hans"),
                ("變壓器", "zh-Hant", "deprecated"),
            )
        ]
    )
    result = checker_hans.check("Transformer", "en", "变压器", "zh-Hans")
    assert findings(result) == [("t", "deprecated", "Transformer", "Transformer")]


def test_other_script_preferred_terms_are_not_candidates(checker) -> None:
    # 詞元 is the zh-Hans preferred term in Traditional characters; the zh-Hant term is 符元.
    result = checker.check("token", "en", "詞元", "zh-Hant")
    assert findings(result) == [("token", "missing", "符元", None)]


def test_own_script_terms_win_ties_across_concepts(checker) -> None:
    # 记号 in a Traditional text folds to the zh-Hant term 記號 (notation) and to the deprecated
    # zh-Hans term 记号 (marker): the text's own script decides.
    occurrences = checker.find("這個记号", "zh-Hant")
    assert [(o.concept.uid, o.term.text, o.match) for o in occurrences] == [
        ("notation", "記號", "folded")
    ]
    # In a Simplified text the zh-Hans term is the text's own.
    occurrences = checker.find("这个记号", "zh-Hans")
    assert [(o.concept.uid, o.term.text, o.match) for o in occurrences] == [
        ("marker", "记号", "exact")
    ]


def test_own_script_terms_win_ties_within_a_concept(checker) -> None:
    # 软件 in a Traditional text is the zh-Hant preferred term 軟體, folded, not the deprecated
    # zh-Hans term; in a Simplified text it is the deprecated term.
    result = checker.check("software", "en", "软件", "zh-Hant")
    assert findings(result) == [("software", "preferred", "軟體", None)]
    assert [s.match for s in result.findings[0].target] == ["folded"]
    result = checker.check("software", "en", "软件", "zh-Hans")
    assert findings(result) == [("software", "deprecated", "软件系统", "软件系统")]


# --- Which language a text is in -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "language"),
    [
        ("我们使用變壓器", "zh-Hant"),
        ("我们使用变压器", "zh-Hans"),
        ("使用人工智慧", "zh-Hant"),
        ("我们用GPT-4模型做实验。", "zh-Hans"),
        ("Generative AI models", "en"),
        ("The term 人工智能 is used in China.", "en"),
        ("`人工智能` is code here", "en"),
        ("1, 2, 3", None),
        ("", None),
    ],
)
def test_detect_language(value: str, language: str | None) -> None:
    assert detect_language(value) == language


def test_a_text_the_same_in_both_scripts_follows_the_preference() -> None:
    assert detect_language("人工") == "zh-Hans"
    assert detect_language("人工", chinese="zh-Hant") == "zh-Hant"
    # A Simplified-only word stays Simplified whatever the preference.
    assert detect_language("软件", chinese="zh-Hant") == "zh-Hans"


@pytest.mark.parametrize(
    ("value", "language", "detected"),
    [
        ("我们使用變壓器", "en", "zh-Hant"),
        ("我们用GPT-4模型做实验。", "en", "zh-Hans"),
        ("Generative AI models", "zh-Hans", "en"),
        ("Generative AI models", "zh-Hant", "en"),
        # Not plain enough to refuse.
        ("The term 人工智能 is used in China.", "en", None),
        ("用LLM", "zh-Hans", None),
        ("我们使用變壓器", "zh-Hans", None),
        ("1, 2, 3", "zh-Hans", None),
        ("1, 2, 3", "en", None),
    ],
)
def test_mismatch(value: str, language: str, detected: str | None) -> None:
    assert mismatch(value, language) == detected


def test_resolve_languages() -> None:
    assert resolve_languages("我们使用變壓器", None) == ("zh-Hant", None)
    assert resolve_languages("AI", None, "人工智能", None) == ("en", "zh-Hans")
    assert resolve_languages("人工智能", None, "AI", None) == ("zh-Hans", "en")
    # Given languages are kept; a text without letters falls back to the defaults.
    assert resolve_languages("AI", "en", "人工智能", "zh-Hant") == ("en", "zh-Hant")
    assert resolve_languages("42", None, "42", None) == ("en", "zh-Hans")
    assert resolve_languages("42", None, "42", None, chinese="zh-Hant") == ("en", "zh-Hant")
    assert resolve_languages("人工智能", "zh-Hans", "42", None) == ("zh-Hans", "en")
    # No translation, no target language.
    assert resolve_languages("AI", None, "  ", "zh-Hans") == ("en", None)


def test_the_check_refuses_a_text_plainly_in_another_script(checker) -> None:
    with pytest.raises(LanguageMismatch) as source:
        checker.check("我们使用變壓器", "en")
    assert (source.value.role, source.value.declared, source.value.detected) == (
        "source",
        "en",
        "zh-Hant",
    )
    assert isinstance(source.value, ValueError)
    with pytest.raises(LanguageMismatch) as target:
        checker.check("token", "en", "token", "zh-Hans")
    assert (target.value.role, target.value.declared, target.value.detected) == (
        "target",
        "zh-Hans",
        "en",
    )
    # An English source quoting a Chinese term is still English.
    assert checker.check("The token (令牌) is deprecated.", "en", "词元", "zh-Hans").findings
