"""One import from start to end, in one transaction, rolled back for a dry run."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils.translation import gettext as _

from glossary.core import workflow
from glossary.core.models import Concept
from glossary.exchange.importer.match import decide_outcomes, match_entries, reference_rows
from glossary.exchange.importer.plan import PublishPlan, plan_entries
from glossary.exchange.importer.report import CREATED, PROBLEMS, UPDATED, ImportReport
from glossary.exchange.importer.write import write_entries
from glossary.exchange.records import (
    ImportFile,
)
from glossary.exchange.safety import ImportRefused

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def import_file(
    parsed: ImportFile,
    *,
    user: User,
    dry_run: bool = False,
    skip_problems: bool = False,
    publish: PublishPlan | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Apply a read file to the glossary in one transaction; see the module docstring.

    ``progress(done, total)`` hears how many entries are done as the work goes; an exception
    it raises (a cancelled job) rolls the whole import back.
    """
    if not (user and user.is_active and user.has_perm("glossary.edit_draft")):
        raise ImportRefused("permission_denied", _("You may not import: importing creates drafts."))
    report = ImportReport(
        format=parsed.format,
        dry_run=dry_run,
        warnings=list(parsed.warnings),
        skip_problems=skip_problems,
    )
    with transaction.atomic():
        if publish is not None:
            _check_bootstrap(user, publish)
        plans = plan_entries(parsed, report)
        if progress is not None:
            progress(0, len(plans))
        sources, domains = reference_rows(parsed, plans, report)
        match_entries(plans)
        for plan in plans:
            if plan.merged_into is not None:
                plan.report.uid = plan.merged_into.uid
            elif plan.record is not None and plan.report.status not in PROBLEMS:
                decide_outcomes(plan, publish)
        write_entries(plans, user, sources, domains, publish, report, progress)
        report.entries = [plan.report for plan in plans]
        if report.has_problems and not skip_problems:
            report.blocked = _(
                "The file has conflicts or errors, so nothing was imported. Fix them, or choose "
                "to skip those entries and import the rest."
            )
        elif skip_problems:
            for entry in report.entries:
                entry.skipped = entry.status in PROBLEMS
        if progress is not None:
            progress(len(plans), len(plans))
        if dry_run or report.blocked:
            transaction.set_rollback(True)
            report.published = 0
        else:
            report.committed = True
    counts = report.counts()
    if report.committed and counts[CREATED] + counts[UPDATED] >= ANALYZE_AFTER:
        _refresh_statistics()
    return report


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
