"""Batch workflow services (what large imports use) and the publication stamp."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.core import roles, services
from glossary.core.choices import EventAction, VersionState
from glossary.core.models import (
    Concept,
    ConceptVersion,
    Event,
    Publication,
    Review,
    SearchKey,
    TbxEntry,
    Term,
)
from glossary.core.services import BatchError
from glossary.core.workflow import WorkflowError
from tests import factories

pytestmark = pytest.mark.django_db


def drafts(count: int, start: int = 0) -> list[tuple[str, services.DraftData]]:
    return [
        (
            f"concept-{n}",
            factories.complete_data(f"concept number {n}", f"概念{n}号", f"概念{n}號"),
        )
        for n in range(start, start + count)
    ]


def test_concepts_are_created_together_as_drafts_with_their_history(editor):
    versions = services.concepts_create(user=editor, drafts=drafts(3))
    assert [v.concept.uid for v in versions] == ["concept-0", "concept-1", "concept-2"]
    for version in versions:
        stored = ConceptVersion.objects.select_related("concept").get(pk=version.pk)
        assert stored.state == VersionState.DRAFT and stored.number == 1
        assert stored.concept.open_version_id == stored.pk
        assert stored.author_id == editor.pk
        assert Term.objects.filter(version=stored).count() == 4
        assert list(stored.events.values_list("action", flat=True)) == [EventAction.CREATE]
    folded = Term.objects.get(version=versions[0], text="concept number 0").folded
    assert folded == Term.matching_key("concept number 0") == "concept number 0"


def test_one_refused_draft_refuses_the_batch_and_names_it(editor):
    batch = drafts(3)
    batch[1] = ("Not An Id!", batch[1][1])
    batch[2][1].texts["definition_en"] = ""
    batch[2][1].terms[0].text = "   "
    with pytest.raises(BatchError) as refused:
        services.concepts_create(user=editor, drafts=batch)
    assert sorted(refused.value.errors) == [1, 2]
    assert "uid" in refused.value.errors[1].message_dict
    assert not Concept.objects.exists(), "nothing of the batch is written"


def test_an_identifier_taken_in_the_glossary_or_twice_in_the_batch_is_refused(editor):
    services.concepts_create(user=editor, drafts=drafts(1))
    batch = drafts(2) + drafts(1, start=5) + drafts(1, start=5)
    with pytest.raises(BatchError) as refused:
        services.concepts_create(user=editor, drafts=batch)
    assert sorted(refused.value.errors) == [0, 3]
    assert Concept.objects.count() == 1


def test_a_single_create_raises_its_own_error(editor):
    with pytest.raises(ValidationError) as refused:
        factories.make_draft(editor, uid="Bad Id")
    assert "uid" in refused.value.message_dict


def test_creating_more_concepts_takes_no_more_queries(editor):
    two, forty = drafts(2), drafts(40, start=10)
    with CaptureQueriesContext(connection) as few:
        services.concepts_create(user=editor, drafts=two)
    with CaptureQueriesContext(connection) as many:
        services.concepts_create(user=editor, drafts=forty)
    # A query per kind of row; SQLite's limit on parameters splits the 160 terms in two.
    assert len(many) <= len(few) + 1


def test_a_batch_goes_through_review_and_is_published(editor, reviewer_us, reviewer_cn):
    versions = services.concepts_create(user=editor, drafts=drafts(4))
    services.versions_submit(versions=versions, user=editor, comment="ready")
    services.versions_approve(versions=versions, user=reviewer_us)
    assert set(ConceptVersion.objects.values_list("state", flat=True)) == {VersionState.IN_REVIEW}
    with CaptureQueriesContext(connection) as queries:
        published = services.versions_approve(versions=versions, user=reviewer_cn)
    assert {v.state for v in published} == {VersionState.PUBLISHED}
    for version in published:
        stored = ConceptVersion.objects.select_related("concept").get(pk=version.pk)
        assert stored.state == VersionState.PUBLISHED
        assert stored.concept.public_version_id == stored.pk
        assert stored.concept.open_version_id is None
        assert list(stored.events.values_list("action", flat=True)) == [
            "create",
            "submit",
            "approve",
            "approve",
            "publish",
        ]
    assert Review.objects.count() == 8
    assert SearchKey.objects.filter(version__in=published).values("concept").distinct().count() == 4
    assert TbxEntry.objects.filter(version__in=published).count() == 4
    # No more queries for one more concept: a fixed number for the whole batch (the first
    # batch also read the reviewer's permissions and side).
    five = services.concepts_create(user=editor, drafts=drafts(5, start=10))
    services.versions_submit(versions=five, user=editor)
    services.versions_approve(versions=five, user=reviewer_us)
    with CaptureQueriesContext(connection) as more:
        services.versions_approve(versions=five, user=reviewer_cn)
    assert len(more) <= len(queries)


def test_a_reviewer_who_wrote_one_version_of_a_batch_refuses_the_batch(editor):
    author = factories.make_user("linguist-us", group="Editors", side="us")
    author.groups.add(roles.group(roles.REVIEWERS))
    author = type(author).objects.get(pk=author.pk)
    batch = services.concepts_create(user=editor, drafts=drafts(2))
    batch += services.concepts_create(user=author, drafts=drafts(1, start=9))
    services.versions_submit(versions=batch, user=editor)
    with pytest.raises(BatchError) as refused:
        services.versions_approve(versions=batch, user=author)
    assert list(refused.value.errors) == [2]
    assert refused.value.errors[2].code == "own_version"
    assert not Review.objects.exists(), "nothing of the batch is written"
    services.versions_approve(versions=batch[:2], user=author)
    assert Review.objects.count() == 2


def test_submitting_an_incomplete_draft_refuses_the_batch(editor):
    versions = services.concepts_create(user=editor, drafts=drafts(2))
    incomplete = factories.complete_data()
    incomplete.texts = {"definition_en": "Only English."}
    versions.append(services.concept_create(uid="incomplete", user=editor, data=incomplete))
    with pytest.raises(BatchError) as refused:
        services.versions_submit(versions=versions, user=editor)
    assert list(refused.value.errors) == [2]
    assert refused.value.errors[2].code == "incomplete"
    assert set(ConceptVersion.objects.values_list("state", flat=True)) == {VersionState.DRAFT}
    with pytest.raises(WorkflowError):
        services.version_submit(version=versions[2], user=editor)


def test_a_version_named_twice_in_a_batch_is_refused(editor):
    version = factories.make_draft(editor)
    with pytest.raises(ValueError, match="twice"):
        services.versions_submit(versions=[version, version], user=editor)


# --- The publication stamp --------------------------------------------------------------------


def test_the_stamp_changes_with_each_publication_and_release(editor, reviewer_us, reviewer_cn):
    before = Publication.objects.stamp()
    draft = factories.make_draft(editor)
    services.version_submit(version=draft, user=editor)
    services.version_approve(version=draft, user=reviewer_us)
    assert Publication.objects.stamp() == before, "nothing public changed yet"
    services.version_approve(version=draft, user=reviewer_cn)
    published = Publication.objects.stamp()
    assert published[0] == before[0] + 1
    assert published[1] == ConceptVersion.objects.get(pk=draft.pk).published_at
    services.release_cut(name="2031.1", user=None)
    assert Publication.objects.stamp()[0] == before[0] + 2
    # Drafts, edits and withdrawals change nothing the public sees.
    second = services.draft_start(concept=draft.concept, user=editor)
    services.version_withdraw(version=second, user=editor)
    assert Publication.objects.stamp()[0] == before[0] + 2


def test_reading_the_stamp_is_one_query():
    with CaptureQueriesContext(connection) as queries:
        Publication.objects.stamp()
    assert len(queries) == 1


def test_the_stamp_row_comes_back_after_a_flush(editor, reviewer_us, reviewer_cn):
    Publication.objects.all().delete()
    assert Publication.objects.stamp() == (0, None)
    factories.make_published(editor, [reviewer_us, reviewer_cn])
    assert Publication.objects.stamp()[0] == 1


def test_events_record_the_supersession_before_the_publication(
    published, editor, reviewer_us, reviewer_cn
):
    draft = services.draft_start(concept=published.concept, user=editor)
    draft = factories.edit_draft(draft, editor)
    services.version_submit(version=draft, user=editor)
    for reviewer in (reviewer_us, reviewer_cn):
        services.version_approve(version=draft, user=reviewer)
    last = list(Event.objects.order_by("-id").values_list("action", "version_id")[:2])
    assert last == [("publish", draft.pk), ("supersede", published.pk)]
