"""Pinyin for Chinese text, and pinyin typed as a query.

Tones are digits and the neutral tone is written ``5`` (``le5``), so that every syllable
carries a digit and sort keys compare syllable by syllable. ü is written ``v`` (``nv3``).
``query_pinyin_key`` only accepts strings that parse into standard pinyin syllables, so English
words such as "transformer" give ``None``. Some English words are also valid pinyin ("long",
"change"); callers should use the key as one more way to match, never as the only one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from glossary.language.convert import to_simplified_characters
from glossary.language.folding import normalise
from glossary.language.readings import syllables
from glossary.language.scripts import HAN_RUN_RE, has_han, words_of

_ASCII_WORD_RE: Final = re.compile(r"[a-z0-9]+")


def _pinyin_parts(text: str, *, tones: bool) -> tuple[tuple[str, bool], ...]:
    """Pinyin syllables (flagged True) and lowercase Latin words (False), in text order."""
    # Plain t2s rather than to_simplified: the pinyin is that of the words as written.
    return _simplified_pinyin_parts(to_simplified_characters(normalise(text)), tones)


def _simplified_pinyin_parts(text: str, tones: bool) -> tuple[tuple[str, bool], ...]:
    """``_pinyin_parts`` of a normalised, Simplified text.

    pypinyin's readings are asked once per text, for the syllables with their tone digits; the toneless
    ones are the same without the digit (checked over every character and phrase pypinyin
    knows, and CC-CEDICT's headwords), so a term's key, tones and initials cost one reading.
    """
    toned = _toned_pinyin_parts(text)
    if tones:
        return toned
    return tuple(
        (_TONE_DIGIT_RE.sub("", part), True) if is_syllable else (part, False)
        for part, is_syllable in toned
    )


_TONE_DIGIT_RE: Final = re.compile(r"[1-5]$")


@lru_cache(maxsize=8192)
def _toned_pinyin_parts(text: str) -> tuple[tuple[str, bool], ...]:
    """``_pinyin_parts`` with tones, remembered, since a Traditional term and its Simplified
    twin, and a term's key, tones and initials, ask for the same."""
    parts: list[tuple[str, bool]] = []
    for run in HAN_RUN_RE.findall(text):
        if has_han(run):
            parts.extend((syllable, True) for syllable in syllables(run))
        else:
            # Accents would otherwise drop letters from the key ("Élan" → "lan").
            latin = _strip_tone_marks(run)
            parts.extend((word, False) for word in _ASCII_WORD_RE.findall(latin))
    return tuple(parts)


def pinyin(text: str, *, tones: bool = False) -> str:
    """Pinyin of the Han characters, syllables separated by spaces; tones as digits (sheng1) when asked."""
    return " ".join(part for part, _ in _pinyin_parts(text, tones=tones))


def pinyin_reading(text: str) -> list[tuple[str, bool]]:
    """Pinyin to show beside a term, a part at a time: the Han characters' syllables with tone
    digits (flagged True), and the Latin words as the term writes them (生成式AI →
    sheng1 cheng2 shi4 AI; GPT-4架构 → GPT-4 jia4 gou4), where ``pinyin`` folds them to
    lowercase keys."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    parts: list[tuple[str, bool]] = []
    for run in HAN_RUN_RE.findall(text):
        if has_han(run):
            parts.extend(
                (part, True) for part, is_syllable in _pinyin_parts(run, tones=True) if is_syllable
            )
        else:
            parts.extend((word, False) for word in run.split())
    return parts


def pinyin_initials(text: str) -> str:
    """First letter of each pinyin syllable, Latin words kept whole: 生成式人工智能 → "scsrgzn"."""
    return "".join(
        part[0] if is_syllable else part for part, is_syllable in _pinyin_parts(text, tones=False)
    )


def pinyin_key(text: str) -> str:
    """Toneless pinyin without spaces, for matching: 生成式人工智能 → "shengchengshirengongzhineng"."""
    return "".join(part for part, _ in _pinyin_parts(text, tones=False))


def pinyin_forms(text: str) -> tuple[str, str, str]:
    """``pinyin_key``, ``pinyin`` with tones and without spaces, and ``pinyin_initials`` of a
    text, from one reading: what a term's search keys need, each exactly as those give it."""
    simplified = to_simplified_characters(normalise(text))
    toned = _simplified_pinyin_parts(simplified, True)
    plain = _simplified_pinyin_parts(simplified, False)
    return (
        "".join(part for part, _ in plain),
        " ".join(part for part, _ in toned).replace(" ", ""),
        "".join(part[0] if is_syllable else part for part, is_syllable in plain),
    )


# The standard toneless syllables, ü written v; the consonant-only interjections (m, n, ng, hm, hng)
# are left out so that strings of consonants do not parse as pinyin.
_PINYIN_SYLLABLES: Final = frozenset(
    words_of(
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
