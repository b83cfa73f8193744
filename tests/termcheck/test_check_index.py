"""The published glossary as the term check sees it (glossary.termcheck.index): database tests."""

from __future__ import annotations

import random
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from glossary import language as text
from glossary.core import services
from glossary.core.models import Concept, TermIndexEntry
from glossary.core.services import DraftData
from glossary.language import segmentation
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
            check.GlossaryTerm("bias", "en", "preferred", "noun"),
            check.GlossaryTerm("偏差", "zh-Hans", "preferred", "noun"),
            check.GlossaryTerm("偏置", "zh-Hans", "superseded", "noun"),
            check.GlossaryTerm("偏差", "zh-Hant", "preferred", "noun"),
        ),
        retired=False,
    )


def fresh_checker() -> check.TermChecker:
    """A checker built from every term index row, as a worker starting now builds it."""
    return check.TermChecker(terms_index.load_concepts(), key="fresh")


def same_findings(checker: check.TermChecker, texts: list[tuple]) -> None:
    fresh = fresh_checker()
    for args in texts:
        assert replace(checker.check(*args), glossary="") == replace(
            fresh.check(*args), glossary=""
        ), args


@pytest.mark.django_db
def test_the_first_check_after_a_publication_reads_only_the_changed_concepts(
    editor, reviewers, monkeypatch, django_assert_num_queries
) -> None:
    for number in range(12):
        publish(
            editor, reviewers, f"concept-{number}", concept_data(f"term {number}", f"术语{number}")
        )
    version = publish(
        editor, reviewers, "neural-network", concept_data("neural network", "神经网络")
    )
    terms_index.warm_up()
    checker = terms_index.current_checker()
    builds = segmentation._user_terms_builds()
    read: list[int] = []
    load = terms_index.load_concepts

    def counted(**kwargs):
        concepts = load(**kwargs)
        read.append(len(concepts))
        return concepts

    monkeypatch.setattr(terms_index, "load_concepts", counted)
    # A new concept and a new version of another: two rows, in one query beside the stamp's.
    publish(editor, reviewers, "deep-learning", concept_data("deep learning", "深度学习"))
    republish(
        version.concept,
        editor,
        reviewers,
        concept_data("neural network", "神经网络", "", ("zh-Hans", "神经元网络", "deprecated")),
    )
    with django_assert_num_queries(2):
        result = service.check(
            "deep learning in a neural network", "en", "神经元网络的深度学习", "zh-Hans"
        )
    assert read == [2]
    assert uids(result) == [("deep-learning", "preferred"), ("neural-network", "deprecated")]
    # Updated in place: the same checker, and jieba's dictionary changed, not loaded again.
    assert terms_index.current_checker() is checker
    assert segmentation._user_terms_builds() == builds
    assert text.user_terms_key() == checker.key == result.glossary
    assert text.Token("神经元网络", 0, 5) in text.segment("神经元网络的深度学习")
    with django_assert_num_queries(1):
        service.check("deep learning", "en")
    assert read == [2]
    same_findings(checker, [("deep learning in a neural network", "en", "神经元网络", "zh-Hans")])


@pytest.mark.django_db
def test_superseded_and_retired_terms_leave_the_index(editor, reviewers, administrator) -> None:
    version = publish(
        editor, reviewers, "neural-network", concept_data("neural network", "神经网络")
    )
    expert = publish(editor, reviewers, "expert-system", concept_data("expert system", "专家系统"))
    terms_index.warm_up()
    checker = terms_index.current_checker()
    republish(version.concept, editor, reviewers, concept_data("neural net", "神经网"))
    retirement = services.concept_retire(
        concept=expert.concept, user=administrator, reason="Merged into knowledge-based system."
    )
    for reviewer in reviewers:
        services.version_approve(version=retirement, user=reviewer)
    assert uids(service.check("a neural network", "en", "神经网络", "zh-Hans")) == []
    assert uids(service.check("a neural net", "en", "神经网", "zh-Hans")) == [
        ("neural-network", "preferred")
    ]
    # The retired concept counts only as retired, never as a term to use.
    assert uids(service.check("An expert system.", "en", "专家系统。", "zh-Hans")) == [
        ("expert-system", "retired")
    ]
    assert terms_index.current_checker() is checker
    assert "神经网络" not in checker.chinese_terms
    same_findings(
        checker,
        [
            ("a neural network, a neural net", "en", "神经网络和神经网", "zh-Hans"),
            ("An expert system.", "en", "专家系统。", "zh-Hans"),
        ],
    )


@pytest.mark.django_db
def test_after_random_publications_the_index_is_what_a_fresh_build_makes(
    editor, reviewers, administrator
) -> None:
    rng = random.Random(16)
    words = ["neural", "network", "deep", "learning", "model", "feature"]
    chinese = ["神经", "网络", "深度", "学习", "模型", "特征"]
    texts = [
        (
            "a deep neural network model learning features",
            "en",
            "深度神经网络模型学习特征",
            "zh-Hans",
        ),
        ("深度学习的特征模型", "zh-Hans"),
        ("neural learning, deep network", "en"),
    ]
    published: dict[str, Concept] = {}
    terms_index.warm_up()
    checker = terms_index.current_checker()
    for step in range(14):
        en = " ".join(rng.sample(words, 2))
        zh = "".join(rng.sample(chinese, 2))
        extra = ("en", rng.choice(words), rng.choice(["admitted", "deprecated", "superseded"]))
        uid = f"concept-{rng.randint(0, 5)}"
        concept = published.get(uid)
        if concept is None:
            published[uid] = publish(
                editor, reviewers, uid, concept_data(en, zh, "", extra)
            ).concept
        elif rng.random() < 0.25:
            retirement = services.concept_retire(
                concept=concept, user=administrator, reason="Gone."
            )
            for reviewer in reviewers:
                services.version_approve(version=retirement, user=reviewer)
            del published[uid]
        else:
            republish(concept, editor, reviewers, concept_data(en, zh, "", extra))
        assert terms_index.current_checker() is checker, step
        same_findings(checker, texts)


@pytest.mark.django_db
def test_rebuilt_index_rows_reach_every_worker(
    editor, reviewers, django_assert_num_queries
) -> None:
    publish(editor, reviewers, "generative-ai", concept_data("generative AI", "生成式人工智能"))
    # Rows gone wrong (say, written by an older version of the code) when the worker started.
    TermIndexEntry.objects.all().update(terms=[["GenAI", "en", "preferred"]])
    terms_index.warm_up()
    checker = terms_index.current_checker()
    assert uids(service.check("GenAI", "en", "生成式人工智能", "zh-Hans")) == [
        ("generative-ai", "missing")
    ]
    call_command("rebuild_derived", "--only", "terms", stdout=StringIO())
    with django_assert_num_queries(2):
        result = service.check("generative AI", "en", "生成式人工智能", "zh-Hans")
    assert uids(result) == [("generative-ai", "preferred")]
    assert terms_index.current_checker() is checker


@pytest.mark.django_db
def test_a_worker_builds_its_index_when_it_starts_not_in_a_request(
    editor, reviewers, django_assert_num_queries
) -> None:
    publish(editor, reviewers, "generative-ai", concept_data("generative AI", "生成式人工智能"))
    terms_index.warm_up()
    builds = segmentation._user_terms_builds()
    # The first request: the stamp's lookup, and neither the index nor jieba built again.
    with django_assert_num_queries(1):
        result = service.check("生成式人工智能", "zh-Hans", "generative AI", "en")
    assert uids(result) == [("generative-ai", "preferred")]
    assert segmentation._user_terms_builds() == builds


@pytest.mark.django_db
def test_a_worker_starting_before_the_migrations_says_so_and_serves(monkeypatch, caplog) -> None:
    def missing(**kwargs):
        raise DatabaseError('no such table: "glossary_termindexentry"')

    monkeypatch.setattr(terms_index, "load_concepts", missing)
    terms_index.warm_up()
    assert "The term index was not loaded at start-up" in caplog.text
    assert terms_index._built is None


@pytest.mark.django_db
def test_a_terms_part_of_speech_reaches_the_check(editor, reviewers) -> None:
    verb = concept_data("classify", "分类", "分類")
    verb.terms[0] = replace(verb.terms[0], part_of_speech="verb")
    publish(editor, reviewers, "classify", verb)
    publish(editor, reviewers, "label", concept_data("label", "标签", "標籤"))
    text_checked = "We labelled and classified the labels."
    found = [
        (occurrence.concept.uid, text_checked[occurrence.start : occurrence.end])
        for occurrence in fresh_checker().find(text_checked, "en")
    ]
    assert found == [("classify", "classified"), ("label", "labels")]
    # A row written before terms carried a part of speech reads as a noun.
    TermIndexEntry.objects.filter(uid="classify").update(terms=[["classify", "en", "preferred"]])
    assert [o.concept.uid for o in fresh_checker().find(text_checked, "en")] == ["label"]
