"""The triage queue of proposals in the admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.core import services
from glossary.core.models import Proposal, ProposalKind, ProposalStatus

pytestmark = pytest.mark.django_db


def propose(term="world model", **fields):
    return services.proposal_submit(kind=ProposalKind.NEW_TERM, term_en=term, **fields)


def test_editors_see_the_queue_and_reviewers_do_not(client, editor, reviewer_us):
    propose()
    client.force_login(reviewer_us)
    assert client.get("/admin/glossary/proposal/").status_code == 403
    client.force_login(editor)
    page = client.get("/admin/glossary/proposal/").content.decode()
    assert "world model" in page


def test_the_queue_costs_the_same_at_any_size(client, editor):
    client.force_login(editor)
    propose()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/glossary/proposal/").status_code == 200
        return len(captured)

    few = queries()
    for number in range(30):
        propose(f"term {number}")
    assert queries() == few


def test_accept_from_the_admin_opens_the_new_draft(client, editor):
    proposal = propose()
    client.force_login(editor)
    page = client.get(f"/admin/glossary/proposal/{proposal.pk}/change/").content.decode()
    assert 'value="world-model"' in page
    response = client.post(
        f"/admin/glossary/proposal/{proposal.pk}/accept/", {"uid": "world-model"}
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert response["Location"] == f"/admin/glossary/conceptversion/{proposal.draft_id}/change/"
    assert client.get(f"/admin/glossary/proposal/{proposal.pk}/accept/").status_code == 405


def test_a_taken_identifier_is_refused_and_the_proposal_stays_open(client, editor, published):
    proposal = propose()
    client.force_login(editor)
    response = client.post(
        f"/admin/glossary/proposal/{proposal.pk}/accept/",
        {"uid": published.concept.uid},
        follow=True,
    )
    assert "already exists" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_merge_and_decline_from_the_admin(client, editor):
    first, second = propose(), propose("world models")
    client.force_login(editor)
    client.post(f"/admin/glossary/proposal/{second.pk}/merge/", {"into": first.pk})
    response = client.post(f"/admin/glossary/proposal/{first.pk}/decline/", {"reason": ""})
    assert Proposal.objects.get(pk=first.pk).status == ProposalStatus.OPEN
    assert response.status_code == 302
    client.post(f"/admin/glossary/proposal/{first.pk}/decline/", {"reason": "Out of scope."})
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses == {first.pk: ProposalStatus.DECLINED, second.pk: ProposalStatus.MERGED}
