"""Release cuts from the admin run as jobs: queued, cut, cancelled, refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from glossary.core import services, tasks
from glossary.core.models import Job, JobState, Release
from glossary.core.workflow import WorkflowError
from tests import factories

pytestmark = pytest.mark.django_db
ADD = "/admin/glossary/release/add/"


@pytest.fixture
def published_glossary(editor, reviewer_us, reviewer_cn):
    return factories.make_published(editor, [reviewer_us, reviewer_cn])


def test_an_administrator_cuts_a_release_from_the_admin_as_a_job(
    client, administrator, published_glossary
):
    client.force_login(administrator)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, {"name": "2026.1", "notes": "Spring."}, follow=True)
    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/glossary/job/{job.pk}/change/"
    page = response.content.decode()
    assert "Release cut: done" in page and "Release 2026.1 was cut." in page
    release = Release.objects.get(name="2026.1")
    assert f"/admin/glossary/release/{release.pk}/change/" in page
    assert job.report == {"release": release.pk}


def test_a_bad_or_taken_name_is_refused_on_the_form_and_queues_nothing(
    client, administrator, published_glossary
):
    services.release_cut(name="2026.1", user=administrator)
    client.force_login(administrator)
    for name, reason in (("spring", "year.number"), ("2026.1", "already exists")):
        response = client.post(ADD, {"name": name})
        assert response.status_code == 200
        assert reason in response.content.decode()
    assert not Job.objects.exists()
    assert Release.objects.count() == 1


def test_an_editor_may_not_cut_a_release(client, editor):
    client.force_login(editor)
    assert client.post(ADD, {"name": "2026.1"}).status_code == 403
    with pytest.raises(WorkflowError):
        tasks.release_cut_queue(user=editor, name="2026.1")
    assert not Job.objects.exists()


def test_a_cancel_during_the_cut_leaves_no_release(administrator, published_glossary, monkeypatch):
    job = services.job_create(
        owner=administrator, kind="release_cut", params={"name": "2026.1", "notes": ""}
    )
    cut = services.release_cut

    def cut_then_cancel(**kwargs):
        release = cut(**kwargs)
        services.job_cancel(job=job, user=administrator)
        return release

    monkeypatch.setattr(services, "release_cut", cut_then_cancel)
    tasks.run_release_cut_job.call(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert not Release.objects.exists()


def test_a_cut_of_an_empty_glossary_reports_why(administrator):
    with pytest.raises(ValidationError):
        tasks.release_cut_queue(user=administrator, name="not a name")
    job = tasks.release_cut_queue(user=administrator, name="2026.1")
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message == (
        "The release was not cut: Nothing is published yet, so there is nothing to release."
    )
    assert not Release.objects.exists()
