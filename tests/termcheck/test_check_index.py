"""The published glossary as the term check sees it (glossary.termcheck.index): database tests."""

from __future__ import annotations

import pytest

from glossary import language as text
from glossary.core import services
from glossary.core.models import Concept
from glossary.core.services import DraftData
from glossary.termcheck import engine as check
from glossary.termcheck import index as terms_index
from glossary.termcheck import service
from tests import factories
from tests.factories import concept_data, publish

pytestmark = pytest.mark.usefixtures("fresh_check_index")


def republish(concept: Concept, editor, reviewers, data: DraftData):
    """Publish a new version of a concept with this content."""
    draft = services.draft_start(concept=concept, user=editor)
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def reviewers(reviewer_us, reviewer_cn):
    return [reviewer_us, reviewer_cn]


def uids(result: check.CheckResult) -> list[tuple[str, str]]:
    return [(f.concept, f.verdict) for f in result.findings]


@pytest.mark.django_db(transaction=True)
def test_a_publication_rebuilds_the_checker_and_the_jieba_dictionary(editor, reviewers) -> None:
    publish(editor, reviewers, "generative-ai", concept_data("generative AI", "生成式人工智能"))
    result = service.check("生成式人工智能与大语言模型", "zh-Hans", "generative AI and LLMs", "en")
    assert uids(result) == [("generative-ai", "preferred")]
    first_key = result.glossary
    assert text.user_terms_key() == first_key

    publish(
        editor,
        reviewers,
        "large-language-model",
        concept_data(
            "large language model", "大语言模型", "大型語言模型", ("en", "LLM", "admitted")
        ),
    )
    result = service.check("生成式人工智能与大语言模型", "zh-Hans", "generative AI and LLMs", "en")
    assert uids(result) == [("generative-ai", "preferred"), ("large-language-model", "admitted")]
    assert result.glossary != first_key
    # The new term is one token of jieba's user dictionary, loaded under the new key.
    assert text.user_terms_key() == result.glossary
    assert text.Token("大语言模型", 8, 13) in text.segment("生成式人工智能与大语言模型")


@pytest.mark.django_db
def test_a_new_version_replaces_the_old_terms(editor, reviewers) -> None:
    version = publish(
        editor, reviewers, "neural-network", concept_data("neural network", "神经网络")
    )
    assert uids(service.check("a neural net", "en", "神经元网络", "zh-Hans")) == []
    key = terms_index.publication_key()
    republish(
        version.concept,
        editor,
        reviewers,
        concept_data(
            "neural network",
            "神经网络",
            "神經網路",
            ("en", "neural net", "deprecated"),
            ("zh-Hans", "神经元网络", "deprecated"),
        ),
    )
    # The same number of public versions, but a later publication.
    assert terms_index.publication_key() != key
    result = service.check("a neural net", "en", "神经元网络", "zh-Hans")
    assert uids(result) == [("neural-network", "deprecated")]
    assert [span.replacement for span in result.findings[0].source] == ["neural network"]
    assert result.findings[0].replacement == "神经网络"


@pytest.mark.django_db
def test_drafts_and_versions_in_review_are_invisible(editor, reviewers, reviewer_us) -> None:
    factories.make_draft(editor, "frontier-ai", concept_data("frontier AI", "前沿人工智能"))
    in_review = factories.make_draft(editor, "agent", concept_data("AI agent", "智能体"))
    services.version_submit(version=in_review, user=editor)
    services.version_approve(version=in_review, user=reviewer_us)
    published = publish(editor, reviewers, "model", concept_data("model", "模型"))
    draft = services.draft_start(concept=published.concept, user=editor)
    services.draft_update(
        version=draft,
        user=editor,
        data=concept_data("model", "模型", "", ("en", "foundation model", "admitted")),
        expected_revision=draft.revision,
    )
    result = service.check("Frontier AI, an AI agent, a foundation model.", "en")
    assert result.findings == ()
    result = service.check(
        "Frontier AI, an AI agent, a foundation model.",
        "en",
        "前沿人工智能、智能体、基础模型",
        "zh-Hans",
    )
    # 模型 is one token of 基础模型 in jieba's segmentation: the preferred term is used.
    assert uids(result) == [("model", "preferred")]
    assert [span.text for span in result.findings[0].source] == ["model"]


@pytest.mark.django_db
def test_retired_concepts_are_reported_as_retired(editor, reviewers, administrator) -> None:
    version = publish(editor, reviewers, "expert-system", concept_data("expert system", "专家系统"))
    retirement = services.concept_retire(
        concept=version.concept, user=administrator, reason="Merged into knowledge-based system."
    )
    for reviewer in reviewers:
        services.version_approve(version=retirement, user=reviewer)
    result = service.check("An expert system.", "en", "一个专家系统。", "zh-Hans")
    (finding,) = result.findings
    assert (finding.concept, finding.verdict, finding.expected) == (
        "expert-system",
        "retired",
        None,
    )
    assert not result.problems


@pytest.mark.django_db
def test_the_checker_costs_one_query_until_something_is_published(
    editor, reviewers, django_assert_num_queries
) -> None:
    publish(editor, reviewers, "generative-ai", concept_data("generative AI", "生成式人工智能"))
    # Building: the publication key, then the public versions' terms with their concepts.
    with django_assert_num_queries(2):
        terms_index.current_checker()
    with django_assert_num_queries(1):
        terms_index.current_checker()
    for number in range(5):
        publish(
            editor, reviewers, f"concept-{number}", concept_data(f"term {number}", f"术语{number}")
        )
    with django_assert_num_queries(2):
        checker = terms_index.current_checker()
    assert len(checker.concepts) == 6
    with django_assert_num_queries(1):
        assert uids(service.check("term 3 and generative AI", "en")) == []
    with django_assert_num_queries(1):
        assert terms_index.ensure_user_dictionary() == checker.key
    assert text.user_terms_key() == checker.key


@pytest.mark.django_db
def test_load_concepts_reads_every_status(editor, reviewers) -> None:
    publish(
        editor,
        reviewers,
        "bias",
        concept_data("bias", "偏差", "偏差", ("zh-Hans", "偏置", "superseded")),
    )
    (loaded,) = terms_index.load_concepts()
    assert loaded == check.GlossaryConcept(
        uid="bias",
        terms=(
            check.GlossaryTerm("bias", "en", "preferred"),
            check.GlossaryTerm("偏差", "zh-Hans", "preferred"),
            check.GlossaryTerm("偏置", "zh-Hans", "superseded"),
            check.GlossaryTerm("偏差", "zh-Hant", "preferred"),
        ),
        retired=False,
    )
