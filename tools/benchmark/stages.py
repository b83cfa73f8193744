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

    started, cpu = time.perf_counter(), time.process_time()
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
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu}


def bulk_load(path: str, imported: str) -> dict[str, Any]:
    """The entries of the file after its first ``imported`` (which ``import`` imported), written
    by the bulk loader as the importer would have written them (``tools.benchmark.bulk``)."""
    from django.contrib.auth import get_user_model

    from glossary.exchange.importer import PublishPlan
    from tools.benchmark import bulk

    users = get_user_model().objects
    publish = PublishPlan(
        reviewers=[users.get(username=REVIEWER_US), users.get(username=REVIEWER_CN)]
    )
    started, cpu = time.perf_counter(), time.process_time()
    written = bulk.load(
        Path(path), skip=int(imported), user=users.get(username=ADMIN), publish=publish
    )
    return {
        "concepts": written,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
    }


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
    cpu: dict[str, list[float]] = defaultdict(list)
    hits = 0
    most_queries = 0
    for query in queries:
        reset_queries()
        started, used = time.perf_counter(), time.process_time()
        found = run(query["text"])
        times[query["kind"]].append((time.perf_counter() - started) * 1000)
        cpu[query["kind"]].append((time.process_time() - used) * 1000)
        most_queries = max(most_queries, len(connection.queries))
        hits += bool(found)
    return {
        "ms": {kind: values for kind, values in times.items()},
        "cpu_ms": {kind: values for kind, values in cpu.items()},
        "found": hits,
        "queries": len(queries),
        "most_sql_queries": most_queries,
    }


def check(texts_dir: str, substring_bytes: str) -> dict[str, Any]:
    """Term check throughput on each text, beside jieba and substring matching on the same.

    The three take turns on each text (ours, jieba, substring, ours, jieba, substring, …), so
    that a load on the shared machine falls on all of them alike; each is the best of its
    ``ROUNDS`` runs by CPU time, and throughputs are megabytes per CPU second (wall time beside).
    """
    from glossary.termcheck import index as terms_index
    from glossary.termcheck import service
    from tools.benchmark.peers import SubstringMatcher, jieba_segment

    started, cpu = time.perf_counter(), time.process_time()
    checker = terms_index.current_checker()
    terms_index.ensure_user_dictionary()
    build = {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu}
    texts = {
        language: (Path(texts_dir) / f"{language}.txt").read_text(encoding="utf-8")
        for language in ("en", "zh-Hans", "zh-Hant")
    }
    result: dict[str, Any] = {
        "build_seconds": build["wall"],
        "build_cpu_seconds": build["cpu"],
        "concepts": len(checker.concepts),
    }
    for language, text in texts.items():
        size = len(text.encode()) / 1e6
        # Substring matching looks for every term in the whole text: on a slice, or it would
        # take minutes; throughput is per megabyte all the same.
        part = text.encode()[: int(substring_bytes)].decode(errors="ignore")
        matcher = SubstringMatcher(
            (concept.uid, term.text)
            for concept in checker.concepts
            for term in concept.terms
            if term.language == language
        )
        turns: dict[str, tuple[float, Callable[[], object]]] = {
            "ours": (size, lambda text=text, language=language: service.check(text, language)),
        }
        if language != "en":
            turns["jieba"] = (size, lambda text=text: jieba_segment(text))
        turns["substring"] = (
            len(part.encode()) / 1e6,
            lambda part=part, matcher=matcher: matcher.find(part),
        )
        best = _interleaved(turns)
        row: dict[str, Any] = {"mb": size, "substring_slice_mb": turns["substring"][0]}
        for name, (mb, _work) in turns.items():
            row[f"{name}_mb_s"] = mb / best[name]["cpu"]
            row[f"{name}_wall_mb_s"] = mb / best[name]["wall"]
        result[language] = row
    pair_size = (len(texts["en"].encode()) + len(texts["zh-Hans"].encode())) / 1e6
    pair = _interleaved(
        {"pair": (pair_size, lambda: service.check(texts["en"], "en", texts["zh-Hans"], "zh-Hans"))}
    )["pair"]
    result["pair_mb_s"] = pair_size / pair["cpu"]
    result["pair_wall_mb_s"] = pair_size / pair["wall"]
    return result


#: Runs of each contender in an interleaved comparison.
ROUNDS = 3


def _interleaved(
    turns: dict[str, tuple[float, Callable[[], object]]], rounds: int = ROUNDS
) -> dict[str, dict[str, float]]:
    """Each contender's best wall and CPU seconds, taking turns: A B A B (best: least CPU)."""
    best = {name: {"wall": float("inf"), "cpu": float("inf")} for name in turns}
    for _ in range(rounds):
        for name, (_size, work) in turns.items():
            wall, cpu = _clocked(work)
            if cpu < best[name]["cpu"]:
                best[name] = {"wall": wall, "cpu": cpu}
    return best


def _clocked(work: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, max(time.process_time() - cpu, 1e-6)


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


def export(fmt: str, output: str) -> dict[str, Any]:
    """Write one export file, as ``export_glossary`` does; the seconds it took."""
    from glossary.exchange import formats
    from glossary.exchange import published as snapshot

    started, cpu = time.perf_counter(), time.process_time()
    prepared = snapshot.prepare()
    size = 0
    with open(output, "wb") as handle:
        for chunk in formats.stream(formats.EXPORTS[fmt], prepared):
            size += len(chunk)
            handle.write(chunk)
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "bytes": size,
    }


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
    data = assessed(services.DraftData.from_version(draft))
    data.texts["definition_en"] = f"{data.texts.get('definition_en', '')} {marker}".strip()
    draft = services.draft_update(
        version=draft, user=users[EDITOR], data=data, expected_revision=draft.revision
    )
    draft = services.version_submit(version=draft, user=users[EDITOR])
    for reviewer in (REVIEWER_US, REVIEWER_CN):
        draft = services.version_approve(version=draft, user=users[reviewer])
    return {"seconds": time.perf_counter() - started, "state": draft.state}


def assessed(data: Any) -> Any:
    """The draft's content with the assessment an editor gives before submitting: the import's
    file says nothing of agreement or maturity, so its concepts start as "not yet assessed"."""
    from glossary.core.choices import Agreement, Maturity

    if data.agreement == Agreement.NOT_ASSESSED:
        data.agreement = Agreement.AGREED
    if data.maturity == Maturity.NOT_ASSESSED:
        data.maturity = Maturity.ESTABLISHED
    return data


#: The domain the benchmark files some of its concepts under (the simple layout files none).
DOMAIN = "benchmark-domain"


def domains(count: str) -> dict[str, Any]:
    """A domain, and ``count`` published concepts filed under it through the review workflow.

    The import's simple layout has no domains, so without this every domain page would be
    empty; each concept gets a new version (drafted, submitted, approved by both sides).
    """
    from django.contrib.auth import get_user_model

    from glossary.core import services
    from glossary.core.models import Concept, Domain

    users = get_user_model().objects.in_bulk(
        [ADMIN, EDITOR, REVIEWER_US, REVIEWER_CN], field_name="username"
    )
    domain = Domain.objects.filter(key=DOMAIN).first()
    if domain is None:
        names = {"name_en": "Benchmark domain", "name_zh_hans": "基准领域"}
        domain = services.domain_save(
            domain=Domain(key=DOMAIN, name="Benchmark domain", **names, name_zh_hant="基準領域"),
            user=users[ADMIN],
        )
    filed = set(
        Concept.objects.filter(public_version__domains=domain).values_list("uid", flat=True)
    )
    started = time.perf_counter()
    for uid in sample(count, "3")["uids"]:
        if uid in filed:
            continue
        draft = services.draft_start(concept=Concept.objects.get(uid=uid), user=users[EDITOR])
        data = assessed(services.DraftData.from_version(draft))
        data.domains = [*data.domains, domain]
        draft = services.draft_update(
            version=draft, user=users[EDITOR], data=data, expected_revision=draft.revision
        )
        draft = services.version_submit(version=draft, user=users[EDITOR])
        for reviewer in (REVIEWER_US, REVIEWER_CN):
            draft = services.version_approve(version=draft, user=users[reviewer])
    return {"domain": DOMAIN, "seconds": time.perf_counter() - started}


# --- Every page, as an anonymous reader, a signed-in reviewer and an editor ----------------

VISITORS = ("anonymous", "reviewer", "editor")
PUBLIC = ("anonymous", "reviewer")
#: What ``pages`` measures: a name, and who visits it. The admin sends an anonymous reader to
#: its sign-in page; the jobs list and the import page are an editor's.
PAGES = (
    ("home", PUBLIC),
    ("browse", PUBLIC),
    ("browse by letter", PUBLIC),
    ("domain", PUBLIC),
    ("search", PUBLIC),
    ("concept", PUBLIC),
    ("history", PUBLIC),
    ("releases", PUBLIC),
    ("release", PUBLIC),
    ("feed of changes", PUBLIC),
    ("feed of a domain", PUBLIC),
    ("sitemap", PUBLIC),
    ("API concept list", PUBLIC),
    ("API concept search", PUBLIC),
    ("API release list", PUBLIC),
    ("API domain list", PUBLIC),
    ("admin concept list", ("reviewer",)),
    ("admin version list", ("reviewer",)),
    ("admin event list", ("reviewer",)),
    ("inbox", ("reviewer",)),
    ("jobs list", ("editor",)),
    ("import page", ("editor",)),
)


def page_paths(count: int, queries: list[str], seed: int = 7) -> dict[str, list[str]]:
    """``count`` addresses of each page in ``PAGES`` (concepts, domains and queries picked at
    random, seeded); a page the glossary has nothing for (no release yet) is left out."""
    from urllib.parse import quote

    from glossary.core.models import Concept, Domain, Release

    rng = random.Random(seed)
    uids = list(Concept.objects.current().order_by("pk").values_list("uid", flat=True)[:20_000])
    picked = [rng.choice(uids) for _ in range(count)] if uids else []
    domains = sorted(Domain.objects.values_list("key", flat=True), key=lambda key: key != DOMAIN)
    release = Release.objects.order_by("-pk").values_list("name", flat=True).first()
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = [rng.choice(queries) for _ in range(count)] if queries else []

    def each(make: Callable[[int], str]) -> list[str]:
        return [make(n) for n in range(count)]

    paths: dict[str, list[str]] = {
        "home": each(lambda n: "/en/"),
        "browse": each(lambda n: "/en/browse/"),
        "browse by letter": each(lambda n: f"/en/browse/en/{letters[n % 26]}/"),
        "search": [f"/en/search/?q={quote(word)}" for word in words],
        "concept": [f"/en/concepts/{uid}/" for uid in picked],
        "history": [f"/en/concepts/{uid}/history/" for uid in picked],
        "releases": each(lambda n: "/en/releases/"),
        "feed of changes": each(lambda n: "/en/feeds/changes/"),
        "sitemap": each(lambda n: "/sitemap.xml"),
        "API concept list": each(lambda n: "/api/v1/concepts/"),
        "API concept search": [f"/api/v1/concepts/?q={quote(word)}" for word in words],
        "API release list": each(lambda n: "/api/v1/releases/"),
        "API domain list": each(lambda n: "/api/v1/domains/"),
        "admin concept list": each(lambda n: "/admin/glossary/concept/"),
        "admin version list": each(lambda n: "/admin/glossary/conceptversion/"),
        "admin event list": each(lambda n: "/admin/glossary/event/"),
        "inbox": each(lambda n: "/admin/glossary/conceptversion/?waiting=me"),
        "jobs list": each(lambda n: "/admin/glossary/job/"),
        "import page": each(lambda n: "/admin/glossary/concept/import/"),
    }
    if domains:
        paths["domain"] = [f"/en/domains/{domains[n % len(domains)]}/" for n in range(count)]
        paths["feed of a domain"] = [
            f"/en/feeds/domains/{domains[n % len(domains)]}/" for n in range(count)
        ]
    if release:
        paths["release"] = each(lambda n: f"/en/releases/{release}/")
    return {name: paths[name] for name, _visitors in PAGES if paths.get(name)}


def pages(count: str, queries_path: str) -> dict[str, Any]:
    """Each page of ``PAGES``, ``count`` requests, as each of its visitors: an anonymous
    reader, a signed-in reviewer, an editor.

    Through Django's request handling in this process (middleware, templates and the database
    as gunicorn's worker has them), every cache cleared before each request: what a page costs
    uncached, the first visit after a publication, and every visit of someone signed in. Per
    page: wall and CPU milliseconds of each request, and the most SQL queries one made.
    """
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    texts = [query["text"] for query in json.loads(Path(queries_path).read_text(encoding="utf-8"))]
    paths = page_paths(int(count), texts)
    visitors = dict(PAGES)
    users = {"reviewer": REVIEWER_US, "editor": EDITOR}
    measured: dict[str, Any] = {}
    for visitor in VISITORS:
        client = Client(HTTP_HOST="127.0.0.1")
        if visitor in users:
            client.force_login(get_user_model().objects.get(username=users[visitor]))
        for name, urls in paths.items():
            if visitor not in visitors[name]:
                continue
            client.get(urls[0])  # the worker's first request of a page loads its templates
            walls, cpus, most = [], [], 0
            for url in urls:
                _clear_caches(caches.all())
                with CaptureQueriesContext(connection) as captured:
                    wall, cpu = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    if response.streaming:
                        b"".join(response.streaming_content)
                    walls.append((time.perf_counter() - wall) * 1000)
                    cpus.append((time.process_time() - cpu) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code} ({visitor})")
                most = max(most, len(captured.captured_queries))
            measured[f"{name}, {visitor}"] = {
                "page": name,
                "visitor": visitor,
                "path": urls[0],
                "wall_ms": walls,
                "cpu_ms": cpus,
                "sql_queries": most,
            }
    return {"pages": measured}


def _clear_caches(every: list[Any]) -> None:
    """Empty the caches, of this run's keys only where the cache is shared (Redis)."""
    for cache in every:
        if hasattr(cache, "delete_pattern"):
            cache.delete_pattern("*")  # django-redis: the keys under this run's own prefix
        else:
            cache.clear()


def check_after_publish(uid: str, marker: str) -> dict[str, Any]:
    """The term check's first request after a publication, beside the one before it.

    A check is made (the checker is built, as in any worker that has served one), a new version
    of a concept is published, and the next check is timed: what the first reader after a
    publication waits. Then a third, for the steady cost. Through the API, as a client posts.
    """
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    form = {"source": "a short text about machine learning", "source_language": "en"}

    def post() -> Any:
        response = client.post("/api/v1/check/", form, "application/json")
        if response.status_code != 200:
            raise RuntimeError(f"the check answered {response.status_code}")
        return response

    post()
    wall, cpu = _clocked(post)
    before = {"wall_ms": wall * 1000, "cpu_ms": cpu * 1000}
    published = publish(uid, marker)
    wall, cpu = _clocked(post)
    first = {"wall_ms": wall * 1000, "cpu_ms": cpu * 1000}
    wall, cpu = _clocked(post)
    then = {"wall_ms": wall * 1000, "cpu_ms": cpu * 1000}
    return {"before": before, "first": first, "then": then, "publish_seconds": published["seconds"]}


STAGES: dict[str, Callable[..., dict[str, Any]]] = {
    "accounts": accounts,
    "import": import_file,
    "bulk_load": bulk_load,
    "sample": sample,
    "search": search,
    "check": check,
    "check_largest": check_largest,
    "export": export,
    "terms": terms,
    "publish": publish,
    "domains": domains,
    "pages": pages,
    "check_after_publish": check_after_publish,
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
