"""The term check names the authority whose rendering a translation uses (issue 18)."""

from __future__ import annotations

import pytest

from glossary.core.choices import Language, TermStatus
from tests import authorities_data, factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_check_index")]

FORM = {
    "source_language": "en",
    "target_language": "zh-Hans",
    "source": "A large language model answers.",
}


@pytest.fixture
def llm(editor, reviewer_us, reviewer_cn, administrator):
    authority = authorities_data.authority(administrator)
    data = factories.concept_data(
        "large language model",
        "大语言模型",
        "",
        (Language.ZH_HANS, "大型语言模型", TermStatus.ADMITTED),
        (Language.ZH_HANS, "大模型", TermStatus.ADMITTED),
    )
    data.renderings = [authorities_data.recommended(authority)]
    return factories.make_published(editor, [reviewer_us, reviewer_cn], "llm", data)


def test_an_admitted_term_an_authority_recommends_names_the_authority(client, llm):
    html = client.post("/en/check/", {**FORM, "target": "大型语言模型可以回答。"}).content.decode()
    assert "Admitted term used" in html
    assert "recommended by Recommended Chinese renderings of foreign terms (2024)" in html


def test_the_authority_is_named_in_the_interface_language(client, llm, compiled_catalogs):
    html = client.post(
        "/zh-hans/check/", {**FORM, "target": "大型语言模型可以回答。"}
    ).content.decode()
    assert "推荐使用外语词中文译名推荐" in html


@pytest.mark.parametrize("target", ["大语言模型可以回答。", "大模型可以回答。"])
def test_no_authority_is_named_for_other_terms(client, llm, target):
    client.post("/en/check/", {**FORM, "target": target})
    html = client.post("/en/check/", {**FORM, "target": target}).content.decode()
    assert "recommended by" not in html
