"""Every kind of page, public and editorial, works in Chromium under its Content-Security-Policy.

The ``new_context`` fixture (tests/conftest.py) fails a test on any violation; the first tests
here show that it notices one.
"""

import pytest
from playwright.sync_api import expect

from glossary.core import services
from glossary.core.models import ConceptVersion
from glossary.core.services import DraftData
from tests import factories
from tests.conftest import CspWatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    """generative AI in two published versions with a release between them, and an open draft."""
    reviewers = [reviewer_us, reviewer_cn]
    first = factories.make_published(editor, reviewers)
    services.release_cut(name="2025.1", notes="First edition.", user=administrator)
    for definition in ("AI models that produce novel content.", "AI that writes text."):
        draft = services.draft_start(concept=first.concept, user=editor)
        data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
        data.texts["definition_en"] = definition
        data.texts["definition_zh_hans"] = "能够生成新内容的人工智能模型。"
        data.texts["definition_zh_hant"] = ""
        services.draft_update(
            version=draft, user=editor, data=data, expected_revision=draft.revision
        )
        if definition.startswith("AI models"):
            services.version_submit(version=draft, user=editor)
            for reviewer in reviewers:
                services.version_approve(version=draft, user=reviewer)
    return first.concept


def test_the_watch_catches_inline_script_and_style_on_a_site_page(live_server, browser):
    watch = CspWatch()
    context = browser.new_context()
    watch.attach(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineScriptRan = true;";
            document.head.append(script);
            document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: red">x</p>');
        }"""
    )
    watch.settle(context)
    # The policy stopped both, and the watch heard of both.
    assert page.evaluate("window.inlineScriptRan") is None
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") != (
        "rgb(255, 0, 0)"
    )
    assert any("script-src" in v for v in watch.violations), watch.violations
    assert any("style-src" in v for v in watch.violations), watch.violations
    with pytest.raises(pytest.fail.Exception, match="Content-Security-Policy violations"):
        watch.check()
    context.close()


def test_the_watch_keeps_violations_of_pages_navigated_away_from(live_server, browser):
    watch = CspWatch()
    context = browser.new_context()
    watch.attach(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/")
    page.evaluate(
        """() => document.body.insertAdjacentHTML(
            "beforeend", '<img src="https://example.invalid/x.png" alt="">')"""
    )
    watch.settle(context)
    page.goto(f"{live_server.url}/en/browse/")
    watch.settle(context)
    assert any("img-src" in v for v in watch.violations), watch.violations
    context.close()


def test_every_public_page_under_the_policy(live_server, new_context, glossary):
    page = new_context().new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    for path in (
        "/en/",
        "/zh-hans/",
        "/en/browse/",
        "/en/browse/en/g/",
        "/zh-hant/browse/zh/s/",
        "/en/domains/generative-ai/",
        "/en/concepts/generative-ai/",
        "/zh-hant/concepts/generative-ai/",
        "/en/concepts/generative-ai/versions/1/",
        "/en/releases/",
        "/en/releases/2025.1/",
        "/en/releases/2025.1/concepts/generative-ai/",
        "/en/concepts/nowhere/",
        "/api/v1/docs/",
    ):
        page.goto(base + path)
        # The stylesheet applied: the page is laid out by site.css, not by the browser's defaults.
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px", path
    # The sitemap's sections, not its index: Chromium shows a bare XML document such as the index
    # through its own XML viewer, whose inline styles the policy blocks (the viewer's, not ours).
    for path in ("/en/feeds/changes/", "/en/feeds/releases/", "/sitemap-concepts.xml"):
        page.goto(base + path)

    # Search, then the concept, its history and a diff.
    page.goto(f"{base}/en/")
    page.get_by_label("Search by any term in English, Simplified or Traditional Chinese").fill(
        "生成式"
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/?q=*")
    page.locator("ol.results > li h2 a").first.click()
    page.wait_for_url(f"{base}/en/concepts/generative-ai/")
    page.get_by_role("link", name="All versions and what changed between them").click()
    page.get_by_label("From version").select_option("1")
    page.get_by_label("to version").select_option("2")
    page.get_by_role("button", name="Show the changes").click()
    page.wait_for_url("**/compare/?from=1&to=2")
    assert page.locator(".diff ins").count() > 0

    # The API documentation keeps its own look.
    page.goto(f"{base}/api/v1/docs/")
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.method-GET')).backgroundColor"
    ) == ("rgb(28, 107, 58)")


def test_the_term_check_page_under_the_policy(live_server, new_context, glossary):
    page = new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/en/check/")
    page.get_by_label("Text to check").fill("We regulate generative AI.")
    page.get_by_label("Its translation (optional)").fill("我们监管生成式人工智能。")
    page.get_by_role("button", name="Check").click()
    page.wait_for_selector("mark.term-check")
    # The marks are coloured by the site's stylesheet, as they were by the page's own styles.
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('mark.verdict-preferred')).backgroundColor"
    )
    assert colour == "rgb(223, 240, 216)"
    page.locator("mark.term-check a").first.click()
    assert page.url.endswith("#finding-1")


def test_the_admin_under_the_policy(live_server, new_context, glossary, editor):
    superuser = factories.make_user("root", group="Administrators")
    superuser.is_superuser = True
    superuser.save()
    draft = ConceptVersion.objects.get(concept=glossary, number=3)
    page = new_context().new_page()
    page.set_default_timeout(15_000)
    base = f"{live_server.url}/admin/"
    page.goto(f"{base}login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-root")
    page.click("input[type=submit]")
    page.wait_for_url(base)

    # Every list and add screen linked from the index, then a change screen of each list.
    lists = page.eval_on_selector_all(
        "#content-main a.changelink, #content-main th a", "links => links.map(a => a.href)"
    )
    adds = page.eval_on_selector_all("#content-main a.addlink", "links => links.map(a => a.href)")
    assert len(lists) >= 8
    for address in [*lists, *adds]:
        page.goto(address)
        expect(page.locator("#content")).to_be_visible()
        first = page.locator("#result_list tbody th a").first
        if first.count():
            first.click()
            expect(page.locator("#content")).to_be_visible()

    # A concept and its history, then the editing page of its draft: the three languages side
    # by side, the inlines' "Add another" rows, and the Traditional suggestion as the editor types.
    page.goto(f"{base}glossary/concept/{glossary.pk}/change/")
    page.goto(f"{base}glossary/concept/{glossary.pk}/history/")
    page.goto(f"{base}glossary/conceptversion/{draft.pk}/change/")
    simplified = page.locator("#id_definition_zh_hans")
    simplified.fill("软件数据")
    expect(page.locator("#id_definition_zh_hant")).to_have_value("軟體資料", timeout=10_000)
    # An extra inline row, and its source picked with the autocomplete (select2).
    before = page.locator(".dynamic-citations").count()
    page.locator("#citations-group .add-row a").click()
    assert page.locator(".dynamic-citations").count() == before + 1
    page.locator(".dynamic-citations .select2-selection").last.click()
    page.locator(".select2-search__field").fill("cn-genai")
    page.locator(".select2-results__option", has_text="cn-genai").first.click()
    # A new source in the related-object pop-up window, chosen for the term's source.
    with page.expect_popup() as opened:
        page.locator("#terms-group .add-related").first.click()
    popup = opened.value
    popup.fill("#id_key", "nist-ai-100")
    popup.fill("#id_title", "NIST AI 100-1")
    popup.locator("input[type=submit]").click()
    popup.wait_for_event("close")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    # Comparing two versions, and importing a file up to its preview.
    page.goto(f"{base}glossary/concept/{glossary.pk}/compare/?a=1&b=2")
    expect(page.locator(".glossary-diff").first).to_be_visible()
    page.goto(f"{base}glossary/concept/import/")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "terms.csv",
                "mimeType": "text/csv",
                "buffer": "en,zh_hans,zh_hant\nprompt,提示词,提示詞\n".encode(),
            }
        ],
    )
    page.locator("input[type=submit]").click()
    expect(page.locator("#content")).to_contain_text("prompt")
