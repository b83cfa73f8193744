"""The public record in a real Chromium, in English and in Chinese: where the sides differ, the
evidence of review, the downloads, the term check's results and a feed opened in a browser.

Screenshots of each page at 1,280 and 390 px in each interface language land in
artifacts/screenshots/public-record/ for a person to look at.
"""

import re
from pathlib import Path

import pytest

from glossary.core import services
from glossary.core.choices import Agreement, Language, TermStatus
from glossary.core.services import TermData
from glossary.termcheck import index
from tests import factories

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "public-record"
PREFIXES = ("en", "zh-hans", "zh-hant")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(new_context):
    page = new_context().new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def record(editor, reviewer_us, reviewer_cn, administrator, fresh_check_index):
    """Two agreed concepts, two that the sides use differently, with a reviewed history, a
    release with notes in three languages and a deprecated term with its reason."""
    reviewers = [reviewer_us, reviewer_cn]
    ai = factories.complete_data("artificial intelligence", "人工智能", "人工智慧")
    ai.terms.append(
        TermData(
            language=Language.ZH_HANS,
            text="人工智慧型",
            status=TermStatus.DEPRECATED,
            note="Not used in either side’s documents; use 人工智能.",
        )
    )
    factories.make_published(editor, reviewers, uid="artificial-intelligence", data=ai)
    factories.make_published(
        editor,
        reviewers,
        uid="large-language-model",
        data=factories.complete_data("large language model", "大语言模型", "大型語言模型"),
    )
    for uid, en, hans, hant, agreement, domain in (
        (
            "frontier-ai",
            "frontier AI",
            "前沿人工智能",
            "前沿人工智慧",
            Agreement.DIVERGENT,
            "governance",
        ),
        (
            "generative-ai",
            "generative AI",
            "生成式人工智能",
            "生成式人工智慧",
            Agreement.PARTLY,
            "generative-ai",
        ),
    ):
        data = factories.complete_data(
            en,
            hans,
            hant,
            us_usage_en=f"U.S. documents use {en} for the most capable large language model systems.",
            cn_usage_en="Chinese regulation speaks of artificial intelligence services offered to the public.",
            us_usage_zh_hans="美方文件用它指能力最强的大语言模型系统。",
            cn_usage_zh_hans="中方法规所说的是面向公众提供的人工智能服务。",
            us_usage_zh_hant="美方文件用它指能力最強的大型語言模型系統。",
            cn_usage_zh_hant="中方法規所說的是面向公眾提供的人工智慧服務。",
            agreement_note_en="The two sides draw the line at different capabilities.",
            agreement_note_zh_hans="双方划定的能力界限不同。",
            agreement_note_zh_hant="雙方劃定的能力界限不同。",
        )
        data.agreement = agreement
        data.domains = [factories.domain(domain)]
        version = factories.make_draft(editor, uid=uid, data=data)
        services.version_submit(
            version=version, user=editor, comment="Both sides' usage recorded after round 3."
        )
        for reviewer in reviewers:
            services.version_approve(version=version, user=reviewer)
    services.release_cut(
        name="2025.1",
        notes="First edition: the terms of the 2023 dialogue.",
        notes_zh_hans="第一版：收录2023年对话中的术语。",
        notes_zh_hant="第一版：收錄2023年對話中的術語。",
        user=administrator,
    )
    index.current_checker()


def shoot(page, name, prefix, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{prefix}-{width}.png"), full_page=True)


def no_sideways_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_policy_reader_finds_where_the_sides_differ(live_server, page, record, prefix):
    page.goto(f"{live_server.url}/{prefix}/browse/")
    page.locator('a[href$="/differences/"]').last.click()
    page.wait_for_url(f"**/{prefix}/differences/")
    cards = page.locator("li.difference")
    assert cards.count() == 2
    assert page.locator("li.difference .usage-us").first.is_visible()
    assert page.locator("li.difference .usage-cn").first.is_visible()
    # By domain, then through a concept named inside a side's usage to that concept.
    page.locator('a[href$="/differences/governance/"]').click()
    page.wait_for_url(f"**/{prefix}/differences/governance/")
    assert page.locator("li.difference").count() == 1
    page.locator(
        "a.concept-link", has_text="大语言模型" if prefix == "zh-hans" else ""
    ).first.click()
    page.wait_for_url(f"**/{prefix}/concepts/*/")
    assert "/concepts/frontier-ai/" not in page.url


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_reader_sees_who_approved_a_version_and_cites_it(live_server, page, record, prefix):
    page.goto(f"{live_server.url}/{prefix}/concepts/frontier-ai/")
    page.locator('a[href$="/concepts/frontier-ai/history/"]').first.click()
    record_cell = page.locator("td.review-record").first
    assert record_cell.locator(".approval").count() == 2
    assert "round 3" in record_cell.inner_text()
    page.goto(f"{live_server.url}/{prefix}/concepts/frontier-ai/")
    version_link = page.locator("#cite ~ dl a", has_text="/versions/1/")
    href = version_link.get_attribute("href")
    assert href.endswith(f"/{prefix}/concepts/frontier-ai/versions/1/")
    version_link.click()
    page.wait_for_url(href)


def test_the_footer_leads_to_the_downloads_and_the_spreadsheet_csv_has_a_bom(
    live_server, page, record
):
    page.goto(f"{live_server.url}/en/")
    page.locator('footer a[href="/en/downloads/"]').click()
    page.wait_for_url("**/en/downloads/")
    link = page.locator("#current ~ ul .download-csv-excel a.download-link")
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(3) == b"\xef\xbb\xbf"
    for fmt in ("deepl", "google", "amazon"):
        assert page.locator(f'a[href="/api/v1/export/{fmt}/?release=2025.1"]').count() == 1


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_translator_filters_the_check_to_what_needs_attention(
    live_server, new_context, record, prefix
):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/{prefix}/check/")
    page.locator('textarea[name="source"]').fill("artificial intelligence and large language model")
    page.locator('textarea[name="target"]').fill("人工智慧型和大语言模型")
    page.locator("form.check-form").first.locator('select[name="target_language"]').select_option(
        "zh-Hans"
    )
    page.locator("form.check-form button[type=submit]").first.click()
    page.wait_for_selector("table.check-findings")
    assert page.locator("tr.fine").first.is_visible()
    assert "人工智能" in page.locator("tr.needs-attention").first.inner_text()
    page.locator("label.attention-label").click()
    assert not page.locator("tr.fine").first.is_visible()
    assert page.locator("tr.needs-attention").first.is_visible()
    assert page.locator(".verdict-legend li").count() == 6
    assert no_sideways_scroll(page)


def test_the_feed_stylesheet_is_inline_free(client):
    xsl = client.get("/en/feeds/style.xsl").content.decode()
    assert "style=" not in xsl and "<style" not in xsl and "<script" not in xsl
    assert not re.search(r"\son[a-z]+=", xsl)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_feed_opened_in_the_browser_is_a_page(live_server, page, record, prefix):
    page.goto(f"{live_server.url}/{prefix}/feeds/releases/")
    heading = page.locator("h1")
    heading.wait_for()
    assert page.locator(".feed-notice").is_visible()
    entry = page.locator(".feed-entry").first.inner_text()
    assert {"en": "First edition", "zh-hans": "第一版：收录", "zh-hant": "第一版：收錄"}[
        prefix
    ] in entry


PAGES = {
    "differences": "/{prefix}/differences/",
    "history": "/{prefix}/concepts/frontier-ai/history/",
    "concept": "/{prefix}/concepts/frontier-ai/",
    "downloads": "/{prefix}/downloads/",
    "release": "/{prefix}/releases/2025.1/",
    "search": "/{prefix}/search/?q=AI",
}


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_feeds(live_server, new_context, record, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    for prefix in PREFIXES:
        page.goto(f"{live_server.url}/{prefix}/feeds/changes/")
        page.locator("h1").wait_for()
        assert no_sideways_scroll(page)
        shoot(page, "feed", prefix, width)


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_the_public_record(live_server, new_context, record, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    for prefix in PREFIXES:
        for name, address in PAGES.items():
            page.goto(live_server.url + address.format(prefix=prefix))
            assert no_sideways_scroll(page), (name, prefix, width)
            shoot(page, name, prefix, width)
        page.goto(f"{live_server.url}/{prefix}/check/")
        page.locator('textarea[name="source"]').fill(
            "artificial intelligence and large language model"
        )
        page.locator('textarea[name="target"]').fill("人工智慧型和大语言模型")
        page.locator("form.check-form").first.locator(
            'select[name="target_language"]'
        ).select_option("zh-Hans")
        page.locator("form.check-form button[type=submit]").first.click()
        page.wait_for_selector("table.check-findings")
        assert no_sideways_scroll(page), ("check", prefix, width)
        shoot(page, "check", prefix, width)
        page.locator('section[aria-labelledby="check-results"]').screenshot(
            path=str(SCREENSHOTS / f"check-results-{prefix}-{width}.png")
        )
