"""glossary.search.ranking: right in every script, grouped by concept, published only, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.core import services
from glossary.core.choices import Language, TermStatus, TermType
from glossary.core.models import Concept
from glossary.core.services import DraftData, TermData
from glossary.search.ranking import SearchHit, search
from tests import factories

pytestmark = pytest.mark.django_db


def concept_data(en, zh_hans, zh_hant, *extra_terms, definition_en=None):
    data = factories.complete_data(en=en, zh_hans=zh_hans, zh_hant=zh_hant)
    if definition_en is not None:
        data.texts["definition_en"] = definition_en
    data.terms.extend(extra_terms)
    return data


@pytest.fixture
def reviewers(reviewer_us, reviewer_cn):
    return [reviewer_us, reviewer_cn]


@pytest.fixture
def glossary(editor, reviewers):
    """generative AI, artificial intelligence (with a deprecated term), machine learning."""
    factories.make_published(editor, reviewers)  # generative-ai
    factories.make_published(
        editor,
        reviewers,
        uid="artificial-intelligence",
        data=concept_data(
            "artificial intelligence",
            "人工智能",
            "人工智慧",
            TermData(
                language=Language.EN,
                text="AI",
                status=TermStatus.ADMITTED,
                term_type=TermType.ACRONYM,
            ),
            TermData(language=Language.ZH_HANS, text="电脑智能", status=TermStatus.DEPRECATED),
            definition_en="The field of making machines perform tasks that need intelligence.",
        ),
    )
    factories.make_published(
        editor,
        reviewers,
        uid="machine-learning",
        data=concept_data(
            "machine learning",
            "机器学习",
            "機器學習",
            definition_en="Methods by which systems improve with data, without explicit rules.",
        ),
    )


def uids(hits):
    return [hit.uid for hit in hits]


@pytest.mark.parametrize(
    "query",
    [
        "generative AI",
        "Generative-AI",
        "generative ai",
        "GENERATIVE AI",
        "generative AIs",
        "ｇｅｎｅｒａｔｉｖｅ ＡＩ",
        "生成式人工智能",
        "生成式人工智慧",
        "  generative   AI ",
    ],
)
def test_every_spelling_and_script_finds_the_concept_first(glossary, query):
    hits = search(query)
    assert uids(hits)[0] == "generative-ai"
    assert hits[0].match == "preferred"


def test_traditional_input_finds_the_simplified_term(glossary):
    hits = search("人工智慧")
    assert uids(hits)[0] == "artificial-intelligence"
    assert hits[0].match == "preferred"
    assert hits[0].preferred_zh_hans == "人工智能"
    assert hits[0].preferred_zh_hant == "人工智慧"
    assert hits[0].preferred_en == "artificial intelligence"


def test_results_are_grouped_by_concept(glossary):
    # 生成式人工智能 is both the zh-Hans and (folded) the zh-Hant term: one hit, not two.
    hits = search("生成式人工智能")
    assert uids(hits).count("generative-ai") == 1


def test_exact_beats_prefix_beats_contains(glossary):
    hits = search("人工智能")
    # Exact for artificial intelligence; 生成式人工智能 only contains it.
    assert uids(hits) == ["artificial-intelligence", "generative-ai"]
    assert [hit.match for hit in hits] == ["preferred", "contains"]


def test_prefix_match(glossary):
    hits = search("machine learn")
    assert uids(hits) == ["machine-learning"]
    assert hits[0].match == "prefix"
    assert hits[0].term.text == "machine learning"


def test_english_contains_starts_at_a_word(glossary):
    assert uids(search("learning")) == ["machine-learning"]
    assert search("learning")[0].match == "contains"
    # "ai" is a whole term of artificial intelligence (exact, admitted) and a word of
    # "generative AI" (contains); it is not found inside other words.
    hits = search("ai")
    assert uids(hits) == ["artificial-intelligence", "generative-ai"]
    assert [hit.match for hit in hits] == ["admitted", "contains"]
    assert search("earning") == []


def test_admitted_term_match(glossary):
    hits = search("GenAI")
    assert uids(hits) == ["generative-ai"]
    assert hits[0].match == "admitted"
    assert hits[0].term.text == "GenAI"


def test_deprecated_hit_names_the_term_to_use_instead(glossary):
    hits = search("电脑智能")
    assert uids(hits) == ["artificial-intelligence"]
    hit = hits[0]
    assert hit.match == "deprecated"
    assert hit.term.status == TermStatus.DEPRECATED
    assert hit.use_instead == "人工智能"
    # Found through its Traditional spelling too.
    assert uids(search("電腦智能")) == ["artificial-intelligence"]


def test_preferred_hit_has_nothing_to_use_instead(glossary):
    assert search("machine learning")[0].use_instead == ""


def test_definitions_are_the_last_resort(glossary):
    hits = search("explicit rules")
    assert uids(hits) == ["machine-learning"]
    assert hits[0].match == "definition"
    assert hits[0].term is None
    # Chinese definitions are searched in both scripts.
    assert "generative-ai" in uids(search("能夠生成新內容"))
    assert "generative-ai" in uids(search("能够生成新内容"))
    # Not inside a word in English.
    assert search("xplicit") == []


def test_no_query_no_hits(glossary):
    assert search("") == []
    assert search("   ") == []
    assert search("---") == []
    assert search("no such term anywhere") == []


def test_limit(glossary):
    hits = search("人工智能", limit=1)
    assert uids(hits) == ["artificial-intelligence"]
    assert search("人工智能", limit=0) == []


def test_only_published_concepts_are_found(editor, reviewers, glossary):
    factories.make_draft(
        editor, uid="secret-draft", data=concept_data("secret draft", "秘密草稿", "秘密草稿")
    )
    in_review = factories.make_draft(
        editor, uid="in-review", data=concept_data("under review", "审查中", "審查中")
    )
    services.version_submit(version=in_review, user=editor)
    assert search("secret draft") == []
    assert search("under review") == []
    assert search("秘密草稿") == []


def test_a_new_draft_does_not_change_what_is_found(editor, reviewers, glossary):
    concept = Concept.objects.get(uid="machine-learning")
    draft = services.draft_start(concept=concept, user=editor)
    services.draft_update(
        version=draft,
        user=editor,
        data=concept_data("statistical learning", "统计学习", "統計學習"),
        expected_revision=draft.revision,
    )
    assert search("statistical learning") == []
    assert uids(search("machine learning")) == ["machine-learning"]


def test_retired_concepts_are_found_and_say_so(editor, reviewers, administrator, glossary):
    version = services.concept_retire(
        concept=Concept.objects.get(uid="machine-learning"), user=administrator, reason="Merged."
    )
    for reviewer in reviewers:
        services.version_approve(version=version, user=reviewer)
    hits = search("machine learning")
    assert uids(hits) == ["machine-learning"]
    assert hits[0].is_retired


def test_hits_carry_their_concept_with_public_version_and_preferred_terms(glossary):
    hit = search("machine learning")[0]
    assert isinstance(hit, SearchHit)
    concept = Concept.objects.get(uid=hit.uid)
    assert hit.version.state == "published"
    assert hit.version_id == concept.public_version_id
    assert hit.term.version_id == concept.public_version_id
    assert hit.preferred == {
        language: str(concept.public_version.preferred(language)) for language in Language.values
    }


def test_query_count_does_not_grow_with_hits(editor, reviewers):
    def make(n, start):
        for i in range(start, start + n):
            factories.make_published(
                editor,
                reviewers,
                uid=f"model-{i}",
                data=concept_data(f"model {i}", f"模型{i}", f"模型{i}"),
            )

    make(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert len(search("model")) == 2
    make(6, 2)
    with CaptureQueriesContext(connection) as many:
        assert len(search("model")) == 8
    assert len(many) == len(few)
    assert len(few) <= 7


def test_empty_draft_without_terms_is_harmless(editor):
    services.concept_create(
        uid="empty", user=editor, data=DraftData(terms=[TermData(language="en", text="empty")])
    )
    assert search("empty") == []
