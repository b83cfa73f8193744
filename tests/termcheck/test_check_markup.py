"""Marked-up texts (Markdown, HTML, XLIFF inline codes): the text checked, and offsets into the original."""

from __future__ import annotations

import json

import pytest

from glossary.termcheck.engine import (
    MarkupError,
    TermChecker,
    extract,
    restore,
)
from tests.termcheck.conftest import concept

pytestmark = pytest.mark.usefixtures("_jieba_once", "_restore_user_terms")


GLOSSARY = [
    concept(
        "estimator", ("estimator", "en"), ("估计器", "zh-Hans"), ("估计量", "zh-Hans", "deprecated")
    ),
    concept("hyperparameter", ("hyperparameter", "en"), ("超参数", "zh-Hans")),
    concept("model", ("model", "en"), ("模型", "zh-Hans"), ("模式", "zh-Hans", "deprecated")),
    concept("training", ("training", "en"), ("训练", "zh-Hans"), ("定型", "zh-Hans", "deprecated")),
    concept("data", ("data", "en"), ("数据", "zh-Hans")),
]


@pytest.fixture(scope="module")
def checker() -> TermChecker:
    return TermChecker(GLOSSARY)


def check(
    checker: TermChecker, source: str, sl: str, target: str | None, tl: str | None, markup: str
):
    """Check through the markup, as the service does."""
    checked_source = extract(source, markup)
    checked_target = extract(target, markup) if target is not None else None
    result = checker.check(
        checked_source.text, sl, checked_target.text if checked_target else None, tl
    )
    return restore(result, checked_source, checked_target)


def places(spans, original: str) -> list[tuple[str, int, int, str]]:
    """(concept, start, end, text) of each span; the text must be the original's at the offsets."""
    for span in spans:
        assert original[span.start : span.end] == span.text
    return [(span.concept, span.start, span.end, span.text) for span in spans]


# --- What is extracted, and where it came from ---------------------------------------------


@pytest.mark.parametrize(
    ("markup", "original", "text"),
    [
        (
            "markdown",
            "An *estimator* and **Hyper**parameters.",
            "An estimator and Hyperparameters.",
        ),
        ("markdown", 'Use _the_ [model](https://example.com/model "model").', "Use the model."),
        ("markdown", "`model` and\n\n```\nmodel\n```\ndone", " and\n\ndone"),
        (
            "markdown",
            "# Model *training*\n\n- a \\*model\\* &amp; data",
            "Model training\n\na *model* & data",
        ),
        ("markdown", "![model](model.png) <https://model.example> <b>data</b>", "  data"),
        ("markdown", "| a | b |\n|---|---|\n| model | *data* |", "a\n\nb\n\nmodel\n\ndata"),
        (
            "html",
            "<p>The <b>model</b> &amp; its&nbsp;data</p><pre>model</pre>",
            "The model & its\xa0data\n",
        ),
        ("html", "<code>model</code> x&#35;y &#x4e2d;", " x#y 中"),
        ("xliff", '<g id="1">训练</g>数据<x id="2"/>模型', "训练数据模型"),
        (
            "xliff",
            'A <ph id="1">{0}</ph><bpt id="2">&lt;b&gt;</bpt>model<ept id="2">&lt;/b&gt;</ept>',
            "A model",
        ),
        ("xliff", '<pc id="1">训练</pc><sc id="2"/>数据<ec startRef="2"/> &lt; 5', "训练数据 < 5"),
        ("plain", "*model* <b>", "*model* <b>"),
    ],
)
def test_extracted_text_maps_back_to_the_original(markup: str, original: str, text: str) -> None:
    extracted = extract(original, markup)
    assert extracted.text == text
    if extracted.starts is None:
        return
    assert len(extracted.starts) == len(extracted.ends) == len(text)
    for index, char in enumerate(text):
        start, end = extracted.starts[index], extracted.ends[index]
        if end - start == 1:
            # A character as written stands where it was written.
            assert original[start] == char
        else:
            assert end == start or original[start] in "&\\"


def test_a_malformed_xliff_segment_is_refused() -> None:
    with pytest.raises(MarkupError, match="not well-formed XLIFF"):
        extract('<g id="1">训练数据', "xliff")
    with pytest.raises(MarkupError):
        extract("a < b", "xliff")
    with pytest.raises(ValueError, match="unknown format"):
        extract("text", "rtf")


# --- Findings point into the original ------------------------------------------------------


def test_terms_in_markdown_emphasis_are_found_where_written(checker) -> None:
    source = "Tune the *estimator* and its **Hyperparameters** before `model.fit`."
    target = "调整*估计器*及其**超参数**。"
    result = check(checker, source, "en", target, "zh-Hans", "markdown")
    assert places(result.source, source) == [
        ("estimator", 10, 19, "estimator"),
        ("hyperparameter", 31, 46, "Hyperparameters"),
    ]
    assert [(f.concept, f.verdict) for f in result.findings] == [
        ("estimator", "preferred"),
        ("hyperparameter", "preferred"),
    ]
    assert places(result.target, target) == [
        ("estimator", 3, 6, "估计器"),
        ("hyperparameter", 11, 14, "超参数"),
    ]


def test_read_as_plain_text_markdown_hides_terms(checker) -> None:
    # The reason for the format: as plain text, a word glued to ** or * is another word.
    source = "The **model** and the *estimator*."
    assert check(checker, source, "en", "**模型**和*估计器*。", "zh-Hans", "plain").findings == ()
    result = check(checker, source, "en", "**模型**和*估计器*。", "zh-Hans", "markdown")
    assert places(result.source, source) == [
        ("model", 6, 11, "model"),
        ("estimator", 23, 32, "estimator"),
    ]


def test_a_term_split_by_emphasis_inside_a_word(checker) -> None:
    source = "**Hyper**parameters matter."
    result = check(checker, source, "en", "超参数很重要。", "zh-Hans", "markdown")
    # The occurrence runs from the word's first letter to its last, markup included.
    assert places(result.source, source) == [
        ("hyperparameter", 2, 19, "Hyper**parameters"),
    ]


def test_a_term_in_html_tags(checker) -> None:
    source = "<p>The <b>model</b> &amp; the <code>model</code></p>"
    target = "<p><b>模式</b>与<code>model</code></p>"
    result = check(checker, source, "en", target, "zh-Hans", "html")
    assert places(result.source, source) == [("model", 10, 15, "model")]
    assert places(result.target, target) == [("model", 6, 8, "模式")]
    assert [(f.concept, f.verdict, f.replacement) for f in result.findings] == [
        ("model", "deprecated", "模型"),
    ]


def test_a_term_in_xliff_inline_codes(checker) -> None:
    source = 'The <g id="1">training</g> data<x id="2"/>.'
    target = '<g id="1">训练</g>数据<x id="2"/>。'
    result = check(checker, source, "en", target, "zh-Hans", "xliff")
    assert places(result.source, source) == [
        ("training", 14, 22, "training"),
        ("data", 27, 31, "data"),
    ]
    assert places(result.target, target) == [
        ("training", 10, 12, "训练"),
        ("data", 16, 18, "数据"),
    ]
    assert {f.verdict for f in result.findings} == {"preferred"}


def test_a_single_xliff_text_reports_its_deprecated_term_in_place(checker) -> None:
    source = '<bpt id="1">&lt;b&gt;</bpt>定型<ept id="1">&lt;/b&gt;</ept>数据'
    result = check(checker, source, "zh-Hans", None, None, "xliff")
    assert places(result.source, source) == [("training", 27, 29, "定型")]
    assert result.findings[0].replacement == "训练"


# --- The page, the API and the command take the format ---------------------------------------


@pytest.fixture
def published(editor, reviewer_us, reviewer_cn, fresh_check_index):
    from tests.factories import concept_data, publish

    reviewers = [reviewer_us, reviewer_cn]
    publish(
        editor,
        reviewers,
        "model",
        concept_data("model", "模型", "模型", ("zh-Hans", "模式", "deprecated")),
    )
    publish(editor, reviewers, "training", concept_data("training", "训练", "訓練"))


def post_api(client, body: dict):
    return client.post("/api/v1/check/", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_the_api_checks_markdown_and_answers_offsets_into_the_text_sent(client, published) -> None:
    body = {
        "source": "The **model** needs `training`.",
        "target": "**模式**需要`training`。",
        "markup": "markdown",
    }
    answer = post_api(client, body).json()
    assert (answer["source_language"], answer["target_language"]) == ("en", "zh-Hans")
    assert [(f["concept"], f["verdict"]) for f in answer["findings"]] == [("model", "deprecated")]
    assert [(o["start"], o["end"], o["text"]) for o in answer["occurrences"]["source"]] == [
        (6, 11, "model")
    ]
    assert [(o["start"], o["end"], o["text"]) for o in answer["occurrences"]["target"]] == [
        (2, 4, "模式")
    ]
    # Plain by default: the same text finds nothing glued to the asterisks.
    del body["markup"]
    assert post_api(client, body).json()["findings"] == []


@pytest.mark.django_db
def test_the_api_refuses_a_malformed_xliff_segment_and_an_unknown_format(client, published) -> None:
    response = post_api(client, {"source": '<g id="1">训练', "markup": "xliff"})
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert "not well-formed XLIFF" in error["errors"]["source"][0]
    response = post_api(client, {"source": "training", "markup": "rtf"})
    assert response.status_code == 400
    assert "markup" in response.json()["errors"]


@pytest.mark.django_db
def test_an_xliff_segment_is_read_as_chinese_without_its_codes(client, published) -> None:
    # With its tags, the segment has more Latin words (g, id, x) than Chinese characters.
    answer = post_api(
        client,
        {
            "source": '<g id="1">training</g> the <x id="2"/>model',
            "target": '<g id="1">训练</g><x id="2"/>模型',
            "markup": "xliff",
        },
    ).json()
    assert answer["target_language"] == "zh-Hans"
    assert [(f["concept"], f["verdict"]) for f in answer["findings"]] == [
        ("training", "preferred"),
        ("model", "preferred"),
    ]
    assert [(o["start"], o["text"]) for o in answer["occurrences"]["target"]] == [
        (10, "训练"),
        (27, "模型"),
    ]


@pytest.mark.django_db
def test_the_page_marks_terms_in_the_html_as_written(client, published) -> None:
    response = client.post(
        "/en/check/",
        {
            "markup": "html",
            "source_language": "",
            "target_language": "",
            "source": "<p>The <b>model</b></p>",
            "target": "<p><i>模式</i></p>",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    source = html.split('<div class="check-text" lang="en">', 1)[1].split("</div>", 1)[0]
    assert source == (
        "&lt;p&gt;The &lt;b&gt;"
        '<mark class="term-check verdict-deprecated" id="source-finding-1" '
        'title="Deprecated term used"><a href="#finding-1">model</a></mark>'
        "&lt;/b&gt;&lt;/p&gt;"
    )
    response = client.post("/en/check/", {"markup": "xliff", "source": "<g>model", "target": ""})
    assert response.status_code == 400
    assert "not well-formed XLIFF" in response.content.decode()


@pytest.mark.django_db
def test_the_command_takes_the_markup(tmp_path, published) -> None:
    import io

    from django.core.management import CommandError, call_command

    source = tmp_path / "en.md"
    source.write_text("The *model* is in **training**.\n", encoding="utf-8")
    target = tmp_path / "zh.md"
    target.write_text("*模式*正在**训练**。\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command(
            "check_terms",
            "--source",
            str(source),
            "--target",
            str(target),
            "--markup",
            "markdown",
            stdout=out,
            no_color=True,
        )
    assert exit_status.value.code == 1
    assert out.getvalue().splitlines()[:2] == [
        "5-10 'model' [model] deprecated; expected '模型', found '模式'; use '模型'",
        "20-28 'training' [training] preferred; expected '训练', found '训练'",
    ]
    broken = tmp_path / "broken.xlf"
    broken.write_text('<g id="1">model', encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("check_terms", "--source", str(broken), "--markup", "xliff")
    assert refused.value.returncode == 2
    assert "not well-formed XLIFF" in str(refused.value)
