"""Imports of real term lists: spelling variants merge, citations are filed right, cells are
split where they list alternatives or explain a term.

The samples in tests/data/lists are rows copied from ../shared/data (Apache-2.0 and MIT; see
tests/data/lists/NOTICE.md). Rows quoted in the tests below come from the same lists unless
they say otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from glossary.core.models import Concept, Source
from glossary.exchange import csv as csv_format
from glossary.exchange import formats, importer
from glossary.exchange.records import source_key
from glossary.exchange.safety import ImportRefused
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = Path(__file__).resolve().parents[1] / "data" / "lists"
HEADER = "en,zh_hans,zh_hant,definition_en,definition_zh,source\n"


def simple_csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def run(data: bytes, user, **options) -> importer.ImportReport:
    return importer.import_file(formats.read(data), user=user, **options)


def by_line(report: importer.ImportReport) -> dict:
    return {entry.where: entry for entry in report.entries}


def terms_of(uid: str) -> list[tuple[str, str, str]]:
    version = Concept.objects.get(uid=uid).open_version
    return sorted(version.terms.values_list("language", "text", "status"))


# False conflicts -----------------------------------------------------------------------------


def test_rows_differing_only_in_plural_case_or_hyphen_merge(editor):
    # dlterms4chinese lines 4 and 5, and spellings the lists repeat in the same way.
    report = run(
        simple_csv(
            "agent,智能体,,,,NeoKH/DLTerms4Chinese@192d9f7 terms.tsv line 4",
            "agents,智能体,,,,NeoKH/DLTerms4Chinese@192d9f7 terms.tsv line 5",
            "Feature,特征,,,,",
            "Features,特征,,,,",
            "fine-tuning,微调,,,,",
            "Fine Tuning,微调,,,,",
            "Moore's law,摩尔定律,,,,",
            "Moores Law,摩尔定律,,,,",
        ),
        editor,
    )
    assert report.committed, [e.messages for e in report.entries]
    assert report.counts()["conflict"] == 0
    assert Concept.objects.count() == 4
    # The other spellings are the same term, not admitted terms of their own.
    assert terms_of("agent") == [("en", "agent", "preferred"), ("zh-Hans", "智能体", "preferred")]
    assert terms_of("feature") == [("en", "Feature", "preferred"), ("zh-Hans", "特征", "preferred")]
    assert [t for t in terms_of("fine-tuning") if t[0] == "en"] == [
        ("en", "fine-tuning", "preferred")
    ]
    merged = by_line(report)["line 3"]
    assert merged.status == "unchanged"
    assert merged.messages == [
        "It repeats line 2 and was merged into it.",
        "agents differs from agent only in spelling (case, hyphens, apostrophes or plural): "
        "merged into it, not added as another term.",
    ]


def test_a_conflict_names_both_translations(editor):
    report = run(simple_csv("agent,智能体,,,,", "agents,代理,,,,"), editor, dry_run=True)
    conflict = by_line(report)["line 3"]
    assert conflict.status == "conflict"
    assert conflict.messages == [
        "It repeats line 2 with a different translation: Simplified Chinese 智能体 there, 代理 "
        "here. Keep one of them in the file, or give each its own English term."
    ]
    assert report.blocked and not Concept.objects.exists()


def test_a_translation_the_first_row_lists_as_an_alternative_is_no_conflict(editor):
    # dlterms4chinese line 16, then the same concept with only its second rendering.
    report = run(simple_csv("bias,偏差/偏置,,,,", "biases,偏置,,,,"), editor)
    assert report.committed
    assert terms_of("bias") == [
        ("en", "bias", "preferred"),
        ("zh-Hans", "偏差", "preferred"),
        ("zh-Hans", "偏置", "admitted"),
    ]


def test_a_merge_into_the_glossary_adds_no_spelling_variant(editor, reviewer_us, reviewer_cn):
    factories.publish(
        editor, [reviewer_us, reviewer_cn], "feature", factories.concept_data("feature", "特征")
    )
    report = run(simple_csv("Features,特征,特徵,,,", "Fine-Tuning,微调,,,,"), editor)
    assert report.committed
    entry = report.entries[0]
    assert (entry.status, entry.uid) == ("updated", "feature")
    assert "Features differs from feature only in spelling" in " ".join(entry.messages)
    assert [t for t in terms_of("feature") if t[0] == "en"] == [("en", "feature", "preferred")]
    assert ("zh-Hant", "特徵", "preferred") in terms_of("feature")


# Citations -----------------------------------------------------------------------------------

MEASURES = "生成式人工智能服务管理暂行办法"
STANDARD = "信息技术 人工智能 术语"


def test_titles_in_any_script_get_keys_of_their_own(editor):
    report = run(
        simple_csv(
            f"generative AI,生成式人工智能,,,,{MEASURES} 第二十二条",
            f"artificial intelligence,人工智能,,,,{STANDARD} p. 3",
            "machine learning,机器学习,,,,Терминология",
        ),
        editor,
    )
    assert report.committed
    keys = dict(Source.objects.values_list("title", "key"))
    assert set(keys) == {f"{MEASURES} 第二十二条", f"{STANDARD}", "Терминология"}
    assert keys[STANDARD].startswith("xin-xi-ji-shu-ren-gong-zhi-neng-shu-yu-")
    assert len(set(keys.values())) == 3 and "source" not in keys.values()
    citation = Concept.objects.get(uid="artificial-intelligence").open_version.citations.get()
    assert (citation.source.title, citation.locator) == (STANDARD, "p. 3")
    new = [w for w in report.warnings if w.startswith("New source")]
    assert new == sorted(new) or len(new) == 3
    assert f"New source {keys[STANDARD]}: “{STANDARD}”." in report.warnings


def test_a_source_keyed_alike_but_titled_otherwise_is_never_merged(editor):
    Source.objects.create(key="source", title="An older source")
    Source.objects.create(key=source_key(MEASURES), title="Something else entirely")
    report = run(simple_csv(f"generative AI,生成式人工智能,,,,{MEASURES}"), editor)
    assert report.committed
    citation = Concept.objects.get(uid="generative-ai").open_version.citations.get()
    assert citation.source.title == MEASURES
    assert citation.source.key not in {"source", source_key(MEASURES)}
    assert Source.objects.count() == 3
    # A second import of the same title finds the source the first created.
    run(simple_csv(f"large language model,大语言模型,,,,{MEASURES}"), editor)
    assert Source.objects.count() == 3


def test_a_source_is_matched_by_its_url(editor):
    Source.objects.create(key="eu-ai-act", title="EU AI Act", url="https://eur-lex.europa.eu/x")
    report = run(
        simple_csv(
            "AI system,人工智能系统,,,,Regulation (EU) 2024/1689 https://eur-lex.europa.eu/x"
        ),
        editor,
    )
    assert report.committed
    citation = Concept.objects.get(uid="ai-system").open_version.citations.get()
    assert citation.source.key == "eu-ai-act"
    assert Source.objects.count() == 1


def test_a_cell_that_is_not_a_citation_invents_no_source(editor):
    # The provenance note the 259-row list carries in its source column.
    report = run(simple_csv("thread,线程,執行緒,,,(zh_hant = zh-TW; zh-HK: 線程)"), editor)
    assert report.committed
    assert not Source.objects.exists()
    assert report.entries[0].messages == [
        "“(zh_hant = zh-TW; zh-HK: 線程)” in the source cell is not a citation; it was not read "
        "as a source."
    ]


def test_the_cheatsheets_per_file_paths_are_not_sources(editor):
    # cheatsheets_parallel.csv line 2: the collector's note of the file each language's text
    # came from ("zh: zh/….md@commit") is where the row was taken from, not a citation.
    row = (LISTS / "cheatsheets_parallel.csv").read_text().splitlines()[1]
    report = run((HEADER + row + "\n").encode(), editor)
    assert report.committed
    assert list(Source.objects.values_list("title", flat=True)) == [
        "shervinea/cheatsheet-translation cs-229-deep-learning"
    ]
    assert report.entries[0].messages == [
        "“zh: zh/cheatsheet-deep-learning.md@0a39b73” in the source cell is not a citation; it "
        "was not read as a source.",
        "“zh-tw: zh-tw/cs-229-deep-learning.md@4e08817” in the source cell is not a citation; "
        "it was not read as a source.",
    ]
    citation = Concept.objects.get(uid="deep-learning-cheatsheet").open_version.citations.get()
    assert citation.locator == "item 1"


def test_row_ids_are_locators_of_one_source(editor):
    report = run(
        simple_csv(
            "activation function,激活函数,,,,AI Terminology Database AITD-00003",
            "attention,注意力,,,,AI Terminology Database AITD-00004",
            "agent,智能体,,,,AITD-00005",
        ),
        editor,
    )
    assert report.committed
    assert list(Source.objects.values_list("title", flat=True)) == [
        "AI Terminology Database",
        "AITD",
    ]
    citation = Concept.objects.get(uid="attention").open_version.citations.get()
    assert (citation.source.title, citation.locator) == ("AI Terminology Database", "AITD-00004")


# Cells ---------------------------------------------------------------------------------------


def test_alternatives_joined_by_a_slash_are_separate_terms(editor):
    # dlterms4chinese line 16 and aisystem-glossary line 262 (a slash inside an English term).
    report = run(
        simple_csv(
            "bias,偏差/偏置,,,,",
            "recall,查全率／召回率,,,,",
            "Performance/Watt,性能每瓦特,,,,",
            "A/B testing,A/B测试,,,,",
        ),
        editor,
    )
    assert report.committed
    assert terms_of("recall") == [
        ("en", "recall", "preferred"),
        ("zh-Hans", "召回率", "admitted"),
        ("zh-Hans", "查全率", "preferred"),
    ]
    assert "偏差/偏置 lists alternatives" in by_line(report)["line 2"].messages[0]
    assert ("en", "Performance/Watt", "preferred") in terms_of("performancewatt")
    assert ("zh-Hans", "A/B测试", "preferred") in terms_of("ab-testing")


@pytest.mark.parametrize(
    ("cell", "terms"),
    [
        # A slash without spaces joins the parts of one term.
        ("input/output", ["input/output"]),
        ("TCP/IP", ["TCP/IP"]),
        ("A/B testing", ["A/B testing"]),
        ("I/O", ["I/O"]),
        # A slash set apart by spaces, or a full-width one, lists alternatives ...
        ("recall / sensitivity", ["recall", "sensitivity"]),
        ("AI ／ artificial intelligence", ["AI", "artificial intelligence"]),
        ("learning rate / step size / η", ["learning rate / step size / η"]),
        # ... unless a part is a single letter or an unclosed bracket.
        ("A / B testing", ["A / B testing"]),
        ("bias (statistics / ML)", ["bias (statistics / ML)"]),
    ],
)
def test_english_alternatives_are_split_at_a_spaced_slash_only(cell, terms):
    assert csv_format._english_alternatives(cell) == terms


def test_english_slashes_in_real_rows_are_kept_and_so_are_their_chinese_ones(editor):
    # cheatsheets_parallel.csv lines 150, 557 and 566 (tests/data/lists/cheatsheets_slashes.csv)
    # and aisystem_glossary.csv line 262: the slash joins the parts of one term, and the
    # Chinese slash of the same row mirrors it (偏差/方差权衡 is one term, not 偏差 and 方差权衡).
    sample = (LISTS / "cheatsheets_slashes.csv").read_text().splitlines()
    report = run(
        ("\n".join([*sample, "Performance/Watt,性能每瓦特,,,,AISystem row 261"]) + "\n").encode(),
        editor,
        skip_problems=True,
    )
    assert report.committed
    assert terms_of("biasvariance-tradeoff") == [
        ("en", "Bias/variance tradeoff", "preferred"),
        ("zh-Hans", "偏差/方差权衡", "preferred"),
        ("zh-Hant", "偏差/變異的權衡", "preferred"),
    ]
    assert terms_of("vanishingexploding-gradient") == [
        ("en", "Vanishing/exploding gradient", "preferred"),
        ("zh-Hans", "梯度消失/梯度爆炸", "preferred"),
    ]
    assert terms_of("performancewatt") == [
        ("en", "Performance/Watt", "preferred"),
        ("zh-Hans", "性能每瓦特", "preferred"),
    ]
    # Its brackets are mid-term once the slash is kept: the row is refused, by line.
    assert by_line(report)["line 4"].status == "error"
    assert not [m for e in report.entries for m in e.messages if "lists alternatives" in m]


def test_english_alternatives_at_a_spaced_slash_become_admitted_terms(editor):
    # Rows shaped like the lists; no list in ../shared/data writes a spaced slash.
    report = run(
        simple_csv(
            "recall / sensitivity,召回率,,,,",
            "artificial intelligence ／ AI,人工智能,,,,",
        ),
        editor,
    )
    assert report.committed
    assert terms_of("recall") == [
        ("en", "recall", "preferred"),
        ("en", "sensitivity", "admitted"),
        ("zh-Hans", "召回率", "preferred"),
    ]
    assert by_line(report)["line 2"].messages == [
        "recall / sensitivity lists alternatives: recall is taken as preferred, the rest as "
        "admitted."
    ]
    assert ("en", "AI", "admitted") in terms_of("artificial-intelligence")


def test_an_explanation_in_parentheses_is_split_off_or_refused(editor):
    report = run(
        simple_csv(
            "recall,查全率（召回率）,,,,",
            "Rectified Linear Unit (ReLU),线性整流函数,,,,",
            # cheatsheets_parallel.csv line 3 (English shortened): parentheses inside the text.
            "neural networks,神經網路是一種透過層來建構的模型 (CNN) 和遞迴式神經網路,,,,",
        ),
        editor,
        dry_run=True,
    )
    lines = by_line(report)
    assert lines["line 2"].messages == [
        "“查全率（召回率）” was split: 查全率 is the term and “召回率”, in parentheses, is kept "
        "as its note."
    ]
    assert lines["line 3"].messages == [
        "“Rectified Linear Unit (ReLU)” was split: Rectified Linear Unit is the term and ReLU "
        "its abbreviation."
    ]
    refused = lines["line 4"]
    assert refused.status == "error"
    assert "holds parentheses that are not an explanation at its end" in refused.messages[0]
    report = run(
        simple_csv("recall,查全率（召回率）,,,,", "ReLU unit (ReLU),线性整流函数,,,,"), editor
    )
    version = Concept.objects.get(uid="recall").open_version
    assert list(version.terms.filter(language="zh-Hans").values_list("text", "note")) == [
        ("查全率", "召回率")
    ]
    assert terms_of("relu-unit") == [
        ("en", "ReLU", "admitted"),
        ("en", "ReLU unit", "preferred"),
        ("zh-Hans", "线性整流函数", "preferred"),
    ]


def test_a_control_character_in_a_real_list_refuses_the_csv():
    # cheatsheets_parallel.csv line 514: LaTeX flattened into U+0008 BACKSPACE characters.
    data = (LISTS / "cheatsheets_backspace.csv").read_bytes()
    with pytest.raises(ImportRefused) as refused:
        formats.read(data)
    assert refused.value.code == "control_character"
    assert refused.value.message.startswith("The file holds U+0008 BACKSPACE at line 2, column ")


# The three lists, end to end -----------------------------------------------------------------


def test_the_aisystem_sample_imports(editor):
    report = run((LISTS / "aisystem_glossary.csv").read_bytes(), editor, skip_problems=True)
    assert report.committed
    assert report.counts() == {
        "created": 19,
        "updated": 0,
        "unchanged": 3,
        "conflict": 0,
        "error": 1,
    }
    assert list(Source.objects.values_list("key", flat=True)) == [
        "chenzomi12aisystem6ffde99-00others03glossarymd"
    ]
    assert sorted(
        Concept.objects.get(uid="moores-law").open_version.citations.values_list(
            "locator", flat=True
        )
    ) == ["row 197", "row 219"]


def test_the_dlterms_sample_imports(editor):
    report = run((LISTS / "dlterms4chinese.csv").read_bytes(), editor)
    assert report.committed
    assert report.counts() == {
        "created": 22,
        "updated": 0,
        "unchanged": 1,
        "conflict": 0,
        "error": 0,
    }
    assert terms_of("bandit")[1:] == [
        ("zh-Hans", "老虎机", "admitted"),
        ("zh-Hans", "赌博机", "preferred"),
    ]
    assert Source.objects.count() == 1


def test_the_cheatsheets_sample_imports(editor):
    report = run((LISTS / "cheatsheets_parallel.csv").read_bytes(), editor, skip_problems=True)
    assert report.committed
    counts = report.counts()
    # One source per cheat sheet, not per item (items are locators) nor per translated file.
    titles = list(Source.objects.values_list("title", flat=True))
    assert "shervinea/cheatsheet-translation cs-229-deep-learning" in titles
    assert not any("item" in title or ".md" in title for title in titles)
    citation = Concept.objects.get(uid="neural-networks").open_version.citations.first()
    assert citation.locator == "item 2"
    lines = by_line(report)
    # Two translations of one English item: the conflict names both.
    assert lines["line 13"].status == "conflict"
    assert (
        "It repeats line 12 with a different translation: Simplified Chinese 原作者 there, "
        "原文作者 here." in " ".join(lines["line 13"].messages)
    )
    assert (
        "Traditional Chinese 前往 GitHub 閱讀 PDF 版本 there, 在 GitHub 上閱讀 PDF 版 here."
        in " ".join(lines["line 14"].messages)
    )
    # Line 8 (Spectral theorem ― Let A∈Rn×n…) is a term and its definition; line 10, the same
    # item of another sheet, translates the term otherwise in Traditional Chinese.
    assert "Traditional Chinese 譜分解 there, 譜定理 here." in " ".join(lines["line 10"].messages)
    assert counts == {"created": 8, "updated": 0, "unchanged": 0, "conflict": 4, "error": 1}
    version = Concept.objects.get(uid="spectral-theorem").open_version
    assert version.definition_en.startswith("Let A∈Rn×n. If A is symmetric, then A is")
    assert version.definition_zh_hans.startswith("令 A∈Rn×n，若 A 是对称的")
    assert list(version.terms.values_list("text", flat=True)) == [
        "Spectral theorem",
        "谱定理",
        "譜分解",
    ]


def test_the_new_messages_are_translated(editor):
    rows = (
        "agent,智能体,,,,",
        "agents,智能体,,,,",
        "agent,代理,,,,",
        "recall,查全率（召回率）,,,,",
        "Rectified Linear Unit (ReLU),线性整流函数,,,,",
        "thread,线程,執行緒,,,(zh_hant = zh-TW; zh-HK: 線程)",
        "neural network,神经网络 (CNN) 模型,,,,",
        "attention,注意力,,,,Some paper",
        "Anchor boxes ― Boxes of given shapes.,锚框 ― 给定形状的框。,,,,",
    )
    with translation.override("zh-hant"):
        report = run(simple_csv(*rows), editor, dry_run=True, skip_problems=True)
        messages = [m for e in report.entries for m in e.messages] + report.warnings
    english = (
        "with a different translation",
        "there,",
        "only in spelling",
        "was split",
        "not a citation",
        "holds parentheses",
        "New source",
        "followed by its definition",
    )
    assert len(messages) >= 8
    assert not [m for m in messages if any(fragment in m for fragment in english)]
    assert "新來源 some-paper：「Some paper」。" in messages


def test_a_term_and_its_definition_in_one_cell_are_split(editor):
    # cheatsheets_parallel.csv line 5 (the cheat sheets' "Term ― definition" items).
    row = (LISTS / "cheatsheets_parallel.csv").read_text().splitlines()[4]
    report = run((HEADER + row + "\n").encode(), editor)
    assert report.committed
    entry = report.entries[0]
    assert entry.uid == "architecture"
    assert entry.messages[0] == (
        "The English cell was read as the term Architecture followed by its definition."
    )
    version = Concept.objects.get(uid="architecture").open_version
    assert sorted(version.terms.values_list("language", "text")) == [
        ("en", "Architecture"),
        ("zh-Hans", "架构"),
        ("zh-Hant", "架構"),
    ]
    assert version.definition_en == (
        "The vocabulary around neural networks architectures is described in the figure below:"
    )
    assert version.definition_zh_hans == "关于神经网络架构的语汇如下图所述"
    assert version.definition_zh_hant == "神經網路架構所需要用到的詞彙描述如下："


def test_a_tbx_from_another_tool_files_chinese_titles_apart(editor):
    """Sources another tool writes as text (no target): before, every all-Chinese title got
    the key "source", and the first one won."""

    def entry(english: str, chinese: str, source: str) -> str:
        return (
            f'<termEntry><langSet xml:lang="en"><tig><term>{english}</term></tig></langSet>'
            f'<langSet xml:lang="zh-CN"><tig><term>{chinese}</term>'
            f'<admin type="source">{source}</admin></tig></langSet></termEntry>'
        )

    data = (
        '<?xml version="1.0" encoding="UTF-8"?><martif type="TBX-Basic" xml:lang="en">'
        "<martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>"
        "<text><body>"
        + entry("generative AI", "生成式人工智能", MEASURES)
        + entry("artificial intelligence", "人工智能", STANDARD)
        + "</body></text></martif>"
    ).encode()
    report = run(data, editor)
    assert report.committed
    cited = {
        uid: Concept.objects.get(uid=uid).open_version.terms.get(language="zh-Hans").source.title
        for uid in ("generative-ai", "artificial-intelligence")
    }
    assert cited == {"generative-ai": MEASURES, "artificial-intelligence": STANDARD}
    assert Source.objects.count() == 2
