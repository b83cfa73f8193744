"""Concepts and their drafts: create, edit, start a new draft, withdraw, propose retirement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from glossary.core import workflow
from glossary.core.bulk import insert_objects
from glossary.core.choices import (
    OPEN_STATES,
    Agreement,
    EventAction,
    Maturity,
    VersionState,
)
from glossary.core.models import (
    Concept,
    ConceptVersion,
)
from glossary.core.services.data import (
    DraftData,
    apply_content,
    clean_imported_history,
    insert_children,
    validate_draft,
    version_instance,
    write_content,
)
from glossary.core.services.history import (
    check_each,
    event_row,
    lock_versions,
    record_event,
    run_single,
    system_user,
    transition,
    version_in,
    write_events,
)
from glossary.core.services.review import send_to_review
from glossary.core.workflow import StaleEditError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def concept_create(*, uid: str, user: User, data: DraftData) -> ConceptVersion:
    """Create a concept with its first version as a draft."""
    return run_single(concepts_create, user=user, drafts=[(uid, data)])


@transaction.atomic
def concepts_create(*, user: User, drafts: list[tuple[str, DraftData]]) -> list[ConceptVersion]:
    """Create concepts, each with its first version as a draft: every one of them, or none.

    Each (uid, content) is validated before anything is written; when any is refused,
    ``BatchError`` names each refused one and nothing is written. A fixed number of queries,
    however many concepts: this is what makes importing a large glossary fast.
    """
    workflow._require_perm(user, "glossary.edit_draft", _("create concepts"))
    author = system_user(user)
    uids = [uid.strip() for uid, _data in drafts]
    taken = set(Concept.objects.filter(uid__in=uids).values_list("uid", flat=True))
    pairs: list[tuple[ConceptVersion, DraftData]] = []
    for uid, (_given, data) in zip(uids, drafts, strict=True):
        concept = Concept(uid=uid)
        pairs.append((version_instance(concept=concept, number=1, author=author), data))

    def check(pair: tuple[ConceptVersion, DraftData]) -> None:
        version, data = pair
        uid = version.concept.uid
        in_use = uid in taken
        taken.add(uid)  # a second draft of the batch with this uid is refused too
        validate_uid(version.concept, in_use=in_use)
        validate_draft(version, data)
        clean_imported_history(data.imported_history)

    check_each(pairs, check)
    concepts = [version.concept for version, _data in pairs]
    insert_objects(Concept, concepts, returning=True)
    for version, data in pairs:
        apply_content(version, data)
    # New versions always start as drafts (as the model's bulk_create insists).
    assert all(version.state == VersionState.DRAFT for version, _data in pairs)
    insert_objects(ConceptVersion, [version for version, _data in pairs], returning=True)
    insert_children(pairs)
    Concept.objects.filter(pk__in=[concept.pk for concept in concepts]).update(
        open_version=version_in(OPEN_STATES)
    )
    for concept, (version, _data) in zip(concepts, pairs, strict=True):
        concept.open_version = version
    write_events(
        event_row(version, EventAction.CREATE, user, to_state=VersionState.DRAFT)
        for version, _data in pairs
    )
    return [version for version, _data in pairs]


def validate_uid(concept: Concept, *, in_use: bool) -> None:
    """Check a new concept's identifier (``in_use``: whether another concept has it)."""
    try:
        concept.full_clean(exclude=["public_version", "open_version"], validate_unique=False)
        if in_use:
            raise ValidationError({"uid": [concept.unique_error_message(Concept, ("uid",))]})
    except ValidationError as exc:
        raise ValidationError({"uid": exc.message_dict.get("uid", exc.messages)}) from exc


@transaction.atomic
def draft_update(
    *, version: ConceptVersion, user: User, data: DraftData, expected_revision: int
) -> ConceptVersion:
    """Save a draft's content, refusing if someone saved it since ``expected_revision`` was read."""
    (version,) = lock_versions([version])
    workflow.check_edit(user, version)
    if version.revision != expected_revision:
        raise StaleEditError(
            "stale_edit",
            _(
                "Someone else saved this draft after you opened it (revision %(theirs)d, you "
                "loaded %(yours)d). Nothing was saved: reload the draft and make your change again."
            )
            % {"theirs": version.revision, "yours": expected_revision},
        )
    validate_draft(version, data)
    # The conditional update is the real guard: it holds even where SELECT ... FOR UPDATE is a
    # no-op (SQLite), because only one writer can move the revision from the value it read.
    bumped = ConceptVersion.objects.filter(
        pk=version.pk, revision=expected_revision, state=VersionState.DRAFT
    ).update(revision=F("revision") + 1)
    if not bumped:
        raise StaleEditError("stale_edit", _("Someone else saved this draft first; reload it."))
    version.revision = expected_revision + 1
    write_content(version, data)
    record_event(version, EventAction.EDIT, user)
    return version


@transaction.atomic
def drafts_assess(
    *, versions: list[ConceptVersion], user: User, agreement: str, maturity: str
) -> list[ConceptVersion]:
    """Set the agreement state and maturity an editor chose for drafts (an import's, say):
    all of them, or (``BatchError``) none. Each draft's revision moves on and its history
    records the edit."""
    errors = {}
    if agreement not in Agreement.values or agreement == Agreement.NOT_ASSESSED:
        errors["agreement"] = [_("Choose whether the two sides agree.")]
    if maturity not in Maturity.values or maturity == Maturity.NOT_ASSESSED:
        errors["maturity"] = [_("Choose whether the term is provisional or established.")]
    if errors:
        raise ValidationError(errors)
    locked = lock_versions(versions)
    check_each(locked, lambda version: workflow.check_edit(user, version))
    ConceptVersion.objects.filter(pk__in=[v.pk for v in locked]).update(
        agreement=agreement, maturity=maturity, revision=F("revision") + 1
    )
    for version in locked:
        version.agreement, version.maturity = agreement, maturity
        version.revision += 1
    write_events(event_row(version, EventAction.EDIT, user) for version in locked)
    return locked


@transaction.atomic
def draft_start(*, concept: Concept, user: User) -> ConceptVersion:
    """Start a new draft of a published concept, copied from its published version."""
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    workflow.check_start_draft(user, concept)
    return new_version(concept, user, action=EventAction.CREATE)


def new_version(
    concept: Concept,
    user: User,
    *,
    action: str,
    retirement_reason: str = "",
    imported_history: list[dict] | None = None,
) -> ConceptVersion:
    # Callers have checked that the concept is published.
    assert concept.public_version_id is not None
    published = ConceptVersion.objects.with_content().get(pk=concept.public_version_id)
    last = concept.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ConceptVersion(
        concept=concept,
        number=last + 1,
        based_on=published,
        author=system_user(user),
        retirement_reason=retirement_reason,
    )
    data = DraftData.from_version(published)
    data.imported_history = imported_history or []
    apply_content(version, data)
    version.save()
    insert_children([(version, data)])
    concept.open_version = version
    concept.save(update_fields=["open_version"])
    record_event(version, action, user, to_state=VersionState.DRAFT, comment=retirement_reason)
    return version


@transaction.atomic
def version_withdraw(*, version: ConceptVersion, user: User, comment: str = "") -> ConceptVersion:
    """Withdraw a draft or a version in review; it stays on the record, closed."""
    (version,) = lock_versions([version])
    workflow.check_withdraw(user, version)
    events = transition(
        [version], VersionState.WITHDRAWN, EventAction.WITHDRAW, user, comment=comment.strip()
    )
    Concept.objects.filter(pk=version.concept_id, open_version=version).update(open_version=None)
    write_events(events)
    return version


@transaction.atomic
def concept_retire(
    *,
    concept: Concept,
    user: User,
    reason: str,
    imported_history: list[dict] | None = None,
) -> ConceptVersion:
    """Propose retiring a concept: a new version saying why goes to review like any other.

    ``imported_history``: an import retiring a concept it created passes the file's entry for
    the retirement, so that the file's record of it survives (see DraftData.imported_history).
    """
    concept = (
        Concept.objects.select_for_update(of=("self",))
        .select_related("public_version")
        .get(pk=concept.pk)
    )
    workflow.check_retire(user, concept, reason)
    clean_imported_history(imported_history or [])
    version = new_version(
        concept,
        user,
        action=EventAction.PROPOSE_RETIREMENT,
        retirement_reason=reason.strip(),
        imported_history=imported_history,
    )
    send_to_review([version], user, reason)
    return version
