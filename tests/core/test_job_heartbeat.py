"""A job whose worker stopped is stored as failed; a job whose worker beats is left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from glossary.core import services
from glossary.core.models import Job, JobKind, JobState

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def running_job(owner, *, heard: timedelta) -> Job:
    """A job a worker started and was last heard from ``heard`` ago (its beat key expired)."""
    job = services.job_create(owner=owner, kind=JobKind.IMPORT, params={"filename": "big.csv"})
    moment = timezone.now() - heard
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, started=moment, heartbeat=moment, data=b"file"
    )
    job.refresh_from_db()
    return job


def test_a_running_job_not_heard_from_is_stored_as_failed(editor):
    job = running_job(editor, heard=services.dead_after() + timedelta(seconds=5))
    job = services.job_reap(job=job)
    assert job.state == JobState.FAILED and job.finished is not None
    assert job.message.startswith("The worker stopped (nothing heard from it since ")
    assert job.data == b""
    job.refresh_from_db()
    assert job.state == JobState.FAILED  # stored, not only shown


def test_a_job_heard_from_recently_is_left_running(editor):
    job = running_job(editor, heard=services.dead_after() - timedelta(seconds=5))
    assert services.job_reap(job=job).state == JobState.RUNNING
    assert services.jobs_reap() == 0


def test_the_jobs_pages_show_a_dead_workers_job_as_failed(client, editor):
    job = running_job(editor, heard=timedelta(hours=1))
    client.force_login(editor)
    listing = client.get("/admin/glossary/job/").content.decode()
    assert "failed" in listing
    page = client.get(f"/admin/glossary/concept/import/jobs/{job.pk}/").content.decode()
    assert "Import: failed</strong>. The worker stopped" in page
    assert "data-job-refresh" not in page and "Cancel this job" not in page


def test_a_working_job_beats_even_while_its_work_is_silent(editor, settings):
    settings.JOB_HEARTBEAT_SECONDS = 1
    job = services.job_create(owner=editor, kind=JobKind.IMPORT, params={})
    seen: dict[str, object] = {}

    def silent_work(running: Job, progress: services.Progress):
        # The row's beat is old and the cache's is gone, as after a long silent stretch…
        old = timezone.now() - timedelta(hours=1)
        Job.objects.filter(pk=running.pk).update(heartbeat=old)
        cache.delete(f"glossary:job:{running.pk}:beat")
        seen["dead at once"] = services.job_reap(job=Job.objects.get(pk=running.pk)).state
        Job.objects.filter(pk=running.pk).update(state=JobState.RUNNING, finished=None)
        cache.delete(f"glossary:job:{running.pk}:beat")
        time.sleep(1.6)  # …and the heartbeat thread beats again within a second
        reaped = services.job_reap(job=Job.objects.get(pk=running.pk))
        seen["after a beat"] = reaped.state
        seen["row beat renewed"] = reaped.heartbeat > old
        return {}, "done"

    job = services.job_run(job_id=job.pk, work=silent_work)
    assert seen == {
        "dead at once": JobState.FAILED,
        "after a beat": JobState.RUNNING,
        "row beat renewed": True,
    }
    assert job.state == JobState.DONE  # the worker finished after all, and says so


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the production path needs REDIS_URL")
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_a_failed_job_and_the_glossary_as_it_was(
    editor, settings
):
    import django_rq
    from django.db import connection

    from glossary.core.models import Concept
    from glossary.exchange import jobs

    if connection.vendor != "postgresql":
        pytest.skip("a separate process cannot see the in-memory SQLite test database")
    settings.JOB_HEARTBEAT_SECONDS, settings.JOB_DEAD_AFTER_BEATS = 1, 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    django_rq.get_queue("default").empty()
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "glossary.example.org",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@"
        f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "JOB_HEARTBEAT_SECONDS": "1",
        "JOB_DEAD_AFTER_BEATS": "2",
    }
    rows = "".join(f"term {n},术语{n},,,,\n" for n in range(20000))
    job = jobs.import_queue(
        owner=editor,
        data=("en,zh_hans,zh_hant,definition_en,definition_zh,source\n" + rows).encode(),
        fmt="",
        filename="big.csv",
        skip_problems=False,
    )
    # The work runs in the worker's own process (RQ's forked work horse would leave the
    # worker's process group), so killing the group stops the work as a lost machine would.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", "--burst"]
        + ["--job-class", "django_tasks_rq.Job", "--worker-class", "rq.SimpleWorker", "default"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while job.state == JobState.QUEUED and time.monotonic() < deadline:
            time.sleep(0.2)
            job.refresh_from_db()
        assert job.state == JobState.RUNNING, job.message
        time.sleep(1)
        assert services.job_reap(job=job).state == JobState.RUNNING  # it beats
        os.killpg(worker.pid, signal.SIGKILL)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    time.sleep(3)  # longer than two beats
    job.refresh_from_db()
    assert job.state == JobState.RUNNING  # nobody has looked yet
    job = services.job_reap(job=job)
    assert job.state == JobState.FAILED
    assert "The worker stopped" in job.message
    assert not Concept.objects.exists()
