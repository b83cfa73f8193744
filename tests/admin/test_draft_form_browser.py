"""The draft form in a real browser: no lost edits, suggestions taken by hand, withdraw with a
confirmation, three languages side by side without sideways scrolling, and screenshots of it at
1,280 and 390 px in each interface language (artifacts/screenshots/draft-form-*.png)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from glossary.core import services
from glossary.core.choices import Language, TermStatus, VersionState
from glossary.core.models import ConceptVersion
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def sign_in(new_context, live_server, username, language="en", width=1280, height=900):
    context = new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("input[type=submit]")
    return page


@pytest.fixture
def people(db):
    editor = factories.make_user("editor", group="Editors")
    reviewers = [
        factories.make_user("reviewer-us", group="Reviewers", side="us"),
        factories.make_user("reviewer-cn", group="Reviewers", side="cn"),
    ]
    return editor, reviewers


def draft_url(live_server, version) -> str:
    return f"{live_server.url}/admin/glossary/conceptversion/{version.pk}/change/"


@pytest.mark.parametrize(
    ("language", "why_needed", "submitted"),
    [
        ("en", "Say what this version changes", "submitted for review"),
        ("zh-hans", "提交前请说明本版改了什么", "本版已提交审核"),
    ],
)
def test_typing_then_submitting_loses_nothing(
    new_context, live_server, people, language, why_needed, submitted
):
    editor, reviewers = people
    published = factories.make_published(editor, reviewers)
    draft = services.draft_start(concept=published.concept, user=editor)
    page = sign_in(new_context, live_server, "editor", language=language)
    page.goto(draft_url(live_server, draft))
    page.fill("#id_definition_en", "A definition typed just before submitting.")
    # Submitting without saying why keeps the typing on screen and saves nothing.
    page.click("button[name=_submit_for_review]")
    expect(page.locator(".errorlist")).to_contain_text(why_needed)
    expect(page.locator("#id_definition_en")).to_have_value(
        "A definition typed just before submitting."
    )
    page.fill("#id_change_note", "The definition covers code generation.")
    page.click("button[name=_submit_for_review]")
    expect(page.locator(".messagelist")).to_contain_text(submitted)
    draft.refresh_from_db()
    assert draft.state == VersionState.IN_REVIEW
    assert draft.definition_en == "A definition typed just before submitting."
    # The reviewer reads why first.
    page = sign_in(new_context, live_server, "reviewer-cn", language=language)
    page.goto(draft_url(live_server, draft))
    expect(page.locator("#change-note")).to_contain_text("covers code generation")


def test_an_unchanged_draft_is_refused_and_withdraw_asks_first(new_context, live_server, people):
    editor, reviewers = people
    published = factories.make_published(editor, reviewers)
    draft = services.draft_start(concept=published.concept, user=editor)
    page = sign_in(new_context, live_server, "editor")
    page.goto(draft_url(live_server, draft))
    page.fill("#id_change_note", "Nothing, really.")
    page.click("button[name=_submit_for_review]")
    expect(page.locator(".messagelist")).to_contain_text("says exactly what published version 1")
    assert ConceptVersion.objects.get(pk=draft.pk).state == VersionState.DRAFT
    page.click("button[value=withdraw]")
    expect(page.locator("#content")).to_contain_text("It closes for good")
    page.click("text=No, keep it")
    assert ConceptVersion.objects.get(pk=draft.pk).state == VersionState.DRAFT
    page.click("button[value=withdraw]")
    page.click("input[value='Yes, withdraw it']")
    expect(page.locator(".messagelist")).to_contain_text("Withdrawn.")
    assert ConceptVersion.objects.get(pk=draft.pk).state == VersionState.WITHDRAWN


def test_a_suggestion_is_taken_by_its_own_button(new_context, live_server, people):
    editor, _reviewers = people
    data = factories.complete_data()
    data.terms = [t for t in data.terms if t.language != Language.ZH_HANT]
    version = factories.make_draft(editor, "generative-ai", data)
    page = sign_in(new_context, live_server, "editor")
    page.goto(draft_url(live_server, version))
    row = page.locator("#term-suggestions tr", has_text="生成式人工智能")
    expect(row).to_contain_text("生成式人工智慧")
    assert not version.terms.filter(language=Language.ZH_HANT).exists()
    page.fill("#id_note_en", "Typed before taking the suggestion.")
    row.locator("button").click()
    expect(page.locator(".messagelist")).to_contain_text("added as a Traditional term")
    expect(page.locator("#term-suggestions")).to_have_count(0)
    term = version.terms.get(language=Language.ZH_HANT)
    assert (term.text, term.status, term.machine_converted) == (
        "生成式人工智慧",
        TermStatus.PREFERRED,
        True,
    )
    assert (
        ConceptVersion.objects.get(pk=version.pk).note_en == "Typed before taking the suggestion."
    )


def test_three_languages_side_by_side_without_sideways_scrolling(new_context, live_server, people):
    editor, _reviewers = people
    version = factories.make_draft(editor)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for language in ("en", "zh-hans", "zh-hant"):
        page = sign_in(new_context, live_server, "editor", language=language)
        page.goto(draft_url(live_server, version))
        boxes = [
            page.locator(f"#id_definition_{suffix}").bounding_box()
            for suffix in ("en", "zh_hans", "zh_hant")
        ]
        assert all(boxes), boxes
        # One row: the same top, left to right.
        assert len({round(box["y"]) for box in boxes}) == 1, boxes
        assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
        # Inside their box: the last language's field ends within its fieldset.
        fieldset = page.locator("fieldset.glossary-langs").first.bounding_box()
        assert boxes[2]["x"] + boxes[2]["width"] <= fieldset["x"] + fieldset["width"], (
            boxes[2],
            fieldset,
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, (language, width)
        page.screenshot(path=str(SCREENSHOTS / f"draft-form-{language}-1280.png"), full_page=True)

        page = sign_in(new_context, live_server, "editor", language=language, width=390, height=844)
        page.goto(draft_url(live_server, version))
        expect(page.locator("#id_definition_zh_hant")).to_be_visible()
        # Nothing sticks out sideways on a phone (the terms table scrolls in its own box).
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (language, width)
        page.screenshot(path=str(SCREENSHOTS / f"draft-form-{language}-390.png"), full_page=True)
