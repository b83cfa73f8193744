"""Glossaries built through the services for the exchange tests (no tests in this module).

``rich_glossary`` uses every field the model holds, in every language, with the awkward cases
the formats must survive: a uid starting with a digit, a free note that looks like a keyed one,
a term starting with ``=``, a superseded and a machine-converted term, a retired concept, a
concept with two published versions, and drafts that must never be exported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from glossary.core import services
from glossary.core.choices import Language, TermStatus, TermType
from glossary.core.models import ConceptVersion, Domain, Source
from glossary.core.services import CitationData, DraftData, RelationData, TermData
from tests import factories


@dataclass
class Glossary:
    editor: object
    reviewers: list
    administrator: object
    versions: dict[str, ConceptVersion]


def make_sources() -> tuple[Source, Source]:
    full = Source(
        key="eo-14110",
        title="Executive Order 14110 on Safe, Secure, and Trustworthy AI",
        publisher="The White House",
        jurisdiction="US",
        published_on=dt.date(2023, 10, 30),
        url="https://example.org/eo-14110",
        language="en",
    )
    full.full_clean()
    full.save()
    bare = Source(key="cn-genai-measures", title="生成式人工智能服务管理暂行办法")
    bare.full_clean()
    bare.save()
    return full, bare


def make_domains() -> tuple[Domain, Domain]:
    made = []
    for key, names in {
        "generative-ai": ("Generative AI", "生成式人工智能", "生成式人工智慧"),
        "governance": ("AI governance", "人工智能治理", "人工智慧治理"),
    }.items():
        domain = Domain(
            key=key, name=names[0], name_en=names[0], name_zh_hans=names[1], name_zh_hant=names[2]
        )
        domain.full_clean()
        domain.save()
        made.append(domain)
    return made[0], made[1]


def texts(prefix: str) -> dict[str, str]:
    return {
        "definition_en": f"{prefix}: AI that produces new content.\nSecond line.",
        "definition_zh_hans": f"{prefix}：能够生成新内容的人工智能。",
        "definition_zh_hant": f"{prefix}：能夠生成新內容的人工智慧。",
        "us_usage_en": "U.S. documents say generative AI.",
        "us_usage_zh_hans": "美方文件称生成式人工智能。",
        "us_usage_zh_hant": "美方文件稱生成式人工智慧。",
        "cn_usage_en": "Chinese regulation says generative AI services.",
        "cn_usage_zh_hans": "中方法规称生成式人工智能服务。",
        "cn_usage_zh_hant": "中方法規稱生成式人工智慧服務。",
        "agreement_note_en": "The scope differs: services versus systems.",
        "agreement_note_zh_hans": "范围不同：服务与系统。",
        "agreement_note_zh_hant": "範圍不同：服務與系統。",
        "note_en": "status: this note only looks like a keyed one",
        "note_zh_hans": "注：测试。",
        "note_zh_hant": "註：測試。",
    }


def rich_data(sources: tuple[Source, Source], domains, relations) -> DraftData:
    full, bare = sources
    return DraftData(
        texts=texts("generative AI"),
        agreement="partly_agreed",
        maturity="provisional",
        first_attested="2014-06",
        domains=list(domains),
        terms=[
            TermData(
                language=Language.EN,
                text="generative AI",
                status=TermStatus.PREFERRED,
                geographic_usage="US",
                context="Generative AI can write text.",
                note="The usual form.",
                source=full,
            ),
            TermData(
                language=Language.EN,
                text="GenAI",
                status=TermStatus.ADMITTED,
                term_type=TermType.ABBREVIATION,
            ),
            TermData(
                language=Language.EN,
                text="=generative(AI)",
                status=TermStatus.DEPRECATED,
                term_type=TermType.VARIANT,
                part_of_speech="adjective",
                note="note: starts with a key",
            ),
            TermData(
                language=Language.EN,
                text="creative AI",
                status=TermStatus.SUPERSEDED,
                term_type=TermType.PHRASE,
                in_sense_only=True,
            ),
            TermData(
                language=Language.ZH_HANS,
                text="生成式人工智能",
                status=TermStatus.PREFERRED,
                geographic_usage="CN",
                source=bare,
            ),
            TermData(language=Language.ZH_HANS, text="+生成式AI", status=TermStatus.ADMITTED),
            TermData(
                language=Language.ZH_HANT,
                text="生成式人工智慧",
                status=TermStatus.PREFERRED,
                geographic_usage="TW",
                machine_converted=True,
            ),
            TermData(
                language=Language.ZH_HANT,
                text="生成式人工智能",
                status=TermStatus.ADMITTED,
                geographic_usage="HK",
            ),
        ],
        citations=[
            CitationData(source=full, locator="Sec. 3(p)"),
            CitationData(
                source=bare,
                locator="第二十二条",
                quote="生成式人工智能技术，是指具有文本、图片等内容生成能力的模型。",
                quote_language="zh-Hans",
            ),
        ],
        relations=relations,
        machine_converted_fields=["definition_zh_hant"],
    )


def simple_data(en: str, zh_hans: str, zh_hant: str, source: Source) -> DraftData:
    return DraftData(
        agreement="agreed",
        maturity="established",
        texts={
            "definition_en": f"The concept of {en}.",
            "definition_zh_hans": f"{zh_hans}的概念。",
            "definition_zh_hant": f"{zh_hant}的概念。",
        },
        terms=[
            TermData(language=Language.EN, text=en, status=TermStatus.PREFERRED),
            TermData(language=Language.ZH_HANS, text=zh_hans, status=TermStatus.PREFERRED),
            TermData(language=Language.ZH_HANT, text=zh_hant, status=TermStatus.PREFERRED),
        ],
        citations=[CitationData(source=source)],
    )


def publish_new_version(version: ConceptVersion, editor, reviewers, data: DraftData) -> None:
    draft = services.draft_start(concept=version.concept, user=editor)
    draft = services.draft_update(
        version=draft, user=editor, data=data, expected_revision=draft.revision
    )
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)


def rich_glossary(editor, reviewers, administrator) -> Glossary:
    """A small glossary that uses every field; see the module docstring."""
    sources = make_sources()
    domains = make_domains()
    versions = {}
    versions["artificial-intelligence"] = factories.make_published(
        editor,
        reviewers,
        "artificial-intelligence",
        simple_data("artificial intelligence", "人工智能", "人工智慧", sources[0]),
    )
    # A second published version, so the history has a modification.
    data = simple_data("artificial intelligence", "人工智能", "人工智慧", sources[0])
    data.texts["definition_en"] = "Machines that perform tasks that need intelligence."
    data.domains = [domains[1]]
    publish_new_version(versions["artificial-intelligence"], editor, reviewers, data)
    versions["3d-generation"] = factories.make_published(
        editor,
        reviewers,
        "3d-generation",
        simple_data("3D generation", "三维生成", "三維生成", sources[1]),
    )
    relations = [
        RelationData(kind="broader", target=versions["artificial-intelligence"].concept),
        RelationData(kind="related", target=versions["3d-generation"].concept),
    ]
    versions["generative-ai"] = factories.make_published(
        editor, reviewers, "generative-ai", rich_data(sources, domains, relations)
    )
    retired = factories.make_published(
        editor,
        reviewers,
        "old-term",
        simple_data("expert system shell", "专家系统外壳", "專家系統外殼", sources[0]),
    )
    proposal = services.concept_retire(
        concept=retired.concept, user=administrator, reason="No longer used in either country."
    )
    for reviewer in reviewers:
        services.version_approve(version=proposal, user=reviewer)
    versions["old-term"] = proposal
    # Never exported: a concept that is only a draft, and an open draft of a published concept.
    factories.make_draft(
        editor, "draft-only", simple_data("secret draft", "草稿", "草稿", sources[0])
    )
    services.draft_start(concept=versions["3d-generation"].concept, user=editor)
    return Glossary(
        editor=editor, reviewers=reviewers, administrator=administrator, versions=versions
    )
