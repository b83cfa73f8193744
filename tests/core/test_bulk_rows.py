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


def test_event_rows_are_what_bulk_create_writes(editor):
    (version,) = drafts(editor, "events", 1)
    made = [
        Event(
            concept_id=version.concept_id,
            version=version,
            action=EventAction.SUBMIT,
            actor=editor,
            from_state=VersionState.DRAFT,
            to_state=VersionState.IN_REVIEW,
        ),
        Event(
            concept_id=version.concept_id, version=version, action=EventAction.SUBMIT, comment="b"
        ),
    ]
    Event.objects.bulk_create(made)
    plain = [
        services.event_row(
            version,
            EventAction.SUBMIT,
            editor,
            from_state=VersionState.DRAFT,
            to_state=VersionState.IN_REVIEW,
        ),
        services.event_row(version, EventAction.SUBMIT, None, comment="b"),
    ]
    assert services.write_events(plain) == 2
    written = list(Event.objects.filter(action=EventAction.SUBMIT).order_by("pk"))
    assert event_values(written[2:]) == event_values(written[:2])
    assert written[2].created_at == written[3].created_at, "one stamp for the call"


def children(version: ConceptVersion) -> list:
    """A version's terms, citations, relations and domains, as stored (ids left out)."""
    rows = []
    for related in (version.terms, version.citations, version.relations, version.versiondomain_set):
        for row in related.order_by("pk"):
            rows.append(
                [
                    (field.attname, getattr(row, field.attname))
                    for field in type(row)._meta.concrete_fields
                    if not field.primary_key and field.attname != "version_id"
                ]
            )
    return rows


def test_a_drafts_children_written_as_plain_rows_are_what_bulk_create_writes(editor):
    from glossary.core.models import Citation, Relation, Term, VersionDomain
    from glossary.language import normalise_term

    target, plain_version, orm_version = drafts(editor, "kids", 3)
    data = factories.complete_data("kids", "孩子", "孩子")
    data.relations = [services.RelationData(kind="related", target=target.concept)]
    data.terms[1].context = "  a context  "
    data.terms[2].machine_converted = False
    services.draft_update(
        version=plain_version, user=editor, data=data, expected_revision=plain_version.revision
    )
    # What the ORM writes from model instances of the same content.
    for model in (Term, Citation, Relation, VersionDomain):
        model.objects.filter(version=orm_version).delete()
    Term.objects.bulk_create(
        Term(
            version=orm_version,
            language=t.language,
            text=normalise_term(t.text),
            folded=Term.matching_key(normalise_term(t.text)),
            status=t.status,
            term_type=t.term_type,
            part_of_speech=t.part_of_speech,
            geographic_usage=t.geographic_usage,
            context=t.context.strip(),
            note=t.note.strip(),
            source=t.source,
            position=position,
            machine_converted=t.machine_converted,
            in_sense_only=t.in_sense_only,
        )
        for position, t in enumerate(data.terms)
    )
    Citation.objects.bulk_create(
        Citation(version=orm_version, source=c.source, locator=c.locator, position=position)
        for position, c in enumerate(data.citations)
    )
    Relation.objects.bulk_create(
        Relation(version=orm_version, kind=r.kind, target=r.target) for r in data.relations
    )
    VersionDomain.objects.bulk_create(
        VersionDomain(version=orm_version, domain=d) for d in data.domains
    )
    written = children(plain_version)
    assert written == children(orm_version)
    assert len(written) == len(data.terms) + len(data.citations) + 1 + len(data.domains)
