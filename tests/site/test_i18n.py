"""The interface in Simplified and Traditional Chinese: complete catalogs, Taiwan wording, URLs."""

import re
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = {
    "zh_Hans": ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
    "zh_Hant": ROOT / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po",
}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*[sdifX]|\{\w+\}")
# Characters that exist only in one script, common enough to show a catalog in the wrong one.
SIMPLIFIED_ONLY = set("这发术语简体数据义览个们时说对关闭页选项删编辑审历显导")
TRADITIONAL_ONLY = set("這發術語簡體數據義覽個們時說對關閉頁選項刪編輯審歷顯導")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs():
    """The build compiles the .po files; do the same so the tests see what the site serves."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import compile_messages

        compile_messages.main()
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    translation.trans_real._translations = {}
    translation.trans_real._active = translation.trans_real.Local()


def entries(language):
    return [e for e in polib.pofile(str(CATALOGS[language])) if not e.obsolete]


def msgstrs(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("language", CATALOGS)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    po = polib.pofile(str(CATALOGS[language]))
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=1;")
    untranslated = [e.msgid for e in entries(language) if not all(s.strip() for s in msgstrs(e))]
    fuzzy = [e.msgid for e in entries(language) if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    assert len(entries(language)) > 500


@pytest.mark.parametrize("language", CATALOGS)
def test_placeholders_are_kept(language):
    for entry in entries(language):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in msgstrs(entry):
            assert sorted(PLACEHOLDER.findall(text)) == expected, entry.msgid


def test_each_catalog_is_in_its_own_script():
    def wrong(language, forbidden):
        return [
            e.msgid
            for e in entries(language)
            # A few msgids are Chinese themselves (language names): those stay as written.
            if not re.search(r"[\u4e00-\u9fff]", e.msgid)
            and any(char in forbidden for text in msgstrs(e) for char in text)
        ]

    assert wrong("zh_Hans", TRADITIONAL_ONLY) == []
    assert wrong("zh_Hant", SIMPLIFIED_ONLY) == []


def test_traditional_uses_taiwan_wording():
    hant = {e.msgid: e.msgstr for e in entries("zh_Hant") if not e.msgid_plural}
    assert hant["AI Glossary"] == "人工智慧術語表"
    assert hant["Search"] == "搜尋"
    assert hant["Site"] == "網站"
    assert hant["Releases"] == "發布版"
    for text in hant.values():
        for mainland, taiwan in (
            ("信息", "資訊"),
            ("软件", "軟體"),
            ("默認", "預設"),
            ("釋出", "發布"),
        ):
            assert mainland not in text, (text, taiwan)
    hans = {e.msgid: e.msgstr for e in entries("zh_Hans") if not e.msgid_plural}
    assert hans["AI Glossary"] == "人工智能术语表"
    assert hans["Search"] == "搜索"


def test_strings_of_the_public_templates_are_in_the_catalogs():
    templates = [
        *(ROOT / "templates" / "glossary").glob("*.html"),
        ROOT / "templates" / "400.html",
        ROOT / "templates" / "404.html",
        ROOT / "templates" / "500.html",
    ]
    used = set()
    for template in templates:
        if template.name.startswith("check"):
            continue  # another page, with its own strings
        text = template.read_text()
        used |= set(re.findall(r'{% translate "([^"]+)"(?! context)', text))
        used |= set(re.findall(r"{% translate '([^']+)'(?! context)", text))
    known = {e.msgid for e in entries("zh_Hans")}
    assert used and used <= known, sorted(used - known)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "tag", "title", "search"),
    [
        ("en", "en", "AI Glossary", "Search"),
        ("zh-hans", "zh-Hans", "人工智能术语表", "搜索"),
        ("zh-hant", "zh-Hant", "人工智慧術語表", "搜尋"),
    ],
)
def test_pages_are_served_in_each_language(client, prefix, tag, title, search):
    response = client.get(f"/{prefix}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{tag}">' in html
    assert f"<title>{title}</title>" in html
    assert f">{search}</button>" in html


@pytest.mark.django_db
def test_urls_carry_the_language_prefix():
    for code in ("en", "zh-hans", "zh-hant"):
        with translation.override(code):
            assert reverse("glossary:concept", args=["generative-ai"]) == (
                f"/{code}/concepts/generative-ai/"
            )
            assert reverse("glossary:search") == f"/{code}/search/"


@pytest.mark.django_db
def test_choice_labels_and_fallback_note_are_translated(client, editor, reviewer_us, reviewer_cn):
    data = factories.complete_data()
    data.texts["cn_usage_en"] = "Only in English so far."
    factories.make_published(editor, [reviewer_us, reviewer_cn], data=data)
    html = client.get("/zh-hant/concepts/generative-ai/").content.decode()
    assert "首選" in html and "許用" in html and "縮寫" in html and "名詞" in html
    assert "尚未翻譯：以另一種語言顯示。" in html
    assert '<div class="prose" lang="en"><p>Only in English so far.</p></div>' in html
    html = client.get("/zh-hans/concepts/generative-ai/").content.decode()
    assert "首选" in html and "尚未翻译：以另一种语言显示。" in html
    assert "商定定义" in html


@pytest.mark.django_db
def test_plural_strings(client, editor, reviewer_us, reviewer_cn):
    factories.make_published(editor, [reviewer_us, reviewer_cn])
    assert re.search(r"\b1 concept\s+·", client.get("/en/").content.decode())
    assert re.search(r"1 个概念\s+·", client.get("/zh-hans/").content.decode())
    assert re.search(r"1 個概念\s+·", client.get("/zh-hant/").content.decode())
