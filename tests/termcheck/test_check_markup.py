"""Marked-up texts (Markdown, HTML, XLIFF inline codes): the text checked, and offsets into the original."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from glossary.language import segmentation
from glossary.termcheck.engine import (
    GlossaryConcept,
    GlossaryTerm,
    MarkupError,
    TermChecker,
    extract,
    restore,
)


@pytest.fixture(scope="module", autouse=True)
def _jieba_once() -> None:
    segmentation._base_tokenizer()


@pytest.fixture(autouse=True)
def _restore_user_terms() -> Iterator[None]:
    saved = segmentation._jieba_state.loaded
    yield
    segmentation._jieba_state.loaded = saved


def concept(uid: str, *terms: tuple[str, str] | tuple[str, str, str]) -> GlossaryConcept:
    return GlossaryConcept(uid=uid, terms=tuple(GlossaryTerm(*term) for term in terms))


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
