"""A real term list taken through review in bulk, in a real browser, in English and Chinese:
import the AISystem glossary sample, submit all its drafts in one action, the U.S. side and
then the China side approve a selection in the review queue, and every concept is published.

Also the screenshots of the inbox and the review queue at 1,280 and 390 px in each interface
language, written to ``artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from glossary.core import services
from glossary.core.choices import VersionState
from glossary.core.models import ConceptVersion
from glossary.core.services import DraftData
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests/data/aisystem-glossary/aisystem_sample.csv"
ARTIFACTS = ROOT / "artifacts"

#: Browser locales and the interface language Django picks for each (Accept-Language).
LOCALES = {"en": "en-US", "zh-hans": "zh-CN", "zh-hant": "zh-TW"}


def sign_in(new_context, live_server, username: str, language: str, width: int = 1280):
    context = new_context(locale=LOCALES[language], viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("input[type=submit]")
    expect(page.locator("#inbox-title")).to_be_visible()
    return page


def write_definitions(editor) -> None:
    """What the linguists write in each draft's form: the list itself has no definitions, and
    a version is submitted only with an English and a Chinese definition."""
    for version in ConceptVersion.objects.filter(state=VersionState.DRAFT).prefetch_related(
        "terms", "citations__source", "relations", "domains"
    ):
        data = DraftData.from_version(version)
        english = version.preferred("en").text
        chinese = version.preferred("zh-Hans").text
        data.texts["definition_en"] = f"In AI systems and infrastructure: {english}."
        data.texts["definition_zh_hans"] = f"人工智能系统与基础设施中的{chinese}。"
        services.draft_update(
            version=version, user=editor, data=data, expected_revision=version.revision
        )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_imported_list_is_taken_through_review_in_bulk(new_context, live_server, language):
    editor = factories.make_user("editor", group="Editors")
    factories.make_user("reviewer-us", group="Reviewers", side="us")
    factories.make_user("reviewer-cn", group="Reviewers", side="cn")

    # Import: upload, read the preview, confirm.
    page = sign_in(new_context, live_server, "editor", language)
    page.goto(f"{live_server.url}/admin/glossary/concept/import/")
    page.set_input_files("#id_file", str(SAMPLE))
    page.locator("form.glossary-import input[type=submit]").click()
    expect(page.locator(".glossary-import-filter")).to_be_visible(timeout=30000)
    page.locator("form input[name=preview]").locator("xpath=..").locator(
        "input[type=submit]"
    ).first.click()
    expect(page.locator(".glossary-import-summary")).to_be_visible(timeout=30000)
    drafts = ConceptVersion.objects.filter(state=VersionState.DRAFT)
    count = drafts.count()
    assert count == 14  # 15 rows, row 14 repeating row 1

    # Submit all: the list has no definitions, so each is refused by name and nothing moves.
    page.goto(f"{live_server.url}/admin/glossary/conceptversion/?inbox=drafts")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "submit_selected")
    page.click("button[name=index]")
    expect(page.locator(".messagelist .error")).to_have_count(count)
    assert drafts.count() == count

    # The list says nothing of agreement or maturity: the drafts are "not yet assessed", and
    # with definitions written they are still refused until an editor assesses them.
    assert set(drafts.values_list("agreement", "maturity")) == {("not_assessed", "not_assessed")}
    write_definitions(editor)
    page.goto(f"{live_server.url}/admin/glossary/conceptversion/?inbox=drafts")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "submit_selected")
    page.click("button[name=index]")
    expect(page.locator(".messagelist .error")).to_have_count(count)
    assert drafts.count() == count

    # The editor sets them explicitly, on the intermediate page, and confirms.
    page.goto(f"{live_server.url}/admin/glossary/conceptversion/?inbox=drafts")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "assess_selected")
    page.click("button[name=index]")
    expect(page.locator(".glossary-assess-drafts li")).to_have_count(count)
    page.select_option("#id_agreement", "agreed")
    page.select_option("#id_maturity", "provisional")
    page.click("input[name=confirm]")
    expect(page.locator(".messagelist .success")).to_contain_text(str(count))
    assert set(drafts.values_list("agreement", "maturity")) == {("agreed", "provisional")}

    page.check("#action-toggle")
    page.select_option("select[name=action]", "submit_selected")
    page.click("button[name=index]")
    expect(page.locator(".messagelist .success")).to_contain_text(str(count))
    assert not drafts.exists()

    # Each side's reviewer approves a selection in the queue: first all but one, then the rest.
    for reviewer in ("reviewer-us", "reviewer-cn"):
        page = sign_in(new_context, live_server, reviewer, language)
        expect(page.locator("#inbox-waiting li")).to_have_count(8)
        page.locator("#inbox-waiting a[href$='review-queue/']").click()
        boxes = page.locator("input[name=version]")
        expect(boxes).to_have_count(count)
        expect(page.locator(".glossary-queue-item .glossary-diff").first).to_be_visible()
        for index in range(count - 1):
            boxes.nth(index).check()
        page.click("button[value=approve]")
        expect(page.locator(".messagelist .success")).to_be_visible()
        expect(page.locator("input[name=version]")).to_have_count(1)
        page.locator("input[name=version]").check()
        page.click("button[value=approve]")
        expect(page.locator(".glossary-inbox-empty")).to_be_visible()

    states = set(
        ConceptVersion.objects.filter(concept__uid__isnull=False).values_list("state", flat=True)
    )
    assert states == {VersionState.PUBLISHED}
    assert ConceptVersion.objects.filter(state=VersionState.PUBLISHED).count() == count
    # The editor's inbox now lists them as published.
    page = sign_in(new_context, live_server, "editor", language)
    expect(page.locator("#inbox-published li")).to_have_count(8)
    expect(page.locator("#inbox-drafts .glossary-inbox-empty")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_screenshots_of_the_inbox_and_the_review_queue(new_context, live_server, language):
    editor = factories.make_user("editor", group="Editors")
    reviewer_us = factories.make_user("reviewer-us", group="Reviewers", side="us")
    factories.make_user("reviewer-cn", group="Reviewers", side="cn")
    published = factories.make_published(editor, [reviewer_us], uid="frontier-ai")
    assert published.state == VersionState.IN_REVIEW  # one side so far
    for n, (en, zh) in enumerate(
        [("large language model", "大语言模型"), ("foundation model", "基础模型")]
    ):
        draft = factories.make_draft(
            editor, uid=f"concept-{n}", data=factories.complete_data(en, zh, zh)
        )
        services.version_submit(version=draft, user=editor)
    back = factories.make_draft(
        editor,
        uid="sent-back",
        data=factories.complete_data("frontier AI", "前沿人工智能", "前沿人工智慧"),
    )
    services.version_submit(version=back, user=editor)
    services.version_request_changes(
        version=back, user=reviewer_us, comment="Cite the 2023 Track II recommendation."
    )
    factories.make_draft(
        editor, uid="my-draft", data=factories.complete_data("AI agent", "智能体", "智慧代理")
    )
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page = sign_in(new_context, live_server, "editor", language, width)
        expect(page.locator("#inbox-sent_back li")).to_have_count(1)
        expect(page.locator("#inbox-drafts li")).to_have_count(1)
        page.screenshot(
            path=str(ARTIFACTS / f"inbox-editor-{language}-{width}.png"), full_page=True
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator("#inbox-sent_back li a").click()
        expect(page.locator(".glossary-latest-comments")).to_contain_text("Track II")
        page.screenshot(path=str(ARTIFACTS / f"sent-back-draft-{language}-{width}.png"))
    for width in (1280, 390):
        page = sign_in(new_context, live_server, "reviewer-cn", language, width)
        page.screenshot(path=str(ARTIFACTS / f"inbox-{language}-{width}.png"), full_page=True)
        # Nothing runs off the side of a phone's screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.goto(f"{live_server.url}/admin/glossary/conceptversion/review-queue/")
        expect(page.locator("input[name=version]")).to_have_count(3)
        page.screenshot(
            path=str(ARTIFACTS / f"review-queue-{language}-{width}.png"), full_page=True
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
