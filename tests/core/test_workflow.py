"""Every transition of the review workflow, and every refusal."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings

from glossary.core import services, workflow
from glossary.core.choices import EventAction, Language, TermStatus, VersionState
from glossary.core.models import Concept, ConceptVersion, Event
from glossary.core.services import DraftData, TermData
from glossary.core.workflow import StaleEditError, WorkflowError
from tests import factories

pytestmark = pytest.mark.django_db


def refresh(version: ConceptVersion) -> ConceptVersion:
    return ConceptVersion.objects.select_related("concept").get(pk=version.pk)


def test_create_makes_a_first_draft_with_history(editor):
    version = factories.make_draft(editor)
    assert version.number == 1
    assert version.state == VersionState.DRAFT
    assert version.concept.open_version_id == version.pk
    assert version.concept.public_version_id is None
    assert [e.action for e in Event.objects.filter(version=version)] == [EventAction.CREATE]


def test_submit_then_both_sides_approve_publishes(editor, reviewer_us, reviewer_cn):
    version = factories.make_draft(editor)
    services.version_submit(version=version, user=editor)
    assert refresh(version).state == VersionState.IN_REVIEW
    services.version_approve(version=version, user=reviewer_us)
    assert refresh(version).state == VersionState.IN_REVIEW, "one side is not enough"
    services.version_approve(version=version, user=reviewer_cn, comment="同意")
    version = refresh(version)
    assert version.state == VersionState.PUBLISHED
    assert version.published_at is not None
    assert version.concept.public_version_id == version.pk
    assert version.concept.open_version_id is None
    actions = list(Event.objects.filter(version=version).values_list("action", flat=True))
    assert actions == ["create", "submit", "approve", "approve", "publish"]


def test_new_draft_copies_published_and_publishing_it_supersedes(
    published, editor, reviewer_us, reviewer_cn
):
    draft = services.draft_start(concept=published.concept, user=editor)
    assert draft.number == 2
    assert draft.based_on_id == published.pk
    assert sorted(draft.terms.values_list("text", flat=True)) == sorted(
        published.terms.values_list("text", flat=True)
    )
    assert draft.definition_en == published.definition_en
    assert list(draft.citations.values_list("source__key", "locator")) == list(
        published.citations.values_list("source__key", "locator")
    )
    draft = factories.edit_draft(draft, editor)
    services.version_submit(version=draft, user=editor)
    services.version_approve(version=draft, user=reviewer_cn)
    services.version_approve(version=draft, user=reviewer_us)
    assert refresh(published).state == VersionState.SUPERSEDED
    draft = refresh(draft)
    assert draft.state == VersionState.PUBLISHED
    assert draft.concept.public_version_id == draft.pk


def test_request_changes_returns_to_draft_and_keeps_the_comment(
    draft, editor, reviewer_us, reviewer_cn
):
    services.version_submit(version=draft, user=editor)
    services.version_approve(version=draft, user=reviewer_us)
    services.version_request_changes(version=draft, user=reviewer_cn, comment="定义太宽。")
    draft = refresh(draft)
    assert draft.state == VersionState.DRAFT
    event = Event.objects.get(version=draft, action=EventAction.REQUEST_CHANGES)
    assert event.comment == "定义太宽。"
    assert draft.reviews.get(reviewer=reviewer_cn).comment == "定义太宽。"
    # The approval of the earlier round no longer counts after resubmission.
    services.version_submit(version=draft, user=editor)
    services.version_approve(version=draft, user=reviewer_cn)
    assert refresh(draft).state == VersionState.IN_REVIEW
    services.version_approve(version=draft, user=reviewer_us)
    assert refresh(draft).state == VersionState.PUBLISHED


def test_request_changes_needs_a_comment(draft, editor, reviewer_cn):
    services.version_submit(version=draft, user=editor)
    with pytest.raises(WorkflowError) as exc:
        services.version_request_changes(version=draft, user=reviewer_cn, comment="  ")
    assert exc.value.code == "comment_required"
    assert refresh(draft).state == VersionState.IN_REVIEW


def test_withdraw_closes_the_version_and_frees_the_concept(draft, editor):
    services.version_withdraw(version=draft, user=editor, comment="duplicate")
    draft = refresh(draft)
    assert draft.state == VersionState.WITHDRAWN
    assert draft.concept.open_version_id is None
    with pytest.raises(WorkflowError):
        services.version_submit(version=draft, user=editor)


def test_withdraw_in_review(draft, editor):
    services.version_submit(version=draft, user=editor)
    services.version_withdraw(version=draft, user=editor)
    assert refresh(draft).state == VersionState.WITHDRAWN


def test_retirement_goes_through_review_and_keeps_the_reason(
    published, administrator, reviewer_us, reviewer_cn
):
    version = services.concept_retire(
        concept=published.concept, user=administrator, reason="Merged into foundation-model."
    )
    assert version.state == VersionState.IN_REVIEW
    services.version_approve(version=version, user=reviewer_us)
    services.version_approve(version=version, user=reviewer_cn)
    version = refresh(version)
    assert version.state == VersionState.RETIRED
    concept = Concept.objects.get(pk=published.concept_id)
    assert concept.is_retired
    assert concept.public_version.retirement_reason == "Merged into foundation-model."
    assert refresh(published).state == VersionState.SUPERSEDED


def test_retire_needs_a_reason_and_the_permission(published, editor, administrator):
    with pytest.raises(WorkflowError) as exc:
        services.concept_retire(concept=published.concept, user=editor, reason="old")
    assert exc.value.code == "permission_denied"
    with pytest.raises(WorkflowError) as exc:
        services.concept_retire(concept=published.concept, user=administrator, reason=" ")
    assert exc.value.code == "reason_required"


# Refusals ------------------------------------------------------------------------------------


def test_author_cannot_approve_own_version(editor, reviewer_us):
    # An editor who is also a reviewer still may not review what they wrote.
    reviewer_us.groups.add(*editor.groups.all())
    version = factories.make_draft(reviewer_us)
    services.version_submit(version=version, user=reviewer_us)
    with pytest.raises(WorkflowError) as exc:
        services.version_approve(version=version, user=reviewer_us)
    assert exc.value.code == "own_version"
    assert not version.reviews.exists()


def test_an_editor_of_the_draft_cannot_approve_it(draft, editor, reviewer_cn):
    reviewer_cn.groups.add(*editor.groups.all())
    services.draft_update(
        version=draft,
        user=reviewer_cn,
        data=factories.complete_data(),
        expected_revision=draft.revision,
    )
    services.version_submit(version=draft, user=editor)
    with pytest.raises(WorkflowError) as exc:
        services.version_approve(version=draft, user=reviewer_cn)
    assert exc.value.code == "own_version"


def test_one_side_only_does_not_publish(draft, editor, reviewer_us, second_reviewer_us):
    services.version_submit(version=draft, user=editor)
    services.version_approve(version=draft, user=reviewer_us)
    services.version_approve(version=draft, user=second_reviewer_us)
    draft = refresh(draft)
    assert draft.state == VersionState.IN_REVIEW
    assert draft.concept.public_version_id is None
    outstanding = workflow.policy().outstanding(draft.reviews.all())
    assert outstanding == ["an approval from the China side"]


def test_reviewer_without_a_side_is_refused(draft, editor):
    observer = factories.make_user("observer", group="Reviewers", side="other")
    nobody = factories.make_user("nobody", group="Reviewers")
    services.version_submit(version=draft, user=editor)
    for user in (observer, nobody):
        with pytest.raises(WorkflowError) as exc:
            services.version_approve(version=draft, user=user)
        assert exc.value.code == "wrong_side"


def test_reviewer_cannot_approve_twice(draft, editor, reviewer_us):
    services.version_submit(version=draft, user=editor)
    services.version_approve(version=draft, user=reviewer_us)
    with pytest.raises(WorkflowError) as exc:
        services.version_approve(version=draft, user=reviewer_us)
    assert exc.value.code == "already_approved"


def test_editor_cannot_review_and_reviewer_cannot_edit(draft, editor, reviewer_us):
    services.version_submit(version=draft, user=editor)
    with pytest.raises(WorkflowError) as exc:
        services.version_approve(version=draft, user=editor)
    assert exc.value.code == "permission_denied"
    other = factories.make_draft(
        editor,
        uid="frontier-ai",
        data=factories.complete_data("frontier AI", "前沿人工智能", "前沿人工智慧"),
    )
    with pytest.raises(WorkflowError) as exc:
        services.draft_update(
            version=other,
            user=reviewer_us,
            data=factories.complete_data(),
            expected_revision=other.revision,
        )
    assert exc.value.code == "permission_denied"


def test_cannot_approve_a_draft(draft, reviewer_us):
    with pytest.raises(WorkflowError) as exc:
        services.version_approve(version=draft, user=reviewer_us)
    assert exc.value.code == "wrong_state"


@pytest.mark.parametrize(
    ("data", "missing"),
    [
        (
            DraftData(
                texts={"definition_en": "x", "definition_zh_hans": "x"},
                terms=[
                    TermData(language=Language.ZH_HANS, text="模型", status=TermStatus.PREFERRED)
                ],
            ),
            "a preferred English term",
        ),
        (
            DraftData(
                texts={"definition_en": "x", "definition_zh_hans": "x"},
                terms=[
                    TermData(language=Language.EN, text="model", status=TermStatus.PREFERRED),
                    TermData(language=Language.ZH_HANS, text="模型", status=TermStatus.ADMITTED),
                ],
            ),
            "a preferred Simplified Chinese term",
        ),
        (
            DraftData(
                texts={"definition_zh_hans": "x"},
                terms=[
                    TermData(language=Language.EN, text="model", status=TermStatus.PREFERRED),
                    TermData(language=Language.ZH_HANS, text="模型", status=TermStatus.PREFERRED),
                ],
            ),
            "an English definition",
        ),
        (
            DraftData(
                texts={"definition_en": "x"},
                terms=[
                    TermData(language=Language.EN, text="model", status=TermStatus.PREFERRED),
                    TermData(language=Language.ZH_HANS, text="模型", status=TermStatus.PREFERRED),
                ],
            ),
            "a Chinese definition",
        ),
    ],
)
def test_incomplete_draft_cannot_be_submitted(editor, data, missing):
    version = services.concept_create(uid="model", user=editor, data=data)
    with pytest.raises(WorkflowError) as exc:
        services.version_submit(version=version, user=editor)
    assert exc.value.code == "incomplete"
    assert missing in exc.value.message
    assert refresh(version).state == VersionState.DRAFT


def test_a_traditional_definition_counts_as_the_chinese_one(editor):
    data = factories.complete_data(definition_zh_hans="")
    version = factories.make_draft(editor, data=data)
    services.version_submit(version=version, user=editor)
    assert refresh(version).state == VersionState.IN_REVIEW


def test_only_one_open_version(published, editor):
    services.draft_start(concept=published.concept, user=editor)
    with pytest.raises(WorkflowError) as exc:
        services.draft_start(concept=Concept.objects.get(pk=published.concept_id), user=editor)
    assert exc.value.code == "open_version_exists"


# Invariants ----------------------------------------------------------------------------------


def test_two_preferred_terms_in_one_language_are_refused(editor):
    data = factories.complete_data()
    data.terms.append(TermData(language=Language.EN, text="GAI", status=TermStatus.PREFERRED))
    with pytest.raises(ValidationError) as exc:
        factories.make_draft(editor, data=data)
    assert "only one preferred term in English" in str(exc.value)
    assert not Concept.objects.exists(), "nothing is written when validation fails"


def test_the_same_term_twice_is_refused(draft, editor):
    data = factories.complete_data()
    data.terms.append(TermData(language=Language.EN, text="generative  AI"))
    with pytest.raises(ValidationError):
        services.draft_update(
            version=draft, user=editor, data=data, expected_revision=draft.revision
        )
    assert refresh(draft).revision == draft.revision


def test_bad_identifier_and_duplicate_identifier_are_refused(editor, draft):
    with pytest.raises(ValidationError) as exc:
        factories.make_draft(editor, uid="Generative AI")
    assert "uid" in exc.value.message_dict
    with pytest.raises(ValidationError):
        factories.make_draft(editor, uid="generative-ai")
    assert Concept.objects.count() == 1


def test_unknown_choice_is_refused(draft, editor):
    data = factories.complete_data()
    data.terms[0].status = "favourite"
    with pytest.raises(ValidationError):
        services.draft_update(
            version=draft, user=editor, data=data, expected_revision=draft.revision
        )


def test_a_concept_cannot_relate_to_itself(draft, editor):
    data = factories.complete_data()
    data.relations = [services.RelationData(kind="related", target=draft.concept)]
    with pytest.raises(ValidationError):
        services.draft_update(
            version=draft, user=editor, data=data, expected_revision=draft.revision
        )


# Concurrency ---------------------------------------------------------------------------------


def test_stale_edit_is_refused_and_nothing_is_overwritten(draft, editor, second_editor):
    loaded = draft.revision
    first = factories.complete_data(definition_en="First editor's definition.")
    services.draft_update(version=draft, user=editor, data=first, expected_revision=loaded)
    second = factories.complete_data(definition_en="Second editor's definition.")
    with pytest.raises(StaleEditError) as exc:
        services.draft_update(
            version=draft, user=second_editor, data=second, expected_revision=loaded
        )
    assert exc.value.code == "stale_edit"
    draft = refresh(draft)
    assert draft.definition_en == "First editor's definition."
    assert draft.revision == loaded + 1


# Policy --------------------------------------------------------------------------------------


@override_settings(GLOSSARY_REVIEW_POLICY={"APPROVALS_REQUIRED": 3, "SIDES_REQUIRED": ["us", "cn"]})
def test_policy_is_configurable(draft, editor, reviewer_us, reviewer_cn, second_reviewer_us):
    services.version_submit(version=draft, user=editor)
    services.version_approve(version=draft, user=reviewer_us)
    services.version_approve(version=draft, user=reviewer_cn)
    assert refresh(draft).state == VersionState.IN_REVIEW
    services.version_approve(version=draft, user=second_reviewer_us)
    assert refresh(draft).state == VersionState.PUBLISHED


@override_settings(GLOSSARY_REVIEW_POLICY={"APPROVALS_REQUIRED": 1, "SIDES_REQUIRED": []})
def test_policy_with_no_required_side(draft, editor, reviewer_cn):
    services.version_submit(version=draft, user=editor)
    services.version_approve(version=draft, user=reviewer_cn)
    assert refresh(draft).state == VersionState.PUBLISHED


@pytest.mark.parametrize(
    "bad",
    [
        {"APPROVALS_REQUIRED": 1, "SIDES_REQUIRED": ["us", "cn"]},
        {"APPROVALS_REQUIRED": 0, "SIDES_REQUIRED": []},
        {"APPROVALS_REQUIRED": 2, "SIDES_REQUIRED": ["eu"]},
    ],
)
def test_impossible_policies_are_refused(bad):
    with override_settings(GLOSSARY_REVIEW_POLICY=bad), pytest.raises(ImproperlyConfigured):
        workflow.policy()


def test_waiting_for_my_review(draft, editor, reviewer_us, reviewer_cn):
    assert not ConceptVersion.objects.waiting_for(reviewer_us).exists()
    services.version_submit(version=draft, user=editor)
    assert list(ConceptVersion.objects.waiting_for(reviewer_us)) == [draft]
    services.version_approve(version=draft, user=reviewer_us)
    assert not ConceptVersion.objects.waiting_for(reviewer_us).exists()
    assert list(ConceptVersion.objects.waiting_for(reviewer_cn)) == [draft]
    assert not ConceptVersion.objects.waiting_for(editor).exists()
