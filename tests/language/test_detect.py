"""The one language detector (glossary.language.detect): what the term check and the site read."""

from __future__ import annotations

import pytest

from glossary.language.detect import detect
from glossary.site.presentation import guess_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # A Chinese frame around Latin names.
        ("Transformer 架构", "zh-Hans"),
        ("我们用GPT-4模型做实验。", "zh-Hans"),
        ("word embedding 译作“词嵌入”。", "zh-Hans"),
        ("word embedding 譯為「詞嵌入」。", "zh-Hant"),
        ("GB/T 41867-2022 信息技术 人工智能 术语", "zh-Hans"),
        # An English frame around Chinese terms.
        ("the term 人工智能", "en"),
        ("The term 人工智能 is used in China.", "en"),
        ("Word embedding is 词嵌入 / 詞嵌入.", "en"),
        ("'Tokenizer' is 分词器 in the PRC and 分詞器 in Taiwan.", "en"),
        # Code is not language.
        ("`人工智能` is code here", "en"),
        ("1, 2, 3", None),
        ("", None),
    ],
)
def test_one_detector_for_every_reader(text: str, language: str | None) -> None:
    assert detect(text) == language
    # The site tags such text with the same language (English where there are no letters).
    assert guess_language(text) == (language or "en")


def test_without_its_variant_a_chinese_text_is_the_chinese_given() -> None:
    # For a reader that only tells English from Chinese: the script is not read.
    assert detect("word embedding 譯為「詞嵌入」。", variant=False) == "zh-Hans"
    assert detect("word embedding 譯為「詞嵌入」。", chinese="zh-Hant", variant=False) == "zh-Hant"
    assert detect("The term 人工智能 is used in China.", variant=False) == "en"
    assert detect("1, 2, 3", variant=False) is None


def test_a_term_in_latin_letters_is_tagged_english_whatever_its_language() -> None:
    from glossary.language.detect import term_language

    assert term_language("Transformer", "zh-Hant") == "en"
    assert term_language("GPT-4", "zh-Hans") == "en"
    assert term_language("k折交叉验证", "zh-Hans") == "zh-Hans"
    assert term_language("变换器", "zh-Hans") == "zh-Hans"
