"""Toneless pinyin is read from the toned syllables: it must be what pypinyin itself gives."""

from __future__ import annotations

import pytest
from pypinyin import Style, lazy_pinyin

from glossary import language as text

# Polyphones read by phrase, ü, the neutral tone, syllabic nasals, erhua.
WORDS = [
    "生成式人工智能",
    "人工智慧",
    "绿色",
    "女性",
    "掠夺",
    "好了",
    "了解",
    "银行",
    "行为",
    "重新",
    "重要",
    "嗯",
    "呣",
    "哪儿",
    "长短期记忆",
    "眼不见",  # pypinyin's segmenter reads a phrase's unfinished start character by character
]


@pytest.mark.parametrize("word", WORDS)
def test_toneless_pinyin_is_pypinyins_own(word):
    simplified = text.to_simplified_characters(text.normalise(word))
    expected = [
        syllable
        for syllable in lazy_pinyin(
            simplified, style=Style.NORMAL, neutral_tone_with_five=True, errors="ignore"
        )
        if syllable
    ]
    assert text.pinyin(word) == " ".join(expected)
    assert text.pinyin_key(word) == "".join(expected)
    assert len(text.pinyin(word, tones=True).split()) == len(expected)


@pytest.mark.parametrize("word", WORDS)
def test_toned_pinyin_is_pypinyins_own(word):
    """Each syllable's tone digits are restyled once per process: still pypinyin's answer,
    asked twice so that the second reading comes from what was remembered."""
    simplified = text.to_simplified_characters(text.normalise(word))
    expected = [
        syllable
        for syllable in lazy_pinyin(
            simplified, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore"
        )
        if syllable
    ]
    for _ in range(2):
        assert text.pinyin(word, tones=True) == " ".join(expected)


@pytest.mark.parametrize("word", [*WORDS, "GPT-4架构", "冯·诺依曼", "Élan值", ""])
def test_pinyin_forms_are_the_three_keys(word):
    assert text.pinyin_forms(word) == (
        text.pinyin_key(word),
        text.pinyin(word, tones=True).replace(" ", ""),
        text.pinyin_initials(word),
    )
