"""One import from start to end, in one transaction, rolled back for a dry run.

The file is read twice, an entry at a time. The first pass (``_survey``) counts the entries and
finds the keys that repeat, keeping 8-byte digests; the second takes the entries a batch at a
time through matching, deciding and writing, and keeps each entry's report in an ``EntryLog``
on disk. So the memory an import needs does not grow with the file, but for those digests, the
uids the file names, and the few entries that wait: a partial row whose repeat is still to come,
and a draft whose relation names a concept of an entry still to come.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils.translation import gettext as _

from glossary.core import workflow
from glossary.core.choices import Language
from glossary.core.models import Concept
from glossary.exchange.importer.digests import DigestCounts
from glossary.exchange.importer.match import (
    FileState,
    decide_outcomes,
    digest,
    match_entries,
    reference_rows,
    uid_base,
)
from glossary.exchange.importer.plan import Plan, PublishPlan, plan_entry, repeat_entry
from glossary.exchange.importer.report import (
    CREATED,
    PROBLEMS,
    UPDATED,
    EntryLog,
    ImportReport,
)
from glossary.exchange.importer.write import write_entries, write_relations
from glossary.exchange.records import ImportFile
from glossary.exchange.safety import ImportRefused

if TYPE_CHECKING:
    from django.contrib.auth.models import User


#: Entries planned, matched and written together: the import holds one batch at a time.
BATCH = 1000


def import_file(
    parsed: ImportFile,
    *,
    user: User,
    dry_run: bool = False,
    skip_problems: bool = False,
    publish: PublishPlan | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int | None = None,
) -> ImportReport:
    """Apply a read file to the glossary in one transaction; see the module docstring.

    ``progress(done, total)`` hears how many entries are done after each batch of
    ``batch_size`` entries (default ``BATCH``); an exception it raises (a cancelled job) rolls
    the whole import back.
    """
    batch_size = batch_size or BATCH
    if not (user and user.is_active and user.has_perm("glossary.edit_draft")):
        raise ImportRefused("permission_denied", _("You may not import: importing creates drafts."))
    log = EntryLog()
    report = ImportReport(
        format=parsed.format, dry_run=dry_run, skip_problems=skip_problems, entries=log
    )
    with transaction.atomic():
        if publish is not None:
            _check_bootstrap(user, publish)
        state, survey = _survey(parsed)
        report.warnings.extend(parsed.warnings)
        total = survey.total
        if progress is not None:
            progress(0, total)
        done = 0
        waiting: list[Plan] = []

        def run_batch(batch: list[Plan]) -> None:
            nonlocal done
            waiting.extend(_import_batch(batch, user, state, publish, report))
            settled = [plan for plan in waiting if not _waits(plan, state)]
            if settled:
                write_relations(settled, user, state, publish, report)
                waiting[:] = [plan for plan in waiting if _waits(plan, state)]
            still = {id(plan) for plan in waiting}
            for plan in batch:
                if id(plan) not in still:
                    _keep(plan, log, skip_problems)
            in_batch = {id(plan) for plan in batch}
            for plan in settled:
                if id(plan) not in in_batch:
                    _keep(plan, log, skip_problems)
            done += sum(1 + len(plan.merged) for plan in batch)
            if progress is not None:
                progress(done, total)

        batch: list[Plan] = []
        #: Partial rows whose repeats are still to come, by key.
        held: dict[int, Plan] = {}
        #: Where the first of each repeated key is, once it has been met.
        first_where: dict[int, str] = {}
        for index, entry in enumerate(parsed.entries):
            plan = plan_entry(entry, index)
            key = digest(plan.key) if plan.key else 0
            last = survey.repeated.get(key)
            if last is None:
                batch.append(plan)
            elif key not in first_where:
                first_where[key] = entry.where
                if entry.merge:
                    held[key] = plan
                else:
                    batch.append(plan)
            else:
                repeat_entry(held.get(key), plan, first_where[key])
                if plan.merged_into is None:
                    batch.append(plan)
                if index == last and key in held:
                    batch.append(held.pop(key))
            if len(batch) >= batch_size:
                run_batch(batch)
                batch = []
        if batch:
            run_batch(batch)
        if waiting:
            write_relations(waiting, user, state, publish, report)
            for plan in waiting:
                _keep(plan, log, skip_problems)
        if report.has_problems and not skip_problems:
            report.blocked = _(
                "The file has conflicts or errors, so nothing was imported. Fix them, or choose "
                "to skip those entries and import the rest."
            )
        if progress is not None:
            progress(total, total)
        if dry_run or report.blocked:
            transaction.set_rollback(True)
            report.published = 0
        else:
            report.committed = True
    counts = report.counts()
    if report.committed and counts[CREATED] + counts[UPDATED] >= ANALYZE_AFTER:
        _refresh_statistics()
    return report


def _import_batch(
    plans: list[Plan],
    user: User,
    state: FileState,
    publish: PublishPlan | None,
    report: ImportReport,
) -> list[Plan]:
    """Match, decide and write a batch of entries; returns those whose relations wait."""
    for plan in plans:
        for one in (plan, *plan.merged):
            if one.key:
                state.pending.add(digest(_pending_uid(one)), -1)
    reference_rows(plans, state, report)
    match_entries(plans, state)
    for plan in plans:
        if plan.record is not None and plan.report.status not in PROBLEMS:
            decide_outcomes(plan, publish)
    return write_entries(plans, user, state, publish, report)


def _waits(plan: Plan, state: FileState) -> bool:
    """Whether a draft's held-back relations still wait for an entry to come."""
    return any(state.expected(uid) for uid in plan.deferred)


def _keep(plan: Plan, log: EntryLog, skip_problems: bool) -> None:
    """Write the reports of a finished entry and of the repeats merged into it."""
    for one in (plan, *plan.merged):
        if one is not plan:
            one.report.uid = plan.report.uid
        one.report.skipped = skip_problems and one.report.status in PROBLEMS
        log.put(one.index, one.report)


@dataclass
class Survey:
    """What a first pass over the file found: how many entries, and which keys repeat."""

    total: int = 0
    #: The digest of each key more than one entry has, with the place of its last entry.
    repeated: dict[int, int] = field(default_factory=dict)


def _survey(parsed: ImportFile) -> tuple[FileState, Survey]:
    """Read the file once, planning each entry on its own, keeping only what is compact.

    The keys the entries are matched by are kept as 8-byte digests (a repeat far from its
    first entry is still found), and so are the uids the file names, which new identifiers
    must not take and relations may point to.
    """
    state = FileState(parsed=parsed)
    survey = Survey()
    seen = DigestCounts()
    for index, entry in enumerate(parsed.entries):
        survey.total += 1
        plan = plan_entry(entry, index)
        if not plan.key:
            continue
        key = digest(plan.key)
        if key in seen:
            survey.repeated[key] = index
        seen.add(key)
        if entry.has_uid:
            state.taken.add(digest(plan.live_record.uid))
        state.pending.add(digest(_pending_uid(plan)))
    return state, survey


def _pending_uid(plan: Plan) -> str:
    """The uid an entry names, or the plain one it would get (which relations may name)."""
    record = plan.entry.record
    assert record is not None
    if plan.entry.has_uid:
        return record.uid
    return uid_base(record.preferred(Language.EN))


#: Entries written from which an import refreshes the database's statistics.
ANALYZE_AFTER = 1000


def _refresh_statistics() -> None:
    """Tell the database's query planner how large its tables have become.

    Without this, a database that has just received a large file plans its queries for the
    tables it had before (PostgreSQL reads every term for each page of an export until its
    autovacuum gets round to it; SQLite, which keeps no statistics until asked, picks indexes
    badly). Both know a plain ANALYZE; it takes a second or two for 100,000 concepts.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _check_bootstrap(user: User, publish: PublishPlan) -> None:
    """Publishing on import is for an administrator filling an empty glossary, nothing else."""
    if not (user.is_superuser or user.groups.filter(name="Administrators").exists()):
        raise ImportRefused(
            "not_administrator",
            _("Only an administrator may publish on import (bootstrapping a glossary)."),
        )
    if Concept.objects.exists():
        raise ImportRefused(
            "not_empty",
            _(
                "Publishing on import is only for bootstrapping an empty glossary, and this one "
                "already holds concepts. Import without publishing: the drafts then go through "
                "review."
            ),
        )
    policy = workflow.policy()
    reviewers = list(dict.fromkeys(publish.reviewers))
    problems = []
    for reviewer in reviewers:
        if reviewer.pk == user.pk:
            problems.append(
                _("%(name)s imports the file, so cannot also review it.") % {"name": reviewer}
            )
        elif not (reviewer.is_active and reviewer.has_perm("glossary.review_version")):
            problems.append(_("%(name)s may not review versions.") % {"name": reviewer})
        elif workflow.side_of(reviewer) not in policy.eligible_sides:
            problems.append(
                _("%(name)s has no reviewing side (U.S. or China) on their profile.")
                % {"name": reviewer}
            )
    sides = {workflow.side_of(reviewer) for reviewer in reviewers}
    if len(reviewers) < policy.approvals_required or not set(policy.sides_required) <= sides:
        problems.append(
            _(
                "The review policy needs %(count)d reviewer(s), including one of each side "
                "(%(sides)s); name them."
            )
            % {"count": policy.approvals_required, "sides": ", ".join(policy.sides_required)}
        )
    if problems:
        raise ImportRefused("reviewers", " ".join(problems))
