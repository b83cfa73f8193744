"""The core's long work as jobs on the queue: cutting a release, building the term index.

A release cut freezes every published version; at a million concepts that is longer than a web
request may take, so the admin queues it and shows its job's page. The cut runs in one
transaction with its progress report, so a cancel or a failure leaves no release behind.

A term index build is ``rebuild_derived --only terms`` (or, after a data repair, only the
concepts whose versions lack their rows: ``--if-missing``) queued by an administrator. It
commits a batch of concepts at a time, as the command does, so a cancel or a stopped worker
keeps the batches already written: each is whole, and running the build again finishes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from glossary.core import derived, services
from glossary.core.choices import PUBLIC_STATES
from glossary.core.models import ConceptVersion, Job, JobKind, Release
from glossary.core.workflow import WorkflowError

if TYPE_CHECKING:
    from glossary.core.services import Progress


def release_cut_queue(
    *, user: User, name: str, notes: str = "", notes_zh_hans: str = "", notes_zh_hant: str = ""
) -> Job:
    """Check what can be checked now (the right, the name) and queue the cut."""
    if not user.has_perm("glossary.cut_release"):
        raise WorkflowError("permission_denied", _("You may not cut releases."))
    release = Release(name=name.strip(), created_by=user)
    release.full_clean(exclude=["previous", "created_by"])  # ValidationError: a bad name
    params = {
        "name": release.name,
        "notes": notes.strip(),
        "notes_zh_hans": notes_zh_hans.strip(),
        "notes_zh_hant": notes_zh_hant.strip(),
    }
    job = services.job_create(owner=user, kind=JobKind.RELEASE_CUT, params=params)
    run_release_cut_job.enqueue(job.pk)
    return job


@task()
def run_release_cut_job(job_id: int) -> None:
    """The queue's entry point for a release cut."""
    services.job_run(job_id=job_id, work=_cut)


def _cut(job: Job, progress: Progress) -> tuple[dict[str, Any], str]:
    owner = User.objects.get(pk=job.owner_id or 0)
    try:
        with transaction.atomic():
            progress(0, 1)
            release = services.release_cut(
                name=job.params["name"],
                notes=job.params["notes"],
                notes_zh_hans=job.params.get("notes_zh_hans", ""),
                notes_zh_hant=job.params.get("notes_zh_hant", ""),
                user=owner,
            )
            progress(1, 1)  # a cancel asked for during the cut still undoes it
    except (ValidationError, WorkflowError) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message
        raise services.JobRefused(
            _("The release was not cut: %(reason)s") % {"reason": message}, message
        ) from exc
    return {"release": release.pk}, _("Release %(name)s was cut.") % {"name": release.name}


#: Who may queue the site's own builds (the term index, the export files) and follow those the
#: site queued itself: the administrators, whose right to cut releases is the site-wide one.
BUILD_PERMISSION = "glossary.cut_release"


def may_build(user: User) -> bool:
    """Whether this person may queue and see the site's own builds."""
    return user.is_active and user.has_perm(BUILD_PERMISSION)


def term_index_queue(*, user: User, only_lacking: bool = False) -> Job:
    """Queue a build of the term index (administrators only)."""
    if not may_build(user):
        raise WorkflowError(
            "permission_denied", _("Only administrators may rebuild the term index.")
        )
    job = services.job_create(
        owner=user, kind=JobKind.TERM_INDEX, params={"only_lacking": only_lacking}
    )
    run_term_index_job.enqueue(job.pk)
    return job


@task()
def run_term_index_job(job_id: int) -> None:
    """The queue's entry point for a term index build."""
    services.job_run(job_id=job_id, work=_term_index)


def _term_index(job: Job, progress: Progress) -> tuple[dict[str, Any], str]:
    only_lacking = bool(job.params.get("only_lacking"))
    if only_lacking:
        total = derived.lacking(derived.TERMS).count()
    else:
        public = ConceptVersion.objects.filter(state__in=PUBLIC_STATES)
        total = public.values("concept_id").distinct().count()
    progress(0, total)
    done = derived.Rebuilt(derived.TERMS)

    def batch_done(rebuilt: derived.Rebuilt) -> None:
        done.concepts, done.rows = rebuilt.concepts, rebuilt.rows
        progress(rebuilt.concepts, max(total, rebuilt.concepts))

    try:
        derived.rebuild(
            [derived.TERMS], only_lacking=only_lacking, batch=derived.BATCH, progress=batch_done
        )
    except services.JobCancelled as exc:
        raise services.JobCancelled(
            _(
                "Cancelled after %(done)s of %(total)s concepts: their rows were rebuilt and "
                "kept; the others keep their earlier rows until the index is built again."
            )
            % {"done": done.concepts, "total": total}
        ) from exc
    report = {"concepts": done.concepts, "rows": done.rows, "only_lacking": only_lacking}
    return report, _("Term index rebuilt: %(rows)s rows for %(concepts)s concepts.") % {
        "rows": done.rows,
        "concepts": done.concepts,
    }
