"""The drafts written: created, updated, published when the import is a bootstrap, retired."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from glossary.core import services
from glossary.core.choices import (
    FIELD_SUFFIX,
    VersionState,
)
from glossary.core.fields import TERM_FIELDS
from glossary.core.models import Authority, Concept, Domain, Source
from glossary.core.services import (
    CitationData,
    DraftData,
    RelationData,
    RenderingData,
    TermData,
)
from glossary.core.workflow import WorkflowError
from glossary.exchange.importer.match import CHUNK, FileState, in_chunks, kept_authorities
from glossary.exchange.importer.plan import Plan, PublishPlan, fail_entry
from glossary.exchange.importer.report import CREATED, UPDATED, ImportReport
from glossary.exchange.records import (
    LANGUAGES,
    ConceptRecord,
    HistoryRecord,
    RelationRecord,
    TermRecord,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _draft_data(
    record: ConceptRecord,
    sources: dict[str, Source],
    domains: dict[str, Domain],
    concepts: dict[str, Concept],
    new_uids: set[str],
    *,
    with_new_relations: bool,
    authorities: dict[str, Authority],
) -> tuple[DraftData, set[str], list[RelationRecord]]:
    """The services' DraftData for a record; the new concepts whose relations were held back,
    and the relations left out because their concept was not imported."""
    relations: list[RelationData] = []
    deferred: set[str] = set()
    missing: list[RelationRecord] = []
    for relation in record.relations:
        if relation.target in new_uids and not with_new_relations:
            deferred.add(relation.target)
            continue
        target = concepts.get(relation.target)
        if target is not None:
            relations.append(RelationData(kind=relation.kind, target=target))
        else:
            missing.append(relation)
    data = DraftData(
        texts=dict(record.texts),
        agreement=record.agreement,
        maturity=record.maturity,
        first_attested=record.first_attested,
        domains=[domains[key] for key in record.domains if key in domains],
        terms=[
            TermData(
                **{name: getattr(t, name) for name in TERM_FIELDS},
                source=sources.get(t.source) if t.source else None,
                machine_converted=t.machine_converted,
            )
            for t in _ordered_terms(record.terms)
        ],
        citations=[
            CitationData(
                source=sources[c.source],
                locator=c.locator,
                quote=c.quote,
                quote_language=c.quote_language,
            )
            for c in record.citations
            if c.source in sources
        ],
        relations=relations,
        renderings=[
            RenderingData(
                authority=authorities[r.authority],
                status=r.status,
                **{
                    f"term_{suffix}": r.terms.get(language, "")
                    for language, suffix in FIELD_SUFFIX.items()
                },
                definition=r.definition,
                definition_language=r.definition_language,
                locator=r.locator,
                date=r.date,
            )
            for r in record.renderings
            if r.authority in authorities
        ],
        machine_converted_fields=list(record.machine_converted_fields),
    )
    return data, deferred, missing


def _imported_history(record: ConceptRecord) -> tuple[list[dict], list[dict]]:
    """The file's history split between the first version and the retirement, if any.

    A retired concept is imported as two versions, its content and then its retirement; the
    file's last modification is the publication of that retirement, so that version keeps it.
    """
    history: list[HistoryRecord] = list(record.history)
    retirement: list[HistoryRecord] = []
    if record.retired and len(history) > 1 and history[-1].action == "modification":
        retirement = [history.pop()]
    return [h.as_dict() for h in history], [h.as_dict() for h in retirement]


def _ordered_terms(terms: list[TermRecord]) -> list[TermRecord]:
    return sorted(terms, key=lambda t: LANGUAGES.index(t.language))


def _messages_of(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [f"{name}: {m}" for name, ms in exc.message_dict.items() for m in ms]
        return list(exc.messages)
    if isinstance(exc, WorkflowError):
        return [exc.message]
    return [str(exc)]


def write_entries(
    plans: list[Plan],
    user: User,
    state: FileState,
    publish: PublishPlan | None,
    report: ImportReport,
) -> list[Plan]:
    """Write a batch's drafts; returns those whose relations wait for concepts still to come.

    A relation to a concept this import creates is written once that concept exists
    (``write_relations``): a new concept of the batch, or one of an entry still to come. When
    the import is a bootstrap, each draft is published as soon as its relations are written.
    """
    writing = [p for p in plans if p.report.status in (CREATED, UPDATED)]
    kept_authorities(writing, state)
    created = [p for p in writing if p.report.status == CREATED]
    new_uids = {p.uid for p in created}
    relation_uids = sorted({r.target for p in writing for r in p.live_record.relations})
    concepts = {c.uid: c for c in in_chunks(Concept.objects.all(), "uid", relation_uids)}
    # Relations to concepts still to come wait too.
    new_uids.update(uid for uid in relation_uids if uid not in concepts and state.expected(uid))
    sources, domains = state.sources, state.domains
    # New concepts are created a chunk at a time, with a fixed number of queries per chunk.
    for start in range(0, len(created), CHUNK):
        _create(
            created[start : start + CHUNK],
            user,
            sources,
            domains,
            concepts,
            new_uids,
            authorities=state.authorities,
        )
    for plan in writing:
        if plan.report.status != UPDATED:
            continue
        assert plan.concept is not None  # an update is of a concept the glossary has
        data, plan.deferred, missing = _draft_data(
            plan.live_record,
            sources,
            domains,
            concepts,
            new_uids,
            with_new_relations=False,
            authorities=state.authorities,
        )
        # Matching kept these because their entries were fine then; they failed when decided.
        _say_left_out(plan, missing)
        try:
            with transaction.atomic():
                draft = services.draft_start(concept=plan.concept, user=user)
                plan.version = services.draft_update(
                    version=draft, user=user, data=data, expected_revision=draft.revision
                )
        except (ValidationError, WorkflowError) as exc:
            fail_entry(plan, *_messages_of(exc))
            continue
    waiting = [p for p in writing if p.version is not None and p.deferred]
    if publish is not None:
        ready = [p for p in created if not p.deferred]
        for start in range(0, len(ready), CHUNK):
            _publish_created(ready[start : start + CHUNK], user, publish, report)
    return waiting


def write_relations(
    plans: list[Plan],
    user: User,
    state: FileState,
    publish: PublishPlan | None,
    report: ImportReport,
) -> None:
    """Write the relations that waited for concepts this import creates (a failed one is left
    out), then publish those drafts when the import is a bootstrap."""
    targets = sorted({r.target for p in plans for r in p.live_record.relations})
    concepts = {c.uid: c for c in in_chunks(Concept.objects.all(), "uid", targets)}
    new_uids = set(targets)
    for plan in plans:
        data, _deferred, missing = _draft_data(
            plan.live_record,
            state.sources,
            state.domains,
            concepts,
            new_uids,
            with_new_relations=True,
            authorities=state.authorities,
        )
        # Only the held-back ones: the others were said when the draft was written.
        _say_left_out(plan, [r for r in missing if r.target in plan.deferred])
        plan.version = services.draft_update(
            version=plan.written_version,
            user=user,
            data=data,
            expected_revision=plan.written_version.revision,
        )
    if publish is not None:
        for start in range(0, len(plans), CHUNK):
            _publish_created(plans[start : start + CHUNK], user, publish, report)


def _publish_created(
    plans: list[Plan], user: User, publish: PublishPlan, report: ImportReport
) -> None:
    """Publish the drafts of these new concepts; then let go of them (the report stays)."""
    ready = [p for p in plans if p.version is not None and p.report.status == CREATED]
    if ready:
        _publish(ready, user, publish, report)
    for plan in ready:
        plan.version = None


def _create(
    plans: list[Plan],
    user: User,
    sources: dict[str, Source],
    domains: dict[str, Domain],
    concepts: dict[str, Concept],
    new_uids: set[str],
    *,
    authorities: dict[str, Authority],
) -> None:
    """Create the drafts of new concepts together; an entry the services refuse is reported."""
    pending: list[tuple[Plan, DraftData]] = []
    for plan in plans:
        data, plan.deferred, missing = _draft_data(
            plan.live_record,
            sources,
            domains,
            concepts,
            new_uids,
            with_new_relations=False,
            authorities=authorities,
        )
        _say_left_out(plan, missing)
        data.imported_history = _imported_history(plan.live_record)[0]
        pending.append((plan, data))
    while pending:
        try:
            versions = services.concepts_create(
                user=user, drafts=[(plan.uid, data) for plan, data in pending]
            )
        except services.BatchError as exc:
            # Nothing of the chunk was written: report the refused entries, create the rest.
            for index, error in exc.errors.items():
                fail_entry(pending[index][0], *_messages_of(error))
            pending = [item for index, item in enumerate(pending) if index not in exc.errors]
            continue
        except WorkflowError as exc:
            for plan, _data in pending:
                fail_entry(plan, *_messages_of(exc))
            return
        for (plan, _data), version in zip(pending, versions, strict=True):
            plan.version = version
            # What a relation needs of it, without the draft it holds on to.
            concepts[plan.uid] = Concept(pk=version.concept_id, uid=plan.uid)
        return


def _say_left_out(plan: Plan, relations: list[RelationRecord]) -> None:
    for relation in relations:
        plan.report.messages.append(
            _("The %(kind)s relation to %(uid)s is left out: that concept is not imported.")
            % {"kind": relation.kind, "uid": relation.target}
        )


def _publish(plans: list[Plan], user: User, publish: PublishPlan, report: ImportReport) -> None:
    """Take bootstrap drafts through the workflow together: one submission, then one approval
    by each reviewer, for the whole chunk; then retire those the file marks retired.

    Should the services refuse any of them, the chunk is taken through one entry at a time
    instead, so that the report names each entry that could not be published.
    """
    if len(plans) > 1:
        try:
            with transaction.atomic():
                versions = services.versions_submit_and_approve(
                    versions=[plan.written_version for plan in plans],
                    user=user,
                    reviewers=list(publish.reviewers),
                    comment=publish.reason,
                )
                for plan, version in zip(plans, versions, strict=True):
                    plan.version = version
                    if plan.live_record.retired:
                        _retire(plan, user, publish)
        except (services.BatchError, ValidationError, WorkflowError):
            pass
        else:
            report.published += len(plans)
            return
    for plan in plans:
        try:
            with transaction.atomic():
                plan.version = services.version_submit(
                    version=plan.written_version,
                    user=user,
                    comment=publish.reason,
                    assessed=False,
                )
                for reviewer in publish.reviewers:
                    if plan.version.state == VersionState.IN_REVIEW:
                        plan.version = services.version_approve(
                            version=plan.version, user=reviewer, comment=publish.reason
                        )
                if plan.live_record.retired:
                    _retire(plan, user, publish)
        except (ValidationError, WorkflowError) as exc:
            fail_entry(plan, _("It could not be published:"), *_messages_of(exc))
            continue
        report.published += 1


def _retire(plan: Plan, user: User, publish: PublishPlan) -> None:
    """Publish the retirement of a concept the file marks retired, reviewed like the rest."""
    proposal = services.concept_retire(
        concept=plan.written_version.concept,
        user=user,
        reason=plan.live_record.retirement_reason,
        imported_history=_imported_history(plan.live_record)[1],
    )
    for reviewer in publish.reviewers:
        if proposal.state == VersionState.IN_REVIEW:
            proposal = services.version_approve(
                version=proposal, user=reviewer, comment=publish.reason
            )
