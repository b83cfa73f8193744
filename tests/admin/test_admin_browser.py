"""The editorial workflow clicked through in a real browser: edit, submit, approve on both sides."""

import pytest
from playwright.sync_api import expect

from glossary.core.choices import VersionState
from glossary.core.models import ConceptVersion
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(new_context, live_server, username):
    page = new_context().new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("input[type=submit]")
    return page


def test_edit_submit_and_approve_through_the_admin(new_context, live_server):
    editor = factories.make_user("editor", group="Editors")
    reviewers = [
        factories.make_user("reviewer-us", group="Reviewers", side="us"),
        factories.make_user("reviewer-cn", group="Reviewers", side="cn"),
    ]
    published = factories.make_published(editor, reviewers)
    concept_url = f"{live_server.url}/admin/glossary/concept/{published.concept_id}/change/"

    page = sign_in(new_context, live_server, "editor")
    page.goto(concept_url)
    page.click("text=Start a new draft from the published version")
    expect(page.locator(".messagelist")).to_contain_text("A new draft was started")
    page.fill("#id_definition_en", "AI systems that generate text, images, audio or code.")
    # Straight to "submit": what is on screen is saved first (issue 13: no lost edits).
    page.fill("#id_change_note", "A wider definition.")
    page.click("button[name=_submit_for_review]")
    expect(page.locator(".messagelist")).to_contain_text("submitted for review")
    draft = ConceptVersion.objects.get(concept=published.concept, number=2)
    assert draft.state == VersionState.IN_REVIEW
    assert draft.definition_en == "AI systems that generate text, images, audio or code."

    for reviewer in ("reviewer-us", "reviewer-cn"):
        page = sign_in(new_context, live_server, reviewer)
        page.goto(f"{live_server.url}/admin/glossary/conceptversion/?waiting=me")
        page.click("text=generative-ai")
        expect(page.locator("h2", has_text="Changes against version 1")).to_be_visible()
        expect(page.locator(".glossary-diff ins").first).to_be_visible()
        page.fill("#workflow-comment", f"Approved by {reviewer}.")
        page.click("button[value=approve]")
        expect(page.locator(".messagelist")).to_contain_text("Approved.")

    draft.refresh_from_db()
    assert draft.state == VersionState.PUBLISHED
    expect(page.locator(".messagelist")).to_contain_text("Both sides have approved")
    assert ConceptVersion.objects.get(pk=published.pk).state == VersionState.SUPERSEDED
