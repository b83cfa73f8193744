"""The public site: every page, what it shows, what it never leaks, and its query counts."""

import itertools
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import translation

from config import urls as project_urls
from glossary.core import services
from glossary.core.choices import Language, RelationKind, TermStatus, TermType
from glossary.core.models import Concept, ConceptVersion, Release
from glossary.core.services import CitationData, DraftData, RelationData, TermData
from glossary.site.presentation import (
    guess_language,
    lang_spans,
    lang_text,
    parenthetical,
)
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


# --- Building data ----------------------------------------------------------------------------


@pytest.fixture
def reviewers(reviewer_us, reviewer_cn):
    return [reviewer_us, reviewer_cn]


def data_for(en, zh_hans, zh_hant, **texts):
    return factories.complete_data(en=en, zh_hans=zh_hans, zh_hant=zh_hant, **texts)


def publish(editor, reviewers, uid, en, zh_hans, zh_hant, **texts):
    return factories.make_published(
        editor, reviewers, uid=uid, data=data_for(en, zh_hans, zh_hant, **texts)
    )


def revise(concept, editor, reviewers, change):
    """Publish a new version of a concept, changed by ``change(data)``."""
    draft = services.draft_start(concept=concept, user=editor)
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    change(data)
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)
    draft.refresh_from_db()
    return draft


def retire(concept, administrator, reviewers, reason="Merged into a broader concept."):
    version = services.concept_retire(concept=concept, user=administrator, reason=reason)
    for reviewer in reviewers:
        services.version_approve(version=version, user=reviewer)
    version.refresh_from_db()
    return version


def many_concepts(editor, reviewers, start, count):
    for i in range(start, start + count):
        publish(editor, reviewers, f"concept-{i}", f"gamma concept {i}", f"伽马{i}", f"伽瑪{i}")


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"glossary:{name}", args=args)


def count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries)


class _LangSpans(HTMLParser):
    """Collects (lang, text) for every element with a lang attribute."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.found = []

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        # JSON-LD names its languages itself, and a <title> cannot hold marked-up spans.
        self.stack.append(tag if tag in ("script", "title") else dict(attrs).get("lang"))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        langs = [lang for lang in self.stack if lang]
        if data.strip():
            self.found.append((langs[-1] if langs else None, data.strip()))


def lang_of(html, text):
    """The lang in force wherever ``text`` occurs in the page's body (not JSON-LD, not title)."""
    parser = _LangSpans()
    parser.feed(html)
    return [lang for lang, data in parser.found if text in data and lang not in ("script", "title")]


def jsonld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S
        )
    ]


@pytest.fixture
def site(editor, reviewers, administrator):
    """A small glossary with history, a retirement, two releases and unpublished work."""
    genai = factories.make_published(editor, reviewers)  # generative-ai, version 1
    ai = publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    services.release_cut(name="2024.1", notes="First edition.", user=administrator)

    def change(data):
        data.texts["definition_en"] = "AI that produces novel content from prompts."
        data.terms.append(
            TermData(
                language=Language.EN,
                text="generative artificial-intelligence system",
                status=TermStatus.DEPRECATED,
                note="Too long.",
            )
        )
        data.relations = [RelationData(kind=RelationKind.BROADER, target=ai.concept)]

    revise(genai.concept, editor, reviewers, change)  # version 2
    old = publish(editor, reviewers, "expert-system", "expert system", "专家系统", "專家系統")
    retire(old.concept, administrator, reviewers, reason="No longer in use on either side.")
    services.release_cut(name="2024.2", notes="Second edition.", user=administrator)
    # Unpublished work that must never show.
    factories.make_draft(editor, uid="secret-draft", data=data_for("secret draft", "秘密", "秘密"))
    in_review = factories.make_draft(
        editor, uid="in-review", data=data_for("under review", "审查中", "審查中")
    )
    services.version_submit(version=in_review, user=editor)
    return Concept.objects.get(uid="generative-ai")


# --- Home -------------------------------------------------------------------------------------


def test_home(client, site):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert 'name="q"' in html and 'for="q"' in html
    # Size: generative AI and artificial intelligence; the retired one does not count.
    assert "2 concepts" in html
    assert "Release 2024.2" in html
    assert url("release", "2024.2") in html
    # Recent changes: the revision links to its diff.
    assert f"{url('compare', 'generative-ai')}?from=1&amp;to=2" in html
    assert "secret draft" not in html and "under review" not in html
    assert url("browse_letter", "en", "g") in html
    assert url("browse_letter", "zh", "r") in html
    assert url("domain", "generative-ai") in html
    (data,) = jsonld_blocks(html)
    assert data["@type"] == "DefinedTermSet"
    assert data["url"] == "http://testserver/en/"


def test_home_links_only_the_letters_that_have_entries(client, site):
    html = client.get("/en/").content.decode()
    browse = html.split('id="browse-title"')[1]
    # English: artificial intelligence (A), generative AI (G). Pinyin: rén (R), shēng (S).
    for script, letter in (("en", "a"), ("en", "g"), ("zh", "r"), ("zh", "s")):
        assert f'href="{url("browse_letter", script, letter)}"' in browse
    # Letters no entry starts with, and pinyin letters no syllable can start with.
    for script, letter in (("en", "b"), ("en", "e"), ("zh", "i"), ("zh", "u"), ("zh", "v")):
        assert f'href="{url("browse_letter", script, letter)}"' not in browse
    assert '<span class="empty" aria-hidden="true">I</span>' in browse
    assert '<span class="visually-hidden"> (1)</span>' in browse
    html = client.get("/zh-hant/").content.decode()
    assert '<span class="visually-hidden"> （1）</span>' in html


def test_root_redirects_to_a_language(client, site):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hant/"


@pytest.mark.parametrize(
    ("prefix", "tag"), [("en", "en"), ("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant")]
)
def test_html_lang_and_hreflang_alternates(client, site, prefix, tag):
    html = client.get(f"/{prefix}/concepts/generative-ai/").content.decode()
    assert f'<html lang="{tag}">' in html
    for other, other_tag in (("en", "en"), ("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant")):
        assert (
            f'<link rel="alternate" hreflang="{other_tag}" '
            f'href="http://testserver/{other}/concepts/generative-ai/">' in html
        )
    assert 'hreflang="x-default" href="http://testserver/en/concepts/generative-ai/"' in html


def test_language_switcher_keeps_the_page_and_query(client, site):
    html = client.get("/zh-hans/search/?q=generative+AI").content.decode()
    assert 'href="/en/search/?q=generative+AI" hreflang="en" lang="en"' in html
    assert 'href="/zh-hant/search/?q=generative+AI" hreflang="zh-Hant" lang="zh-Hant"' in html
    assert 'lang="zh-Hans" aria-current="true">简体中文' in html
    html = client.get("/en/concepts/generative-ai/history/").content.decode()
    assert 'href="/zh-hant/concepts/generative-ai/history/"' in html


# --- Browse -----------------------------------------------------------------------------------


def test_browse_overview(client, site):
    html = client.get("/en/browse/").content.decode()
    # English: A (artificial intelligence) and G (generative AI); the retired concept is not
    # listed. Pinyin: R (人工智能) and S (生成式人工智能).
    for script, letter in (("en", "a"), ("en", "g"), ("zh", "r"), ("zh", "s")):
        assert f'href="{url("browse_letter", script, letter)}"' in html
    assert f'href="{url("browse_letter", "en", "e")}"' not in html  # expert system is retired
    assert f'href="{url("domain", "generative-ai")}"' in html


def test_browse_english_letter(client, site, editor, reviewers):
    publish(editor, reviewers, "gradient", "gradient", "梯度", "梯度")
    html = client.get(url("browse_letter", "en", "g")).content.decode()
    assert html.index(">generative AI<") < html.index(">gradient<")
    assert "artificial intelligence" not in html.split('class="entries"')[1]
    assert 'lang="zh-Hans">生成式人工智能</span>' in html


def test_browse_chinese_by_pinyin(client, site, editor, reviewers):
    publish(editor, reviewers, "robustness", "robustness", "鲁棒性", "強健性")
    html = client.get(url("browse_letter", "zh", "r", lang="zh-hans")).content.decode()
    # rén gōng zhì néng sorts before... no: lǔ is under L; 人工智能 is alone under R.
    assert 'lang="zh-Hans">人工智能</a>' in html
    assert "rén gōng zhì néng" in html
    assert "鲁棒性" not in html
    html = client.get(url("browse_letter", "zh", "l", lang="zh-hans")).content.decode()
    assert 'lang="zh-Hans">鲁棒性</a>' in html
    assert 'lang="zh-Hant">強健性</span>' in html


def test_browse_sorts_chinese_by_pinyin_not_by_code_point(client, editor, reviewers):
    # 深度 (shēn) < 神经 (shén) < 生成 (shēng) in pinyin order; code points order them otherwise.
    publish(editor, reviewers, "c-sheng", "c sheng", "生成", "生成")
    publish(editor, reviewers, "c-shen2", "c shen2", "神经", "神經")
    publish(editor, reviewers, "c-shen1", "c shen1", "深度", "深度")
    html = client.get(url("browse_letter", "zh", "s")).content.decode()
    assert html.index(">深度<") < html.index(">神经<") < html.index(">生成<")


def test_browse_other_letter_and_unknown_letters(client, editor, reviewers):
    publish(editor, reviewers, "three-d", "3D generation", "三维生成", "三維生成")
    html = client.get(url("browse_letter", "en", "other")).content.decode()
    assert ">3D generation<" in html
    assert client.get("/en/browse/en/aa/").status_code == 404
    assert client.get("/en/browse/fr/a/").status_code == 404


def test_domain_page(client, site, editor, reviewers):
    html = client.get(url("domain", "generative-ai")).content.decode()
    assert ">generative AI<" in html and ">artificial intelligence<" in html
    assert "expert system" not in html
    assert f'href="{url("feed_domain", "generative-ai")}"' in html
    assert client.get(url("domain", "no-such-domain")).status_code == 404


def test_a_domain_without_a_current_concept_answers_404(
    client, site, editor, reviewers, administrator
):
    # Made for a concept that is still a draft: its name must not show anywhere yet.
    upcoming = factories.domain("robotics")
    upcoming.name_en = "Robotics (upcoming)"
    upcoming.save()  # reference data, not a versioned record
    data = data_for("robot", "机器人", "機器人")
    data.domains = [upcoming]
    draft = factories.make_draft(editor, uid="robot", data=data)
    for lang in ("en", "zh-hans", "zh-hant"):
        for name in ("domain", "feed_domain"):
            response = client.get(url(name, "robotics", lang=lang))
            assert response.status_code == 404, (name, lang)
            assert "Robotics (upcoming)" not in response.content.decode()
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)
    assert client.get(url("domain", "robotics")).status_code == 200
    assert client.get(url("feed_domain", "robotics")).status_code == 200
    # Once its only concept is retired, the domain is gone again, like from the browse page.
    retire(draft.concept, administrator, reviewers)
    assert client.get(url("domain", "robotics")).status_code == 404
    assert client.get(url("feed_domain", "robotics")).status_code == 404
    assert url("domain", "robotics") not in client.get(url("browse")).content.decode()


# --- Concept page -----------------------------------------------------------------------------


def test_concept_page_shows_everything(client, site):
    response = client.get("/en/concepts/generative-ai/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="concept-title"><span lang="en">generative AI</span></h1>' in html
    # Terms by language with status, type and part of speech.
    assert 'lang="en" class="term-text">GenAI</span>' in html
    assert "Admitted" in html and "Abbreviation" in html and "Noun" in html
    assert 'lang="zh-Hant" class="term-text">生成式人工智慧</span>' in html
    # A deprecated term names the preferred term to use instead.
    deprecated = html.split('class="term-text">generative artificial-intelligence system')[1]
    deprecated = deprecated[:600]
    assert "Deprecated" in deprecated
    assert 'Use instead: <span lang="en">generative AI</span>' in deprecated
    # Definitions side by side, each in its own language.
    assert '<div class="prose" lang="en"><p>AI that produces novel content from prompts.' in html
    assert '<div class="prose" lang="zh-Hans"><p>能够生成新内容的人工智能' in html
    assert '<div class="prose" lang="zh-Hant"><p>能夠生成新內容的人工智慧' in html
    # Sources, related concepts (with their own label), maturity, history, domains.
    assert "Source cn-genai-measures" in html and "第二十二条" in html
    assert (
        'href="/en/concepts/artificial-intelligence/"><span lang="en">artificial intelligence'
        in (html)
    )
    assert "Broader concept" in html
    assert "Established" in html
    assert 'href="/en/concepts/generative-ai/history/"' in html
    assert 'href="/en/domains/generative-ai/"' in html


def test_concept_page_cite_this_entry(client, site):
    html = client.get("/en/concepts/generative-ai/").content.decode()
    cite = html.split('id="cite"')[1]
    version = Concept.objects.get(uid="generative-ai").public_version
    assert ">2024.2</a>" in cite  # the newest release holding this exact version
    assert "<dd>2</dd>" in cite
    assert "http://testserver/en/concepts/generative-ai/" in cite
    assert version.published_at.date().isoformat() in cite
    assert "release 2024.2, version 2" in cite


def test_concept_not_yet_in_a_release_says_so(client, editor, reviewers):
    factories.make_published(editor, reviewers)
    html = client.get("/en/concepts/generative-ai/").content.decode()
    assert "not yet in a release" in html


def test_concept_jsonld_defined_term(client, site):
    html = client.get("/zh-hant/concepts/generative-ai/").content.decode()
    (data,) = jsonld_blocks(html)
    assert data["@type"] == "DefinedTerm"
    assert data["url"] == "http://testserver/zh-hant/concepts/generative-ai/"
    # One IRI per concept, whatever the interface language.
    assert data["@id"] == "http://testserver/en/concepts/generative-ai/"
    (english,) = jsonld_blocks(client.get("/en/concepts/generative-ai/").content.decode())
    assert english["@id"] == data["@id"]
    assert english["inDefinedTermSet"]["@id"] == data["inDefinedTermSet"]["@id"]
    assert "dateModified" not in data  # not a property of DefinedTerm
    assert data["termCode"] == "generative-ai"
    assert {"@value": "生成式人工智慧", "@language": "zh-Hant"} in data["name"]
    assert {"@value": "generative AI", "@language": "en"} in data["name"]
    assert {"@value": "GenAI", "@language": "en"} in data["alternateName"]
    # A deprecated term is not a name of the concept.
    alternates = {name["@value"] for name in data["alternateName"]}
    assert "generative artificial-intelligence system" not in alternates
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert any(d["@language"] == "zh-Hans" for d in data["description"])


def test_jsonld_cannot_break_out_of_its_script(client, editor, reviewers):
    publish(editor, reviewers, "x", "x</script><b>", "叉", "叉")
    html = client.get("/en/concepts/x/").content.decode()
    (data,) = jsonld_blocks(html)
    assert {"@value": "x</script><b>", "@language": "en"} in data["name"]
    assert "x</script><b>" not in html


HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize(
    "page",
    [
        "/en/",
        "/en/concepts/generative-ai/",
        "/en/concepts/generative-ai/history/",
        "/en/concepts/generative-ai/compare/?from=1&to=2",
        "/en/concepts/generative-ai/versions/1/",
        "/en/releases/2024.2/",
        "/en/releases/2024.1/concepts/generative-ai/",
        "/en/search/?q=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD",
        "/en/browse/zh/s/",
        "/en/domains/generative-ai/",
    ],
)
def test_every_chinese_span_of_an_english_page_says_so(client, site, page):
    html = client.get(page).content.decode()
    parser = _LangSpans()
    parser.feed(html)
    untagged = [
        text
        for lang, text in parser.found
        if HAN.search(text)
        and not (lang or "").startswith("zh")
        and lang not in ("script", "title")
    ]
    assert untagged == []


@pytest.mark.parametrize("prefix", ["zh-hans", "zh-hant"])
def test_english_terms_on_a_chinese_page_say_so(client, site, prefix):
    for page in ("/", "/concepts/generative-ai/", "/search/?q=generative", "/releases/2024.2/"):
        html = client.get(f"/{prefix}{page}").content.decode()
        parser = _LangSpans()
        parser.feed(html)
        langs = {lang for lang, text in parser.found if text == "generative AI"}
        assert langs == {"en"}, (page, langs)


def test_unpublished_concepts_answer_404(client, site):
    for uid in ("secret-draft", "in-review", "no-such-concept"):
        for name in ("concept", "history", "compare"):
            assert client.get(url(name, uid)).status_code == 404, (name, uid)
        assert client.get(url("version", uid, 1)).status_code == 404


def test_published_concept_with_a_new_draft_shows_the_published_version(client, site, editor):
    draft = services.draft_start(concept=site, user=editor)
    services.draft_update(
        version=draft,
        user=editor,
        data=data_for("draft wording", "草稿措辞", "草稿措辭"),
        expected_revision=draft.revision,
    )
    html = client.get("/en/concepts/generative-ai/").content.decode()
    assert "draft wording" not in html
    assert "novel content" in html
    # Nor in the history, nor through a version page or a diff.
    history = client.get(url("history", "generative-ai")).content.decode()
    assert "Version 3" not in history
    assert client.get(url("version", "generative-ai", 3)).status_code == 404
    response = client.get(url("compare", "generative-ai") + "?from=2&to=3")
    assert response.status_code == 404
    assert "draft wording" not in response.content.decode()


def test_withdrawn_and_in_review_versions_stay_out_of_history(client, site, editor):
    draft = services.draft_start(concept=site, user=editor)
    services.version_withdraw(version=draft, user=editor)
    second = services.draft_start(concept=site, user=editor)
    second = factories.edit_draft(second, editor)
    services.version_submit(version=second, user=editor)
    history = client.get(url("history", "generative-ai")).content.decode()
    assert "Version 3" not in history and "Version 4" not in history
    assert client.get(url("version", "generative-ai", 3)).status_code == 404
    assert client.get(url("version", "generative-ai", 4)).status_code == 404


def test_retired_concept_shows_its_notice_and_reason(client, site):
    response = client.get("/en/concepts/expert-system/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This concept has been retired" in html
    assert "No longer in use on either side." in html
    assert ">expert system<" in html


def test_superseded_version_only_through_history_and_releases(client, site):
    html = client.get("/en/concepts/generative-ai/").content.decode()
    assert "AI that produces new content" not in html  # version 1's wording
    response = client.get(url("version", "generative-ai", 1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "AI that produces new content: generative AI." in html
    assert "version 2 has replaced it" in html
    html = client.get(url("release_concept", "2024.1", "generative-ai")).content.decode()
    assert "AI that produces new content: generative AI." in html
    assert "as it stood in release 2024.1 (version 1)" in html


@pytest.mark.parametrize(
    ("page", "canonical"),
    [
        ("/en/concepts/generative-ai/", "/en/concepts/generative-ai/"),
        ("/en/concepts/generative-ai/versions/1/", "/en/concepts/generative-ai/versions/1/"),
        (
            "/zh-hant/concepts/generative-ai/versions/2/",
            "/zh-hant/concepts/generative-ai/versions/2/",
        ),
        (
            "/en/releases/2024.1/concepts/generative-ai/",
            "/en/releases/2024.1/concepts/generative-ai/",
        ),
        (
            "/zh-hans/releases/2024.2/concepts/expert-system/",
            "/zh-hans/releases/2024.2/concepts/expert-system/",
        ),
    ],
)
def test_each_concept_page_is_its_own_canonical(client, site, page, canonical):
    # A release or an old version is a page of its own (cited as such), not a copy of the
    # permalink: search engines must not fold it into the current version.
    html = client.get(f"{page}?utm_source=x").content.decode()
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', html) == [
        f"http://testserver{canonical}"
    ]


def test_related_concepts_that_are_not_published_are_not_shown(client, editor, reviewers):
    hidden = factories.make_draft(editor, uid="hidden", data=data_for("hidden", "隐藏", "隱藏"))
    data = data_for("visible", "可见", "可見")
    data.relations = [RelationData(kind=RelationKind.RELATED, target=hidden.concept)]
    factories.make_published(editor, reviewers, uid="visible", data=data)
    html = client.get("/en/concepts/visible/").content.decode()
    assert "/concepts/hidden/" not in html and ">hidden<" not in html
    assert "Related concepts" not in html


def test_sources_with_links_and_quoted_wording(client, editor, reviewers):
    source = factories.source("eo-14110")
    source.url = "https://example.org/eo-14110"
    source.title = "Executive Order 14110"
    source.language = "en"
    source.save()  # reference data, not a versioned record
    data = data_for("frontier model", "前沿模型", "前沿模型")
    data.citations = [
        CitationData(
            source=source, locator="Sec. 3(k)", quote="a model that...", quote_language="en"
        ),
        CitationData(
            source=factories.source(),
            locator="第四条",
            quote="本办法所称",
            quote_language="zh-Hans",
        ),
    ]
    factories.make_published(editor, reviewers, uid="frontier-model", data=data)
    html = client.get("/en/concepts/frontier-model/").content.decode()
    assert (
        '<a href="https://example.org/eo-14110" lang="en" rel="external">Executive Order 14110</a>'
        in html
    )
    assert "Sec. 3(k)" in html
    assert '<blockquote lang="en"><p>a model that...</p></blockquote>' in html
    assert '<blockquote lang="zh-Hans"><p>本办法所称</p></blockquote>' in html


# --- Text in two scripts ---------------------------------------------------------------------

# Mixed-script texts as the seed glossary writes them.
CALQUE_NOTE = "Word-for-word calque of 大模型; unidiomatic in English."
TAIWAN_USAGE = (
    "Taiwan's Cyber Security Management Act uses 關鍵基礎設施 and imposes duties on designated"
    " critical infrastructure providers (關鍵基礎設施提供者)."
)
PRC_TITLE_NOTE = (
    "PRC form; keep it when quoting PRC legal titles such as 《互聯網信息服務算法推薦管理規定》."
)
FOUNDATION_NOTE = (
    "英文没有一一对应的术语，译者应视语境选用 foundation model、large language model 或"
    " general-purpose AI。"
)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        (CALQUE_NOTE, "en"),
        (TAIWAN_USAGE, "en"),
        (PRC_TITLE_NOTE, "en"),
        ("Word embedding is 词嵌入 / 詞嵌入.", "en"),
        ("'Tokenizer' is 分词器 in the PRC and 分詞器 in Taiwan.", "en"),
        ("word embedding 译作“词嵌入”。", "zh-Hans"),
        ("word embedding 譯為「詞嵌入」。", "zh-Hant"),
        (FOUNDATION_NOTE, "zh-Hans"),
        ("训练一个前沿模型可能要占用数千块GPU长达数月。", "zh-Hans"),
        ("GB/T 41867-2022 信息技术 人工智能 术语", "zh-Hans"),
        ("第二十二条", "zh-Hans"),
        ("國家發展委員會", "zh-Hant"),
        ("Sec. 3(k)", "en"),
        ("2024", "en"),
        ("", "en"),
    ],
)
def test_a_text_is_guessed_by_its_majority_script(text, tag):
    assert guess_language(text) == tag


@pytest.mark.parametrize(
    ("text", "language", "html"),
    [
        (
            CALQUE_NOTE,
            "en",
            'Word-for-word calque of <span lang="zh-Hans">大模型</span>; unidiomatic in English.',
        ),
        (
            TAIWAN_USAGE,
            "en",
            "Taiwan&#x27;s Cyber Security Management Act uses "
            '<span lang="zh-Hant">關鍵基礎設施</span> and imposes duties on designated critical'
            ' infrastructure providers (<span lang="zh-Hant">關鍵基礎設施提供者</span>).',
        ),
        (
            PRC_TITLE_NOTE,
            "en",
            "PRC form; keep it when quoting PRC legal titles such as "
            '<span lang="zh-Hant">《互聯網信息服務算法推薦管理規定》</span>.',
        ),
        (
            "Known as 人工智能（AI） in the PRC.",
            "en",
            'Known as <span lang="zh-Hans">人工智能</span>（AI） in the PRC.',
        ),
        (
            "Trained for 训练10轮 in all.",
            "en",
            'Trained for <span lang="zh-Hans">训练10轮</span> in all.',
        ),
        (
            FOUNDATION_NOTE,
            "zh-Hans",
            '英文没有一一对应的术语，译者应视语境选用 <span lang="en">foundation model</span>、'
            '<span lang="en">large language model</span> 或 '
            '<span lang="en">general-purpose AI</span>。',
        ),
        (
            "几乎都以Transformer为基础，如GPT-4。",
            "zh-Hant",
            '几乎都以<span lang="en">Transformer</span>为基础，如<span lang="en">GPT-4</span>。',
        ),
        # One Latin letter is part of the Chinese word: k折, X光.
        ("k折交叉验证和X光", "zh-Hans", "k折交叉验证和X光"),
        ("Only English here.", "en", "Only English here."),
        # Text is escaped, and only the spans this filter makes are markup.
        (
            '<script>alert("大")</script> & co',
            "en",
            '&lt;script&gt;alert(&quot;<span lang="zh-Hans">大</span>&quot;)&lt;/script&gt;'
            " &amp; co",
        ),
        ("<b>粗体</b>", "zh-Hans", "&lt;b&gt;粗体&lt;/b&gt;"),
        (
            '<i onclick="x">斜体</i>',
            "zh-Hans",
            '&lt;<span lang="en">i onclick</span>=&quot;x&quot;&gt;斜体&lt;/i&gt;',
        ),
    ],
)
def test_runs_of_the_other_script_get_their_own_lang(text, language, html):
    assert lang_spans(text, language) == html


def test_lang_text_guesses_and_keeps_empty_text_empty():
    assert lang_text(CALQUE_NOTE) == (
        '<span lang="en">Word-for-word calque of <span lang="zh-Hans">大模型</span>; '
        "unidiomatic in English.</span>"
    )
    assert lang_text("第二十二条") == '<span lang="zh-Hans">第二十二条</span>'
    assert lang_text("第二十二条", "zh-Hant") == '<span lang="zh-Hant">第二十二条</span>'
    assert lang_text("  ") == ""
    assert lang_text(None) == ""


@pytest.fixture
def mixed(editor, reviewers):
    """A concept whose texts quote the other language, as the seed's do."""
    publisher = factories.source("cac")
    publisher.publisher = "国家互联网信息办公室"
    publisher.title = "生成式人工智能服务管理暂行办法"
    publisher.jurisdiction = ""
    publisher.save()  # reference data, not a versioned record
    data = data_for(
        "large model",
        "大模型",
        "大模型",
        definition_en="A model that the PRC calls 大模型 (literally “big model”).",
        definition_zh_hans="参数规模很大的模型，通常基于Transformer架构。",
        cn_usage_en=TAIWAN_USAGE,
        note_zh_hans="feedback 大陆译“反馈”。",
    )
    data.terms.append(
        TermData(
            language=Language.EN,
            text="big model",
            status=TermStatus.DEPRECATED,
            note=CALQUE_NOTE,
        )
    )
    data.citations = [
        CitationData(
            source=publisher,
            locator="第二条",
            quote="The measures cover 生成式人工智能 services offered to the public.",
            quote_language="en",
        )
    ]
    return factories.make_published(editor, reviewers, uid="large-model", data=data)


def untagged_han(html):
    parser = _LangSpans()
    parser.feed(html)
    return [
        text
        for lang, text in parser.found
        if HAN.search(text)
        and not (lang or "").startswith("zh")
        and lang not in ("script", "title")
    ]


def test_chinese_inside_english_text_has_its_own_lang(client, mixed):
    html = client.get("/en/concepts/large-model/").content.decode()
    # The note is English: read with an English voice, its Chinese word with a Chinese one.
    assert lang_of(html, "Word-for-word calque of") == ["en"]
    assert lang_of(html, "; unidiomatic in English.") == ["en"]
    assert lang_of(html, "關鍵基礎設施提供者") == ["zh-Hant"]
    assert lang_of(html, "and imposes duties on designated") == ["en"]
    assert lang_of(html, "(literally “big model”).") == ["en"]
    assert set(lang_of(html, "生成式人工智能")) == {"zh-Hans"}  # in a quote and a title
    assert lang_of(html, "services offered to the public.") == ["en"]
    assert lang_of(html, "国家互联网信息办公室") == ["zh-Hans"]
    assert lang_of(html, "第二条") == ["zh-Hans"]
    assert untagged_han(html) == []


@pytest.mark.parametrize("prefix", ["en", "zh-hans", "zh-hant"])
def test_english_inside_chinese_text_has_its_own_lang(client, mixed, prefix):
    html = client.get(f"/{prefix}/concepts/large-model/").content.decode()
    assert lang_of(html, "Transformer") == ["en"]
    assert lang_of(html, "参数规模很大的模型，通常基于") == ["zh-Hans"]
    if prefix == "zh-hans":
        assert lang_of(html, "feedback") == ["en"]
        assert lang_of(html, "大陆译“反馈”。") == ["zh-Hans"]


def test_retirement_reason_carries_its_lang_in_the_notice_and_the_diff(
    client, mixed, administrator, reviewers
):
    retire(
        mixed.concept, administrator, reviewers, reason="Merged into 大模型 (large language model)."
    )
    for page in (
        "/zh-hant/concepts/large-model/",
        "/zh-hant/concepts/large-model/compare/?from=1&to=2",
    ):
        html = client.get(page).content.decode()
        assert lang_of(html, "Merged into") == ["en"], page
        assert lang_of(html, "(large language model).") == ["en"], page
        assert "大模型</span> (large language model)." in html, page
        assert '<span lang="zh-Hans">大模型</span> (large' in html, page


def test_changed_term_notes_carry_their_lang_in_the_diff(client, mixed, editor, reviewers):
    def change(data):
        for term in data.terms:
            if term.text == "big model":
                term.note = "Calque of 大模型."

    revise(mixed.concept, editor, reviewers, change)
    html = client.get("/zh-hans/concepts/large-model/compare/?from=1&to=2").content.decode()
    assert lang_of(html, "Word-for-word calque of") == ["en"]  # the old note
    assert lang_of(html, "Calque of") == ["en"]  # the new one
    assert set(lang_of(html, "大模型")) == {"zh-Hans"}


def test_source_details_start_with_what_there_is(client, mixed, site):
    for uid in ("large-model", "generative-ai"):
        html = client.get(f"/en/concepts/{uid}/").content.decode()
        details = re.findall(r'<span class="source-meta">(.*?)</span>\n', html, flags=re.S)
        assert details, uid
        for line in details:
            assert not line.strip().startswith("·"), line
    html = client.get("/en/concepts/generative-ai/").content.decode()
    assert '<span class="source-meta">People&#x27;s Republic of China</span>' in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "(Simplified Chinese, preferred)"),
        ("zh-hans", "（简体中文，首选）"),
        ("zh-hant", "（簡體中文，首選）"),
    ],
)
def test_parentheses_follow_the_interface_language(language, expected):
    from glossary.site.presentation import choice_label, language_name

    with translation.override(language):
        shown = parenthetical(language_name("zh-Hans"), choice_label("preferred", "status").lower())
    assert shown == expected
    assert parenthetical("<b>", "") == "(&lt;b&gt;)"
    assert parenthetical("", None) == ""


def test_chinese_pages_use_full_width_parentheses(client, site):
    html = client.get("/zh-hant/search/", {"q": "生成式人工智慧"}).content.decode()
    assert "（繁體中文，首選）" in html
    assert "(繁體中文, " not in html
    html = client.get(
        url("compare", "generative-ai", lang="zh-hant") + "?from=1&to=2"
    ).content.decode()
    assert '<span class="muted">（英語）</span>' in html
    html = client.get(url("version", "generative-ai", 1, lang="zh-hans")).content.decode()
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title == "生成式人工智能 （第 1 版） · 人工智能术语表"
    html = client.get(url("version", "generative-ai", 1)).content.decode()
    assert "<title>generative AI (version 1) · AI Glossary</title>" in html


# --- Translated fields and their fallbacks ----------------------------------------------------


def test_definitions_side_by_side_never_fall_back(client, editor, reviewers):
    publish(editor, reviewers, "c", "c", "丙", "丙", definition_zh_hant="")
    html = client.get("/zh-hant/concepts/c/").content.decode()
    definitions = html.split('class="definitions"')[1].split("</section>")[0]
    assert definitions.count("能够生成新内容") == 1  # only in its own (Simplified) column
    with translation.override("zh-hant"):
        missing = translation.gettext("No definition in this language yet.")
    assert missing in definitions


def test_usage_falls_back_in_the_settings_order_and_says_so(client, editor, reviewers):
    publish(
        editor,
        reviewers,
        "c",
        "c",
        "丙",
        "丙",
        us_usage_en="US usage in English.",
        us_usage_zh_hant="美方用法（繁體）。",
        cn_usage_en="China usage in English only.",
    )
    with translation.override("zh-hans"):
        note = translation.gettext("Not yet translated: shown in another language.")
    html = client.get("/zh-hans/concepts/c/").content.decode()
    # zh-hans falls back to zh-hant first, then to English; each marked with its real lang.
    assert '<div class="prose" lang="zh-Hant"><p>美方用法（繁體）。</p></div>' in html
    assert '<div class="prose" lang="en"><p>China usage in English only.</p></div>' in html
    assert html.count(note) == 2
    # In English nothing falls back: the English texts are there.
    html = client.get("/en/concepts/c/").content.decode()
    assert '<div class="prose" lang="en"><p>US usage in English.</p></div>' in html
    assert "Not yet translated" not in html


def test_fallback_helper_follows_settings(settings):
    from glossary.site.presentation import shown

    class Obj:
        note_en = "en"
        note_zh_hans = ""
        note_zh_hant = "hant"

    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES["zh-hans"] == ("zh-hant", "en")
    assert shown(Obj, "note", "zh-hans").text == "hant"
    assert shown(Obj, "note", "zh-hans").lang == "zh-Hant"
    assert shown(Obj, "note", "zh-hans").fallback
    assert shown(Obj, "note", "zh-hant").text == "hant"
    assert not shown(Obj, "note", "zh-hant").fallback
    assert shown(Obj, "note", "en").text == "en"
    Obj.note_zh_hant = ""
    assert (shown(Obj, "note", "zh-hant").text, shown(Obj, "note", "zh-hant").lang) == ("en", "en")
    Obj.note_en = ""
    assert not shown(Obj, "note", "zh-hant")


def test_untranslated_domain_name_is_marked(client, editor, reviewers):
    domain = factories.domain("robotics")
    domain.name_zh_hans = ""
    domain.name_zh_hant = ""
    domain.name_en = "Robotics"
    domain.save()  # reference data, not a versioned record
    data = data_for("robot", "机器人", "機器人")
    data.domains = [domain]
    factories.make_published(editor, reviewers, uid="robot", data=data)
    html = client.get("/zh-hant/domains/robotics/").content.decode()
    assert '<span lang="en">Robotics</span>' in html
    with translation.override("zh-hant"):
        assert translation.gettext("(not yet translated)") in html


# --- History and diffs ------------------------------------------------------------------------


def test_history_lists_public_versions_with_links_to_diffs(client, site):
    html = client.get(url("history", "generative-ai")).content.decode()
    assert url("version", "generative-ai", 1) in html
    assert url("version", "generative-ai", 2) in html
    assert f"{url('compare', 'generative-ai')}?from=1&amp;to=2" in html
    assert '<select id="compare-from" name="from">' in html
    assert 'for="compare-from"' in html and 'for="compare-to"' in html


@pytest.mark.parametrize(
    ("prefix", "current", "superseded"),
    [
        ("en", "Current", "Superseded"),
        ("zh-hans", "当前", "已被取代"),
        ("zh-hant", "目前", "已被取代"),
    ],
)
def test_history_states_read_alike(client, site, prefix, current, superseded):
    html = client.get(url("history", "generative-ai", lang=prefix)).content.decode()
    assert f'<span class="badge badge-published">{current}</span>' in html
    assert f'<span class="badge badge-superseded">{superseded}</span>' in html


def test_readable_diff_between_two_versions(client, site):
    response = client.get(url("compare", "generative-ai") + "?from=1&to=2")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Agreed definition" in html
    assert "<ins>novel</ins>" in html or "<ins>" in html
    assert "<del>" in html
    assert "generative artificial-intelligence system" in html
    assert "added as Deprecated" in html
    assert "Broader concept: artificial-intelligence" in html
    # Reversed order is shown oldest first.
    reversed_html = client.get(url("compare", "generative-ai") + "?from=2&to=1").content.decode()
    assert "From version 1" in reversed_html


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 400, "Choose two versions to compare."),
        ("?from=a&to=2", 400, "Choose two versions to compare."),
        ("?from=2&to=2", 400, "Choose two different versions to compare."),
        ("?from=1&to=9", 404, "Version 9 is not in the public history of this concept."),
    ],
)
def test_bad_diff_requests_get_a_clear_message(client, site, query, status, message):
    response = client.get(url("compare", "generative-ai") + query)
    assert response.status_code == status
    assert message in response.content.decode()


def test_diff_in_chinese_interface(client, site):
    html = client.get(
        url("compare", "generative-ai", lang="zh-hant") + "?from=1&to=2"
    ).content.decode()
    with translation.override("zh-hant"):
        assert str(Language.ZH_HANT.label) in html
    assert '<html lang="zh-Hant">' in html


# --- Releases ---------------------------------------------------------------------------------


def test_release_list(client, site):
    html = client.get(url("releases")).content.decode()
    assert html.index("2024.2") < html.index("2024.1")
    assert f'href="{url("release", "2024.1")}"' in html


def entry_of(html, uid):
    """The list item of the concept ``uid`` on a release's page."""
    return html.split(f'concepts/{uid}/"')[1].split("</li>")[0]


def test_release_page_changelog_and_downloads(client, site):
    html = client.get(url("release", "2024.2")).content.decode()
    assert "Second edition." in html
    assert "Published on" in html and "with 3 concepts." in html
    assert f'href="{url("release", "2024.1")}"' in html
    # The kinds of change with the counts the cut kept, each a link to its list.
    for kind, count in (("added", 0), ("changed", 1), ("retired", 1), ("unchanged", 1)):
        assert f'href="{url("release", "2024.2")}?change={kind}"' in html
        assert re.search(rf'change={kind}">[^<]+</a> <span class="count">{count}</span>', html)
    # Every concept, each with its kind of change; the changed one links to its diff.
    assert 'badge-changed">Changed' in entry_of(html, "generative-ai")
    assert f"{url('compare', 'generative-ai')}?from=1&amp;to=2" in entry_of(html, "generative-ai")
    assert 'badge-retired">Retired' in entry_of(html, "expert-system")
    assert 'badge-unchanged">Unchanged' in entry_of(html, "artificial-intelligence")
    for fmt in ("tbx", "tbx2008", "csv", "xlsx", "json"):
        assert f'href="{reverse("api:export", args=[fmt])}?release=2024.2"' in html
    assert "secret draft" not in html

    changed = client.get(url("release", "2024.2"), {"change": "changed"}).content.decode()
    assert url("release_concept", "2024.2", "generative-ai") in changed
    assert f"{url('compare', 'generative-ai')}?from=1&amp;to=2" in changed
    assert "/concepts/expert-system/" not in changed
    assert 'aria-current="page">Changed' in changed
    added = client.get(url("release", "2024.2"), {"change": "added"}).content.decode()
    assert "None." in added and 'class="entries"' not in added
    assert client.get(url("release", "2024.2"), {"change": "lost"}).status_code == 404
    assert client.get(url("release", "2024.2"), {"page": "2"}).status_code == 404


def test_first_release_lists_everything_as_added(client, site):
    html = client.get(url("release", "2024.1"), {"change": "added"}).content.decode()
    assert url("release_concept", "2024.1", "generative-ai") in html
    assert url("release_concept", "2024.1", "artificial-intelligence") in html


def test_release_concept_page(client, site):
    html = client.get(url("release_concept", "2024.2", "expert-system")).content.decode()
    assert "This concept has been retired" in html
    assert client.get(url("release_concept", "2024.1", "expert-system")).status_code == 404
    assert client.get(url("release_concept", "2024.1", "secret-draft")).status_code == 404
    assert client.get(url("release", "2099.1")).status_code == 404
    assert client.get(url("release_concept", "2099.1", "generative-ai")).status_code == 404


# --- Search page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["generative AI", "生成式人工智能", "生成式人工智慧", "Generative-AI"]
)
def test_search_page_finds_the_concept(client, site, query):
    html = client.get(url("search"), {"q": query}).content.decode()
    assert html.count('href="/en/concepts/generative-ai/"') == 1
    assert "1 concept found" in html


def test_search_page_grouped_results_and_deprecated_hint(client, site):
    html = client.get(
        url("search"), {"q": "generative artificial intelligence system"}
    ).content.decode()
    assert 'href="/en/concepts/generative-ai/"' in html
    assert "Use instead:" in html and '<span lang="en">generative AI</span></span>' in html


def results_of(html):
    """Each search result's item, whitespace collapsed."""
    return [
        " ".join(item.split())
        for item in re.findall(r'<li class="result">(.*?)</li>', html, flags=re.S)
    ]


def test_search_page_rows_in_each_language(client, site):
    """Each result: its label and link, badge, terms, how it matched, the note on the matched
    term, the term to use instead, and the definition, in the reader's language."""
    expert = results_of(client.get(url("search"), {"q": "expert"}).content.decode())
    assert expert == [
        '<h2><a href="/en/concepts/expert-system/"><span lang="en">expert system</span></a>'
        ' <span class="badge badge-retired">retired</span></h2> <p class="result-terms">'
        '<span class="terms-line"><span lang="en">expert system</span><span lang="zh-Hans">'
        '专家系统</span><span lang="zh-Hant">專家系統</span></span></p> <p class="result-match">'
        ' Begins with your search: <span lang="en" class="term-text">expert system</span>'
        ' <span class="muted">(English, preferred)</span> </p> <p class="result-definition"'
        ' lang="en">AI that produces new content: expert system.</p>'
    ]
    html = client.get("/zh-hans/search/", {"q": "generative artificial intelligence system"})
    (row,) = results_of(html.content.decode())
    assert row.startswith(
        '<h2><a href="/zh-hans/concepts/generative-ai/"><span lang="zh-Hans">生成式人工智能</span>'
        '</a></h2> <p class="result-terms"><span class="terms-line"><span lang="zh-Hans">'
        '生成式人工智能</span><span lang="zh-Hant">生成式人工智慧</span><span lang="en">'
        "generative AI</span></span></p>"
    )
    assert (
        '<p class="result-match"> 完全匹配： <span lang="en" class="term-text">generative'
        ' artificial-intelligence system</span> <span class="muted">（英语，拒用）</span>'
        ' <span class="use-instead">应改用： <span lang="en">generative AI</span></span> </p>'
    ) in row
    assert row.endswith(
        '<p class="result-definition" lang="zh-Hans">能够生成新内容的人工智能：生成式人工智能。</p>'
    )


def test_search_page_without_query_and_with_a_too_long_one(client, site):
    response = client.get(url("search"))
    assert response.status_code == 200
    assert "found for" not in response.content.decode()
    response = client.get(url("search"), {"q": "x" * 201})
    assert response.status_code == 400
    assert "The search text is too long: at most 200 characters, you gave 201." in (
        response.content.decode()
    )


def test_search_page_finds_nothing_unpublished(client, site):
    html = client.get(url("search"), {"q": "secret draft"}).content.decode()
    assert "0 concepts found" in html
    assert "secret-draft" not in html


# --- Feeds and sitemap ------------------------------------------------------------------------


def test_changes_feed(client, site):
    response = client.get(url("feed_changes"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert any(t.startswith("Retired: expert system") for t in titles)
    assert any(t.startswith("Revised (version 2): generative AI") for t in titles)
    assert any(t.startswith("New: artificial intelligence") for t in titles)
    assert not any("secret" in t or "under review" in t for t in titles)
    ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    # The revision links to what changed since the version it revised.
    links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert any(href.endswith(f"{url('compare', 'generative-ai')}?from=1&to=2") for href in links)


def test_feeds_follow_the_interface_language(client, site):
    root = ET.fromstring(client.get(url("feed_changes", lang="zh-hant")).content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hant"
    entry = next(root.iter(f"{ATOM}entry"))
    assert "/zh-hant/" in entry.find(f"{ATOM}link").get("href")


def test_releases_feed(client, site):
    root = ET.fromstring(client.get(url("feed_releases")).content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Release 2024.2", "Release 2024.1"]


def test_domain_feed(client, site, editor, reviewers):
    other = factories.domain("robotics")
    data = data_for("robot", "机器人", "機器人")
    data.domains = [other]
    factories.make_published(editor, reviewers, uid="robot", data=data)
    root = ET.fromstring(client.get(url("feed_domain", "robotics")).content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["New: robot · 机器人 · 機器人"]
    assert client.get(url("feed_domain", "nope")).status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [("feed_changes", ()), ("feed_domain", ("generative-ai",)), ("feed_releases", ())],
)
def test_feeds_answer_conditional_requests(client, site, editor, reviewers, name, args):
    address = url(name, *args)
    first = client.get(address)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    assert "no-cache" in first["Cache-Control"]
    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    since = client.get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # Each interface language is its own representation.
    other = client.get(url(name, *args, lang="zh-hans"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200
    # A publication makes the reader's copy stale.
    factories.make_published(
        editor, reviewers, uid="robot", data=data_for("robot", "机器人", "機器人")
    )
    assert client.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def feed_entries(client, address, **headers):
    root = ET.fromstring(client.get(address, **headers).content)
    return root, list(root.iter(f"{ATOM}entry"))


@pytest.mark.parametrize(
    ("name", "args"),
    [("feed_changes", ()), ("feed_domain", ("generative-ai",)), ("feed_releases", ())],
)
def test_feeds_are_valid_atom(client, site, name, args):
    # RFC 4287: the feed and every entry have an absolute IRI as id, a title and an updated
    # date, and an author (here the feed's, which every entry inherits).
    for lang in ("en", "zh-hans", "zh-hant"):
        root, entries = feed_entries(client, url(name, *args, lang=lang))
        with translation.override(lang):
            assert root.findtext(f"{ATOM}author/{ATOM}name") == translation.gettext("AI Glossary")
        assert root.findtext(f"{ATOM}id").startswith("http://testserver/")
        assert root.findtext(f"{ATOM}updated")
        assert entries
        for entry in entries:
            for child in ("id", "title", "updated"):
                assert entry.findtext(f"{ATOM}{child}"), (child, lang)
            assert re.fullmatch(
                r"tag:testserver,\d{4}-\d{2}-\d{2}:[a-z]+/[\w.-]+(/versions/\d+)?",
                entry.findtext(f"{ATOM}id"),
            )
            assert entry.find(f"{ATOM}link").get("href").startswith(f"http://testserver/{lang}/")


@pytest.mark.parametrize(
    ("name", "args"),
    [("feed_changes", ()), ("feed_domain", ("generative-ai",)), ("feed_releases", ())],
)
def test_feed_entry_ids_are_the_same_in_every_language(client, site, name, args):
    ids = {
        lang: [
            e.findtext(f"{ATOM}id") for e in feed_entries(client, url(name, *args, lang=lang))[1]
        ]
        for lang in ("en", "zh-hans", "zh-hant")
    }
    assert ids["en"] == ids["zh-hans"] == ids["zh-hant"]
    assert len(set(ids["en"])) == len(ids["en"])


def test_feed_entry_ids_name_the_host_the_concept_and_the_version(client, site):
    version = Concept.objects.get(uid="generative-ai").public_version
    release = Release.objects.get(name="2024.1")
    _root, entries = feed_entries(
        client, url("feed_changes"), HTTP_HOST="glossary.example.org:8443"
    )
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    published = version.published_at.date().isoformat()
    assert f"tag:glossary.example.org,{published}:concepts/generative-ai/versions/2" in ids
    _root, entries = feed_entries(client, url("feed_releases"), HTTP_HOST="glossary.example.org")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert (
        f"tag:glossary.example.org,{release.created_at.date().isoformat()}:releases/2024.1" in ids
    )


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_pages(client):
    """The text of every page the sitemap index lists."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    pages = []
    for loc in ET.fromstring(index.content).iter(f"{SITEMAP}loc"):
        response = client.get(loc.text.removeprefix("http://testserver"))
        assert response.status_code == 200, loc.text
        pages.append(response.content.decode())
    return pages


def test_sitemap_x_default_is_the_english_page_as_in_the_head(client, site):
    sm = SITEMAP
    xhtml = "{http://www.w3.org/1999/xhtml}"
    urls = [url for page in sitemap_pages(client) for url in ET.fromstring(page).iter(f"{sm}url")]
    assert urls
    for entry in urls:
        links = {link.get("hreflang"): link.get("href") for link in entry.iter(f"{xhtml}link")}
        assert links["x-default"] == links["en"], links
        assert links["x-default"].startswith("http://testserver/en/")
    html = client.get("/zh-hant/concepts/generative-ai/").content.decode()
    head = 'hreflang="x-default" href="http://testserver/en/concepts/generative-ai/"'
    assert head in html
    assert 'hreflang="x-default" href="http://testserver/en/concepts/generative-ai/"' in (
        "".join(sitemap_pages(client))
    )


def test_sitemap(client, site):
    text = "".join(sitemap_pages(client))
    for prefix in ("en", "zh-hans", "zh-hant"):
        assert f"<loc>http://testserver/{prefix}/concepts/generative-ai/</loc>" in text
        assert f"<loc>http://testserver/{prefix}/releases/2024.1/</loc>" in text
    assert 'hreflang="zh-Hans"' in text or 'hreflang="zh-hans"' in text
    assert "/concepts/expert-system/" in text  # retired: its permalink still answers
    assert "<loc>http://testserver/zh-hant/releases/2024.1/concepts/generative-ai/</loc>" in text
    assert "secret-draft" not in text and "in-review" not in text


# --- Errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "tag"), [("en", "en"), ("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant")]
)
def test_404_in_each_language(client, prefix, tag):
    response = client.get(f"/{prefix}/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{tag}">' in html
    with translation.override(prefix):
        assert translation.gettext("Page not found") in html
    # The language switcher offers the other languages' home pages.
    assert 'href="/zh-hant/"' in html or prefix == "zh-hant"


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    *project_urls.urlpatterns,
    *i18n_patterns(path("boom/", _boom), prefix_default_language=True),
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("prefix", "tag"), [("en", "en"), ("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant")]
)
def test_500_in_each_language(client, prefix, tag):
    client.raise_request_exception = False
    response = client.get(f"/{prefix}/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{tag}">' in html
    with translation.override(prefix):
        assert translation.gettext("Something went wrong") in html
    assert f'href="/{prefix}/"' in html


def test_error_handlers_are_configured(rf):
    # The project's handlers answer with the site's pages, except under /api/ (the API's JSON).
    assert project_urls.handler404 is project_urls.page_not_found
    assert project_urls.handler500 is project_urls.server_error
    page = project_urls.server_error(rf.get("/en/"))
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")
    api = project_urls.server_error(rf.get("/api/v1/concepts/"))
    assert api.status_code == 500
    assert json.loads(api.content)["code"] == "server_error"


# --- Accessibility basics ---------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["en", "zh-hant"])
def test_every_page_has_one_h1_a_skip_link_and_labelled_fields(client, site, prefix):
    for page in [*_pages(), url("concept", "expert-system")]:
        if "/feeds/" in page or page.endswith(".xml"):
            continue
        page = page.replace("/en/", f"/{prefix}/", 1)
        html = client.get(page).content.decode()
        assert html.count("<h1") == 1, page
        assert '<a class="skip-link" href="#main">' in html, page
        assert '<main id="main"' in html, page
        fields = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html)
        assert fields, page
        for field in fields:
            assert f'for="{field}"' in html, (page, field)
        # Headings do not skip a level (h1 -> h3 without an h2).
        levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (page, levels)


# --- Query counts -----------------------------------------------------------------------------


def _pages():
    return [
        url("home"),
        url("browse"),
        url("browse_letter", "en", "g"),
        url("browse_letter", "zh", "g", lang="zh-hans"),
        url("domain", "generative-ai"),
        url("concept", "generative-ai"),
        url("history", "generative-ai"),
        url("compare", "generative-ai") + "?from=1&to=2",
        url("version", "generative-ai", 1),
        url("releases"),
        url("release", "2024.2"),
        url("release_concept", "2024.2", "generative-ai"),
        url("search") + "?q=gamma",
        url("feed_changes"),
        url("feed_releases"),
        url("feed_domain", "generative-ai"),
        "/sitemap.xml",
        "/sitemap-concepts.xml",
        "/sitemap-release-concepts.xml",
        "/sitemap-domains.xml",
    ]


def test_no_page_makes_more_queries_as_the_glossary_grows(
    client, site, editor, reviewers, administrator
):
    many_concepts(editor, reviewers, 0, 2)
    services.release_cut(name="2024.3", user=administrator)
    before = {page: count_queries(client, page) for page in _pages()}

    many_concepts(editor, reviewers, 2, 5)
    genai = Concept.objects.get(uid="generative-ai")

    def more(data):
        # More relations, sources and terms on the concept page itself.
        data.relations = [
            RelationData(kind=RelationKind.RELATED, target=c)
            for c in Concept.objects.filter(uid__startswith="concept-")
        ]
        data.citations.append(CitationData(source=factories.source("another"), locator="p. 2"))
        data.terms.append(
            TermData(language=Language.ZH_HANS, text="生成式AI", term_type=TermType.VARIANT)
        )

    revise(genai, editor, reviewers, more)
    services.release_cut(name="2024.4", user=administrator)
    # The release pages of the new release, with more entries and changes than the old one.
    pages = [p.replace("2024.2", "2024.4") for p in _pages()]
    after = {page: count_queries(client, page) for page in pages}
    for old, new in zip(_pages(), pages, strict=True):
        assert after[new] == before[old], (new, before[old], after[new])


def test_release_model_latest(site):
    # The home page's latest release is the newest cut.
    assert Release.objects.latest_first().first().name == "2024.2"


def test_unreviewed_traditional_text_is_marked_on_the_concept_page(
    client, editor, reviewer_us, reviewer_cn
):
    from glossary.core.choices import Language

    data = factories.complete_data()
    data.texts["us_usage_zh_hant"] = "機器轉換的用法。"
    data.texts["us_usage_en"] = "Usage."
    data.machine_converted_fields = ["definition_zh_hant", "us_usage_zh_hant"]
    for term in data.terms:
        if term.language == Language.ZH_HANT:
            term.machine_converted = True
    version = factories.make_published(editor, [reviewer_us, reviewer_cn], data=data)
    content = client.get(f"/zh-hant/concepts/{version.concept.uid}/").content.decode()
    # The Traditional term (in the heading too, as it names the page), the Traditional
    # definition and the usage each carry the mark.
    assert content.count("badge-unreviewed") == 4
    title = content[content.index("<title>") : content.index("</title>")]
    assert "機器轉換，未經審校" in title
    reviewed = factories.complete_data()
    other = factories.make_published(editor, [reviewer_us, reviewer_cn], uid="other", data=reviewed)
    assert (
        "badge-unreviewed"
        not in client.get(f"/zh-hant/concepts/{other.concept.uid}/").content.decode()
    )
