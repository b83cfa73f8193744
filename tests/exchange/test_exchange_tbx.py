"""TBX exports: valid against the published schemas, readable by translate-toolkit, lossless.

Validation runs ../shared/tools/tbx-validate (the TBX-Basic V4 Schematron, the ISO/TR 24633-2
RELAX NG and XSD, and the TBX-Basic 2008 RELAX NG). These tests need that tool and its schemas
and fail, saying so, when they are missing.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from lxml import etree

from glossary.core import services
from glossary.core.choices import RelationKind
from glossary.core.guards import ImmutableError
from glossary.core.models import Authority, Concept, ConceptVersion, Source, TbxEntry
from glossary.core.services import RelationData
from glossary.exchange import csv as csv_format
from glossary.exchange import formats, importer, seed, tbx
from glossary.exchange import published as snapshot
from tests import factories
from tests.exchange.glossaries import rich_glossary, simple_data

pytestmark = pytest.mark.django_db

VALIDATOR = Path(__file__).resolve().parents[3] / "shared" / "tools" / "tbx-validate"
NS = {"t": tbx.NS}
DAY = dt.date(2025, 3, 1)


def export_bytes(name: str, **options) -> bytes:
    history = options.pop("history", True)
    export = snapshot.prepare(date=DAY, **options)
    export.history = history
    return b"".join(formats.stream(formats.EXPORTS[name], export))


def validate(tmp_path: Path, data: bytes, name: str = "out.tbx") -> str:
    if not VALIDATOR.is_file():
        pytest.fail(f"This test needs {VALIDATOR} (and ../shared/tbx-schemas); it is missing.")
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, str(VALIDATOR), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    return rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)


def test_tbx_is_valid_tbx_basic(glossary, tmp_path):
    out = validate(tmp_path, export_bytes("tbx"))
    assert "TBX v3 (TBX-Basic V4): valid" in out


def test_tbx2008_is_valid_martif(glossary, tmp_path):
    out = validate(tmp_path, export_bytes("tbx2008"), "out.martif.tbx")
    assert "TBX 2008 (martif): valid" in out


def test_translate_toolkit_sees_every_concept_in_english_and_chinese(glossary):
    from translate.storage.tbx import tbxfile

    store = tbxfile(io.BytesIO(export_bytes("tbx2008")), sourcelanguage="en")
    found = {}
    for unit in store.units:
        found[unit.getid()] = {
            "en": [t.text for t in unit.get_source_terms()],
            "zh-Hans": [t.text for t in unit.get_target_terms("zh-Hans")],
            "zh-Hant": [t.text for t in unit.get_target_terms("zh-Hant")],
        }
    assert sorted(found) == [
        "_3d-generation",
        "artificial-intelligence",
        "generative-ai",
        "old-term",
    ]
    assert found["generative-ai"] == {
        "en": ["generative AI", "GenAI", "=generative(AI)", "creative AI"],
        "zh-Hans": ["生成式人工智能", "+生成式AI"],
        "zh-Hant": ["生成式人工智慧", "生成式人工智能"],
    }
    assert found["artificial-intelligence"] == {
        "en": ["artificial intelligence"],
        "zh-Hans": ["人工智能"],
        "zh-Hant": ["人工智慧"],
    }


def test_the_file_states_what_it_was_made_from(glossary):
    root = etree.fromstring(export_bytes("tbx"))
    described = root.findtext("t:tbxHeader/t:fileDesc/t:sourceDesc/t:p", namespaces=NS)
    assert "the published concepts (no release)" in described and "2025-03-01" in described
    services.release_cut(name="2025.1", user=None)
    root = etree.fromstring(export_bytes("tbx", release="2025.1"))
    described = root.findtext("t:tbxHeader/t:fileDesc/t:sourceDesc/t:p", namespaces=NS)
    assert "release 2025.1" in described


def test_data_categories_use_the_tbx_basic_picklists(glossary):
    root = etree.fromstring(export_bytes("tbx"))
    entry = root.find(".//t:conceptEntry[@id='generative-ai']", NS)
    terms = {
        term.findtext("t:term", namespaces=NS): {
            note.get("type"): note.text for note in term.findall("t:termNote", NS)
        }
        for term in entry.iterfind(".//t:termSec", NS)
    }
    assert terms["generative AI"] == {
        "termType": "fullForm",
        "partOfSpeech": "noun",
        "usageStatus": "preferred",
        "geographicalUsage": "US",
    }
    assert terms["creative AI"]["usageStatus"] == "deprecated"  # superseded, plus a note
    refs = [(r.get("target"), r.text) for r in entry.findall("t:ref", NS)]
    assert refs == [
        ("artificial-intelligence", "broader: artificial-intelligence"),
        ("_3d-generation", "related: 3d-generation"),
    ]
    subjects = [(d.get("target"), d.text) for d in entry.findall("t:descrip", NS)]
    assert subjects == [("dom.generative-ai", "Generative AI"), ("dom.governance", "AI governance")]
    history = root.findall(".//t:conceptEntry[@id='artificial-intelligence']/t:transacGrp", NS)
    assert [g.findtext("t:transac", namespaces=NS) for g in history] == [
        "creation",
        "modification",
    ]
    assert history[0].findtext("t:transacNote", namespaces=NS) == "editor"
    back = root.find(".//t:back", NS)
    source = back.find("t:refObjectSec[@type='sources']/t:refObject[@id='src.eo-14110']", NS)
    assert {i.get("type"): i.text for i in source} == {
        "title": "Executive Order 14110 on Safe, Secure, and Trustworthy AI",
        "publisher": "The White House",
        "jurisdiction": "US",
        "url": "https://example.org/eo-14110",
        "language": "en",
        "date": "2023-10-30",
    }


def test_drafts_are_never_exported(glossary):
    for name in formats.EXPORTS:
        data = export_bytes(name)
        if name != "xlsx":
            assert b"secret draft" not in data and b"draft-only" not in data, name
    # The open draft of 3d-generation is not what is exported: its published version is.
    draft = Concept.objects.get(uid="3d-generation").open_version
    changed = simple_data("3D generation", "三维生成", "三維生成", Source.objects.first())
    changed.texts["definition_en"] = "A draft definition nobody approved."
    services.draft_update(
        version=draft, user=glossary.editor, data=changed, expected_revision=draft.revision
    )
    assert b"nobody approved" not in export_bytes("tbx")


def test_a_release_export_holds_the_versions_of_that_release(glossary):
    services.release_cut(name="2025.1", user=None)
    draft = Concept.objects.get(uid="3d-generation").open_version
    changed = simple_data("3D generation", "三维生成", "三維生成", Source.objects.first())
    changed.texts["definition_en"] = "Making three-dimensional content with a model."
    services.draft_update(
        version=draft, user=glossary.editor, data=changed, expected_revision=draft.revision
    )
    services.version_submit(version=draft, user=glossary.editor)
    for reviewer in glossary.reviewers:
        services.version_approve(version=draft, user=reviewer)
    assert b"three-dimensional" in export_bytes("tbx")
    assert b"three-dimensional" not in export_bytes("tbx", release="2025.1")


def test_every_field_survives_a_tbx_round_trip(editor, administrator, reviewer_us, reviewer_cn):
    """Export, read back, import into an empty glossary: every field of every concept is kept."""
    reviewers = [reviewer_us, reviewer_cn]
    with transaction.atomic():
        rich_glossary(editor, reviewers, administrator)
        before = {r.uid: r for r in snapshot.prepare(date=DAY).records()}
        sources_before = _sources()
        data = export_bytes("tbx")
        data_without_history = export_bytes("tbx", history=False)
        # Roll the glossary back: what follows starts from an empty one (users remain).
        transaction.set_rollback(True)
    assert not Concept.objects.exists() and not Source.objects.exists()
    parsed = tbx.read(data)
    assert [e.errors for e in parsed.entries] == [[], [], [], []]
    assert {e.record.uid: e.record.content_key() for e in parsed.entries} == {
        uid: record.content_key() for uid, record in before.items()
    }
    for entry in parsed.entries:
        assert entry.record.history == before[entry.record.uid].history
    assert parsed.sources == sources_before
    report = importer.import_file(
        parsed, user=administrator, publish=importer.PublishPlan(reviewers=reviewers)
    )
    assert report.committed and not report.has_problems, report.entries
    assert report.published == 4
    after = {r.uid: r for r in snapshot.prepare(date=DAY).records()}
    assert {uid: r.content_key() for uid, r in after.items()} == {
        uid: r.content_key() for uid, r in before.items()
    }
    assert after["old-term"].retirement_reason == "No longer used in either country."
    assert _sources() == sources_before
    assert export_bytes("tbx", history=False) == data_without_history
    # The history too: the importing administrator and today's date appear nowhere.
    assert {uid: r.history for uid, r in after.items()} == {
        uid: r.history for uid, r in before.items()
    }
    assert export_bytes("tbx") == data


def test_a_link_to_an_unpublished_concept_neither_leaks_nor_breaks_the_round_trip(
    editor, administrator, reviewer_us, reviewer_cn
):
    """A published concept links to a draft: the TBX leaves the link out, so the file imports
    cleanly into an empty glossary and is unchanged when imported back into this one."""
    reviewers = [reviewer_us, reviewer_cn]
    with transaction.atomic():
        ai = factories.make_published(editor, reviewers, "artificial-intelligence")
        secret = factories.make_draft(
            editor, "secret-draft", factories.complete_data("hidden wording", "隐藏", "隱藏")
        )
        data = factories.complete_data("frontier AI", "前沿人工智能", "前沿人工智慧")
        data.relations = [
            RelationData(kind=RelationKind.BROADER, target=ai.concept),
            RelationData(kind=RelationKind.RELATED, target=secret.concept),
        ]
        factories.make_published(editor, reviewers, "frontier-ai", data)
        files = {name: export_bytes(name) for name in ("tbx", "tbx2008")}
        for name, content in files.items():
            again = importer.import_file(tbx.read(content), user=administrator, dry_run=True)
            assert [e.status for e in again.entries] == ["unchanged", "unchanged"], name
        transaction.set_rollback(True)
    for name, content in files.items():
        assert b"secret-draft" not in content, name
        parsed = tbx.read(content)
        assert {
            e.record.uid: [(r.kind, r.target) for r in e.record.relations] for e in parsed.entries
        } == {
            "artificial-intelligence": [],
            "frontier-ai": [("broader", "artificial-intelligence")],
        }, name
        with transaction.atomic():
            report = importer.import_file(
                parsed, user=administrator, publish=importer.PublishPlan(reviewers=reviewers)
            )
            assert report.committed and report.published == 2, name
            assert [e.messages for e in report.entries] == [[], []], name
            transaction.set_rollback(True)


def _sources() -> dict:
    return {s.key: s for s in snapshot.sources(Source.objects.values_list("key", flat=True))}


def test_the_seed_glossary_round_trips_byte_for_byte(administrator, reviewer_us, reviewer_cn):
    """Seed → export tbx and csv → import into an empty glossary → export: the same bytes.

    The importing administrator is not the seed's editor and the import happens now: the TBX
    history (who created each concept, and when) comes from the file, not from the import.
    """
    with transaction.atomic():
        report = seed.load()
        assert report.created, "the seed glossary loaded nothing"
        first = {name: export_bytes(name) for name in ("tbx", "csv")}
        count = Concept.objects.count()
        # One history entry a published version: the seed's history gives corrected concepts
        # two (created for 2024.1, modified for 2026.1).
        versions = ConceptVersion.objects.filter(state__in=["published", "superseded"]).count()
        assert versions > count
        # A spreadsheet names an authority by key only, so the receiving glossary has them
        # first, as an administrator adds them in the admin; TBX carries them whole.
        authorities = list(Authority.objects.values())
        assert authorities, "the seed has authorities"
        transaction.set_rollback(True)
    assert not Concept.objects.exists()
    assert administrator.get_full_name() != "Seed editor"
    assert first["tbx"].count(b'<transacNote type="responsibility">Seed editor<') == versions
    for name, reader in (("tbx", tbx.read), ("csv", csv_format.read)):
        with transaction.atomic():
            if name == "csv":
                for values in authorities:
                    services.authority_save(authority=Authority(**values), user=administrator)
            imported = importer.import_file(
                reader(first[name]),
                user=administrator,
                publish=importer.PublishPlan(reviewers=[reviewer_us, reviewer_cn]),
            )
            assert imported.committed, [e for e in imported.entries if e.status != "created"]
            assert imported.published == count
            assert export_bytes(name) == first[name], name
            transaction.set_rollback(True)
    assert first["tbx"].count(b"<conceptEntry") == count


def test_the_seed_glossary_tbx_is_valid(tmp_path):
    seed.load()
    validate(tmp_path, export_bytes("tbx"))
    validate(tmp_path, export_bytes("tbx2008"), "seed.martif.tbx")


def test_entries_carry_the_concept_uid_even_when_it_starts_with_a_digit(glossary):
    root = etree.fromstring(export_bytes("tbx"))
    ids = [e.get("id") for e in root.iterfind(".//t:conceptEntry", NS)]
    assert ids == ["_3d-generation", "artificial-intelligence", "generative-ai", "old-term"]
    parsed = tbx.read(export_bytes("tbx"))
    assert [e.record.uid for e in parsed.entries] == [
        "3d-generation",
        "artificial-intelligence",
        "generative-ai",
        "old-term",
    ]


#: Text a writer must escape, or leave out: markup, quotes, CR and tab, control characters,
#: the end of a CDATA section, characters beyond the BMP and Unicode line separators.
AWKWARD = "a & b < c > d \"q\" 's' ]]> tab\there\r\nCRLF \x01 \x0b \ufffe 😀 \u2028 \x85 end"


def test_escaping_is_what_lxml_writes():
    """Entries are formatted as text: each character comes out as lxml writes it, in element
    text and in attribute values, and the characters XML forbids are left out."""
    for char in [chr(code) for code in range(0x80)] + list("\x85\u2028\ufffe\uffff😀"):
        value = f"a{char}]]>{char}b"
        element = etree.Element("e", attribute=tbx.xml_text(value))
        element.text = tbx.xml_text(value)
        escaped = f'<e attribute="{tbx.escape_attribute(value)}">{tbx.escape_text(value)}</e>'
        assert etree.tostring(element, encoding="unicode") == escaped, repr(char)


def _as_lxml_writes(data: bytes) -> bytes:
    """The same document as lxml serialises it, indented by ``etree.indent``."""
    root = etree.fromstring(data)
    for element in root.iter():
        if len(element) and not (element.text or "").strip():
            element.text = None
        if not (element.tail or "").strip():
            element.tail = None
    etree.indent(root, space="  ")
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8") + b"\n"


def test_the_files_are_what_lxml_writes(glossary):
    """The writer formats text rather than building trees; the files are still byte for byte
    what lxml writes for the same document, awkward characters included."""
    data = factories.complete_data("awkward & <term>", "怪 & 术语", "怪 & 術語")
    version = factories.make_draft(glossary.editor, "0-awkward", data)
    # The services refuse control characters now; rows stored before they did may hold them,
    # and the writer must still write what lxml would. Written into the draft as such rows.
    ConceptVersion.objects.filter(pk=version.pk).update(definition_en=AWKWARD, note_zh_hans=AWKWARD)
    version.terms.filter(position=0).update(context=AWKWARD, note=AWKWARD)
    version.citations.filter(position=0).update(locator=AWKWARD, quote=AWKWARD)
    services.version_submit(version=version, user=glossary.editor)
    for reviewer in glossary.reviewers:
        services.version_approve(version=version, user=reviewer)
    for name in ("tbx", "tbx2008"):
        out = export_bytes(name)
        assert "怪 &amp; 术语" in out.decode() and "\x01" not in out.decode()
        assert out.decode().count("CRLF") >= 6  # each awkward text is in the file
        assert out == _as_lxml_writes(out), name


def test_a_file_read_in_small_batches_is_the_same(glossary, monkeypatch):
    """Versions, their rows and the back matter's sources are read a batch at a time."""
    whole = {name: export_bytes(name) for name in ("tbx", "tbx2008", "csv", "json")}
    monkeypatch.setattr(snapshot, "BATCH_SIZE", 1)
    assert {name: export_bytes(name) for name in whole} == whole


# Stored entries --------------------------------------------------------------------------


def without_stored_entries(**options) -> bytes:
    """The file as it is written from each version's rows, the stored entries set aside."""
    with transaction.atomic():
        TbxEntry.objects.all().delete()
        data = export_bytes("tbx", **options)
        transaction.set_rollback(True)
    return data


@pytest.mark.parametrize(
    "options",
    [{}, {"history": False}, {"release": "2031.1"}, {"domain": "governance"}],
    ids=["published", "no history", "release", "one subject field"],
)
def test_stored_entries_write_the_file_the_rows_would(glossary, options):
    services.release_cut(name="2031.1", user=None)
    assert TbxEntry.objects.count() == ConceptVersion.objects.public_history().count()
    stored = export_bytes("tbx", **options)
    assert stored == without_stored_entries(**options)
    assert b"conceptEntry" in stored


def test_what_changes_without_a_new_version_is_current_in_stored_entries(glossary):
    """Names are read as the file is written; a concept published later is linked to."""
    generative = glossary.versions["generative-ai"]
    source = generative.citations.first().source
    domain = generative.domains.first()
    # The glossary refuses to change a source or domain that published versions cite (see
    # test_reference_data); changed behind its back, in the database, they still show as the
    # file is written.
    with pytest.raises(ImmutableError):
        Source.objects.filter(pk=source.pk).update(title="A title & a new name")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE glossary_source SET title = %s WHERE id = %s",
            ["A title & a new name", source.pk],
        )
        cursor.execute(
            "UPDATE glossary_domain SET name_en = %s WHERE id = %s", ["Renamed <field>", domain.pk]
        )
    data = simple_data("frontier AI", "前沿人工智能", "前沿人工智慧", source)
    data.relations = [RelationData(kind=RelationKind.BROADER, target=generative.concept)]
    frontier = factories.make_draft(glossary.editor, "frontier-ai", data)
    data = simple_data("model card", "模型卡", "模型卡", source)
    data.relations = [RelationData(kind=RelationKind.RELATED, target=frontier.concept)]
    factories.make_published(glossary.editor, glossary.reviewers, "model-card", data)
    before = export_bytes("tbx").decode()
    assert "A title &amp; a new name" in before and "Renamed &lt;field&gt;" in before
    assert "frontier-ai" not in before, "a link to a draft is left out"
    services.version_submit(version=frontier, user=glossary.editor)
    for reviewer in glossary.reviewers:
        services.version_approve(version=frontier, user=reviewer)
    after = export_bytes("tbx")
    assert 'target="frontier-ai">related: frontier-ai</ref>' in after.decode()
    assert after == without_stored_entries()


def test_a_tbx_export_reads_a_fixed_number_of_queries_per_batch(
    glossary, django_assert_max_num_queries
):
    export_bytes("tbx")
    source = Source.objects.get(key="eo-14110")
    for number in range(12):
        factories.make_published(
            glossary.editor,
            glossary.reviewers,
            f"concept-{number}",
            simple_data(f"term {number}", f"术语{number}", f"術語{number}", source),
        )
    # Meta, domains, ids, entries, relations, source titles, cited sources, subject fields.
    with django_assert_max_num_queries(10):
        export_bytes("tbx")


def test_rebuild_derived_stores_what_publishing_stores(glossary):
    stored = dict(TbxEntry.objects.values_list("version_id", "parts"))
    assert len(stored) == 6  # four concepts; two of them have a superseded version too
    TbxEntry.objects.all().delete()
    call_command("rebuild_derived", "--only", "tbx", stdout=io.StringIO())
    assert dict(TbxEntry.objects.values_list("version_id", "parts")) == stored


def test_reading_a_tbx_from_another_tool(db):
    """A plain TBX-Basic file: no ids of ours, statuses as administrativeStatus, sources as text."""
    data = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en-US"><martifHeader><fileDesc><sourceDesc><p>x</p>
</sourceDesc></fileDesc></martifHeader><text><body>
<termEntry id="c1"><descrip type="subjectField">Machine learning</descrip>
<langSet xml:lang="en-US"><descrip type="definition">A model learns from data.</descrip>
<tig><term>machine learning</term><termNote type="partOfSpeech">properNoun</termNote></tig>
<tig><term>ML</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
<termNote type="termType">acronym</termNote></tig></langSet>
<langSet xml:lang="zh-CN"><tig><term>机器学习</term>
<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
<admin type="source">全国科学技术名词审定委员会</admin></tig></langSet>
<langSet xml:lang="fr"><tig><term>apprentissage automatique</term></tig></langSet>
</termEntry></body></text></martif>""".encode()
    parsed = tbx.read(data)
    (entry,) = parsed.entries
    record = entry.record
    assert entry.errors == []
    assert not entry.has_uid and record.uid == ""
    assert [
        (t.language, t.text, t.status, t.term_type, t.part_of_speech) for t in record.terms
    ] == [
        ("en", "machine learning", "preferred", "fullForm", "noun"),
        ("en", "ML", "admitted", "acronym", "noun"),
        ("zh-Hans", "机器学习", "preferred", "fullForm", "noun"),
    ]
    assert record.domains == ["machine-learning"]
    assert record.terms[2].source and parsed.sources[record.terms[2].source].title == (
        "全国科学技术名词审定委员会"
    )
    assert any("fr" in w for w in entry.warnings)
    assert any("machine learning is taken as preferred" in w for w in entry.warnings)


def test_the_exported_date_is_the_release_date_by_default(glossary):
    release = services.release_cut(name="2025.1", user=None)
    meta, _release = snapshot.make_meta(release="2025.1")
    assert meta.date == timezone.localtime(release.created_at).date()


def test_an_empty_glossary_exports_a_valid_tbx(tmp_path):
    data = export_bytes("tbx")
    assert b"<conceptEntry" not in data
    validate(tmp_path, data)
    assert tbx.read(data).warnings == ["The file holds no concept entries."]


FILE_HISTORY = {
    "generative-ai": [
        ("creation", "2019-05-02", "Ada Lovelace"),
        ("modification", "2021-01-03T10:15:00+08:00", "Grace Hopper"),
        ("modification", "2022-07-09", "林徽因"),
    ],
    "old-term": [
        ("creation", "2018-01-01", "Alan Turing"),
        ("modification", "2020-02-02", "Grace Hopper"),
    ],
}


def _with_history(data: bytes, history: dict[str, list[tuple[str, str, str]]]) -> bytes:
    """The same TBX with each concept's transactions replaced by ``history``."""
    root = etree.fromstring(data)
    for entry in root.iter(f"{{{tbx.NS}}}conceptEntry"):
        for group in entry.findall("t:transacGrp", NS):
            entry.remove(group)
        anchor = entry.find("t:langSec", NS)
        for action, date, who in history[tbx.uid_from_id(entry.get("id"))]:
            group = etree.Element(f"{{{tbx.NS}}}transacGrp")
            for tag, text, kind in (
                ("transac", action, "transactionType"),
                ("date", date, None),
                ("transacNote", who, "responsibility"),
            ):
                child = etree.SubElement(group, f"{{{tbx.NS}}}{tag}")
                child.text = text
                if kind:
                    child.set("type", kind)
            anchor.addprevious(group)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _histories(data: bytes) -> dict[str, list[tuple[str, str, str]]]:
    return {
        entry.record.uid: [(h.action, h.date, h.responsibility) for h in entry.record.history]
        for entry in tbx.read(data).entries
    }


def test_the_history_in_a_file_comes_back_out_unchanged(
    editor, administrator, reviewer_us, reviewer_cn
):
    """Dates (a date-time too, as written) and names of a file's transactions survive an import
    that creates the concepts, a retirement included; a later version adds our own entry."""
    reviewers = [reviewer_us, reviewer_cn]
    with transaction.atomic():
        factories.make_published(editor, reviewers)
        old = factories.make_published(
            editor, reviewers, "old-term", factories.complete_data("old term", "旧术语", "舊術語")
        )
        proposal = services.concept_retire(
            concept=old.concept, user=administrator, reason="Unused."
        )
        for reviewer in reviewers:
            services.version_approve(version=proposal, user=reviewer)
        data = _with_history(export_bytes("tbx"), FILE_HISTORY)
        transaction.set_rollback(True)
    assert _histories(data) == FILE_HISTORY
    for name in ("tbx", "tbx2008"):
        with transaction.atomic():
            report = importer.import_file(
                tbx.read(data), user=administrator, publish=importer.PublishPlan(reviewers)
            )
            assert report.committed and report.published == 2, report.entries
            out = export_bytes(name)
            assert _histories(out) == FILE_HISTORY, name
            transaction.set_rollback(True)

    with transaction.atomic():
        importer.import_file(
            tbx.read(data), user=administrator, publish=importer.PublishPlan(reviewers)
        )
        concept = Concept.objects.get(uid="generative-ai")
        first = concept.public_version
        assert [h["responsibility"] for h in first.imported_history] == [
            "Ada Lovelace",
            "Grace Hopper",
            "林徽因",
        ]
        # A new draft is our own version: it does not copy the file's history.
        draft = services.draft_start(concept=concept, user=editor)
        assert draft.imported_history == []
        draft = factories.edit_draft(draft, editor)
        services.version_submit(version=draft, user=editor)
        for reviewer in reviewers:
            services.version_approve(version=draft, user=reviewer)
        today = timezone.localdate().isoformat()
        assert _histories(export_bytes("tbx"))["generative-ai"] == [
            *FILE_HISTORY["generative-ai"],
            ("modification", today, editor.get_full_name() or editor.username),
        ]
        transaction.set_rollback(True)


def test_an_update_keeps_our_history_not_the_files(editor, administrator, reviewer_us, reviewer_cn):
    """A concept we already have is updated with a new version of our own: the history a file
    gives it is not taken (it would rewrite who created our concept)."""
    reviewers = [reviewer_us, reviewer_cn]
    published = factories.make_published(editor, reviewers)
    ours = _histories(export_bytes("tbx"))["generative-ai"]
    data = _with_history(export_bytes("tbx"), {"generative-ai": FILE_HISTORY["generative-ai"]})
    data = data.replace(b"generative AI", b"generative artificial intelligence")
    report = importer.import_file(tbx.read(data), user=administrator)
    assert [e.status for e in report.entries] == ["updated"]
    draft = Concept.objects.get(pk=published.concept_id).open_version
    assert draft.imported_history == [] and published.imported_history == []
    assert _histories(export_bytes("tbx"))["generative-ai"] == ours
