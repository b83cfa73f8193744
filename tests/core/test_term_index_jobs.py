"""Term index builds queued by an administrator as jobs: all of it, or what is missing."""

from __future__ import annotations

import pytest

from glossary.core import services, tasks
from glossary.core.models import Job, JobKind, JobState, TermIndexEntry
from glossary.core.workflow import WorkflowError
from tests import factories

pytestmark = pytest.mark.django_db
BUILD = "/admin/glossary/job/build/"


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn):
    for uid, en, zh in (("model", "model", "模型"), ("token", "token", "词元")):
        factories.publish(editor, [reviewer_us, reviewer_cn], uid, factories.concept_data(en, zh))


def test_an_administrator_rebuilds_the_term_index_from_the_jobs_list(
    client, administrator, glossary
):
    before = sorted(TermIndexEntry.objects.values_list("version_id", flat=True))
    client.force_login(administrator)
    page = client.get("/admin/glossary/job/").content.decode()
    assert "Rebuild the term index" in page
    response = client.post(f"{BUILD}term-index/", follow=True)
    job = Job.objects.get(kind=JobKind.TERM_INDEX)
    assert response.redirect_chain[-1][0] == f"/admin/glossary/job/{job.pk}/change/"
    assert job.state == JobState.DONE and (job.done, job.total) == (2, 2)
    assert job.report["concepts"] == 2 and job.report["rows"] > 0
    assert "Term index build: done" in response.content.decode()
    assert sorted(TermIndexEntry.objects.values_list("version_id", flat=True)) == before


def test_after_a_data_repair_only_the_missing_rows_are_built(client, administrator, glossary):
    TermIndexEntry.objects.filter(version__concept__uid="token").delete()
    client.force_login(administrator)
    client.post(f"{BUILD}term-index-missing/")
    job = Job.objects.get(kind=JobKind.TERM_INDEX)
    assert job.params == {"only_lacking": True}
    assert job.state == JobState.DONE and job.report["concepts"] == 1
    assert TermIndexEntry.objects.filter(version__concept__uid="token").exists()


def test_a_cancelled_build_says_what_it_kept(administrator, glossary, monkeypatch):
    from glossary.core import derived

    job = services.job_create(owner=administrator, kind=JobKind.TERM_INDEX, params={})
    monkeypatch.setattr(derived, "BATCH", 1)
    rebuild_concepts = derived.rebuild_concepts

    def rebuild_then_cancel(kind, ids):
        written = rebuild_concepts(kind, ids)
        services.job_cancel(job=job, user=administrator)  # the owner clicks "Cancel"
        return written

    monkeypatch.setattr(derived, "rebuild_concepts", rebuild_then_cancel)
    tasks.run_term_index_job.call(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and (job.done, job.total) == (1, 2)
    assert job.message.startswith("Cancelled after 1 of 2 concepts: their rows were rebuilt")


def test_only_administrators_may_build(client, editor, glossary):
    with pytest.raises(WorkflowError):
        tasks.term_index_queue(user=editor)
    client.force_login(editor)
    assert client.post(f"{BUILD}term-index/").status_code == 403
    assert client.get(f"{BUILD}term-index/").status_code == 405
    assert "Rebuild the term index" not in client.get("/admin/glossary/job/").content.decode()
    assert not Job.objects.exists()
