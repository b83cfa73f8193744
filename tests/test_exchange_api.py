"""GET /api/v1/export/<format>/ and manage.py export_glossary."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from glossary import services
from glossary.exchange import formats
from tests import factories
from tests.test_exchange_data import rich_glossary, simple_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    return rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)


def get(client, fmt: str, **params):
    response = client.get(reverse("api:export", args=[fmt]), params)
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
    from glossary.exchange import snapshot

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
