"""Authorities' renderings on the public site: the crosswalk, the authority pages, their cost."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from glossary.core import services
from glossary.core.choices import RenderingStatus
from glossary.core.models import ConceptVersion
from glossary.core.services import DraftData, RenderingData
from glossary.exchange import formats
from glossary.exchange import published as snapshot
from glossary.site import authorities as authority_pages
from tests import authorities_data, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewers(reviewer_us, reviewer_cn):
    return [reviewer_us, reviewer_cn]


@pytest.fixture
def authority(administrator):
    return authorities_data.authority(administrator)


@pytest.fixture
def llm(editor, reviewers, authority):
    return factories.make_published(
        editor,
        reviewers,
        "large-language-model",
        authorities_data.llm_data(
            authorities_data.recommended(
                authority,
                definition="具有大规模参数的语言模型。",
                definition_language="zh-Hans",
                locator="第12条",
            )
        ),
    )


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"glossary:{name}", args=args)


def queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured)


@pytest.mark.parametrize(
    ("lang", "heading", "name", "note"),
    [
        (
            "en",
            "What authorities say",
            "Recommended Chinese renderings",
            "prefers a different term",
        ),
        ("zh-hans", "权威机构的译名", "推荐使用外语词中文译名", "本术语表首选的术语与该机构的不同"),
        ("zh-hant", "權威機構的譯名", "推薦使用外語詞中文譯名", "本術語表首選的術語與該機構的不同"),
    ],
)
def test_the_concept_page_shows_the_crosswalk_in_each_language(
    client, llm, compiled_catalogs, lang, heading, name, note
):
    html = client.get(url("concept", "large-language-model", lang=lang)).content.decode()
    assert heading in html and name in html and note in html
    # The authority's term beside the glossary's, the differing one marked.
    assert '<span lang="zh-Hans">大型语言模型</span>' in html
    assert '<span lang="zh-Hans">大语言模型</span>' in html
    assert html.count("crosswalk-differs") == 1
    assert "具有大规模参数的语言模型。" in html and "第12条" in html


def test_a_concept_without_renderings_has_no_crosswalk(client, editor, reviewers):
    factories.make_published(editor, reviewers)
    html = client.get(url("concept", "generative-ai")).content.decode()
    assert "What authorities say" not in html


def test_the_authority_page_lists_its_renderings_and_departures(client, llm, authority):
    html = client.get(url("authority", authority.key)).content.decode()
    assert "Recommended Chinese renderings of foreign terms (2024)" in html
    assert "Government list" in html and "People&#x27;s Republic of China" in html
    assert 'href="/en/concepts/large-language-model/"' in html
    assert "crosswalk-differs" in html
    listing = client.get(url("authorities")).content.decode()
    assert f'href="/en/authorities/{authority.key}/"' in listing


def test_an_unknown_authority_and_a_bad_page_are_404s(client, llm, authority):
    assert client.get(url("authority", "no-such-body")).status_code == 404
    response = client.get(url("authority", authority.key) + "?page=9")
    assert response.status_code == 404
    assert client.get(url("authority", authority.key) + "?page=x").status_code == 404


def test_renderings_of_unpublished_work_do_not_leak(client, editor, llm, authority):
    # A draft of a new concept, and a new draft of the published one, both citing the authority.
    factories.make_draft(
        editor,
        "secret-model",
        authorities_data.llm_data(authorities_data.recommended(authority, "秘密模型")),
    )
    draft = services.draft_start(concept=llm.concept, user=editor)
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    data.renderings.append(
        RenderingData(authority=authority, status=RenderingStatus.USED, term_zh_hans="草稿译名")
    )
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    for address in (
        url("authority", authority.key),
        url("concept", "large-language-model"),
    ):
        html = client.get(address).content.decode()
        assert "秘密模型" not in html and "secret-model" not in html and "草稿译名" not in html
    api = client.get("/api/v1/concepts/large-language-model/").json()
    assert [r["terms"]["zh-Hans"] for r in api["renderings"]] == ["大型语言模型"]


def test_the_authority_page_is_paginated(client, editor, reviewers, authority, monkeypatch):
    monkeypatch.setattr(authority_pages, "AUTHORITY_PAGE_SIZE", 2)
    for number in range(3):
        factories.make_published(
            editor,
            reviewers,
            f"model-{number}",
            authorities_data.llm_data(authorities_data.recommended(authority, f"模型{number}")),
        )
    first = client.get(url("authority", authority.key)).content.decode()
    second = client.get(url("authority", authority.key) + "?page=2").content.decode()
    assert "模型0" in first and "模型1" in first and "模型2" not in first
    assert "模型2" in second and "Page 2 of 2" in second


def test_pages_cost_the_same_with_more_renderings(
    client, editor, reviewers, administrator, authority, llm
):
    concept_before = queries(client, url("concept", "large-language-model"))
    authority_before = queries(client, url("authority", authority.key))
    other = authorities_data.authority(administrator, "tw-academy")
    for number in range(3):
        factories.make_published(
            editor,
            reviewers,
            f"model-{number}",
            authorities_data.llm_data(
                authorities_data.recommended(authority, f"模型{number}"),
                authorities_data.recommended(other, f"模型{number}"),
            ),
        )
    assert queries(client, url("authority", authority.key)) == authority_before
    assert queries(client, url("concept", "model-0")) == concept_before


def test_the_api_and_the_json_export_carry_renderings(client, llm, authority):
    rendering = client.get("/api/v1/concepts/large-language-model/").json()["renderings"]
    assert rendering == [
        {
            "authority": "cn-foreign-terms-2024",
            "authority_name": {
                "en": "Recommended Chinese renderings of foreign terms (2024)",
                "zh-Hans": "推荐使用外语词中文译名",
                "zh-Hant": "推薦使用外語詞中文譯名",
            },
            "authority_kind": "list",
            "jurisdiction": "CN",
            "terms": {"en": "large language model", "zh-Hans": "大型语言模型", "zh-Hant": ""},
            "status": "recommended",
            "definition": "具有大规模参数的语言模型。",
            "definition_language": "zh-Hans",
            "locator": "第12条",
            "date": "2024-12",
        }
    ]
    export = snapshot.prepare()
    document = json.loads(b"".join(formats.stream(formats.EXPORTS["json"], export)))
    (concept,) = document["concepts"]
    assert concept["renderings"] == rendering
