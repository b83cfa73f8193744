"""The public record: where the sides differ, the evidence of review, the downloads, the
release notes in every language, and what each of these pages costs."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command

from glossary.core import lists, services
from glossary.core.choices import Agreement, ListSection
from glossary.core.models import ListEntry
from glossary.termcheck import index
from tests import factories
from tests.queries import measure

pytestmark = pytest.mark.django_db

PAGE_SIZE = 3


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch, fresh_check_index):
    # Concept names in usage texts are linked through the term index: each test builds its
    # own, as a rolled-back test leaves the publication stamp where the next one starts.
    monkeypatch.setattr("glossary.site.views.PAGE_SIZE", PAGE_SIZE)
    cache.clear()


@pytest.fixture
def reviewers(reviewer_us, reviewer_cn):
    return [reviewer_us, reviewer_cn]


def publish(
    editor,
    reviewers,
    uid,
    en,
    zh_hans,
    zh_hant,
    *,
    agreement=Agreement.AGREED,
    domain="generative-ai",
    **texts,
):
    data = factories.complete_data(en, zh_hans, zh_hant, **texts)
    data.agreement = agreement
    data.domains = [factories.domain(domain)]
    return factories.make_published(editor, reviewers, uid=uid, data=data)


def divergent(
    editor, reviewers, start, count, *, domain="generative-ai", agreement=Agreement.DIVERGENT
):
    for i in range(start, start + count):
        publish(
            editor,
            reviewers,
            f"differ-{i:03}",
            f"delta concept {i:03}",
            f"德尔塔{i}",
            f"德爾塔{i}",
            agreement=agreement,
            domain=domain,
            us_usage_en=f"U.S. documents use delta concept {i:03} for deployed artificial intelligence.",
            cn_usage_en=f"Chinese regulation uses it for any model {i}.",
            us_usage_zh_hans=f"美方文件中指已部署的人工智能{i}。",
            cn_usage_zh_hans=f"中方法规中指任何模型{i}。",
        )


def shown_uids(html):
    return re.findall(r'class="difference-title"><a href="/[a-z-]+/concepts/([^/]+)/"', html)


def test_differences_lists_only_partly_agreed_and_divergent_concepts(client, editor, reviewers):
    publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    divergent(editor, reviewers, 0, 2)
    divergent(editor, reviewers, 2, 1, agreement=Agreement.PARTLY, domain="governance")
    html = client.get("/en/differences/").content.decode()
    assert shown_uids(html) == ["differ-000", "differ-001", "differ-002"]
    assert "artificial-intelligence" not in shown_uids(html)
    assert "3 concepts are partly agreed or divergent" in html
    assert "Divergent" in html and "Partly agreed" in html
    # Both sides side by side, and the concept names inside them linked.
    assert "U.S.-side usage" in html and "China-side usage" in html
    assert 'class="concept-link" href="/en/concepts/artificial-intelligence/"' in html
    # Not linked to itself.
    assert 'class="concept-link" href="/en/concepts/differ-000/"' not in html
    # By domain: each domain with its count, and its own page.
    assert 'href="/en/differences/governance/"' in html
    governance = client.get("/en/differences/governance/").content.decode()
    assert shown_uids(governance) == ["differ-002"]
    assert client.get("/en/differences/no-such-domain/").status_code == 404


def test_an_upgrade_fills_in_the_differences_lists_rows(client, editor, reviewers):
    """Lists written before the page of differences existed lack its rows: the upgrade's
    ``rebuild_derived --if-missing`` (run by ``make migrate``) writes them, and the counts."""
    divergent(editor, reviewers, 0, 2)
    ListEntry.objects.filter(section__in=[ListSection.DIFFER_EN, ListSection.DIFFER_ZH]).delete()
    lists.recount()
    cache.clear()
    assert shown_uids(client.get("/en/differences/").content.decode()) == []
    call_command("rebuild_derived", "--if-missing", "--only", "lists", stdout=io.StringIO())
    cache.clear()
    html = client.get("/en/differences/").content.decode()
    assert shown_uids(html) == ["differ-000", "differ-001"]
    assert "2 concepts are partly agreed or divergent" in html


def test_differences_in_chinese_show_chinese_usage_in_pinyin_order(client, editor, reviewers):
    publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    divergent(editor, reviewers, 0, 2)
    html = client.get("/zh-hans/differences/").content.decode()
    assert shown_uids(html) == ["differ-000", "differ-001"]
    assert "美方文件中指已部署的" in html
    assert 'href="/zh-hans/concepts/artificial-intelligence/">' in html


def test_a_concept_that_comes_to_agree_leaves_the_list(client, editor, reviewers):
    divergent(editor, reviewers, 0, 2)
    from glossary.core.models import Concept, ConceptVersion
    from glossary.core.services import DraftData

    concept = Concept.objects.get(uid="differ-001")
    draft = services.draft_start(concept=concept, user=editor)
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    data.agreement = Agreement.AGREED
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)
    html = client.get("/en/differences/").content.decode()
    assert shown_uids(html) == ["differ-000"]
    assert "1 concept is partly agreed or divergent" in html


def test_agreement_badges_in_lists_and_search(client, editor, reviewers):
    publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    divergent(editor, reviewers, 0, 1)
    letter = client.get("/en/browse/en/d/").content.decode()
    assert 'class="badge badge-divergent">Divergent' in letter
    results = client.get("/en/search/?q=delta").content.decode()
    assert 'class="badge badge-divergent">Divergent' in results
    agreed = client.get("/en/search/?q=artificial+intelligence").content.decode()
    assert "badge-agreed" not in agreed
    browse = client.get("/en/browse/").content.decode()
    assert 'href="/en/differences/"' in browse


def check(client, address):
    # The term index is brought up to date by the worker, not by the page (issue 16): what the
    # page itself reads is measured.
    index.current_checker()
    measured = measure(client, address)
    for sql, rows in measured:
        assert "COUNT(" not in sql.upper(), (address, sql)
        assert rows <= 3 * PAGE_SIZE + 4, (address, rows, sql)
    return [rows for _sql, rows in measured]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "reviewer"])
def test_differences_pages_cost_the_same_at_any_size(
    client, editor, reviewers, reviewer_us, signed_in
):
    publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    divergent(editor, reviewers, 0, 7)
    divergent(editor, reviewers, 7, 4, domain="governance")
    if signed_in:
        client.force_login(reviewer_us)
    pages = [
        "/en/differences/",
        "/en/differences/?page=2",
        "/zh-hans/differences/governance/",
        "/en/browse/",
    ]
    before = {address: check(client, address) for address in pages}
    divergent(editor, reviewers, 11, 9)
    divergent(editor, reviewers, 20, 5, domain="governance")
    after = {address: check(client, address) for address in pages}
    assert after == before


# --- Evidence of review -------------------------------------------------------------------------


def test_history_shows_who_approved_each_version_when_and_why(client, editor, reviewers):
    data = factories.complete_data(
        us_usage_en="AI that generates content.", cn_usage_zh_hans="生成内容的人工智能服务。"
    )
    data.agreement = Agreement.PARTLY
    version = factories.make_draft(editor, data=data)
    services.version_submit(
        version=version, user=editor, comment="First proposal from the dialogue."
    )
    services.version_review(
        version=version, user=reviewers[1], decision="request_changes", comment="Say more."
    )
    services.version_submit(version=version, user=editor, comment="Second round: wording settled.")
    for reviewer in reviewers:
        services.version_approve(version=version, user=reviewer)
    html = client.get("/en/concepts/generative-ai/history/").content.decode()
    record = html.split('class="review-record"')[1].split("</td>")[0]
    assert "U.S. side" in record and "China side" in record
    assert "Partly agreed" in record
    # The note of the round that published it, not of the round sent back.
    assert "Second round: wording settled." in record
    assert "First proposal" not in record
    # Only this round's approvals: two of them.
    assert record.count('class="approval ') == 2
    zh = client.get("/zh-hans/concepts/generative-ai/history/").content.decode()
    zh_record = zh.split('class="review-record"')[1].split("</td>")[0]
    assert "美方" in zh_record and "、" in zh_record


def test_history_costs_the_same_whatever_the_number_of_reviews(client, editor, reviewers):
    factories.make_published(editor, reviewers)
    first = len(measure(client, "/en/concepts/generative-ai/history/"))
    factories.make_published(editor, reviewers, uid="other")
    assert len(measure(client, "/en/concepts/generative-ai/history/")) == first


def test_cite_this_entry_gives_the_versions_own_address(client, editor, reviewers):
    factories.make_published(editor, reviewers)
    html = client.get("/en/concepts/generative-ai/").content.decode()
    cite = html.split('id="cite"')[1]
    assert 'href="http://testserver/en/concepts/generative-ai/versions/1/"' in cite
    assert (
        "version 1" in cite
        and cite.split('id="cite-text"')[1].count(
            "http://testserver/en/concepts/generative-ai/versions/1/"
        )
        == 1
    )
    version_page = client.get("/en/concepts/generative-ai/versions/1/").content.decode()
    assert 'id="cite"' in version_page


# --- Downloads and release notes ----------------------------------------------------------------


def test_downloads_page_offers_every_format_of_the_glossary_its_domains_and_releases(
    client, editor, reviewers, administrator
):
    from glossary.exchange.formats import EXPORTS

    publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    publish(
        editor,
        reviewers,
        "governance-1",
        "model governance",
        "模型治理",
        "模型治理",
        domain="governance",
    )
    services.release_cut(name="2024.1", notes="First.", user=administrator)
    html = client.get("/en/downloads/").content.decode()
    for fmt in EXPORTS:
        assert f'href="/api/v1/export/{fmt}/"' in html
        assert f'href="/api/v1/export/{fmt}/?release=2024.1"' in html
        assert f'href="/api/v1/export/{fmt}/?domain=governance"' in html
    # One line on the tool each file is for; the spreadsheet CSV is the one with a BOM.
    spreadsheet = html.split('class="download download-csv-excel"')[1].split("</li>")[0]
    assert "byte-order mark" in spreadsheet and "Excel" in spreadsheet
    assert "DeepL" in html and "Amazon Translate" in html and "Google Cloud Translation" in html
    # Each file of the current glossary also in one Chinese variant, for tools that cannot
    # tell the two apart (OmegaT); the OmegaT file has a line of its own.
    for fmt in EXPORTS:
        for variant in ("zh-Hans", "zh-Hant"):
            assert f'href="/api/v1/export/{fmt}/?chinese={variant}"' in html
    omegat = html.split('class="download download-omegat"')[1].split("</li>")[0]
    assert "OmegaT" in omegat and "Traditional only" in omegat
    assert "keep =, +, - and @ at the start of a cell" in html
    response = client.get("/api/v1/export/omegat/?chinese=zh-Hant")
    assert response.status_code in (200, 302)
    # Every file answers.
    for fmt in ("csv-excel", "deepl", "amazon"):
        response = client.get(f"/api/v1/export/{fmt}/?release=2024.1")
        assert response.status_code == 200
    assert client.get("/api/v1/export/csv-excel/?domain=governance").status_code in (200, 302)
    # The footer's Downloads leads here, in every language.
    for prefix in ("en", "zh-hans", "zh-hant"):
        page = client.get(f"/{prefix}/").content.decode()
        footer = page.split('class="site-footer"')[1]
        assert f'href="/{prefix}/downloads/"' in footer
    zh = client.get("/zh-hans/downloads/").content.decode()
    assert "字节顺序标记" in zh


def test_downloads_page_costs_the_same_whatever_the_number_of_releases(
    client, editor, reviewers, administrator, monkeypatch
):
    monkeypatch.setattr("glossary.site.views.DOWNLOAD_RELEASES_PAGE_SIZE", 2)
    publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    for n in (1, 2, 3):
        services.release_cut(name=f"2024.{n}", user=administrator)
    before = [rows for _sql, rows in measure(client, "/en/downloads/")]
    for n in (4, 5, 6, 7):
        services.release_cut(name=f"2024.{n}", user=administrator)
    after = [rows for _sql, rows in measure(client, "/en/downloads/")]
    assert after == before
    assert max(after) <= 2 * 27
    assert client.get("/en/downloads/?page=9").status_code == 404


def test_release_notes_in_each_language(client, editor, reviewers, administrator):
    publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    services.release_cut(
        name="2025.1",
        notes="Adds the frontier AI terms.",
        notes_zh_hans="新增前沿人工智能术语。",
        notes_zh_hant="新增前沿人工智慧術語。",
        user=administrator,
    )
    assert "Adds the frontier AI terms." in client.get("/en/releases/2025.1/").content.decode()
    hans = client.get("/zh-hans/releases/2025.1/").content.decode()
    assert "新增前沿人工智能术语。" in hans and "Adds the frontier" not in hans
    hant = client.get("/zh-hant/releases/2025.1/").content.decode()
    assert "新增前沿人工智慧術語。" in hant
    assert "新增前沿人工智慧術語。" in client.get("/zh-hant/").content.decode()
    feed = client.get("/zh-hans/feeds/releases/").content.decode()
    assert "新增前沿人工智能术语。" in feed and "Adds the frontier" not in feed


def test_release_notes_missing_in_a_language_fall_back_and_say_so(
    client, editor, reviewers, administrator
):
    publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    services.release_cut(name="2025.1", notes="English only.", user=administrator)
    html = client.get("/zh-hans/releases/2025.1/").content.decode()
    assert '<div class="prose" lang="en">' in html and "English only." in html
    assert 'class="untranslated"' in html


def test_seed_release_notes_are_in_three_languages():
    from glossary.exchange import seed

    assert "术语表第一版" in seed.FIRST_RELEASE_NOTES_ZH_HANS
    assert "術語表第一版" in seed.FIRST_RELEASE_NOTES_ZH_HANT


# --- Feeds in a browser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "date_pattern", "notice"),
    [
        ("en", r"[A-Z][a-z]+\.? \d{1,2}, \d{4}", "This is an Atom feed."),
        ("zh-hans", r"\d{4}年\d{1,2}月\d{1,2}日", "这是 Atom 订阅源。"),
        ("zh-hant", r"\d{4}年\d{1,2}月\d{1,2}日", "這是 Atom 訂閱源。"),
    ],
)
@pytest.mark.parametrize("feed", ["changes", "releases"])
def test_feeds_are_styled_for_browsers_with_dates_in_the_languages_format(
    client, editor, reviewers, administrator, prefix, date_pattern, notice, feed
):
    from lxml import etree

    publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    services.release_cut(name="2025.1", notes="First.", user=administrator)
    response = client.get(f"/{prefix}/feeds/{feed}/")
    body = response.content
    assert re.search(
        rf'<\?xml-stylesheet href="/{prefix}/feeds/style.xsl"[^>]* type="text/xsl"\?>'.encode(),
        body,
    )
    style = client.get(f"/{prefix}/feeds/style.xsl")
    assert style["Content-Type"].startswith("text/xsl")
    transform = etree.XSLT(etree.fromstring(style.content))
    page = str(transform(etree.fromstring(body)))
    assert notice in page
    dates = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", page)
    assert dates and all(re.fullmatch(date_pattern, date) for date in dates), dates
    assert 'href="http://testserver/' in page or f'href="/{prefix}/' in page


def test_a_browser_gets_the_feed_as_the_page_its_stylesheet_makes(client, editor, reviewers):
    publish(
        editor,
        reviewers,
        "artificial-intelligence",
        "artificial intelligence",
        "人工智能",
        "人工智慧",
    )
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/zh-hans/feeds/changes/", HTTP_ACCEPT=browser)
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-Hans">' in html
    assert "这是 Atom 订阅源。" in html and re.search(r">\d{4}年\d{1,2}月\d{1,2}日</time>", html)
    assert "Accept" in page["Vary"]
    for reader in ("application/atom+xml", "*/*", ""):
        feed = client.get("/zh-hans/feeds/changes/", HTTP_ACCEPT=reader)
        assert feed["Content-Type"].startswith("application/atom+xml"), reader


# --- Term check results a translator can act on ------------------------------------------------


@pytest.fixture
def check_glossary(editor, reviewers, fresh_check_index):
    from glossary.core.choices import Language, TermStatus
    from glossary.core.services import TermData

    data = factories.concept_data("neural network", "神经网络", "神經網路")
    data.terms.append(
        TermData(
            language=Language.ZH_HANS,
            text="神经元网络",
            status=TermStatus.DEPRECATED,
            note="Mistranslates “neural”: the network is not made of neurons.",
        )
    )
    factories.publish(editor, reviewers, "neural-network", data)
    factories.publish(
        editor,
        reviewers,
        "generative-ai",
        factories.concept_data("generative AI", "生成式人工智能"),
    )


def post_check(client, prefix="en", target="神经元网络和生成式人工智能"):
    form = {
        "source_language": "en",
        "target_language": "zh-Hans",
        "source": "neural network and generative AI",
        "target": target,
    }
    return client.post(f"/{prefix}/check/", form).content.decode()


def test_check_findings_have_a_sign_a_legend_a_filter_and_the_reason(client, check_glossary):
    html = post_check(client)
    legend = html.split('class="verdict-legend"')[1].split("</ul>")[0]
    for verdict in ("preferred", "admitted", "deprecated", "superseded", "missing"):
        assert f'class="legend-{verdict}"' in legend
    bad = html.split('<tr id="finding-1"')[1].split("</tr>")[0]
    good = html.split('<tr id="finding-2"')[1].split("</tr>")[0]
    assert 'class="finding-deprecated needs-attention"' in bad
    assert 'class="verdict-icon verdict-deprecated" aria-hidden="true">✗</span>' in bad
    assert "Mistranslates" in bad and "Why:" in bad
    assert 'class="finding-preferred fine"' in good
    assert 'class="verdict-icon verdict-preferred" aria-hidden="true">✓</span>' in good
    # The filter is a checkbox the stylesheet acts on: it works without JavaScript.
    assert 'id="attention-only" class="attention-toggle"' in html
    assert "Show only what needs attention (1)" in html
    zh = post_check(client, "zh-hans")
    assert "只显示需要处理的项（1）" in zh and "原因：" in zh


def test_reasons_cost_one_query_and_none_without_a_deprecated_term(client, check_glossary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post_check(client)  # the index is built
    with CaptureQueriesContext(connection) as flagged:
        post_check(client)
    with CaptureQueriesContext(connection) as clean:
        post_check(client, target="神经网络和生成式人工智能")
    # The terms' notes in one query, and the authorities' renderings of the admitted terms
    # found (issue 18) in one more.
    renderings = [q for q in flagged.captured_queries if '"glossary_rendering"' in q["sql"]]
    notes = [
        q
        for q in flagged.captured_queries
        if '"note"' in q["sql"] and '"glossary_rendering"' not in q["sql"]
    ]
    assert len(notes) == 1
    assert len(renderings) <= 1
    assert not [q for q in clean.captured_queries if '"note"' in q["sql"]]


# --- Chinese typography -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "reading"),
    [
        ("生成式AI", "shēng chéng shì AI"),
        ("Transformer模型", "Transformer mó xíng"),
        ("GPT-4架构", "GPT-4 jià gòu"),
        ("大语言模型", "dà yǔ yán mó xíng"),
    ],
)
def test_the_pinyin_line_keeps_latin_words_as_written(term, reading):
    from glossary.site.presentation import pinyin_marks

    assert pinyin_marks(term) == reading


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("en", "first attested 2023"), ("zh-hans", "最早见于 2023年"), ("zh-hant", "2023年")],
)
def test_a_year_alone_is_written_with_nian_in_chinese(client, editor, reviewers, prefix, expected):
    data = factories.complete_data()
    data.first_attested = "2023"
    factories.make_published(editor, reviewers, data=data)
    html = client.get(f"/{prefix}/concepts/generative-ai/").content.decode()
    assert expected in html


def test_chinese_pages_join_lists_with_full_width_marks(client, editor, reviewers):
    data = factories.complete_data()
    data.domains = [factories.domain("generative-ai"), factories.domain("governance")]
    factories.make_published(editor, reviewers, data=data)
    html = client.get("/zh-hans/concepts/generative-ai/").content.decode()
    domains = html.split("<dt>领域</dt>")[1].split("</dd>")[0]
    assert "、" in domains and ", " not in domains
    # A citation's place follows its title after a full-width comma.
    assert "，<span lang=" in html.split('id="sources"')[1]


def test_quotation_marks_in_chinese_come_from_the_cjk_font():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "glossary/static/glossary/site.css").read_text()
    face = css.split('font-family: "CJK Punctuation SC"')[1].split("}")[0]
    assert "U+201C-201D" in face and 'local("Noto Sans CJK SC")' in face
    assert re.search(
        r':lang\(zh-Hans\) \{\s*font-family: "CJK Punctuation SC", var\(--latin\)', css
    )


def test_the_admin_cuts_a_release_with_notes_in_three_languages(
    client, administrator, editor, reviewers
):
    factories.make_published(editor, reviewers)
    client.force_login(administrator)
    form = {
        "name": "2026.1",
        "notes": "Spring edition.",
        "notes_zh_hans": "春季版。",
        "notes_zh_hant": "春季版（繁體）。",
    }
    client.post("/admin/glossary/release/add/", form, follow=True)
    from glossary.core.models import Release

    release = Release.objects.get(name="2026.1")
    assert (release.notes_en, release.notes_zh_hans, release.notes_zh_hant) == (
        "Spring edition.",
        "春季版。",
        "春季版（繁體）。",
    )
    change = client.get(f"/admin/glossary/release/{release.pk}/change/").content.decode()
    assert "春季版（繁體）。" in change


def test_cut_release_command_takes_notes_in_each_language(editor, reviewers):
    from django.core.management import call_command

    from glossary.core.models import Release

    factories.make_published(editor, reviewers)
    call_command(
        "cut_release",
        "2026.2",
        notes="English.",
        notes_zh_hans="简体。",
        notes_zh_hant="繁體。",
        stdout=io.StringIO(),
    )
    release = Release.objects.get(name="2026.2")
    assert (release.notes_en, release.notes_zh_hans, release.notes_zh_hant) == (
        "English.",
        "简体。",
        "繁體。",
    )
