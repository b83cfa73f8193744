"""Authorities and renderings for the tests of issue 18 (built as an administrator would)."""

from __future__ import annotations

from glossary.core import services
from glossary.core.choices import AuthorityKind, Jurisdiction, Language, RenderingStatus
from glossary.core.models import Authority
from glossary.core.services import DraftData, RenderingData
from tests import factories


def authority(
    administrator,
    key: str = "cn-foreign-terms-2024",
    *,
    en: str = "Recommended Chinese renderings of foreign terms (2024)",
    zh_hans: str = "推荐使用外语词中文译名",
    zh_hant: str = "推薦使用外語詞中文譯名",
    kind: str = AuthorityKind.GOVERNMENT_LIST,
    jurisdiction: str = Jurisdiction.CN,
) -> Authority:
    return services.authority_save(
        authority=Authority(
            key=key,
            name=en,
            name_en=en,
            name_zh_hans=zh_hans,
            name_zh_hant=zh_hant,
            kind=kind,
            jurisdiction=jurisdiction,
        ),
        user=administrator,
    )


def llm_data(*renderings: RenderingData) -> DraftData:
    """Large language model, the glossary preferring 大语言模型, with these renderings."""
    data = factories.concept_data("large language model", "大语言模型", "大型語言模型")
    data.renderings = list(renderings)
    return data


def recommended(authority: Authority, zh_hans: str = "大型语言模型", **more: str) -> RenderingData:
    return RenderingData(
        authority=authority,
        status=RenderingStatus.RECOMMENDED,
        term_en="large language model",
        term_zh_hans=zh_hans,
        date="2024-12",
        **more,
    )


__all__ = ["Language", "authority", "llm_data", "recommended"]
