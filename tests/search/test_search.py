"""glossary.search.ranking over stored keys: rank order, pinyin, typos, republishing, bounded queries."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from glossary.core import services
from glossary.core.choices import PUBLIC_STATES, Language, TermStatus, VersionState
from glossary.core.models import Concept, ConceptVersion, DefinitionKey, SearchKey
from glossary.core.services import TermData
from glossary.search import keys as search_index
from glossary.search.keys import term_keys, typo_keys, typo_probes
from glossary.search.ranking import MATCH_ORDER, _one_edit_apart, search
from tests import factories

pytestmark = pytest.mark.django_db

Kind = SearchKey.Kind


@pytest.fixture
def reviewers(reviewer_us, reviewer_cn):
    return [reviewer_us, reviewer_cn]


@pytest.fixture
def publish(editor, reviewers):
    """Publish a concept with these preferred terms and any extra ones."""

    def publish(uid, en, zh_hans, zh_hant, *extra, definition_en=None):
        data = factories.complete_data(en=en, zh_hans=zh_hans, zh_hant=zh_hant)
        data.terms = [t for t in data.terms if t.status == TermStatus.PREFERRED] + [
            TermData(language=language, text=text, status=status)
            for language, text, status in extra
        ]
        if definition_en is not None:
            data.texts["definition_en"] = definition_en
        return factories.make_published(editor, reviewers, uid=uid, data=data)

    return publish


@pytest.fixture
def language_models(publish):
    """One concept for each kind of match the query "language model" (or 语言模型) can make."""
    publish("language-model", "language model", "语言模型", "語言模型")
    publish(
        "statistical-language-model",
        "statistical language model",
        "统计语言模型",
        "統計語言模型",
        (Language.EN, "language model", TermStatus.ADMITTED),
    )
    publish(
        "neural-language-model",
        "neural language model",
        "神经语言模型",
        "神經語言模型",
        (Language.EN, "language model", TermStatus.DEPRECATED),
    )
    publish(
        "language-model-evaluation", "language model evaluation", "语言模型评估", "語言模型評估"
    )
    publish("large-language-model", "large language model", "大语言模型", "大語言模型")
    publish(
        "language-mode",
        "language mode",
        "语言模式",
        "語言模式",
        definition_en="How a system chooses which held-out phrasebook to use.",
    )


def found(hits):
    return [(hit.uid, hit.match) for hit in hits]


def uids(hits):
    return [hit.uid for hit in hits]


# --- rank order -------------------------------------------------------------------------------


def test_whole_rank_order_in_english(language_models):
    assert found(search("language model")) == [
        ("language-model", "preferred"),
        ("statistical-language-model", "admitted"),
        ("neural-language-model", "deprecated"),
        ("language-model-evaluation", "prefix"),
        ("large-language-model", "contains"),
        ("language-mode", "typo"),
    ]


def test_definitions_come_last_and_only_when_nothing_else_matches(language_models):
    assert found(search("held-out phrasebook")) == [("language-mode", "definition")]
    # "mode" is a term's word and a definition's: the definition is not read.
    assert "definition" not in [hit.match for hit in search("mode")]


def test_match_order_lists_every_kind_best_first():
    assert MATCH_ORDER == (
        "preferred",
        "admitted",
        "deprecated",
        "superseded",
        "prefix",
        "pinyin",
        "contains",
        "typo",
        "definition",
    )


@pytest.mark.parametrize("query", ["语言模型", "語言模型"])
def test_whole_rank_order_in_chinese(language_models, query):
    # Exact, prefix, then jieba segments: 语言模型 inside 大语言模型, 统计语言模型, 神经语言模型,
    # shortest term first. 语言模式 is not a near miss: typos are for English.
    assert found(search(query)) == [
        ("language-model", "preferred"),
        ("language-model-evaluation", "prefix"),
        ("large-language-model", "contains"),
        ("neural-language-model", "contains"),
        ("statistical-language-model", "contains"),
    ]


def test_the_term_shown_is_in_the_script_typed(language_models):
    assert search("語言模型")[0].term.text == "語言模型"
    assert search("语言模型")[0].term.text == "语言模型"
    assert search("大語言模型")[0].term.language == Language.ZH_HANT


def test_a_deprecated_hit_names_the_preferred_term(language_models):
    hit = next(hit for hit in search("language model") if hit.match == "deprecated")
    assert hit.term.text == "language model"
    assert hit.term.status == TermStatus.DEPRECATED
    assert hit.use_instead == "neural language model"
    assert hit.preferred_zh_hans == "神经语言模型"


def test_word_match_finds_later_words_of_english_terms(language_models):
    hits = search("model evaluation")
    assert found(hits) == [("language-model-evaluation", "contains")]
    assert hits[0].term.text == "language model evaluation"
    # A word start, not any substring.
    assert "large-language-model" in uids(search("lang"))
    assert search("anguage") == []


def test_limit_keeps_the_best(language_models):
    assert found(search("language model", limit=2)) == [
        ("language-model", "preferred"),
        ("statistical-language-model", "admitted"),
    ]


# --- the issue's examples, scripts and pinyin ---------------------------------------------------


@pytest.fixture
def generative_ai(publish):
    publish(
        "generative-ai",
        "generative AI",
        "生成式人工智能",
        "生成式人工智慧",
        (Language.EN, "GenAI", TermStatus.ADMITTED),
        (Language.ZH_HANS, "生成式AI", TermStatus.ADMITTED),
    )
    publish("artificial-intelligence", "artificial intelligence", "人工智能", "人工智慧")
    publish("generative-model", "generative model", "生成模型", "生成模型")


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("generative AI", "preferred"),
        ("生成式人工智能", "preferred"),
        ("生成式人工智慧", "preferred"),
        ("shengchengshi rengong zhineng", "pinyin"),
        ("sheng cheng shi", "pinyin"),
        ("scsrgzn", "pinyin"),
        ("shengchengshirengongzhineng", "pinyin"),
        ("Sheng Cheng Shi Ren Gong Zhi Neng", "pinyin"),
        ("shēngchéngshì réngōng zhìnéng", "pinyin"),
        ("sheng1cheng2shi4 ren2gong1 zhi4neng2", "pinyin"),
        ("SCSRGZN", "pinyin"),
    ],
)
def test_the_issues_examples_find_generative_ai_first(generative_ai, query, match):
    assert found(search(query))[0] == ("generative-ai", match)


def test_pinyin_hits_show_the_chinese_term(generative_ai):
    hit = search("shengchengshi rengong zhineng")[0]
    assert hit.term.text == "生成式人工智能"
    assert hit.term.language == Language.ZH_HANS
    # The shorter admitted 生成式AI begins with "sheng cheng shi" too; the preferred term shows.
    assert search("sheng cheng shi")[0].term.text == "生成式人工智能"
    assert search("shengchengshi AI")[0].term.text == "生成式AI"


def test_pinyin_prefix_and_segment(generative_ai):
    # "sheng cheng" begins 生成式人工智能 and 生成模型; the shorter term first.
    assert found(search("sheng cheng")) == [
        ("generative-model", "pinyin"),
        ("generative-ai", "pinyin"),
    ]
    # The pinyin of a segment: 智能 inside 人工智能 and 生成式人工智能.
    assert found(search("zhineng")) == [
        ("artificial-intelligence", "pinyin"),
        ("generative-ai", "pinyin"),
    ]


def test_whole_pinyin_beats_pinyin_prefix(generative_ai):
    assert found(search("rengong zhineng")) == [
        ("artificial-intelligence", "pinyin"),
        ("generative-ai", "pinyin"),
    ]
    assert search("rengong zhineng")[0].term.text == "人工智能"


def test_traditional_and_simplified_terms_have_the_same_pinyin_keys():
    def pinyin_keys(text):
        return {(kind, key) for kind, key in term_keys(text) if kind != Kind.TERM}

    assert pinyin_keys("大語言模型") == pinyin_keys("大语言模型")
    assert (Kind.INITIALS, "dyymx") in pinyin_keys("大語言模型")
    # Folded to Simplified, both are one term key.
    assert (Kind.TERM, "大语言模型") in term_keys("大語言模型")


def test_typed_tones_rank_the_matching_homophone_first(publish):
    publish("real-time", "real-time", "实时", "即時")
    publish("fact", "fact", "事实", "事實")
    assert uids(search("shíshí")) == ["real-time", "fact"]
    assert uids(search("shi2 shi2")) == ["real-time", "fact"]
    assert uids(search("shìshí")) == ["fact", "real-time"]
    assert uids(search("shi4shi2")) == ["fact", "real-time"]
    # Without tones both are equally good: the order is stable, by the terms themselves.
    assert uids(search("shishi")) == ["fact", "real-time"]


def test_latin_query_that_is_also_pinyin_prefers_the_english_term(publish):
    publish("long-context", "long context", "长上下文", "長上下文")
    publish("dragon-model", "dragon model", "龙", "龍")
    hits = search("long")
    assert found(hits) == [("long-context", "prefix"), ("dragon-model", "pinyin")]


# --- typos --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "langauge model",  # two letters swapped
        "languag model",  # one left out
        "languagge model",  # one too many
        "lenguage model",  # one wrong
        "Language-Mdel",
    ],
)
def test_one_typo_is_tolerated(language_models, query):
    hits = search(query)
    assert found(hits)[:3] == [
        ("language-model", "typo"),
        ("statistical-language-model", "typo"),
        ("neural-language-model", "typo"),
    ]
    assert hits[0].term.text == "language model"


def test_two_typos_and_short_queries_are_not_corrected(publish):
    publish("transformer", "transformer", "变换器", "變換器")
    publish("gpu", "GPU", "图形处理器", "圖形處理器")
    assert found(search("transfomer")) == [("transformer", "typo")]
    assert found(search("Transformre")) == [("transformer", "typo")]
    assert search("trnasfomer") == []
    assert search("gpt") == []  # three letters: too many words are one edit away


def test_typo_keys_are_found_by_the_probes_of_every_string_one_edit_away():
    rng = random.Random(5)
    alphabet = "abz "
    assert typo_keys("abc") == []  # too short to correct towards
    for _ in range(300):
        key = "".join(rng.choice(alphabet) for _ in range(rng.randint(4, 9)))
        neighbours = set()
        for i in range(len(key) + 1):
            left, right = key[:i], key[i:]
            neighbours.update(left + char + right for char in alphabet)
            if right:
                neighbours.add(left + right[1:])
                neighbours.update(left + char + right[1:] for char in alphabet)
            if len(right) > 1:
                neighbours.add(left + right[1] + right[0] + right[2:])
        neighbours.discard(key)
        for query in neighbours - {""}:
            assert set(typo_keys(key)) & typo_probes(query), (key, query)
            assert _one_edit_apart(query, key), (key, query)


def test_one_edit_apart():
    assert _one_edit_apart("transformer", "transfomer")
    assert _one_edit_apart("transformer", "transfromer")
    assert _one_edit_apart("transformer", "transformers")
    assert _one_edit_apart("transformer", "tran5former")
    assert not _one_edit_apart("transformer", "transformer")
    assert not _one_edit_apart("transformer", "trnasfomer")
    assert not _one_edit_apart("abc", "cba")
    assert not _one_edit_apart("ab", "abcd")


# --- only the published glossary, kept in step ------------------------------------------------


def test_keys_are_written_on_publishing_and_replaced_on_republishing(editor, reviewers, publish):
    first = publish("machine-learning", "machine learning", "机器学习", "機器學習")
    assert set(SearchKey.objects.values_list("version_id", flat=True)) == {first.pk}
    assert uids(search("machine learning")) == ["machine-learning"]

    concept = Concept.objects.get(uid="machine-learning")
    draft = services.draft_start(concept=concept, user=editor)
    data = factories.complete_data(
        en="statistical learning", zh_hans="统计学习", zh_hant="統計學習"
    )
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    # Editing a draft changes nothing that is found.
    assert uids(search("machine learning")) == ["machine-learning"]
    assert search("statistical learning") == []

    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)
    assert set(SearchKey.objects.values_list("version_id", flat=True)) == {draft.pk}
    assert search("machine learning") == []
    assert search("机器学习") == []
    assert search("jiqi xuexi") == []
    assert found(search("statistical learning")) == [("machine-learning", "preferred")]
    assert found(search("統計學習")) == [("machine-learning", "preferred")]
    assert found(search("tongji xuexi")) == [("machine-learning", "pinyin")]


def test_drafts_and_versions_in_review_have_no_keys(editor, publish):
    publish("published", "published term", "已发布术语", "已發布術語")
    factories.make_draft(
        editor,
        uid="secret-draft",
        data=factories.complete_data("secret draft", "秘密草稿", "秘密草稿"),
    )
    in_review = factories.make_draft(
        editor, uid="in-review", data=factories.complete_data("under review", "审查中", "審查中")
    )
    services.version_submit(version=in_review, user=editor)
    states = set(SearchKey.objects.values_list("version__state", flat=True))
    assert states == {VersionState.PUBLISHED}
    for query in ("secret draft", "秘密草稿", "mimi caogao", "mmcg", "secret drat", "under review"):
        assert search(query) == [], query


def test_keys_refused_for_a_version_that_is_not_public(draft):
    with pytest.raises(ValueError, match="only public versions"):
        search_index.replace_keys(versions=[draft])
    assert not SearchKey.objects.exists()


def test_a_retired_concept_is_found_and_marked(administrator, reviewers, publish):
    publish("expert-system", "expert system", "专家系统", "專家系統")
    version = services.concept_retire(
        concept=Concept.objects.get(uid="expert-system"), user=administrator, reason="Obsolete."
    )
    for reviewer in reviewers:
        services.version_approve(version=version, user=reviewer)
    assert set(SearchKey.objects.values_list("version_id", flat=True)) == {version.pk}
    for query in ("expert system", "專家系統", "zhuanjia xitong", "expert sytem"):
        hits = search(query)
        assert uids(hits) == ["expert-system"], query
        assert hits[0].is_retired


def test_rebuild_derived_writes_the_keys_publishing_writes(editor, publish, language_models):
    publish("generative-ai", "generative AI", "生成式人工智能", "生成式人工智慧")
    factories.make_draft(
        editor,
        uid="secret-draft",
        data=factories.complete_data("secret draft", "秘密草稿", "秘密草稿"),
    )
    columns = ("concept_id", "version_id", "term_id", "kind", "key")
    written = set(SearchKey.objects.values_list(*columns))
    definitions = set(DefinitionKey.objects.values_list("concept_id", "version_id", "key"))
    assert written and definitions

    SearchKey.objects.all().delete()
    DefinitionKey.objects.all().delete()
    assert search("scsrgzn") == []
    call_command("rebuild_derived", "--only", "search", "--only", "definitions", stdout=StringIO())
    assert set(SearchKey.objects.values_list(*columns)) == written
    assert SearchKey.objects.count() == len(written)
    assert set(DefinitionKey.objects.values_list("concept_id", "version_id", "key")) == definitions
    assert DefinitionKey.objects.count() == len(definitions)
    public = ConceptVersion.objects.filter(state__in=PUBLIC_STATES)
    assert set(SearchKey.objects.values_list("version_id", flat=True)) == set(
        public.values_list("pk", flat=True)
    )
    assert found(search("scsrgzn")) == [("generative-ai", "pinyin")]
    # Again: the same rows, once each.
    call_command("rebuild_derived", "--only", "search", stdout=StringIO())
    assert SearchKey.objects.count() == len(written)
    assert set(SearchKey.objects.values_list(*columns)) == written


# --- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, queries",
    [("model", 6), ("模型", 5), ("moxing", 6), ("mo xing", 6), ("mó xíng", 6), ("yhmx", 6)],
)
def test_query_count_does_not_grow_with_hits(publish, query, queries):
    def make(start, stop):
        for i in range(start, stop):
            number = "一二三四五六七八"[i]
            publish(f"model-{i}", f"model {i}", f"{number}号模型", f"{number}號模型")
            # Initials of 一号模型 ... 八号模型 differ; "yhmx" begins these as well.
            publish(f"one-model-{i}", f"one model {i}", f"一号模型{number}", f"一號模型{number}")

    make(0, 2)
    with CaptureQueriesContext(connection) as few:
        few_hits = search(query)
    make(2, 8)
    with CaptureQueriesContext(connection) as many:
        many_hits = search(query)
    assert len(many_hits) > len(few_hits) > 0
    assert len(many) == len(few)
    # Two reads of the keys, ranked (whole terms, beginnings and pinyin, which do not fill the
    # page, then every match); as the page is not full, the typo candidates of a query that may
    # be a misspelt English word (not 模型); the concepts, their preferred terms and the terms
    # that matched.
    assert len(few) == queries


def test_typo_query_count_does_not_grow_with_hits(publish):
    def make(letters):
        for letter in letters:
            publish(f"grap-{letter}", f"grap{letter}", f"葡萄{letter}", f"葡萄{letter}")

    make("ab")
    with CaptureQueriesContext(connection) as few:
        assert found(search("grapz")) == [("grap-a", "typo"), ("grap-b", "typo")]
    make("cdefgh")
    with CaptureQueriesContext(connection) as many:
        assert len(search("grapz")) == 8
    # The keys that match better (none: two reads, see above), the typo candidates, the
    # concepts, their preferred terms and the terms that matched.
    assert len(many) == len(few) == 6


def test_query_count_with_the_definitions_fallback(language_models, django_assert_max_num_queries):
    # The keys (two reads), the typo candidates, the definitions, the concepts and their
    # preferred terms.
    with django_assert_max_num_queries(6):
        assert uids(search("held-out phrasebook")) == ["language-mode"]


def test_nothing_and_too_little(language_models):
    assert search("") == []
    assert search("  ") == []
    assert search("---") == []
    assert search("language model", limit=0) == []
    assert search("no such thing anywhere") == []


# --- how keys are stored ------------------------------------------------------------------------


def row(pk, text, language, status=TermStatus.PREFERRED):
    return search_index.TermRow(pk, 1, text, status, language, search_index.text.fold(text))


def test_keys_twin_terms_share_are_stored_once_on_the_term_shown():
    keys = search_index.version_keys(
        [
            row(1, "大语言模型", Language.ZH_HANS),
            row(2, "大語言模型", Language.ZH_HANT),
            row(3, "large language model", Language.EN),
        ]
    )
    by_key = {}
    for term_id, kind, key in keys:
        by_key.setdefault((kind, key), []).append(term_id)
    assert by_key[(Kind.PINYIN, "dayuyanmoxing")] == [1], "once, on the Simplified term"
    assert by_key[(Kind.PART, "语言模型")] == [1]
    # Whole-term keys stay on each term: the script typed decides which one is shown.
    assert by_key[(Kind.TERM, "大语言模型")] == [1, 2]
    assert len(keys) == len(set(keys))


def test_a_shared_key_goes_to_the_better_status():
    keys = search_index.version_keys(
        [
            row(1, "大语言模型", Language.ZH_HANS, TermStatus.DEPRECATED),
            row(2, "大語言模型", Language.ZH_HANT),
        ]
    )
    assert (2, Kind.PINYIN, "dayuyanmoxing") in keys
    assert (1, Kind.PINYIN, "dayuyanmoxing") not in keys


def test_definition_keys_are_words_and_pairs_of_characters():
    assert search_index.definition_keys("Held-out data, 2 sets.") == {
        "held",
        "out",
        "data",
        "2",
        "sets",
    }
    assert search_index.definition_keys("能夠生成新內容") == {
        "能够",
        "够生",
        "生成",
        "成新",
        "新内",
        "内容",
    }
    assert search_index.definition_keys("用GPT-4生成") == {"gpt", "4", "生成"}


@pytest.mark.parametrize(
    "query, anchor",
    [
        ("explicit rules", ("explicit", False)),
        ("to discolor", ("discolor", True)),  # the last word may be unfinished
        ("explic", ("explic", True)),
        ("能夠生成新內容", ("成新", False)),  # the middle pair, folded to Simplified
        ("GPT 模型", ("gpt", False)),
        ("模", None),  # one character: only a scan can tell
        ("---", None),
    ],
)
def test_the_definition_anchor_is_the_most_telling_key(query, anchor):
    assert search_index.definition_anchor(query) == anchor


def test_definitions_are_found_through_their_keys_not_a_scan(
    language_models, django_assert_max_num_queries
):
    DefinitionKey.objects.filter(key="phrasebook").delete()
    # Without its key the definition is not found: the index, not a scan, answers.
    assert search("held-out phrasebook") == []
    search_index.replace_keys(versions=list(ConceptVersion.objects.public()))
    with django_assert_max_num_queries(6):
        assert found(search("held-out phrasebook")) == [("language-mode", "definition")]


# --- the search page and the API --------------------------------------------------------------


def test_search_page_labels_pinyin_and_typo_hits(client, generative_ai, publish):
    publish("transformer", "transformer", "变换器", "變換器")
    html = client.get("/en/search/", {"q": "scsrgzn"}).content.decode()
    assert 'href="/en/concepts/generative-ai/"' in html
    assert "Pinyin match:" in html
    assert '<span lang="zh-Hans" class="term-text">生成式人工智能</span>' in html
    html = client.get("/en/search/", {"q": "transfomer"}).content.decode()
    assert 'href="/en/concepts/transformer/"' in html
    assert "Close to your search:" in html
    html = client.get("/zh-hans/search/", {"q": "sheng cheng shi"}).content.decode()
    assert "拼音匹配：" in html
    html = client.get("/zh-hant/search/", {"q": "transfomer"}).content.decode()
    assert "與搜尋內容相近：" in html


def test_api_query_parameter_takes_pinyin_and_typos(generative_ai):
    api = APIClient()

    def api_uids(query):
        response = api.get("/api/v1/concepts/", {"q": query})
        assert response.status_code == 200, response.content
        return [concept["uid"] for concept in response.json()["results"]]

    assert api_uids("scsrgzn") == ["generative-ai"]
    assert api_uids("rengong zhineng") == ["artificial-intelligence", "generative-ai"]
    assert api_uids("generatve AI") == ["generative-ai"]
