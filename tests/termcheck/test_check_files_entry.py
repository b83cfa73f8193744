"""The file check's entry points: check_terms --file, the API's multipart endpoint and the page."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import concept_data, publish

pytestmark = [pytest.mark.usefixtures("fresh_check_index"), pytest.mark.django_db]


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn):
    reviewers = [reviewer_us, reviewer_cn]
    publish(
        editor,
        reviewers,
        "neural-network",
        concept_data(
            "neural network", "神经网络", "神經網路", ("zh-Hans", "神经元网络", "deprecated")
        ),
    )
    publish(editor, reviewers, "generative-ai", concept_data("generative AI", "生成式人工智能"))


def po_bytes(*pairs: tuple[str, str], language: str | None = "zh_CN") -> bytes:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    if language:
        po.metadata["Language"] = language
    for source, target in pairs:
        po.append(polib.POEntry(msgid=source, msgstr=target))
    return str(po).encode("utf-8")


CLEAN = po_bytes(("Neural networks learn.", "神经网络会学习。"))
FLAWED = po_bytes(
    ("Neural networks learn.", "神经网络会学习。"),
    ("A neural network is a model.", "神经元网络是一种模型。"),
    ("Generative AI writes.", "它会写。"),
    ("Not yet translated.", ""),
)


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_terms", *args, stdout=out, no_color=True)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def test_command_exits_0_on_a_clean_file(tmp_path, glossary) -> None:
    path = tmp_path / "guide.po"
    path.write_bytes(CLEAN)
    status, output = run("--file", str(path))
    assert status == 0
    assert output.splitlines() == [
        "1 segment read, 1 checked (0 untranslated, 0 in another language skipped); 0 to fix "
        "in 0 segments."
    ]


def test_command_exits_1_and_lists_each_problem(tmp_path, glossary) -> None:
    path = tmp_path / "guide.po"
    path.write_bytes(FLAWED)
    status, output = run("--file", str(path))
    assert status == 1
    assert output.splitlines() == [
        "2: 'neural network' [neural-network] deprecated, found '神经元网络'; use '神经网络'",
        "3: 'Generative AI' [generative-ai] missing; use '生成式人工智能'",
        "4 segments read, 3 checked (1 untranslated, 0 in another language skipped); 2 to fix "
        "in 2 segments.",
    ]
    status, output = run("--file", str(path), "--format", "json")
    assert status == 1
    body = json.loads(output)
    assert body["totals"]["problems"] == 2
    assert body["file"] == {
        "name": "guide.po",
        "format": "po",
        "source_language": "en",
        "target_language": "zh-Hans",
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html"])
def test_command_writes_the_report(tmp_path, glossary, fmt) -> None:
    path = tmp_path / "guide.po"
    path.write_bytes(FLAWED)
    output = tmp_path / f"report.{fmt}"
    status, _ = run("--file", str(path), "--report", fmt, "--output", str(output))
    assert status == 1
    data = output.read_bytes()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert [row[4] for row in rows[1:]] == ["deprecated", "missing"]
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(data), read_only=True)
        assert len(list(book["Problems"].iter_rows())) == 3
    else:
        assert "神经元网络" in data.decode()


def test_command_refuses_bad_input_with_2(tmp_path, glossary) -> None:
    with pytest.raises(CommandError, match="No such file") as missing:
        run("--file", str(tmp_path / "nothing.po"))
    assert missing.value.returncode == 2
    path = tmp_path / "pairs.csv"
    path.write_text("source,target\nneural network,神经网络\n", encoding="utf-8")
    with pytest.raises(CommandError, match="target language") as no_target:
        run("--file", str(path))
    assert no_target.value.returncode == 2
    assert run("--file", str(path), "--target-language", "zh-Hans")[0] == 0
    broken = tmp_path / "broken.xlf"
    broken.write_text("<xliff><file>", encoding="utf-8")
    with pytest.raises(CommandError, match="XML") as bad:
        run("--file", str(broken))
    assert bad.value.returncode == 2
    with pytest.raises(CommandError, match="--output") as xlsx:
        run("--file", str(path), "--report", "xlsx")
    assert xlsx.value.returncode == 2
    with pytest.raises(CommandError):
        run("--file", str(path), "--source", str(path))


@override_settings(GLOSSARY_CHECK_FILE_MAX_BYTES=1024)
def test_command_refuses_a_file_over_the_limit(tmp_path, glossary) -> None:
    path = tmp_path / "large.po"
    path.write_bytes(po_bytes(*[("neural network", "神经网络")] * 100))
    with pytest.raises(CommandError, match="at most") as large:
        run("--file", str(path))
    assert large.value.returncode == 2


URL = "/api/v1/check/file/"


def upload(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_api_checks_an_uploaded_file(client, glossary) -> None:
    response = client.post(URL, {"file": upload("guide.po", FLAWED)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["totals"] == {
        "segments": 4,
        "checked": 3,
        "untranslated": 1,
        "mismatched": 0,
        "segments_with_problems": 2,
        "problems": 2,
        "deprecated": 1,
        "superseded": 0,
        "missing": 1,
    }
    assert body["segments"][0] == {
        "segment": "2",
        "source": "A neural network is a model.",
        "target": "神经元网络是一种模型。",
        "problems": [
            {
                "concept": "neural-network",
                "verdict": "deprecated",
                "source_terms": ["neural network"],
                "target_terms": ["神经元网络"],
                "use": "神经网络",
                "authorities": [],
            }
        ],
    }
    assert {concept["concept"] for concept in body["concepts"]} == {
        "neural-network",
        "generative-ai",
    }


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_api_sends_the_report_as_a_file(client, glossary, fmt, content_type) -> None:
    response = client.post(URL, {"file": upload("guide.po", FLAWED), "report": fmt})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="guide-terms.{fmt}"'


def test_api_refuses_bad_files_with_codes(client, glossary) -> None:
    response = client.post(URL, {"file": upload("broken.tmx", b"<tmx><body>")})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_xml"
    response = client.post(URL, {"file": upload("pairs.csv", b"source,target\na,b\n")})
    assert response.status_code == 400
    assert response.json()["code"] == "no_target_language"
    response = client.post(URL, {})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    response = client.post(URL, {"file": upload("guide.po", CLEAN), "target_language": "fr"})
    assert response.status_code == 400


@override_settings(GLOSSARY_CHECK_FILE_MAX_BYTES=1024)
def test_api_refuses_a_file_over_the_limit_with_413(client, glossary) -> None:
    data = po_bytes(*[("neural network", "神经网络")] * 100)
    response = client.post(URL, {"file": upload("large.po", data)})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@override_settings(GLOSSARY_CHECK_FILE_MAX_SEGMENTS=2)
def test_api_refuses_a_file_with_too_many_segments_with_413(client, glossary) -> None:
    response = client.post(URL, {"file": upload("guide.po", FLAWED)})
    assert response.status_code == 413
    assert response.json()["code"] == "too_many_segments"


def test_the_schema_describes_the_multipart_endpoint(client) -> None:
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"][URL]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert set(operation["responses"]["200"]["content"]) == {
        "application/json",
        "text/csv",
        "text/html",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


PAGE = "/en/check/file/"


def test_the_page_offers_a_file_upload(client) -> None:
    response = client.get("/en/check/")
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'action="{PAGE}"' in page


def test_the_page_renders_the_report_with_download_links(client, glossary) -> None:
    response = client.post(PAGE, {"file": upload("guide.po", FLAWED)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "神经元网络是一种模型。" in page
    assert "<script" not in page
    links = [
        line.split('href="', 1)[1].split('"', 1)[0]
        for line in page.splitlines()
        if 'class="download"' in line
    ]
    assert len(links) == 3
    for link in links:
        download = client.get(link)
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment;")
    csv_link = next(link for link in links if link.endswith(".csv"))
    rows = list(csv.reader(io.StringIO(client.get(csv_link).content.decode("utf-8-sig"))))
    assert [row[4] for row in rows[1:]] == ["deprecated", "missing"]


def test_the_page_shows_errors_in_the_page(client, glossary) -> None:
    response = client.post(PAGE, {"file": upload("pairs.csv", b"source,target\na,b\n")})
    assert response.status_code == 400
    assert "target language" in response.content.decode()
    response = client.post(PAGE, {})
    assert response.status_code == 400


def test_an_unknown_or_expired_report_is_404(client) -> None:
    assert client.get(reverse("check:file-report", args=["nothing", "csv"])).status_code == 404


def test_query_count_does_not_grow_with_the_file(client, glossary, django_assert_max_num_queries):
    client.post(URL, {"file": upload("warm.po", CLEAN)})  # the checker is built once
    small = po_bytes(("A neural network is a model.", "神经元网络是一种模型。"))
    large = po_bytes(*[("A neural network is a model.", "神经元网络是一种模型。")] * 200)
    counts = []
    for name, data in (("small.po", small), ("large.po", large)):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(URL, {"file": upload(name, data)})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.post(PAGE, {"file": upload("large.po", large)})


XLIFF_FILES = Path(__file__).resolve().parents[1] / "data" / "check" / "files"


@pytest.mark.parametrize("name", ["guide-okapi-1.2.xlf", "guide-2.0.xlf"])
def test_api_reads_xliff_inline_codes(client, glossary, name) -> None:
    data = (XLIFF_FILES / name).read_bytes()
    response = client.post(URL, {"file": upload(name, data)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["totals"]["checked"] == 4
    assert body["totals"]["deprecated"] == 1
    assert body["totals"]["missing"] == 1
    deprecated = body["segments"][0]
    # The term wrapped in a code in the source and split by one in the target is found, and the
    # segment reads as the document's reader sees it.
    assert deprecated["source"] == "A neural network is a model."
    assert deprecated["target"] == "一个神经元网络是一种模型。"
    assert deprecated["problems"][0]["source_terms"] == ["neural network"]
    assert deprecated["problems"][0]["target_terms"] == ["神经元网络"]
    assert "<" not in json.dumps(body, ensure_ascii=False)


def test_the_page_shows_xliff_segments_without_their_codes(client, glossary) -> None:
    data = (XLIFF_FILES / "guide-okapi-1.2.xlf").read_bytes()
    response = client.post(PAGE, {"file": upload("guide.xlf", data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "一个神经元网络是一种模型。" in page
    assert "Use generative AI to write." in page
    # The native code of <bpt>/<ph> is neither text nor markup of the page.
    assert "&lt;b&gt;" not in page
    assert "nn.html" not in page
