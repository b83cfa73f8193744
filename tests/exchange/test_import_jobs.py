"""Imports run as jobs: progress, cancel, failure, the job's page, and the Redis worker."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.urls import reverse

from glossary.core import services
from glossary.core.models import Concept, Job, JobKind, JobState
from glossary.exchange import formats, importer, jobs
from glossary.exchange.importer import run, write

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HEADER = "en,zh_hans,zh_hant,definition_en,definition_zh,source\n"
CSV = HEADER + "transformer,变换器,,,,\nattention,注意力,,,,\ngradient descent,梯度下降,,,,\n"


def queued_import(owner, content: str = CSV) -> Job:
    """An import job as the upload queues it, before the queue has run it."""
    return services.job_create(
        owner=owner,
        kind=JobKind.IMPORT,
        params={"format": "", "filename": "terms.csv", "skip_problems": False},
        data=zlib.compress(content.encode()),
    )


def test_the_importer_reports_its_progress_entry_by_entry(editor):
    heard: list[tuple[int, int]] = []
    parsed = formats.read(CSV.encode(), "", filename="terms.csv")
    importer.import_file(
        parsed, user=editor, progress=lambda done, total: heard.append((done, total))
    )
    assert heard[0] == (0, 3) and heard[-1] == (3, 3)
    assert [done for done, _total in heard] == sorted(done for done, _total in heard)


def test_a_cancel_midway_leaves_the_glossary_as_it_was(editor, monkeypatch):
    job = queued_import(editor)
    written: list[int] = []
    create = write._create

    def create_then_cancel(*args, **kwargs):
        create(*args, **kwargs)
        written.append(Concept.objects.count())
        if len(written) == 1:
            services.job_cancel(job=job, user=editor)  # the owner clicks "Cancel"

    # A batch of one entry, so that progress is heard after each concept.
    monkeypatch.setattr(run, "BATCH", 1)
    monkeypatch.setattr(write, "_create", create_then_cancel)
    jobs.run_import_job.call(job.pk)
    job.refresh_from_db()
    assert written == [1]  # the first concept had been written when the cancel came
    assert job.state == JobState.CANCELLED and job.cancel_requested
    assert job.done == 1 and job.total == 3
    assert not Concept.objects.exists()


def test_a_worker_failing_midway_leaves_the_glossary_as_it_was(editor, monkeypatch):
    job = queued_import(editor)
    create = write._create

    def create_then_die(*args, **kwargs):
        create(*args, **kwargs)
        raise RuntimeError("the worker lost its database connection")

    monkeypatch.setattr(write, "_create", create_then_die)
    jobs.run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message == "The job failed; nothing was changed."
    assert not Concept.objects.exists()


def test_a_job_cancelled_before_it_starts_never_runs(editor, second_editor):
    job = queued_import(editor)
    with pytest.raises(services.JobError):
        services.job_cancel(job=job, user=second_editor)
    services.job_cancel(job=job, user=editor)
    jobs.run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.started is None
    assert not Concept.objects.exists()
    with pytest.raises(services.JobError):
        services.job_cancel(job=job, user=editor)  # already finished


def test_the_job_page_shows_progress_and_time_left_and_lets_its_owner_cancel(
    client, editor, second_editor
):
    client.force_login(editor)
    job = queued_import(editor)
    url = reverse("admin:glossary_concept_import_job", args=[job.pk])
    pages = {}

    def work(running: Job, progress: services.Progress):
        progress(5, 20)
        pages["owner"] = client.get(url).content.decode()
        client.force_login(second_editor)
        pages["other"] = client.post(
            reverse("admin:glossary_concept_import_job_cancel", args=[job.pk])
        )
        client.force_login(editor)
        client.post(reverse("admin:glossary_concept_import_job_cancel", args=[job.pk]))
        progress(6, 20)
        return {}, "not reached"

    services.job_run(job_id=job.pk, work=work)
    page = pages["owner"]
    assert "Import: running" in page
    assert "5 of 20 entries done (25%)" in page
    assert '<progress value="5" max="20">' in page
    assert " left" in page and "data-job-refresh" in page and "glossary/job.js" in page
    assert "Cancel this job" in page
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and (job.done, job.total) == (6, 20)
    page = client.get(url).content.decode()
    assert "data-job-refresh" not in page and "Cancel this job" not in page
    assert "Cancelled; nothing was changed." in page


def test_a_finished_job_keeps_its_report(client, editor):
    client.force_login(editor)
    job = queued_import(editor)
    jobs.run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE and (job.done, job.total) == (3, 3)
    assert job.data == b"" and job.finished is not None
    assert [entry["status"] for entry in job.report["entries"]] == ["created"] * 3
    page = client.get(reverse("admin:glossary_concept_import_job", args=[job.pk])).content.decode()
    assert "Imported as drafts for review: 3 created" in page
    assert "gradient descent" in page


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the production path needs REDIS_URL")
def test_the_production_queue_runs_an_import_in_a_redis_worker(editor, settings):
    import django_rq
    from django_tasks_rq import Job as TaskJob
    from rq import SimpleWorker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    django_rq.get_queue("default").empty()
    job = jobs.import_queue(
        owner=editor, data=CSV.encode(), fmt="", filename="terms.csv", skip_problems=False
    )
    job.refresh_from_db()
    assert job.state == JobState.QUEUED  # queued in Redis, not run by the request
    worker = django_rq.get_worker("default", job_class=TaskJob, worker_class=SimpleWorker)
    worker.work(burst=True)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert "Dry run, nothing was written: 3 created" in job.message
    assert not Concept.objects.exists()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the production path needs REDIS_URL")
@pytest.mark.django_db(transaction=True)
def test_a_separate_worker_process_runs_the_preview_and_the_import(editor, settings):
    import django_rq
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a separate process cannot see the in-memory SQLite test database")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    django_rq.get_queue("default").empty()
    worker = [sys.executable, "manage.py", "rqworker", "--burst"]
    worker += ["--job-class", "django_tasks_rq.Job", "default"]
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "glossary.example.org",
        "DATABASE_URL": database_url,
    }

    def work_the_queue() -> None:
        done = subprocess.run(worker, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr

    preview = jobs.import_queue(
        owner=editor, data=CSV.encode(), fmt="", filename="terms.csv", skip_problems=False
    )
    preview.refresh_from_db()
    assert preview.state == JobState.QUEUED
    work_the_queue()
    preview.refresh_from_db()
    assert preview.state == JobState.DONE, preview.message
    assert not Concept.objects.exists()
    job = jobs.import_confirm(preview=preview, owner=editor)
    work_the_queue()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert (
        job.message
        == "Imported as drafts for review: 3 created, 0 updated, 0 unchanged, 0 conflict(s), 0 error(s)."
    )
    assert Concept.objects.count() == 3
