"""``glossary.language.words``: jieba's search-mode cut from a compact copy of its dictionary.

The search keys of every published term come from it, so it must cut as jieba does, token for
token: each test compares it with jieba itself.
"""

from __future__ import annotations

import csv
import logging
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.language import words
from tests.language.fresh import run_python

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def jieba_tokenizer() -> object:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _jieba(tokenizer: object, text: str) -> list[tuple[str, int, int]]:
    return list(tokenizer.tokenize(text, mode="search", HMM=False))  # type: ignore[attr-defined]


def _real_texts() -> Iterator[str]:
    """The real term lists the tests hold, and the term check's labelled sentence pairs and
    glossaries (English, Simplified and Traditional)."""
    paths = [
        *sorted((DATA / "lists").glob("*.csv")),
        *sorted(DATA.glob("check*/labels*.csv")),
        *sorted(DATA.glob("check*/glossary.csv")),
    ]
    for path in paths:
        with path.open(encoding="utf-8", newline="") as rows:
            for row in csv.DictReader(rows):
                for column in ("en", "zh_hans", "zh_hant", "definition_zh", "text"):
                    if row.get(column):
                        yield row[column]


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "a",
        "模型",
        "大语言模型",
        "生成式人工智能",
        "人工智能AI系统",
        "大语言模型LLM",
        "GPT-4 模型",
        "C++编程语言",
        "3D打印",
        "a模型b1",
        "深度学习\r\n模型",
        "机器学习（ML）与深度学习",
        "知识蒸馏、模型压缩",
        "大語言模型",
        "中华人民共和国网络安全法",
        "x_1 + y.2 %",
        "𠀀模型",
    ],
)
def test_cuts_as_jieba_does(jieba_tokenizer: object, text: str) -> None:
    assert words.search_tokens(text) == _jieba(jieba_tokenizer, text)


def test_cuts_real_terms_and_sentences_as_jieba_does(jieba_tokenizer: object) -> None:
    texts = list(_real_texts())
    assert len(texts) > 1200
    different = [
        text for text in texts if words.search_tokens(text) != _jieba(jieba_tokenizer, text)
    ]
    assert different == []


def test_cuts_jiebas_own_words_and_their_joins_as_jieba_does(jieba_tokenizer: object) -> None:
    # Every 25th word of jieba's dictionary (about 14,000), then pairs of them joined with what
    # lies between words in real text: the cut is then made between two dictionary words.
    known = [word for word, count in jieba_tokenizer.FREQ.items() if count]  # type: ignore[attr-defined]
    sample = known[::25]
    rng = random.Random(2023)
    joins = ["", " ", "-", "AI", "，", "3D ", "\r\n", "GPT-4"]
    texts = sample + [
        rng.choice(sample) + rng.choice(joins) + rng.choice(sample) for _ in range(5000)
    ]
    different = [
        text for text in texts if words.search_tokens(text) != _jieba(jieba_tokenizer, text)
    ]
    assert different == []


def test_reads_jiebas_dictionary_without_loading_jieba() -> None:
    # What publishing needs of jieba (the search keys of a term) costs a process no more than the
    # compact copy: jieba's own tables (about 75 MB) stay unloaded.
    program = (
        "import sys\n"
        "from glossary.language import segment_words\n"
        "assert [token.text for token in segment_words('大语言模型')] == ['大', '语言', '模型']\n"
        "print('jieba' in sys.modules)\n"
    )
    answer = run_python(program)
    assert answer.stdout.strip() == "False"


def test_a_bad_dictionary_line_is_named(tmp_path: Path) -> None:
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("模型 100 n\n语言\n", encoding="utf-8")
    with pytest.raises(ValueError, match="at line 2"):
        words._Dictionary.read(dictionary)


def test_a_word_listed_twice_keeps_its_last_count(tmp_path: Path) -> None:
    # As jieba reads its dictionary: the last count of a word stands, the total counts both.
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("模型 100 n\n语言 50 n\n模型 7 n\n", encoding="utf-8")
    read = words._Dictionary.read(dictionary)
    assert read.count("模型") == 7
    assert read.count("模") == 0
    assert read.count("猫") == 0
    assert read.total == 157


def test_the_mapped_copy_counts_and_cuts_as_the_dictionary_read_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = words._Dictionary.read(words._jieba_dictionary_path())
    trie_path, counts_path = tmp_path / "words.marisa", tmp_path / "words.counts"
    source.save(trie_path, counts_path)
    mapped = words._Dictionary.mapped(trie_path, counts_path)
    assert mapped.total == source.total and mapped.log_total == source.log_total
    assert len(mapped.counts) == len(source.counts)
    for word in ["模型", "语言", "大", "猫", "人工智能", "不是一个词", "ab"]:
        assert mapped.count(word) == source.count(word)
    texts = ["大语言模型的训练数据", "卷積神經網路", "GPT-4 是一个多模态模型"]
    monkeypatch.setattr(words, "_dictionary", lambda: source)
    expected = [words.search_tokens(text) for text in texts]
    monkeypatch.setattr(words, "_dictionary", lambda: mapped)
    assert [words.search_tokens(text) for text in texts] == expected


def test_the_copy_is_written_once_for_the_installed_jieba(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trie_path, counts_path = (
        tmp_path / "words-jieba-0.42.1.marisa",
        tmp_path / "words-jieba-0.42.1.counts",
    )
    stale = tmp_path / "words-jieba-0.41.marisa"
    stale.write_bytes(b"")
    monkeypatch.setattr(words, "store_paths", lambda: (trie_path, counts_path))
    assert words.write_store() == trie_path
    assert words.write_store() is None
    assert sorted(tmp_path.iterdir()) == [counts_path, trie_path]
    # A copy cut short (its counts lost) is written again.
    counts_path.unlink()
    assert words.write_store() == trie_path


def test_a_process_maps_the_copy_make_wrote(tmp_path: Path) -> None:
    # A worker opens the files make wrote; it neither reads dict.txt nor builds a trie.
    trie_path, counts_path = words.store_paths()
    assert trie_path.exists() and counts_path.exists(), "make stores writes them"
    program = (
        "from glossary.language import words\n"
        "def refuse(*args):\n"
        "    raise AssertionError('read dict.txt')\n"
        "words._Dictionary.read = refuse\n"
        "print(words.search_tokens('大语言模型'))\n"
    )
    answer = run_python(program)
    assert answer.stdout.strip() == "[('大', 0, 1), ('语言', 1, 3), ('模型', 3, 5)]"
