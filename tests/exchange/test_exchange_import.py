"""Imports: drafts for review, all or nothing, a report per entry; hostile files change nothing.

``test_dirty_real_data`` reads ../shared/data/aisystem-glossary (Apache-2.0, see its README) and
fails, saying so, when it is missing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.core import services
from glossary.core.choices import VersionState
from glossary.core.models import Concept, ConceptVersion, Domain, Event, Source, Term
from glossary.exchange import csv as csv_format
from glossary.exchange import formats, importer
from glossary.exchange import published as snapshot
from glossary.exchange.safety import ImportRefused
from tests import factories
from tests.exchange.glossaries import rich_glossary

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def state() -> tuple:
    """Everything an import could write."""
    return (
        Concept.objects.count(),
        ConceptVersion.objects.count(),
        Term.objects.count(),
        Event.objects.count(),
        Source.objects.count(),
        Domain.objects.count(),
    )


def export_csv() -> bytes:
    return b"".join(formats.stream(formats.EXPORTS["csv"], snapshot.prepare()))


def simple_csv(*rows: str) -> bytes:
    return ("en,zh_hans,zh_hant,definition_en,definition_zh,source\n" + "\n".join(rows)).encode()


def run(data: bytes, user, **options) -> importer.ImportReport:
    return importer.import_file(formats.read(data), user=user, **options)


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    return rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)


def test_an_import_creates_drafts_and_publishes_nothing(editor):
    report = run(simple_csv("transformer,变换器,變換器,A network.,一种网络。,Paper p. 3"), editor)
    assert report.committed
    assert [(e.status, e.uid, e.term) for e in report.entries] == [
        ("created", "transformer", "transformer")
    ]
    concept = Concept.objects.get(uid="transformer")
    assert concept.public_version is None
    assert concept.open_version.state == VersionState.DRAFT
    assert concept.open_version.author == editor
    assert concept.open_version.definition_zh_hans == "一种网络。"
    citation = concept.open_version.citations.get()
    assert (citation.source.title, citation.locator) == ("Paper", "p. 3")


def test_a_dry_run_reports_the_same_and_writes_nothing(editor):
    before = state()
    report = run(simple_csv("transformer,变换器,,,,Paper p. 3"), editor, dry_run=True)
    assert report.dry_run and not report.committed
    assert [e.status for e in report.entries] == ["created"]
    assert "Dry run" in report.summary()
    assert state() == before


def test_a_changed_concept_gets_a_new_draft_and_the_published_version_stays(glossary, editor):
    data = export_csv().replace(
        b"Machines that perform tasks that need intelligence.",
        b"Machines doing what needs intelligence.",
    )
    report = run(data, editor, skip_problems=True)
    statuses = {e.uid: e.status for e in report.entries}
    assert statuses == {
        "3d-generation": "conflict",  # it has an open draft
        "artificial-intelligence": "updated",
        "generative-ai": "unchanged",
        "old-term": "unchanged",
    }
    concept = Concept.objects.get(uid="artificial-intelligence")
    assert concept.public_version.number == 2
    assert concept.public_version.definition_en.startswith("Machines that perform")
    draft = concept.open_version
    assert (draft.number, draft.state) == (3, VersionState.DRAFT)
    assert draft.definition_en == "Machines doing what needs intelligence."


def test_a_csv_update_keeps_the_term_details_the_csv_does_not_hold(glossary, editor):
    data = export_csv().replace(b"generative AI: AI that produces", b"generative AI: AI making")
    report = run(data, editor, skip_problems=True)
    assert {e.uid: e.status for e in report.entries}["generative-ai"] == "updated"
    draft = Concept.objects.get(uid="generative-ai").open_version
    term = draft.terms.get(text="generative AI")
    assert (term.geographic_usage, term.context, term.source.key) == (
        "US",
        "Generative AI can write text.",
        "eo-14110",
    )
    assert draft.terms.get(text="生成式人工智慧").machine_converted
    quote = draft.citations.get(source__key="cn-genai-measures")
    assert quote.quote_language == "zh-Hans" and quote.quote.startswith("生成式人工智能技术")


def with_unreviewed_cell(data: bytes, uid: str, value: str | None) -> bytes:
    """The CSV with the zh_hant_unreviewed cell of one row changed (None: without the column)."""
    rows = csv_rows(data)
    column = rows[0].index("zh_hant_unreviewed")
    for row in rows[1:]:
        if row[0] == uid and value is not None:
            row[column] = value
    if value is None:
        rows = [row[:column] + row[column + 1 :] for row in rows]
    return csv_bytes(rows)


def test_a_csv_update_takes_the_unreviewed_marks_from_the_file(glossary, editor):
    # A linguist reviewed the Traditional term and definition and emptied the cell.
    data = with_unreviewed_cell(export_csv(), "generative-ai", "")
    report = run(data, editor, skip_problems=True)
    assert {e.uid: e.status for e in report.entries}["generative-ai"] == "updated"
    draft = Concept.objects.get(uid="generative-ai").open_version
    assert draft.machine_converted_fields == []
    assert not draft.terms.filter(machine_converted=True).exists()
    # The rest of the details are still kept.
    assert draft.terms.get(text="生成式人工智慧").geographic_usage == "TW"


def test_a_csv_without_the_unreviewed_column_keeps_the_glossarys_marks(glossary, editor):
    data = with_unreviewed_cell(export_csv(), "generative-ai", None)
    assert b"zh_hant_unreviewed" not in data
    report = run(data, editor, dry_run=True, skip_problems=True)
    assert {e.uid: e.status for e in report.entries}["generative-ai"] == "unchanged"
    data = data.replace(b"generative AI: AI that produces", b"generative AI: AI making")
    run(data, editor, skip_problems=True)
    draft = Concept.objects.get(uid="generative-ai").open_version
    assert draft.machine_converted_fields == ["definition_zh_hant"]
    assert draft.terms.get(text="生成式人工智慧").machine_converted


def test_the_unreviewed_cell_can_mark_more(glossary, editor):
    data = with_unreviewed_cell(
        export_csv(),
        "generative-ai",
        "term: 生成式人工智慧 | term: 生成式人工智能 | field: definition_zh_hant | field: note_zh_hant",
    )
    report = run(data, editor, skip_problems=True)
    assert {e.uid: e.status for e in report.entries}["generative-ai"] == "updated"
    draft = Concept.objects.get(uid="generative-ai").open_version
    assert draft.machine_converted_fields == ["definition_zh_hant", "note_zh_hant"]
    assert sorted(draft.terms.filter(machine_converted=True).values_list("text", flat=True)) == [
        "生成式人工智慧",
        "生成式人工智能",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "term: 人工智慧",
            "zh_hant_unreviewed names 人工智慧, which is not a Traditional Chinese term of the row.",
        ),
        (
            "term: 生成式人工智能 | term: generative AI",
            "zh_hant_unreviewed names generative AI, which is not a Traditional Chinese term",
        ),
        ("field: definition_zh_hans", "zh_hant_unreviewed holds field: definition_zh_hans; write"),
        ("生成式人工智慧", "zh_hant_unreviewed holds 生成式人工智慧; write term: followed by"),
    ],
)
def test_a_bad_unreviewed_cell_is_an_error_and_changes_nothing(glossary, editor, value, message):
    before = state()
    report = run(with_unreviewed_cell(export_csv(), "generative-ai", value), editor)
    entry = next(e for e in report.entries if e.uid == "generative-ai")
    assert entry.status == "error"
    assert any(m.startswith(message) for m in entry.messages), entry.messages
    assert not report.committed and state() == before


def test_an_unreviewed_mark_on_an_empty_field_is_an_error(editor):
    values = dict.fromkeys(csv_format.COLUMNS, "")
    values.update(
        id="new-one",
        en_preferred="new one",
        zh_hans_preferred="新的",
        zh_hant_preferred="新的",
        zh_hant_unreviewed="term: 新的 | field: note_zh_hant",
    )
    data = csv_bytes([csv_format.COLUMNS, [values[c] for c in csv_format.COLUMNS]])
    report = run(data, editor, dry_run=True)
    (entry,) = report.entries
    assert entry.status == "error"
    assert entry.messages == ["zh_hant_unreviewed names note_zh_hant, which is empty in the row."]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(), newline="")))


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_all_or_nothing_a_conflict_stops_the_whole_import(glossary, editor):
    rows = csv_rows(export_csv())
    new_row = list(rows[2])
    new_row[0], new_row[3] = "brand-new", "brand new concept"
    data = csv_bytes([*rows, new_row])
    before = state()
    report = run(data, editor)
    assert report.blocked and not report.committed
    assert {e.uid: e.status for e in report.entries}["brand-new"] == "created"
    assert state() == before
    assert not Concept.objects.filter(uid="brand-new").exists()
    # Skipping the problems imports the rest, still in one transaction.
    report = run(data, editor, skip_problems=True)
    assert report.committed and Concept.objects.filter(uid="brand-new").exists()


def test_entries_are_matched_by_english_term_when_they_have_no_id(glossary, editor):
    report = run(simple_csv("Artificial Intelligence,人工智能,人工智能,,,"), editor)
    (entry,) = report.entries
    assert (entry.status, entry.uid) == ("updated", "artificial-intelligence")
    assert "Matched by its English term" in entry.messages[0]
    draft = Concept.objects.get(uid="artificial-intelligence").open_version
    hant = [(t.text, t.status) for t in draft.terms.filter(language="zh-Hant")]
    assert hant == [("人工智慧", "preferred"), ("人工智能", "admitted")]
    assert "Kept the preferred term 人工智慧" in " ".join(entry.messages)


def test_a_file_id_whose_term_belongs_to_another_concept_is_a_conflict(glossary, editor):
    data = export_csv().replace(b"\r\nartificial-intelligence,", b"\r\nai-renamed,")
    report = run(data, editor, dry_run=True, skip_problems=True)
    entry = next(e for e in report.entries if e.uid == "ai-renamed")
    assert entry.status == "conflict"
    assert "under concept artificial-intelligence" in entry.messages[0]


def test_the_same_id_twice_is_an_error(glossary, editor):
    rows = csv_rows(export_csv())
    data = csv_bytes([*rows, rows[3]])
    report = run(data, editor, dry_run=True)
    assert report.entries[-1].status == "error"
    assert "twice" in report.entries[-1].messages[0]


def test_a_relation_to_an_unknown_concept_is_left_out_and_said(editor):
    header = ",".join(csv_format.COLUMNS)
    values = dict.fromkeys(csv_format.COLUMNS, "")
    values.update(
        id="new-one",
        en_preferred="new one",
        zh_hans_preferred="新的",
        related="broader: nowhere | related: new-one",
        agreement="agreed",
        maturity="established",
    )
    buffer = io.StringIO()
    csv_format.csv.writer(buffer).writerow([values[c] for c in csv_format.COLUMNS])
    report = run(f"{header}\r\n{buffer.getvalue()}".encode(), editor)
    (entry,) = report.entries
    assert entry.status == "created"
    assert any("nowhere is left out" in m for m in entry.messages)
    assert any("itself" in m for m in entry.messages)


def test_a_retired_entry_is_not_imported_as_a_draft(glossary, editor):
    with_retired = export_csv()
    with_retired = with_retired.replace(b"\r\nold-term,", b"\r\nold-term-copy,").replace(
        b"expert system shell", b"expert system shell copy"
    )
    report = run(with_retired, editor, dry_run=True)
    entry = next(e for e in report.entries if e.uid == "old-term-copy")
    assert entry.status == "error" and "retired" in entry.messages[0]


def test_the_command_dry_run_prints_the_report(tmp_path, editor):
    path = tmp_path / "terms.csv"
    path.write_bytes(simple_csv("transformer,变换器,,,,", ",梯度下降,,,,"))
    before = state()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_glossary", str(path), "--dry-run", "--as-user", "editor")
    assert state() == before
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 entry of .* was not imported") as skipped:
        call_command(
            "import_glossary",
            str(path),
            "--as-user",
            "editor",
            "--skip-problems",
            stdout=out,
        )
    assert skipped.value.returncode == 3
    text = out.getvalue()
    assert "line 2: created [transformer]" in text
    assert "line 3: error: not imported" in text and "The English term is empty." in text
    assert "Imported as drafts for review: 1 created" in text
    assert Concept.objects.filter(uid="transformer").exists()


def test_the_command_needs_an_editor(tmp_path, db):
    path = tmp_path / "terms.csv"
    path.write_bytes(simple_csv("transformer,变换器,,,,"))
    factories.make_user("reader", group=None)
    with pytest.raises(CommandError, match="no user"):
        call_command("import_glossary", str(path), "--as-user", "nobody")
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_glossary", str(path), "--as-user", "reader")


# Publishing on import: a bootstrap of an empty glossary only --------------------------------


def test_publish_bootstraps_an_empty_glossary_through_review(
    administrator, reviewer_us, reviewer_cn
):
    data = simple_csv("transformer,变换器,變換器,A network.,一种网络。,Paper p. 3")
    report = run(
        data,
        administrator,
        publish=importer.PublishPlan(reviewers=[reviewer_us, reviewer_cn], reason="First load"),
    )
    assert report.committed and report.published == 1
    version = Concept.objects.get(uid="transformer").public_version
    assert version.state == VersionState.PUBLISHED
    assert sorted(version.reviews.values_list("reviewer__username", flat=True)) == [
        "reviewer-cn",
        "reviewer-us",
    ]
    assert set(
        version.events.filter(action__in=["submit", "approve"]).values_list("comment", flat=True)
    ) == {"First load"}


def test_publish_is_refused_on_a_glossary_that_has_concepts(
    published, administrator, reviewer_us, reviewer_cn
):
    before = state()
    with pytest.raises(ImportRefused, match="empty glossary"):
        run(
            simple_csv("transformer,变换器,,,,"),
            administrator,
            publish=importer.PublishPlan(reviewers=[reviewer_us, reviewer_cn]),
        )
    assert state() == before


def test_publish_needs_an_administrator_and_both_sides(
    editor, administrator, reviewer_us, second_reviewer_us
):
    data = simple_csv("transformer,变换器,,,,")
    with pytest.raises(ImportRefused, match="Only an administrator"):
        run(data, editor, publish=importer.PublishPlan(reviewers=[reviewer_us]))
    with pytest.raises(ImportRefused, match="one of each side"):
        run(
            data,
            administrator,
            publish=importer.PublishPlan(reviewers=[reviewer_us, second_reviewer_us]),
        )
    with pytest.raises(ImportRefused, match="cannot also review"):
        run(data, administrator, publish=importer.PublishPlan(reviewers=[administrator]))
    assert not Concept.objects.exists()


def test_the_command_refuses_publish_without_reviewers(tmp_path, administrator):
    path = tmp_path / "terms.csv"
    path.write_bytes(simple_csv("transformer,变换器,,,,"))
    with pytest.raises(CommandError, match="--reviewer"):
        call_command("import_glossary", str(path), "--as-user", "chief", "--publish")
    assert not Concept.objects.exists()


def test_an_incomplete_concept_is_not_published_by_a_bootstrap(
    administrator, reviewer_us, reviewer_cn
):
    report = run(
        simple_csv("transformer,变换器,,,,"),
        administrator,
        publish=importer.PublishPlan(reviewers=[reviewer_us, reviewer_cn]),
    )
    (entry,) = report.entries
    assert entry.status == "error" and "could not be published" in entry.messages[0]
    assert report.blocked and not Concept.objects.exists()


def test_a_bootstrap_skipping_an_incomplete_entry_leaves_nothing_of_it(
    administrator, reviewer_us, reviewer_cn
):
    report = run(
        simple_csv(
            "transformer,变换器,變換器,A network.,一种网络。,",
            "attention,注意力,,,,",
            "tokenizer,分词器,分詞器,Cuts text.,切分文本。,",
        ),
        administrator,
        publish=importer.PublishPlan(reviewers=[reviewer_us, reviewer_cn]),
        skip_problems=True,
    )
    assert report.committed and report.published == 2
    assert [entry.status for entry in report.entries] == ["created", "error", "created"]
    assert report.entries[1].skipped
    assert "a Chinese definition" in report.entries[1].messages[0]
    assert sorted(Concept.objects.values_list("uid", flat=True)) == ["tokenizer", "transformer"]
    assert set(ConceptVersion.objects.values_list("state", flat=True)) == {VersionState.PUBLISHED}


def test_an_identifier_made_from_a_long_term_is_valid(editor):
    long = "to lead the pack by a wide margin, leaving one's competitors far behind " * 2
    report = run(simple_csv(f'"{long.strip()}",遥遥领先,,,,'), editor)
    (entry,) = report.entries
    assert entry.status == "created", entry.messages
    assert len(entry.uid) <= 90 and not entry.uid.endswith("-")
    assert Concept.objects.filter(uid=entry.uid).exists()


def test_new_identifiers_do_not_take_one_the_glossary_has(editor):
    for uid, term in (("another-term", "a different term"), ("another-term-2", "a third term")):
        services.concept_create(uid=uid, user=editor, data=factories.complete_data(term))
    report = run(simple_csv("another term,另一个术语,,,,"), editor)
    assert [entry.uid for entry in report.entries] == ["another-term-3"]


def test_a_large_import_refreshes_the_planners_statistics(editor, monkeypatch):
    monkeypatch.setattr("glossary.exchange.importer.run.ANALYZE_AFTER", 3)
    rows = [f"term {n},术语{n},,,," for n in range(3)]
    with CaptureQueriesContext(connection) as small:
        run(simple_csv(*rows[:2]), editor)
    with CaptureQueriesContext(connection) as large:
        run(simple_csv(*[f"other {n},其他{n},,,," for n in range(3)]), editor)
    with CaptureQueriesContext(connection) as dry:
        run(simple_csv(*rows), editor, dry_run=True)
    analyzed = [["ANALYZE" in query["sql"] for query in queries] for queries in (small, large, dry)]
    assert [any(found) for found in analyzed] == [False, True, False]


# Hostile and broken files: refused with a clear message, nothing changes -----------------


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tbx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
<text><body><conceptEntry id="x"><langSec xml:lang="en"><termSec><term>&lol3;</term>
</termSec></langSec></conceptEntry></body></text></tbx>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<martif type="TBX-Basic" xml:lang="en"><text><body><termEntry id="x">
<langSet xml:lang="en"><tig><term>&secret;</term></tig></langSet></termEntry></body></text>
</martif>"""

EXTERNAL_DTD = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "http://example.org/evil.dtd">
<martif type="TBX-Basic" xml:lang="en"><text><body><termEntry id="x">
<langSet xml:lang="en"><tig><term>&secret;</term></tig></langSet></termEntry></body></text>
</martif>"""


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    return buffer.getvalue()


HOSTILE = {
    "entity expansion": (BILLION_LAUGHS, "import.tbx", "entities"),
    "external entity": (EXTERNAL_ENTITY, "import.tbx", "entities"),
    "external DTD, undeclared entity": (EXTERNAL_DTD, "import.tbx", "entities"),
    "not UTF-8": (
        "en,zh_hans\ncafé,咖啡\n".encode("gbk", "replace").replace(b"caf", b"caf\xe9"),
        "x.csv",
        "not_utf8",
    ),
    "UTF-16": ("en,zh_hans\nAI,人工智能\n".encode("utf-16"), "x.csv", "not_utf8"),
    "declared latin-1": (b'<?xml version="1.0" encoding="ISO-8859-1"?><tbx/>', "x.tbx", "not_utf8"),
    "truncated": (None, "x.tbx", "truncated"),
    "missing columns": (b"id,en_preferred,zh_hans_preferred\nx,y,z\n", "x.csv", "missing_columns"),
    "simple layout without zh_hans": (b"en,definition_en\nx,y\n", "x.csv", "missing_columns"),
    "not a glossary table": (b"a,b,c\n1,2,3\n", "x.csv", "missing_columns"),
    "zip bomb": (None, "x.xlsx", "too_large"),
    "not a workbook": (b"PK\x03\x04 this is not a zip", "x.xlsx", "bad_xlsx"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_and_broken_files_are_refused_and_change_nothing(
    case, glossary, tmp_path, settings
):
    data, name, code = HOSTILE[case]
    if case == "truncated":
        data = b"".join(formats.stream(formats.EXPORTS["tbx"], snapshot.prepare()))[:5000]
    if case == "zip bomb":
        settings.GLOSSARY_IMPORT_MAX_BYTES = 2 * 1024 * 1024
        data = _zip_bomb()
    before = state()
    with pytest.raises(ImportRefused) as refused:
        run(data, glossary.editor)
    assert refused.value.code == code, refused.value.message
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match="was refused, nothing changed"):
        call_command("import_glossary", str(path), "--as-user", "editor")
    assert state() == before


def test_the_utf8_refusal_names_the_byte_offset(editor):
    with pytest.raises(ImportRefused, match=r"byte 0xE9 at offset 19 \(line 2\)"):
        run(b"en,zh_hans\nsoft caf\xe9,x\n", editor)


def test_the_missing_columns_are_named(editor):
    with pytest.raises(ImportRefused, match="Columns missing from the first row: status, domains"):
        run(b"id,en_preferred,zh_hans_preferred\nx,y,z\n", editor)


def test_a_file_far_larger_than_a_glossary_is_refused_before_it_is_read(editor, settings, tmp_path):
    settings.GLOSSARY_IMPORT_MAX_BYTES = 1000
    path = tmp_path / "big.csv"
    path.write_bytes(simple_csv(*["transformer,变换器,,,,"] * 100))
    with pytest.raises(CommandError, match="at most"):
        call_command("import_glossary", str(path), "--as-user", "editor")
    assert not Concept.objects.exists()


# Truncated files: refused whole, before anything is applied ---------------------------------


def cut(data: bytes, at: bytes, keep: int = 0) -> bytes:
    """The file cut just before ``at`` (or ``keep`` bytes into it)."""
    return data[: data.index(at) + keep]


# The export's lines: 1 header, 2 3d-generation, 3 artificial-intelligence, 4-5 generative-ai
# (its definition_en is a quoted cell holding a line break), 6 old-term.
TRUNCATED = {
    # The audit's case: a row cut after a few of its 40 cells would have been "updated".
    "after the third cell of a row": (
        lambda data: cut(data, b",artificial intelligence,"),
        "The last row (line 3) has 3 cells, but the first row has 40",
    ),
    "in the middle of an unquoted cell": (
        lambda data: cut(data, b" need intelligence."),
        "The last row (line 3) has 16 cells, but the first row has 40",
    ),
    "mid-row, then an editor added a line break": (
        lambda data: cut(data, b",artificial intelligence,") + b"\r\n",
        "The last row (line 3) has 3 cells",
    ),
    "inside a quoted cell": (
        lambda data: cut(data, b"produces new content.\nSecond"),
        "The file ends inside a quoted cell of the row that starts on line 4",
    ),
    "inside a quoted cell, just after its line break": (
        lambda data: cut(data, b"Second line."),
        "The file ends inside a quoted cell of the row that starts on line 4",
    ),
    "just after a quoted cell": (
        lambda data: cut(data, b'Second line."', len(b'Second line."')),
        "The last row (line 4) has 16 cells, but the first row has 40",
    ),
}


@pytest.mark.parametrize("case", list(TRUNCATED))
def test_a_truncated_csv_is_refused_whole_and_changes_nothing(case, glossary, editor, tmp_path):
    make, message = TRUNCATED[case]
    data = make(export_csv())
    before = state()
    for skip_problems in (False, True):
        with pytest.raises(ImportRefused) as refused:
            run(data, editor, skip_problems=skip_problems)
        assert refused.value.code == "truncated"
        assert message in refused.value.message
        assert "truncated" in refused.value.message
    path = tmp_path / "cut.csv"
    path.write_bytes(data)
    for options in ([], ["--skip-problems"], ["--dry-run"]):
        with pytest.raises(CommandError, match="was refused, nothing changed: ") as error:
            call_command("import_glossary", str(path), "--as-user", "editor", *options)
        assert message in str(error.value) and error.value.returncode == 1
    assert state() == before
    assert Concept.objects.get(uid="artificial-intelligence").open_version is None


def test_a_csv_cut_at_a_row_boundary_is_a_valid_shorter_file(glossary, editor):
    data = export_csv()
    for shorter in (cut(data, b"old-term,"), cut(data, b"\r\nold-term,")):
        report = run(shorter, editor, dry_run=True)
        assert [(e.where, e.status) for e in report.entries] == [
            ("line 2 (3d-generation)", "conflict"),
            ("line 3 (artificial-intelligence)", "unchanged"),
            ("line 4 (generative-ai)", "unchanged"),
        ]
    # The whole file without its last line break is complete too.
    assert run(data.removesuffix(b"\r\n"), editor, dry_run=True).counts()["unchanged"] == 3


def test_a_row_with_too_few_or_too_many_cells_is_an_error_naming_both_counts(glossary, editor):
    rows = csv_rows(export_csv())
    header, three_d, ai, generative, old = rows
    # generative-ai spans lines 2-3, so the short row is on line 4 of the file.
    data = csv_bytes([header, generative, ai[:5], [*old, "extra"], three_d])
    before = state()
    report = run(data, editor)
    assert [(e.where, e.status) for e in report.entries] == [
        ("line 2 (generative-ai)", "unchanged"),
        ("line 4 (artificial-intelligence)", "error"),
        ("line 5 (old-term)", "error"),
        ("line 6 (3d-generation)", "conflict"),
    ]
    assert report.entries[1].messages == [
        "Line 4 has 5 cells, but the first row has 40, so its cells cannot be matched to the "
        "columns; nothing of it is read."
    ]
    assert report.entries[2].messages[0].startswith("Line 5 has 41 cells, but the first row has 40")
    assert report.blocked and not report.committed and state() == before


SIMPLE_HEADER = "en,zh_hans,zh_hant,definition_en,definition_zh,source\n"


def test_the_simple_layout_may_leave_out_trailing_optional_cells(editor):
    data = (SIMPLE_HEADER + "transformer,变换器\nattention,注意力,注意力,Focus.\n").encode()
    report = run(data, editor)
    assert [(e.where, e.status) for e in report.entries] == [
        ("line 2", "created"),
        ("line 3", "created"),
    ]
    assert report.committed
    version = Concept.objects.get(uid="attention").open_version
    assert version.definition_en == "Focus."


def test_the_simple_layout_may_not_leave_out_a_required_cell(editor):
    report = run((SIMPLE_HEADER + "transformer\nattention,注意力\n").encode(), editor, dry_run=True)
    assert [(e.where, e.status) for e in report.entries] == [
        ("line 2", "error"),
        ("line 3", "created"),
    ]
    assert report.entries[0].messages[0].startswith("Line 2 has 1 cell, but the first row has 6")
    # In a file whose first row names the Chinese column first, the English cell is required.
    report = run(b"zh_hans,en\n\xe5\x8f\x98\xe6\x8d\xa2\xe5\x99\xa8\n", editor, dry_run=True)
    assert report.entries[0].status == "error"


def test_a_simple_file_whose_last_row_is_cut_is_refused(editor):
    data = (
        SIMPLE_HEADER + "transformer,变换器,變換器,A network.,一种网络。,Paper\n"
        "attention,注意力,注意力,A netw"
    ).encode()
    with pytest.raises(ImportRefused, match=r"The last row \(line 3\) has 4 cells") as refused:
        run(data, editor)
    assert refused.value.code == "truncated"
    assert not Concept.objects.exists()


# --skip-problems: the operator's one exception to all or nothing -----------------------------


def test_skipped_entries_are_reported_as_not_imported(glossary, editor):
    rows = csv_rows(export_csv())
    new_row = list(rows[2])
    new_row[0], new_row[3] = "brand-new", "brand new concept"
    data = csv_bytes([*rows[:-1], rows[2][:5], new_row, rows[-1]])
    dry = run(data, editor, dry_run=True, skip_problems=True)
    assert [(e.uid, e.label) for e in dry.skipped] == [
        ("3d-generation", "conflict: not imported"),
        ("", "error: not imported"),
    ]
    assert dry.skipped[1].where == "line 6 (artificial-intelligence)"
    assert dry.summary().endswith(
        "2 entries would NOT be imported (skipped because of their conflicts or errors, as "
        "requested)."
    )
    report = run(data, editor, skip_problems=True)
    assert report.committed
    assert [e.where for e in report.skipped] == [e.where for e in dry.skipped]
    assert all(e.messages for e in report.skipped)
    assert report.summary() == (
        "Imported as drafts for review: 1 created, 0 updated, 3 unchanged, 1 conflict(s), "
        "1 error(s). 2 entries were NOT imported (skipped because of their conflicts or errors, "
        "as requested)."
    )
    assert Concept.objects.filter(uid="brand-new").exists()
    # Without skipping, nothing is marked skipped: the whole file was not imported.
    blocked = run(data, editor, dry_run=True)
    assert blocked.blocked and blocked.skipped == []
    assert {e.label for e in blocked.entries if e.status == "conflict"} == {"conflict"}


def test_a_relation_to_a_skipped_entry_is_left_out_and_said(editor):
    values = dict.fromkeys(csv_format.COLUMNS, "")
    values.update(id="parent", en_preferred="parent", zh_hans_preferred="父", agreement="nope")
    # Found wrong only when decided, after matching kept the relations to it.
    retired = dict(values, id="old", en_preferred="old", agreement="agreed", status="retired")
    child = dict(values, id="child", en_preferred="child", agreement="agreed")
    child["related"] = "broader: parent | related: old"
    rows = [[row[c] for c in csv_format.COLUMNS] for row in (values, retired, child)]
    report = run(csv_bytes([csv_format.COLUMNS, *rows]), editor, skip_problems=True)
    parent, old, made = report.entries
    assert parent.skipped and "Unknown agreement state nope" in parent.messages[0]
    assert old.skipped and "marks it retired" in old.messages[0]
    assert made.status == "created"
    assert made.messages == [
        "The broader relation to parent is left out: that entry of the file (line 2 (parent)) "
        "is not imported.",
        "The related relation to old is left out: that concept is not imported.",
    ]
    assert not Concept.objects.get(uid="child").open_version.relations.exists()


def test_the_command_lists_skipped_entries_and_exits_3(glossary, editor, tmp_path):
    rows = csv_rows(export_csv())
    path = tmp_path / "dirty.csv"
    path.write_bytes(csv_bytes([*rows[:-1], rows[2][:5], rows[-1]]))
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import_glossary", str(path), "--as-user", "editor", "--skip-problems", stdout=out
        )
    assert error.value.returncode == 3
    assert str(error.value) == (
        f"2 entries of {path} were not imported (--skip-problems): line 2 (3d-generation), "
        "line 6 (artificial-intelligence). See the report above."
    )
    text = out.getvalue()
    assert "line 2 (3d-generation): conflict: not imported [3d-generation]" in text
    assert "line 6 (artificial-intelligence): error: not imported" in text
    tail = text[text.index("NOT IMPORTED (2, skipped as --skip-problems asked):") :]
    assert "  line 6 (artificial-intelligence): error: not imported: Line 6 has 5 cells" in tail
    assert tail.rstrip().endswith(
        "2 entries were NOT imported (skipped because of their conflicts or errors, as requested)."
    )
    # A clean file with --skip-problems exits 0.
    path.write_bytes(simple_csv("transformer,变换器,,,,"))
    call_command(
        "import_glossary", str(path), "--as-user", "editor", "--skip-problems", stdout=io.StringIO()
    )
    assert Concept.objects.filter(uid="transformer").exists()


# Real, dirty data ----------------------------------------------------------------------------


def _aisystem() -> bytes:
    path = DATA / "aisystem-glossary" / "aisystem_glossary.csv"
    if not path.is_file():
        pytest.fail(f"This test reads {path} (../shared/data, Apache-2.0); it is missing.")
    return path.read_bytes()


def test_dirty_real_data_imports_with_a_clear_report(editor):
    data = _aisystem()
    report = run(data, editor, dry_run=True)
    assert report.blocked and not Concept.objects.exists()
    by_line = {e.where: e for e in report.entries}
    empty = by_line["line 140"]
    assert empty.status == "error" and empty.messages == ["The English term is empty."]
    duplicate = by_line["line 15"]
    assert duplicate.status == "unchanged"
    assert "repeats line 2 and was merged into it" in duplicate.messages[0]
    assert "line 15 repeats this entry" in " ".join(by_line["line 2"].messages)
    merged = sum(e.messages[0].startswith("It repeats") for e in report.entries if e.messages)
    assert merged == 10
    optimizer = by_line["line 231"]
    assert "alternatives" in optimizer.messages[0]
    counts = report.counts()
    assert counts == {"created": 342, "updated": 0, "unchanged": 10, "conflict": 0, "error": 1}

    report = run(data, editor, skip_problems=True)
    assert report.committed
    assert Concept.objects.count() == 342
    version = Concept.objects.get(uid="artificial-intelligence").open_version
    assert sorted(version.terms.values_list("text", "status", "term_type")) == [
        ("AI", "admitted", "abbreviation"),
        ("Artificial Intelligence", "preferred", "fullForm"),
        ("人工智能", "preferred", "fullForm"),
    ]
    optimizer = Concept.objects.get(uid="optimizer").open_version
    assert list(optimizer.terms.filter(language="zh-Hans").values_list("text", "status")) == [
        ("梯度下降优化器", "preferred"),
        ("优化算法", "admitted"),
    ]
    # The typos stay what they are: they go to review as drafts, where a linguist fixes them.
    assert Concept.objects.filter(uid="encodder").exists()
    # A second import of the same file finds every concept already there, each with a draft.
    again = run(data, editor, dry_run=True, skip_problems=True)
    assert again.counts()["conflict"] == 342


def test_a_published_glossary_import_is_unchanged(glossary, editor):
    services_state = state()
    report = run(
        b"".join(formats.stream(formats.EXPORTS["tbx"], snapshot.prepare())), editor, dry_run=True
    )
    assert {e.uid: e.status for e in report.entries} == {
        "3d-generation": "conflict",
        "artificial-intelligence": "unchanged",
        "generative-ai": "unchanged",
        "old-term": "unchanged",
    }
    assert state() == services_state
    assert services is not None


# Imported history (ConceptVersion.imported_history) ------------------------------------------


def test_a_malformed_imported_history_is_refused_and_creates_nothing(editor):
    data = factories.complete_data()
    data.imported_history = [
        {"action": "creation", "date": "2019-05-02", "responsibility": "Ada Lovelace"},
        {"action": "deletion", "date": "2020-01-01", "responsibility": "x"},
        {"action": "modification", "date": "last Tuesday", "responsibility": "x"},
    ]
    before = state()
    with pytest.raises(ValidationError) as caught:
        services.concept_create(uid="generative-ai", user=editor, data=data)
    assert caught.value.message_dict["imported_history"] == [
        "History entry 2 needs a creation or modification and an ISO date.",
        "History entry 3 needs a creation or modification and an ISO date.",
    ]
    assert state() == before


def test_editing_an_imported_draft_keeps_where_it_came_from(editor):
    """An edit of the draft an import created keeps the file's history; a DraftData copied
    from a version never carries it into a new draft."""
    data = factories.complete_data()
    data.imported_history = [
        {"action": "creation", "date": " 2019-05-02T08:00:00+08:00 ", "responsibility": " Ada "}
    ]
    draft = services.concept_create(uid="generative-ai", user=editor, data=data)
    assert draft.imported_history == [
        {"action": "creation", "date": "2019-05-02T08:00:00+08:00", "responsibility": "Ada"}
    ]
    copied = services.DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    assert copied.imported_history == []
    copied.texts["note_en"] = "Edited before review."
    services.draft_update(version=draft, user=editor, data=copied, expected_revision=draft.revision)
    stored = ConceptVersion.objects.get(pk=draft.pk)
    assert stored.note_en == "Edited before review."
    assert stored.imported_history == draft.imported_history


# No assessment nobody gave ------------------------------------------------------------------


def test_a_list_that_says_nothing_gives_not_yet_assessed(editor):
    assert run(simple_csv("transformer,变换器,變換器,A network.,一种网络。,"), editor).committed
    version = Concept.objects.get(uid="transformer").open_version
    assert (version.agreement, version.maturity) == ("not_assessed", "not_assessed")


def test_a_bootstrap_publishes_what_the_list_says_not_yet_assessed(
    administrator, reviewer_us, reviewer_cn
):
    report = run(
        simple_csv("transformer,变换器,變換器,A network.,一种网络。,"),
        administrator,
        publish=importer.PublishPlan(reviewers=[reviewer_us, reviewer_cn], reason="First load"),
    )
    assert report.published == 1
    version = Concept.objects.get(uid="transformer").public_version
    assert version.state == VersionState.PUBLISHED
    assert (version.agreement, version.maturity) == ("not_assessed", "not_assessed")


def _without_assessment(data: bytes) -> bytes:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows and {"agreement", "maturity"} <= set(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "agreement": "", "maturity": ""})
    return out.getvalue().encode()


def test_a_full_row_without_assessment_keeps_the_glossarys(published, editor):
    assert (published.agreement, published.maturity) == ("agreed", "established")
    report = run(_without_assessment(export_csv()), editor)
    assert [e.status for e in report.entries] == ["unchanged"]
    assert Concept.objects.get().open_version is None


def test_a_tbx_entry_without_assessment_notes_is_not_yet_assessed(published):
    data = b"".join(formats.stream(formats.EXPORTS["tbx"], snapshot.prepare())).decode()
    assert "agreement: agreed" in data
    for note in ("agreement: agreed", "maturity: established"):
        data = data.replace(f"<note>{note}</note>", "")
    assert "agreement:" not in data
    (entry,) = list(formats.read(data.encode()).entries)
    assert (entry.record.agreement, entry.record.maturity) == ("not_assessed", "not_assessed")
