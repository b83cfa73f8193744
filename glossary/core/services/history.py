"""What every service shares: locking versions, moving their states, recording events, the publication stamp."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from glossary.core import publication, watch_mail
from glossary.core.bulk import db_moment, insert_rows
from glossary.core.choices import (
    PUBLIC_STATES,
    EventAction,
    VersionState,
)
from glossary.core.guards import allow_transition
from glossary.core.models import (
    Authority,
    Citation,
    Concept,
    ConceptVersion,
    Domain,
    Event,
    Publication,
    Rendering,
    Source,
    Term,
    VersionDomain,
)
from glossary.core.workflow import WorkflowError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class BatchError(Exception):
    """Some items of a batch were refused, so nothing was written.

    ``errors`` maps the place of each refused item in the batch to its ``ValidationError`` or
    ``WorkflowError``; the caller may leave those out and try the rest again.
    """

    def __init__(self, errors: dict[int, Exception]) -> None:
        super().__init__(f"{len(errors)} item(s) of the batch were refused")
        self.errors = errors


def run_single(batch, **kwargs):  # noqa: ANN001, ANN202 - a batch service and its arguments
    """Run a batch service on one version and give back that version, or its own error."""
    try:
        return batch(**kwargs)[0]
    except BatchError as exc:
        raise exc.errors[0] from None


def check_each(items: list, check) -> None:  # noqa: ANN001 - a callable raising per item
    """Run a check on every item; raise ``BatchError`` with each refusal, if any."""
    errors: dict[int, Exception] = {}
    for index, item in enumerate(items):
        try:
            check(item)
        except (ValidationError, WorkflowError) as exc:
            errors[index] = exc
    if errors:
        raise BatchError(errors)


@dataclass(slots=True)
class EventRow:
    """A history event to write: the columns of an ``Event`` row, without a model instance.

    A step of the workflow records an event for each version it moves, and a large batch (an
    import publishes thousands of versions) would spend more on building ``Event`` instances
    than on writing them; ``write_events`` writes these as the rows ``insert_objects`` would.
    """

    concept_id: int
    version_id: int
    action: str
    actor_id: int | None
    from_state: str = ""
    to_state: str = ""
    comment: str = ""


#: The columns of an ``EventRow``, in its order; ``created_at`` is stamped as it is written.
EVENT_COLUMNS = tuple(field.name for field in dataclasses.fields(EventRow))


def event_row(
    version: ConceptVersion,
    action: str,
    user: User | None,
    *,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
) -> EventRow:
    """The event saying that ``user`` did ``action`` to a saved version."""
    return EventRow(
        concept_id=version.concept_id,
        version_id=version.pk,
        action=action,
        actor_id=user.pk if user and user.is_authenticated else None,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )


def write_events(events: Iterable[EventRow]) -> int:
    """Write events in the order given, one time stamp for them all; returns how many."""
    stamp = db_moment(timezone.now())
    return insert_rows(
        Event,
        (*EVENT_COLUMNS, "created_at"),
        (
            (
                event.concept_id,
                event.version_id,
                event.action,
                event.actor_id,
                event.from_state,
                event.to_state,
                event.comment,
                stamp,
            )
            for event in events
        ),
    )


def record_event(version: ConceptVersion, action: str, user: User | None, **kw) -> None:
    row = event_row(version, action, user, **kw)
    Event(**{name: getattr(row, name) for name in EVENT_COLUMNS}).save()


def transition(
    versions: list[ConceptVersion],
    to_state: str,
    action: str,
    user: User | None,
    *,
    comment: str = "",
    fields: dict | None = None,
    new_round: bool = False,
) -> list[EventRow]:
    """Move locked versions to another state in one update.

    Returns the history events that say so, unsaved, so that a caller writes those of a whole
    step together and in order. ``fields``: other state fields, set to the same value on each;
    ``new_round``: count each version's review round up (a submission opens a new round).
    """
    events = [
        event_row(
            version, action, user, from_state=version.state, to_state=to_state, comment=comment
        )
        for version in versions
    ]
    values = {"state": to_state, **(fields or {})}
    rounds = {"review_round": F("review_round") + 1} if new_round else {}
    _lock_references([version.pk for version in versions if version.state == VersionState.DRAFT])
    with allow_transition():
        ConceptVersion.objects.filter(pk__in=[version.pk for version in versions]).update(
            **values, **rounds
        )
    for version in versions:
        for name, value in values.items():
            setattr(version, name, value)
        if new_round:
            version.review_round += 1
    return events


def _lock_references(draft_ids: list[int]) -> None:
    """Lock the sources and domains these drafts cite, which freeze as the drafts leave draft.

    ``_reference_save`` takes the same row lock before it asks whether a row is frozen, so an
    edit of a source and the submission of a draft citing it never interleave.
    """
    if not draft_ids:
        return
    cited = Q(pk__in=Citation.objects.filter(version__in=draft_ids).values("source_id")) | Q(
        pk__in=Term.objects.filter(version__in=draft_ids).values("source_id")
    )
    list(Source.objects.select_for_update().filter(cited).order_by("pk").values("pk"))
    domains = VersionDomain.objects.filter(version__in=draft_ids).values("domain_id")
    list(Domain.objects.select_for_update().filter(pk__in=domains).order_by("pk").values("pk"))
    cited_authorities = Rendering.objects.filter(version__in=draft_ids).values("authority_id")
    list(
        Authority.objects.select_for_update()
        .filter(pk__in=cited_authorities)
        .order_by("pk")
        .values("pk")
    )


def lock_versions(
    versions: list[ConceptVersion], *, with_terms: bool = False
) -> list[ConceptVersion]:
    """The versions read again under a row lock, in the order given."""
    ids = [version.pk for version in versions]
    if len(set(ids)) != len(ids):
        raise ValueError("A version is named twice in one batch.")
    rows = ConceptVersion.objects.select_for_update(of=("self",)).select_related("concept")
    if with_terms:
        rows = rows.prefetch_related("terms")
    found = {version.pk: version for version in rows.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ConceptVersion.DoesNotExist(f"No concept version {missing[0]}.")
    return [found[pk] for pk in ids]


def version_in(states: tuple[str, ...]) -> Subquery:
    """For an update of concepts: each one's version in one of these states.

    The partial unique constraints allow one open and one public version per concept, so this
    names exactly one, found through their index.
    """
    return Subquery(
        ConceptVersion.objects.filter(concept=OuterRef("pk"), state__in=states).values("pk")[:1]
    )


def system_user(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def bump_publication(moment: dt.datetime) -> None:
    """Say, in the transaction that changes it, that the public glossary changed.

    The update locks the one row, so concurrent publishers take turns and every committed
    change gets its own serial.
    """
    bumped = Publication.objects.filter(pk=Publication.ROW).update(
        serial=F("serial") + 1, changed_at=moment
    )
    if not bumped:
        Publication.objects.create(pk=Publication.ROW, serial=1, changed_at=moment)
    transaction.on_commit(publication.after_commit, robust=True)


def publish_versions(versions: list[ConceptVersion], user: User | None) -> None:
    """Supersede the published versions and publish these, together or not at all.

    The search keys and the stored TBX entries are written and the publication stamp bumped in
    the same transaction, so no reader sees the new version with the old keys or a cached page
    from before it.
    """
    concepts = {
        concept.pk: concept
        for concept in Concept.objects.select_for_update().filter(
            pk__in=[version.concept_id for version in versions]
        )
    }
    old_ids = [c.public_version_id for c in concepts.values() if c.public_version_id]
    old = list(ConceptVersion.objects.select_for_update().filter(pk__in=old_ids))
    # Superseded first, then published, as the history has always been told.
    events = transition(old, VersionState.SUPERSEDED, EventAction.SUPERSEDE, user) if old else []
    now = timezone.now()
    for to_state, action, retiring in (
        (VersionState.PUBLISHED, EventAction.PUBLISH, False),
        (VersionState.RETIRED, EventAction.RETIRE, True),
    ):
        batch = [version for version in versions if version.is_retirement == retiring]
        if batch:
            moved = transition(batch, to_state, action, user, fields={"published_at": now})
            for event, version in zip(moved, batch, strict=True):
                event.comment = version.retirement_reason
            events.extend(moved)
    Concept.objects.filter(pk__in=list(concepts)).update(
        public_version=version_in(PUBLIC_STATES), open_version=None
    )
    for version in versions:
        concept = concepts[version.concept_id]
        concept.public_version = version
        concept.open_version = None
        version.concept = concept
    publication.derive(versions)
    write_events(events)
    bump_publication(now)
    # Readers watching these concepts or their domains are told once this commits.
    watch_mail.after_publication(versions)


@transaction.atomic
def publication_touch() -> None:
    """Say that what the public reads changed without a publication (derived data rebuilt).

    Cached pages and exports, API validators and each worker's term check are keyed by the
    publication stamp, so moving it makes them all read the rebuilt rows.
    """
    bump_publication(timezone.now())
