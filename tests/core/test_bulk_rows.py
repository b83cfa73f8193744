"""Rows written as plain values (what imports use) are the rows the ORM would have written."""

import pytest

from glossary.core import services
from glossary.core.bulk import insert_objects
from glossary.core.choices import EventAction, VersionState
from glossary.core.models import Concept, ConceptVersion, Event, Review, SearchKey, TbxEntry
from glossary.core.services import BatchError
from tests import factories

pytestmark = pytest.mark.django_db


def drafts(editor, prefix: str, count: int = 3) -> list[ConceptVersion]:
    return services.concepts_create(
        user=editor,
        drafts=[
            (
                f"{prefix}-{n}",
                factories.complete_data(f"{prefix} number {n}", f"概念{n}号", f"概念{n}號"),
            )
            for n in range(count)
        ],
    )


def event_values(events) -> list[tuple]:
    return [
        (e.concept_id, e.version_id, e.action, e.actor_id, e.from_state, e.to_state, e.comment)
        for e in events
    ]


def test_plain_event_rows_are_what_bulk_create_writes(editor):
    (version,) = drafts(editor, "plain", 1)
    made = [
        Event(
            concept_id=version.concept_id, version=version, action=EventAction.EDIT, actor=editor
        ),
        Event(concept_id=version.concept_id, version=version, action=EventAction.EDIT, comment="b"),
    ]
    Event.objects.bulk_create(made)
    orm = Event.objects.filter(pk__in=[event.pk for event in made]).order_by("pk")
    plain = [
        Event(
            concept_id=version.concept_id, version=version, action=EventAction.EDIT, actor=editor
        ),
        Event(concept_id=version.concept_id, version=version, action=EventAction.EDIT, comment="b"),
    ]
    assert insert_objects(Event, plain) == 2
    written = Event.objects.filter(action=EventAction.EDIT).order_by("pk")
    assert event_values(written[2:]) == event_values(orm)
    assert written[2].created_at == plain[0].created_at, "the stamp is stored and given back"
    assert written[2].pk < written[3].pk, "in the order given"


def test_plain_rows_with_returning_give_each_instance_its_key(editor):
    concepts = [Concept(uid="first-one"), Concept(uid="second-one")]
    insert_objects(Concept, concepts, returning=True)
    stored = {concept.uid: concept.pk for concept in Concept.objects.all()}
    assert [concept.pk for concept in concepts] == [stored["first-one"], stored["second-one"]]
    assert all(not concept._state.adding for concept in concepts)
    # A foreign key given as an instance saved since takes that instance's key.
    event_version = drafts(editor, "keyed", 1)[0]
    insert_objects(
        Event,
        [Event(concept=concepts[1], version=event_version, action=EventAction.EDIT)],
    )
    assert Event.objects.get(action=EventAction.EDIT).concept_id == concepts[1].pk


def trail(version: ConceptVersion) -> tuple:
    """What the review of one version left, without ids and times."""
    stored = ConceptVersion.objects.get(pk=version.pk)
    events = Event.objects.filter(version=version).order_by("created_at", "pk")
    reviews = Review.objects.filter(version=version).order_by("pk")
    keys = SearchKey.objects.filter(term__version=version).values_list("kind", flat=True)
    return (
        stored.state,
        stored.review_round,
        stored.concept.public_version_id == stored.pk,
        [(e.action, e.actor_id, e.from_state, e.to_state, e.comment) for e in events],
        [
            (r.reviewer_id, r.side, r.review_round, r.revision, r.decision, r.comment)
            for r in reviews
        ],
        sorted(keys),
        TbxEntry.objects.filter(version=stored).count(),
    )


def test_submit_and_approve_at_once_leaves_what_the_three_steps_leave(
    editor, reviewer_us, reviewer_cn
):
    stepped = drafts(editor, "alpha")
    submitted = services.versions_submit(
        versions=stepped, user=editor, comment="Imported", assessed=False
    )
    for reviewer in (reviewer_us, reviewer_cn):
        submitted = services.versions_approve(versions=submitted, user=reviewer, comment="Imported")
    at_once = drafts(editor, "omega")
    done = services.versions_submit_and_approve(
        versions=at_once, user=editor, reviewers=[reviewer_us, reviewer_cn], comment="Imported"
    )
    assert [v.state for v in done] == [VersionState.PUBLISHED] * 3
    assert [trail(v) for v in at_once] == [trail(v) for v in stepped]
    assert trail(at_once[0])[0] == VersionState.PUBLISHED


def test_submit_and_approve_at_once_writes_nothing_when_a_reviewer_is_refused(editor, reviewer_us):
    versions = drafts(editor, "refused", 2)
    with pytest.raises(BatchError):
        # The author may not approve their own versions.
        services.versions_submit_and_approve(
            versions=versions, user=editor, reviewers=[reviewer_us, editor]
        )
    assert set(ConceptVersion.objects.values_list("state", flat=True)) == {VersionState.DRAFT}
    assert set(Event.objects.values_list("action", flat=True)) == {EventAction.CREATE}
    assert not Review.objects.exists()
