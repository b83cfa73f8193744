"""The radar clicked through in a real browser: the demonstration corpus loaded, a candidate
opened and made a draft concept, another dismissed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from glossary.core.models import Candidate, ConceptVersion, Decision
from glossary.radar import demo
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_corpus_candidate_to_draft_and_dismissal(new_context, live_server):
    factories.make_user("editor", group="Editors")
    loaded = demo.load()
    assert loaded.candidates > 0
    first, second = Candidate.objects.for_radar()[:2]

    page = new_context().new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-editor")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/glossary/candidate/")
    rows = page.locator("#result_list tbody tr")
    expect(rows.first.locator(".field-candidate a")).to_have_text(first.text)

    rows.first.locator(".field-candidate a").click()
    expect(page.locator("h1")).to_have_text(first.text)
    expect(page.locator(".glossary-candidate-contexts li").first).to_be_visible()
    page.get_by_role("button", name="Make a draft concept").click()
    expect(page.locator(".messagelist")).to_contain_text("A draft concept was made")
    draft = ConceptVersion.objects.get(pk=Decision.objects.get(key=first.key).draft_id)
    assert draft.terms.get().text == first.text

    page.goto(f"{live_server.url}/admin/glossary/candidate/{second.pk}/change/")
    page.get_by_role("button", name="Dismiss").click()
    expect(page.locator(".messagelist")).to_contain_text("was dismissed")
    links = page.locator("#result_list .field-candidate a")
    expect(
        page.locator("#result_list").get_by_role("link", name=second.text, exact=True)
    ).to_have_count(0)
    expect(links.first).to_have_text(Candidate.objects.for_radar().decided().first().text)
