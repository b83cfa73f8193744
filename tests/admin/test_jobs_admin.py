"""The admin's jobs list: one's own jobs with their progress, each linking to its page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.core import services
from glossary.core.models import JobKind

pytestmark = pytest.mark.django_db
URL = "/admin/glossary/job/"


def a_job(owner, filename: str = "terms.csv"):
    return services.job_create(
        owner=owner, kind=JobKind.IMPORT_PREVIEW, params={"filename": filename}
    )


def test_an_editor_sees_their_own_jobs_with_progress_and_links(client, editor, second_editor):
    mine = a_job(editor, "mine.csv")
    a_job(second_editor, "theirs.csv")
    client.force_login(editor)
    page = client.get(URL).content.decode()
    assert "mine.csv" in page and "theirs.csv" not in page
    assert f"/admin/glossary/job/{mine.pk}/change/" in page
    assert "0 / 0 (0%)" in page
    response = client.get(f"{URL}{mine.pk}/change/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/glossary/concept/import/jobs/{mine.pk}/"


def test_the_jobs_list_costs_the_same_for_more_jobs(client, editor):
    client.force_login(editor)
    a_job(editor)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for _ in range(5):
        a_job(editor)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)


def test_a_reviewer_has_no_jobs_list(client, reviewer_us):
    client.force_login(reviewer_us)
    assert client.get(URL).status_code == 403
