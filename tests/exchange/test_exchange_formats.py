"""CSV (two flavours), XLSX, JSON and the MT-engine glossaries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.db import transaction
from openpyxl import Workbook, load_workbook

from glossary.core.models import Concept
from glossary.exchange import csv as csv_format
from glossary.exchange import formats, importer, xlsx
from glossary.exchange import published as snapshot
from tests.exchange.glossaries import rich_glossary

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 1)


def export_bytes(name: str, **options) -> bytes:
    export = snapshot.prepare(date=DAY, **options)
    return b"".join(formats.stream(formats.EXPORTS[name], export))


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    return rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)


def rows_of(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_csv_for_tools_has_one_row_per_concept(glossary):
    data = export_bytes("csv")
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = {row["id"]: row for row in rows_of(data)}
    assert list(rows) == ["3d-generation", "artificial-intelligence", "generative-ai", "old-term"]
    row = rows["generative-ai"]
    assert row["en_preferred"] == "generative AI"
    assert row["en_admitted"] == "GenAI"
    assert row["en_deprecated"] == "=generative(AI)"  # tools get the text as it is
    assert row["en_superseded"] == "creative AI"
    assert row["zh_hant_admitted"] == "生成式人工智能"
    assert row["domains"] == "generative-ai | governance"
    assert row["sources"] == "eo-14110: Sec. 3(p) | cn-genai-measures: 第二十二条"
    assert row["related"] == "broader: artificial-intelligence | related: 3d-generation"
    assert row["agreement"] == "partly_agreed"
    assert row["definition_en"] == "generative AI: AI that produces new content.\nSecond line."
    assert row["us_usage_zh_hant"] == "美方文件稱生成式人工智慧。"
    # The unreviewed machine conversions, as TBX and JSON carry them.
    assert row["zh_hant_unreviewed"] == "term: 生成式人工智慧 | field: definition_zh_hant"
    assert rows["artificial-intelligence"]["zh_hant_unreviewed"] == ""
    assert row["status"] == "published" and rows["old-term"]["status"] == "retired"
    assert rows["old-term"]["retirement_reason"] == "No longer used in either country."
    assert {r["glossary_date"] for r in rows.values()} == {"2025-03-01"}
    assert {r["glossary_release"] for r in rows.values()} == {""}


def test_csv_for_spreadsheets_has_a_bom_and_no_live_formulas(glossary):
    data = export_bytes("csv-excel")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = {row["id"]: row for row in rows_of(data)}
    assert rows["generative-ai"]["en_deprecated"] == "'=generative(AI)"
    assert rows["generative-ai"]["zh_hans_admitted"] == "'+生成式AI"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("人工智能", "人工智能"),
    ],
)
def test_each_formula_start_is_neutralised(value, safe):
    assert csv_format.neutralise(value) == safe
    assert csv_format.unneutralise(safe) == value


def test_list_cells_escape_the_separator():
    values = ["a | b", "back\\slash", "plain"]
    assert csv_format.split(csv_format.join(values)) == values


def test_csv_round_trips_into_an_empty_glossary(editor, administrator, reviewer_us, reviewer_cn):
    reviewers = [reviewer_us, reviewer_cn]
    with transaction.atomic():
        rich_glossary(editor, reviewers, administrator)
        first = export_bytes("csv")
        spreadsheet = export_bytes("csv-excel")
        transaction.set_rollback(True)
    assert not Concept.objects.exists()
    for data in (first, spreadsheet):
        with transaction.atomic():
            report = importer.import_file(
                csv_format.read(data),
                user=administrator,
                publish=importer.PublishPlan(reviewers=reviewers),
            )
            assert report.committed and report.counts()["created"] == 4, report.entries
            assert export_bytes("csv") == first
            transaction.set_rollback(True)


def test_the_unreviewed_marks_survive_a_csv_and_xlsx_round_trip(
    editor, administrator, reviewer_us, reviewer_cn
):
    reviewers = [reviewer_us, reviewer_cn]
    with transaction.atomic():
        rich_glossary(editor, reviewers, administrator)
        files = {name: export_bytes(name) for name in ("csv", "csv-excel", "xlsx")}
        transaction.set_rollback(True)
    for name, data in files.items():
        with transaction.atomic():
            report = importer.import_file(
                formats.read(data),
                user=administrator,
                publish=importer.PublishPlan(reviewers=reviewers),
            )
            assert report.committed, (name, report.entries)
            version = Concept.objects.get(uid="generative-ai").public_version
            assert version.machine_converted_fields == ["definition_zh_hant"], name
            assert list(
                version.terms.filter(machine_converted=True).values_list("language", "text")
            ) == [("zh-Hant", "生成式人工智慧")], name
            transaction.set_rollback(True)


def test_xlsx_has_the_unreviewed_column(glossary):
    sheet = load_workbook(io.BytesIO(export_bytes("xlsx")))["Glossary"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    cell = rows["generative-ai"][header.index("zh_hant_unreviewed")]
    assert cell.value == "term: 生成式人工智慧 | field: definition_zh_hant"


def test_xlsx_stores_strings_never_formulas(glossary, tmp_path):
    data = export_bytes("xlsx")
    book = load_workbook(io.BytesIO(data))
    sheet = book["Glossary"]
    header = [cell.value for cell in sheet[1]]
    assert header == csv_format.COLUMNS
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value}
    formula = cells["=generative(AI)"]
    assert formula.data_type == "s"
    assert all(cell.data_type == "s" for cell in cells.values())
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["date"] == "2025-03-01"
    assert "published concepts" in about["made from"]


def test_xlsx_imports_back(glossary, editor):
    parsed = xlsx.read(export_bytes("xlsx"))
    assert [e.record.uid for e in parsed.entries] == [
        "3d-generation",
        "artificial-intelligence",
        "generative-ai",
        "old-term",
    ]
    report = importer.import_file(parsed, user=editor, dry_run=True)
    # The same content the glossary holds: nothing to do, except where a draft is open.
    statuses = {entry.uid: entry.status for entry in report.entries}
    assert statuses == {
        "3d-generation": "conflict",
        "artificial-intelligence": "unchanged",
        "generative-ai": "unchanged",
        "old-term": "unchanged",
    }
    assert "open version" in report.entries[0].messages[0]


def test_json_holds_every_field_and_what_it_was_made_from(glossary):
    document = json.loads(export_bytes("json"))
    assert document["glossary"]["date"] == "2025-03-01"
    assert document["glossary"]["release"] is None
    concepts = {c["id"]: c for c in document["concepts"]}
    assert list(concepts) == [
        "3d-generation",
        "artificial-intelligence",
        "generative-ai",
        "old-term",
    ]
    concept = concepts["generative-ai"]
    assert concept["definition"]["zh-Hant"] == "generative AI：能夠生成新內容的人工智慧。"
    assert concept["terms"]["zh-Hant"][0] == {
        "text": "生成式人工智慧",
        "status": "preferred",
        "type": "fullForm",
        "part_of_speech": "noun",
        "geographic_usage": "TW",
        "context": "",
        "note": "",
        "source": "",
        "machine_converted": True,
        "in_sense_only": False,
    }
    assert concept["citations"][1]["quote_language"] == "zh-Hans"
    assert concept["machine_converted_fields"] == ["definition_zh_hant"]
    assert [h["action"] for h in concepts["artificial-intelligence"]["history"]] == [
        "creation",
        "modification",
    ]
    assert {s["key"] for s in document["sources"]} == {"eo-14110", "cn-genai-measures"}
    assert {d["key"] for d in document["domains"]} == {"generative-ai", "governance"}


def test_deepl_glossary_maps_every_english_term_to_the_preferred_chinese(glossary):
    lines = export_bytes("deepl").decode().splitlines()
    pairs = [tuple(line.split("\t")) for line in lines]
    assert ("generative AI", "生成式人工智能") in pairs
    assert ("GenAI", "生成式人工智能") in pairs
    # A superseded (or deprecated) English term is left out: the engine would use it too.
    assert not any(english == "creative AI" for english, _zh in pairs)
    assert not any(english == "expert system shell" for english, _zh in pairs)  # retired
    assert len({english for english, _zh in pairs}) == len(pairs)
    rows = list(csv.reader(io.StringIO(export_bytes("deepl-csv").decode(), newline="")))
    assert ["generative AI", "生成式人工智能", "EN", "ZH"] in rows


def test_deepl_lists_a_term_two_concepts_share_once(glossary, editor, reviewer_us, reviewer_cn):
    from tests import factories
    from tests.exchange.glossaries import simple_data

    factories.make_published(
        editor,
        [reviewer_us, reviewer_cn],
        "genai-other",
        simple_data(
            "GenAI",
            "另一个概念",
            "另一個概念",
            glossary.versions["3d-generation"].citations.first().source,
        ),
    )
    pairs = [line.split("\t") for line in export_bytes("deepl").decode().splitlines()]
    assert [zh for english, zh in pairs if english == "GenAI"] == ["另一个概念"]


def test_google_and_amazon_use_their_language_codes(glossary):
    google = list(
        csv.reader(io.StringIO(export_bytes("google", unreviewed=True).decode(), newline=""))
    )
    assert google[0] == ["en", "zh-CN", "zh-TW", "description"]
    assert google[1:] == [
        ["3D generation", "三维生成", "三維生成", "3d-generation (AI Glossary 2025-03-01)"],
        [
            "artificial intelligence",
            "人工智能",
            "人工智慧",
            "artificial-intelligence (AI Glossary 2025-03-01)",
        ],
        [
            "generative AI",
            "生成式人工智能",
            "生成式人工智慧",
            "generative-ai (AI Glossary 2025-03-01)",
        ],
    ]
    amazon = list(
        csv.reader(io.StringIO(export_bytes("amazon", unreviewed=True).decode(), newline=""))
    )
    assert amazon[0] == ["en", "zh", "zh-TW"]
    assert amazon[1:] == [[row[0], row[1], row[2]] for row in google[1:]]


def test_a_domain_export_keeps_that_subject_field_only(glossary):
    rows = rows_of(export_bytes("csv", domain="governance"))
    assert [row["id"] for row in rows] == ["artificial-intelligence", "generative-ai"]
    # generative-ai relates to 3d-generation, which this file does not hold: no dangling link.
    data = export_bytes("tbx", domain="governance")
    assert b'target="_3d-generation"' not in data and b"related: 3d-generation" in data


def workbook(*rows: list) -> bytes:
    """An XLSX as a person might save it: a Glossary sheet with the rows given."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Glossary"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_may_leave_empty_cells_out_but_hold_no_value_beyond_the_columns(editor):
    data = workbook(
        ["en", "zh_hans", "zh_hant", "definition_en", None],
        ["transformer", "变换器"],
        [],
        ["attention", "注意力", "注意力", "Focus.", "a stray note"],
        ["diffusion", "扩散", None, "Noise to data.", None, None],
    )
    parsed = xlsx.read(data)
    assert [(e.where, e.errors) for e in parsed.entries] == [
        ("sheet Glossary, line 2", []),
        (
            "sheet Glossary, line 4",
            [
                "Line 4 has 5 cells, but the first row has 4, so its cells cannot be matched to "
                "the columns; nothing of it is read."
            ],
        ),
        ("sheet Glossary, line 5", []),
    ]
    report = importer.import_file(parsed, user=editor, dry_run=True)
    assert [e.status for e in report.entries] == ["created", "error", "created"]


def test_an_exported_xlsx_with_emptied_trailing_cells_still_imports(glossary, editor):
    book = load_workbook(io.BytesIO(export_bytes("xlsx")))
    sheet = book["Glossary"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row[-2:]:  # glossary_release, glossary_date: information only
            cell.value = None
    buffer = io.BytesIO()
    book.save(buffer)
    report = importer.import_file(xlsx.read(buffer.getvalue()), user=editor, dry_run=True)
    assert [e.status for e in report.entries] == ["conflict", "unchanged", "unchanged", "unchanged"]
