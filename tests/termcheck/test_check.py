"""Unit tests for the term check engine (glossary.termcheck.engine.TermChecker): no database."""

from __future__ import annotations

import json

import pytest

from glossary import language as text
from glossary.language.detect import code_ranges
from glossary.termcheck.engine import (
    MAX_TEXT_LENGTH,
    TermChecker,
)
from tests.termcheck.conftest import concept

pytestmark = pytest.mark.usefixtures("_jieba_once", "_restore_user_terms")


GLOSSARY = [
    concept(
        "artificial-intelligence",
        ("artificial intelligence", "en"),
        ("AI", "en", "admitted"),
        ("人工智能", "zh-Hans"),
        ("人工智慧", "zh-Hant"),
    ),
    concept(
        "generative-ai",
        ("generative AI", "en"),
        ("GenAI", "en", "admitted"),
        ("生成式人工智能", "zh-Hans"),
        ("生成式人工智慧", "zh-Hant"),
    ),
    concept(
        "large-language-model",
        ("large language model", "en"),
        ("LLM", "en", "admitted"),
        ("大语言模型", "zh-Hans"),
        ("大語言模型", "zh-Hant"),
    ),
    concept(
        "neural-network",
        ("neural network", "en"),
        ("neural net", "en", "deprecated"),
        ("神经网络", "zh-Hans"),
        ("神经元网络", "zh-Hans", "deprecated"),
        ("人工神经网络", "zh-Hans", "admitted"),
        ("神經網路", "zh-Hant"),
        ("類神經網路", "zh-Hant", "admitted"),
    ),
    concept("feature", ("feature", "en"), ("特征", "zh-Hans"), ("特徵", "zh-Hant")),
    concept("eigenvalue", ("eigenvalue", "en"), ("特征值", "zh-Hans")),
    concept("round", ("round", "en"), ("轮", "zh-Hans")),
    concept("fine-tuning", ("fine-tuning", "en"), ("微调", "zh-Hans"), ("微調", "zh-Hant")),
    concept(
        "algorithm",
        ("algorithm", "en"),
        ("算法", "zh-Hans"),
        ("演算法", "zh-Hant"),
    ),
    concept(
        "bias",
        ("bias", "en"),
        ("偏差", "zh-Hans"),
        ("偏置", "zh-Hans", "superseded"),
    ),
    concept("expert-system", ("expert system", "en"), ("专家系统", "zh-Hans"), retired=True),
]


@pytest.fixture(scope="module")
def checker() -> TermChecker:
    return TermChecker(GLOSSARY)


def found(checker: TermChecker, source: str, language: str) -> list[tuple[str, str]]:
    """(concept, matched text) for each occurrence, checking the offsets on the way."""
    result = []
    for occurrence in checker.find(source, language):
        result.append((occurrence.concept.uid, source[occurrence.start : occurrence.end]))
    return result


# --- English ---------------------------------------------------------------------------------


def test_english_word_boundaries_and_inflection(checker: TermChecker) -> None:
    source = "Features matter. A featured result; neural-networks and LLMs' outputs."
    assert found(checker, source, "en") == [
        ("feature", "Features"),
        ("neural-network", "neural-networks"),
        ("large-language-model", "LLMs"),
    ]


def test_english_longest_concept_wins(checker: TermChecker) -> None:
    source = "Generative AI is a kind of AI; so is artificial intelligence."
    assert found(checker, source, "en") == [
        ("generative-ai", "Generative AI"),
        ("artificial-intelligence", "AI"),
        ("artificial-intelligence", "artificial intelligence"),
    ]


def test_english_hyphen_and_space_variants(checker: TermChecker) -> None:
    assert found(checker, "fine tuning, fine-tuning and Fine‑Tuning", "en") == [
        ("fine-tuning", "fine tuning"),
        ("fine-tuning", "fine-tuning"),
        ("fine-tuning", "Fine‑Tuning"),
    ]


def test_english_terms_do_not_run_across_punctuation(checker: TermChecker) -> None:
    assert found(checker, "large language, model", "en") == []
    assert found(checker, "neural\nnetwork", "en") == [("neural-network", "neural\nnetwork")]


def test_english_skips_code_spans_and_fenced_blocks(checker: TermChecker) -> None:
    source = "Use `feature` here.\n```\nneural network = 1\n```\nbut a feature there."
    assert found(checker, source, "en") == [("feature", "feature")]
    assert [source[start:end] for start, end in code_ranges(source)] == [
        "`feature`",
        "```\nneural network = 1\n```",
    ]
    # A term cannot join the words on either side of a code span.
    assert found(checker, "neural `x` network", "en") == []


# --- Chinese ---------------------------------------------------------------------------------


def test_chinese_longer_term_is_one_concept(checker: TermChecker) -> None:
    assert found(checker, "什么是生成式人工智能？", "zh-Hans") == [
        ("generative-ai", "生成式人工智能")
    ]


def test_chinese_near_miss_is_not_a_match(checker: TermChecker) -> None:
    # 大型语言模型 is not 大语言模型, although both end in 语言模型.
    assert found(checker, "这是一个大型语言模型。", "zh-Hans") == []
    assert found(checker, "这是一个大语言模型。", "zh-Hans") == [
        ("large-language-model", "大语言模型")
    ]


def test_chinese_segmentation_rules_out_substrings(checker: TermChecker) -> None:
    # jieba keeps 特征向量 and 轮询 whole, so 特征 and 轮 inside them are not hits.
    assert found(checker, "特征向量和特征值", "zh-Hans") == [("eigenvalue", "特征值")]
    assert found(checker, "服务器轮询客户端", "zh-Hans") == []
    assert found(checker, "提取特征。", "zh-Hans") == [("feature", "特征")]


def test_traditional_text_against_traditional_terms_then_folded(checker: TermChecker) -> None:
    source = "類神經網路與神經網路、神经网络，以及人工智能"
    result = [
        (o.concept.uid, source[o.start : o.end], o.term.text, o.match)
        for o in checker.find(source, "zh-Hant")
    ]
    assert result == [
        ("neural-network", "類神經網路", "類神經網路", "exact"),
        ("neural-network", "神經網路", "神經網路", "exact"),
        # Simplified characters in a Traditional text: the folded form of the zh-Hant term.
        ("neural-network", "神经网络", "神經網路", "folded"),
        # 人工智慧 folds to 人工智能 (OpenCC's Taiwan phrase table).
        ("artificial-intelligence", "人工智能", "人工智慧", "folded"),
    ]


def test_concept_without_terms_in_the_script_matches_the_other_script(
    checker: TermChecker,
) -> None:
    # eigenvalue has only a zh-Hans term; a Traditional text is matched through its folded form.
    source = "矩陣的特徵值"
    assert [
        (o.concept.uid, source[o.start : o.end], o.match) for o in checker.find(source, "zh-Hant")
    ] == [("eigenvalue", "特徵值", "folded")]


def test_chinese_offsets_survive_conversions_that_change_length(checker: TermChecker) -> None:
    source = "使用演算法與人工智慧"
    assert found(checker, source, "zh-Hant") == [
        ("algorithm", "演算法"),
        ("artificial-intelligence", "人工智慧"),
    ]


def test_chinese_skips_code(checker: TermChecker) -> None:
    assert found(checker, "调用 `人工智能` 接口", "zh-Hans") == []


def test_checker_loads_its_terms_as_jieba_user_dictionary(checker: TermChecker) -> None:
    checker.find("人工智能", "zh-Hans")
    assert text.user_terms_key() == checker.key
    other = TermChecker([concept("x", ("x", "en"), ("某个新术语", "zh-Hans"))])
    assert other.key != checker.key
    assert found(other, "这是某个新术语。", "zh-Hans") == [("x", "某个新术语")]
    assert text.user_terms_key() == other.key


# --- The check -------------------------------------------------------------------------------


def verdicts(result) -> list[tuple[str, str, str | None]]:
    return [(f.concept, f.verdict, f.replacement) for f in result.findings]


def test_check_verdicts_en_to_zh_hans(checker: TermChecker) -> None:
    result = checker.check(
        "Neural networks, AI, bias, feature and fine-tuning of an expert system.",
        "en",
        "人工神经网络、人工智能、偏置、专家系统。",
        "zh-Hans",
    )
    assert verdicts(result) == [
        ("neural-network", "admitted", None),
        ("artificial-intelligence", "preferred", None),
        ("bias", "superseded", "偏差"),
        ("feature", "missing", None),
        ("fine-tuning", "missing", None),
        ("expert-system", "retired", None),
    ]
    assert [f.expected for f in result.findings] == [
        "神经网络",
        "人工智能",
        "偏差",
        "特征",
        "微调",
        None,
    ]
    assert [f.concept for f in result.problems] == ["bias", "feature", "fine-tuning"]
    assert result.counts() == {
        "preferred": 1,
        "admitted": 1,
        "deprecated": 0,
        "superseded": 1,
        "missing": 2,
        "retired": 1,
    }


def test_check_reports_a_term_to_replace_even_beside_the_preferred_one(
    checker: TermChecker,
) -> None:
    result = checker.check("neural network", "en", "神经网络，即神经元网络", "zh-Hans")
    (finding,) = result.findings
    assert finding.verdict == "deprecated"
    assert finding.replacement == "神经网络"
    assert [(s.text, s.status) for s in finding.target] == [
        ("神经网络", "preferred"),
        ("神经元网络", "deprecated"),
    ]


def test_check_whole_payload(checker: TermChecker) -> None:
    source = "Use a neural net."
    target = "使用神经元网络。"
    result = checker.check(source, "en", target, "zh-Hans")
    assert result.as_dict() == {
        "source_language": "en",
        "target_language": "zh-Hans",
        "glossary": checker.key,
        "summary": {
            "preferred": 0,
            "admitted": 0,
            "deprecated": 1,
            "superseded": 0,
            "missing": 0,
            "retired": 0,
            "problems": 1,
            "source_occurrences": 1,
            "target_occurrences": 1,
        },
        "findings": [
            {
                "concept": "neural-network",
                "verdict": "deprecated",
                "expected": "神经网络",
                "replacement": "神经网络",
                "source": [0],
                "target": [0],
            }
        ],
        "occurrences": {
            "source": [
                {
                    "start": 6,
                    "end": 16,
                    "text": "neural net",
                    "concept": "neural-network",
                    "term": "neural net",
                    "language": "en",
                    "status": "deprecated",
                    "match": "exact",
                    "replacement": "neural network",
                }
            ],
            "target": [
                {
                    "start": 2,
                    "end": 7,
                    "text": "神经元网络",
                    "concept": "neural-network",
                    "term": "神经元网络",
                    "language": "zh-Hans",
                    "status": "deprecated",
                    "match": "exact",
                    "replacement": "神经网络",
                }
            ],
        },
    }


def test_check_zh_hant_target_prefers_its_own_terms(checker: TermChecker) -> None:
    result = checker.check("Neural networks and AI", "en", "類神經網路與人工智能", "zh-Hant")
    assert [
        (f.concept, f.verdict, f.expected, [s.match for s in f.target]) for f in result.findings
    ] == [
        ("neural-network", "admitted", "神經網路", ["exact"]),
        ("artificial-intelligence", "preferred", "人工智慧", ["folded"]),
    ]


def test_check_chinese_source_english_target(checker: TermChecker) -> None:
    result = checker.check(
        "生成式人工智能与神经元网络", "zh-Hans", "Generative AI and neural nets", "en"
    )
    assert verdicts(result) == [
        ("generative-ai", "preferred", None),
        ("neural-network", "deprecated", "neural network"),
    ]
    assert [span.replacement for span in result.findings[1].source] == ["神经网络"]
    assert result.findings[1].is_problem


def test_check_single_text_reports_only_terms_to_replace(checker: TermChecker) -> None:
    result = checker.check("Neural nets and neural networks; a bias.", "en")
    assert result.target_language is None
    assert verdicts(result) == [("neural-network", "deprecated", "neural network")]
    (finding,) = result.findings
    assert [span.text for span in finding.source] == ["Neural nets"]
    assert finding.target == ()
    # The same with an empty target (a form sent without a translation).
    assert verdicts(checker.check("a neural net", "en", "  ", "zh-Hans")) == verdicts(
        checker.check("a neural net", "en")
    )


def test_check_single_traditional_text(checker: TermChecker) -> None:
    result = checker.check("這個神经元网络", "zh-Hant")
    # The concept has zh-Hant terms, none of them 神经元网络; but that is its deprecated zh-Hans
    # term, flagged with the zh-Hant preferred term to use instead.
    assert verdicts(result) == [("neural-network", "deprecated", "神經網路")]
    assert [(span.language, span.match) for span in result.findings[0].source] == [
        ("zh-Hans", "folded")
    ]
    result = checker.check("用偏置", "zh-Hant")
    assert verdicts(result) == [("bias", "superseded", "偏差")]


def test_check_refuses_bad_languages(checker: TermChecker) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        checker.check("x", "fr")
    with pytest.raises(ValueError, match="unknown language"):
        checker.check("x", "en", "y", "zh-CN")
    with pytest.raises(ValueError, match="must differ"):
        checker.check("x", "en", "y", "en")
    with pytest.raises(ValueError, match="target_language"):
        checker.check("x", "en", "y")


def test_empty_and_unknown_texts(checker: TermChecker) -> None:
    assert checker.check("", "en").findings == ()
    assert checker.check("nothing to see", "en", "没有术语", "zh-Hans").findings == ()
    assert TermChecker([]).check("AI 人工智能", "zh-Hans", "AI", "en").findings == ()


def test_target_spans_are_listed_once_in_order(checker: TermChecker) -> None:
    result = checker.check(
        "AI and artificial intelligence", "en", "人工智能就是人工智能", "zh-Hans"
    )
    assert [(s.start, s.end) for s in result.target] == [(0, 4), (6, 10)]
    # One concept, twice in each text: one finding holding all four occurrences.
    (finding,) = result.findings
    assert [(s.start, s.end) for s in finding.source] == [(0, 2), (7, 30)]
    assert finding.target == result.target
    assert result.as_dict()["findings"][0]["source"] == [0, 1]
    assert result.as_dict()["findings"][0]["target"] == [0, 1]


def test_a_report_grows_with_the_texts_not_with_their_product(checker: TermChecker) -> None:
    def check(repeats: int) -> dict:
        return checker.check(
            "Neural nets and AI. " * repeats, "en", "神经元网络和人工智能。" * repeats, "zh-Hans"
        ).as_dict()

    def size(report: dict) -> int:
        return len(json.dumps(report, ensure_ascii=False))

    small, large = check(200), check(400)
    # Twice the text, twice the report (give or take the digits of the offsets).
    assert size(large) < 2.1 * size(small)
    assert [len(large["occurrences"][side]) for side in ("source", "target")] == [800, 800]


def test_long_text_is_fast_enough(checker: TermChecker) -> None:
    import time

    source = ("Generative AI uses neural networks and features. " * 400)[:MAX_TEXT_LENGTH]
    target = ("生成式人工智能使用神经网络和特征。" * 1200)[:MAX_TEXT_LENGTH]
    started = time.perf_counter()
    result = checker.check(source, "en", target, "zh-Hans")
    assert time.perf_counter() - started < 10
    assert len(result.source) > 1000
    assert len(result.target) > 1000
    # A finding per concept, however often it occurs.
    assert len(result.findings) == len({span.concept for span in result.source})


def test_latin_words_in_chinese_text_follow_english_rules() -> None:
    checker = TermChecker(
        [
            concept("svm", ("support vector machine", "en"), ("SVM", "zh-Hans", "admitted")),
            concept("cnn", ("CNN", "en"), ("CNN", "zh-Hans"), ("卷积神经网络", "zh-Hans")),
            concept(
                "logistic-regression",
                ("logistic regression", "en"),
                ("Logistic回归", "zh-Hans", "admitted"),
            ),
        ]
    )
    source = "两个SVMs、一个R-CNN和Logistic回归，但不是CNNX"
    assert found(checker, source, "zh-Hans") == [
        ("svm", "SVMs"),
        ("cnn", "CNN"),
        ("logistic-regression", "Logistic回归"),
    ]


def test_terms_running_over_several_pieces() -> None:
    # A term may cover several words or tokens (Transformer · space · 模型, Faster · R · CNN),
    # through prefixes that are no term themselves; the longest run wins over the terms in it.
    checker = TermChecker(
        [
            concept(
                "transformer-model", ("transformer model", "en"), ("Transformer 模型", "zh-Hans")
            ),
            concept("model", ("model", "en"), ("模型", "zh-Hans")),
            concept("faster-r-cnn", ("Faster R-CNN", "en"), ("Faster R-CNN", "zh-Hans")),
            concept("cnn", ("CNN", "en"), ("CNN", "zh-Hans")),
            concept("network", ("network", "en"), ("网络", "zh-Hans"), ("網路", "zh-Hant")),
        ]
    )
    source = "这个Transformer 模型和那个模型，Faster R-CNN 与 R-CNN"
    assert found(checker, source, "zh-Hans") == [
        ("transformer-model", "Transformer 模型"),
        ("model", "模型"),
        ("faster-r-cnn", "Faster R-CNN"),
        ("cnn", "CNN"),
    ]
    source = "這個Transformer 模型與網路和网络"
    assert [
        (occurrence.concept.uid, occurrence.match) for occurrence in checker.find(source, "zh-Hant")
    ] == [("transformer-model", "folded"), ("network", "exact"), ("network", "folded")]
    source = "the Transformer model, a model, Faster R-CNN and R-CNN's CNN"
    assert found(checker, source, "en") == [
        ("transformer-model", "Transformer model"),
        ("model", "model"),
        ("faster-r-cnn", "Faster R-CNN"),
        ("cnn", "CNN's"),
        ("cnn", "CNN"),
    ]


def test_find_can_keep_only_some_statuses_and_still_weighs_every_match() -> None:
    checker = TermChecker(
        [
            concept(
                "feature", ("feature", "en"), ("特征", "zh-Hans"), ("特性", "zh-Hans", "deprecated")
            ),
            concept("eigenvalue", ("eigenvalue", "en"), ("特征值", "zh-Hans")),
        ]
    )
    sentence = "特征值不是特性，也不是特征。"
    every = [(o.concept.uid, o.term.text) for o in checker.find(sentence, "zh-Hans")]
    assert every == [("eigenvalue", "特征值"), ("feature", "特性"), ("feature", "特征")]
    flagged = checker.find(sentence, "zh-Hans", statuses=frozenset({"deprecated"}))
    # 特征 inside 特征值 is still not a match: the longer term was weighed, then left out.
    assert [(o.concept.uid, o.term.text, o.start) for o in flagged] == [("feature", "特性", 5)]
