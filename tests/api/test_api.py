"""The public read API: whole bilingual payloads, published data only, filters, history, diffs,
releases, conditional requests, throttling, CORS, query counts and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.http import parse_http_date
from rest_framework.test import APIClient

from glossary.core import services
from glossary.core.choices import (
    Agreement,
    Language,
    Maturity,
    PartOfSpeech,
    Region,
    RelationKind,
    TermStatus,
    TermType,
)
from glossary.core.diff import inline_diff
from glossary.core.models import Concept, ConceptVersion, Domain, Source
from glossary.core.services import CitationData, DraftData, RelationData, TermData
from tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def reviewers(reviewer_us, reviewer_cn):
    return [reviewer_us, reviewer_cn]


def iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def publish_new_version(concept: Concept, editor, reviewers, data: DraftData) -> ConceptVersion:
    draft = services.draft_start(concept=concept, user=editor)
    draft = services.draft_update(
        version=draft, user=editor, data=data, expected_revision=draft.revision
    )
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)
    return ConceptVersion.objects.get(pk=draft.pk)


def rich_data(related: list[Concept]) -> DraftData:
    """Every field a version has, in every language."""
    law = Source.objects.create(
        key="cn-genai-measures-2023",
        title="生成式人工智能服务管理暂行办法",
        publisher="Cyberspace Administration of China",
        jurisdiction="CN",
        published_on=dt.date(2023, 7, 10),
        url="https://www.cac.gov.cn/2023-07/13/c_1690898327029107.htm",
        language="zh-Hans",
    )
    paper = Source.objects.create(
        key="nist-ai-600-1", title="NIST AI 600-1", publisher="NIST", jurisdiction="US"
    )
    governance = Domain.objects.create(
        key="governance",
        name="AI governance",
        name_en="AI governance",
        name_zh_hans="人工智能治理",
        name_zh_hant="人工智慧治理",
    )
    return DraftData(
        texts={
            "definition_en": "AI that generates new text, images or other content.",
            "definition_zh_hans": "能够生成文本、图片等新内容的人工智能。",
            "definition_zh_hant": "能夠生成文字、圖片等新內容的人工智慧。",
            "us_usage_en": "Used broadly in NIST guidance.",
            "us_usage_zh_hans": "美国标准中广义使用。",
            "us_usage_zh_hant": "",
            "cn_usage_en": "Defined as a service in the Interim Measures.",
            "cn_usage_zh_hans": "《暂行办法》将其定义为服务。",
            "cn_usage_zh_hant": "《暫行辦法》將其定義為服務。",
            "agreement_note_en": "China regulates the service; the U.S. the technology.",
            "agreement_note_zh_hans": "中方侧重服务，美方侧重技术。",
            "agreement_note_zh_hant": "",
            "note_en": "Often shortened to GenAI.",
            "note_zh_hans": "",
            "note_zh_hant": "",
        },
        agreement=Agreement.PARTLY,
        maturity=Maturity.PROVISIONAL,
        first_attested="2014-06",
        domains=[governance],
        terms=[
            TermData(
                language=Language.EN,
                text="generative AI",
                status=TermStatus.PREFERRED,
                context="Generative AI can draft a contract.",
                source=paper,
            ),
            TermData(
                language=Language.EN,
                text="GenAI",
                status=TermStatus.ADMITTED,
                term_type=TermType.ABBREVIATION,
            ),
            TermData(
                language=Language.ZH_HANS,
                text="生成式人工智能",
                status=TermStatus.PREFERRED,
                geographic_usage=Region.CN,
                source=law,
            ),
            TermData(
                language=Language.ZH_HANS,
                text="生成型人工智能",
                status=TermStatus.DEPRECATED,
                part_of_speech=PartOfSpeech.NOUN,
                note="早期译法。",
            ),
            TermData(
                language=Language.ZH_HANT,
                text="生成式人工智慧",
                status=TermStatus.PREFERRED,
                geographic_usage=Region.TW,
                machine_converted=True,
            ),
        ],
        machine_converted_fields=["definition_zh_hant"],
        citations=[
            CitationData(
                source=law,
                locator="第二十二条",
                quote="生成式人工智能技术，是指具有文本、图片、音频、视频等内容生成能力的模型及相关技术。",
                quote_language=Language.ZH_HANS,
            ),
            CitationData(source=paper, locator="p. 1"),
        ],
        relations=[RelationData(kind=RelationKind.BROADER, target=c) for c in related],
    )


def term(language, text, status, **extra):
    return {
        "language": language,
        "text": text,
        "status": status,
        "term_type": "fullForm",
        "part_of_speech": "noun",
        "geographic_usage": "",
        "context": "",
        "note": "",
        "source": None,
        "machine_converted": False,
        "in_sense_only": False,
        **extra,
    }


def test_concept_detail_is_the_whole_bilingual_payload(api, editor, reviewers):
    broader = factories.make_published(
        editor, reviewers, uid="artificial-intelligence", data=factories.complete_data("AI")
    )
    hidden = factories.make_draft(editor, uid="draft-only", data=factories.complete_data("x"))
    version = factories.make_published(
        editor,
        reviewers,
        uid="generative-ai",
        data=rich_data([broader.concept, hidden.concept]),
    )
    expected = {
        "uid": "generative-ai",
        "url": "http://testserver/api/v1/concepts/generative-ai/",
        "permalink": "http://testserver/en/concepts/generative-ai/",
        "version": 1,
        "state": "published",
        "published_at": iso(version.published_at),
        "retired": False,
        "retirement_reason": "",
        "terms": [
            term(
                "en",
                "generative AI",
                "preferred",
                context="Generative AI can draft a contract.",
                source="nist-ai-600-1",
            ),
            term("en", "GenAI", "admitted", term_type="abbreviation"),
            term(
                "zh-Hans",
                "生成式人工智能",
                "preferred",
                geographic_usage="CN",
                source="cn-genai-measures-2023",
            ),
            term("zh-Hans", "生成型人工智能", "deprecated", note="早期译法。"),
            term(
                "zh-Hant",
                "生成式人工智慧",
                "preferred",
                geographic_usage="TW",
                machine_converted=True,
            ),
        ],
        "definition": {
            "en": "AI that generates new text, images or other content.",
            "zh-Hans": "能够生成文本、图片等新内容的人工智能。",
            "zh-Hant": "能夠生成文字、圖片等新內容的人工智慧。",
        },
        "us_usage": {
            "en": "Used broadly in NIST guidance.",
            "zh-Hans": "美国标准中广义使用。",
            "zh-Hant": "",
        },
        "cn_usage": {
            "en": "Defined as a service in the Interim Measures.",
            "zh-Hans": "《暂行办法》将其定义为服务。",
            "zh-Hant": "《暫行辦法》將其定義為服務。",
        },
        "agreement": "partly_agreed",
        "agreement_note": {
            "en": "China regulates the service; the U.S. the technology.",
            "zh-Hans": "中方侧重服务，美方侧重技术。",
            "zh-Hant": "",
        },
        "note": {"en": "Often shortened to GenAI.", "zh-Hans": "", "zh-Hant": ""},
        # The zh-Hant definition is an OpenCC suggestion no linguist has reviewed yet.
        "machine_converted": ["definition"],
        "maturity": "provisional",
        "first_attested": "2014-06",
        "domains": [
            {
                "key": "governance",
                "name": {
                    "en": "AI governance",
                    "zh-Hans": "人工智能治理",
                    "zh-Hant": "人工智慧治理",
                },
            }
        ],
        "sources": [
            {
                "source": "cn-genai-measures-2023",
                "title": "生成式人工智能服务管理暂行办法",
                "publisher": "Cyberspace Administration of China",
                "jurisdiction": "CN",
                "date": "2023-07-10",
                "url": "https://www.cac.gov.cn/2023-07/13/c_1690898327029107.htm",
                "locator": "第二十二条",
                "quote": "生成式人工智能技术，是指具有文本、图片、音频、视频等内容生成能力的模型及相关技术。",
                "quote_language": "zh-Hans",
            },
            {
                "source": "nist-ai-600-1",
                "title": "NIST AI 600-1",
                "publisher": "NIST",
                "jurisdiction": "US",
                "date": None,
                "url": "",
                "locator": "p. 1",
                "quote": "",
                "quote_language": "",
            },
        ],
        # The relation to the concept that is only a draft is not shown: it would leak it.
        "relations": [{"kind": "broader", "target": "artificial-intelligence"}],
        "renderings": [],
    }
    response = api.get(f"{API}concepts/generative-ai/")
    assert response.status_code == 200
    assert response.json() == expected
    assert list(response.json()) == list(expected), "fields come in a stable, readable order"

    # The payload never depends on the interface language.
    for language in ("zh-hans", "zh-hant"):
        with translation.override(language):
            assert api.get(f"{API}concepts/generative-ai/").json() == expected
        assert (
            api.get(f"{API}concepts/generative-ai/", HTTP_ACCEPT_LANGUAGE=language).json()
            == expected
        )


def test_unpublished_concepts_are_invisible(api, editor, reviewers, published):
    factories.make_draft(editor, uid="draft-only", data=factories.complete_data("draft only"))
    in_review = factories.make_draft(editor, uid="in-review", data=factories.complete_data("rv"))
    services.version_submit(version=in_review, user=editor)
    for path in ("", "versions/", "versions/1/", "diff/"):
        for uid in ("draft-only", "in-review", "no-such-concept"):
            response = api.get(f"{API}concepts/{uid}/{path}")
            assert response.status_code == 404, (uid, path)
            assert response.json()["code"] == "not_found"
    listed = api.get(f"{API}concepts/").json()
    assert [c["uid"] for c in listed["results"]] == ["generative-ai"]
    found = api.get(f"{API}concepts/?q=draft+only").json()
    assert (found["count"], found["results"]) == (None, [])  # a filtered list is not counted


def test_an_open_draft_of_a_published_concept_never_shows(api, editor, published):
    draft = services.draft_start(concept=published.concept, user=editor)
    services.draft_update(
        version=draft,
        user=editor,
        data=factories.complete_data(definition_en="Secret new wording."),
        expected_revision=draft.revision,
    )
    body = api.get(f"{API}concepts/generative-ai/").json()
    assert body["version"] == 1
    assert "Secret" not in str(api.get(f"{API}concepts/").json())
    assert api.get(f"{API}concepts/generative-ai/versions/2/").status_code == 404
    assert api.get(f"{API}concepts/generative-ai/diff/?from=1&to=2").status_code == 404
    assert [v["version"] for v in api.get(f"{API}concepts/generative-ai/versions/").json()] == [1]


def test_retired_concept_keeps_answering_with_its_reason(api, published, administrator, reviewers):
    retirement = services.concept_retire(
        concept=published.concept, user=administrator, reason="Merged into foundation-model."
    )
    for reviewer in reviewers:
        services.version_approve(version=retirement, user=reviewer)
    body = api.get(f"{API}concepts/generative-ai/").json()
    assert (body["version"], body["state"], body["retired"]) == (2, "retired", True)
    assert body["retirement_reason"] == "Merged into foundation-model."
    history = api.get(f"{API}concepts/generative-ai/versions/").json()
    assert [(v["version"], v["state"], v["retired"]) for v in history] == [
        (1, "superseded", False),
        (2, "retired", True),
    ]


@pytest.fixture
def catalogue(editor, reviewers):
    """Three published concepts in two domains, one divergent and provisional, one draft."""
    safety = factories.domain("safety")
    factories.make_published(editor, reviewers, uid="generative-ai")
    data = factories.complete_data(
        "frontier AI",
        "前沿人工智能",
        "前沿人工智慧",
        us_usage_en="The most capable general-purpose models.",
        cn_usage_zh_hans="指能力最强的通用模型。",
    )
    data.agreement, data.maturity, data.domains = (
        Agreement.DIVERGENT,
        Maturity.PROVISIONAL,
        [safety],
    )
    factories.make_published(editor, reviewers, uid="frontier-ai", data=data)
    factories.make_published(
        editor,
        reviewers,
        uid="large-language-model",
        data=factories.complete_data("large language model", "大语言模型", "大型語言模型"),
    )
    factories.make_draft(editor, uid="unpublished", data=factories.complete_data("unpublished"))


def uids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [concept["uid"] for concept in response.json()["results"]]


def test_list_filters(api, catalogue):
    assert uids(api.get(f"{API}concepts/")) == [
        "frontier-ai",
        "generative-ai",
        "large-language-model",
    ]
    assert uids(api.get(f"{API}concepts/?domain=safety")) == ["frontier-ai"]
    assert uids(api.get(f"{API}concepts/?agreement=divergent")) == ["frontier-ai"]
    assert uids(api.get(f"{API}concepts/?maturity=established")) == [
        "generative-ai",
        "large-language-model",
    ]
    assert uids(api.get(f"{API}concepts/?domain=generative-ai&maturity=provisional")) == []
    later = ConceptVersion.objects.get(concept__uid="large-language-model").published_at
    since = (later - dt.timedelta(microseconds=1)).isoformat()
    assert uids(api.get(f"{API}concepts/", {"updated_since": since})) == ["large-language-model"]
    assert uids(api.get(f"{API}concepts/?updated_since=2999-01-01")) == []
    assert len(uids(api.get(f"{API}concepts/?updated_since=2000-01-01"))) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("frontier AI", ["frontier-ai"]),
        ("Frontier-AI", ["frontier-ai"]),
        ("前沿人工智能", ["frontier-ai"]),
        ("前沿人工智慧", ["frontier-ai"]),  # Traditional input finds the concept
        ("大型語言模型", ["large-language-model"]),
        ("nothing like this", []),
    ],
)
def test_list_query(api, catalogue, query, expected):
    assert uids(api.get(f"{API}concepts/", {"q": query})) == expected


def test_query_combines_with_filters(api, catalogue):
    assert uids(api.get(f"{API}concepts/", {"q": "人工智能", "domain": "safety"})) == [
        "frontier-ai"
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("domain=no-such-domain", "domain"),
        ("agreement=maybe", "agreement"),
        ("maturity=old", "maturity"),
        ("updated_since=yesterday", "updated_since"),
        ("release=2099.1", "release"),
        ("q=" + "x" * 201, "q"),
        ("domian=safety", "domian"),  # a misspelt filter is not silently ignored
    ],
)
def test_bad_filters_are_refused_clearly(api, catalogue, query, field):
    response = api.get(f"{API}concepts/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0]


def test_pagination(api, catalogue):
    first = api.get(f"{API}concepts/?page_size=2").json()
    assert first["count"] == 3
    assert [c["uid"] for c in first["results"]] == ["frontier-ai", "generative-ai"]
    assert first["next"] == "http://testserver/api/v1/concepts/?page=2&page_size=2"
    second = api.get(first["next"]).json()
    assert [c["uid"] for c in second["results"]] == ["large-language-model"]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/concepts/?page_size=2"
    assert api.get(f"{API}concepts/?page=9").status_code == 404
    # Filtered, the list is not counted: a page and one more row says whether "next" exists.
    filtered = api.get(f"{API}concepts/?page_size=1&domain=generative-ai").json()
    assert filtered["count"] is None
    assert filtered["next"] == (
        "http://testserver/api/v1/concepts/?domain=generative-ai&page=2&page_size=1"
    )
    last = api.get(filtered["next"]).json()
    assert last["count"] is None and last["next"] is None and last["previous"]
    assert [c["uid"] for c in filtered["results"] + last["results"]] == [
        "generative-ai",
        "large-language-model",
    ]
    for page in ("3", "0", "two"):
        missing = api.get(f"{API}concepts/?page_size=1&domain=generative-ai&page={page}")
        assert missing.status_code == 404
    # A release's list has the count its cut kept.
    services.release_cut(name="2025.1", user=None)
    assert api.get(f"{API}concepts/?release=2025.1").json()["count"] == 3


def test_history_version_and_diff(api, editor, reviewers, published, administrator):
    services.release_cut(name="2025.1", user=administrator)
    data = factories.complete_data(definition_en="AI that produces new text or images.")
    data.terms.append(
        TermData(language=Language.ZH_HANS, text="生成式AI", status=TermStatus.ADMITTED)
    )
    data.domains.append(factories.domain("safety"))
    data.relations.append(
        RelationData(
            kind=RelationKind.RELATED,
            target=factories.make_published(
                editor, reviewers, uid="frontier-ai", data=factories.complete_data("frontier AI")
            ).concept,
        )
    )
    second = publish_new_version(published.concept, editor, reviewers, data)
    first = ConceptVersion.objects.get(pk=published.pk)

    history = api.get(f"{API}concepts/generative-ai/versions/").json()
    assert history == [
        {
            "version": 1,
            "state": "superseded",
            "published_at": iso(first.published_at),
            "retired": False,
            "releases": ["2025.1"],
            "url": "http://testserver/api/v1/concepts/generative-ai/versions/1/",
        },
        {
            "version": 2,
            "state": "published",
            "published_at": iso(second.published_at),
            "retired": False,
            "releases": [],
            "url": "http://testserver/api/v1/concepts/generative-ai/versions/2/",
        },
    ]
    old = api.get(f"{API}concepts/generative-ai/versions/1/").json()
    assert (old["version"], old["state"]) == (1, "superseded")
    assert old["definition"]["en"] == "AI that produces new content: generative AI."
    assert old["url"] == "http://testserver/api/v1/concepts/generative-ai/versions/1/"

    diff = api.get(f"{API}concepts/generative-ai/diff/?from=1&to=2").json()
    assert diff == {
        "uid": "generative-ai",
        "from": 1,
        "to": 2,
        "texts": [
            {
                "field": "definition",
                "language": "en",
                "old": "AI that produces new content: generative AI.",
                "new": "AI that produces new text or images.",
                "segments": [
                    {"op": segment.op, "text": segment.text}
                    for segment in inline_diff(
                        "AI that produces new content: generative AI.",
                        "AI that produces new text or images.",
                    )
                ],
            }
        ],
        "attributes": [],
        "terms": [
            {
                "language": "zh-Hans",
                "text": "生成式AI",
                "change": "added",
                "old": None,
                "new": {
                    "text": "生成式AI",
                    "status": "admitted",
                    "term_type": "fullForm",
                    "part_of_speech": "noun",
                    "geographic_usage": "",
                    "context": "",
                    "note": "",
                    "in_sense_only": "",
                    "source": "",
                    "machine_converted": "",
                },
            }
        ],
        "sources": {"added": [], "removed": []},
        "relations": {"added": [{"kind": "related", "target": "frontier-ai"}], "removed": []},
        "domains": {"added": ["safety"], "removed": []},
        "renderings": [],
    }
    # Without parameters: the current version against the one before it.
    assert api.get(f"{API}concepts/generative-ai/diff/").json() == diff
    backwards = api.get(f"{API}concepts/generative-ai/diff/?from=2&to=1").json()
    assert backwards["domains"] == {"added": [], "removed": ["safety"]}


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("from=1&to=7", 404, "not_found"),
        ("from=one", 400, "invalid"),
        ("to=0", 400, "invalid"),
    ],
)
def test_bad_diff_requests(api, published, query, status, code):
    response = api.get(f"{API}concepts/generative-ai/diff/?{query}")
    assert response.status_code == status
    assert response.json()["code"] == code


def test_releases_with_their_changelog(api, editor, reviewers, administrator):
    a = factories.make_published(editor, reviewers, uid="a", data=factories.complete_data("a"))
    factories.make_published(editor, reviewers, uid="b", data=factories.complete_data("b"))
    first = services.release_cut(name="2025.1", notes="First edition.", user=administrator)
    publish_new_version(
        a.concept, editor, reviewers, factories.complete_data("a", definition_en="Revised.")
    )
    factories.make_published(editor, reviewers, uid="c", data=factories.complete_data("c"))
    retirement = services.concept_retire(
        concept=Concept.objects.get(uid="b"), user=administrator, reason="Obsolete."
    )
    for reviewer in reviewers:
        services.version_approve(version=retirement, user=reviewer)
    second = services.release_cut(name="2025.2", notes="Second.", user=administrator)

    listed = api.get(f"{API}releases/").json()
    assert listed == [
        {
            "name": "2025.2",
            "url": "http://testserver/api/v1/releases/2025.2/",
            "notes": "Second.",
            "created_at": iso(second.created_at),
            "previous": "2025.1",
            "concept_count": 3,
            "changes": {"added": 1, "changed": 1, "retired": 1, "unchanged": 0},
        },
        {
            "name": "2025.1",
            "url": "http://testserver/api/v1/releases/2025.1/",
            "notes": "First edition.",
            "created_at": iso(first.created_at),
            "previous": None,
            "concept_count": 2,
            "changes": {"added": 2, "changed": 0, "retired": 0, "unchanged": 0},
        },
    ]

    def entry(uid, version, release="2025.2"):
        return {
            "uid": uid,
            "version": version,
            "preferred_terms": {
                "en": uid,
                "zh-Hans": "生成式人工智能",
                "zh-Hant": "生成式人工智慧",
            },
            "url": f"http://testserver/api/v1/releases/{release}/concepts/{uid}/",
        }

    detail = api.get(f"{API}releases/2025.2/").json()
    assert detail == {
        **listed[0],
        "concepts": "http://testserver/api/v1/concepts/?release=2025.2",
        "changelog": {
            "added": [entry("c", 1)],
            "changed": [entry("a", 2)],
            "retired": [entry("b", 2)],
        },
        "changelog_pages": 1,
    }
    assert api.get(f"{API}releases/2099.1/").status_code == 404
    for page in ("2", "0", "two"):
        missing = api.get(f"{API}releases/2025.2/", {"page": page})
        assert missing.status_code == 404
        assert "The changelog has 1 pages" in missing.json()["detail"]

    # A concept as it stood in a release, alone or in the list.
    old = api.get(f"{API}releases/2025.1/concepts/a/").json()
    assert (old["version"], old["state"]) == (1, "superseded")
    assert old["url"] == "http://testserver/api/v1/releases/2025.1/concepts/a/"
    assert old["permalink"] == "http://testserver/en/concepts/a/"
    assert api.get(f"{API}releases/2025.1/concepts/c/").status_code == 404
    in_first = api.get(f"{API}concepts/?release=2025.1").json()["results"]
    assert [(c["uid"], c["version"]) for c in in_first] == [("a", 1), ("b", 1)]
    in_second = api.get(f"{API}concepts/?release=2025.2").json()["results"]
    assert [(c["uid"], c["version"], c["retired"]) for c in in_second] == [
        ("a", 2, False),
        ("b", 2, True),
        ("c", 1, False),
    ]


def test_domains(api, catalogue):
    Domain.objects.create(key="empty", name="empty", name_en="Empty", name_zh_hans="空")
    assert api.get(f"{API}domains/").json() == [
        {
            "key": "empty",
            "name": {"en": "Empty", "zh-Hans": "空", "zh-Hant": ""},
            "concept_count": 0,
        },
        {
            "key": "generative-ai",
            "name": {"en": "generative-ai", "zh-Hans": "generative-ai", "zh-Hant": "generative-ai"},
            "concept_count": 2,
        },
        {
            "key": "safety",
            "name": {"en": "safety", "zh-Hans": "safety", "zh-Hant": "safety"},
            "concept_count": 1,
        },
    ]


# Conditional requests ------------------------------------------------------------------------

PUBLIC_URLS = [
    "concepts/",
    "concepts/?domain=generative-ai",
    "concepts/generative-ai/",
    "concepts/generative-ai/versions/",
    "concepts/generative-ai/versions/1/",
    "concepts/generative-ai/diff/",
    "releases/",
    "releases/2025.1/",
    "releases/2025.1/concepts/generative-ai/",
    "domains/",
]


@pytest.fixture
def released(published, administrator):
    return services.release_cut(name="2025.1", user=administrator)


@pytest.mark.parametrize("path", PUBLIC_URLS)
def test_every_public_get_answers_conditional_requests(api, released, path):
    url = API + path
    response = api.get(url)
    assert response.status_code == 200
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('W/"')
    assert "no-cache" in response["Cache-Control"]

    with CaptureQueriesContext(connection) as queries:
        cached = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached["ETag"] == etag
    assert len(queries) <= 2, "a 304 costs one or two small queries, not the whole payload"

    assert api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH='W/"something-else"').status_code == 200
    assert api.head(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize(
    "header, value",
    [
        ("HTTP_IF_MATCH", "{etag}"),  # weak: If-Match compares strongly, so it never matches
        ("HTTP_IF_MATCH", '"not-the-current-one"'),
        ("HTTP_IF_UNMODIFIED_SINCE", "Mon, 01 Jan 2001 00:00:00 GMT"),
    ],
)
def test_a_failed_precondition_is_a_412_in_the_api_error_shape(api, released, header, value):
    url = f"{API}concepts/generative-ai/"
    etag = api.get(url)["ETag"]
    refused = api.get(url, **{header: value.format(etag=etag)})
    assert refused.status_code == 412
    assert refused["Content-Type"] == "application/json"
    body = refused.json()
    assert body["code"] == "stale_edit"
    assert "If-None-Match" in body["detail"]
    assert refused["ETag"] == etag
    assert "no-store" in refused["Cache-Control"]


def test_validators_change_with_every_publication(api, editor, reviewers, released):
    url = f"{API}concepts/generative-ai/"
    before = api.get(url)
    other = api.get(f"{API}concepts/?page_size=1")
    assert other["ETag"] != before["ETag"], "the URL is part of the ETag"
    factories.make_published(editor, reviewers, uid="frontier-ai")
    after = api.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert parse_http_date(after["Last-Modified"]) >= parse_http_date(before["Last-Modified"])


def test_a_new_release_changes_release_validators(api, released, administrator):
    before = api.get(f"{API}releases/")
    services.release_cut(name="2025.2", user=administrator)
    assert api.get(f"{API}releases/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_renaming_a_domain_changes_the_domain_list_etag(api, published):
    # Only a domain that no version beyond a draft files a concept under can be renamed; the
    # list shows every domain, so its name is part of the validator.
    factories.domain("robotics")
    before = api.get(f"{API}domains/")
    Domain.objects.filter(key="robotics").update(name_zh_hans="机器人学")
    assert api.get(f"{API}domains/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


# Throttling and CORS -------------------------------------------------------------------------


def test_anonymous_clients_are_throttled(api, published, editor):
    rates = {"anon": "3/minute", "token": "10/minute"}
    # Only the rates change: the schema class and the other keys stay as configured.
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        for _ in range(3):
            assert api.get(f"{API}concepts/").status_code == 200
        refused = api.get(f"{API}concepts/generative-ai/")
        assert refused.status_code == 429
        assert refused.json()["code"] == "throttled"
        assert int(refused["Retry-After"]) > 0
        # Another address has its own allowance; signed-in accounts are not limited.
        assert api.get(f"{API}concepts/", REMOTE_ADDR="10.0.0.9").status_code == 200
        api.force_authenticate(editor)
        assert api.get(f"{API}concepts/").status_code == 200
        # Run alone (pytest -k), this is where the API's views first meet the settings.
        assert api.get(f"{API}schema/?format=json").status_code == 200


def test_cross_origin_reads_are_allowed_without_credentials(api, published):
    response = api.get(f"{API}concepts/generative-ai/", HTTP_ORIGIN="https://cat.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert not response.has_header("Access-Control-Allow-Credentials")

    preflight = api.options(
        f"{API}concepts/",
        HTTP_ORIGIN="https://cat.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_cross_origin_writes_and_editorial_reads_are_not_allowed(api, published):
    preflight = api.options(
        f"{API}concepts/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert not preflight.has_header("Access-Control-Allow-Origin")
    post = api.post(f"{API}concepts/", {}, format="json", HTTP_ORIGIN="https://evil.example")
    assert not post.has_header("Access-Control-Allow-Origin")
    draft = api.get(f"{API}drafts/generative-ai/", HTTP_ORIGIN="https://evil.example")
    assert not draft.has_header("Access-Control-Allow-Origin")
    token = api.options(
        f"{API}auth/token/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert not token.has_header("Access-Control-Allow-Origin")


# Query counts --------------------------------------------------------------------------------


def queries_for(api, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def add_concepts(editor, reviewers, count: int, start: int) -> None:
    """Published concepts with terms, sources, relations and domains, all in one release set."""
    related = Concept.objects.get(uid="generative-ai")
    for i in range(start, start + count):
        data = factories.complete_data(f"term {i}", f"术语{i}", f"術語{i}")
        data.relations = [RelationData(kind=RelationKind.RELATED, target=related)]
        data.domains.append(factories.domain(f"domain-{i}"))
        version = factories.make_published(editor, reviewers, uid=f"concept-{i}", data=data)
        # A second version must say something new to be submitted.
        data.texts["note_en"] = f"Version 2 of term {i}."
        publish_new_version(version.concept, editor, reviewers, data)


@pytest.mark.parametrize(
    "path",
    [
        "concepts/",
        "concepts/?q=term",
        "concepts/?release={release}",
        "concepts/?domain=generative-ai",
        "concepts/concept-0/",
        "concepts/concept-0/versions/",
        "concepts/concept-0/versions/1/",
        "concepts/concept-0/diff/",
        "releases/",
        "releases/{release}/",
        "releases/{release}/concepts/concept-0/",
        "domains/",
    ],
)
def test_query_counts_do_not_grow_with_rows(api, editor, reviewers, published, administrator, path):
    services.release_cut(name="2025.1", user=administrator)
    add_concepts(editor, reviewers, 1, start=0)
    services.release_cut(name="2025.2", user=administrator)
    few = queries_for(api, API + path.format(release="2025.2"))
    # More concepts, more versions, more releases; the latest release changed much more.
    add_concepts(editor, reviewers, 4, start=1)
    publish_new_version(
        Concept.objects.get(uid="concept-0"), editor, reviewers, factories.complete_data("x0")
    )
    services.release_cut(name="2025.3", user=administrator)
    assert queries_for(api, API + path.format(release="2025.3")) == few


# Schema and documentation --------------------------------------------------------------------


def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/concepts/{uid}/diff/" in out.read_text()


def openapi(api) -> dict:
    response = api.get(f"{API}schema/?format=json")
    assert response.status_code == 200
    return response.json()


OUR_PATHS = {
    "/api/v1/concepts/",
    "/api/v1/concepts/{uid}/",
    "/api/v1/concepts/{uid}/versions/",
    "/api/v1/concepts/{uid}/versions/{number}/",
    "/api/v1/concepts/{uid}/diff/",
    "/api/v1/concepts/{uid}/submit/",
    "/api/v1/concepts/{uid}/review/",
    "/api/v1/concepts/{uid}/withdraw/",
    "/api/v1/concepts/{uid}/new-draft/",
    "/api/v1/concepts/{uid}/retire/",
    "/api/v1/drafts/{uid}/",
    "/api/v1/releases/",
    "/api/v1/releases/{name}/",
    "/api/v1/releases/{name}/concepts/{uid}/",
    "/api/v1/domains/",
    "/api/v1/auth/token/",
}


def test_every_endpoint_parameter_and_field_is_described(api):
    schema = openapi(api)
    assert set(schema["paths"]) >= OUR_PATHS
    undescribed = []
    for path in OUR_PATHS:
        for method, operation in schema["paths"][path].items():
            if method == "parameters":
                continue
            if not (operation.get("summary") and operation.get("description")):
                undescribed.append(f"{method} {path}")
            undescribed += [
                f"{method} {path} ?{p['name']}"
                for p in operation.get("parameters", [])
                if not p.get("description")
            ]
    ours = set()

    def collect(schema_part: dict) -> None:
        for key in ("$ref",):
            if key in schema_part:
                name = schema_part[key].rsplit("/", 1)[-1]
                if name not in ours:
                    ours.add(name)
                    collect(schema["components"]["schemas"][name])
        for value in schema_part.values():
            if isinstance(value, dict):
                collect(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        collect(item)

    for path in OUR_PATHS:
        collect(schema["paths"][path])
    assert {"Concept", "VersionEditorial", "Diff", "ReleaseDetail", "Error"} <= ours
    for name in ours:
        for field, prop in schema["components"]["schemas"][name].get("properties", {}).items():
            if not prop.get("description"):
                undescribed.append(f"{name}.{field}")
    assert undescribed == []


def test_documentation_page_is_rendered_from_the_schema(api):
    response = api.get(f"{API}docs/")
    assert response.status_code == 200
    page = response.content.decode()
    schema = openapi(api)
    for path in schema["paths"]:
        assert path in page
    for name, component in schema["components"]["schemas"].items():
        assert f'id="schema-{name}"' in page
        for field in component.get("properties", {}):
            assert field in page
    assert "Authorization: Token" in page
    assert "If-Match" in page
    # Nothing is fetched from elsewhere at run time.
    assert "<script" not in page
    assert "cdn" not in page.lower()


def test_documentation_in_chinese(api):
    response = api.get(f"{API}docs/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in response.content.decode()


def test_schema_and_docs_stay_out_of_the_way_of_other_routes(api):
    assert api.get(f"{API}schema/").status_code == 200
    assert api.post(f"{API}docs/").status_code == 405
