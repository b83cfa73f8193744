"""One benchmark run: build the glossary in its own database, measure, print a table.

Every step runs in a process of its own against the benchmark database (``DATABASE_URL``), with
the production settings: the import is the ``import_glossary`` command itself, imports, exports
and peers report their own peak memory (RSS), and pages are served by gunicorn.

The machine may be shared and loaded, so every row gives CPU time beside wall time, and the
glossary and its peers take turns within one step (ours, peer, ours, peer): ratios are computed
from CPU time, which another process's load does not inflate the way it inflates wall time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import dj_database_url

from tools.benchmark import data, http
from tools.benchmark.stages import percentiles

ROOT = Path(__file__).resolve().parents[2]

#: The goals the table checks (issue: benchmarks at 100k concepts).
SEARCH_P95_MS = 30
EXPORT_SPEEDUP = 1.5
#: The term check at least as fast as jieba's bare segmentation of the same text (issue 12).
CHECK_JIEBA_RATIO = 1.0
PAGE_PER_SECOND = 300
#: The largest input the term check accepts, checked through the API or the page.
LARGEST_CHECK_MS = 1000
#: Every page, uncached, as an anonymous reader and as a signed-in reviewer (issue 16).
PAGE_P95_MS = 50
#: Concepts filed under the benchmark's domain (the simple layout of the import has none).
DOMAIN_CONCEPTS = 20
#: Runs of the TBX export and of translate-toolkit, taking turns.
EXPORT_ROUNDS = 2


class BenchmarkError(Exception):
    """The run cannot go on; the message says why and what to do."""


@dataclass
class Options:
    concepts: int = 100_000
    database: str = ""  # a URL; default: a new SQLite file in the work folder
    queries: int = 400
    pages: int = 200
    clients: int = 8
    seconds: float = 20.0
    text_bytes: int = 1_000_000
    substring_bytes: int = 32_000
    page_requests: int = 20
    workers: int = 2
    cache: str = ""  # a Redis URL, or "" for each worker's own memory
    reuse: bool = False
    keep: bool = False
    workdir: Path | None = None
    #: Entries imported through the importer; the rest of a larger file is bulk-loaded.
    import_entries: int = 100_000
    #: Only the glossary, search and every page (no exports, term check or gunicorn).
    pages_only: bool = False


@dataclass
class Measured:
    """A process's wall-clock seconds and output."""

    seconds: float
    output: str


@dataclass
class Results:
    options: Options
    engine: str = ""
    concepts: int = 0
    values: dict[str, Any] = field(default_factory=dict)


class Database:
    """The benchmark's database: a new SQLite file, or a new PostgreSQL database."""

    def __init__(self, url: str, *, reuse: bool) -> None:
        self.url = url
        self.config = dj_database_url.parse(url)
        self.engine = "postgresql" if "postgresql" in self.config["ENGINE"] else "sqlite"
        if self.engine == "sqlite" and "sqlite" not in self.config["ENGINE"]:
            raise BenchmarkError("The benchmark runs on SQLite or PostgreSQL.")
        self.created = False
        self.existed = self._exists()
        if self.existed and not reuse:
            raise BenchmarkError(
                f"The database {self.name} exists already. The benchmark builds its own: name a "
                "new one, or pass --reuse to measure the glossary that database holds."
            )

    @property
    def name(self) -> str:
        return str(self.config["NAME"])

    def create(self) -> None:
        if self.existed:
            return
        if self.engine == "postgresql":
            with self._server() as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self) -> None:
        if not self.created:
            return
        if self.engine == "postgresql":
            with self._server() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            Path(self.name).unlink(missing_ok=True)

    def _exists(self) -> bool:
        if self.engine == "sqlite":
            return Path(self.name).exists()
        with self._server() as connection:
            row = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
            ).fetchone()
        return row is not None

    def _server(self):
        """A connection to the server's maintenance database, to create or drop ours."""
        import psycopg

        return psycopg.connect(
            dbname="postgres",
            user=self.config.get("USER") or None,
            password=self.config.get("PASSWORD") or None,
            host=self.config.get("HOST") or None,
            port=self.config.get("PORT") or None,
            autocommit=True,
        )


class Run:
    def __init__(self, options: Options, *, progress: TextIO) -> None:
        self.options = options
        self.progress = progress
        self.workdir = options.workdir or Path(tempfile.mkdtemp(prefix="glossary-benchmark-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        url = options.database or f"sqlite:///{self.workdir / 'benchmark.sqlite3'}"
        self.database = Database(url, reuse=options.reuse)
        self.results = Results(options=options, engine=self.database.engine)
        self.env = self._environment()

    # --- Running processes ----------------------------------------------------------------------

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            DATABASE_URL=self.database.url,
            SECRET_KEY=secrets.token_urlsafe(32),
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            STATIC_ROOT=str(self.workdir / "static"),
            # The API's anonymous throttle would refuse a load test: off, for this run only.
            GLOSSARY_API_ANON_RATE="",
            # Workers keep their database connection, as a production deployment would.
            DATABASE_CONN_MAX_AGE="60",
            CACHE_KEY_PREFIX=f"benchmark-{secrets.token_hex(4)}",
            PYTHONUNBUFFERED="1",
        )
        env.pop("REDIS_URL", None)
        if self.options.cache:
            env["REDIS_URL"] = self.options.cache
        return env

    def measure(self, command: list[str], *, log: Path | None = None) -> Measured:
        """Run a command; its wall-clock seconds and what it printed."""
        output = (log or self.workdir / "last.log").open("w+b")
        started = time.perf_counter()
        returncode = subprocess.call(command, cwd=ROOT, env=self.env, stdout=output, stderr=output)
        seconds = time.perf_counter() - started
        output.seek(0)
        text = output.read().decode(errors="replace")
        output.close()
        if returncode != 0:
            tail = "\n".join(text.splitlines()[-15:])
            raise BenchmarkError(f"{' '.join(command[1:4])}… failed ({returncode}):\n{tail}")
        return Measured(seconds=seconds, output=text)

    def manage(self, *args: str, log: Path | None = None) -> Measured:
        return self.measure([sys.executable, "manage.py", *args], log=log)

    def stage(self, name: str, *args: str) -> tuple[dict[str, Any], Measured]:
        measured = self.measure([sys.executable, "-m", "tools.benchmark.stages", name, *args])
        return json.loads(measured.output.strip().splitlines()[-1]), measured

    def step(self, what: str, work: Callable[[], Any]) -> Any:
        self.progress.write(f"{what}…")
        self.progress.flush()
        started = time.perf_counter()
        value = work()
        self.progress.write(f" {time.perf_counter() - started:.1f} s\n")
        return value

    # --- The run ----------------------------------------------------------------------------

    def run(self) -> Results:
        try:
            self.database.create()
            self._build()
            self._search()
            # Pages are rendered from here on (the term check's page among them).
            self.step(
                "Collecting static files", lambda: self.manage("collectstatic", "--noinput", "-v0")
            )
            self._pages()
            self._check()
            self._exports()
            self._serve()
        finally:
            if not self.options.keep:
                self.database.drop()
                if self.options.workdir is None:
                    shutil.rmtree(self.workdir, ignore_errors=True)
        return self.results

    def run_pages(self, *, search: bool = False) -> Results:
        """Only what ``--ci`` needs: the glossary built, then every page measured (and with
        ``search``, search latency first)."""
        try:
            self.database.create()
            self._build()
            if search:
                self._search()
            self.step(
                "Collecting static files", lambda: self.manage("collectstatic", "--noinput", "-v0")
            )
            self._pages()
        finally:
            if not self.options.keep:
                self.database.drop()
                if self.options.workdir is None:
                    shutil.rmtree(self.workdir, ignore_errors=True)
        return self.results

    def _build(self) -> None:
        options, values = self.options, self.results.values
        for path in (data.CEDICT, data.CHEATSHEETS):
            if not path.exists():
                raise BenchmarkError(
                    f"{path} is missing: the benchmark reads CC-CEDICT and the cheatsheets from "
                    "shared/data beside the project."
                )
        measured = self.step(
            f"Reading {options.concepts:,} entries of CC-CEDICT",
            lambda: self.measure(
                [
                    sys.executable,
                    "-m",
                    "tools.benchmark.data",
                    str(self.workdir),
                    str(options.concepts),
                    str(options.queries),
                    str(options.text_bytes),
                ]
            ),
        )
        prepared = json.loads(measured.output.strip().splitlines()[-1])
        entries = prepared["entries"]
        self.results.values["compounds"] = prepared["compounds"]
        self.step("Migrating the benchmark database", lambda: self.manage("migrate", "--noinput"))
        self.step("Creating the benchmark's accounts", lambda: self.stage("accounts"))
        existing = self.stage("sample", "1")[0]["concepts"]
        if existing:
            self.progress.write(f"The database holds {existing:,} concepts: not importing.\n")
            values["import"] = None
        else:
            whole = self.workdir / data.IMPORT_FILE
            imported = min(entries, options.import_entries)
            path = whole if imported == entries else _start_of(whole, imported)
            found, _measured = self.step(
                f"Importing {imported:,} concepts, published through review",
                lambda: self.stage("import", str(path), str(self.workdir / "import.log")),
            )
            values["import"] = {**found, "concepts": imported}
            if imported < entries:
                loaded, _measured = self.step(
                    f"Bulk-loading the other {entries - imported:,} concepts as the importer "
                    "would write them",
                    lambda: self.stage("bulk_load", str(whole), str(imported)),
                )
                values["bulk_load"] = loaded
        self.results.concepts = self.stage("sample", "1")[0]["concepts"]
        filed = min(DOMAIN_CONCEPTS, self.results.concepts)
        self.step(
            f"Filing {filed} concepts under a domain, through review",
            lambda: self.stage("domains", str(filed)),
        )

    def _search(self) -> None:
        path = str(self.workdir / data.QUERIES_FILE)
        found, _measured = self.step("Searching", lambda: self.stage("search", path))
        self.results.values["search"] = found

    def _check(self) -> None:
        folder = str(self.workdir / data.TEXTS_FOLDER)
        found, _measured = self.step(
            "Checking texts",
            lambda: self.stage("check", folder, str(self.options.substring_bytes)),
        )
        self.results.values["check"] = found
        largest, _measured = self.step(
            "Checking the largest documented input", lambda: self.stage("check_largest", folder)
        )
        self.results.values["check_largest"] = largest
        uid = self.stage("sample", "1", "11")[0]["uids"][0]
        after, _measured = self.step(
            "The term check's first request after a publication",
            lambda: self.stage("check_after_publish", uid, f"benchmark-{secrets.token_hex(4)}"),
        )
        self.results.values["check_after_publish"] = after

    def _pages(self) -> None:
        """Every page, uncached, as an anonymous reader and as a signed-in reviewer."""
        found, _measured = self.step(
            f"Every page, {self.options.page_requests} requests each, anonymous and signed in",
            lambda: self.stage(
                "pages", str(self.options.page_requests), str(self.workdir / data.QUERIES_FILE)
            ),
        )
        self.results.values["every_page"] = found["pages"]

    def _exports(self) -> None:
        """The exports; TBX taking turns with translate-toolkit (ours, toolkit, ours, toolkit)."""
        values = self.results.values
        terms = self.workdir / "terms.csv"
        self.stage("terms", str(terms))
        ours: list[dict[str, Any]] = []
        toolkit: list[dict[str, Any]] = []
        for _ in range(EXPORT_ROUNDS):
            found, _measured = self.step(
                "Exporting TBX",
                lambda: self.stage("export", "tbx", str(self.workdir / "export.tbx")),
            )
            ours.append(found)
            measured = self.step(
                "translate-toolkit writing the same terms as TBX",
                lambda: self.measure(
                    [
                        sys.executable,
                        "-m",
                        "tools.benchmark.peers",
                        "tbx",
                        str(terms),
                        str(self.workdir / "ttk.tbx"),
                    ]
                ),
            )
            toolkit.append(json.loads(measured.output.strip().splitlines()[-1]))
        values["export_tbx"] = min(ours, key=lambda run: run["cpu_seconds"])
        values["export_ttk"] = min(toolkit, key=lambda run: run["cpu_seconds"])
        found, _measured = self.step(
            "Exporting CSV",
            lambda: self.stage("export", "csv", str(self.workdir / "export.csv")),
        )
        values["export_csv"] = found

    def _serve(self) -> None:
        options, values = self.options, self.results.values
        uids = self.stage("sample", str(options.pages))[0]["uids"]
        pages = [f"/en/concepts/{uid}/" for uid in uids]
        details = [f"/api/v1/concepts/{uid}/" for uid in uids]
        log = self.workdir / "gunicorn.log"
        with http.gunicorn(self.env, workers=options.workers, log=log) as server:

            def timed(paths: list[str]) -> tuple[list[float], int, float]:
                """Each request's milliseconds, failures, workers' CPU ms a request."""
                cpu = server.cpu_seconds()
                times, failed = http.latencies(server.port, paths)
                return times, failed, (server.cpu_seconds() - cpu) * 1000 / len(paths)

            def loaded(paths: list[str]) -> dict[str, Any]:
                cpu = server.cpu_seconds()
                found = http.load(
                    server.port, paths, clients=options.clients, seconds=options.seconds
                )
                used = (server.cpu_seconds() - cpu) * 1000
                return {
                    "per_second": found.per_second,
                    "failed": found.failed,
                    "ms": found.times,
                    "cpu_ms": used / max(found.done + found.failed, 1),
                }

            first, failed, first_cpu = self.step(
                "Concept pages, first request", lambda: timed(pages)
            )
            # Each worker keeps its own copy without a shared cache: ask until both have it.
            for _ in range(3):
                http.latencies(server.port, pages)
            cached, failed_cached, cached_cpu = timed(pages)
            api, failed_api, api_cpu = self.step("API concept details", lambda: timed(details))
            page_load = self.step(
                f"Concept pages, {options.clients} clients for {options.seconds:g} s",
                lambda: loaded(pages),
            )
            api_load = self.step(
                f"API concept details, {options.clients} clients for {options.seconds:g} s",
                lambda: loaded(details),
            )
            marker = f"benchmark-{secrets.token_hex(4)}"
            published, _measured = self.step(
                "Publishing a new version of a cached page",
                lambda: self.stage("publish", uids[0], marker),
            )
            status, body, seconds = http.get(server.port, pages[0])
            fresh = status == 200 and marker.encode() in body
        values["pages"] = {
            "first": first,
            "first_cpu_ms": first_cpu,
            "cached": cached,
            "cached_cpu_ms": cached_cpu,
            "api": api,
            "api_cpu_ms": api_cpu,
            "failed": failed + failed_cached + failed_api,
            "page_load": page_load,
            "api_load": api_load,
            "after_publish": {
                "fresh": fresh,
                "ms": seconds * 1000,
                "publish_seconds": published["seconds"],
            },
        }


# --- CI: does a page cost more in a larger glossary? --------------------------------------

#: The sizes ``--ci`` compares, and the requests of each page at each.
CI_SIZES = (2_000, 10_000)
CI_PAGE_REQUESTS = 5
#: A page fails when its median CPU time per request in the larger glossary is more than
#: GROWTH_LIMIT times, and more than GROWTH_SLACK_MS milliseconds above, its median in the
#: smaller one (the slack keeps a page of 2 ms from failing on 6 ms of noise).
GROWTH_LIMIT = 3.0
GROWTH_SLACK_MS = 5.0


@dataclass
class Growth:
    """A page's median CPU milliseconds a request at two sizes."""

    page: str
    small_ms: float
    large_ms: float
    small_queries: int
    large_queries: int

    @property
    def ratio(self) -> float:
        return self.large_ms / max(self.small_ms, 0.001)

    @property
    def grows(self) -> bool:
        return self.ratio > GROWTH_LIMIT and self.large_ms - self.small_ms > GROWTH_SLACK_MS


def growth(small: dict[str, Any], large: dict[str, Any]) -> list[Growth]:
    """Each page measured at both sizes (``every_page`` of two runs), compared by CPU time."""
    found = []
    for key, before in small.items():
        after = large.get(key)
        if after is None:
            continue
        found.append(
            Growth(
                page=key,
                small_ms=percentiles(before["cpu_ms"])["p50"],
                large_ms=percentiles(after["cpu_ms"])["p50"],
                small_queries=before["sql_queries"],
                large_queries=after["sql_queries"],
            )
        )
    return found


def growth_table(sizes: tuple[int, int], rows: list[Growth]) -> str:
    small, large = sizes
    lines = [
        f"Every page's median CPU time a request, uncached, at {small:,} and {large:,} concepts. "
        f"A page fails when it costs more than {GROWTH_LIMIT:g}× as much, and more than "
        f"{GROWTH_SLACK_MS:g} ms more, in the larger glossary.",
        "",
        f"| page, visitor | {small:,} concepts | {large:,} concepts | ratio | SQL queries | |",
        "|---|---|---|---|---|---|",
    ]
    for found in rows:
        lines.append(
            f"| {found.page} | {found.small_ms:.1f} ms | {found.large_ms:.1f} ms "
            f"| {found.ratio:.1f}× | {found.small_queries} → {found.large_queries} "
            f"| {'GROWS WITH THE GLOSSARY' if found.grows else 'ok'} |"
        )
    return "\n".join(lines) + "\n"


# --- The table ----------------------------------------------------------------------------------


def _ms(values: list[float]) -> str:
    cuts = percentiles(values)
    return f"{cuts['p50']:.1f} / {cuts['p95']:.1f} / {cuts['p99']:.1f} ms"


def _times(ratio: float, more: str, less: str) -> str:
    """2.5 → "2.5× faster"; 0.4 → "2.5× slower"."""
    return f"{ratio:.1f}× {more}" if ratio >= 1 else f"{1 / ratio:.1f}× {less}"


def _goal(met: bool, text: str) -> str:
    return f"{text}: {'met' if met else 'NOT MET'}"


HEADER = [
    "| measure | glossary, wall | glossary, CPU | peer, same run (wall; CPU) | ratio, by CPU | goal |",
    "|---|---|---|---|---|---|",
]


def _start_of(path: Path, entries: int) -> Path:
    """A file of the first ``entries`` of the import file (one entry a line, under a header)."""
    start = path.with_name(f"start-{path.name}")
    with path.open("rb") as source, start.open("wb") as out:
        for _ in range(entries + 1):
            out.write(source.readline())
    return start


def table(results: Results) -> str:
    """The results as a Markdown table, with the peers and the goals beside each line."""
    options, values = results.options, results.values
    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[results.engine]
    cache = "Redis" if options.cache else "each worker's memory"
    compounds = values.get("compounds") or 0
    made = (
        f" ({compounds:,} of them compounds of two CC-CEDICT entries, the dictionary having "
        "fewer entries than that)"
        if compounds
        else ""
    )
    lines = [
        f"Benchmark of {results.concepts:,} concepts from {data.ATTRIBUTION}{made} on {engine}; "
        + (
            f"{options.workers} gunicorn workers, page cache in {cache}; "
            if "pages" in values
            else f"search and every page only, cache in {cache}; "
        )
        + "Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {dt.date.today().isoformat()}. "
        "Times are p50 / p95 / p99 where there are several; CPU is the measured process's own "
        "(gunicorn's workers' for requests served by gunicorn); ratios are of CPU time, the "
        "glossary and its peer taking turns in the same step.",
        "",
        *HEADER,
    ]
    row = lines.append
    imported = values.get("import")
    loaded = values.get("bulk_load")
    if imported:
        count = imported.get("concepts") or results.concepts
        per = imported["seconds"] / max(count, 1) * 1000
        per_cpu = imported["cpu_seconds"] / max(count, 1) * 1000
        what = f"the first {count:,} entries of the file" if loaded else "the whole file"
        row(
            f"| import of {what}, published through review, peak {imported['peak_mb']:.0f} MB "
            f"| {imported['seconds']:.0f} s ({per:.1f} ms a concept) "
            f"| {imported['cpu_seconds']:.0f} s ({per_cpu:.1f} ms a concept) | | | |"
        )
    if loaded:
        count = max(loaded["concepts"], 1)
        row(
            f"| the other {loaded['concepts']:,} entries, bulk-loaded as the importer would write "
            f"them (not the import's speed), peak {loaded['peak_mb']:.0f} MB "
            f"| {loaded['seconds']:.0f} s ({loaded['seconds'] / count * 1000:.1f} ms a concept) "
            f"| {loaded['cpu_seconds']:.0f} s ({loaded['cpu_seconds'] / count * 1000:.1f} ms a "
            "concept) | | | |"
        )
    search = values["search"]
    every = [ms for kind in search["ms"].values() for ms in kind]
    every_cpu = [ms for kind in search["cpu_ms"].values() for ms in kind]
    p95 = percentiles(every)["p95"]
    row(
        f"| search, {search['queries']} queries ({search['found']} found; at "
        f"most {search['most_sql_queries']} SQL queries) | {_ms(every)} | {_ms(every_cpu)} | | | "
        f"{_goal(p95 < SEARCH_P95_MS, f'p95 < {SEARCH_P95_MS} ms')} |"
    )
    for kind, ms in search["ms"].items():
        row(f"| &nbsp;&nbsp;{kind} | {_ms(ms)} | {_ms(search['cpu_ms'][kind])} | | | |")
    every_page = values.get("every_page") or {}
    # On SQLite a request's whole work is in the measuring process, and its CPU time is not
    # inflated by other processes' load; on PostgreSQL part of it is the server's, so wall time.
    judged = "cpu_ms" if results.engine == "sqlite" else "wall_ms"
    if every_page:
        row(
            f"| **every page, uncached** ({options.page_requests} requests each, every cache "
            f"cleared before each; most SQL queries of one request; the domain holds "
            f"{DOMAIN_CONCEPTS} concepts; goals judged by "
            f"{'CPU' if judged == 'cpu_ms' else 'wall'} time) | | | | | |"
        )
    for measured in every_page.values():
        page_p95 = percentiles(measured[judged])["p95"]
        bound = SEARCH_P95_MS if "search" in measured["page"] else PAGE_P95_MS
        row(
            f"| &nbsp;&nbsp;{measured['page']}, {measured['visitor']} (`{measured['path']}`; "
            f"{measured['sql_queries']} SQL) | {_ms(measured['wall_ms'])} "
            f"| {_ms(measured['cpu_ms'])} | | | {_goal(page_p95 < bound, f'p95 < {bound} ms')} |"
        )
    if "pages" in values:
        _served(values, options, row)
    if "export_tbx" in values:
        _exported(values, row)
    if "check" in values:
        _checked(values, row)
    return "\n".join(lines) + "\n"


def _served(values: dict[str, Any], options: Options, row: Callable[[str], None]) -> None:
    pages = values["pages"]
    row(
        f"| concept page under gunicorn, first request | {_ms(pages['first'])} "
        f"| {pages['first_cpu_ms']:.1f} ms a request | | | |"
    )
    row(
        f"| concept page, cached | {_ms(pages['cached'])} "
        f"| {pages['cached_cpu_ms']:.1f} ms a request | | | |"
    )
    row(
        f"| API concept detail | {_ms(pages['api'])} | {pages['api_cpu_ms']:.1f} ms a request | | | |"
    )
    page_load, api_load = pages["page_load"], pages["api_load"]
    page_rate = page_load["per_second"]
    row(
        f"| concept page, cached, {options.clients} clients | {page_rate:.0f} requests/s "
        f"({page_load['failed']} failed) | {page_load['cpu_ms']:.1f} ms a request | | | "
        f"{_goal(page_rate >= PAGE_PER_SECOND, f'≥ {PAGE_PER_SECOND}/s')} |"
    )
    row(
        f"| API concept detail, {options.clients} clients | {api_load['per_second']:.0f} "
        f"requests/s ({api_load['failed']} failed) | {api_load['cpu_ms']:.1f} ms a request "
        "| | | |"
    )
    after = pages["after_publish"]
    row(
        f"| the cached page, right after its concept was published anew | "
        f"{'the new version' if after['fresh'] else 'STALE'} ({after['ms']:.0f} ms) | | | | "
        f"{_goal(after['fresh'], 'no stale page')} |"
    )


def _exported(values: dict[str, Any], row: Callable[[str], None]) -> None:
    ttk, tbx, csv = values["export_ttk"], values["export_tbx"], values["export_csv"]
    speedup = ttk["cpu_seconds"] / tbx["cpu_seconds"]
    row(
        f"| TBX export, database reads included, peak {tbx['peak_mb']:.0f} MB (best of "
        f"{EXPORT_ROUNDS}, taking turns with the toolkit) | {tbx['seconds']:.2f} s "
        f"| {tbx['cpu_seconds']:.2f} s | translate-toolkit from memory, peak "
        f"{ttk['peak_mb']:.0f} MB: {ttk['seconds']:.2f} s; {ttk['cpu_seconds']:.2f} s "
        f"| {_times(speedup, 'faster', 'slower')} "
        f"| {_goal(speedup >= EXPORT_SPEEDUP, f'≥ {EXPORT_SPEEDUP}× faster')} |"
    )
    row(
        f"| CSV export, peak {csv['peak_mb']:.0f} MB | {csv['seconds']:.2f} s "
        f"| {csv['cpu_seconds']:.2f} s | | | |"
    )


def _checked(values: dict[str, Any], row: Callable[[str], None]) -> None:
    check = values["check"]
    names = {"en": "English", "zh-Hans": "Simplified Chinese", "zh-Hant": "Traditional Chinese"}
    for language, name in names.items():
        found = check[language]
        peers = (
            f"substring ({found['substring_slice_mb'] * 1000:.0f} KB) "
            f"{found['substring_wall_mb_s']:.3f}; {found['substring_mb_s']:.3f} MB/s"
        )
        ratio = f"{found['ours_mb_s'] / found['substring_mb_s']:.1f}× substring"
        goal = ""
        if "jieba_mb_s" in found:
            against = found["ours_mb_s"] / found["jieba_mb_s"]
            peers = f"jieba {found['jieba_wall_mb_s']:.2f}; {found['jieba_mb_s']:.2f} MB/s; {peers}"
            ratio = f"{against:.2f}× jieba; {ratio}"
            goal = _goal(against >= CHECK_JIEBA_RATIO, f"≥ {CHECK_JIEBA_RATIO}× jieba")
        row(
            f"| term check, {name} ({found['mb']:.1f} MB; taking turns with its peers) "
            f"| {found['ours_wall_mb_s']:.2f} MB/s | {found['ours_mb_s']:.2f} MB/s | "
            f"{peers} | {ratio} | {goal} |"
        )
    row(
        "| term check of a translation (English + Simplified) "
        f"| {check['pair_wall_mb_s']:.2f} MB/s | {check['pair_mb_s']:.2f} MB/s | | | |"
    )
    row(
        f"| term checker built in a new process ({check['concepts']:,} concepts) "
        f"| {check['build_seconds']:.1f} s | {check['build_cpu_seconds']:.1f} s | | | |"
    )
    after_check = values.get("check_after_publish")
    if after_check:
        first, before = after_check["first"], after_check["before"]
        as_fast = first["cpu_ms"] <= max(3 * before["cpu_ms"], before["cpu_ms"] + 20)
        row(
            f"| term check (API), first request after a publication (a check before it: "
            f"{before['wall_ms']:.0f} ms wall, {before['cpu_ms']:.0f} ms CPU) "
            f"| {first['wall_ms']:.0f} ms | {first['cpu_ms']:.0f} ms | | | "
            f"{_goal(as_fast, 'as fast as any other check')} |"
        )
    largest = values.get("check_largest")
    if largest:
        characters = largest["characters"]
        for name, what in (
            ("text", "the benchmark's texts"),
            ("terms only", "nothing but glossary terms"),
        ):
            for way, label in (("api", "API"), ("page", "page")):
                found = largest.get(f"{name}, {way}")
                if found is None:
                    continue  # a glossary too small to have terms in both texts
                ms = found["wall_ms"]
                row(
                    f"| term check, largest documented input ({label}; English and Simplified "
                    f"texts of {characters:,} characters each, {what}: "
                    f"{found['occurrences']:,} occurrences in the two; "
                    f"{found['bytes'] / 1e6:.2f} MB answered) | {ms:.0f} ms "
                    f"| {found['cpu_ms']:.0f} ms | | | "
                    f"{_goal(ms < LARGEST_CHECK_MS, f'< {LARGEST_CHECK_MS} ms')} |"
                )
