"""The term check names the authority whose rendering a translation uses (issue 18)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from glossary.core.choices import Language, RenderingStatus, TermStatus
from glossary.core.services import RenderingData
from glossary.termcheck import service
from glossary.termcheck.files import render
from tests import authorities_data, factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_check_index")]

FORM = {
    "source_language": "en",
    "target_language": "zh-Hans",
    "source": "A large language model answers.",
}


@pytest.fixture
def llm(editor, reviewer_us, reviewer_cn, administrator):
    authority = authorities_data.authority(administrator)
    data = factories.concept_data(
        "large language model",
        "大语言模型",
        "",
        (Language.ZH_HANS, "大型语言模型", TermStatus.ADMITTED),
        (Language.ZH_HANS, "大模型", TermStatus.ADMITTED),
    )
    data.renderings = [authorities_data.recommended(authority)]
    return factories.make_published(editor, [reviewer_us, reviewer_cn], "llm", data)


def test_an_admitted_term_an_authority_recommends_names_the_authority(client, llm):
    html = client.post("/en/check/", {**FORM, "target": "大型语言模型可以回答。"}).content.decode()
    assert "Admitted term used" in html
    assert "recommended by Recommended Chinese renderings of foreign terms (2024)" in html


def test_the_authority_is_named_in_the_interface_language(client, llm, compiled_catalogs):
    html = client.post(
        "/zh-hans/check/", {**FORM, "target": "大型语言模型可以回答。"}
    ).content.decode()
    assert "推荐使用外语词中文译名推荐" in html


@pytest.mark.parametrize("target", ["大语言模型可以回答。", "大模型可以回答。"])
def test_no_authority_is_named_for_other_terms(client, llm, target):
    client.post("/en/check/", {**FORM, "target": target})
    html = client.post("/en/check/", {**FORM, "target": target}).content.decode()
    assert "recommended by" not in html


# --- The API, the command and the file report name the authority too ---------------------

NAMES = {
    "en": "Recommended Chinese renderings of foreign terms (2024)",
    "zh-Hans": "推荐使用外语词中文译名",
    "zh-Hant": "推薦使用外語詞中文譯名",
}
MENTION = {
    "key": "cn-foreign-terms-2024",
    "name": NAMES,
    "status": "recommended",
    "term": "大型语言模型",
}


def api_check(client, target: str, **extra):
    body = {**FORM, "target": target}
    return client.post("/api/v1/check/", json.dumps(body), content_type="application/json", **extra)


def test_the_api_names_the_authority_of_an_admitted_term(client, llm):
    response = api_check(client, "大型语言模型可以回答。")
    assert response.status_code == 200
    body = response.json()
    del body["glossary"]
    assert body == {
        "source_language": "en",
        "target_language": "zh-Hans",
        "summary": {
            "preferred": 0,
            "admitted": 1,
            "deprecated": 0,
            "superseded": 0,
            "missing": 0,
            "retired": 0,
            "problems": 0,
            "source_occurrences": 1,
            "target_occurrences": 1,
        },
        "findings": [
            {
                "concept": "llm",
                "verdict": "admitted",
                "expected": "大语言模型",
                "replacement": None,
                "source": [0],
                "target": [0],
                "authorities": [MENTION],
            }
        ],
        "occurrences": {
            "source": [
                {
                    "start": 2,
                    "end": 22,
                    "text": "large language model",
                    "concept": "llm",
                    "term": "large language model",
                    "language": "en",
                    "status": "preferred",
                    "match": "exact",
                    "replacement": None,
                }
            ],
            "target": [
                {
                    "start": 0,
                    "end": 6,
                    "text": "大型语言模型",
                    "concept": "llm",
                    "term": "大型语言模型",
                    "language": "zh-Hans",
                    "status": "admitted",
                    "match": "exact",
                    "replacement": None,
                }
            ],
        },
    }


@pytest.mark.parametrize("target", ["大语言模型可以回答。", "大模型可以回答。"])
def test_the_api_names_no_authority_for_other_terms(client, llm, target):
    assert api_check(client, target).json()["findings"][0]["authorities"] == []


def test_the_api_reads_the_renderings_in_one_query(client, llm):
    with CaptureQueriesContext(connection) as admitted:
        api_check(client, "大型语言模型可以回答。")
    with CaptureQueriesContext(connection) as preferred:
        api_check(client, "大语言模型可以回答。")
    assert len([q for q in admitted.captured_queries if "glossary_rendering" in q["sql"]]) == 1
    assert not [q for q in preferred.captured_queries if "glossary_rendering" in q["sql"]]


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_terms", *args, stdout=out, no_color=True)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def texts(tmp_path, target: str) -> list[str]:
    (tmp_path / "source.txt").write_text(FORM["source"], encoding="utf-8")
    (tmp_path / "target.txt").write_text(target, encoding="utf-8")
    return ["--source", str(tmp_path / "source.txt"), "--target", str(tmp_path / "target.txt")]


def test_the_command_names_the_authority_in_text_and_json(tmp_path, llm):
    status, out = run(*texts(tmp_path, "大型语言模型可以回答。"))
    assert status == 0
    assert (
        "[llm] admitted; expected '大语言模型', found '大型语言模型'; recommended by Recommended "
        "Chinese renderings of foreign terms (2024)"
    ) in out
    status, out = run(*texts(tmp_path, "大型语言模型可以回答。"), "--format", "json")
    assert json.loads(out)["findings"][0]["authorities"] == [MENTION]
    status, out = run(*texts(tmp_path, "大语言模型可以回答。"))
    assert "recommended by" not in out


#: Three segments: the admitted term an authority recommends twice, the preferred term once.
PAIRS = (
    "source,target\n"
    "A large language model answers.,大型语言模型可以回答。\n"
    "The large language model.,大型语言模型。\n"
    "A large language model.,大语言模型。\n"
).encode()


def check_file(client, **extra):
    handle = io.BytesIO(PAIRS)
    handle.name = "pairs.csv"
    return client.post(
        "/api/v1/check/file/", {"file": handle, "target_language": "zh-Hans", **extra}
    )


def test_the_file_check_names_the_authority_of_a_concept(client, llm):
    with CaptureQueriesContext(connection) as queries:
        body = check_file(client).json()
    assert len([q for q in queries.captured_queries if "glossary_rendering" in q["sql"]]) == 1
    assert body["concepts"] == [
        {
            "concept": "llm",
            "term": "large language model",
            "expected": "大语言模型",
            "segments": 3,
            "occurrences": 3,
            "preferred": 1,
            "admitted": 2,
            "deprecated": 0,
            "superseded": 0,
            "missing": 0,
            "retired": 0,
            "problems": 0,
            "authorities": [MENTION],
        }
    ]
    assert body["segments"] == []


def test_the_file_reports_say_recommended_by_in_the_reader_language(client, llm):
    said = "recommended by Recommended Chinese renderings of foreign terms (2024)"
    html = check_file(client, report="html").content.decode()
    assert said in html
    book = load_workbook(io.BytesIO(check_file(client, report="xlsx").content), read_only=True)
    concepts = list(book["Concepts"].iter_rows(values_only=True))
    assert concepts[0][-1] == "authorities"
    assert concepts[1][-1] == said


@pytest.fixture
def llm_used(editor, reviewer_us, reviewer_cn, administrator):
    """A glossary where 大型语言模型 is deprecated, though an authority uses it."""
    authority = authorities_data.authority(administrator)
    data = factories.concept_data(
        "large language model",
        "大语言模型",
        "",
        (Language.ZH_HANS, "大型语言模型", TermStatus.DEPRECATED),
    )
    data.renderings = [
        RenderingData(authority=authority, status=RenderingStatus.USED, term_zh_hans="大型语言模型")
    ]
    return factories.make_published(editor, [reviewer_us, reviewer_cn], "llm", data)


def test_a_deprecated_term_an_authority_uses_names_it_in_the_csv_and_the_command(
    tmp_path, llm_used, compiled_catalogs
):
    report = service.check_file(PAIRS, "pairs.csv", target_language="zh-Hans")
    with translation.override("zh-hans"):
        rows = list(csv.reader(io.StringIO(render(report, "csv").decode("utf-8-sig"))))
    assert rows[0][-1] == "authorities"
    assert [(row[0], row[4], row[-1]) for row in rows[1:]] == [
        ("2", "deprecated", "推荐使用外语词中文译名使用"),
        ("3", "deprecated", "推荐使用外语词中文译名使用"),
    ]
    path = tmp_path / "pairs.csv"
    path.write_bytes(PAIRS)
    status, out = run("--file", str(path), "--target-language", "zh-Hans")
    assert status == 1
    assert (
        "2: 'large language model' [llm] deprecated, found '大型语言模型'; use '大语言模型'; "
        "used by Recommended Chinese renderings of foreign terms (2024)"
    ) in out


def test_the_schema_describes_the_authorities(client):
    schemas = client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    assert set(schemas["AuthorityMention"]["properties"]) == set(MENTION)
    assert set(schemas["AuthorityMention"]["required"]) == set(MENTION)
    for name in ("Finding", "FileProblem", "FileConcept"):
        described = schemas[name]["properties"]["authorities"]
        assert described["items"] == {"$ref": "#/components/schemas/AuthorityMention"}
    status = schemas["AuthorityMention"]["properties"]["status"]["allOf"][0]["$ref"]
    assert schemas[status.rsplit("/", 1)[1]]["enum"] == [
        "promulgated",
        "recommended",
        "standardised",
        "used",
    ]


def test_the_page_report_of_a_file_names_the_authority_too(client, llm_used):
    handle = io.BytesIO(PAIRS)
    handle.name = "pairs.csv"
    page = client.post(
        "/en/check/file/", {"file": handle, "target_language": "zh-Hans"}
    ).content.decode()
    said = "used by Recommended Chinese renderings of foreign terms (2024)"
    concepts, segments = page.split('class="check-findings file-segments"', 1)
    assert said in concepts.split('class="check-findings file-concepts"', 1)[1]
    assert segments.count(said) == 2  # the two segments that use the deprecated rendering
