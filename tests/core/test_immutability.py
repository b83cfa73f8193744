"""Nothing but a draft changes in place, whichever way the write is attempted."""

import pytest
from django.db import transaction

from glossary.core import services
from glossary.core.guards import ImmutableError, allow_transition
from glossary.core.models import (
    Citation,
    Concept,
    ConceptVersion,
    Event,
    Relation,
    Release,
    Review,
    Term,
    VersionDomain,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_saving_a_published_version_is_refused(published):
    published.definition_en = "Changed behind the workflow's back."
    with pytest.raises(ImmutableError):
        published.save()
    assert ConceptVersion.objects.get(pk=published.pk).definition_en != published.definition_en


def test_the_imported_history_of_a_published_version_cannot_change(
    editor, reviewer_us, reviewer_cn
):
    data = factories.complete_data()
    data.imported_history = [
        {"action": "creation", "date": "2019-05-02", "responsibility": "Ada Lovelace"}
    ]
    published = factories.make_published(editor, [reviewer_us, reviewer_cn], data=data)
    kept = list(published.imported_history)
    forged = [{"action": "creation", "date": "2001-01-01", "responsibility": "Someone else"}]
    published.imported_history = forged
    with pytest.raises(ImmutableError):
        published.save()
    with pytest.raises(ImmutableError):
        published.save(update_fields=["imported_history"])
    with pytest.raises(ImmutableError):
        ConceptVersion.objects.filter(pk=published.pk).update(imported_history=forged)
    with pytest.raises(ImmutableError):
        ConceptVersion.objects.bulk_update([published], ["imported_history"])
    with allow_transition(), pytest.raises(ImmutableError):
        published.save(update_fields=["state", "imported_history"])
    assert (
        ConceptVersion.objects.get(pk=published.pk).imported_history
        == kept
        == [{"action": "creation", "date": "2019-05-02", "responsibility": "Ada Lovelace"}]
    )


def test_a_stale_in_memory_draft_cannot_overwrite_a_submitted_version(draft, editor):
    stale = ConceptVersion.objects.get(pk=draft.pk)
    services.version_submit(version=draft, user=editor)
    stale.definition_en = "Edited after submission."
    with pytest.raises(ImmutableError):
        stale.save()


def test_queryset_update_of_published_versions_is_refused(published):
    with pytest.raises(ImmutableError):
        ConceptVersion.objects.filter(pk=published.pk).update(definition_en="x")
    with pytest.raises(ImmutableError):
        ConceptVersion.objects.all().update(state="draft")


def test_bulk_update_of_published_versions_is_refused(published):
    published.note_en = "x"
    with pytest.raises(ImmutableError):
        ConceptVersion.objects.bulk_update([published], ["note_en"])


def test_deleting_a_published_version_is_refused(published):
    with pytest.raises(ImmutableError):
        published.delete()
    with pytest.raises(ImmutableError):
        ConceptVersion.objects.filter(pk=published.pk).delete()
    with pytest.raises(ImmutableError):
        Concept.objects.get(pk=published.concept_id).delete()
    assert ConceptVersion.objects.filter(pk=published.pk).exists()


def test_a_version_cannot_be_created_in_another_state(published):
    with pytest.raises(ImmutableError):
        ConceptVersion(concept=published.concept, number=9, state="published").save()
    with pytest.raises(ImmutableError):
        ConceptVersion.objects.bulk_create(
            [ConceptVersion(concept=published.concept, number=9, state="published")]
        )


def test_transitions_write_only_state_fields(published):
    with allow_transition():
        published.definition_en = "x"
        with pytest.raises(ImmutableError):
            published.save(update_fields=["definition_en"])
        with pytest.raises(ImmutableError):
            published.save()
        with pytest.raises(ImmutableError):
            ConceptVersion.objects.filter(pk=published.pk).update(note_en="x")


@pytest.mark.parametrize("model", [Term, Citation, Relation, VersionDomain])
def test_rows_of_a_published_version_are_frozen(published, model, editor):
    if model is Relation:
        other = factories.make_draft(
            editor, uid="other", data=factories.complete_data("other", "其他", "其他")
        )
        # A relation can only be added while the version is a draft; build one on a published
        # version by publishing a draft that has it.
        data = factories.complete_data()
        data.relations = [services.RelationData(kind="related", target=other.concept)]
        draft = services.draft_start(concept=published.concept, user=editor)
        services.draft_update(
            version=draft, user=editor, data=data, expected_revision=draft.revision
        )
        services.version_submit(version=draft, user=editor)
        reviewers = [
            factories.make_user(f"r-{side}", group="Reviewers", side=side) for side in ("us", "cn")
        ]
        for reviewer in reviewers:
            services.version_approve(version=draft, user=reviewer)
        published = ConceptVersion.objects.get(pk=draft.pk)
    rows = model.objects.filter(version=published)
    row = rows.first()
    assert row is not None
    with pytest.raises(ImmutableError):
        row.save()
    with pytest.raises(ImmutableError):
        row.delete()
    with pytest.raises(ImmutableError):
        rows.update(version=published)
    with pytest.raises(ImmutableError):
        rows.delete()
    with pytest.raises(ImmutableError):
        model.objects.bulk_update([row], ["version"])
    with pytest.raises(ImmutableError):
        model.objects.bulk_create(
            [
                model(
                    **{
                        f.attname: getattr(row, f.attname)
                        for f in model._meta.concrete_fields
                        if not f.primary_key
                    }
                )
            ]
        )


def test_related_manager_writes_are_refused(published):
    governance = factories.domain("governance")
    attempts = [
        lambda: published.terms.all().delete(),
        lambda: published.terms.create(language="en", text="new term"),
        lambda: published.domains.clear(),
        lambda: published.domains.add(governance),
        lambda: published.domains.set([governance]),
    ]
    for attempt in attempts:
        # Related managers write inside atomic(savepoint=False): give each its own savepoint.
        with pytest.raises(ImmutableError), transaction.atomic():
            attempt()
    assert published.terms.count() == 4
    assert list(published.domains.values_list("key", flat=True)) == ["generative-ai"]


def test_a_draft_term_cannot_move_to_a_published_version(published, editor):
    draft = factories.make_draft(
        editor, uid="other", data=factories.complete_data("other", "其他", "其他")
    )
    term = draft.terms.first()
    term.version = published
    with pytest.raises(ImmutableError):
        term.save()
    with pytest.raises(ImmutableError):
        Term.objects.filter(pk=term.pk).update(version=published)


def test_draft_rows_can_change(draft):
    term = draft.terms.get(text="GenAI")
    term.note = "Common in the press."
    term.save()
    assert Term.objects.get(pk=term.pk).note == "Common in the press."


def test_records_are_append_only(published):
    review = Review.objects.filter(version=published).first()
    event = Event.objects.filter(version=published).first()
    release = services.release_cut(name="2025.1", notes="", user=None)
    for record in (review, event, release):
        with pytest.raises(ImmutableError):
            record.save()
        with pytest.raises(ImmutableError):
            record.delete()
        with pytest.raises(ImmutableError):
            type(record).objects.filter(pk=record.pk).update(pk=record.pk)
        with pytest.raises(ImmutableError):
            type(record).objects.filter(pk=record.pk).delete()
    assert Release.objects.filter(name="2025.1").exists()
