"""Unit tests for glossary.language: no database, no Django."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from typing import Any

import pytest

from glossary import language as text
from glossary.language import (
    Token,
    browse_letter,
    english_key,
    fold,
    has_han,
    normalise,
    pinyin,
    pinyin_initials,
    pinyin_key,
    query_pinyin_initials,
    query_pinyin_key,
    script_of,
    scripts,
    segment,
    segmentation,
    set_user_terms,
    sort_key,
    to_simplified,
    to_traditional,
    update_user_terms,
    user_terms_key,
)
from tests.language.fresh import run_python


@pytest.fixture(scope="module", autouse=True)
def _jieba_once() -> None:
    # Loading jieba's dictionary takes about a second: do it once for the whole module.
    segmentation._base_tokenizer()


@pytest.fixture
def user_terms() -> Iterator[None]:
    """Leave jieba's user dictionary as the test found it, for other test modules."""
    saved = segmentation._jieba_state.loaded
    yield
    segmentation._jieba_state.loaded = saved


# --- import hygiene and silence --------------------------------------------------------------


def test_import_is_light_and_jieba_is_silent() -> None:
    script = """
import json, sys
import glossary.language as t
loaded = {name: name in sys.modules for name in ("jieba", "opencc", "pypinyin", "django")}
tokens = [token.text for token in t.segment("大语言模型")]
print(json.dumps({"loaded": loaded, "tokens": tokens}))
"""
    result = run_python(script)
    output = json.loads(result.stdout)
    assert output["loaded"] == {"jieba": False, "opencc": False, "pypinyin": False, "django": False}
    assert "".join(output["tokens"]) == "大语言模型"
    assert result.stderr == ""


# --- normalise, scripts ----------------------------------------------------------------------


def test_normalise_full_width() -> None:
    assert normalise("ＧＰＴ－４") == "gpt-4"


def test_normalise_whitespace() -> None:
    assert normalise("Large  Language\u3000Model") == "large language model"
    assert normalise("  \tlarge\n\nmodel \u00a0") == "large model"


def test_normalise_dashes_quotes_and_dots() -> None:
    assert normalise("pre\u2014training") == "pre-training"
    assert normalise("pre\u2013training") == "pre-training"
    assert normalise("a\u2010b\u2011c\u2012d\u2015e\ufe63f") == "a-b-c-d-e-f"
    assert normalise("\u201cAttention\u201d \u2018is\u2019") == "\"attention\" 'is'"
    assert normalise("冯・诺依曼") == normalise("冯·诺依曼") == "冯·诺依曼"
    assert normalise("zero\u200bwidth") == "zerowidth"


def test_has_han() -> None:
    assert has_han("GPT-4模型")
    assert has_han("\u3400")  # extension A
    assert has_han("\uf900")  # compatibility ideograph
    assert has_han("\U00020000")  # extension B
    assert not has_han("GPT-4")
    assert not has_han("。，")


def test_count_han() -> None:
    assert text.count_han("") == 0
    assert text.count_han("GPT-4 是大语言模型，二〇二四年") == 11
    assert text.count_han("\U00020000 and 𠀀") == 2  # extension B


def test_script_of() -> None:
    assert script_of("alignment") == "latin"
    assert script_of("对齐") == "han"
    assert script_of("AI芯片") == "mixed"
    assert script_of("3.14 ·") == "none"
    assert script_of("") == "none"


# --- English keys ----------------------------------------------------------------------------


def test_english_key_unifies_hyphens_spaces_and_plurals() -> None:
    assert (
        english_key("Large Language Models")
        == english_key("large-language model")
        == english_key("large language model")
        == english_key("large language-models")
        == "large language model"
    )


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("policies", "policy"),
        ("bias", "bias"),
        ("biases", "bias"),
        ("analysis", "analysis"),
        ("analyses", "analysis"),
        ("corpus", "corpus"),
        ("axis", "axis"),
        ("lens", "lens"),
        ("news", "news"),
        ("series", "series"),
        ("data", "data"),
        ("GPUs", "gpu"),
        ("gpus", "gpu"),
        ("LLMs", "llm"),
        ("llms", "llm"),
        ("AIs", "ai"),
        ("classes", "class"),
        ("boxes", "box"),
        ("batches", "batch"),
        ("caches", "cache"),
        ("embeddings", "embedding"),
        ("gas", "gas"),
    ],
)
def test_english_key_singularises(word: str, key: str) -> None:
    assert english_key(word) == key


def test_english_key_apostrophes_and_punctuation() -> None:
    assert english_key("Bayes' theorem") == english_key("Bayes's theorem") == "bayes theorem"
    assert english_key("Moore\u2019s law") == "moore law"
    assert english_key("Retrieval-Augmented Generation (RAG)") == (
        "retrieval augmented generation rag"
    )
    assert english_key("GPT-3.5") == "gpt 3.5"
    assert english_key("C++") == "c++"


# --- Simplified / Traditional ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("人工智慧", "人工智能"),
        ("軟體", "软件"),
        ("軟件", "软件"),  # Hong Kong
        ("資料", "数据"),
        ("數據", "数据"),
        ("演算法", "算法"),
        ("網路", "网络"),
        ("網絡", "网络"),
        ("晶片", "芯片"),
        ("程式", "程序"),
        ("大型語言模型", "大型语言模型"),
        ("生成式人工智慧", "生成式人工智能"),
        ("衞星", "卫星"),  # Hong Kong variant character
        ("序列埠", "串口"),
    ],
)
def test_to_simplified(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified


@pytest.mark.parametrize(
    "simplified",
    [
        "人工智能",
        "大型语言模型",
        "算法",
        "数据",
        "序列",
        "向量",
        "程序",
        "文件",
        "建立",
        "智慧城市",
        "显著性",
        "原著",
        "评估指标",
        "尼日利亚",
        "塔吉克斯坦",
        "GPT-4模型",
    ],
)
def test_to_simplified_leaves_simplified_alone(simplified: str) -> None:
    assert to_simplified(simplified) == simplified


def test_to_simplified_leaves_latin_alone() -> None:
    assert to_simplified("Large Language Model") == "Large Language Model"


def test_to_traditional() -> None:
    assert to_traditional("人工智能") == "人工智慧"
    assert to_traditional("软件") == "軟體"
    assert to_traditional("数据") == "資料"
    assert to_traditional("软件", region="hk") == "軟件"
    assert to_traditional("数据", region="hk") == "數據"
    assert to_traditional("GPT") == "GPT"
    with pytest.raises(ValueError):
        to_traditional("软件", region="mo")  # type: ignore[arg-type]


# --- fold ------------------------------------------------------------------------------------


def test_fold_across_scripts() -> None:
    assert fold("人工智慧") == fold("人工智能") == "人工智能"
    assert fold("軟體") == fold("软件")
    assert fold("Large-Language Models") == fold("large language model")


def test_fold_mixed_text() -> None:
    assert fold("GPT-4模型") == fold("gpt 4 模型") == "gpt 4模型"
    assert fold("AI晶片") == fold("AI 芯片") == fold("ＡＩ芯片") == "ai芯片"
    assert fold("大型語言模型（LLMs）") == fold("大型语言模型 LLM")


def test_fold_middle_dots_and_punctuation() -> None:
    assert fold("馮‧諾依曼") == fold("冯·诺依曼") == fold("冯诺依曼")
    assert fold("人工智能，机器学习") == "人工智能 机器学习"


# --- pinyin ----------------------------------------------------------------------------------


def test_pinyin() -> None:
    assert pinyin("生成式人工智能") == "sheng cheng shi ren gong zhi neng"
    assert pinyin("生成式人工智能", tones=True) == "sheng1 cheng2 shi4 ren2 gong1 zhi4 neng2"
    assert pinyin("银行") == "yin hang"


def test_pinyin_traditional_characters() -> None:
    assert pinyin("機器學習") == pinyin("机器学习") == "ji qi xue xi"
    assert pinyin("大語言模型", tones=True) == pinyin("大语言模型", tones=True)
    assert pinyin("銀行") == "yin hang"
    # The pinyin is that of the words as written: Taiwan's 人工智慧 is not read as 人工智能.
    assert pinyin("生成式人工智慧") == "sheng cheng shi ren gong zhi hui"


def test_pinyin_neutral_tone_and_latin() -> None:
    assert pinyin("了", tones=True) == "le5"
    assert pinyin("女", tones=True) == "nv3"
    assert pinyin("GPT-4模型") == "gpt 4 mo xing"
    assert pinyin("Élan模型") == "elan mo xing"


def test_pinyin_initials_and_key() -> None:
    assert pinyin_initials("生成式人工智能") == "scsrgzn"
    assert pinyin_initials("AI芯片") == "aixp"
    assert pinyin_key("生成式人工智能") == "shengchengshirengongzhineng"
    assert pinyin_key("機器學習") == pinyin_key("机器学习") == "jiqixuexi"


def test_query_pinyin_key() -> None:
    key = pinyin_key("生成式人工智能")
    assert query_pinyin_key("shengchengshi rengong zhineng") == key
    assert query_pinyin_key("sheng cheng shi ren gong zhi neng") == key
    assert query_pinyin_key("ShengChengShiRenGongZhiNeng") == key
    assert query_pinyin_key("sheng1 cheng2 shi4") == "shengchengshi"
    assert query_pinyin_key("Shēngchéngshì") == "shengchengshi"
    assert query_pinyin_key("xi'an") == "xian"
    assert query_pinyin_key("lüe") == query_pinyin_key("lue") == pinyin_key("略") == "lve"


def test_query_pinyin_key_rejects_non_pinyin() -> None:
    assert query_pinyin_key("transformer") is None
    assert query_pinyin_key("scsrgzn") is None
    assert query_pinyin_key("GPT-4") is None
    assert query_pinyin_key("人工智能") is None
    assert query_pinyin_key("   ") is None


def test_query_pinyin_initials() -> None:
    assert query_pinyin_initials("scsrgzn") == "scsrgzn"
    assert query_pinyin_initials("SCSRGZN") == "scsrgzn"
    assert query_pinyin_initials("s") is None
    assert query_pinyin_initials("transformer") is None
    assert query_pinyin_initials("shengcheng") is None
    assert query_pinyin_initials("生成") is None


# --- sorting and browsing --------------------------------------------------------------------


def test_sort_key_chinese_by_pinyin() -> None:
    terms = ["深度学习", "人工智能", "大模型"]
    assert sorted(terms, key=lambda term: sort_key(term, "zh-Hans")) == [
        "大模型",
        "人工智能",
        "深度学习",
    ]
    assert sort_key("機器學習", "zh-Hant") < sort_key("深度學習", "zh-Hant")
    # Syllable by syllable: ma comes before mai whatever follows.
    assert sort_key("马力", "zh-Hans") < sort_key("买", "zh-Hans")


def test_sort_key_english() -> None:
    terms = ["Transformer", "alignment", "Bias"]
    assert sorted(terms, key=lambda term: sort_key(term, "en")) == [
        "alignment",
        "Bias",
        "Transformer",
    ]


def test_browse_letter() -> None:
    assert browse_letter("生成式人工智能", "zh-Hans") == "S"
    assert browse_letter("機器學習", "zh-Hant") == "J"
    assert browse_letter("alignment", "en") == "A"
    assert browse_letter("Élan", "en") == "E"
    assert browse_letter("3D", "en") == "#"
    assert browse_letter("AI芯片", "zh-Hans") == "A"
    assert browse_letter("", "en") == "#"


# --- segmentation ----------------------------------------------------------------------------


def assert_tokens_cover(source: str, tokens: list[Token]) -> None:
    assert "".join(token.text for token in tokens) == source
    position = 0
    for token in tokens:
        assert token.start == position
        assert source[token.start : token.end] == token.text
        assert token.end > token.start
        position = token.end


def test_segment_without_user_terms(user_terms: None) -> None:
    set_user_terms([], key="test-text:none")
    tokens = segment("大语言模型")
    assert len(tokens) > 1
    assert_tokens_cover("大语言模型", tokens)


def test_segment_with_user_terms(user_terms: None) -> None:
    set_user_terms(["大语言模型", "生成式人工智能"], key="test-text:k1")
    assert user_terms_key() == "test-text:k1"
    assert segment("大语言模型") == [Token("大语言模型", 0, 5)]
    tokens = segment("什么是生成式人工智能？")
    assert Token("生成式人工智能", 3, 10) in tokens
    assert "人工智能" not in [token.text for token in tokens]
    assert_tokens_cover("什么是生成式人工智能？", tokens)


def test_segment_traditional_input_with_simplified_term(user_terms: None) -> None:
    set_user_terms(["大语言模型"], key="test-text:k2")
    assert segment("大語言模型") == [Token("大語言模型", 0, 5)]
    tokens = segment("這是大語言模型嗎")
    assert Token("大語言模型", 2, 7) in tokens
    assert_tokens_cover("這是大語言模型嗎", tokens)


def test_segment_offsets_when_conversion_changes_length(user_terms: None) -> None:
    # 演算法 → 算法 and 程式設計 → 编程 shorten the text that jieba sees.
    set_user_terms(["算法", "人工智能"], key="test-text:k3")
    source = "使用演算法與人工智慧的程式設計"
    tokens = segment(source)
    assert_tokens_cover(source, tokens)
    assert Token("演算法", 2, 5) in tokens
    assert Token("人工智慧", 6, 10) in tokens
    assert tokens[-1].end == len(source)


def test_segment_traditional_user_term(user_terms: None) -> None:
    set_user_terms(["演算法"], key="test-text:k4")
    source = "這個演算法很好"
    tokens = segment(source)
    assert Token("演算法", 2, 5) in tokens
    assert_tokens_cover(source, tokens)


def test_segment_mixed_text_round_trips(user_terms: None) -> None:
    set_user_terms(["大语言模型"], key="test-text:k5")
    source = "GPT-4 是一个大语言模型。"
    tokens = segment(source)
    assert_tokens_cover(source, tokens)
    assert [token.text for token in tokens] == ["GPT-4", " ", "是", "一个", "大语言模型", "。"]


def test_segment_latin_runs_and_spaces(user_terms: None) -> None:
    set_user_terms([], key="test-text:none")
    source = "用  ＧＰＵ 和 C++ 训练\r\n模型"
    tokens = segment(source)
    assert_tokens_cover(source, tokens)
    texts = [token.text for token in tokens]
    assert "  " in texts
    assert "ＧＰＵ" in texts
    assert "C++" in texts
    assert segment("") == []


def test_set_user_terms_same_key_is_a_no_op(user_terms: None) -> None:
    set_user_terms(["大语言模型"], key="test-text:k6")
    builds = segmentation._user_terms_builds()
    started = time.perf_counter()
    set_user_terms(["完全不同的词"], key="test-text:k6")
    assert time.perf_counter() - started < 0.01
    assert segmentation._user_terms_builds() == builds
    assert user_terms_key() == "test-text:k6"
    assert segment("大语言模型") == [Token("大语言模型", 0, 5)]
    set_user_terms(["完全不同的词"], key="test-text:k7")
    assert segmentation._user_terms_builds() == builds + 1


def test_set_user_terms_without_terms(user_terms: None) -> None:
    set_user_terms([], key="test-text:empty")
    set_user_terms(["  ", "GPT-4"], key="test-text:no-han")
    assert user_terms_key() == "test-text:no-han"
    assert_tokens_cover("大语言模型", segment("大语言模型"))


def test_a_user_dictionary_is_the_only_table_of_jiebas_words(user_terms: None) -> None:
    # A worker holds jieba's half a million words once beside its tokenizer: the user
    # dictionary's table, not that and a copy of the base one, with one score object for each
    # frequency rather than one for each word.
    segment("大语言模型")  # reads jieba's own words, whatever is loaded
    set_user_terms(["大语言模型", "機器學習"], key="test-text:one-table")
    assert segmentation._jieba_state.base_vocabulary is None
    scores = segmentation._vocabulary().scores
    assert len(scores) > 300_000
    assert len({id(score) for score in scores.values()}) < 20_000
    assert segment("大语言模型") == [Token("大语言模型", 0, 5)]
    # Removing a term gives it back its score in jieba's own dictionary.
    base = segmentation._base_tokenizer()
    assert update_user_terms(
        [], ["大语言模型"], key="test-text:one-table-2", previous="test-text:one-table"
    )
    assert scores["语言"] == math.log(base.FREQ["语言"]) - math.log(base.total)
    assert scores["大语言模型"] is None
    assert segment("大语言模型") != [Token("大语言模型", 0, 5)]


def jieba_reference(terms: list[str]) -> Any:
    """The tokenizer set_user_terms stands for: jieba's add_word with suggest_freq, term by term."""
    import jieba

    base = segmentation._base_tokenizer()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(base.FREQ)
    tokenizer.total = base.total
    tokenizer.initialized = True
    forms: dict[str, None] = {}
    for term in terms:
        for form in (term.strip(), to_simplified(term.strip())):
            if has_han(form):
                forms[form] = None
    for form in forms:
        freq = max(tokenizer.suggest_freq(form, tune=False), segmentation._USER_TERM_FREQ)
        tokenizer.add_word(form, freq=freq)
    tokenizer.total = base.total
    return tokenizer


# Words jieba knows often enough to keep their own frequency (的, 我们, 中国), a term with
# punctuation, an extension-B character, Latin, digits, line ends and full-width forms, and
# terms scoring alike, whose tie goes to the longer first word (甲乙 · 丙 over 甲 · 乙丙).
REFERENCE_TERMS = [
    "的", "我们", "中国", "大语言模型", "演算法", "冯·诺依曼", "\U00020000漢字", "GPT-4模型", "人工智慧",
    "甲乙", "乙丙", "甲", "丙",
]  # fmt: skip
REFERENCE_TEXTS = [
    "我们的大语言模型在中国很有名。甲乙丙",
    "使用演算法與人工智慧的程式設計，冯·诺依曼架构",
    "GPT-4模型和C++ 2024年\r\n\r\n  ＧＰＵ \U00020000漢字〇 a1b2 x.y_z%",
    "\r\r\n的的的我们我们 ",
    "",
    # A text that starts and ends inside a block; a block of a prefix that is no word.
    "大语言模型GPT",
    "大语言",
]


def test_segment_cuts_the_way_jieba_does(user_terms: None) -> None:
    import math

    set_user_terms(REFERENCE_TERMS, key="test-text:reference")
    reference = jieba_reference(REFERENCE_TERMS)
    log_total = math.log(reference.total)
    expected_scores = {
        word: math.log(freq) - log_total if freq else None for word, freq in reference.FREQ.items()
    }
    vocabulary = segmentation._vocabulary()
    assert vocabulary.scores == expected_scores
    for source in REFERENCE_TEXTS:
        cuts = [0]
        for word in reference.cut(source, HMM=False):
            cuts.append(cuts[-1] + len(word))
        assert segmentation._cut(source, vocabulary) == cuts


def aligned_run_by_run(source: str) -> tuple[str, list[int]]:
    """to_simplified aligned one Han run and one conversion at a time, the slow way."""
    parts: list[str] = []
    boundaries = [0]
    for match in scripts.HAN_RUN_RE.finditer(source):
        run, offset = match.group(), match.start()
        pieces = [(offset, match.end(), run)]
        if has_han(run):
            converted = to_simplified(run)
            pieces = [
                (offset + i, offset + i + 1, to_simplified(char)) for i, char in enumerate(run)
            ]
            by_character = "".join(piece for *_, piece in pieces) == converted
            if not by_character and len(run) <= segmentation._MAX_ALIGNED_RUN:
                cuts = [0]
                cuts += [
                    i
                    for i in range(1, len(run))
                    if to_simplified(run[:i]) + to_simplified(run[i:]) == converted
                ]
                cuts.append(len(run))
                phrases = [
                    (offset + start, offset + end, to_simplified(run[start:end]))
                    for start, end in zip(cuts, cuts[1:], strict=False)
                ]
                if "".join(piece for *_, piece in phrases) == converted:
                    pieces = phrases
        for start, end, piece in pieces:
            if len(piece) == end - start:
                boundaries.extend(range(start + 1, end + 1))
            else:
                boundaries.extend([end] * len(piece))
            parts.append(piece)
    return "".join(parts), boundaries


def test_simplify_aligned_matches_the_run_by_run_alignment() -> None:
    # Simplified text keeps its offsets as they are; Traditional phrases (演算法 → 算法) are
    # aligned, also where a run comes twice or is too long to align.
    for source in [
        "深度学习和大语言模型，GPT-4。",
        "使用演算法與人工智慧的程式設計；演算法\n神經網路 in 資料庫裏的乾隆頭髮",
        "這是演算法。這是演算法。" + "演算法" * 70,
        "𠀀漢字〇 ＧＰＴ－４ café\r\n",
        "",
    ]:
        simplified, shifts = segmentation._simplify_aligned(source)
        boundaries = list(range(len(simplified) + 1))
        if shifts is not None:
            boundaries = [segmentation._original(shifts, boundary) for boundary in boundaries]
            # The cuts of a text, mapped a few at a time, as each is mapped alone.
            cuts = list(range(len(simplified) + 1))
            for every in (1, 3):
                some = cuts[::every]
                for split in (0, len(some) // 2, len(some)):
                    shifting = segmentation._Shifting(shifts)
                    mapped: list[int] = []
                    shifting.extend(mapped, some[:split])
                    shifting.extend(mapped, some[split:])
                    assert mapped == list(dict.fromkeys(boundaries[::every]))
            # The cut maps its words' ends back as it goes, as each is mapped alone.
            vocabulary = segmentation._vocabulary()
            words = segmentation._cut(simplified, vocabulary)
            assert segmentation._cut(simplified, vocabulary, shifts) == list(
                dict.fromkeys(segmentation._original(shifts, end) for end in words)
            )
        assert (simplified, boundaries) == aligned_run_by_run(source)


# --- search helpers (glossary.search.keys, glossary.search.ranking) ---------------------------------


def test_query_pinyin_tones_from_marks_and_digits() -> None:
    expected = "sheng1cheng2shi4"
    assert text.query_pinyin_tones("shēng chéng shì") == expected
    assert text.query_pinyin_tones("Shēngchéngshì") == expected
    assert text.query_pinyin_tones("sheng1 cheng2 shi4") == expected
    assert text.query_pinyin_tones("sheng1cheng2shi4") == expected
    # Written as pinyin(text, tones=True) writes it: ü as v, the neutral tone as 5.
    assert (
        text.query_pinyin_tones("lǜsè") == "lv4se4" == pinyin("绿色", tones=True).replace(" ", "")
    )
    assert text.query_pinyin_tones("lüe4") == text.query_pinyin_tones("lu:e4") == "lve4"
    assert text.query_pinyin_tones("shēngchéng de") == "sheng1cheng2de5"
    assert text.query_pinyin_tones("xī'ān") == "xi1an1"


def test_query_pinyin_tones_needs_tones_and_pinyin() -> None:
    assert text.query_pinyin_tones("shengchengshi") is None
    assert text.query_pinyin_tones("transformer") is None
    assert text.query_pinyin_tones("GPT-4") is None
    assert text.query_pinyin_tones("4") is None
    assert text.query_pinyin_tones("人工智能") is None
    assert text.query_pinyin_tones("") is None


def test_segment_words_splits_glossary_terms_into_their_words(user_terms: None) -> None:
    # Unlike segment(), the user dictionary does not keep a glossary term whole.
    set_user_terms(["大语言模型"], key="test-text:words")
    assert [token.text for token in segment("大语言模型")] == ["大语言模型"]
    tokens = text.segment_words("大语言模型")
    assert [(token.text, token.start) for token in tokens] == [("大", 0), ("语言", 1), ("模型", 3)]
    words = {token.text for token in text.segment_words("生成式人工智能")}
    assert {"生成", "人工智能", "人工", "智能"} <= words


def test_segment_words_offsets_into_traditional_text() -> None:
    source = "大語言模型"
    tokens = text.segment_words(source)
    assert [token.text for token in tokens] == ["大", "語言", "模型"]
    assert all(source[token.start : token.end] == token.text for token in tokens)
    assert text.segment_words("") == []
    assert text.segment_words("   ") == []


def test_han_runs_and_the_other_words() -> None:
    assert text.han_runs("用GPT-4生成〇号") == ["用", "生成〇号"]
    assert text.non_han_words("held-out data, GPT-4模型 über") == [
        "held",
        "out",
        "data",
        "GPT",
        "4",
        "über",
    ]
