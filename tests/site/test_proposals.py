"""The public side of proposals: the forms, their refusals, and the statistics page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.core import services
from glossary.core.models import Proposal, ProposalKind, ProposalStatus, ProposalTally
from tests import factories

pytestmark = pytest.mark.django_db

FORM = {
    "term_en": "world model",
    "term_zh_hans": "",
    "term_zh_hant": "",
    "definition": "An internal model of the environment.",
    "definition_language": "en",
    "source": "A survey, 2024",
    "email": "",
    "website": "",
}


@pytest.mark.parametrize(
    ("prefix", "query", "field"),
    [("en", "world model", "term_en"), ("zh-hans", "世界模型", "term_zh_hans")],
)
def test_a_search_that_finds_nothing_offers_to_propose_the_query(client, prefix, query, field):
    page = client.get(f"/{prefix}/search/", {"q": query}).content.decode()
    assert "/propose/?q=" in page
    form = client.get(f"/{prefix}/propose/", {"q": query}).content.decode()
    assert f'name="{field}" value="{query}"' in form


def test_a_proposal_is_sent_and_thanked(client):
    response = client.post("/zh-hant/propose/", FORM)
    assert response.status_code == 302 and response["Location"] == "/zh-hant/propose/thanks/"
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.language, proposal.source) == (
        ProposalKind.NEW_TERM,
        "zh-hant",
        "A survey, 2024",
    )
    assert client.get(response["Location"]).status_code == 200


def test_the_honeypot_thanks_a_robot_and_keeps_nothing(client):
    response = client.post("/en/propose/", {**FORM, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"term_en": "x" * 201}, "at most 200 characters"),
        ({"definition": "d" * 2001}, "at most 2000 characters"),
        ({"term_en": ""}, "Give the term in at least one language."),
        ({"email": "nobody"}, "Enter a valid email address."),
    ],
)
def test_bad_input_is_refused_clearly_and_the_text_kept(client, change, message):
    response = client.post("/en/propose/", {**FORM, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "A survey, 2024" in page  # nothing lost
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"source": "bell\x07"}, "source"), ({"definition": "nul\x00 inside"}, "definition")],
)
def test_a_control_character_is_refused_beside_its_field_with_the_text_kept(client, change, field):
    response = client.post("/en/propose/", {**FORM, **change})
    assert response.status_code == 400
    # Django's own check names a NUL ("Null characters are not allowed."), ours the others.
    assert re.search("control character|Null characters", response.context["form"].errors[field][0])
    assert "world model" in response.content.decode()  # the form, with the typing kept
    assert not Proposal.objects.exists()


def test_a_control_character_in_the_tab_and_line_breaks_of_a_definition_is_allowed(client):
    response = client.post("/en/propose/", {**FORM, "definition": "one\ttwo\r\nthree"})
    assert response.status_code == 302
    assert Proposal.objects.count() == 1


def test_too_many_proposals_an_hour_are_refused_with_the_text_kept(client, settings):
    settings.GLOSSARY_FORM_RATES = {"proposal": "2/hour"}
    assert client.post("/en/propose/", {**FORM, "term_en": ""}).status_code == 400  # not counted
    for _ in range(2):
        assert client.post("/en/propose/", FORM).status_code == 302
    response = client.post("/en/propose/", {**FORM, "term_en": "third term"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Too many proposals" in page and 'value="third term"' in page
    assert Proposal.objects.count() == 2
    other = client.post("/en/propose/", FORM, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_a_correction_is_of_a_published_concept(client, published, editor):
    page = client.get(f"/en/concepts/{published.concept.uid}/").content.decode()
    assert f"/en/concepts/{published.concept.uid}/suggest/" in page
    response = client.post(f"/en/concepts/{published.concept.uid}/suggest/", FORM)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.concept_id) == (ProposalKind.CORRECTION, published.concept_id)
    # A concept that is only a draft is unknown here, as everywhere in public.
    factories.make_draft(editor, uid="unpublished")
    assert client.get("/en/concepts/unpublished/suggest/").status_code == 404


def test_the_statistics_show_counts_but_no_proposal_text(client, editor):
    for number in range(3):
        services.proposal_submit(kind=ProposalKind.NEW_TERM, term_en=f"private term {number}")
    proposal = Proposal.objects.first()
    services.proposal_accept(proposal=proposal, user=editor, uid="private-term")
    page = client.get("/en/proposals/").content.decode()
    assert "private term" not in page
    tally = ProposalTally.objects.get()
    assert (tally.received, tally.accepted) == (3, 1)
    assert "<td>3</td><td>1</td>" in page
    assert Proposal.objects.filter(status=ProposalStatus.ACCEPTED).count() == 1


def test_the_statistics_page_costs_the_same_at_any_size(client):
    def queries():
        client.get("/en/proposals/")  # warm the stamp
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/proposals/").status_code == 200
        return len(captured)

    services.proposal_submit(kind=ProposalKind.NEW_TERM, term_en="one")
    few = queries()
    import datetime as dt

    ProposalTally.objects.bulk_create(
        ProposalTally(month=dt.date(2000 + n // 12, n % 12 + 1, 1), received=n) for n in range(60)
    )
    for number in range(20):
        services.proposal_submit(kind=ProposalKind.NEW_TERM, term_en=f"term {number}")
    assert queries() == few
    assert client.get("/en/proposals/").content.decode().count("<tr>") <= 24 + 2
