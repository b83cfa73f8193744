"""Renderings in the admin's draft form, and authorities as reference data (issue 18)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glossary.core import services
from glossary.core.models import Authority, ConceptVersion
from glossary.core.services import DraftData
from tests import authorities_data, factories
from tests.factories import admin_form_data as form_data

pytestmark = pytest.mark.django_db


def change_url(version: ConceptVersion) -> str:
    return reverse("admin:glossary_conceptversion_change", args=[version.pk])


def test_an_editor_adds_a_rendering_in_the_draft_form(client, editor, draft, administrator):
    authority = authorities_data.authority(administrator)
    client.force_login(editor)
    data = form_data(client.get(change_url(draft)))
    prefix = "renderings"
    assert f"{prefix}-TOTAL_FORMS" in data
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-authority": str(authority.pk),
            f"{prefix}-0-status": "recommended",
            f"{prefix}-0-term_zh_hans": "生成式人工智能",
            f"{prefix}-0-date": "2024-12",
            "_save": "Save",
        }
    )
    response = client.post(change_url(draft), data)
    assert response.status_code == 302
    rendering = ConceptVersion.objects.get(pk=draft.pk).renderings.get()
    assert (rendering.authority, rendering.term_zh_hans, rendering.date) == (
        authority,
        "生成式人工智能",
        "2024-12",
    )
    # A bad date is refused with its reason, and the saved rendering stays as it was.
    data = form_data(client.get(change_url(draft)))
    data.update({f"{prefix}-0-date": "December", "_save": "Save"})
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "2023-07" in response.content.decode()
    assert ConceptVersion.objects.get(pk=draft.pk).renderings.get().date == "2024-12"


def test_administrators_add_authorities_and_editors_only_read_them(client, editor, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:glossary_authority_add"),
        {
            "key": "tw-naer",
            "name_en": "National Academy for Educational Research",
            "name_zh_hans": "国家教育研究院",
            "name_zh_hant": "國家教育研究院",
            "kind": "academy",
            "jurisdiction": "TW",
            "url": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Authority.objects.get(key="tw-naer").name_zh_hant == "國家教育研究院"
    client.force_login(editor)
    assert client.get(reverse("admin:glossary_authority_add")).status_code == 403


def test_the_review_screen_shows_a_rendering_changed(
    client, editor, reviewer_us, reviewer_cn, administrator
):
    authority = authorities_data.authority(administrator)
    published = factories.make_published(
        editor,
        [reviewer_us, reviewer_cn],
        "large-language-model",
        authorities_data.llm_data(authorities_data.recommended(authority)),
    )
    draft = services.draft_start(concept=published.concept, user=editor)
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    data.renderings[0].date = "2024-12-27"
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    services.version_submit(version=draft, user=editor)
    client.force_login(reviewer_us)
    content = client.get(change_url(draft)).content.decode()
    assert (
        '<li class="rendering-changed">Recommended Chinese renderings of foreign terms (2024): '
        "<del>large language model / 大型语言模型 · Recommended · 2024-12</del> → "
        "<ins>large language model / 大型语言模型 · Recommended · 2024-12-27</ins></li>"
    ) in content
