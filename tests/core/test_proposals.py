"""Proposals from readers: kept, accepted into a draft, merged, declined, and the proposer told."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from glossary.core import services
from glossary.core.choices import EventAction, Language, TermStatus, VersionState
from glossary.core.models import Event, Proposal, ProposalKind, ProposalStatus, ProposalTally
from glossary.core.workflow import WorkflowError
from tests import factories

pytestmark = pytest.mark.django_db


def propose(**fields):
    values = {"kind": ProposalKind.NEW_TERM, "term_en": "world model", "language": "en"}
    return services.proposal_submit(**{**values, **fields})


def test_a_proposal_is_kept_and_counted_in_its_month():
    proposal = propose(
        term_zh_hans=" 世界 模型 ",
        definition="A model of the world.",
        definition_language=Language.EN,
        email="reader@example.org",
    )
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.term_zh_hans == "世界 模型"
    (tally,) = ProposalTally.objects.all()
    assert (tally.received, tally.accepted) == (1, 0)
    propose(term_en="agentic AI")
    assert ProposalTally.objects.get().received == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"term_en": ""}, "term_en"),
        ({"term_en": "x" * 201}, "term_en"),
        ({"definition": "d" * 2001, "definition_language": "en"}, "definition"),
        ({"definition": "no language"}, "definition_language"),
        ({"term_en": "bad\x07bell"}, "term_en"),
        ({"email": "not an address"}, "email"),
        ({"kind": ProposalKind.CORRECTION}, "concept"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_kept(fields, field):
    with pytest.raises(ValidationError) as refused:
        propose(**fields)
    assert field in refused.value.message_dict
    assert not Proposal.objects.exists()
    assert not ProposalTally.objects.exists()


def test_accepting_a_new_term_starts_a_new_concept_as_a_draft(
    editor, django_capture_on_commit_callbacks
):
    proposal = propose(
        term_zh_hans="世界模型",
        definition="一种模型。",
        definition_language=Language.ZH_HANS,
        source="A paper",
        email="reader@example.org",
        language="zh-hans",
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = services.proposal_accept(proposal=proposal, user=editor, uid="world-model")
    assert version.state == VersionState.DRAFT
    assert version.concept.uid == "world-model"
    assert version.concept.public_version_id is None  # nothing public until reviewed
    terms = {(t.language, t.text, t.status) for t in version.terms.all()}
    assert terms == {
        (Language.EN, "world model", TermStatus.PREFERRED),
        (Language.ZH_HANS, "世界模型", TermStatus.PREFERRED),
    }
    assert version.definition_zh_hans == "一种模型。"
    note = Event.objects.filter(version=version, action=EventAction.EDIT).get()
    assert "A paper" in note.comment and "reader@example.org" not in note.comment
    proposal.refresh_from_db()
    assert (proposal.status, proposal.draft_id, proposal.decided_by) == (
        ProposalStatus.ACCEPTED,
        version.pk,
        editor,
    )
    assert ProposalTally.objects.get().accepted == 1
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "接受" in message.subject  # in the language the proposal was written in


def test_accepting_a_correction_adds_the_missing_terms_to_a_new_draft(published, editor):
    concept = published.concept
    proposal = propose(
        kind=ProposalKind.CORRECTION,
        concept=concept,
        term_en="generative AI",  # already there
        term_zh_hant="生成式 AI",
    )
    version = services.proposal_accept(proposal=proposal, user=editor)
    concept.refresh_from_db()
    assert concept.open_version_id == version.pk
    assert concept.public_version_id == published.pk  # the public page is unchanged
    added = [t for t in version.terms.all() if t.text == "生成式 AI"]
    assert [(t.language, t.status) for t in added] == [(Language.ZH_HANT, TermStatus.ADMITTED)]
    assert sum(t.text == "generative AI" for t in version.terms.all()) == 1
    assert not mail.outbox  # no e-mail was left


def test_a_correction_of_a_concept_in_review_waits(published, editor):
    draft = services.draft_start(concept=published.concept, user=editor)
    factories.edit_draft(draft, editor, definition_en="Changed.")
    services.version_submit(version=draft, user=editor, comment="why")
    proposal = propose(kind=ProposalKind.CORRECTION, concept=published.concept, term_en="genAI")
    with pytest.raises(WorkflowError) as refused:
        services.proposal_accept(proposal=proposal, user=editor)
    assert refused.value.code == "open_version_in_review"
    assert Proposal.objects.get().status == ProposalStatus.OPEN


def test_merged_proposals_are_told_when_the_one_they_joined_is_declined(
    editor, django_capture_on_commit_callbacks
):
    first = propose(email="a@example.org")
    second = propose(email="b@example.org", language="zh-hant")
    with pytest.raises(WorkflowError):
        services.proposal_merge(proposal=first, into=first, user=editor)
    services.proposal_merge(proposal=second, into=first, user=editor)
    with pytest.raises(WorkflowError):
        services.proposal_merge(proposal=first, into=second, user=editor)  # decided already
    with pytest.raises(ValidationError):
        services.proposal_decline(proposal=first, user=editor, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decline(proposal=first, user=editor, reason="Not an AI term.")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all("Not an AI term." in m.body for m in mail.outbox)
    with pytest.raises(WorkflowError):
        services.proposal_decline(proposal=first, user=editor, reason="again")


def test_only_editors_triage(reviewer_us):
    proposal = propose()
    for attempt in (
        lambda: services.proposal_accept(proposal=proposal, user=reviewer_us),
        lambda: services.proposal_decline(proposal=proposal, user=reviewer_us, reason="no"),
    ):
        with pytest.raises(WorkflowError) as refused:
            attempt()
        assert refused.value.code == "permission_denied"
    assert Proposal.objects.get().status == ProposalStatus.OPEN
