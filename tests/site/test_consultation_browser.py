"""Public consultation in a real browser, in each interface language: an editor opens a version
in review for comment, a reader comments without an account, the editor moderates it, a
reviewer sees it beside the diff, and the editor closes the consultation with a response."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from glossary.core import services
from glossary.core.choices import VersionState
from glossary.core.models import CommentStatus, ConceptVersion, Consultation, ConsultationComment
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Browser locales and the interface language Django picks for each (Accept-Language).
LOCALES = {"en": "en-US", "zh-hans": "zh-CN", "zh-hant": "zh-TW"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
PROPOSED = "AI systems that generate text, images or code on request."
COMMENT = "Please say whether audio generation is covered. 请说明是否包括音频生成。"


def sign_in(new_context, live_server, username: str, language: str):
    context = new_context(locale=LOCALES[language])
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("input[type=submit]")
    expect(page.locator("#inbox-title")).to_be_visible()
    return page


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_a_consultation_from_opening_to_the_response(new_context, live_server, language):
    editor = factories.make_user("editor", group="Editors")
    reviewers = [
        factories.make_user("reviewer-us", group="Reviewers", side="us"),
        factories.make_user("reviewer-cn", group="Reviewers", side="cn"),
    ]
    published = factories.make_published(editor, reviewers)
    draft = services.draft_start(concept=published.concept, user=editor)
    draft = factories.edit_draft(draft, editor, definition_en=PROPOSED)
    version = services.version_submit(version=draft, user=editor, comment="Broader.")
    base = live_server.url

    # The editor opens the version in review for comment, from its review screen.
    staff = sign_in(new_context, live_server, "editor", language)
    staff.goto(f"{base}/admin/glossary/conceptversion/{version.pk}/change/")
    staff.click("#open-consultation")
    closes_on = timezone.localdate() + dt.timedelta(days=21)
    staff.fill("#id_closes_on", closes_on.isoformat())
    staff.fill("#id_question_en", "Does the new definition cover multimodal models?")
    staff.fill("#id_question_zh_hans", "新定义是否涵盖多模态模型？")
    staff.fill("#id_question_zh_hant", "新定義是否涵蓋多模態模型？")
    staff.locator("form.glossary-consultation-form input[type=submit]").click()
    expect(staff.locator(".messagelist .success")).to_be_visible()
    consultation = Consultation.objects.get()
    version.refresh_from_db()
    assert version.state == VersionState.IN_REVIEW

    # A reader finds it from the concept page, which still shows the published version.
    reader = new_context(locale=LOCALES[language]).new_page()
    reader.goto(f"{base}/{language}/concepts/generative-ai/")
    expect(reader.locator("body")).not_to_contain_text(PROPOSED)
    reader.locator(".consultation-notice a").click()
    expect(reader.locator("#proposed")).to_be_visible()
    expect(reader.locator("article.consultation")).to_contain_text(PROPOSED)
    expect(reader.locator(".diff ins").first).to_be_visible()
    expect(reader.locator("#id_website")).not_to_be_in_viewport()
    # Too long first: refused beside the field, and the typing is still there.
    reader.fill("#id_name", "Ada, Example Lab")
    reader.fill("#id_email", "ada@example.org")
    reader.select_option("#id_side", "us")
    reader.locator("#id_text").evaluate("(el) => el.removeAttribute('maxlength')")
    reader.fill("#id_text", COMMENT + "x" * 4000)
    reader.click("form.comment-form button[type=submit]")
    expect(reader.locator(".comment-form .errorlist")).to_be_visible()
    assert reader.input_value("#id_name") == "Ada, Example Lab"
    assert reader.input_value("#id_text").startswith(COMMENT)
    reader.fill("#id_text", COMMENT)
    reader.click("form.comment-form button[type=submit]")
    expect(reader.locator("#comment-sent")).to_be_visible()
    expect(reader.locator("#comments-title + *")).not_to_contain_text(COMMENT)
    comment = ConsultationComment.objects.get()
    assert comment.status == CommentStatus.PENDING

    # The editor moderates it from the queue.
    staff.goto(f"{base}/admin/glossary/consultationcomment/")
    staff.check(f"input[name=_selected_action][value='{comment.pk}']")
    staff.select_option("select[name=action]", "approve_selected")
    staff.click("button[name=index]")
    expect(staff.locator(".messagelist .success")).to_be_visible()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED

    # A reviewer sees it beside the diff on the review screen.
    reviewer = sign_in(new_context, live_server, "reviewer-us", language)
    reviewer.goto(f"{base}/admin/glossary/conceptversion/{version.pk}/change/")
    panel = reviewer.locator("#consultation-comments")
    expect(panel).to_contain_text(COMMENT)
    diff_box = reviewer.locator(".glossary-beside > fieldset").first.bounding_box()
    panel_box = panel.bounding_box()
    assert panel_box["x"] > diff_box["x"] + diff_box["width"] - 1  # beside, not below
    ARTIFACTS.mkdir(exist_ok=True)
    reviewer.screenshot(path=str(ARTIFACTS / f"consultation-review-{language}.png"), full_page=True)

    # The editor closes it with a response; the public page keeps comments and response.
    staff.goto(f"{base}/admin/glossary/consultation/{consultation.pk}/change/")
    staff.click("#close-consultation")
    staff.fill("#id_summary_en", "We added audio to the examples.")
    staff.fill("#id_summary_zh_hans", "我们在示例中加入了音频。")
    staff.locator("form.glossary-consultation-form input[type=submit]").click()
    expect(staff.locator(".messagelist .success")).to_be_visible()
    reader.goto(f"{base}/{language}/consultations/{consultation.pk}/")
    expect(reader.locator(".consultation-summary")).to_be_visible()
    expect(reader.locator(".consultation-comment")).to_contain_text(COMMENT)
    expect(reader.locator("body")).not_to_contain_text("ada@example.org")
    reader.screenshot(path=str(ARTIFACTS / f"consultation-page-{language}.png"), full_page=True)
    assert ConceptVersion.objects.get(pk=version.pk).state == VersionState.IN_REVIEW
