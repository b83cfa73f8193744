"""The core's long work as jobs on the queue: cutting a release.

A release cut freezes every published version; at a million concepts that is longer than a web
request may take, so the admin queues it and shows its job's page. The cut runs in one
transaction with its progress report, so a cancel or a failure leaves no release behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from glossary.core import services
from glossary.core.models import Job, JobKind, Release
from glossary.core.workflow import WorkflowError

if TYPE_CHECKING:
    from glossary.core.services import Progress


def release_cut_queue(*, user: User, name: str, notes: str = "") -> Job:
    """Check what can be checked now (the right, the name) and queue the cut."""
    if not user.has_perm("glossary.cut_release"):
        raise WorkflowError("permission_denied", _("You may not cut releases."))
    release = Release(name=name.strip(), notes=notes.strip(), created_by=user)
    release.full_clean(exclude=["previous", "created_by"])  # ValidationError: a bad name
    job = services.job_create(
        owner=user, kind=JobKind.RELEASE_CUT, params={"name": release.name, "notes": release.notes}
    )
    run_release_cut_job.enqueue(job.pk)
    return job


@task()
def run_release_cut_job(job_id: int) -> None:
    """The queue's entry point for a release cut."""
    services.job_run(job_id=job_id, work=_cut)


def _cut(job: Job, progress: Progress) -> tuple[dict[str, Any], str]:
    owner = User.objects.get(pk=job.owner_id)
    try:
        with transaction.atomic():
            progress(0, 1)
            release = services.release_cut(
                name=job.params["name"], notes=job.params["notes"], user=owner
            )
            progress(1, 1)  # a cancel asked for during the cut still undoes it
    except (ValidationError, WorkflowError) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message
        raise services.JobRefused(
            _("The release was not cut: %(reason)s") % {"reason": message}, message
        ) from exc
    return {"release": release.pk}, _("Release %(name)s was cut.") % {"name": release.name}
