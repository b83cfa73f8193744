"""Watching a concept or a domain by e-mail, and the feed of one concept."""

import re

import pytest
from django.core import mail

from glossary.core import services
from glossary.core.models import Watch
from tests import factories

pytestmark = pytest.mark.django_db


def link_in(message, name):
    return re.search(rf"http://[^/\s]+(/[^\s]*/watch/{name}/[^\s]+/)", message.body)[1]


def test_watch_confirm_publication_and_one_click_stop(
    client, published, editor, reviewer_us, reviewer_cn, django_capture_on_commit_callbacks
):
    uid = published.concept.uid
    page = client.get(f"/zh-hans/concepts/{uid}/").content.decode()
    assert f"/zh-hans/watch/?concept={uid}" in page and f"/zh-hans/feeds/concepts/{uid}/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/zh-hans/watch/?concept={uid}", {"email": "r@example.org"})
    assert response["Location"] == "/zh-hans/watch/sent/"
    (confirmation,) = mail.outbox
    assert confirmation.to == ["r@example.org"] and "确认" in confirmation.subject
    # Before confirming, a publication tells nobody.
    draft = services.draft_start(concept=published.concept, user=editor)
    factories.edit_draft(draft, editor, definition_en="A new definition.")
    services.version_submit(version=draft, user=editor, comment="why")
    assert client.get(link_in(confirmation, "confirm")).status_code == 200
    assert Watch.objects.get().confirmed_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for reviewer in (reviewer_us, reviewer_cn):
            services.version_approve(version=draft, user=reviewer)
    watcher = [m for m in mail.outbox if m.to == ["r@example.org"]]
    (publication,) = watcher
    assert f"/zh-hans/concepts/{uid}/versions/2/" in publication.body
    stop = publication.extra_headers["List-Unsubscribe"].strip("<>")
    assert publication.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = re.sub(r"^http://[^/]+", "", stop)
    assert client.get(path).status_code == 200 and Watch.objects.exists()  # GET stops nothing
    # The mail program's one-click POST, without a CSRF token.
    client.handler.enforce_csrf_checks = True
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Watch.objects.exists()
    assert client.post(path).status_code == 200  # again: already stopped


def test_a_domain_watch_gets_one_mail_for_a_batch(
    client, editor, reviewer_us, reviewer_cn, django_capture_on_commit_callbacks
):
    factories.make_published(editor, [reviewer_us, reviewer_cn], uid="first")
    watch = services.watch_request(email="d@example.org", domain=factories.domain(), language="en")
    services.watch_confirm(watch=watch)
    drafts = [
        factories.make_draft(editor, uid=f"new-{n}", data=factories.complete_data(f"term {n}"))
        for n in range(3)
    ]
    services.versions_submit(versions=drafts, user=editor, comment="batch")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for reviewer in (reviewer_us, reviewer_cn):
            services.versions_approve(versions=drafts, user=reviewer)
    (message,) = [m for m in mail.outbox if m.to == ["d@example.org"]]
    assert message.subject.endswith("3 concepts published in generative-ai")
    assert all(f"/en/concepts/new-{n}/versions/1/" in message.body for n in range(3))


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/en/watch/?concept=nope", 404),
        ("/en/watch/", 404),
        ("/en/watch/?domain=nope", 404),
        ("/en/watch/confirm/forged/", 400),
        ("/en/watch/stop/forged/", 400),
    ],
)
def test_bad_addresses_and_links_are_refused(client, address, status):
    assert client.get(address).status_code == status


def test_an_unpublished_concept_cannot_be_watched(client, draft):
    assert client.get(f"/en/watch/?concept={draft.concept.uid}").status_code == 404
    assert client.get(f"/en/feeds/concepts/{draft.concept.uid}/").status_code == 404


def test_bad_input_and_too_many_requests(client, published, settings):
    settings.GLOSSARY_FORM_RATES = {"watch": "1/hour"}
    address = f"/en/watch/?concept={published.concept.uid}"
    response = client.post(address, {"email": "x" * 250 + "@example.org"})
    assert response.status_code == 400 and "at most 254 characters" in response.content.decode()
    assert client.post(address, {"email": "a\x07@example.org"}).status_code == 400
    assert client.post(address, {"email": "ok@example.org"}).status_code == 302
    response = client.post(address, {"email": "again@example.org"})
    assert response.status_code == 429 and 'value="again@example.org"' in response.content.decode()
    assert Watch.objects.count() == 1


def test_asking_twice_sends_the_confirmation_again_but_tells_nothing(
    published, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            watch = services.watch_request(
                email="r@example.org", concept=published.concept, language="en"
            )
    assert len(mail.outbox) == 2 and Watch.objects.count() == 1
    services.watch_confirm(watch=watch)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.watch_request(email="r@example.org", concept=published.concept, language="en")
    assert not mail.outbox


def test_the_concept_feed_lists_its_published_versions(client, published):
    response = client.get(f"/en/feeds/concepts/{published.concept.uid}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.count("<entry>") == 1 and "generative AI" in body


def test_the_publication_mail_costs_the_same_for_any_number_of_watchers(published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from glossary.core import watch_mail
    from glossary.core.models import Watch

    def queries():
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as captured:
            watch_mail.send_publication_mail.call([published.pk])
        return len(captured), len(mail.outbox)

    def watchers(first, count):
        for number in range(first, first + count):
            Watch.objects.create(
                email=f"w{number}@example.org",
                concept=published.concept,
                language="en",
                confirmed_at=published.published_at,
            )

    watchers(0, 2)
    few, sent = queries()
    assert sent == 2
    watchers(2, 150)
    assert queries() == (few, 152)


def test_a_publication_nobody_watches_reads_no_version(published):
    """A bootstrap import publishes thousands of versions nobody watches yet: the mail task
    asks only for ids and watches, and reads no version with its terms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from glossary.core import watch_mail

    with CaptureQueriesContext(connection) as captured:
        watch_mail.send_publication_mail.call([published.pk])
    assert not mail.outbox
    assert len(captured) == 3
    assert not any('"glossary_term"' in query["sql"] for query in captured.captured_queries)


def test_a_control_character_in_the_address_is_refused_beside_the_field(client, published):
    response = client.post(
        f"/en/watch/?concept={published.concept.uid}", {"email": "reader\x07@example.org"}
    )
    assert response.status_code == 400
    assert "control character" in " ".join(response.context["form"].errors["email"])
    assert not Watch.objects.exists()
