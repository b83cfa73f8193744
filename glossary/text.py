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

import json
import logging
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
    "Token",
    "browse_letter",
    "english_key",
    "fold",
    "has_han",
    "normalise",
    "pinyin",
    "pinyin_initials",
    "pinyin_key",
    "query_pinyin_initials",
    "query_pinyin_key",
    "query_pinyin_tones",
    "script_of",
    "segment",
    "segment_words",
    "set_user_terms",
    "sort_key",
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


class _JiebaState:
    def __init__(self) -> None:
        self.base: jieba.Tokenizer | None = None
        # (tokenizer, key) in one attribute so that readers never see one without the other.
        self.loaded: tuple[jieba.Tokenizer, str] | None = None
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


def _tokenizer() -> jieba.Tokenizer:
    loaded = _jieba_state.loaded
    return loaded[0] if loaded is not None else _base_tokenizer()


def set_user_terms(terms: Iterable[str], *, key: str) -> None:
    """Make these terms jieba's user dictionary (one token each), unless `key` is the one already loaded."""
    if user_terms_key() == key:
        return
    with _JIEBA_LOCK:
        if user_terms_key() == key:
            return
        import jieba

        base = _base_tokenizer()
        # A private tokenizer sharing nothing mutable with the base one: copying the prefix
        # dictionary takes milliseconds, re-reading jieba's dictionary takes about a second.
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ = dict(base.FREQ)
        tokenizer.total = base.total
        tokenizer.initialized = True
        forms: dict[str, None] = {}
        for term in terms:
            given = term.strip()
            # segment() looks words up in the to_simplified form of the text.
            for form in (given, to_simplified(given)):
                if has_han(form):
                    forms[form] = None
        for form in forms:
            freq = max(tokenizer.suggest_freq(form, tune=False), _USER_TERM_FREQ)
            tokenizer.add_word(form, freq=freq)
        # add_word grows the total; restoring it keeps the rest of the dictionary scoring as it
        # did, however many terms the glossary has.
        tokenizer.total = base.total
        _jieba_state.loaded = (tokenizer, key)
        _jieba_state.builds += 1


def user_terms_key() -> str | None:
    """The key of the user terms currently loaded, or None before set_user_terms is first called."""
    loaded = _jieba_state.loaded
    return loaded[1] if loaded is not None else None


def _user_terms_builds() -> int:
    # For tests: how many times set_user_terms actually rebuilt the tokenizer.
    return _jieba_state.builds


@lru_cache(maxsize=8192)
def _simplified_char(char: str) -> str:
    return to_simplified(char)


def _align_han_run(run: str, offset: int) -> list[tuple[int, int, str]]:
    """Split a Han run into (start, end, simplified) pieces whose conversions are independent."""
    converted = to_simplified(run)
    per_char = [_simplified_char(char) for char in run]
    per_char_pieces = [
        (offset + index, offset + index + 1, simplified)
        for index, simplified in enumerate(per_char)
    ]
    if "".join(per_char) == converted and all(len(piece) == 1 for piece in per_char):
        return per_char_pieces
    if len(run) > _MAX_ALIGNED_RUN:
        return per_char_pieces
    # Phrase conversion changed something beyond single characters (演算法→算法). Cut the run
    # wherever converting the two sides separately gives the same text; what lies between two
    # cuts is one phrase, mapped as a whole when its length changed.
    cuts = [0]
    cuts.extend(
        index
        for index in range(1, len(run))
        if to_simplified(run[:index]) + to_simplified(run[index:]) == converted
    )
    cuts.append(len(run))
    pieces = [
        (offset + start, offset + end, to_simplified(run[start:end]))
        for start, end in zip(cuts, cuts[1:], strict=False)
    ]
    if "".join(piece for _, _, piece in pieces) != converted:
        return per_char_pieces
    return pieces


def _simplify_aligned(text: str) -> tuple[str, list[int]]:
    """to_simplified of the text, and for each boundary in it the boundary in the original."""
    pieces: list[tuple[int, int, str]] = []
    for match in _HAN_RUN_RE.finditer(text):
        if has_han(match.group()):
            pieces.extend(_align_han_run(match.group(), match.start()))
        else:
            pieces.append((match.start(), match.end(), match.group()))
    boundaries = [0]
    simplified: list[str] = []
    for start, end, piece in pieces:
        if not piece:
            piece = text[start:end]
        if len(piece) == end - start:
            boundaries.extend(range(start + 1, end + 1))
        else:
            # Boundaries inside a phrase whose length changed snap to its end, so the phrase
            # goes whole to the token it starts in.
            boundaries.extend([end] * len(piece))
        simplified.append(piece)
    return "".join(simplified), boundaries


def _merge_runs(text: str, spans: list[tuple[int, int]]) -> list[Token]:
    # jieba cuts "GPT-4" into GPT / - / 4 and returns each space separately; a Latin word and a
    # run of whitespace are one token each.
    word_of = [-1] * len(text)
    for number, match in enumerate(_LATIN_WORD_RE.finditer(text)):
        word_of[match.start() : match.end()] = [number] * (match.end() - match.start())

    def group(start: int, end: int) -> tuple[str, int] | None:
        if text[start:end].isspace():
            return ("space", -1)
        if word_of[start] != -1 and word_of[start] == word_of[end - 1]:
            return ("word", word_of[start])
        return None

    merged: list[tuple[int, int]] = []
    previous: tuple[str, int] | None = None
    for start, end in spans:
        current = group(start, end)
        if merged and current is not None and current == previous:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
        previous = current
    return [Token(text[start:end], start, end) for start, end in merged]


def segment(text: str) -> list[Token]:
    """Segment Chinese text with jieba (HMM off), offsets into the original string."""
    if not text:
        return []
    simplified, boundaries = _simplify_aligned(text)
    spans: list[tuple[int, int]] = []
    position = 0
    for word in _tokenizer().cut(simplified, HMM=False):
        start, end = boundaries[position], boundaries[position + len(word)]
        position += len(word)
        if end > start:
            spans.append((start, end))
    return _merge_runs(text, spans)


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
        first, last = boundaries[start], boundaries[end]
        if last > first and not text[first:last].isspace():
            tokens.add(Token(text[first:last], first, last))
    return sorted(tokens, key=lambda token: (token.start, token.end))
