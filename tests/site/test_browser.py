"""What a reader does, in a real Chromium: search in three scripts, switch languages, read a diff.

Debian's Chromium (/usr/bin/chromium) and the Noto CJK fonts come from apt-get (``make browser``,
run by ``make test``). Screenshots land in artifacts/screenshots/ for a person to look at.
Pages run under the site's Content-Security-Policy and any violation fails the test
(``new_context`` in conftest).
"""

from pathlib import Path

import pytest

from glossary.core import services
from glossary.core.choices import Language, TermStatus
from glossary.core.models import ConceptVersion
from glossary.core.services import DraftData, TermData
from tests import factories

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(new_context):
    """A page whose Content-Security-Policy violations fail the test (see conftest.new_context)."""
    page = new_context().new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    """generative AI in two published versions, artificial intelligence, and a release."""
    reviewers = [reviewer_us, reviewer_cn]
    first = factories.make_published(editor, reviewers)
    factories.make_published(
        editor,
        reviewers,
        uid="artificial-intelligence",
        data=factories.complete_data("artificial intelligence", "人工智能", "人工智慧"),
    )
    services.release_cut(name="2025.1", notes="First edition.", user=administrator)
    draft = services.draft_start(concept=first.concept, user=editor)
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    data.texts["definition_en"] = "AI models that produce novel content from prompts."
    data.texts["us_usage_en"] = "Executive documents describe a class of models."
    data.texts["cn_usage_zh_hans"] = "规章针对面向公众提供的服务。"
    data.terms.append(
        TermData(language=Language.EN, text="generative model AI", status=TermStatus.DEPRECATED)
    )
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)
    return first.concept


def rendered_fonts(page, selector):
    """The font families Chromium actually used to draw the text of an element."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    session.detach()
    return {font["familyName"] for font in fonts}


@pytest.mark.parametrize("query", ["generative AI", "生成式人工智能", "生成式人工智慧"])
def test_search_in_each_script_lands_on_the_same_concept(live_server, page, glossary, query):
    page.goto(f"{live_server.url}/en/")
    page.get_by_label("Search by any term in English, Simplified or Traditional Chinese").fill(
        query
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/?q=*")
    page.locator("ol.results > li h2 a").first.click()
    page.wait_for_url(f"{live_server.url}/en/concepts/generative-ai/")
    assert page.locator("h1").inner_text() == "generative AI"


def test_language_switch_stays_on_the_concept(live_server, page, glossary):
    page.goto(f"{live_server.url}/en/concepts/generative-ai/")
    page.get_by_role("navigation", name="Interface language").get_by_role(
        "link", name="简体中文"
    ).click()
    page.wait_for_url(f"{live_server.url}/zh-hans/concepts/generative-ai/")
    assert page.locator("h1").inner_text() == "生成式人工智能"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.get_by_role("link", name="繁體中文").click()
    page.wait_for_url(f"{live_server.url}/zh-hant/concepts/generative-ai/")
    assert page.locator("h1").inner_text() == "生成式人工智慧"
    assert page.locator("html").get_attribute("lang") == "zh-Hant"


def test_history_and_a_diff_with_the_keyboard(live_server, page, glossary):
    page.goto(f"{live_server.url}/en/concepts/generative-ai/")
    # The skip link is the first stop of the keyboard and moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.get_by_role("link", name="All versions and what changed between them").click()
    page.wait_for_url("**/concepts/generative-ai/history/")
    assert page.locator("table.history-table tbody tr").count() == 2
    page.get_by_label("From version").select_option("1")
    page.get_by_label("to version").select_option("2")
    page.get_by_role("button", name="Show the changes").click()
    page.wait_for_url("**/compare/?from=1&to=2")
    assert page.locator(".diff ins").count() > 0
    assert page.locator(".diff del").count() > 0
    assert "generative model AI" in page.locator(".diff").inner_text()


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_screenshots_and_chinese_glyphs(live_server, new_context, glossary, language):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, name in ((1280, "desktop"), (390, "phone")):
        context = new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for slug, path in (("home", "/"), ("concept", "/concepts/generative-ai/")):
            page.goto(f"{live_server.url}/{language}{path}")
            page.screenshot(path=str(SCREENSHOTS / f"{slug}-{language}-{name}.png"), full_page=True)
            # Nothing spills sideways on a phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Chinese is drawn with the CJK font of its own script (SC or TC glyph forms), never as
        # boxes and never with a Japanese fallback.
        for selector, family in (
            ('.definition [lang="zh-Hans"]', "Noto Sans CJK SC"),
            ('.definition [lang="zh-Hant"]', "Noto Sans CJK TC"),
            ('.lang-switch [lang="zh-Hans"]', "Noto Sans CJK SC"),
            ('.lang-switch [lang="zh-Hant"]', "Noto Sans CJK TC"),
            (
                "#concept-title span",
                {"en": None, "zh-hans": "Noto Sans CJK SC", "zh-hant": "Noto Sans CJK TC"}[
                    language
                ],
            ),
        ):
            if family:
                assert family in rendered_fonts(page, selector), (selector, language)


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_history_table_stacks_on_a_phone(live_server, new_context, glossary, language):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/{language}/concepts/generative-ai/history/")
    page.screenshot(path=str(SCREENSHOTS / f"history-{language}-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Version labels, states and dates each read on one line, not one character per line.
    lines = page.evaluate(
        """() => [...document.querySelectorAll(
            '.history-table tbody th a, .history-table tbody .badge, .history-table tbody time'
        )].map(el => [el.textContent, el.getClientRects().length])"""
    )
    # Two versions: each its label, its state, its date and its agreement state.
    assert len(lines) == 8
    assert all(count == 1 for _text, count in lines), lines
    # Each stacked cell says what it is, as the terms table does.
    labels = page.evaluate(
        """() => [...document.querySelectorAll('.history-table tbody tr:first-child td')]
            .map(td => getComputedStyle(td, '::before').content)"""
    )
    heading = page.locator(".history-table thead th").nth(2).inner_text()
    colon = ": " if language == "en" else "："  # the interface language's colon
    assert f'"{heading}{colon}"' in labels, labels
