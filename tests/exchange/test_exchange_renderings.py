"""Authorities' renderings in TBX, CSV and XLSX: valid files, read back, kept through a round trip."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction

from glossary.core.models import Authority, Concept, Rendering
from glossary.exchange import csv as csv_format
from glossary.exchange import formats, importer, tbx
from glossary.exchange import published as snapshot
from glossary.exchange.records import ConceptRecord, RenderingRecord
from tests import authorities_data, factories
from tests.exchange.test_exchange_tbx import DAY, export_bytes, validate

pytestmark = pytest.mark.django_db


def llm(editor, reviewers, administrator):
    authority = authorities_data.authority(administrator)
    return factories.make_published(
        editor,
        reviewers,
        "large-language-model",
        authorities_data.llm_data(
            authorities_data.recommended(
                authority,
                definition="具有大规模参数的语言模型。",
                definition_language="zh-Hans",
                locator="第12条",
            )
        ),
    )


def test_renderings_survive_a_tbx_round_trip(
    editor, administrator, reviewer_us, reviewer_cn, tmp_path
):
    reviewers = [reviewer_us, reviewer_cn]
    with transaction.atomic():
        llm(editor, reviewers, administrator)
        (before,) = snapshot.prepare(date=DAY).records()
        data = export_bytes("tbx")
        transaction.set_rollback(True)
    assert not Concept.objects.exists() and not Authority.objects.exists()
    assert "TBX v3 (TBX-Basic V4): valid" in validate(tmp_path, data)
    # Any tool shows it as a note naming the authority.
    assert "authorityRendering: " in data.decode() and "推荐使用外语词中文译名" in data.decode()
    parsed = tbx.read(data)
    (entry,) = parsed.entries
    assert entry.errors == []
    assert entry.record.renderings[0].key() == before.renderings[0].key()
    report = importer.import_file(
        parsed, user=administrator, publish=importer.PublishPlan(reviewers=reviewers)
    )
    assert report.committed and not report.has_problems, report.entries
    authority = Authority.objects.get()
    assert (authority.name_zh_hant, authority.kind, authority.jurisdiction) == (
        "推薦使用外語詞中文譯名",
        "list",
        "CN",
    )
    (after,) = snapshot.prepare(date=DAY).records()
    assert after.content_key() == before.content_key()
    assert export_bytes("tbx") == data
    # Imported again, nothing has changed: no new draft.
    again = importer.import_file(tbx.read(data), user=administrator)
    assert [e.status for e in again.entries] == ["unchanged"]


def test_a_file_without_renderings_keeps_the_glossarys(
    editor, administrator, reviewer_us, reviewer_cn
):
    reviewers = [reviewer_us, reviewer_cn]
    llm(editor, reviewers, administrator)
    data = export_bytes("tbx").decode()
    # Another tool's file: no rendering note, its own id, and a changed definition.
    start = data.index("<note>authorityRendering: ")
    end = data.index("</note>", start) + len("</note>")
    other = data[:start] + data[end:]
    other = other.replace("The concept of large language model.", "A model of language.")
    parsed = tbx.read(other.encode(), "tbx")
    for entry in parsed.entries:
        entry.carries_renderings = False
    report = importer.import_file(parsed, user=administrator)
    assert [e.status for e in report.entries] == ["updated"], report.entries
    draft = Concept.objects.get().versions.get(state="draft")
    assert [r.term_zh_hans for r in Rendering.objects.filter(version=draft)] == ["大型语言模型"]


@pytest.mark.parametrize(
    "note",
    [
        "authorityRendering: not json",
        'authorityRendering: {"status": "used"}',
        'authorityRendering: {"authority": "x", "status": "used", "terms": {"fr": "modèle"}}',
    ],
)
def test_a_malformed_rendering_note_is_an_error_of_its_entry(note):
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
<tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader>
<text><body><conceptEntry id="c1"><note>{note}</note>
<langSec xml:lang="en"><termSec><term>model</term></termSec></langSec>
</conceptEntry></body></text></tbx>""".encode()
    (entry,) = tbx.read(data).entries
    assert any("rendering" in error.lower() for error in entry.errors), entry.errors


# --- CSV and XLSX: one "renderings" column, read back -------------------------------------

CELL = "cn-foreign-terms-2024: en=large language model; zh-Hans=大型语言模型 (recommended, 2024-12)"


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def with_cell(data: bytes, value: str) -> bytes:
    """Our CSV with the renderings cell of its one row replaced."""
    rows = csv_rows(data)
    rows[0]["renderings"] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def published_llm(editor, administrator, reviewer_us, reviewer_cn):
    return llm(editor, [reviewer_us, reviewer_cn], administrator)


def test_the_csv_carries_renderings_in_one_column(published_llm):
    (row,) = csv_rows(export_bytes("csv"))
    assert row["renderings"] == CELL
    assert csv_format.COLUMNS.index("renderings") == csv_format.COLUMNS.index("related") + 1


@pytest.mark.parametrize("fmt", ["csv", "csv-excel", "xlsx"])
def test_renderings_survive_a_csv_and_xlsx_round_trip(published_llm, administrator, fmt):
    data = export_bytes(fmt)
    parsed = formats.read(data, "xlsx" if fmt == "xlsx" else "csv")
    (entry,) = parsed.entries
    assert entry.errors == [] and entry.carries_renderings
    (rendering,) = entry.record.renderings
    assert (rendering.authority, rendering.status, rendering.date, rendering.terms) == (
        "cn-foreign-terms-2024",
        "recommended",
        "2024-12",
        {"en": "large language model", "zh-Hans": "大型语言模型"},
    )
    # The quoted definition and its locator are not in the file: the glossary's are kept, so
    # the concept is unchanged.
    report = importer.import_file(
        formats.read(data, "xlsx" if fmt == "xlsx" else "csv"), user=administrator
    )
    assert [e.status for e in report.entries] == ["unchanged"], report.entries


def test_a_changed_rendering_in_a_csv_updates_the_draft(published_llm, administrator):
    changed = CELL.replace("(recommended, 2024-12)", "(promulgated, 2025-01-15)")
    data = with_cell(
        export_bytes("csv"), f"{changed} | cn-foreign-terms-2024: zh-Hant=大型語言模型 (used)"
    )
    report = importer.import_file(formats.read(data, "csv"), user=administrator)
    assert [e.status for e in report.entries] == ["updated"], report.entries
    draft = Concept.objects.get().versions.get(state="draft")
    assert [
        (r.status, r.date, r.term_zh_hans, r.term_zh_hant, r.definition, r.locator)
        for r in Rendering.objects.filter(version=draft).order_by("position")
    ] == [
        ("promulgated", "2025-01-15", "大型语言模型", "", "具有大规模参数的语言模型。", "第12条"),
        ("used", "", "", "大型語言模型", "", ""),
    ]


def test_a_term_with_a_semicolon_is_escaped_and_read_back():
    record = ConceptRecord(uid="x")
    rendering = RenderingRecord(
        authority="iso-iec-22989",
        status="standardised",
        terms={"en": "AI; artificial intelligence"},
    )
    value = csv_format.rendering_value(rendering)
    assert value == r"iso-iec-22989: en=AI\; artificial intelligence (standardised)"
    cell = csv_format.join([value])
    assert csv_format.read_renderings(cell, record) == []
    assert record.renderings[0].terms == {"en": "AI; artificial intelligence"}


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        (
            CELL.replace("cn-foreign-terms-2024", "no-such-list"),
            "There is no authority with the key no-such-list",
        ),
        (CELL.replace("recommended", "approved"), "Unknown rendering status approved"),
        (CELL.replace("2024-12", "December 2024"), "is not 2024, 2024-12 or 2024-12-27"),
        (CELL.replace("zh-Hans=", "fr="), "is not a language (en, zh-Hans or zh-Hant)"),
        ("cn-foreign-terms-2024 large language model", "is not written as authority-key"),
    ],
)
def test_a_bad_rendering_is_refused_naming_the_row_and_nothing_changes(
    published_llm, administrator, cell, said
):
    data = with_cell(export_bytes("csv"), cell)
    report = importer.import_file(formats.read(data, "csv"), user=administrator)
    assert report.has_problems and not report.committed
    (entry,) = report.entries
    assert entry.where == "line 2 (large-language-model)"
    assert any(said in message for message in entry.messages), entry.messages
    assert not Concept.objects.get().versions.filter(state="draft").exists()
    assert list(Authority.objects.values_list("key", flat=True)) == ["cn-foreign-terms-2024"]


def test_a_csv_made_before_the_renderings_column_keeps_the_glossarys(published_llm, administrator):
    rows = csv_rows(export_bytes("csv"))
    for row in rows:
        del row["renderings"]
        row["definition_en"] = "A model of language."
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    report = importer.import_file(formats.read(out.getvalue().encode(), "csv"), user=administrator)
    assert [e.status for e in report.entries] == ["updated"], report.entries
    draft = Concept.objects.get().versions.get(state="draft")
    assert [(r.term_zh_hans, r.locator) for r in Rendering.objects.filter(version=draft)] == [
        ("大型语言模型", "第12条")
    ]
