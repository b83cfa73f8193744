"""Jobs: queue long work, follow its progress, cancel it, keep its report.

The work itself runs in one transaction of its own (an import is all or nothing), so its
progress cannot be written to the job's row while it runs: nobody would see it before the end.
Progress and a cancel request therefore travel through the cache (Redis in production, shared by
the web workers and the job worker); the row gets the final figures when the work ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glossary.core.models import FINISHED_STATES, Job, JobKind, JobState

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

#: How long the cache keeps a job's live progress and its cancel request.
LIVE_SECONDS = 24 * 3600
_PROGRESS_KEY = "glossary:job:{pk}:progress"
_CANCEL_KEY = "glossary:job:{pk}:cancel"

#: What a job's work is handed: report (done, total); raises JobCancelled once cancel is asked.
Progress = Callable[[int, int], None]


class JobCancelled(Exception):
    """The owner asked to cancel the job; raised from its progress report, rolling it back."""


class JobRefused(Exception):
    """The work refused its input (a broken file, a taken name): the job fails with this message
    for its owner, and nothing was changed."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


class JobError(Exception):
    """A job cannot be changed that way (not yours, already finished)."""


@dataclass(frozen=True)
class JobProgress:
    """How far a job is, as its page shows it."""

    done: int
    total: int
    percent: int
    seconds_left: int | None


def job_create(*, owner: User, kind: str, params: dict[str, Any], data: bytes = b"") -> Job:
    """Record a queued job; the caller enqueues its work with the job's id."""
    job = Job.objects.create(owner=owner, kind=kind, params=params, data=data)
    cache.delete_many([_PROGRESS_KEY.format(pk=job.pk), _CANCEL_KEY.format(pk=job.pk)])
    return job


def job_cancel(*, job: Job, user: User) -> Job:
    """Cancel a job for its owner: at once if it has not started, at its next progress report
    if it is running (its work is rolled back); refused once it has finished."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.owner_id != user.pk:
            raise JobError(_("Only the person who started a job may cancel it."))
        if job.state in FINISHED_STATES:
            raise JobError(_("This job has already finished; there is nothing to cancel."))
        job.cancel_requested = True
        if job.state == JobState.QUEUED:
            job.state = JobState.CANCELLED
            job.finished = timezone.now()
            job.message = _("Cancelled before it started; nothing was changed.")
            job.data = b""
        job.save()
    cache.set(_CANCEL_KEY.format(pk=job.pk), True, LIVE_SECONDS)
    return job


def job_run(*, job_id: int, work: Callable[[Job, Progress], tuple[Any, str]]) -> Job:
    """Run a job's work (called by the queue's worker): start, report progress, finish.

    ``work`` returns the report (JSON) and its one-line summary. A cancel request raises
    ``JobCancelled`` out of the work's transaction, so whatever it had written is rolled back;
    so is a failure, and a worker that dies mid-work never commits at all.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.state != JobState.QUEUED:
            return job  # cancelled before it started, or delivered twice
        job.state = JobState.RUNNING
        job.started = timezone.now()
        job.save(update_fields=["state", "started"])

    def progress(done: int, total: int) -> None:
        cache.set(_PROGRESS_KEY.format(pk=job_id), (done, total), LIVE_SECONDS)
        if cache.get(_CANCEL_KEY.format(pk=job_id)):
            raise JobCancelled

    report: Any = None
    try:
        report, message = work(job, progress)
    except JobCancelled:
        state, message = JobState.CANCELLED, _("Cancelled; nothing was changed.")
    except JobRefused as exc:
        state, message, report = JobState.FAILED, exc.message, {"refused": exc.reason}
    except Exception:
        logger.exception("job %s failed", job_id)
        state, message = JobState.FAILED, _("The job failed; nothing was changed.")
    else:
        state = JobState.DONE
    done, total = cache.get(_PROGRESS_KEY.format(pk=job_id)) or (0, 0)
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        job.state = state
        job.finished = timezone.now()
        job.done, job.total = (total, total) if state == JobState.DONE else (done, total)
        job.report = report
        job.message = message
        job.cancel_requested = job.cancel_requested or state == JobState.CANCELLED
        if job.kind != JobKind.IMPORT_PREVIEW or state != JobState.DONE:
            job.data = b""  # a finished preview keeps its file for the import that confirms it
        job.save()
    cache.delete(_PROGRESS_KEY.format(pk=job_id))
    return job


def job_take_data(*, job: Job, user: User) -> bytes:
    """Hand a finished preview's file over to the import that confirms it (once)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.owner_id != user.pk or job.state != JobState.DONE or not job.data:
            raise JobError(
                _("That preview is not yours or was already confirmed; upload the file again.")
            )
        data = bytes(job.data)
        job.data = b""
        job.save(update_fields=["data"])
    return data


def job_progress(job: Job, *, now: datetime | None = None) -> JobProgress:
    """How far the job is: from the cache while it runs, from its row once it has finished."""
    done, total = job.done, job.total
    if job.state == JobState.RUNNING:
        done, total = cache.get(_PROGRESS_KEY.format(pk=job.pk)) or (done, total)
    percent = min(100, done * 100 // total) if total else (100 if job.is_finished else 0)
    seconds_left = None
    if job.state == JobState.RUNNING and job.started and 0 < done < total:
        elapsed = ((now or timezone.now()) - job.started) / timedelta(seconds=1)
        seconds_left = round(elapsed / done * (total - done))
    return JobProgress(done=done, total=total, percent=percent, seconds_left=seconds_left)
