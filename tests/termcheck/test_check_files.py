"""Reading translators' bilingual files and checking them segment by segment (no database).

The files are written by tools we did not write: translate-toolkit's po2xliff and TMX writer,
polib, openpyxl, and XLIFF 1.2 and 2.0 documents written by hand after the OASIS specifications
and the inline codes Okapi Rainbow writes (tests/data/check/files).
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import polib
import pytest
from django.test import override_settings
from openpyxl import Workbook, load_workbook
from translate.convert import po2xliff
from translate.storage import tmx

from glossary.termcheck.engine import GlossaryConcept, GlossaryTerm, TermChecker, extract
from glossary.termcheck.files import (
    FileRefused,
    check_file,
    filename,
    read_file,
    render,
)

CHECKER = TermChecker(
    [
        GlossaryConcept(
            "neural-network",
            (
                GlossaryTerm("neural network", "en"),
                GlossaryTerm("神经网络", "zh-Hans"),
                GlossaryTerm("神經網路", "zh-Hant"),
                GlossaryTerm("神经元网络", "zh-Hans", "deprecated"),
            ),
        ),
        GlossaryConcept(
            "generative-ai",
            (GlossaryTerm("generative AI", "en"), GlossaryTerm("生成式人工智能", "zh-Hans")),
        ),
    ]
)

#: (source, target): a clean segment, a deprecated term, a missing term, an untranslated one.
PAIRS = [
    ("Neural networks learn.", "神经网络会学习。"),
    ("A neural network is a model.", "神经元网络是一种模型。"),
    ("Generative AI writes text.", "它能写文字。"),
    ("Untranslated neural network.", ""),
]


def po_file() -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Language": "zh_CN", "Content-Type": "text/plain; charset=UTF-8"}
    for source, target in PAIRS:
        po.append(polib.POEntry(msgid=source, msgstr=target))
    return po


def po_bytes() -> bytes:
    return str(po_file()).encode("utf-8")


def xliff12_bytes() -> bytes:
    """The PO file converted by translate-toolkit's po2xliff."""
    source, output = io.BytesIO(po_bytes()), io.BytesIO()
    po2xliff.convertpo(source, output, None)
    return output.getvalue()


def tmx_bytes(target_language: str = "zh-CN") -> bytes:
    store = tmx.tmxfile(sourcelanguage="en", targetlanguage=target_language)
    for source, target in PAIRS:
        unit = store.addsourceunit(source)
        if target:
            unit.target = target
    return bytes(store)


XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en-US" trgLang="zh-CN">
 <file id="f1">
  <unit id="u1"><segment><source>Neural networks learn.</source><target>神经网络会学习。</target></segment></unit>
  <unit id="u2"><segment><source>A <pc id="1">neural network</pc> is a model.<ph id="2"/></source>
   <target><pc id="1">神经元网络</pc>是一种模型。<ph id="2"/></target></segment></unit>
  <unit id="u3"><segment><source>Generative AI writes text.</source><target>它能写文字。</target></segment></unit>
  <unit id="u4"><segment><source>Untranslated neural network.</source></segment></unit>
 </file>
</xliff>
""".encode()


def csv_bytes(header: tuple[str, ...] = ("source", "target")) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(header)
    writer.writerows(PAIRS)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(header: tuple[str, ...] = ("English", "Chinese (Simplified)")) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if header:
        sheet.append(list(header))
    for source, target in PAIRS:
        sheet.append([source, target or None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(data: bytes, name: str, **languages):
    return check_file(CHECKER, read_file(data, name, **languages), name=name)


def expect_the_four_pairs(report) -> None:
    assert report.source_language == "en"
    assert report.target_language == "zh-Hans"
    assert report.totals() == {
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
    deprecated, missing = report.flagged
    assert deprecated.source == "A neural network is a model."
    assert [(p.concept, p.verdict, p.target_terms, p.use) for p in deprecated.problems] == [
        ("neural-network", "deprecated", ("神经元网络",), "神经网络")
    ]
    assert [(p.concept, p.verdict, p.source_terms, p.use) for p in missing.problems] == [
        ("generative-ai", "missing", ("Generative AI",), "生成式人工智能")
    ]
    concepts = {concept.concept: concept for concept in report.concepts}
    assert concepts["neural-network"].segments == 2
    assert concepts["neural-network"].verdicts["preferred"] == 1
    assert concepts["neural-network"].verdicts["deprecated"] == 1
    assert concepts["generative-ai"].problems == 1


def test_po_written_by_polib_takes_its_target_language_from_the_header() -> None:
    report = check(po_bytes(), "guide.po")
    expect_the_four_pairs(report)
    assert report.format == "po"
    assert [segment.segment for segment in report.flagged] == ["2", "3"]


def test_xliff_12_written_by_po2xliff() -> None:
    report = check(xliff12_bytes(), "guide.xlf")
    expect_the_four_pairs(report)
    assert report.format == "xliff"


def test_xliff_20_by_hand_with_inline_codes() -> None:
    report = check(XLIFF2, "guide.xliff")
    expect_the_four_pairs(report)
    assert [segment.segment for segment in report.flagged] == ["u2", "u3"]
    # The paired code's content is checked, the placeholder left out.
    assert report.flagged[0].source == "A neural network is a model."


def test_tmx_written_by_translate_toolkit() -> None:
    expect_the_four_pairs(check(tmx_bytes(), "memory.tmx"))


def test_tmx_with_a_traditional_target() -> None:
    bilingual = read_file(tmx_bytes("zh-TW"), "memory.tmx")
    assert (bilingual.source_language, bilingual.target_language) == ("en", "zh-Hant")


def test_csv_with_a_header_and_without_one() -> None:
    expect_the_four_pairs(check(csv_bytes(), "pairs.csv", target_language="zh-Hans"))
    expect_the_four_pairs(check(csv_bytes(()), "pairs.csv", target_language="zh-Hans"))


def test_csv_header_naming_languages_states_them() -> None:
    expect_the_four_pairs(check(csv_bytes(("en", "zh-CN")), "pairs.csv"))


def test_xlsx_written_by_openpyxl_with_language_names_in_the_header() -> None:
    expect_the_four_pairs(check(xlsx_bytes(), "pairs.xlsx"))
    expect_the_four_pairs(check(xlsx_bytes(()), "pairs.xlsx", target_language="zh-Hans"))


def test_a_language_given_overrides_the_file() -> None:
    bilingual = read_file(po_bytes(), "guide.po", target_language="zh-Hant")
    assert bilingual.target_language == "zh-Hant"


def test_no_target_language_in_file_or_given_is_refused() -> None:
    with pytest.raises(FileRefused) as refused:
        check(csv_bytes(), "pairs.csv")
    assert refused.value.code == "no_target_language"
    assert "target language" in refused.value.message


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"this is < not xml", "broken.xlf", "bad_xml"),
        (b"<?xml version='1.0'?><html><body/></html>", "page.xlf", "wrong_root"),
        (b"<?xml version='1.0'?><xliff version='1.2'><file", "cut.xlf", "bad_xml"),
        (b"<tmx version='1.4'><body/></tmx>", "memory.xlf", "wrong_root"),
        (b"<xliff version='1.2'/>", "memory.tmx", "wrong_root"),
        (b"PK\x03\x04 not really a workbook", "pairs.xlsx", "bad_xlsx"),
        ("source,target\nzwölf,zwölf\n".encode("latin-1"), "pairs.csv", "not_utf8"),
        (b"just one column\n", "pairs.csv", "bad_table"),
        (b"\x00\x01\x02", "mystery.bin", "unknown_format"),
    ],
)
def test_bad_files_are_refused_with_a_code(data: bytes, name: str, code: str) -> None:
    with pytest.raises(FileRefused) as refused:
        read_file(data, name, target_language="zh-Hans")
    assert refused.value.code == code
    assert refused.value.message


def test_entities_are_not_expanded() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="1.2"><file source-language="en" target-language="zh-CN" original="x"
 datatype="plaintext"><body><trans-unit id="1"><source>&secret;</source>
 <target>x</target></trans-unit></body></file></xliff>"""
    try:
        bilingual = read_file(data, "evil.xlf")
    except FileRefused:
        return
    assert all("root:" not in segment.source for segment in bilingual.segments)


def test_a_language_the_glossary_has_not_is_refused() -> None:
    with pytest.raises(FileRefused) as refused:
        read_file(tmx_bytes("de-DE"), "memory.tmx")
    assert refused.value.code == "unsupported_language"


def test_several_target_languages_ask_which() -> None:
    store = tmx.tmxfile(sourcelanguage="en", targetlanguage="zh-CN")
    store.addsourceunit("neural network").target = "神经网络"
    data = bytes(store).replace(b"</tu>", b'<tuv xml:lang="zh-TW"><seg>x</seg></tuv></tu>')
    with pytest.raises(FileRefused) as refused:
        read_file(data, "memory.tmx")
    assert refused.value.code == "ambiguous_target"
    bilingual = read_file(data, "memory.tmx", target_language="zh-Hans")
    assert bilingual.segments[0].target == "神经网络"


@override_settings(GLOSSARY_CHECK_FILE_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused_before_reading() -> None:
    with pytest.raises(FileRefused) as refused:
        read_file(b"x" * 1001, "pairs.csv")
    assert refused.value.code == "too_large"


@override_settings(GLOSSARY_CHECK_FILE_MAX_SEGMENTS=3)
@pytest.mark.parametrize("maker", [po_bytes, xliff12_bytes, tmx_bytes, csv_bytes, xlsx_bytes])
def test_a_file_over_the_segment_limit_is_refused(maker) -> None:
    name = {"po_bytes": "a.po", "xliff12_bytes": "a.xlf", "tmx_bytes": "a.tmx"}.get(
        maker.__name__, "a.xlsx" if maker is xlsx_bytes else "a.csv"
    )
    with pytest.raises(FileRefused) as refused:
        read_file(maker(), name, target_language="zh-Hans")
    assert refused.value.code == "too_many_segments"
    assert "3" in refused.value.message


def test_a_segment_over_the_length_limit_is_refused() -> None:
    data = ("source,target\n" + "a" * 20_001 + ",b\n").encode()
    with pytest.raises(FileRefused) as refused:
        read_file(data, "pairs.csv", target_language="zh-Hans")
    assert refused.value.code == "segment_too_long"


def test_a_segment_in_another_language_is_skipped_and_counted() -> None:
    data = "source,target\n人工智能,神经网络\nneural network,神经网络\n".encode()
    report = check(data, "pairs.csv", source_language="en", target_language="zh-Hans")
    assert (report.checked, report.mismatched) == (1, 1)


def test_csv_report_writes_each_segment_once() -> None:
    source = "Neural networks and generative AI and neural nets."
    data = f"source,target\n{source},他们。\n".encode()
    report = check(data, "pairs.csv", target_language="zh-Hans")
    rows = list(csv.reader(io.StringIO(render(report, "csv").decode("utf-8-sig"))))
    assert rows[0] == [
        "segment",
        "source",
        "target",
        "concept",
        "verdict",
        "source_terms",
        "target_terms",
        "use",
        "authorities",
    ]
    assert [row[1] for row in rows[1:]] == [source, ""]
    assert [(row[3], row[4], row[7]) for row in rows[1:]] == [
        ("neural-network", "missing", "神经网络"),
        ("generative-ai", "missing", "生成式人工智能"),
    ]
    assert filename(report, "csv") == "pairs-terms.csv"
    assert filename(replace(report, name="用户指南 v2.po"), "xlsx") == "_____v2-terms.xlsx"


def test_xlsx_report_keeps_formulas_as_text() -> None:
    data = "source,target\n=neural network,=HYPERLINK(模型)\n".encode()
    report = check(data, "pairs.csv", target_language="zh-Hans")
    book = load_workbook(io.BytesIO(render(report, "xlsx")), read_only=True)
    assert book.sheetnames == ["Problems", "Concepts", "Totals"]
    rows = list(book["Problems"].iter_rows(values_only=True))
    assert rows[1][1:3] == ("=neural network", "=HYPERLINK(模型)")
    totals = list(book["Totals"].iter_rows(values_only=True))
    assert dict(zip(totals[0], totals[1], strict=True))["missing"] == 1
    csv_rows = render(report, "csv").decode("utf-8-sig").splitlines()
    assert csv_rows[1].startswith("2,'=neural network,'=HYPERLINK(模型)")


def test_html_report_is_a_standalone_page_with_escaped_text() -> None:
    data = "source,target\n<b>neural network</b>,<script>模型</script>\n".encode()
    report = check(data, "pairs.csv", target_language="zh-Hans")
    page = render(report, "html").decode()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "神经网络" in page
    assert "(neural-network): No glossary term used" in page
    assert "src=" not in page and "href=" not in page


@pytest.mark.parametrize(
    ("verdict", "words"),
    [
        ("missing", "No glossary term used"),
        ("deprecated", "Deprecated term used"),
        ("superseded", "Superseded term used"),
    ],
)
def test_a_problems_verdict_reads_the_same_on_the_page_and_in_the_report(
    verdict: str, words: str
) -> None:
    # One template for both, which adds no space around the words.
    from django.template.loader import render_to_string

    assert render_to_string("glossary/_check_verdict.html", {"verdict": verdict}) == words


def test_the_report_grows_with_the_file_not_the_product() -> None:
    """A segment with many terms and many segments: output proportional to the input."""
    sentence = "neural network " * 500
    small = "source,target\n" + f"{sentence},x\n" * 10
    large = "source,target\n" + f"{sentence},x\n" * 40
    sizes = []
    for text in (small, large):
        report = check(text.encode(), "pairs.csv", target_language="zh-Hans")
        sizes.append(len(render(report, "csv")))
    assert sizes[1] <= sizes[0] * 4.2
    assert sizes[1] < len(large) * 1.5


FILES = Path(__file__).resolve().parents[1] / "data" / "check" / "files"


def findings(report) -> list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]]:
    return [
        (
            segment.segment,
            problem.concept,
            problem.verdict,
            problem.source_terms,
            problem.target_terms,
        )
        for segment in report.flagged
        for problem in segment.problems
    ]


def test_xliff_12_inline_codes_as_okapi_writes_them() -> None:
    report = check((FILES / "guide-okapi-1.2.xlf").read_bytes(), "guide.xlf")
    assert report.totals()["segments"] == 5
    assert report.totals()["checked"] == 4
    assert report.totals()["untranslated"] == 1
    assert findings(report) == [
        # A term wrapped in <g> in the source, split by <bpt>/<ept> in the target: still found.
        ("guide.html:tu2", "neural-network", "deprecated", ("neural network",), ("神经元网络",)),
        # The native code inside <bpt>/<ept>/<ph> is not text; a line break in it is one space.
        ("guide.html:tu3", "generative-ai", "missing", ("generative AI",), ()),
    ]
    tu2, tu3 = report.flagged
    # The segments as a reader of the document sees them: no code, no "<b>".
    assert (tu2.source, tu2.target) == (
        "A neural network is a model.",
        "一个神经元网络是一种模型。",
    )
    assert (tu3.source, tu3.target) == ("Use generative AI to write.", "用它来写。")
    # "neural network" only inside a <ph>'s HTML (tu4) and in an <alt-trans> (tu2) is not
    # counted: the concept is in the two segments whose text has it.
    concepts = {concept.concept: concept for concept in report.concepts}
    assert concepts["neural-network"].segments == 2
    assert concepts["neural-network"].verdicts["preferred"] == 1


def test_xliff_20_inline_codes_and_segments_of_one_unit() -> None:
    report = check((FILES / "guide-2.0.xlf").read_bytes(), "guide.xlf")
    assert report.totals()["segments"] == 5
    assert report.totals()["checked"] == 4
    assert findings(report) == [
        # <pc> around part of the source term, <sc/>/<ec/> splitting the target term.
        ("tu2::s1", "neural-network", "deprecated", ("neural network",), ("神经元网络",)),
        ("tu3::s1", "generative-ai", "missing", ("Generative AI",), ()),
    ]
    assert report.flagged[0].target == "一个神经元网络是一种模型。"
    concepts = {concept.concept: concept for concept in report.concepts}
    # The term inside <mrk type="term"> of the unit's second segment is read too.
    assert concepts["neural-network"].segments == 3


def test_xliff_reads_segments_with_the_markup_options_extractor() -> None:
    content = 'Use <ph id="1">&lt;b&gt;</ph><g id="2">neural</g> network<x id="3"/>.'
    data = f"""<?xml version="1.0"?>
<xliff version="1.2"><file source-language="en" target-language="zh-CN" original="x">
<body><trans-unit id="1" xml:space="preserve"><source>{content}</source>
<target>用神经网络。</target></trans-unit></body></file></xliff>""".encode()
    (segment,) = read_file(data, "one.xlf").segments
    assert segment.source == extract(content, "xliff").text == "Use neural network."


def test_xliff_keeps_white_space_only_where_the_file_says_preserve() -> None:
    def source(space: str) -> str:
        data = f"""<?xml version="1.0"?>
<xliff version="1.2"><file source-language="en" target-language="zh-CN" original="x">
<body><trans-unit id="1"{space}><source> A  <g id="1">neural</g>
 network </source><target>x</target></trans-unit></body></file></xliff>""".encode()
        return read_file(data, "one.xlf").segments[0].source

    assert source("") == "A neural network"
    assert source(' xml:space="preserve"') == " A  neural\n network "
