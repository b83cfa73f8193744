"""Files for translators' tools, each read the way the tool reads it.

OmegaT's own glossary readers (Debian's OmegaT 3.6, run through a one-file Java program in a
project of each target language), translate-toolkit's TMX store, the ``deepl`` package's glossary
validation, an XLSX read cell by cell as memoQ, Phrase and Smartcat map columns, and the TBX
file's own ``<?xml-model?>`` lines resolved to local copies of the schemas they name.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree, isoschematron
from openpyxl import load_workbook

from glossary.core.choices import Language, VersionState
from glossary.core.models import Term
from glossary.exchange import formats, tbx
from glossary.exchange import published as snapshot
from glossary.exchange.tbx.categories import BASIC_SCH_URL, CORE_RNG_URL
from tests.exchange.glossaries import rich_glossary
from tests.exchange.test_exchange_tbx import DAY, validate

pytestmark = pytest.mark.django_db

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
PROBE = Path(__file__).resolve().parent / "omegat" / "GlossaryProbe.java"
SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "tbx-schemas"
#: Where the schemas the TBX file names are kept here (the test resolves its URLs to these).
LOCAL_SCHEMAS = {
    CORE_RNG_URL: SCHEMAS / "iso-tr-24633-2" / "core_schema.rng",
    BASIC_SCH_URL: SCHEMAS / "tbx-basic-v4" / "basic_schema.sch",
}
#: TerminOrgs' archive, where the Schematron line's ``jar:`` URL points.
V4_ZIP_URL = "https://www.terminorgs.net/downloads/TBX-Basic-V4-files.zip"
#: A copy of that archive, when one is kept beside the other schemas: its own listing is used.
V4_ZIP = SCHEMAS / "TBX-Basic-V4-files.zip"
#: The archive's files, as its copy in the mirror ../shared/tbx-schemas/README.md names holds
#: them: the Schematron at the top, beside the samples, whose own xml-model lines name it
#: "basic_schema.sch" (a sibling).
V4_ZIP_FILES = (
    "basic_schema.sch",
    "TBX-Basic-sample-valid.tbx",
    "TBX-Basic-sample-POS-wrong-level.tbx",
    "TBX-Basic-sample-bad-termtype.tbx",
    "TBX-Basic-sample-badPOS.tbx",
    "TBX-Basic-sample-crossRef-language-level.tbx",
    "TBX-Basic-sample-def-termlevel.tbx",
    "TBX-Basic-sample-responsibility-not-nested.tbx",
    "TBX-Basic-sample-termtype-language-level.tbx",
    "TBX-Basic-sample-wrong-order-termsec.tbx",
)


def v4_archive() -> zipfile.ZipFile:
    """The TBX-Basic V4 archive: the kept copy, or one laid out as ``V4_ZIP_FILES`` says with
    the Schematron's local copy in it (the samples are not needed here, so they are empty)."""
    if V4_ZIP.is_file():
        return zipfile.ZipFile(V4_ZIP)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in V4_ZIP_FILES:
            archive.writestr(
                name,
                LOCAL_SCHEMAS[BASIC_SCH_URL].read_bytes() if name == "basic_schema.sch" else "",
            )
    return zipfile.ZipFile(buffer)


def resolve(href: str) -> etree._ElementTree:
    """The schema an xml-model line names, as a Java XML editor resolves its URL: a ``jar:``
    URL is the file at the path after ``!/`` inside the archive before it."""
    if href.startswith("jar:"):
        archive_url, separator, inside = href.removeprefix("jar:").partition("!/")
        assert separator, f"a jar: URL without !/: {href}"
        assert archive_url == V4_ZIP_URL, f"the file names an archive we do not know: {href}"
        names = v4_archive().namelist()
        assert inside in names, f"{inside} is not in the archive, which holds {names}"
        return etree.parse(io.BytesIO(v4_archive().read(inside)), SAFE)
    local = LOCAL_SCHEMAS.get(href)
    assert local is not None, f"the file names a schema we do not know: {href}"
    return etree.parse(str(local), SAFE)


SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def export_bytes(name: str, **options) -> bytes:
    export = snapshot.prepare(date=DAY, **options)
    return b"".join(formats.stream(formats.EXPORTS[name], export))


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    return rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)


def published_terms(language: str) -> set[str]:
    return set(
        Term.objects.filter(
            language=language,
            version__state__in=(VersionState.PUBLISHED, VersionState.RETIRED),
        ).values_list("text", flat=True)
    )


# --- one Chinese variant, the codes a tool expects ---------------------------------------------


def test_a_tbx_of_one_variant_holds_no_language_section_of_the_other(glossary, tmp_path):
    for chinese, left_out in (("zh-Hans", "zh-Hant"), ("zh-Hant", "zh-Hans")):
        data = export_bytes("tbx", chinese=chinese)
        root = etree.fromstring(data)
        languages = {lang.get(tbx.XML_LANG) for lang in root.iterfind(".//{*}langSec")}
        assert languages == {"en", chinese}
        # (A citation keeps the language its quote is in: it is a source's wording, not a term.)
        assert f'xml:lang="{left_out}"' not in data.decode()
        assert f"Chinese {chinese} only" in root.findtext(".//{*}sourceDesc/{*}p")
        validate(tmp_path, data)


def test_codes_write_the_tags_a_tool_expects(glossary, tmp_path):
    both = etree.fromstring(export_bytes("tbx", codes="cn-tw"))
    assert {e.get(tbx.XML_LANG) for e in both.iterfind(".//{*}langSec")} == {"en", "zh-CN", "zh-TW"}
    hk = etree.fromstring(export_bytes("tbx2008", chinese="zh-Hant", codes="cn-hk"))
    assert {e.get(tbx.XML_LANG) for e in hk.iterfind(".//langSet")} == {"en", "zh-HK"}
    plain = export_bytes("tbx", chinese="zh-Hans", codes="zh")
    assert {e.get(tbx.XML_LANG) for e in etree.fromstring(plain).iterfind(".//{*}langSec")} == {
        "en",
        "zh",
    }
    validate(tmp_path, plain)
    with pytest.raises(snapshot.ExportError) as refused:
        snapshot.prepare(date=DAY, codes="zh")
    assert refused.value.code == "ambiguous_codes"


def test_a_restricted_csv_leaves_the_other_variant_empty(glossary):
    rows = list(csv.DictReader(io.StringIO(export_bytes("csv", chinese="zh-Hant").decode())))
    generative = next(row for row in rows if row["id"] == "generative-ai")
    assert generative["zh_hans_preferred"] == "" and generative["definition_zh_hans"] == ""
    assert generative["zh_hant_preferred"] == "生成式人工智慧"


def test_the_command_and_the_api_take_the_same_options(glossary, tmp_path, client):
    target = tmp_path / "out"
    target.mkdir()
    call_command("export_glossary", "--format", "omegat", "--chinese", "zh-Hant", "-o", str(target))
    [written] = list(target.iterdir())
    assert written.name.endswith(".zh-Hant.omegat.utf8")
    with pytest.raises(CommandError):
        call_command("export_glossary", "--format", "tbx", "--codes", "zh", "-o", str(target))
    response = client.get("/api/v1/export/tbx/", {"chinese": "zh-Hans", "codes": "cn-tw"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert b'xml:lang="zh-CN"' in data and b'xml:lang="zh-TW"' not in data
    assert ".zh-Hans.tbx" in response["Content-Disposition"]
    refused = client.get("/api/v1/export/tbx/", {"codes": "zh"})
    assert refused.status_code == 400 and "codes" in refused.json()["errors"]
    assert client.get("/api/v1/export/tbx/", {"chinese": "zh"}).status_code == 400


def test_the_schema_documents_the_options(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/export/{fmt}/"]["get"]["parameters"]
    }
    assert parameters["chinese"]["schema"]["enum"] == ["both", "zh-Hans", "zh-Hant"]
    assert parameters["codes"]["schema"]["enum"] == ["script", "cn-tw", "cn-hk", "zh"]
    assert parameters["unreviewed"]["schema"]["type"] == "boolean"
    assert {"omegat", "tmx", "xlsx-terms"} <= set(parameters["fmt"]["schema"]["enum"])


# --- OmegaT -----------------------------------------------------------------------------------


def omegat_offers(tmp_path: Path, *pairs: tuple[str, bytes, str]) -> list[list[tuple]]:
    """What OmegaT's readers offer for each (project target language, file, file name)."""
    if not OMEGAT_JAR.is_file() or shutil.which("java") is None:
        pytest.fail("This test needs Debian's omegat and a JDK (scripts/install-omegat.sh).")
    project = tmp_path / "project"
    project.mkdir()
    arguments = []
    for index, (language, data, name) in enumerate(pairs):
        path = tmp_path / f"{index}-{name}"
        path.write_bytes(data)
        arguments += [language, str(path)]
    result = subprocess.run(
        ["java", "-cp", str(OMEGAT_JAR), str(PROBE), str(project), *arguments],
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    found: list[list[tuple]] = [[] for _ in pairs]
    for line in result.stdout.decode().splitlines():
        number, source, target, comment = line.split("\t")
        found[int(number) - 1].append((source, target, comment))
    return found


def test_omegat_sees_only_the_project_variant(glossary, tmp_path):
    simplified = published_terms(Language.ZH_HANS)
    traditional_only = published_terms(Language.ZH_HANT) - simplified
    traditional = published_terms(Language.ZH_HANT)
    simplified_only = simplified - traditional
    assert traditional_only and simplified_only
    offers = omegat_offers(
        tmp_path,
        ("zh-CN", export_bytes("omegat", chinese="zh-Hans"), "glossary.utf8"),
        ("zh-TW", export_bytes("omegat", chinese="zh-Hant"), "glossary.utf8"),
        ("zh-CN", export_bytes("tbx2008", chinese="zh-Hans", codes="cn-tw"), "glossary.tbx"),
        ("zh-TW", export_bytes("tbx2008", chinese="zh-Hant", codes="cn-tw"), "glossary.tbx"),
        # Both variants in one file: what OmegaT got wrong, shown so that this test can fail.
        ("zh-CN", export_bytes("tbx2008"), "glossary.tbx"),
    )
    tsv_cn, tsv_tw, tbx_cn, tbx_tw, mixed = offers
    for offered in (tsv_cn, tbx_cn):
        targets = {target for _source, target, _comment in offered}
        assert targets and targets <= simplified and not targets & traditional_only
    for offered in (tsv_tw, tbx_tw):
        targets = {target for _source, target, _comment in offered}
        assert targets and targets <= traditional and not targets & simplified_only
    assert {target for _s, target, _c in mixed} & traditional_only
    # The OmegaT file names each pair's status and the term to use instead.
    assert ("generative AI", "生成式人工智能", "zh-Hans preferred; id generative-ai") in tsv_cn
    comments = {source: comment for source, _target, comment in tsv_cn}
    assert comments["=generative(AI)"].startswith("en deprecated: use instead generative AI")
    assert comments["creative AI"].startswith("en superseded: use instead generative AI")
    assert ("GenAI", "生成式人工智能") in {(s, t) for s, t, _c in tsv_cn}
    # A machine conversion nobody reviewed says so.
    assert any("unreviewed machine conversion" in c for _s, t, c in tsv_tw if t == "生成式人工智慧")
    assert "expert system shell" not in {s for s, _t, _c in tsv_cn}  # retired


# --- TMX, DeepL, XLSX for memoQ / Phrase / Smartcat -------------------------------------------


def test_translate_toolkit_reads_the_tmx_term_pairs(glossary):
    from translate.storage.tmx import tmxfile

    store = tmxfile(io.BytesIO(export_bytes("tmx")), sourcelanguage="en", targetlanguage="zh-CN")
    pairs = {(unit.source, unit.target) for unit in store.units}
    assert ("generative AI", "生成式人工智能") in pairs
    assert ("GenAI", "生成式人工智能") in pairs
    assert not any(source in {"creative AI", "=generative(AI)"} for source, _t in pairs)
    traditional = tmxfile(
        io.BytesIO(export_bytes("tmx", chinese="zh-Hant")),
        sourcelanguage="en",
        targetlanguage="zh-TW",
    )
    assert ("artificial intelligence", "人工智慧") in {
        (u.source, u.target) for u in traditional.units
    }
    assert b"zh-CN" not in export_bytes("tmx", chinese="zh-Hant")


def test_a_deepl_glossary_for_traditional_chinese_passes_deepls_checks(glossary):
    import deepl
    from deepl.util import convert_dict_to_tsv, convert_tsv_to_dict

    reviewed = export_bytes("deepl", chinese="zh-Hant").decode()
    entries = convert_tsv_to_dict(reviewed)
    assert entries["artificial intelligence"] == "人工智慧"
    # 生成式人工智慧 is an unreviewed conversion: left out unless asked for.
    assert "generative AI" not in entries
    asked = convert_tsv_to_dict(export_bytes("deepl", chinese="zh-Hant", unreviewed=True).decode())
    assert asked["generative AI"] == "生成式人工智慧"
    assert convert_dict_to_tsv(asked)  # every entry passes DeepL's term validation
    assert deepl.Language.CHINESE_TRADITIONAL == "zh-Hant"
    rows = list(csv.reader(io.StringIO(export_bytes("deepl-csv", chinese="zh-Hant").decode())))
    assert ["artificial intelligence", "人工智慧", "EN", "ZH"] in rows


def test_mt_glossaries_leave_out_unreviewed_traditional_terms(glossary):
    google = list(csv.reader(io.StringIO(export_bytes("google").decode())))
    row = next(r for r in google if r[0] == "generative AI")
    assert row[2] == ""  # 生成式人工智慧 is unreviewed
    amazon = list(csv.reader(io.StringIO(export_bytes("amazon", chinese="zh-Hant").decode())))
    assert amazon[0] == ["en", "zh-TW"]
    assert "generative AI" not in {r[0] for r in amazon}
    hk = list(csv.reader(io.StringIO(export_bytes("google", codes="cn-hk").decode())))
    assert hk[0] == ["en", "zh-CN", "zh-HK", "description"]


def test_the_terms_workbook_has_one_term_per_cell(glossary):
    book = load_workbook(io.BytesIO(export_bytes("xlsx-terms")), read_only=True)
    rows = list(book["Terms"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header == [
        "Entry_ID",
        "Entry_Subject",
        "en",
        "en_Status",
        "en_Note",
        "zh-CN",
        "zh-CN_Status",
        "zh-CN_Note",
        "zh-TW",
        "zh-TW_Status",
        "zh-TW_Note",
    ]
    # As a CAT tool reads it: the rows of one Entry_ID are one concept; a language column holds
    # one term per cell, its status beside it.
    concepts: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=True))
        entry = concepts.setdefault(cells["Entry_ID"], {})
        for code in ("en", "zh-CN", "zh-TW"):
            if cells[code]:
                assert "|" not in cells[code] and "\n" not in cells[code]
                entry.setdefault(code, []).append((cells[code], cells[f"{code}_Status"]))
    generative = concepts["generative-ai"]
    assert generative["en"][0] == ("generative AI", "preferred")
    assert ("=generative(AI)", "forbidden") in generative["en"]
    assert ("creative AI", "forbidden") in generative["en"]
    assert generative["zh-CN"] == [("生成式人工智能", "preferred"), ("+生成式AI", "admitted")]
    assert "old-term" not in concepts  # retired
    # Every cell is text, so a term starting with "=" is never a formula.
    raw = load_workbook(io.BytesIO(export_bytes("xlsx-terms")))["Terms"]
    assert all(cell.data_type == "s" for row in raw.iter_rows() for cell in row if cell.value)
    single = load_workbook(io.BytesIO(export_bytes("xlsx-terms", chinese="zh-Hans", codes="zh")))
    assert [c.value for c in next(single["Terms"].iter_rows())][2:] == [
        "en",
        "en_Status",
        "en_Note",
        "zh",
        "zh_Status",
        "zh_Note",
    ]


# --- the TBX file's own schema references -----------------------------------------------------


def test_the_schematron_line_names_a_file_of_the_archive():
    assert f"jar:{V4_ZIP_URL}!/basic_schema.sch" == BASIC_SCH_URL
    resolve(BASIC_SCH_URL)
    # A path the archive does not hold is refused, as an editor would fail to open it.
    for wrong in ("TBX-Basic-V4-files/basic_schema.sch", "schemas/basic_schema.sch"):
        with pytest.raises(AssertionError, match="is not in the archive"):
            resolve(f"jar:{V4_ZIP_URL}!/{wrong}")


def test_the_tbx_validates_by_its_own_xml_model_lines(glossary):
    data = export_bytes("tbx")
    document = etree.parse(io.BytesIO(data), SAFE)
    lines = [
        dict(re.findall(r'(\w+)="([^"]*)"', node.text))
        for node in document.xpath("/processing-instruction('xml-model')")
    ]
    assert {line["schematypens"] for line in lines} == {
        "http://relaxng.org/ns/structure/1.0",
        "http://purl.oclc.org/dsdl/schematron",
    }
    for local in LOCAL_SCHEMAS.values():
        if not local.is_file():
            pytest.fail(f"This test needs {local} (../shared/tbx-schemas); it is missing.")
    for line in lines:
        schema = resolve(line["href"])
        if line["schematypens"].startswith("http://relaxng.org"):
            validator = etree.RelaxNG(schema)
            assert validator.validate(document), validator.error_log
        else:
            # The V4 rules use XPath 1.0 only; lxml runs them once the binding says so.
            schema.getroot().set("queryBinding", "xslt")
            schematron = isoschematron.Schematron(
                schema, error_finder=isoschematron.Schematron.ASSERTS_AND_REPORTS
            )
            assert schematron.validate(document), schematron.error_log
