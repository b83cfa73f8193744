"""Text handling for a glossary in English, Simplified Chinese and Traditional Chinese.

This module is the project's only importer of jieba, OpenCC and pypinyin, and it imports none of
them (nor Django) at import time: converters and the tokenizer are built on first use, once per
process, under a lock.

Choices worth knowing about:

* ``to_simplified`` uses OpenCC's Taiwan→mainland phrase table (``tw2sp``), but applied directly
  to Simplified text that table rewrites ordinary mainland words (序列→串行, 向量→矢量, 程序→进程,
  文件→文档, 显著→显着, 尼日利亚→尼日尔利亚 ...). We therefore run our own OpenCC configuration: the
  ``tw2sp`` phrase table plus Hong Kong variant characters, without Taiwan variant characters, and
  with an override list of words that must be left as they are (see ``_MAINLAND_KEEP``).
* Pinyin tones are digits and the neutral tone is written ``5`` (``le5``), so that every syllable
  carries a digit and sort keys compare syllable by syllable. ü is written ``v`` (``nv3``).
* ``query_pinyin_key`` only accepts strings that parse into standard pinyin syllables, so English
  words such as "transformer" give ``None``. Some English words are also valid pinyin ("long",
  "change"); callers should use the key as one more way to match, never as the only one.
"""

from __future__ import annotations

import bisect
import json
import logging
import math
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    import jieba
    import opencc

__all__ = [
    "Language",
    "RefusedCharacter",
    "Token",
    "browse_letter",
    "control_character",
    "count_han",
    "english_key",
    "fold",
    "han_runs",
    "has_han",
    "non_han_words",
    "normalise",
    "normalise_term",
    "pinyin",
    "pinyin_initials",
    "pinyin_key",
    "query_pinyin_initials",
    "query_pinyin_key",
    "query_pinyin_tones",
    "script_of",
    "segment",
    "segment_cuts",
    "segment_words",
    "set_user_terms",
    "shown_safely",
    "sort_key",
    "term_character",
    "to_simplified",
    "to_traditional",
    "user_terms_key",
]

Language = Literal["en", "zh-Hans", "zh-Hant"]
Script = Literal["latin", "han", "mixed", "none"]


def _words(text: str) -> list[str]:
    # Long word lists read better as wrapped text than as one quoted item per line.
    return text.split()


# ---------------------------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------------------------

# CJK unified ideographs (basic block, extension A, extensions B-I), the compatibility blocks, and
# 〇, which Chinese uses as a digit in dates ("二〇二四年").
_HAN_CLASS: Final = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af"
)
_HAN_RE: Final = re.compile(f"[{_HAN_CLASS}]")
_HAN_RUN_RE: Final = re.compile(f"[{_HAN_CLASS}]+|[^{_HAN_CLASS}]+")
_HAN_ONLY_RUN_RE: Final = re.compile(f"[{_HAN_CLASS}]+")
# Letters and digits of any other script.
_NON_HAN_WORD_RE: Final = re.compile(f"[^\\W_{_HAN_CLASS}]+")

# Latin letters, including accented and full-width forms; digits are not a script.
_LATIN_CLASS: Final = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a"
)
_LATIN_RE: Final = re.compile(f"[{_LATIN_CLASS}]")

# A Latin "word" for segmentation: letters and digits joined by the punctuation that occurs
# inside technical names (GPT-4, C++, e.g., o'clock, TCP/IP).
_WORD_CHARS: Final = f"{_LATIN_CLASS}0-9\uff10-\uff19"
_LATIN_WORD_RE: Final = re.compile(
    f"[{_WORD_CHARS}]+(?:[-_.'’+&/\uff0d\uff3f\uff0e][{_WORD_CHARS}]+)*[+#*]*"
)

# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------

_PUNCTUATION_MAP: Final = str.maketrans(
    {
        # Dashes and hyphens: people type whichever their keyboard or IME produces.
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2e3a": "-",
        "\u2e3b": "-",
        "\ufe58": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        # Curly quotes.
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        # Middle dots: Chinese transliterated names use several look-alikes (冯·诺依曼, 馮‧諾伊曼).
        "\u30fb": "\u00b7",
        "\uff65": "\u00b7",
        "\u2027": "\u00b7",
        "\u2e31": "\u00b7",
        # Invisible characters that make equal-looking strings differ.
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_WHITESPACE_RE: Final = re.compile(r"\s+")


def _normalise_keep_case(text: str) -> str:
    # english_key needs the original case to recognise acronym plurals ("LLMs").
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION_MAP)
    return _WHITESPACE_RE.sub(" ", text).strip()


def normalise(text: str) -> str:
    """NFKC, case folding, punctuation and whitespace variants unified, trimmed."""
    return _normalise_keep_case(text).casefold()


def has_han(text: str) -> bool:
    """Whether the text contains any CJK ideograph (unified, extensions or compatibility)."""
    return _HAN_RE.search(text) is not None


def count_han(text: str) -> int:
    """How many CJK ideographs the text holds."""
    return sum(map(len, han_runs(text)))


def han_runs(text: str) -> list[str]:
    """The runs of CJK ideographs in the text, in order."""
    return _HAN_ONLY_RUN_RE.findall(text)


def non_han_words(text: str) -> list[str]:
    """The words of the text that are not Chinese: runs of letters and digits of other scripts."""
    return _NON_HAN_WORD_RE.findall(text)


def script_of(text: str) -> Script:
    """Which scripts the text is written in: Latin letters, Han characters, both or neither."""
    han = has_han(text)
    latin = _LATIN_RE.search(text) is not None
    if han and latin:
        return "mixed"
    if han:
        return "han"
    if latin:
        return "latin"
    return "none"


# ---------------------------------------------------------------------------------------------
# Characters refused in input
# ---------------------------------------------------------------------------------------------

# ISO 6429 names of the C0 controls and DEL (``unicodedata.name`` has none for them).
_CONTROL_NAMES: Final = (
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "BELL",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
)
# Control characters (Unicode category Cc: C0, DEL and C1), and lone surrogates, which are not
# characters at all (JSON's \ud800 makes one) and cannot be encoded; the second leaves out the
# tab, line feed and carriage return that free text (a definition, a text to check) may hold.
_CONTROL_RE: Final = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_LINES_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Invisible characters outside the format category (Cf): the combining grapheme joiner, the
# Hangul fillers and the variation selectors. Each makes a string that looks like another.
_INVISIBLE_OTHERS: Final = frozenset(
    "\u034f\u115f\u1160\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


@dataclass(frozen=True, slots=True)
class RefusedCharacter:
    """A character that may not stand where it was found, and its offset (code points)."""

    char: str
    index: int

    @property
    def code(self) -> str:
        """``U+202E``."""
        return f"U+{ord(self.char):04X}"

    @property
    def name(self) -> str:
        """The Unicode name, ``RIGHT-TO-LEFT OVERRIDE``; controls by their ISO 6429 name."""
        point = ord(self.char)
        if point < len(_CONTROL_NAMES):
            return _CONTROL_NAMES[point]
        if point == 0x7F:
            return "DELETE"
        if 0xD800 <= point <= 0xDFFF:
            return "SURROGATE"
        return unicodedata.name(self.char, "CONTROL CHARACTER")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def control_character(text: str, *, line_breaks: bool = False) -> RefusedCharacter | None:
    """The first control character of the text, or None.

    Control characters (NUL and the rest of C0, DEL, C1) have no place in anything a person
    types, and PostgreSQL cannot even store NUL. Lone surrogates count too: they cannot be
    encoded, so no database or response can hold them. With ``line_breaks`` the tab, line feed and
    carriage return are allowed, as free text (a definition, a note, a text to check) holds them;
    never in an address, a query value, an identifier or a term.
    """
    found = (_CONTROL_BUT_LINES_RE if line_breaks else _CONTROL_RE).search(text)
    return RefusedCharacter(found.group(), found.start()) if found else None


def term_character(text: str) -> RefusedCharacter | None:
    """The first character that a term or an identifier may not hold, or None.

    Refused: control characters, tab and line breaks included (a term is one line; callers
    collapse whitespace first where a tab is only a space typed wrongly); bidirectional controls
    (U+202E makes "generative" display reversed); and invisible characters: zero-width space and
    joiners, word joiner, byte-order mark, soft hyphen and the rest of Unicode's format
    characters (Cf), lone surrogates, variation selectors and the Hangul fillers. Each would let
    a term look like another, or like itself while matching nothing.
    """
    found = control_character(text)
    if found is not None or text.isascii():
        return found
    for index, char in enumerate(text):
        if char >= "\x80" and (
            unicodedata.category(char) in ("Cf", "Cs") or char in _INVISIBLE_OTHERS
        ):
            return RefusedCharacter(char, index)
    return None


def shown_safely(text: str) -> str:
    """The text with each character ``term_character`` refuses written as ``<U+202E>``.

    For messages that quote refused input: the reader sees what is there, and a direction
    override in it cannot turn the message around.
    """
    if text.isascii() and not _CONTROL_RE.search(text):
        return text
    return "".join(
        f"<U+{ord(char):04X}>" if term_character(char) is not None else char for char in text
    )


def normalise_term(text: str) -> str:
    """A term as it is stored and compared: NFC, inner whitespace collapsed, trimmed.

    NFC makes canonically equal spellings (é as one code point or as e + combining accent) one
    string, so that a copy of a term cannot pass the duplicate check by being spelt differently.
    Unlike ``fold`` it keeps case, compatibility forms and script, which distinguish terms.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


# ---------------------------------------------------------------------------------------------
# English keys
# ---------------------------------------------------------------------------------------------

_ENGLISH_WORD_RE: Final = re.compile(r"[^\W_]+(?:\.[^\W_]+)*[+#*]*")
_POSSESSIVE_RE: Final = re.compile(r"(?<=[^\W_])'s\b|(?<=s)'(?!\w)", re.IGNORECASE)
_ACRONYM_PLURAL_RE: Final = re.compile(r"(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,}s")

# Plurals the suffix rules get wrong.
_IRREGULAR_PLURALS: Final = {
    "analyses": "analysis",
    "apis": "api",
    "appendices": "appendix",
    "automata": "automaton",
    "axes": "axis",
    "calories": "calorie",
    "children": "child",
    "cookies": "cookie",
    "corpora": "corpus",
    "cpus": "cpu",
    "crises": "crisis",
    "criteria": "criterion",
    "diagnoses": "diagnosis",
    "dpus": "dpu",
    "foci": "focus",
    "gpus": "gpu",
    "halves": "half",
    "hypotheses": "hypothesis",
    "indices": "index",
    "kpis": "kpi",
    "knives": "knife",
    "leaves": "leaf",
    "lives": "life",
    "loci": "locus",
    "matrices": "matrix",
    "menus": "menu",
    "mice": "mouse",
    "movies": "movie",
    "npus": "npu",
    "nuclei": "nucleus",
    "parentheses": "parenthesis",
    "phenomena": "phenomenon",
    "radii": "radius",
    "selves": "self",
    "stimuli": "stimulus",
    "syntheses": "synthesis",
    "theses": "thesis",
    "tpus": "tpu",
    "uis": "ui",
    "vertices": "vertex",
    "wolves": "wolf",
    "zombies": "zombie",
}

# Words ending in -s that are not plurals (or whose "singular" would collide with another word).
_NOT_PLURAL: Final = frozenset(
    _words(
        """
        alias always analytics atlas bayes bias bioinformatics canvas chaos cosmos diabetes does
        dynamics economics electronics ethics ethos genomics goes graphics informatics kudos lens
        linguistics logistics mathematics means mechanics minus news optics overseas pandas pathos
        perhaps physics plus politics pragmatics robotics semantics series species statistics
        whereas
        """
    )
)

# Singulars ending in -s whose plural adds -es ("biases", "viruses").
_ES_PLURAL_STEMS: Final = frozenset(
    _words(
        """
        alias atlas bias bonus bus campus canvas census consensus corpus focus gas iris lens minus
        nexus plus status virus
        """
    )
)


def _singular(word: str) -> str:
    if _ACRONYM_PLURAL_RE.fullmatch(word):
        return word[:-1].casefold()
    w = word.casefold()
    if w in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[w]
    if w in _NOT_PLURAL or len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("es") and w[:-2] in _ES_PLURAL_STEMS:
        return w[:-2]
    if w.endswith("ies"):
        return w[:-3] + "y" if len(w) > 4 else w
    if w.endswith("sses") or w.endswith(("xes", "shes", "zzes")):
        return w[:-2]
    if w.endswith("ches"):
        # cache/niche/headache keep their e; batch, search, approach, branch do not.
        if w.endswith(("aches", "iches")) and not w.endswith(("oaches", "eaches")):
            return w[:-1]
        return w[:-2]
    if w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("s"):
        return w[:-1]
    return w


def english_key(text: str) -> str:
    """Matching key for English: normalised, hyphens and spaces unified, each word singularised."""
    text = _normalise_keep_case(text)
    text = _POSSESSIVE_RE.sub("", text).replace("'", "")
    return " ".join(_singular(word) for word in _ENGLISH_WORD_RE.findall(text))


# ---------------------------------------------------------------------------------------------
# Simplified / Traditional conversion (OpenCC)
# ---------------------------------------------------------------------------------------------

# Words that OpenCC's Taiwan→mainland phrase table would rewrite although mainland Simplified
# uses them exactly as they are (often in this domain: 序列 sequence, 向量 vector, 智慧城市,
# 评估指标, 查询, 离线学习, 高阶函数, 类比推理, stacking 堆叠), plus names the table damages
# (尼日利亚→尼日尔利亚, 塔吉克斯坦→塔吉克斯坦斯坦) and a few phrases that a shorter
# Taiwan entry would otherwise cut into (安全形势 is not 安全 + 全形). The table still wins where it
# has a longer entry (人工智慧→人工智能, 序列埠→串口). Both scripts are listed where they differ.
_MAINLAND_KEEP: Final = frozenset(
    _words(
        """
        建立 程序 核心 文件 宣告 支援 智慧 新增 整合 序列 行程 呼叫 批次 物件 元件 影像 效能 字型
        使用者 向量 相容 埠 遮蔽 影印 存取 稽核 乳酪 停用 心肌梗塞 防毒 登出 桌布 社群 碟片 白血球
        冰棒 剪下 重新整理 外接 查德 塔吉克
        執行 指標 查詢 複製 類比 高階 離線 截圖 正規化 啟用 設定 傳送 儲存 堆疊
        塔吉克斯坦 烏茲別克斯坦 乌兹别克斯坦 土庫曼斯坦 土库曼斯坦 哈薩克斯坦 哈萨克斯坦
        尼日爾 尼日尔 尼日利亞 尼日利亚 厄瓜多爾 厄瓜多尔 伊利諾伊 伊利诺伊 歐萊雅 欧莱雅
        安全形勢 安全形势 電子音 电子音 電影片 电影片 液晶片 位元素
        """
    )
)

_OPENCC_LOCK: Final = threading.Lock()
_CONVERTERS: dict[str, opencc.OpenCC] = {}


def _opencc_share_dir() -> str:
    import opencc

    # The wrapper resolves built-in configuration names to files in its data directory.
    return os.path.dirname(opencc.OpenCC("t2s").config)


def _build_mainland_converter() -> opencc.OpenCC:
    import opencc

    share = _opencc_share_dir()

    def ocd2(name: str) -> dict[str, Any]:
        return {"type": "ocd2", "file": os.path.join(share, f"{name}.ocd2")}

    # Like OpenCC's tw2sp.json, except: our keep-list comes first in a "union" group (longest
    # match wins, ties go to the earlier dictionary), Hong Kong variant characters are folded too,
    # and Taiwan variant characters are left to TSCharacters because TWVariantsRev turns the
    # Simplified 著 into 着 (显著→显着).
    config = {
        "name": "Traditional (Taiwan or Hong Kong) to Simplified, mainland phrasing, for matching",
        "normalization": [{"dict": ocd2("CJK_Compatibility_Ideographs")}],
        "segmentation": {"type": "mmseg", "dict": ocd2("TSPhrases")},
        "conversion_chain": [
            {
                "dict": {
                    "type": "group",
                    "match_policy": "union",
                    "dicts": [
                        {"type": "inline", "entries": {word: word for word in _MAINLAND_KEEP}},
                        ocd2("TWPhrasesRev"),
                        ocd2("HKVariantsRevPhrases"),
                        ocd2("HKVariantsRev"),
                    ],
                }
            },
            {
                "dict": {
                    "type": "group",
                    "match_policy": "short_circuit",
                    "dicts": [ocd2("TSPhrases"), ocd2("TSCharacters")],
                }
            },
        ],
    }
    # The Python binding only loads configurations from files; the dictionaries are read into
    # memory by the constructor, so the file can go straight away.
    with tempfile.TemporaryDirectory(prefix="glossary-opencc-") as directory:
        path = os.path.join(directory, "mainland.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(config, handle, ensure_ascii=False)
        return opencc.OpenCC(path, include_tofu_risk_dictionaries=False)


def _converter(name: str) -> opencc.OpenCC:
    converter = _CONVERTERS.get(name)
    if converter is not None:
        return converter
    with _OPENCC_LOCK:
        converter = _CONVERTERS.get(name)
        if converter is None:
            if name == "mainland":
                converter = _build_mainland_converter()
            else:
                import opencc

                converter = opencc.OpenCC(name, include_tofu_risk_dictionaries=False)
            _CONVERTERS[name] = converter
        return converter


def to_simplified(text: str) -> str:
    """Fold Traditional (Taiwan, Hong Kong or generic) to Simplified with mainland phrasing, for matching."""
    if not has_han(text):
        return text
    return _converter("mainland").convert(text)


def to_traditional(text: str, region: Literal["tw", "hk"] = "tw") -> str:
    """Suggest a Traditional form of Simplified text with regional phrasing (OpenCC s2twp or s2hk)."""
    if region not in ("tw", "hk"):
        raise ValueError(f"unknown region {region!r}; expected 'tw' or 'hk'")
    if not has_han(text):
        return text
    return _converter("s2twp" if region == "tw" else "s2hk").convert(text)


def _to_simplified_characters(text: str) -> str:
    # Plain t2s keeps the words as written (演算法 stays 演算法), which is what pinyin needs.
    if not has_han(text):
        return text
    return _converter("t2s").convert(text)


# ---------------------------------------------------------------------------------------------
# The matching key
# ---------------------------------------------------------------------------------------------

_SILENT_SEPARATOR_RE: Final = re.compile(r"[\s·\-]*")


def fold(text: str) -> str:
    """The one matching key for any script: normalise, then Traditional→Simplified for Han, english_key for Latin."""
    text = _normalise_keep_case(text)
    if not has_han(text):
        return english_key(text)
    parts: list[str] = []
    for run in _HAN_RUN_RE.findall(to_simplified(text)):
        if has_han(run):
            parts.append(run)
            continue
        key = english_key(run)
        if key:
            parts.append(key)
        elif not _SILENT_SEPARATOR_RE.fullmatch(run):
            # Punctuation between Chinese phrases separates them; spaces and middle dots
            # (冯·诺依曼 / 冯诺依曼) are matched as if absent.
            parts.append(" ")
    return _WHITESPACE_RE.sub(" ", "".join(parts)).strip()


# ---------------------------------------------------------------------------------------------
# Pinyin
# ---------------------------------------------------------------------------------------------

_ASCII_WORD_RE: Final = re.compile(r"[a-z0-9]+")


def _pinyin_parts(text: str, *, tones: bool) -> list[tuple[str, bool]]:
    """Pinyin syllables (flagged True) and lowercase Latin words (False), in text order."""
    from pypinyin import Style, lazy_pinyin

    style = Style.TONE3 if tones else Style.NORMAL
    parts: list[tuple[str, bool]] = []
    # Plain t2s rather than to_simplified: the pinyin is that of the words as written.
    for run in _HAN_RUN_RE.findall(_to_simplified_characters(normalise(text))):
        if has_han(run):
            syllables = lazy_pinyin(run, style=style, neutral_tone_with_five=True, errors="ignore")
            parts.extend((syllable, True) for syllable in syllables if syllable)
        else:
            # Accents would otherwise drop letters from the key ("Élan" → "lan").
            latin = _strip_tone_marks(run)
            parts.extend((word, False) for word in _ASCII_WORD_RE.findall(latin))
    return parts


def pinyin(text: str, *, tones: bool = False) -> str:
    """Pinyin of the Han characters, syllables separated by spaces; tones as digits (sheng1) when asked."""
    return " ".join(part for part, _ in _pinyin_parts(text, tones=tones))


def pinyin_initials(text: str) -> str:
    """First letter of each pinyin syllable, Latin words kept whole: 生成式人工智能 → "scsrgzn"."""
    return "".join(
        part[0] if is_syllable else part for part, is_syllable in _pinyin_parts(text, tones=False)
    )


def pinyin_key(text: str) -> str:
    """Toneless pinyin without spaces, for matching: 生成式人工智能 → "shengchengshirengongzhineng"."""
    return "".join(part for part, _ in _pinyin_parts(text, tones=False))


# The standard toneless syllables, ü written v; the consonant-only interjections (m, n, ng, hm, hng)
# are left out so that strings of consonants do not parse as pinyin.
_PINYIN_SYLLABLES: Final = frozenset(
    _words(
        """
        a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu
        ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou
        chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang
        dao de dei den deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en
        eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou
        gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai
        huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai
        kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao
        le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lue lun luo lv
        lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan
        nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nue nun
        nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia
        qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou
        ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei
        shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun
        suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa
        wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan
        xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze
        zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai
        zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
        """
    )
)
# "lue"/"nue" are the common keyboard spelling of lüe/nüe (略, 虐); pypinyin writes them lve/nve.
_SYLLABLE_ALIASES: Final = {"lue": "lve", "nue": "nve"}
_LONGEST_SYLLABLE: Final = max(len(syllable) for syllable in _PINYIN_SYLLABLES)
_PINYIN_QUERY_RE: Final = re.compile(r"[a-z1-5\s'\-]+")
_PINYIN_SEPARATOR_RE: Final = re.compile(r"[\s'\-1-5]+")
_INITIAL_LETTERS: Final = frozenset("bpmfdtnlgkhjqxzcsryw")


@lru_cache(maxsize=4096)
def _parse_pinyin(chunk: str) -> tuple[str, ...] | None:
    # Right to left, so that at each position the longest syllable that leaves a parseable rest
    # is chosen ("xian" stays one syllable, "lue" becomes lve rather than lu + e).
    parsed: list[tuple[str, ...] | None] = [None] * (len(chunk) + 1)
    parsed[len(chunk)] = ()
    for start in range(len(chunk) - 1, -1, -1):
        for length in range(min(_LONGEST_SYLLABLE, len(chunk) - start), 0, -1):
            syllable = chunk[start : start + length]
            rest = parsed[start + length]
            if syllable in _PINYIN_SYLLABLES and rest is not None:
                parsed[start] = (_SYLLABLE_ALIASES.get(syllable, syllable), *rest)
                break
    return parsed[0]


def _strip_tone_marks(text: str) -> str:
    letters: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if char == "\u0308" and letters and letters[-1] == "u":
            letters[-1] = "v"
        elif not unicodedata.combining(char):
            letters.append(char)
    return "".join(letters).replace("u:", "v")


def query_pinyin_key(query: str) -> str | None:
    """If a Latin query parses as pinyin syllables, return it as a pinyin_key, else None."""
    text = _strip_tone_marks(normalise(query))
    if not text or not _PINYIN_QUERY_RE.fullmatch(text):
        return None
    syllables: list[str] = []
    # Spaces, apostrophes (xi'an) and tone digits end syllables, so each chunk parses on its own.
    for chunk in _PINYIN_SEPARATOR_RE.split(text):
        if not chunk:
            continue
        parsed = _parse_pinyin(chunk)
        if parsed is None:
            return None
        syllables.extend(parsed)
    return "".join(syllables) or None


def query_pinyin_initials(query: str) -> str | None:
    """If a query is 2+ letters that are all pinyin initials ("scsrgzn"), return it lowercased."""
    text = normalise(query).replace(" ", "")
    if len(text) >= 2 and all(letter in _INITIAL_LETTERS for letter in text):
        return text
    return None


_TONE_MARK_DIGITS: Final = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


def query_pinyin_tones(query: str) -> str | None:
    """A pinyin query that gives tones (marks or digits) as a toned key: "shēng chéng" → "sheng1cheng2".

    The key is written like ``pinyin(text, tones=True)`` without spaces. A syllable without a
    tone counts as neutral (5); a query without any tone, or that is not pinyin, gives None.
    """
    letters: list[str] = []
    marks: dict[int, str] = {}  # letter index -> tone, from a tone mark on that letter
    digits: dict[int, str] = {}  # chunk end -> tone, from a digit typed after the syllable
    chunks: list[tuple[int, int]] = []
    start = 0
    for char in unicodedata.normalize("NFD", normalise(query)) + " ":
        if "a" <= char <= "z":
            letters.append(char)
            continue
        if char in _TONE_MARK_DIGITS and letters:
            marks[len(letters) - 1] = _TONE_MARK_DIGITS[char]
            continue
        if char == "\u0308" and letters and letters[-1] == "u":
            letters[-1] = "v"
            continue
        if char == ":" and letters and letters[-1] == "u":  # lu:e, the keyboard spelling of lüe
            letters[-1] = "v"
            continue
        if not (char.isspace() or char in "'-12345"):
            return None
        if len(letters) > start:
            chunks.append((start, len(letters)))
            start = len(letters)
        if char in "12345" and chunks and chunks[-1][1] == len(letters):
            digits[len(letters)] = char
    if not (marks or digits):
        return None
    toned: list[str] = []
    for chunk_start, chunk_end in chunks:
        syllables = _parse_pinyin("".join(letters[chunk_start:chunk_end]))
        if syllables is None:
            return None
        position = chunk_start
        for syllable in syllables:
            end = position + len(syllable)
            tone = next((marks[i] for i in range(position, end) if i in marks), None)
            if tone is None and end == chunk_end:
                tone = digits.get(end)
            toned.append(f"{syllable}{tone or '5'}")
            position = end
    return "".join(toned) or None


# ---------------------------------------------------------------------------------------------
# Sorting and browsing
# ---------------------------------------------------------------------------------------------


def _check_language(language: str) -> None:
    if language not in ("en", "zh-Hans", "zh-Hant"):
        raise ValueError(f"unknown language {language!r}")


def sort_key(text: str, language: Language) -> str:
    """Sort key: pinyin (with tones, so that ordering is stable) for Chinese, normalised text for English."""
    _check_language(language)
    if language == "en":
        return normalise(text)
    # A space sorts before letters and digits, so syllables compare one by one ("ma1" < "mai2");
    # the text itself breaks ties between homophones.
    return f"{pinyin(text, tones=True)}\x00{normalise(text)}"


def browse_letter(text: str, language: Language) -> str:
    """The A–Z letter a term files under: first letter for English, first pinyin initial for Chinese, '#' otherwise."""
    _check_language(language)
    source = normalise(text) if language == "en" else pinyin(text)
    for char in source:
        if char.isalnum():
            base = unicodedata.normalize("NFD", char)[0]
            return base.upper() if "a" <= base <= "z" else "#"
    return "#"


# ---------------------------------------------------------------------------------------------
# Segmentation (jieba)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """A segment of a text, with character offsets into the original string."""

    text: str
    start: int
    end: int


# High enough that a glossary term beats the dictionary words it overlaps in context (the
# dictionary's most frequent entries are in the 10^5 range), not so high that it dwarfs them.
_USER_TERM_FREQ: Final = 50_000
# Longer runs of Han characters without punctuation are aligned character by character: the
# exact alignment below costs a quadratic number of conversions.
_MAX_ALIGNED_RUN: Final = 200


class _Vocabulary:
    """jieba's prefix dictionary as ``_cut`` reads it: one lookup per fragment of text.

    ``scores`` maps each word to the score jieba's route gives it, ``log(frequency) - log(total)``,
    and each prefix of a word that is not a word itself to None.
    """

    __slots__ = ("scores", "unknown")

    def __init__(self, scores: dict[str, float | None], unknown: float) -> None:
        self.scores = scores
        # jieba scores a character it has no word for as if it had been seen once.
        self.unknown = unknown

    @classmethod
    def of(cls, tokenizer: jieba.Tokenizer) -> _Vocabulary:
        log_total = math.log(tokenizer.total)
        scores = {
            word: math.log(freq) - log_total if freq else None
            for word, freq in tokenizer.FREQ.items()
        }
        return cls(scores, math.log(1) - log_total)


class _JiebaState:
    def __init__(self) -> None:
        self.base: jieba.Tokenizer | None = None
        self.base_vocabulary: _Vocabulary | None = None
        # (vocabulary, key) in one attribute so that readers never see one without the other.
        self.loaded: tuple[_Vocabulary, str] | None = None
        self.builds = 0


_JIEBA_LOCK: Final = threading.RLock()
_jieba_state: Final = _JiebaState()


def _base_tokenizer() -> jieba.Tokenizer:
    base = _jieba_state.base
    if base is not None:
        return base
    with _JIEBA_LOCK:
        if _jieba_state.base is None:
            import jieba

            # jieba logs "Building prefix dict ..." at DEBUG through its own stderr handler.
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _jieba_state.base = tokenizer
        return _jieba_state.base


def _base_vocabulary() -> _Vocabulary:
    vocabulary = _jieba_state.base_vocabulary
    if vocabulary is not None:
        return vocabulary
    with _JIEBA_LOCK:
        if _jieba_state.base_vocabulary is None:
            _jieba_state.base_vocabulary = _Vocabulary.of(_base_tokenizer())
        return _jieba_state.base_vocabulary


def _vocabulary() -> _Vocabulary:
    loaded = _jieba_state.loaded
    return loaded[0] if loaded is not None else _base_vocabulary()


def _to_simplified_each(texts: list[str]) -> list[str]:
    """``to_simplified`` of each text, in one conversion where possible."""
    if not texts:
        return []
    if any("\n" in text for text in texts):
        return [to_simplified(text) for text in texts]
    # OpenCC matches no phrase across a line break, so each line converts as it would alone.
    return to_simplified("\n".join(texts)).split("\n")


def _jieba_suggested_freq(word: str, known: int, total: int) -> int:
    """jieba's ``suggest_freq(word)`` for a word its dictionary counts ``known`` >= 50,000 times.

    No split of a word that frequent outscores it (two words would need a product of their
    frequencies above ``known * total``, some 3 * 10^12, where jieba's most frequent word has
    about 3 * 10^5), so jieba cuts it whole, unless it holds characters that jieba never joins
    (punctuation), which make the estimate negligible.
    """
    from jieba import re_han_default

    if len(word) > 1 and not re_han_default.fullmatch(word):
        return known
    return max(int(known / float(total) * total) + 1, known)


def set_user_terms(terms: Iterable[str], *, key: str) -> None:
    """Make these terms jieba's user dictionary (one token each), unless `key` is the one already loaded."""
    if user_terms_key() == key:
        return
    with _JIEBA_LOCK:
        if user_terms_key() == key:
            return
        base = _base_tokenizer()
        vocabulary = _base_vocabulary()
        with_han = [given for given in (term.strip() for term in terms) if has_han(given)]
        forms: dict[str, None] = {}
        # segment() looks words up in the to_simplified form of the text.
        for given, simplified in zip(with_han, _to_simplified_each(with_han), strict=True):
            forms[given] = None
            if simplified != given and has_han(simplified):
                forms[simplified] = None
        # What jieba's add_word(form, freq=max(suggest_freq(form), _USER_TERM_FREQ)) would do
        # to a copy of the base dictionary, for each form in turn, without its cost: add_word
        # grows the total, which suggest_freq reads, and marks each new prefix.
        scores = dict(vocabulary.scores)
        log_total = math.log(base.total)
        total = base.total
        for form in forms:
            # suggest_freq gives about a word's own count, far less for one jieba would split:
            # above _USER_TERM_FREQ only for a word it already counts that often.
            freq = _USER_TERM_FREQ
            known = base.FREQ.get(form, 0)
            if known >= _USER_TERM_FREQ:
                freq = max(_jieba_suggested_freq(form, known, total), _USER_TERM_FREQ)
            total += freq
            # Scored against the base total, so that the rest of the dictionary scores as it
            # did, however many terms the glossary has.
            scores[form] = math.log(freq) - log_total
            # Longest first: jieba's dictionary holds every prefix of what it holds.
            for end in range(len(form) - 1, 0, -1):
                if form[:end] in scores:
                    break
                scores[form[:end]] = None
        _jieba_state.loaded = (_Vocabulary(scores, vocabulary.unknown), key)
        _jieba_state.builds += 1


def user_terms_key() -> str | None:
    """The key of the user terms currently loaded, or None before set_user_terms is first called."""
    loaded = _jieba_state.loaded
    return loaded[1] if loaded is not None else None


def _user_terms_builds() -> int:
    # For tests: how many times set_user_terms actually rebuilt the dictionary.
    return _jieba_state.builds


@lru_cache(maxsize=8192)
def _simplified_char(char: str) -> str:
    return to_simplified(char)


class _SingleCharacters(dict[int, str]):
    """A ``str.translate`` table of each character's own to_simplified form, filled on use.

    A character whose form is not one character maps to NUL, which no conversion produces, so
    that the translation keeps every offset and a run holding that character never reads as
    converted character by character.
    """

    def __missing__(self, code: int) -> str:
        simplified = _simplified_char(chr(code))
        value = simplified if len(simplified) == 1 else "\x00"
        self[code] = value
        return value


_SINGLE_CHARACTERS: Final = _SingleCharacters()


def _align_han_runs(runs: list[tuple[str, str]]) -> list[list[tuple[int, int, str]]]:
    """Split Han runs into (start, end, simplified) pieces whose conversions are independent.

    Each run comes with its to_simplified form, which phrase conversion made other than its
    characters' own forms (演算法→算法); offsets are into the run. The run is cut wherever
    converting the two sides separately gives the same text, and what lies between two cuts is
    one phrase, mapped as a whole when its length changed. A run too long to align, or whose
    phrases do not add up to it, is one piece per character. All conversions are made together.
    """
    to_cut = [number for number, (run, _) in enumerate(runs) if len(run) <= _MAX_ALIGNED_RUN]
    sides = iter(
        _to_simplified_each(
            [
                side
                for run in (runs[number][0] for number in to_cut)
                for index in range(1, len(run))
                for side in (run[:index], run[index:])
            ]
        )
    )
    spans: list[list[tuple[int, int]]] = []
    for number in to_cut:
        run, converted = runs[number]
        cuts = [0]
        for index in range(1, len(run)):
            head, tail = next(sides), next(sides)
            if head + tail == converted:
                cuts.append(index)
        cuts.append(len(run))
        spans.append(list(zip(cuts, cuts[1:], strict=False)))
    phrases = iter(
        _to_simplified_each(
            [
                runs[number][0][start:end]
                for number, run_spans in zip(to_cut, spans, strict=True)
                for start, end in run_spans
            ]
        )
    )
    aligned: list[list[tuple[int, int, str]] | None] = [None] * len(runs)
    for number, run_spans in zip(to_cut, spans, strict=True):
        pieces = [(start, end, next(phrases)) for start, end in run_spans]
        if "".join(piece for _, _, piece in pieces) == runs[number][1]:
            aligned[number] = pieces
    return [
        pieces
        if pieces is not None
        else [(index, index + 1, _simplified_char(char)) for index, char in enumerate(run)]
        for (run, _), pieces in zip(runs, aligned, strict=True)
    ]


def _simplify_aligned(text: str) -> tuple[str, list[int] | None]:
    """to_simplified of the text, and for each boundary in it the boundary in the original.

    The boundaries are None when the conversion keeps every offset (each character converted
    to one character: Simplified text and most Traditional text).
    """
    runs = list(_HAN_ONLY_RUN_RE.finditer(text))
    if not runs:
        return text, None
    # Right for every run converted character by character; the others are aligned below.
    simplified = text.translate(_SINGLE_CHARACTERS)
    phrased = [
        (run.group(), run.start(), converted)
        for run, converted in zip(
            runs, _to_simplified_each([run.group() for run in runs]), strict=True
        )
        if simplified[run.start() : run.end()] != converted
    ]
    if not phrased:
        return simplified, None
    # Each distinct run once: its pieces (an empty one keeps its text), or only the text they
    # make up where every piece kept its length.
    unique = {run: converted for run, _, converted in phrased}
    aligned: dict[str, tuple[str, list[tuple[int, int, str]] | None]] = {}
    for run, pieces in zip(unique, _align_han_runs(list(unique.items())), strict=True):
        pieces = [(start, end, piece or run[start:end]) for start, end, piece in pieces]
        kept = all(len(piece) == end - start for start, end, piece in pieces)
        aligned[run] = ("".join(piece for _, _, piece in pieces), None if kept else pieces)
    parts: list[str] = []
    boundaries: list[int] | None = None
    position = 0
    for run, start, _ in phrased:
        run_text, pieces = aligned[run]
        if pieces is None:
            if boundaries is not None:
                boundaries.extend(range(position + 1, start + len(run) + 1))
            parts.append(simplified[position:start])
            parts.append(run_text)
            position = start + len(run)
            continue
        if boundaries is None:
            # Offsets were kept up to here.
            boundaries = list(range(start + 1))
        else:
            boundaries.extend(range(position + 1, start + 1))
        parts.append(simplified[position:start])
        for run_start, run_end, piece in pieces:
            if len(piece) == run_end - run_start:
                boundaries.extend(range(start + run_start + 1, start + run_end + 1))
            else:
                # Boundaries inside a phrase whose length changed snap to its end, so the
                # phrase goes whole to the token it starts in.
                boundaries.extend([start + run_end] * len(piece))
            parts.append(piece)
        position = start + len(run)
    parts.append(simplified[position:])
    if boundaries is not None:
        boundaries.extend(range(position + 1, len(text) + 1))
    return "".join(parts), boundaries


_ASCII_ALNUM: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_ABSENT: Final = object()


def _cut_block(
    block: str,
    offset: int,
    vocabulary: _Vocabulary,
    cuts: list[int],
    best: list[float],
    ends: list[int],
) -> None:
    # jieba's __cut_DAG_NO_HMM (get_DAG, calc and the walk along the route) in one pass.
    # best[i]: the best score of block[i:]; ends[i]: where the first word of that route ends
    # (lists longer than the block, shared by all blocks of a text).
    get = vocabulary.scores.get
    unknown = vocabulary.unknown
    length = len(block)
    best[length] = 0.0
    for start in range(length - 1, -1, -1):
        top = -math.inf
        top_end = start
        stop = start + 1
        score = get(block[start], _ABSENT)
        while score is not _ABSENT:
            if score is not None:
                total = score + best[stop]
                # jieba takes the max of (score, end): a tie goes to the longer word.
                if total >= top:
                    top = total
                    top_end = stop
            if stop == length:
                break
            stop += 1
            score = get(block[start:stop], _ABSENT)
        if top_end == start:
            # No word starts here: jieba scores the character as if seen once.
            best[start] = unknown + best[start + 1]
            ends[start] = start + 1
        else:
            best[start] = top
            ends[start] = top_end
    # Single ASCII letters and digits in a row make one word ("GPT", "2024").
    position = 0
    buffered = False
    while position < length:
        end = ends[position]
        if end == position + 1 and block[position] in _ASCII_ALNUM:
            buffered = True
        else:
            if buffered:
                cuts.append(offset + position)
                buffered = False
            cuts.append(offset + end)
        position = end
    if buffered:
        cuts.append(offset + length)


def _cut(text: str, vocabulary: _Vocabulary) -> list[int]:
    """Where jieba's ``cut(text, HMM=False)`` ends each word: 0, then each word's end offset."""
    from jieba import re_han_default

    cuts = [0]
    best = [0.0] * (len(text) + 1)
    ends = [0] * (len(text) + 1)
    position = 0
    for block in re_han_default.finditer(text):
        _cut_between_blocks(text, position, block.start(), cuts)
        _cut_block(block.group(), block.start(), vocabulary, cuts, best, ends)
        position = block.end()
    _cut_between_blocks(text, position, len(text), cuts)
    return cuts


def _cut_between_blocks(text: str, start: int, end: int, cuts: list[int]) -> None:
    # jieba yields each character on its own there, and \r\n as one word.
    if "\r\n" in text[start:end]:
        cuts.extend(
            index + 1
            for index in range(start, end)
            if not (text[index] == "\r" and text[index + 1 : index + 2] == "\n")
        )
    else:
        cuts.extend(range(start + 1, end + 1))


_SPACE_RUN_RE: Final = re.compile(r"\s{2,}")


def _merge_runs(text: str, cuts: list[int]) -> list[int]:
    # jieba cuts "GPT-4" into GPT / - / 4 and returns each space separately; a Latin word and a
    # run of whitespace are one token each, so the cuts between two of its tokens go.
    regions = [match.span() for match in _LATIN_WORD_RE.finditer(text)]
    regions.extend(match.span() for match in _SPACE_RUN_RE.finditer(text))
    if not regions:
        return cuts
    regions.sort()
    merged: list[int] = []
    kept = 0  # cuts[:kept] are in merged
    for start, end in regions:
        # The tokens between cuts[first] and cuts[last] are the ones inside the region.
        first = bisect.bisect_left(cuts, start, kept)
        last = bisect.bisect_right(cuts, end, first) - 1
        if last - first >= 2:
            merged.extend(cuts[kept : first + 1])
            kept = last
    merged.extend(cuts[kept:])
    return merged


def segment_cuts(text: str) -> list[int]:
    """Where ``segment`` cuts the text: 0, then the end of each token, without building tokens."""
    simplified, boundaries = _simplify_aligned(text)
    cuts = _cut(simplified, _vocabulary())
    if boundaries is not None:
        # Non-decreasing: a token whose characters all went into a phrase vanishes.
        cuts = list(dict.fromkeys(map(boundaries.__getitem__, cuts)))
    return _merge_runs(text, cuts)


def segment(text: str) -> list[Token]:
    """Segment Chinese text with jieba (HMM off), offsets into the original string."""
    if not text:
        return []
    cuts = segment_cuts(text)
    return [Token(text[start:end], start, end) for start, end in zip(cuts, cuts[1:], strict=False)]


def segment_words(text: str) -> list[Token]:
    """Every word of jieba's own dictionary in the text, overlapping (search mode, HMM off).

    For a search index, where the words inside a term are what matter: 大语言模型 → 大 · 语言 ·
    模型, 生成式人工智能 → 生成 · 生成式 · 人工 · 人工智能 · 智能. Unlike ``segment``, the glossary's
    user terms are not consulted, so a term is split into its words rather than kept whole, and
    the result does not depend on what else is published. Offsets are into the original string,
    tokens sorted by start, then end.
    """
    if not text:
        return []
    simplified, boundaries = _simplify_aligned(text)
    tokens: set[Token] = set()
    for _word, start, end in _base_tokenizer().tokenize(simplified, mode="search", HMM=False):
        first, last = (
            (boundaries[start], boundaries[end]) if boundaries is not None else (start, end)
        )
        if last > first and not text[first:last].isspace():
            tokens.add(Token(text[first:last], first, last))
    return sorted(tokens, key=lambda token: (token.start, token.end))
