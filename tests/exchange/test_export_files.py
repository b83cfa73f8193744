"""The whole published glossary's downloads, built into files by a job after a publication."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage

from glossary.core import services
from glossary.core.models import Job, JobKind, JobState
from glossary.exchange import export_files, formats
from glossary.exchange import published as snapshot
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_exports(settings, tmp_path):
    settings.GLOSSARY_EXPORT_FILES = True
    settings.MEDIA_ROOT = tmp_path


def publish(editor, reviewers, uid: str, capture):
    """Publish a concept and run what its publication queued once it committed."""
    with capture(execute=True):
        factories.publish(editor, reviewers, uid, factories.concept_data(uid, "概念" + uid[-1]))


def streamed(fmt: str) -> bytes:
    return b"".join(formats.stream(formats.EXPORTS[fmt], snapshot.prepare()))


def cells(content: bytes, fmt: str) -> object:
    """A file's content; a workbook's cell values (its zip stamps the time it was written)."""
    if not fmt.startswith("xlsx"):
        return content
    sheets = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets
    return [list(sheet.iter_rows(values_only=True)) for sheet in sheets]


def builds() -> list[Job]:
    return list(Job.objects.filter(kind=JobKind.EXPORT_FILES).order_by("pk"))


def test_a_publication_builds_every_format_and_the_download_redirects_to_it(
    client, stored_exports, editor, reviewer_us, reviewer_cn, django_capture_on_commit_callbacks
):
    publish(editor, [reviewer_us, reviewer_cn], "concept-a", django_capture_on_commit_callbacks)
    [build] = builds()
    assert build.state == JobState.DONE and build.owner is None
    variant_keys = {export_files.file_key(*variant) for variant in export_files.VARIANT_FILES}
    assert set(build.report["files"]) == set(formats.EXPORTS) | variant_keys
    built = len(formats.EXPORTS) + len(export_files.VARIANT_FILES)
    assert (build.done, build.total) == (built, built)
    for fmt in formats.EXPORTS:
        response = client.get(f"/api/v1/export/{fmt}/")
        assert response.status_code == 302, fmt
        assert response["Location"] == f"/api/v1/export/{fmt}/files/{build.pk}/"
        assert "no-cache" in response["Cache-Control"]
        stored = client.get(response["Location"])
        assert stored.status_code == 200
        assert "immutable" in stored["Cache-Control"]
        assert stored["X-Glossary-Release"] == "published"
        assert cells(b"".join(stored.streaming_content), fmt) == cells(streamed(fmt), fmt)
    assert 'filename="ai-glossary-published-' in stored["Content-Disposition"]


def test_the_variant_files_the_tools_need_are_built_too(
    client, stored_exports, editor, reviewer_us, reviewer_cn, django_capture_on_commit_callbacks
):
    publish(editor, [reviewer_us, reviewer_cn], "concept-a", django_capture_on_commit_callbacks)
    [build] = builds()
    query = {"chinese": "zh-Hant", "codes": "cn-tw"}
    response = client.get("/api/v1/export/tbx2008/", query)
    assert response.status_code == 302
    assert response["Location"] == (
        f"/api/v1/export/tbx2008/files/{build.pk}/?chinese=zh-Hant&codes=cn-tw"
    )
    stored = client.get(response["Location"])
    expected = snapshot.prepare(chinese="zh-Hant", codes="cn-tw")
    assert b"".join(stored.streaming_content) == b"".join(
        formats.stream(formats.EXPORTS["tbx2008"], expected)
    )
    assert ".zh-Hant.martif.tbx" in stored["Content-Disposition"]
    # A choice that is not built is written while it is sent.
    live = client.get("/api/v1/export/tbx2008/", {"chinese": "zh-Hans", "codes": "zh"})
    assert live.status_code == 200 and b'xml:lang="zh"' in b"".join(live.streaming_content)
    # The same address without the variant is the other file.
    assert client.get(f"/api/v1/export/tbx2008/files/{build.pk}/").status_code == 200
    bad = client.get(f"/api/v1/export/tbx2008/files/{build.pk}/", {"codes": "zh"})
    assert bad.status_code == 404 and bad.json()["code"] == "ambiguous_codes"


def test_between_a_publication_and_its_build_the_file_is_written_as_it_is_sent(
    client, stored_exports, editor, reviewer_us, reviewer_cn, django_capture_on_commit_callbacks
):
    publish(editor, [reviewer_us, reviewer_cn], "concept-a", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        factories.publish(
            editor, [reviewer_us, reviewer_cn], "concept-b", factories.concept_data("b", "乙")
        )
    assert queued  # the build is queued after the commit, never run by the publication itself
    response = client.get("/api/v1/export/csv/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == streamed("csv")
    [old] = builds()
    assert client.get(f"/api/v1/export/csv/files/{old.pk}/").status_code == 200  # still kept


def test_only_the_two_latest_builds_are_kept(
    client, stored_exports, editor, reviewer_us, reviewer_cn, django_capture_on_commit_callbacks
):
    for uid in ("concept-a", "concept-b", "concept-c"):
        publish(editor, [reviewer_us, reviewer_cn], uid, django_capture_on_commit_callbacks)
    first, second, third = builds()
    assert not default_storage.exists(first.report["files"]["tbx"]["path"])
    assert default_storage.exists(second.report["files"]["tbx"]["path"])
    response = client.get(f"/api/v1/export/tbx/files/{first.pk}/")
    assert response.status_code == 302 and response["Location"] == "/api/v1/export/tbx/"
    assert client.get("/api/v1/export/tbx/")["Location"].endswith(f"/files/{third.pk}/")


def test_a_build_already_queued_is_not_queued_twice_and_a_current_one_not_again(
    stored_exports, editor, reviewer_us, reviewer_cn, django_capture_on_commit_callbacks
):
    publish(editor, [reviewer_us, reviewer_cn], "concept-a", django_capture_on_commit_callbacks)
    assert export_files.queue() is None  # the last build is current
    assert len(builds()) == 1


def test_a_cancelled_build_leaves_no_file(stored_exports, administrator, editor, published):
    job = services.job_create(
        owner=administrator, kind=JobKind.EXPORT_FILES, params={"formats": ["tbx", "csv"]}
    )
    original = export_files._CountedExport.entry_batches

    def cancel_midway(self):
        for batch in original(self):
            services.job_cancel(job=job, user=administrator)
            yield batch

    export_files._CountedExport.entry_batches = cancel_midway  # type: ignore[method-assign]
    try:
        export_files.run_export_files_job.call(job.pk)
    finally:
        export_files._CountedExport.entry_batches = original  # type: ignore[method-assign]
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert not any(default_storage.listdir(export_files.FOLDER)[1])
    assert export_files.current_file("tbx") is None


def test_without_stored_files_the_download_streams(client, settings, published):
    settings.GLOSSARY_EXPORT_FILES = False
    response = client.get("/api/v1/export/tbx/")
    assert response.status_code == 200 and response.streaming


def test_an_administrator_queues_a_build_from_the_jobs_list_and_downloads_its_files(
    client, stored_exports, administrator, editor, published
):
    client.force_login(editor)
    assert client.post("/admin/glossary/job/build/export-files/").status_code == 403
    client.force_login(administrator)
    assert "Build the export files" in client.get("/admin/glossary/job/").content.decode()
    response = client.post("/admin/glossary/job/build/export-files/", follow=True)
    [build] = builds()
    assert build.owner == administrator and build.state == JobState.DONE
    page = response.content.decode()
    assert "Export files: done" in page
    assert f"/api/v1/export/xlsx/files/{build.pk}/" in page


def test_a_download_from_the_build_costs_the_same_for_a_larger_glossary(
    client, stored_exports, editor, reviewer_us, reviewer_cn, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def download() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/export/xlsx/").status_code == 302
        return len(queries)

    publish(editor, [reviewer_us, reviewer_cn], "concept-a", django_capture_on_commit_callbacks)
    few = download()
    for uid in ("concept-b", "concept-c", "concept-d"):
        publish(editor, [reviewer_us, reviewer_cn], uid, django_capture_on_commit_callbacks)
    assert download() == few <= 3
