"""E-mail notifications through Django's mail framework, and each person's preferences."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from glossary.core import services
from glossary.core.models import Profile
from glossary.core.workflow import WorkflowError
from tests import factories

pytestmark = pytest.mark.django_db


def with_email(user, address: str = ""):
    user.email = address or f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def people(editor, reviewer_us, reviewer_cn):
    for user in (editor, reviewer_us, reviewer_cn):
        with_email(user)
    return editor, reviewer_us, reviewer_cn


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def test_a_submission_tells_each_sides_reviewers_once_after_the_commit(
    people, django_capture_on_commit_callbacks
):
    editor, reviewer_us, reviewer_cn = people
    drafts = [
        factories.make_draft(editor, uid=f"c{n}", data=factories.concept_data(f"c{n}", "词"))
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.versions_submit(versions=drafts, user=editor)
    assert mail.outbox == []  # nothing before the transaction commits
    for callback in callbacks:
        callback()
    assert sorted(m.to for m in mail.outbox) == [
        ["reviewer-cn@example.org"],
        ["reviewer-us@example.org"],
    ]
    message = sent_to("reviewer-us@example.org")[0]
    assert message.subject == "[AI Glossary] 3 versions await your side's review"
    assert "editor submitted for review" in message.body
    assert "/admin/glossary/conceptversion/" in message.body
    assert "c0 v1 (c0)" in message.body
    assert sent_to("editor@example.org") == []  # the author is not told of their own step


def test_a_request_for_changes_tells_the_author_with_the_comment(
    people, django_capture_on_commit_callbacks
):
    editor, reviewer_us, reviewer_cn = people
    version = services.version_submit(version=factories.make_draft(editor), user=editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.version_request_changes(
            version=version, user=reviewer_cn, comment="Cite Article 22."
        )
    (message,) = mail.outbox
    assert message.to == ["editor@example.org"]
    assert message.subject == "[AI Glossary] 1 draft was sent back to you"
    assert "reviewer-cn asked for changes" in message.body and "Cite Article 22." in message.body


def test_a_publication_tells_the_author_and_a_refused_step_tells_nobody(
    people, django_capture_on_commit_callbacks
):
    editor, reviewer_us, reviewer_cn = people
    version = services.version_submit(version=factories.make_draft(editor), user=editor)
    services.version_approve(version=version, user=reviewer_us)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.version_approve(version=version, user=reviewer_cn)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["editor@example.org"], "[AI Glossary] 1 of your versions was published")
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        services.version_approve(version=version, user=reviewer_cn)
    assert mail.outbox == []


def test_each_person_can_turn_notifications_off_and_choose_their_language(
    people, django_capture_on_commit_callbacks, compiled_catalogs
):
    editor, reviewer_us, reviewer_cn = people
    Profile.objects.filter(user=reviewer_us).update(email_to_review=False)
    Profile.objects.filter(user=reviewer_cn).update(email_language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        services.version_submit(version=factories.make_draft(editor), user=editor)
    (message,) = mail.outbox
    assert message.to == ["reviewer-cn@example.org"]
    assert message.subject == "[人工智能术语表] 1 个版本等待您这一方审核"


def test_the_preferences_page_saves_a_persons_own_choices(client, editor):
    client.force_login(editor)
    url = reverse("admin:glossary_preferences")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"email": "ed@example.org", "email_sent_back": "on", "email_language": "zh-hant"},
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    profile = Profile.objects.get(user=editor)
    assert editor.email == "ed@example.org"
    assert (
        profile.email_sent_back,
        profile.email_to_review,
        profile.email_published,
        profile.email_language,
        profile.side,
    ) == (True, False, False, "zh-hant", "")


def test_bad_preferences_are_refused_and_change_nothing(client, reviewer_us):
    with_email(reviewer_us, "us@example.org")
    client.force_login(reviewer_us)
    url = reverse("admin:glossary_preferences")
    response = client.post(url, {"email": "not an address", "email_language": "fr", "side": "cn"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    reviewer_us.refresh_from_db()
    profile = Profile.objects.get(user=reviewer_us)
    assert reviewer_us.email == "us@example.org"
    assert (profile.email_to_review, profile.email_language, profile.side) == (True, "en", "us")
