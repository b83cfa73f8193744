"""GET /api/v1/export/<format>/ and manage.py export_glossary."""

from __future__ import annotations

import io
import json
import os
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from glossary.api import export as export_views
from glossary.core import services
from glossary.core.choices import RelationKind
from glossary.core.services import RelationData
from glossary.exchange import formats, variants
from tests import factories
from tests.exchange.glossaries import rich_glossary, simple_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    return rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)


def get(client, fmt: str, **params):
    headers = {key: params.pop(key) for key in list(params) if key.startswith("HTTP_")}
    response = client.get(reverse("api:export", args=[fmt]), params, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_the_route_is_named_api_export():
    assert reverse("api:export", args=["tbx"]) == "/api/v1/export/tbx/"


def test_an_unknown_format_is_a_404_with_a_clear_json_error(client):
    response, body = get(client, "docx")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload["code"] == "unknown_format"
    assert "docx" in payload["detail"] and "tbx" in payload["detail"]
    assert payload["formats"] == list(formats.EXPORTS)


@pytest.mark.parametrize(
    "params, code",
    [({"release": "2099.1"}, "unknown_release"), ({"domain": "nowhere"}, "unknown_domain")],
)
def test_an_unknown_release_or_domain_is_a_404(client, params, code):
    response, body = get(client, "csv", **params)
    assert response.status_code == 404
    assert json.loads(body)["code"] == code


def test_a_malformed_release_is_a_400(client):
    response, body = get(client, "csv", release="latest")
    assert response.status_code == 400
    assert "release" in json.loads(body)["errors"]


@pytest.mark.parametrize("fmt", list(formats.EXPORTS))
def test_every_format_streams_as_an_attachment_naming_release_and_date(client, glossary, fmt):
    services.release_cut(name="2025.1", user=None)
    response, body = get(client, fmt, release="2025.1")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == formats.EXPORTS[fmt].content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ai-glossary-2025.1-')
    assert disposition.endswith(f'{formats.EXPORTS[fmt].suffix}"')
    assert response["X-Glossary-Release"] == "2025.1"
    assert response["X-Glossary-Date"]
    assert body


def test_the_published_glossary_is_the_default(client, glossary):
    response, body = get(client, "csv", domain="governance")
    assert response["X-Glossary-Release"] == "published"
    assert "ai-glossary-published-governance-" in response["Content-Disposition"]
    assert body.count(b"\r\n") == 3  # header and two concepts


def _add_concepts(editor, reviewers, start: int, count: int) -> None:
    source = factories.source()
    for number in range(start, start + count):
        factories.make_published(
            editor,
            reviewers,
            f"concept-{number}",
            simple_data(f"concept {number}", f"概念{number}", f"概念{number}", source),
        )


@pytest.mark.parametrize("fmt", ["tbx", "tbx2008", "csv", "json", "xlsx", "deepl", "google"])
def test_the_number_of_queries_does_not_grow_with_the_glossary(
    client, glossary, editor, reviewer_us, reviewer_cn, fmt
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response, _body = get(client, fmt)
            assert response.status_code == 200
        return len(captured)

    few = queries()
    _add_concepts(editor, [reviewer_us, reviewer_cn], 1, 6)
    assert queries() == few


def test_export_batches_are_read_a_page_at_a_time(
    glossary, editor, reviewer_us, reviewer_cn, monkeypatch
):
    from glossary.exchange import published as snapshot

    _add_concepts(editor, [reviewer_us, reviewer_cn], 1, 5)
    monkeypatch.setattr(snapshot, "BATCH_SIZE", 3)
    uids = [r.uid for r in snapshot.prepare().records()]
    assert len(uids) == 9 and uids == sorted(uids)
    monkeypatch.setattr(snapshot, "BATCH_SIZE", 500)
    assert [r.uid for r in snapshot.prepare().records()] == uids


def test_the_command_writes_a_file(glossary, tmp_path):
    target = tmp_path / "glossary.tbx"
    err = io.StringIO()
    call_command(
        "export_glossary", "--format", "tbx", "-o", str(target), "--date", "2025-03-01", stderr=err
    )
    data = target.read_bytes()
    assert data.startswith(b"<?xml") and b"2025-03-01" in data
    assert "4 concepts written" in err.getvalue()
    assert not (tmp_path / "glossary.tbx.part").exists()


def test_the_command_can_leave_the_history_out(glossary, tmp_path):
    target = tmp_path / "glossary.tbx"
    call_command("export_glossary", "--format", "tbx", "-o", str(target), "--no-history")
    assert b"<transacGrp>" not in target.read_bytes()
    call_command("export_glossary", "--format", "tbx", "-o", str(target))
    assert b"<transacGrp>" in target.read_bytes()


def test_the_command_refuses_an_unknown_release_and_a_bad_date(glossary, tmp_path):
    with pytest.raises(CommandError, match="no release 2099.1"):
        call_command("export_glossary", "--format", "csv", "--release", "2099.1")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_glossary", "--format", "csv", "--date", "March")
    with pytest.raises(CommandError):
        call_command("export_glossary", "--format", "docx")


def test_the_command_help_names_every_format():
    from glossary.management.commands.export_glossary import Command

    for name in formats.EXPORTS:
        assert f"{name}:" in Command.help


# Links to concepts that are not published ----------------------------------------------------


@pytest.fixture
def linked(editor, reviewer_us, reviewer_cn):
    """generative-ai (published) links to artificial-intelligence (published) and to
    secret-draft, which is only a draft; release 2025.1 is cut, then secret-draft is published."""
    reviewers = [reviewer_us, reviewer_cn]
    ai = factories.make_published(
        editor,
        reviewers,
        "artificial-intelligence",
        factories.complete_data("AI", "人工智能", "人工智慧"),
    )
    secret = factories.make_draft(
        editor, "secret-draft", factories.complete_data("hidden wording", "隐藏", "隱藏")
    )
    data = factories.complete_data()
    data.relations = [
        RelationData(kind=RelationKind.BROADER, target=ai.concept),
        RelationData(kind=RelationKind.RELATED, target=secret.concept),
    ]
    factories.make_published(editor, reviewers, "generative-ai", data)
    return secret


def _text_of(fmt: str, body: bytes) -> str:
    """The whole file as text (an XLSX's cells joined), to look for a concept id in it."""
    if fmt != "xlsx":
        return body.decode("utf-8")
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


FULL_FORMATS = ["tbx", "tbx2008", "csv", "csv-excel", "xlsx", "json"]


@pytest.mark.parametrize("fmt", FULL_FORMATS)
def test_exports_name_no_concept_that_is_not_public(
    client, linked, administrator, reviewer_us, reviewer_cn, fmt
):
    response, body = get(client, fmt)
    text = _text_of(fmt, body)
    assert "artificial-intelligence" in text  # the published link stays
    assert "secret-draft" not in text and "hidden wording" not in text

    services.release_cut(name="2025.1", user=administrator)
    services.version_submit(version=linked, user=linked.author)
    for reviewer in (reviewer_us, reviewer_cn):
        services.version_approve(version=linked, user=reviewer)
    # Published now: the current glossary links to it, the release (cut before) does not.
    assert "secret-draft" in _text_of(fmt, get(client, fmt)[1])
    in_release = _text_of(fmt, get(client, fmt, release="2025.1")[1])
    assert "artificial-intelligence" in in_release
    assert "secret-draft" not in in_release


def test_the_json_export_lists_only_public_relations(client, linked):
    response, body = get(client, "json")
    concepts = {c["id"]: c for c in json.loads(body)["concepts"]}
    assert concepts["generative-ai"]["relations"] == [
        {"kind": "broader", "concept": "artificial-intelligence"}
    ]
    assert "secret-draft" not in concepts


# Conditional downloads -----------------------------------------------------------------------


def _refuse_to_build(monkeypatch) -> None:
    def build(*args, **kwargs):
        raise AssertionError("the file was built for a request that needs none")

    monkeypatch.setattr(formats, "stream", build)


def test_a_download_answers_conditional_requests_without_building_the_file(
    client, glossary, editor, reviewer_us, reviewer_cn, monkeypatch
):
    first, body = get(client, "tbx")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"') and last_modified
    assert first["Cache-Control"] == f"public, max-age={export_views.PUBLISHED_MAX_AGE}"

    with monkeypatch.context() as patch:
        _refuse_to_build(patch)
        with CaptureQueriesContext(connection) as queries:
            cached = client.get("/api/v1/export/tbx/", HTTP_IF_NONE_MATCH=etag)
        assert cached.status_code == 304 and cached.content == b""
        assert cached["ETag"] == etag
        assert cached["Cache-Control"] == first["Cache-Control"]
        assert len(queries) <= 2, [q["sql"] for q in queries]
        since = client.get("/api/v1/export/tbx/", HTTP_IF_MODIFIED_SINCE=last_modified)
        assert since.status_code == 304
    # Another format or subject field is another file.
    assert get(client, "csv", HTTP_IF_NONE_MATCH=etag)[0].status_code == 200
    assert get(client, "tbx", domain="governance", HTTP_IF_NONE_MATCH=etag)[0].status_code == 200

    factories.make_published(editor, [reviewer_us, reviewer_cn], "frontier-ai")
    changed, body_after = get(client, "tbx")
    assert client.get("/api/v1/export/tbx/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert changed["ETag"] != etag and b"frontier-ai" in body_after


def test_a_release_download_keeps_its_validators(
    client, glossary, editor, reviewer_us, reviewer_cn, administrator, monkeypatch
):
    services.release_cut(name="2025.1", user=administrator)
    first, _body = get(client, "deepl", release="2025.1")
    assert first["Cache-Control"] == f"public, max-age={export_views.RELEASE_MAX_AGE}"
    factories.make_published(editor, [reviewer_us, reviewer_cn], "frontier-ai")
    services.release_cut(name="2025.2", user=administrator)
    _refuse_to_build(monkeypatch)
    cached = client.get(
        "/api/v1/export/deepl/", {"release": "2025.1"}, HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert cached.status_code == 304


def test_a_head_request_builds_no_file(client, glossary, monkeypatch):
    _refuse_to_build(monkeypatch)
    response = client.head("/api/v1/export/xlsx/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ai-glossary-')
    assert response["ETag"].startswith('W/"')


def test_a_failed_if_match_on_a_download_is_a_412_in_the_api_shape(client, glossary):
    etag = get(client, "csv")[0]["ETag"]
    refused = client.get("/api/v1/export/csv/", HTTP_IF_MATCH=etag)
    assert refused.status_code == 412
    assert refused.json()["code"] == "stale_edit"


def test_pages_on_other_sites_may_read_what_a_download_was_made_from(client, glossary):
    response, _body = get(client, "deepl", HTTP_ORIGIN="https://cat.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"X-Glossary-Release", "X-Glossary-Date", "ETag", "Content-Disposition"} <= exposed


# The command: what a file was made from, stdout and pipes ------------------------------------


def test_the_command_says_on_stderr_what_an_mt_file_was_made_from(
    glossary, administrator, tmp_path
):
    release = services.release_cut(name="2025.1", user=administrator)
    day = timezone.localtime(release.created_at).date().isoformat()
    target = tmp_path / "glossary.tsv"
    err = io.StringIO()
    call_command(
        "export_glossary", "--format", "deepl", "--release", "2025.1", "-o", str(target), stderr=err
    )
    assert "release 2025.1" in err.getvalue() and day in err.getvalue()
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines and all(line.count("\t") == 1 for line in lines)
    assert "2025.1" not in target.read_text(encoding="utf-8")


def test_the_command_names_the_file_after_release_and_date_in_a_directory(
    glossary, administrator, tmp_path
):
    release = services.release_cut(name="2025.1", user=administrator)
    day = timezone.localtime(release.created_at).date().isoformat()
    err = io.StringIO()
    call_command(
        "export_glossary",
        "--format",
        "amazon",
        "--release",
        "2025.1",
        "-o",
        str(tmp_path),
        stderr=err,
    )
    name = f"ai-glossary-2025.1-{day}.amazon.csv"
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert (tmp_path / name).read_bytes().startswith(b"en,zh,zh-TW")
    assert str(tmp_path / name) in err.getvalue() and "release 2025.1" in err.getvalue()


def test_the_command_refuses_a_path_it_cannot_write(glossary, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_glossary", "--format", "csv", "-o", str(tmp_path / "no" / "x.csv"))
    assert not any(tmp_path.iterdir())


class FakeStdout:
    """sys.stdout for the command: bytes land in ``written``; the reader may go away."""

    def __init__(self, fd: int, fail_after: int | None = None) -> None:
        self.buffer = self
        self.fd = fd
        self.fail_after = fail_after
        self.written: list[bytes] = []

    def write(self, data: bytes) -> int:
        if self.fail_after is not None and len(self.written) >= self.fail_after:
            raise BrokenPipeError(32, "Broken pipe")
        self.written.append(data)
        return len(data)

    def flush(self) -> None:
        if self.fail_after is not None and len(self.written) >= self.fail_after:
            raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self.fd


@pytest.fixture
def spare_fd(tmp_path):
    fd = os.open(tmp_path / "stdout", os.O_WRONLY | os.O_CREAT)
    yield fd
    os.close(fd)


def test_the_command_writes_to_stdout_and_says_what_from_on_stderr(glossary, monkeypatch, spare_fd):
    fake = FakeStdout(spare_fd)
    monkeypatch.setattr(sys, "stdout", fake)
    err = io.StringIO()
    call_command("export_glossary", "--format", "deepl", "--date", "2025-03-01", stderr=err)
    assert b"".join(fake.written).startswith(b"3D generation\t")
    assert "written to stdout" in err.getvalue()
    assert "the published concepts (no release)" in err.getvalue()
    assert "2025-03-01" in err.getvalue()


def test_a_reader_that_goes_away_ends_the_command_quietly(
    glossary, monkeypatch, spare_fd, tmp_path
):
    """``export_glossary ... | head``: no BrokenPipeError traceback, a non-zero exit."""
    fake = FakeStdout(spare_fd, fail_after=1)
    monkeypatch.setattr(sys, "stdout", fake)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("export_glossary", "--format", "tbx", stderr=err)
    assert exited.value.code == 1
    assert err.getvalue() == ""
    # The descriptor now leads nowhere, so Python's last flush at exit cannot fail either.
    os.write(spare_fd, b"flushed at exit")
    assert (tmp_path / "stdout").read_bytes() == b""


def test_the_export_and_its_stored_files_declare_the_variant_parameters_once(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    def parameters(path: str) -> dict[str, dict]:
        declared = schema["paths"][path]["get"]["parameters"]
        return {p["name"]: p for p in declared if p["in"] == "query"}

    export = parameters("/api/v1/export/{fmt}/")
    stored = parameters("/api/v1/export/{fmt}/files/{build}/")
    assert {"chinese", "codes", "unreviewed"} <= set(export)
    # The stored files are named by variant and codes only, declared by the same serializer.
    assert set(stored) == {"chinese", "codes"}
    assert stored["chinese"] == export["chinese"]
    assert stored["codes"] == export["codes"]
    assert export["chinese"]["schema"]["enum"] == list(variants.CHINESE)
