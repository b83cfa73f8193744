"""Review: submit drafts, approve or request changes, publish when the policy is met."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glossary.core import notify, workflow
from glossary.core.bulk import db_moment, insert_objects, insert_rows
from glossary.core.choices import (
    EventAction,
    ReviewDecision,
    VersionState,
)
from glossary.core.models import (
    ConceptVersion,
    DialogueRound,
    Review,
)
from glossary.core.services.history import (
    check_each,
    event_row,
    lock_versions,
    publish_versions,
    run_single,
    transition,
    write_events,
)
from glossary.core.services.rounds import rounds_cite
from glossary.core.workflow import WorkflowError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def version_submit(
    *, version: ConceptVersion, user: User, comment: str = "", assessed: bool = True
) -> ConceptVersion:
    """Send a complete draft to review. Approvals of any earlier round no longer count."""
    return run_single(
        versions_submit, versions=[version], user=user, comment=comment, assessed=assessed
    )


@transaction.atomic
def versions_submit(
    *, versions: list[ConceptVersion], user: User, comment: str = "", assessed: bool = True
) -> list[ConceptVersion]:
    """Send complete drafts to review: all of them, or (``BatchError``) none.

    Each needs its agreement state and maturity, and each side's usage where the sides do not
    fully agree; only a file published into an empty glossary as it stands (``assessed``
    false, the importer's bootstrap) goes without, and shows "not yet assessed".
    """
    locked = lock_versions(versions, with_terms=True)
    _submit_locked(locked, user, comment, assessed=assessed)
    return locked


def _submit_locked(
    locked: list[ConceptVersion], user: User, comment: str, *, assessed: bool
) -> None:
    check_each(locked, lambda version: workflow.check_submit(user, version, assessed=assessed))
    send_to_review(locked, user, comment)
    notify.versions_submitted(locked, user)


def send_to_review(versions: list[ConceptVersion], user: User, comment: str) -> None:
    """Open a new review round: approvals of earlier rounds no longer count."""
    write_events(
        transition(
            versions,
            VersionState.IN_REVIEW,
            EventAction.SUBMIT,
            user,
            comment=comment.strip(),
            fields={"submitted_at": timezone.now()},
            new_round=True,
        ),
    )


def version_review(
    *,
    version: ConceptVersion,
    user: User,
    decision: str,
    comment: str = "",
    dialogue_round: DialogueRound | None = None,
) -> ConceptVersion:
    """Approve the exact version in review, or send it back with a comment.

    When the approvals of this round meet the review policy, the version is published in the
    same transaction.
    """
    return run_single(
        versions_review,
        versions=[version],
        user=user,
        decision=decision,
        comment=comment,
        dialogue_round=dialogue_round,
    )


@transaction.atomic
def versions_review(
    *,
    versions: list[ConceptVersion],
    user: User,
    decision: str,
    comment: str = "",
    seen: dict[int, tuple[int, int]] | None = None,
    dialogue_round: DialogueRound | None = None,
) -> list[ConceptVersion]:
    """One reviewer's decision on each of these versions: all of them, or (``BatchError``) none.

    ``seen``: the (revision, review round) of each version as the reviewer read it; a version
    that changed or went round again since is refused, so an approval is always of the exact
    version read. Those whose approvals now meet the review policy are published in the same
    transaction. ``dialogue_round``: the round of the dialogue where the agreement was
    reached, which an approval may cite (see ``glossary.core.models.rounds``).
    """
    locked = lock_versions(versions, with_terms=True)
    _review_locked(locked, user, decision, comment, seen, dialogue_round)
    return locked


#: The columns of a review written as a plain row.
REVIEW_COLUMNS = (
    "version_id",
    "reviewer_id",
    "side",
    "review_round",
    "revision",
    "decision",
    "comment",
    "created_at",
)


def _review_locked(
    locked: list[ConceptVersion],
    user: User,
    decision: str,
    comment: str,
    seen: dict[int, tuple[int, int]] | None,
    dialogue_round: DialogueRound | None = None,
) -> None:
    """``versions_review`` of versions this transaction holds locked, read with their terms."""
    if decision not in ReviewDecision.values:
        raise WorkflowError("bad_decision", _("Choose approve or request changes."))
    if dialogue_round is not None and decision != ReviewDecision.APPROVE:
        raise WorkflowError(
            "round_without_approval", _("Only an approval can cite a dialogue round.")
        )
    facts = workflow.ReviewFacts.read(user, locked)

    def check(version: ConceptVersion) -> None:
        if seen is not None:
            workflow.check_unchanged(version, seen.get(version.pk))
        workflow.check_review(user, version, decision, facts)

    check_each(locked, check)
    comment = comment.strip()
    if decision == ReviewDecision.REQUEST_CHANGES and not comment:
        raise WorkflowError(
            "comment_required", _("Say what should change: the comment is kept on the record.")
        )
    side = workflow.side_of(user)
    if dialogue_round is None:
        # Only written: plain rows (a reviewer approving a batch of thousands), which are
        # those ``insert_objects`` would write.
        stamp = db_moment(timezone.now())
        insert_rows(
            Review,
            REVIEW_COLUMNS,
            (
                (
                    version.pk,
                    user.pk,
                    side,
                    version.review_round,
                    version.revision,
                    decision,
                    comment,
                    stamp,
                )
                for version in locked
            ),
        )
    else:
        # Read back with their ids: the round's citation points at the approvals.
        reviews = [
            Review(
                version=version,
                reviewer=user,
                side=side,
                review_round=version.review_round,
                revision=version.revision,
                decision=decision,
                comment=comment,
            )
            for version in locked
        ]
        insert_objects(Review, reviews, returning=True)
    if decision == ReviewDecision.REQUEST_CHANGES:
        write_events(
            transition(
                locked, VersionState.DRAFT, EventAction.REQUEST_CHANGES, user, comment=comment
            ),
        )
        notify.versions_sent_back(locked, user, comment)
        return
    write_events(
        event_row(version, EventAction.APPROVE, user, comment=comment) for version in locked
    )
    if dialogue_round is not None:
        rounds_cite(dialogue_round=dialogue_round, versions=locked, reviews=reviews)
    approvals: dict[int, list[workflow.Approval]] = {version.pk: [] for version in locked}
    rounds = {version.pk: version.review_round for version in locked}
    for version_id, review_round, reviewer_id, review_side in Review.objects.filter(
        version_id__in=list(approvals), decision=ReviewDecision.APPROVE
    ).values_list("version_id", "review_round", "reviewer_id", "side"):
        if review_round == rounds[version_id]:
            approvals[version_id].append(workflow.Approval(reviewer_id, review_side))
    policy = workflow.policy()
    ready = [version for version in locked if policy.is_met(approvals[version.pk])]
    if ready:
        publish_versions(ready, user)
        notify.versions_published(ready)


@transaction.atomic
def versions_submit_and_approve(
    *, versions: list[ConceptVersion], user: User, reviewers: list[User], comment: str = ""
) -> list[ConceptVersion]:
    """Submit drafts as they stand, then approve them as each reviewer in turn: all of them,
    or (``BatchError``) none.

    What ``versions_submit`` (not ``assessed``) and one ``versions_approve`` per reviewer do,
    each step checked and recorded the same way, with the versions locked and read once: for
    the importer's bootstrap of an empty glossary. Versions the reviewers' approvals publish
    are published in the same transaction.
    """
    locked = lock_versions(versions, with_terms=True)
    _submit_locked(locked, user, comment, assessed=False)
    for reviewer in reviewers:
        waiting = [version for version in locked if version.state == VersionState.IN_REVIEW]
        if waiting:
            _review_locked(waiting, reviewer, ReviewDecision.APPROVE, comment, None)
    return locked


def version_approve(
    *,
    version: ConceptVersion,
    user: User,
    comment: str = "",
    dialogue_round: DialogueRound | None = None,
) -> ConceptVersion:
    return version_review(
        version=version,
        user=user,
        decision=ReviewDecision.APPROVE,
        comment=comment,
        dialogue_round=dialogue_round,
    )


def versions_approve(
    *,
    versions: list[ConceptVersion],
    user: User,
    comment: str = "",
    seen: dict[int, tuple[int, int]] | None = None,
    dialogue_round: DialogueRound | None = None,
) -> list[ConceptVersion]:
    return versions_review(
        versions=versions,
        user=user,
        decision=ReviewDecision.APPROVE,
        comment=comment,
        seen=seen,
        dialogue_round=dialogue_round,
    )


def version_request_changes(*, version: ConceptVersion, user: User, comment: str) -> ConceptVersion:
    return version_review(
        version=version, user=user, decision=ReviewDecision.REQUEST_CHANGES, comment=comment
    )
