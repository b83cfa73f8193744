"""Each person's inbox on the admin home, the latest review comments on a draft, the bulk
submit action and the reviewers' queue."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from glossary.core import services
from glossary.core.choices import VersionState
from glossary.core.models import ConceptVersion, Review
from tests import factories

pytestmark = pytest.mark.django_db


def submitted(editor, uid: str, en: str = "") -> ConceptVersion:
    version = factories.make_draft(
        editor, uid=uid, data=factories.concept_data(en or uid.replace("-", " "), "概念" + uid)
    )
    return services.version_submit(version=version, user=editor)


def section(content: str, key: str) -> str:
    return content.split(f'id="inbox-{key}"')[1].split("</div>")[0]


def test_the_inbox_lists_what_was_sent_back_what_waits_my_drafts_and_what_was_published(
    client, editor, reviewer_us, reviewer_cn
):
    sent_back = submitted(editor, "sent-back")
    services.version_request_changes(version=sent_back, user=reviewer_cn, comment="Cite the law.")
    waiting = submitted(editor, "waiting")
    factories.make_draft(editor, uid="my-draft", data=factories.concept_data("my draft", "草稿"))
    factories.make_published(editor, [reviewer_us, reviewer_cn], uid="done")

    client.force_login(editor)
    content = client.get(reverse("admin:index")).content.decode()
    assert "sent-back · v1" in section(content, "sent_back")
    assert "my-draft · v1" in section(content, "drafts")
    # A draft sent back is in its own list, not again among the drafts.
    assert "sent-back" not in section(content, "drafts")
    assert "done · v1" in section(content, "published")
    assert 'id="inbox-waiting"' not in content  # an editor reviews nothing

    client.force_login(reviewer_us)
    content = client.get(reverse("admin:index")).content.decode()
    assert "waiting · v1" in section(content, "waiting")
    assert "sent-back" not in section(content, "waiting")
    assert "done · v1" in section(content, "published")  # they approved it
    assert 'id="inbox-drafts"' not in content
    assert waiting.pk  # (used)


def test_the_inbox_shows_a_few_rows_and_links_to_the_rest_without_counting(
    client, editor, reviewer_us
):
    for n in range(10):
        submitted(editor, f"concept-{n}")
    client.force_login(reviewer_us)
    content = client.get(reverse("admin:index")).content.decode()
    waiting = section(content, "waiting")
    assert waiting.count("<li>") == 8
    assert "See them all" in waiting and "?inbox=waiting" in waiting
    listing = client.get(reverse("admin:glossary_conceptversion_changelist") + "?inbox=waiting")
    assert listing.content.decode().count("concept-") >= 10


def home_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("admin:index")).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_inbox_costs_the_same_number_of_queries_for_more_rows_and_never_counts(
    client, editor, reviewer_us, reviewer_cn
):
    # One row in each list first (an empty list skips its prefetch), then many.
    submitted(editor, "first")
    factories.make_published(editor, [reviewer_us, reviewer_cn], uid="published-one")
    client.force_login(reviewer_us)
    few = home_queries(client)
    for n in range(12):
        submitted(editor, f"more-{n}")
        factories.make_published(editor, [reviewer_us, reviewer_cn], uid=f"published-{n}")
    many = home_queries(client)
    assert len(many) == len(few)
    assert not [sql for sql in many if "COUNT(" in sql.upper()]
    client.force_login(editor)
    factories.make_draft(editor, uid="a-draft", data=factories.concept_data("a draft", "草稿"))
    sent_back = ConceptVersion.objects.get(concept__uid="more-0")
    services.version_request_changes(version=sent_back, user=reviewer_cn, comment="No.")
    editor_few = home_queries(client)
    for n in range(10):
        factories.make_draft(editor, uid=f"d-{n}", data=factories.concept_data(f"d{n}", "稿"))
        back = ConceptVersion.objects.get(concept__uid=f"more-{n + 1}")
        services.version_request_changes(version=back, user=reviewer_cn, comment="No.")
    editor_many = home_queries(client)
    assert len(editor_many) == len(editor_few)
    assert not [sql for sql in editor_many if "COUNT(" in sql.upper()]


def test_the_latest_review_comments_open_the_draft(client, editor, reviewer_us, reviewer_cn):
    version = submitted(editor, "commented")
    services.version_request_changes(
        version=version, user=reviewer_cn, comment="请补充中国法规的出处。"
    )
    client.force_login(editor)
    content = client.get(
        reverse("admin:glossary_conceptversion_change", args=[version.pk])
    ).content.decode()
    top = content.split('class="glossary-latest-comments"')[1]
    assert top.index("请补充中国法规的出处。") < top.index('class="glossary-status"')
    assert "reviewer-cn" in top.split("</section>")[0]


def test_the_bulk_submit_action_submits_complete_drafts_and_names_the_rest(client, editor):
    good = [
        factories.make_draft(editor, uid=f"good-{n}", data=factories.concept_data(f"g{n}", "好"))
        for n in range(3)
    ]
    incomplete = factories.make_draft(
        editor,
        uid="incomplete",
        data=services.DraftData(
            terms=[services.TermData(language="en", text="incomplete", status="preferred")]
        ),
    )
    client.force_login(editor)
    response = client.post(
        reverse("admin:glossary_conceptversion_changelist"),
        {
            "action": "submit_selected",
            "_selected_action": [v.pk for v in [*good, incomplete]],
        },
        follow=True,
    )
    text = response.content.decode()
    assert "3 drafts were submitted for review." in text
    assert "Not submitted, incomplete v1: This version cannot be submitted yet" in text
    states = dict(ConceptVersion.objects.values_list("concept__uid", "state"))
    assert states == {
        "good-0": VersionState.IN_REVIEW,
        "good-1": VersionState.IN_REVIEW,
        "good-2": VersionState.IN_REVIEW,
        "incomplete": VersionState.DRAFT,
    }


def test_a_reviewer_cannot_bulk_submit(client, editor, reviewer_us):
    draft = factories.make_draft(editor)
    client.force_login(reviewer_us)
    client.post(
        reverse("admin:glossary_conceptversion_changelist"),
        {"action": "submit_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT


def queue(client):
    return client.get(reverse("admin:glossary_conceptversion_review_queue"))


def test_the_review_queue_shows_each_diff_and_approves_a_selection_per_exact_version(
    client, editor, reviewer_us, reviewer_cn
):
    versions = [submitted(editor, f"queued-{n}", f"queued term {n}") for n in range(3)]
    client.force_login(reviewer_us)
    page = queue(client).content.decode()
    for v in versions:
        assert f'value="{v.pk}:{v.revision}:{v.review_round}"' in page
        assert f"queued term {v.concept.uid[-1]}" in page
    assert "Content of this first version" in page

    chosen = [f"{v.pk}:{v.revision}:{v.review_round}" for v in versions[:2]]
    response = client.post(
        reverse("admin:glossary_conceptversion_review_queue"), {"version": chosen}, follow=True
    )
    assert "You approved 2 versions. 0 of them are now published." in response.content.decode()
    approvals = Review.objects.filter(reviewer=reviewer_us)
    assert sorted((r.version_id, r.revision, r.review_round, r.side) for r in approvals) == sorted(
        (v.pk, v.revision, v.review_round, "us") for v in versions[:2]
    )
    # What was approved left this reviewer's queue; the third is still there.
    page = queue(client).content.decode()
    assert f'id="queue-{versions[2].pk}"' in page
    assert f'id="queue-{versions[0].pk}"' not in page

    client.force_login(reviewer_cn)
    response = client.post(
        reverse("admin:glossary_conceptversion_review_queue"), {"version": chosen}, follow=True
    )
    assert "2 of them are now published." in response.content.decode()
    assert set(
        ConceptVersion.objects.filter(pk__in=[v.pk for v in versions]).values_list(
            "state", flat=True
        )
    ) == {VersionState.PUBLISHED, VersionState.IN_REVIEW}


def test_a_version_that_changed_since_the_queue_was_read_is_not_approved(
    client, editor, reviewer_us, reviewer_cn
):
    stale = submitted(editor, "stale")
    fresh = submitted(editor, "fresh")
    seen = [f"{v.pk}:{v.revision}:{v.review_round}" for v in (stale, fresh)]
    # Meanwhile the China side sends "stale" back, the editor fixes it and submits it again.
    services.version_request_changes(version=stale, user=reviewer_cn, comment="Fix it.")
    stale.refresh_from_db()
    data = factories.concept_data("stale", "陈旧")
    data.texts["definition_en"] = "A better definition."
    services.draft_update(version=stale, user=editor, data=data, expected_revision=stale.revision)
    services.version_submit(version=stale, user=editor)

    client.force_login(reviewer_us)
    response = client.post(
        reverse("admin:glossary_conceptversion_review_queue"), {"version": seen}, follow=True
    )
    text = response.content.decode()
    assert "You approved 1 version." in text
    assert "Not approved, stale v1:" in text and "changed after you read it" in text
    assert list(
        Review.objects.filter(reviewer=reviewer_us).values_list("version_id", flat=True)
    ) == [fresh.pk]


def test_the_review_queue_costs_the_same_for_more_versions(client, editor, reviewer_us):
    submitted(editor, "one")
    client.force_login(reviewer_us)
    with CaptureQueriesContext(connection) as few:
        assert queue(client).status_code == 200
    for n in range(6):
        submitted(editor, f"other-{n}")
    with CaptureQueriesContext(connection) as many:
        assert queue(client).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_only_reviewers_open_the_queue(client, editor):
    client.force_login(editor)
    assert queue(client).status_code == 403


def test_approve_all_on_the_page_approves_exactly_the_versions_shown(client, editor, reviewer_us):
    shown = [submitted(editor, f"shown-{n}") for n in range(2)]
    client.force_login(reviewer_us)
    page = queue(client).content.decode()
    assert page.count('name="shown"') == 2
    later = submitted(editor, "later")  # submitted after the page was read
    response = client.post(
        reverse("admin:glossary_conceptversion_review_queue"),
        {
            "action": "approve_page",
            "shown": [f"{v.pk}:{v.revision}:{v.review_round}" for v in shown],
        },
        follow=True,
    )
    assert "You approved 2 versions." in response.content.decode()
    approved = set(Review.objects.filter(reviewer=reviewer_us).values_list("version_id", flat=True))
    assert approved == {v.pk for v in shown}
    assert later.pk not in approved


def test_submit_reaches_every_draft_of_the_list_across_its_pages(client, editor, monkeypatch):
    from glossary.admin.versions import ConceptVersionAdmin

    monkeypatch.setattr(ConceptVersionAdmin, "list_per_page", 2)
    drafts = [
        factories.make_draft(editor, uid=f"page-{n}", data=factories.concept_data(f"p{n}", "页"))
        for n in range(5)
    ]
    client.force_login(editor)
    url = reverse("admin:glossary_conceptversion_changelist") + "?inbox=drafts"
    listing = client.get(url).content.decode()
    assert "Select every version this list holds, on all its pages" in listing
    response = client.post(
        url,
        {"action": "submit_selected", "_selected_action": [drafts[0].pk], "select_across": "1"},
        follow=True,
    )
    assert "5 drafts were submitted for review." in response.content.decode()
    assert not ConceptVersion.objects.filter(state=VersionState.DRAFT).exists()


def test_more_than_the_bulk_limit_is_refused_whole(client, editor, monkeypatch):
    monkeypatch.setattr("glossary.admin.versions.BULK_LIMIT", 2)
    drafts = [
        factories.make_draft(editor, uid=f"many-{n}", data=factories.concept_data(f"m{n}", "多"))
        for n in range(3)
    ]
    client.force_login(editor)
    response = client.post(
        reverse("admin:glossary_conceptversion_changelist"),
        {"action": "submit_selected", "_selected_action": [v.pk for v in drafts]},
        follow=True,
    )
    assert "Nothing was submitted: select at most 2 versions" in response.content.decode()
    assert ConceptVersion.objects.filter(state=VersionState.DRAFT).count() == 3
