"""Renderings in the comparison of two public versions: the page and the API (issue 18)."""

from __future__ import annotations

import re

import pytest

from glossary.core import services
from glossary.core.choices import RenderingStatus
from glossary.core.models import ConceptVersion
from glossary.core.services import DraftData, RenderingData
from tests import authorities_data, factories

pytestmark = pytest.mark.django_db

UID = "large-language-model"
COMPARE = f"/en/concepts/{UID}/compare/?from=1&to=2"
DIFF = f"/api/v1/concepts/{UID}/diff/?from=1&to=2"


def publish_next(concept, editor, reviewers, change) -> ConceptVersion:
    """A new published version of ``concept``, with its draft data changed by ``change``."""
    draft = services.draft_start(concept=concept, user=editor)
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    change(data)
    draft = services.draft_update(
        version=draft, user=editor, data=data, expected_revision=draft.revision
    )
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)
    return draft


@pytest.fixture
def reviewers(reviewer_us, reviewer_cn):
    return [reviewer_us, reviewer_cn]


@pytest.fixture
def changed(editor, reviewers, administrator):
    """Version 1: the 2024 list recommends 大型语言模型 and NIST uses "LLM"; version 2: the list
    gives a full date, NIST's rendering is gone and an academy's is added."""
    listing = authorities_data.authority(administrator)
    nist = authorities_data.authority(
        administrator,
        "nist",
        en="NIST",
        zh_hans="美国国家标准与技术研究院",
        zh_hant="美國國家標準暨技術研究院",
    )
    academy = authorities_data.authority(
        administrator,
        "naer",
        en="National Academy for Educational Research",
        zh_hans="",
        zh_hant="國家教育研究院",
    )
    first = factories.make_published(
        editor,
        reviewers,
        UID,
        authorities_data.llm_data(
            authorities_data.recommended(listing),
            RenderingData(authority=nist, status=RenderingStatus.USED, term_en="LLM"),
        ),
    )

    def change(data: DraftData) -> None:
        data.renderings[0].date = "2024-12-27"
        data.renderings[1:] = [
            RenderingData(
                authority=academy, status=RenderingStatus.STANDARDISED, term_zh_hant="大型語言模型"
            )
        ]

    publish_next(first.concept, editor, reviewers, change)


def attrs(status: str, en: str = "", hans: str = "", hant: str = "", date: str = "") -> dict:
    return {
        "status": status,
        "terms": {"en": en, "zh-Hans": hans, "zh-Hant": hant},
        "definition": "",
        "definition_language": "",
        "locator": "",
        "date": date,
    }


def test_the_api_diff_names_renderings_added_removed_and_changed(client, changed):
    body = client.get(DIFF).json()
    assert body["renderings"] == [
        {
            "authority": "cn-foreign-terms-2024",
            "change": "changed",
            "old": attrs("recommended", "large language model", "大型语言模型", date="2024-12"),
            "new": attrs("recommended", "large language model", "大型语言模型", date="2024-12-27"),
        },
        {
            "authority": "naer",
            "change": "added",
            "old": None,
            "new": attrs("standardised", hant="大型語言模型"),
        },
        {"authority": "nist", "change": "removed", "old": attrs("used", "LLM"), "new": None},
    ]
    assert body["texts"] == body["terms"] == body["attributes"] == []
    backwards = client.get(f"/api/v1/concepts/{UID}/diff/?from=2&to=1").json()
    assert [(r["authority"], r["change"]) for r in backwards["renderings"]] == [
        ("cn-foreign-terms-2024", "changed"),
        ("nist", "added"),
        ("naer", "removed"),
    ]


def rendering_lines(html: str) -> list[str]:
    """The renderings section's lines as a reader sees them (markup aside)."""
    items = re.findall(r'<li class="rendering-(\w+)">(.*?)</li>', html, re.S)
    return [f"{change}: {re.sub(r'<[^>]+>', '', text)}" for change, text in items]


def test_the_compare_page_shows_the_rendering_changes(client, changed):
    html = client.get(COMPARE).content.decode()
    assert "<h3>Authorities' renderings</h3>" in html
    assert rendering_lines(html) == [
        "changed: Recommended Chinese renderings of foreign terms (2024) large language model / "
        "大型语言模型 · Recommended · 2024-12 → large language model / 大型语言模型 · Recommended · "
        "2024-12-27",
        "added: National Academy for Educational Research Added: 大型語言模型 · Standardised",
        "removed: NIST Removed: LLM · Used",
    ]
    assert '<del><span lang="en">large language model / <span lang="zh-Hans">大型语言模型' in html


def test_the_compare_page_names_authorities_in_the_interface_language(
    client, changed, compiled_catalogs
):
    html = client.get(COMPARE.replace("/en/", "/zh-hans/")).content.decode()
    assert "推荐使用外语词中文译名" in html
    # An authority without a Simplified name falls back to its Traditional one.
    assert "國家教育研究院" in html


def test_a_diff_without_rendering_changes_has_no_renderings_section(
    client, editor, reviewers, administrator
):
    listing = authorities_data.authority(administrator)
    first = factories.make_published(
        editor, reviewers, UID, authorities_data.llm_data(authorities_data.recommended(listing))
    )

    def change(data: DraftData) -> None:
        data.texts["definition_en"] = "A language model with very many parameters."

    publish_next(first.concept, editor, reviewers, change)
    assert client.get(DIFF).json()["renderings"] == []
    assert "diff-renderings" not in client.get(COMPARE).content.decode()
