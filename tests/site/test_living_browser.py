"""Proposals and watching clicked through in a real Chromium, in the three interface languages.

A reader searches for a term the glossary lacks, proposes it from the empty result, and an
editor accepts it into a draft from the admin's triage queue. Another reader watches a concept:
the confirmation, the mail after a publication and the one-click stop all arrive through
Django's test mail outbox. Every click is found by names and addresses, not by English text, so
the same steps hold in every language.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from glossary.core import services
from glossary.core.models import Proposal, ProposalStatus, Watch
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "zh-hans", "zh-hant"]


def new_page(new_context, live_server, language):
    context = new_context()
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_propose_a_term_from_an_empty_search_and_accept_it(
    new_context, live_server, editor, language
):
    reader = new_page(new_context, live_server, language)
    reader.goto(f"{live_server.url}/{language}/search/?q=world+model")
    reader.click("a.propose-link")
    expect(reader.locator("#id_term_en")).to_have_value("world model")
    reader.fill("#id_definition", "An internal model of the environment an agent acts in.")
    reader.select_option("#id_definition_language", "en")
    reader.fill("#id_source", "A survey of world models, 2024")
    reader.fill("#id_email", "reader@example.org")
    reader.click(".proposal-form button[type=submit]")
    expect(reader).to_have_url(re.compile(rf"/{language}/propose/thanks/$"))
    proposal = Proposal.objects.get()
    assert proposal.language == language

    staff = new_page(new_context, live_server, language)
    staff.goto(f"{live_server.url}/admin/login/")
    staff.fill("#id_username", "editor")
    staff.fill("#id_password", "pw-editor")
    staff.click("input[type=submit]")
    staff.goto(f"{live_server.url}/admin/glossary/proposal/")
    staff.click(f"a[href$='/admin/glossary/proposal/{proposal.pk}/change/']")
    expect(staff.locator("input[name=uid]")).to_have_value("world-model")
    staff.click("button[name=accept]")
    expect(staff.locator(".messagelist .success").first).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert staff.url.endswith(f"/admin/glossary/conceptversion/{proposal.draft_id}/change/")
    # The draft is not public, and the proposer was told in their language.
    assert reader.goto(f"{live_server.url}/{language}/concepts/world-model/").status == 404
    (told,) = [m for m in mail.outbox if m.to == ["reader@example.org"]]
    assert ("accepted" in told.subject) == (language == "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_watch_a_concept_confirm_be_told_and_stop(
    new_context, live_server, editor, reviewer_us, reviewer_cn, language
):
    published = factories.make_published(editor, [reviewer_us, reviewer_cn])
    uid = published.concept.uid
    mail.outbox.clear()
    reader = new_page(new_context, live_server, language)
    reader.goto(f"{live_server.url}/{language}/concepts/{uid}/")
    reader.click(f"a[href='/{language}/watch/?concept={uid}']")
    reader.fill("#id_email", "watcher@example.org")
    reader.click(".proposal-form button[type=submit]")
    expect(reader).to_have_url(re.compile(rf"/{language}/watch/sent/$"))

    (confirmation,) = mail.outbox
    link = re.search(r"http://\S+/watch/confirm/\S+/", confirmation.body)[0]
    path = re.sub(r"^http://[^/]+", "", link)
    reader.goto(live_server.url + path)
    expect(reader.locator("main h1")).to_be_visible()
    assert Watch.objects.get().confirmed_at is not None

    mail.outbox.clear()
    draft = services.draft_start(concept=published.concept, user=editor)
    factories.edit_draft(draft, editor, definition_en="The definition both sides agreed on.")
    services.version_submit(version=draft, user=editor, comment="Agreed wording.")
    for reviewer in (reviewer_us, reviewer_cn):
        services.version_approve(version=draft, user=reviewer)
    (told,) = [m for m in mail.outbox if m.to == ["watcher@example.org"]]
    assert f"/{language}/concepts/{uid}/versions/2/" in told.body
    stop = re.sub(r"^http://[^/]+", "", told.extra_headers["List-Unsubscribe"].strip("<>"))
    reader.goto(live_server.url + stop)
    reader.click("main form button[type=submit]")
    expect(reader.locator("main [role=status]")).to_be_visible()
    assert not Watch.objects.exists()
