"""Everyday words as deprecated terms (``in_sense_only``), and the one language detector."""

from __future__ import annotations

import json

import pytest

from glossary.core.choices import Language, TermStatus
from glossary.core.models import TermIndexEntry
from glossary.core.services import TermData
from glossary.language.detect import detect
from glossary.site.presentation import guess_language
from glossary.termcheck import index as terms_index
from glossary.termcheck.engine import GlossaryConcept, GlossaryTerm, TermChecker, resolve_languages
from tests.factories import concept_data, publish

TOKEN = GlossaryConcept(
    uid="token",
    terms=(
        GlossaryTerm("token", "en"),
        GlossaryTerm("词元", "zh-Hans"),
        GlossaryTerm("令牌", "zh-Hans", "deprecated", in_sense_only=True),
        GlossaryTerm("标记", "zh-Hans", "deprecated", in_sense_only=True),
        GlossaryTerm("代币", "zh-Hans", "deprecated", in_sense_only=True),
        # Not an everyday word: flagged wherever it occurs.
        GlossaryTerm("记号单元", "zh-Hans", "deprecated"),
    ),
)


pytestmark = pytest.mark.usefixtures("_jieba_once", "_restore_user_terms")
MODEL = GlossaryConcept(
    uid="model",
    terms=(GlossaryTerm("model", "en"), GlossaryTerm("模型", "zh-Hans")),
)


@pytest.fixture(scope="module")
def checker() -> TermChecker:
    return TermChecker([TOKEN, MODEL])


def verdicts(result) -> list[tuple[str, str]]:
    return [(finding.concept, finding.verdict) for finding in result.findings]


@pytest.mark.parametrize("word", ["标记", "令牌", "代币"])
def test_an_everyday_word_alone_is_not_reported(checker, word) -> None:
    # Ordinary Chinese: mark the answer, an access token, a crypto token.
    text = f"请用{word}把模型的答案圈出来。"
    assert checker.check(text, "zh-Hans").findings == ()


def test_a_deprecated_term_that_is_no_everyday_word_still_is(checker) -> None:
    result = checker.check("模型把文本切成记号单元。", "zh-Hans")
    assert verdicts(result) == [("token", "deprecated")]
    assert result.findings[0].replacement == "词元"


@pytest.mark.parametrize("word", ["标记", "令牌", "代币"])
def test_an_everyday_word_is_reported_where_the_source_names_its_concept(checker, word) -> None:
    result = checker.check(
        "The model reads one token at a time.", "en", f"模型一次读一个{word}。", "zh-Hans"
    )
    assert verdicts(result) == [("model", "preferred"), ("token", "deprecated")]
    (span,) = result.findings[1].target
    assert (span.text, span.replacement) == (word, "词元")


def test_an_everyday_word_is_not_reported_where_the_source_does_not_name_its_concept(
    checker,
) -> None:
    result = checker.check("Mark the model's answer.", "en", "标记模型的答案。", "zh-Hans")
    assert verdicts(result) == [("model", "preferred")]
    assert result.target == tuple(result.findings[0].target)


def test_an_everyday_word_in_a_chinese_source_names_no_concept(checker) -> None:
    # Translating from Chinese: 标记 in the source is the word "mark", not the concept token.
    result = checker.check("标记模型的答案。", "zh-Hans", "Mark the model's answer.", "en")
    assert verdicts(result) == [("model", "preferred")]
    assert [span.text for span in result.source] == ["模型"]


# --- Carried from the term to the check ------------------------------------------------------


@pytest.mark.django_db
def test_the_flag_travels_from_the_term_through_the_index_to_the_api(
    client, editor, reviewer_us, reviewer_cn, fresh_check_index
) -> None:
    data = concept_data("token", "词元")
    data.terms.append(
        TermData(
            language=Language.ZH_HANS,
            text="标记",
            status=TermStatus.DEPRECATED,
            in_sense_only=True,
        )
    )
    data.terms.append(
        TermData(language=Language.ZH_HANS, text="令牌", status=TermStatus.DEPRECATED)
    )
    publish(editor, [reviewer_us, reviewer_cn], "token", data)
    row = TermIndexEntry.objects.get(uid="token")
    assert sorted(row.terms) == sorted(
        [
            ["token", "en", "preferred", "noun"],
            ["词元", "zh-Hans", "preferred", "noun"],
            ["标记", "zh-Hans", "deprecated", "noun", 1],
            ["令牌", "zh-Hans", "deprecated", "noun"],
        ]
    )
    (concept,) = terms_index.load_concepts()
    assert {term.text: term.in_sense_only for term in concept.terms} == {
        "token": False,
        "词元": False,
        "标记": True,
        "令牌": False,
    }

    def check(body: dict) -> dict:
        response = client.post("/api/v1/check/", json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

    # Alone, the everyday word is not reported; the other deprecated term is.
    alone = check({"source": "请标记出令牌。", "source_language": "zh-Hans"})
    assert [o["text"] for o in alone["occurrences"]["source"]] == ["令牌"]
    paired = check(
        {"source": "Split into tokens.", "target": "切分成标记。", "target_language": "zh-Hans"}
    )
    assert [(f["concept"], f["verdict"]) for f in paired["findings"]] == [("token", "deprecated")]
    version = concept_version_payload(client)
    assert {t["text"]: t["in_sense_only"] for t in version["terms"] if t["language"] != "en"} == {
        "词元": False,
        "标记": True,
        "令牌": False,
    }

    # The concept's page says so beside the term, once.
    page = client.get("/en/concepts/token/").content.decode()
    assert page.count("flag only where its concept is meant") == 1


def concept_version_payload(client) -> dict:
    response = client.get("/api/v1/concepts/token/")
    assert response.status_code == 200
    return response.json()


# --- One language detector -----------------------------------------------------------------


def test_an_english_frame_around_a_chinese_term_is_english_everywhere(checker) -> None:
    text = "the term 人工智能"
    assert detect(text) == "en"
    assert guess_language(text) == "en"
    assert resolve_languages(text, None) == ("en", None)
    # Declared English, it is checked as English, not refused as a mismatch.
    assert checker.check(text, "en").findings == ()
    result = checker.check("the term 模型 is a model", "en", "术语“模型”就是模型", "zh-Hans")
    assert verdicts(result) == [("model", "preferred")]


def test_the_site_and_the_check_read_a_chinese_frame_alike(checker) -> None:
    text = "Transformer 架构"
    assert detect(text) == guess_language(text) == "zh-Hans"
    assert resolve_languages(text, None) == ("zh-Hans", None)
    assert resolve_languages("The Transformer architecture", None, text, None) == ("en", "zh-Hans")
