"""Jobs: queue long work, follow its progress, cancel it, keep its report.

The work itself runs in one transaction of its own (an import is all or nothing), so its
progress cannot be written to the job's row while it runs: nobody would see it before the end.
Progress and a cancel request therefore travel through the cache (Redis in production, shared by
the web workers and the job worker); the row gets the final figures when the work ends.

So does the worker's heartbeat. While the work runs, a thread beside it (and every progress
report) renews a cache key that expires after ``JOB_DEAD_AFTER_BEATS`` beats; the row's
``heartbeat`` column holds the last beat written to the database (when the job started, and
each time ``job_reap`` finds it alive). A running job whose key has expired and whose column is
as old has lost its worker (killed, out of memory, its machine gone): ``job_reap`` stores it as
failed, and its work, which never committed, changed nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
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
_BEAT_KEY = "glossary:job:{pk}:beat"

#: What a job's work is handed: report (done, total); raises JobCancelled once cancel is asked.
Progress = Callable[[int, int], None]


class JobCancelled(Exception):
    """The owner asked to cancel the job; raised from its progress report, rolling it back.

    Work that commits as it goes (a rebuild, batch by batch) re-raises it with a message that
    says what was kept.
    """

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


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


def beat_seconds() -> int:
    """How often a running job's worker says it is alive."""
    return int(settings.JOB_HEARTBEAT_SECONDS)


def dead_after() -> timedelta:
    """How long a running job may go unheard before its worker is taken for dead."""
    return timedelta(seconds=beat_seconds() * int(settings.JOB_DEAD_AFTER_BEATS))


def _beat(job_id: int) -> None:
    cache.set(_BEAT_KEY.format(pk=job_id), True, int(dead_after().total_seconds()))


class _Heartbeat(threading.Thread):
    """Beats for a job every few seconds while its work runs, even when the work is silent
    (reading a large file) between its progress reports."""

    def __init__(self, job_id: int) -> None:
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(beat_seconds()):
            try:
                _beat(self.job_id)
            except Exception:  # a cache outage must not kill the work; the job may look dead
                logger.warning("job %s: heartbeat not written", self.job_id, exc_info=True)


def job_create(*, owner: User | None, kind: str, params: dict[str, Any], data: bytes = b"") -> Job:
    """Record a queued job; the caller enqueues its work with the job's id."""
    job = Job.objects.create(owner=owner, kind=kind, params=params, data=data)
    cache.delete_many(
        [
            _PROGRESS_KEY.format(pk=job.pk),
            _CANCEL_KEY.format(pk=job.pk),
            _BEAT_KEY.format(pk=job.pk),
        ]
    )
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
        job.started = job.heartbeat = timezone.now()
        job.save(update_fields=["state", "started", "heartbeat"])
    _beat(job_id)

    def progress(done: int, total: int) -> None:
        cache.set(_PROGRESS_KEY.format(pk=job_id), (done, total), LIVE_SECONDS)
        _beat(job_id)
        if cache.get(_CANCEL_KEY.format(pk=job_id)):
            raise JobCancelled

    report: Any = None
    heartbeat = _Heartbeat(job_id)
    heartbeat.start()
    try:
        report, message = work(job, progress)
    except JobCancelled as exc:
        state = JobState.CANCELLED
        message = exc.message or _("Cancelled; nothing was changed.")
    except JobRefused as exc:
        state, message, report = JobState.FAILED, exc.message, {"refused": exc.reason}
    except Exception:
        logger.exception("job %s failed", job_id)
        state, message = JobState.FAILED, _("The job failed; nothing was changed.")
    else:
        state = JobState.DONE
    finally:
        heartbeat.stopped.set()
    done, total = cache.get(_PROGRESS_KEY.format(pk=job_id)) or (0, 0)
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        job.state = state
        job.finished = job.heartbeat = timezone.now()
        job.done, job.total = (total, total) if state == JobState.DONE else (done, total)
        job.report = report
        job.message = message
        job.cancel_requested = job.cancel_requested or state == JobState.CANCELLED
        if job.kind != JobKind.IMPORT_PREVIEW or state != JobState.DONE:
            job.data = b""  # a finished preview keeps its file for the import that confirms it
        job.save()
    cache.delete_many([_PROGRESS_KEY.format(pk=job_id), _BEAT_KEY.format(pk=job_id)])
    return job


def job_reap(*, job: Job, now: datetime | None = None) -> Job:
    """Store a running job whose worker has stopped as failed; any other job is returned as is.

    A job is alive while its heartbeat key lives in the cache, or while the beat its row last
    recorded is recent (the key may have been lost with a cache restart). Called by the pages
    that show jobs and before queueing work that runs one at a time.
    """
    if job.state != JobState.RUNNING:
        return job
    now = now or timezone.now()
    if cache.get(_BEAT_KEY.format(pk=job.pk)):
        if job.heartbeat is None or now - job.heartbeat > dead_after() / 2:
            Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(heartbeat=now)
            job.heartbeat = now
        return job
    last = job.heartbeat or job.started
    if last is not None and now - last <= dead_after():
        return job
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state != JobState.RUNNING:
            return job
        done, total = cache.get(_PROGRESS_KEY.format(pk=job.pk)) or (job.done, job.total)
        job.state = JobState.FAILED
        job.finished = now
        job.done, job.total = done, total
        job.message = _(
            "The worker stopped (nothing heard from it since %(time)s); what it had not finished "
            "was rolled back."
        ) % {"time": timezone.localtime(last or now).strftime("%Y-%m-%d %H:%M:%S")}
        job.data = b""
        job.save()
    logger.warning("job %s: the worker stopped; stored as failed", job.pk)
    return job


def jobs_reap(*, kind: str = "") -> int:
    """Reap every running job (of this kind) whose worker has stopped; returns how many."""
    running = Job.objects.filter(state=JobState.RUNNING).defer("data", "report")
    if kind:
        running = running.filter(kind=kind)
    return sum(job_reap(job=job).state == JobState.FAILED for job in running)


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
