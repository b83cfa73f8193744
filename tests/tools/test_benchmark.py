"""The benchmark command: its inputs, its peers, and one small run end to end.

These read CC-CEDICT and the CS229/CS230 cheatsheets from ../shared/data (CC BY-SA 4.0 and MIT,
see their READMEs) and fail, saying so, when they are missing. Nothing here times anything: the
benchmark's figures go in the README, not into assertions.
"""

from __future__ import annotations

import json
import re

import pytest

from glossary.language import fold
from tools.benchmark import __main__ as benchmark
from tools.benchmark import data, peers
from tools.benchmark.stages import percentiles


@pytest.fixture(scope="module")
def entries():
    if not data.CEDICT.exists():
        pytest.fail(f"{data.CEDICT} is missing: the benchmark needs shared/data/cc-cedict.")
    return data.read_entries(3000)


def test_entries_have_distinct_english_terms_that_fit(entries):
    assert len(entries) == 3000
    assert len({fold(entry.en) for entry in entries}) == 3000
    assert all(len(entry.en) <= data.MAX_TERM for entry in entries)
    # A repeated gloss names its headword.
    assert any(re.search(r" \(.+\)$", entry.en) for entry in entries)
    assert all(entry.zh_hans and entry.zh_hant and entry.pinyin for entry in entries)


def test_the_import_file_is_the_simple_layout_citing_cc_cedict(entries, tmp_path):
    path = tmp_path / "cedict.csv"
    data.write_import_file(entries[:3], path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "en,zh_hans,zh_hant,definition_en,definition_zh,source"
    assert len(lines) == 4
    assert re.search(r",CC-CEDICT line \d+$", lines[1])
    assert "CC-CEDICT 词条" in lines[1]


def test_queries_mix_every_kind_and_are_repeatable(entries):
    queries = data.make_queries(entries, 80)
    assert len(queries) == 80
    assert {query.kind for query in queries} == set(data.QUERY_KINDS)
    assert queries == data.make_queries(entries, 80)
    pinyin = [q.text for q in queries if q.kind == "pinyin tones"]
    assert all(re.fullmatch(r"([a-zv]+[1-5])+", text) for text in pinyin)


def test_check_texts_reach_the_size_asked_for():
    if not data.CHEATSHEETS.exists():
        pytest.fail(f"{data.CHEATSHEETS} is missing: the benchmark needs the cheatsheets.")
    texts = data.check_texts(150_000)
    assert set(texts) == {"en", "zh-Hans", "zh-Hant"}
    for text in texts.values():
        assert len(text.encode()) >= 150_000


def test_substring_matching_has_no_word_boundaries():
    matcher = peers.SubstringMatcher([("ai", "AI"), ("feature", "特征")])
    assert matcher.find("a certain 特征值") == {"ai", "feature"}


def test_translate_toolkit_writes_every_term(tmp_path):
    terms = tmp_path / "terms.csv"
    terms.write_text(
        "en,zh_hans,zh_hant\ngenerative AI\tGenAI,生成式人工智能,生成式人工智慧\n", encoding="utf-8"
    )
    output = tmp_path / "ttk.tbx"
    peers.write_tbx_with_translate_toolkit(peers.read_terms(terms), output)
    written = output.read_text(encoding="utf-8")
    for term in ("generative AI", "GenAI", "生成式人工智能", "生成式人工智慧"):
        assert f"<term>{term}</term>" in written


def test_percentiles():
    cuts = percentiles([float(n) for n in range(1, 101)])
    assert cuts["p50"] == pytest.approx(50.5)
    assert cuts["p95"] == pytest.approx(95.05)
    assert percentiles([3.0]) == {"p50": 3.0, "p95": 3.0, "p99": 3.0}


@pytest.mark.slow
def test_a_small_run_measures_everything_and_cleans_up(tmp_path, capsys):
    """The whole benchmark on 150 concepts: import, search, check, exports, gunicorn."""
    workdir = tmp_path / "work"
    results = tmp_path / "results.json"
    status = benchmark.main(
        [
            "--concepts",
            "150",
            "--queries",
            "16",
            "--pages",
            "5",
            "--clients",
            "2",
            "--seconds",
            "1",
            "--text-bytes",
            "20000",
            "--workdir",
            str(workdir),
            "--json",
            str(results),
        ]
    )
    assert status == 0
    table = capsys.readouterr().out
    assert "Benchmark of 150 concepts from CC-CEDICT" in table
    for measure in (
        "import of the whole file",
        "search p50 / p95 / p99, 16 queries",
        "concept page, cached, 2 clients",
        "the cached page, right after its concept was published anew | the new version",
        "TBX export, database reads included",
        "translate-toolkit from memory",
        "term check, Simplified Chinese",
        "jieba",
        "term check, largest documented input (API; English and Simplified texts of 20,000",
        "term check, largest documented input (page;",
    ):
        assert measure in table
    measured = json.loads(results.read_text())
    assert measured["concepts"] == 150
    assert measured["pages"]["failed"] == 0 and measured["pages"]["after_publish"]["fresh"]
    largest = measured["check_largest"]
    assert largest["characters"] == 20_000
    assert largest["text, api"]["wall_ms"] > 0 and largest["text, api"]["cpu_ms"] > 0
    assert largest["text, page"]["bytes"] > 0
    assert not (workdir / "benchmark.sqlite3").exists(), "the run drops its database"


def test_the_benchmark_refuses_an_existing_database(tmp_path, capsys):
    existing = tmp_path / "glossary.sqlite3"
    existing.write_bytes(b"")
    assert benchmark.main(["--concepts", "150", "--database", f"sqlite:///{existing}"]) == 2
    assert "exists already" in capsys.readouterr().err


def test_peak_memory_is_this_processs_own():
    assert 10 < peers.peak_mb() < 100_000
