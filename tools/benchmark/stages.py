"""What the benchmark measures inside a Django process, on the benchmark's own database.

The runner starts ``python -m tools.benchmark.stages STAGE ARGS...`` with the benchmark
database in ``DATABASE_URL``; the stage prints one line of JSON with what it measured and its
process's peak memory. Each stage is a process of its own so that it starts cold where a worker
would, and so that the peak memory of an import or an export is its own.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Accounts the benchmark works as (created in its own database only).
ADMIN, EDITOR, REVIEWER_US, REVIEWER_CN = "bench-admin", "bench-editor", "bench-us", "bench-cn"


def accounts() -> dict[str, Any]:
    """An administrator who imports, an editor, and a reviewer of each side."""
    from glossary.core import roles, services

    made = []
    for username, group, side in (
        (ADMIN, roles.ADMINISTRATORS, ""),
        (EDITOR, roles.EDITORS, ""),
        (REVIEWER_US, roles.REVIEWERS, "us"),
        (REVIEWER_CN, roles.REVIEWERS, "cn"),
    ):
        _user, created = services.person_ensure(username=username, group=group, side=side)
        if created:
            made.append(username)
    return {"created": made}


def import_file(path: str, log: str) -> dict[str, Any]:
    """``import_glossary`` of the benchmark's file, published through review by its reviewers."""
    from django.core.management import call_command

    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as output:
        call_command(
            "import_glossary",
            path,
            "--as-user",
            ADMIN,
            "--publish",
            "--reviewer",
            REVIEWER_US,
            "--reviewer",
            REVIEWER_CN,
            stdout=output,
        )
    return {"seconds": time.perf_counter() - started}


def sample(count: str, seed: str = "7") -> dict[str, Any]:
    """Identifiers of ``count`` published concepts picked at random (seeded)."""
    from glossary.core.models import Concept

    uids = list(Concept.objects.current().order_by("pk").values_list("uid", flat=True))
    rng = random.Random(int(seed))
    return {"uids": rng.sample(uids, min(int(count), len(uids))), "concepts": len(uids)}


def search(queries_path: str) -> dict[str, Any]:
    """Latency of each query through ``glossary.search.ranking.search``, and the queries it made."""
    from django.db import connection, reset_queries

    from glossary.search.ranking import search as run

    queries = json.loads(Path(queries_path).read_text(encoding="utf-8"))
    for query in queries[:20]:
        run(query["text"])  # load jieba and pinyin tables, as any worker has after its first
    connection.force_debug_cursor = True
    times: dict[str, list[float]] = defaultdict(list)
    hits = 0
    most_queries = 0
    for query in queries:
        reset_queries()
        started = time.perf_counter()
        found = run(query["text"])
        times[query["kind"]].append((time.perf_counter() - started) * 1000)
        most_queries = max(most_queries, len(connection.queries))
        hits += bool(found)
    return {
        "ms": {kind: values for kind, values in times.items()},
        "found": hits,
        "queries": len(queries),
        "most_sql_queries": most_queries,
    }


def check(texts_dir: str, substring_bytes: str) -> dict[str, Any]:
    """Term check throughput on each text, beside jieba and substring matching on the same."""
    from glossary.termcheck import index as terms_index
    from glossary.termcheck import service
    from tools.benchmark.peers import SubstringMatcher, jieba_segment

    started = time.perf_counter()
    checker = terms_index.current_checker()
    terms_index.ensure_user_dictionary()
    build = time.perf_counter() - started
    texts = {
        language: (Path(texts_dir) / f"{language}.txt").read_text(encoding="utf-8")
        for language in ("en", "zh-Hans", "zh-Hant")
    }
    result: dict[str, Any] = {"build_seconds": build, "concepts": len(checker.concepts)}
    for language, text in texts.items():
        size = len(text.encode()) / 1e6
        ours = _best_of(3, lambda text=text, language=language: service.check(text, language))
        row = {"mb": size, "ours_mb_s": size / ours}
        if language != "en":
            jieba = _best_of(3, lambda text=text: jieba_segment(text))
            row["jieba_mb_s"] = size / jieba
        # Substring matching looks for every term in the whole text: on a slice, or it would
        # take minutes; throughput is per megabyte all the same.
        part = text.encode()[: int(substring_bytes)].decode(errors="ignore")
        matcher = SubstringMatcher(
            (concept.uid, term.text)
            for concept in checker.concepts
            for term in concept.terms
            if term.language == language
        )
        plain = _best_of(1, lambda part=part, matcher=matcher: matcher.find(part))
        row["substring_mb_s"] = len(part.encode()) / 1e6 / plain
        result[language] = row
    pair = _best_of(3, lambda: service.check(texts["en"], "en", texts["zh-Hans"], "zh-Hans"))
    result["pair_mb_s"] = (len(texts["en"].encode()) + len(texts["zh-Hans"].encode())) / 1e6 / pair
    return result


def check_largest(texts_dir: str) -> dict[str, Any]:
    """The largest input the check accepts, through the API and the page: wall and CPU time.

    Two texts of ``MAX_TEXT_LENGTH`` characters each (English and Simplified Chinese, the
    benchmark's texts cut or repeated to that length), then the same length of nothing but the
    glossary terms found in them, one after another (the densest input there is). Each is posted
    as a client would, through Django's request handling, serialisation included; the best of
    three runs after one that builds the checker and loads jieba's dictionary.
    """
    from django.test import Client

    from glossary.termcheck import engine as checking
    from glossary.termcheck import service

    limit = checking.MAX_TEXT_LENGTH
    texts = {
        language: _filled((Path(texts_dir) / f"{language}.txt").read_text(encoding="utf-8"), limit)
        for language in ("en", "zh-Hans")
    }
    client = Client(HTTP_HOST="127.0.0.1")
    found = service.check(texts["en"], "en", texts["zh-Hans"], "zh-Hans")
    pairs = {"text": texts}
    if found.source and found.target:
        pairs["terms only"] = {
            "en": _filled(" ".join(span.text for span in found.source), limit),
            "zh-Hans": _filled("，".join(span.text for span in found.target), limit),
        }
    result: dict[str, Any] = {"characters": limit}
    for name, pair in pairs.items():
        checked = service.check(pair["en"], "en", pair["zh-Hans"], "zh-Hans")
        occurrences = len(checked.source) + len(checked.target)
        form = {
            "source": pair["en"],
            "target": pair["zh-Hans"],
            "source_language": "en",
            "target_language": "zh-Hans",
        }
        for way, post in (
            ("api", lambda form=form: client.post("/api/v1/check/", form, "application/json")),
            ("page", lambda form=form: client.post("/en/check/", form)),
        ):
            row = _timed(post)
            row["occurrences"] = occurrences
            result[f"{name}, {way}"] = row
    return result


def _filled(text: str, length: int) -> str:
    """``text`` cut, or repeated and cut, to ``length`` characters."""
    if not text:
        raise ValueError("an empty text cannot fill the largest input")
    return (text * (length // len(text) + 1))[:length]


def _timed(post: Callable[[], Any]) -> dict[str, Any]:
    """Wall-clock and CPU milliseconds of the fastest of three requests, and the answer's size."""
    response = post()
    if response.status_code != 200:
        raise RuntimeError(f"the check answered {response.status_code}")
    best: tuple[float, float] = (float("inf"), float("inf"))
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        response = post()
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return {"wall_ms": best[0] * 1000, "cpu_ms": best[1] * 1000, "bytes": len(response.content)}


def _best_of(runs: int, work: Callable[[], object]) -> float:
    """Seconds of the fastest of ``runs`` runs (the machine is shared: the least disturbed)."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def export(fmt: str, output: str) -> dict[str, Any]:
    """Write one export file, as ``export_glossary`` does; the seconds it took."""
    from glossary.exchange import formats
    from glossary.exchange import published as snapshot

    started = time.perf_counter()
    prepared = snapshot.prepare()
    size = 0
    with open(output, "wb") as handle:
        for chunk in formats.stream(formats.EXPORTS[fmt], prepared):
            size += len(chunk)
            handle.write(chunk)
    return {"seconds": time.perf_counter() - started, "bytes": size}


def terms(output: str) -> dict[str, Any]:
    """The published terms, a row per concept, for translate-toolkit to write (not timed)."""
    import csv

    from glossary.exchange import published as snapshot
    from tools.benchmark.peers import TERM_COLUMNS, TERM_SEPARATOR

    count = 0
    with open(output, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TERM_COLUMNS)
        for record in snapshot.prepare().records():
            writer.writerow(
                TERM_SEPARATOR.join(term.text for term in record.terms_in(language))
                for language in ("en", "zh-Hans", "zh-Hant")
            )
            count += 1
    return {"concepts": count}


def publish(uid: str, marker: str) -> dict[str, Any]:
    """Publish a new version of a concept whose English definition ends with ``marker``."""
    from django.contrib.auth import get_user_model

    from glossary.core import services
    from glossary.core.models import Concept

    users = get_user_model().objects.in_bulk(
        [EDITOR, REVIEWER_US, REVIEWER_CN], field_name="username"
    )
    concept = Concept.objects.get(uid=uid)
    started = time.perf_counter()
    draft = services.draft_start(concept=concept, user=users[EDITOR])
    data = services.DraftData.from_version(draft)
    data.texts["definition_en"] = f"{data.texts.get('definition_en', '')} {marker}".strip()
    draft = services.draft_update(
        version=draft, user=users[EDITOR], data=data, expected_revision=draft.revision
    )
    draft = services.version_submit(version=draft, user=users[EDITOR])
    for reviewer in (REVIEWER_US, REVIEWER_CN):
        draft = services.version_approve(version=draft, user=users[reviewer])
    return {"seconds": time.perf_counter() - started, "state": draft.state}


STAGES: dict[str, Callable[..., dict[str, Any]]] = {
    "accounts": accounts,
    "import": import_file,
    "sample": sample,
    "search": search,
    "check": check,
    "check_largest": check_largest,
    "export": export,
    "terms": terms,
    "publish": publish,
}


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95 and p99 of a list of measurements."""
    if len(values) < 2:
        value = values[0] if values else float("nan")
        return {"p50": value, "p95": value, "p99": value}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in STAGES:
        print(
            f"usage: python -m tools.benchmark.stages {{{','.join(STAGES)}}} ...",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    import django

    django.setup()
    from tools.benchmark.peers import peak_mb

    print(json.dumps({**STAGES[argv[0]](*argv[1:]), "peak_mb": peak_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
