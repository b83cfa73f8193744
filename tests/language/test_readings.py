"""pypinyin's readings from the trie: what pypinyin itself gives, without pypinyin in memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pypinyin import Style, lazy_pinyin

from glossary.language import readings
from tests.language.fresh import run_python

TEXTS = [
    "银行行为",  # polyphones read by phrase
    "长短期记忆",
    "好了",  # the neutral tone
    "女性",  # ü
    "哪儿",  # erhua
    "嗯",
    # A rest that begins a phrase (眼不见为净) without holding one is read character by
    # character (bu4), although 不见 alone is a phrase (bu2 jian4).
    "眼不见",
    "眼不见，心不烦",
    "一丝不",
    "银\u3402行",  # a Han character pypinyin has no reading for
    "𠀀",  # beyond the Basic Multilingual Plane
    "GPT-4架构",
    "冯·诺依曼",
    "",
]


def _pypinyins(text: str) -> list[str]:
    found = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore")
    return [syllable for syllable in found if syllable]


@pytest.fixture(scope="module")
def built_store() -> Any:
    """The trie a process without the file (before `make`) builds in memory."""
    return readings.build_store()


@pytest.fixture(scope="module")
def store_file(built_store: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pinyin") / "pinyin.marisa"
    built_store.save(str(path))
    return path


@pytest.mark.parametrize("text", TEXTS)
def test_syllables_are_pypinyins_own(text: str) -> None:
    assert readings.syllables(text) == _pypinyins(text)


@pytest.mark.parametrize("text", TEXTS)
def test_the_store_built_in_memory_reads_the_same(
    text: str, built_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readings, "_store", lambda: built_store)
    assert readings.syllables(text) == _pypinyins(text)


def test_reading_from_the_file_leaves_pypinyin_unloaded(store_file: Path) -> None:
    script = f"""
import json, sys
from pathlib import Path
from typing import Any
from glossary.language import readings
readings.store_path = lambda: Path({str(store_file)!r})
import glossary.language as t
print(json.dumps({{"pinyin": t.pinyin("长短期记忆", tones=True), "loaded": "pypinyin" in sys.modules}}))
"""
    result = run_python(script)
    assert json.loads(result.stdout) == {"pinyin": "chang2 duan3 qi1 ji4 yi4", "loaded": False}
    assert result.stderr == ""


def test_the_store_is_written_once_for_the_installed_pypinyin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pinyin-0.55.0.marisa"
    stale = tmp_path / "pinyin-0.54.0.marisa"
    stale.write_bytes(b"")
    monkeypatch.setattr(readings, "store_path", lambda: path)
    assert readings.write_store() == path
    assert readings.write_store() is None
    assert sorted(tmp_path.iterdir()) == [path]
