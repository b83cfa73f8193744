"""One benchmark run: build the glossary in its own database, measure, print a table.

Every step runs in a process of its own against the benchmark database (``DATABASE_URL``), with
the production settings: the import is the ``import_glossary`` command itself, imports, exports
and peers report their own peak memory (RSS), and pages are served by gunicorn. Peers are measured in the same run as the glossary's own code, and the table
gives ratios as well as times: the machine may be shared and noisy, and a ratio measured in one
run says more than an absolute time.
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
CHECK_JIEBA_RATIO = 0.5
PAGE_PER_SECOND = 300
#: The largest input the term check accepts, checked through the API or the page.
LARGEST_CHECK_MS = 1000


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
    workers: int = 2
    cache: str = ""  # a Redis URL, or "" for each worker's own memory
    reuse: bool = False
    keep: bool = False
    workdir: Path | None = None


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
            self._check()
            self._exports()
            self._serve()
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
        entries = json.loads(measured.output.strip().splitlines()[-1])["entries"]
        self.step("Migrating the benchmark database", lambda: self.manage("migrate", "--noinput"))
        self.step("Creating the benchmark's accounts", lambda: self.stage("accounts"))
        existing = self.stage("sample", "1")[0]["concepts"]
        if existing:
            self.progress.write(f"The database holds {existing:,} concepts: not importing.\n")
            values["import"] = None
        else:
            found, _measured = self.step(
                f"Importing {entries:,} concepts, published through review",
                lambda: self.stage(
                    "import",
                    str(self.workdir / data.IMPORT_FILE),
                    str(self.workdir / "import.log"),
                ),
            )
            values["import"] = found
        self.results.concepts = self.stage("sample", "1")[0]["concepts"]

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

    def _exports(self) -> None:
        values = self.results.values
        for fmt in ("tbx", "csv"):
            output = self.workdir / f"export.{fmt}"
            found, measured = self.step(
                f"Exporting {fmt.upper()}",
                lambda fmt=fmt, output=output: self.stage("export", fmt, str(output)),
            )
            values[f"export_{fmt}"] = found
        terms = self.workdir / "terms.csv"
        self.stage("terms", str(terms))
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
        found = json.loads(measured.output.strip().splitlines()[-1])
        values["export_ttk"] = found

    def _serve(self) -> None:
        options, values = self.options, self.results.values
        uids = self.stage("sample", str(options.pages))[0]["uids"]
        pages = [f"/en/concepts/{uid}/" for uid in uids]
        details = [f"/api/v1/concepts/{uid}/" for uid in uids]
        log = self.workdir / "gunicorn.log"
        with http.gunicorn(self.env, workers=options.workers, log=log) as port:
            first, failed = self.step(
                "Concept pages, first request", lambda: http.latencies(port, pages)
            )
            # Each worker keeps its own copy without a shared cache: ask until both have it.
            for _ in range(3):
                http.latencies(port, pages)
            cached, failed_cached = http.latencies(port, pages)
            api, failed_api = self.step(
                "API concept details", lambda: http.latencies(port, details)
            )
            page_load = self.step(
                f"Concept pages, {options.clients} clients for {options.seconds:g} s",
                lambda: http.load(port, pages, clients=options.clients, seconds=options.seconds),
            )
            api_load = self.step(
                f"API concept details, {options.clients} clients for {options.seconds:g} s",
                lambda: http.load(port, details, clients=options.clients, seconds=options.seconds),
            )
            marker = f"benchmark-{secrets.token_hex(4)}"
            published, _measured = self.step(
                "Publishing a new version of a cached page",
                lambda: self.stage("publish", uids[0], marker),
            )
            status, body, seconds = http.get(port, pages[0])
            fresh = status == 200 and marker.encode() in body
        values["pages"] = {
            "first": first,
            "cached": cached,
            "api": api,
            "failed": failed + failed_cached + failed_api,
            "page_load": {
                "per_second": page_load.per_second,
                "failed": page_load.failed,
                "ms": page_load.times,
            },
            "api_load": {
                "per_second": api_load.per_second,
                "failed": api_load.failed,
                "ms": api_load.times,
            },
            "after_publish": {
                "fresh": fresh,
                "ms": seconds * 1000,
                "publish_seconds": published["seconds"],
            },
        }


# --- The table ----------------------------------------------------------------------------------


def _ms(values: list[float]) -> str:
    cuts = percentiles(values)
    return f"{cuts['p50']:.1f} / {cuts['p95']:.1f} / {cuts['p99']:.1f} ms"


def _times(ratio: float, more: str, less: str) -> str:
    """2.5 → "2.5× faster"; 0.4 → "2.5× slower"."""
    return f"{ratio:.1f}× {more}" if ratio >= 1 else f"{1 / ratio:.1f}× {less}"


def _goal(met: bool, text: str) -> str:
    return f"{text}: {'met' if met else 'NOT MET'}"


def table(results: Results) -> str:
    """The results as a Markdown table, with the peers and the goals beside each line."""
    options, values = results.options, results.values
    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[results.engine]
    cache = "Redis" if options.cache else "each worker's memory"
    lines = [
        f"Benchmark of {results.concepts:,} concepts from {data.ATTRIBUTION} on {engine}; "
        f"{options.workers} gunicorn workers, page cache in {cache}; Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {dt.date.today().isoformat()}.",
        "",
        "| measure | glossary | peer, same run | ratio | goal |",
        "|---|---|---|---|---|",
    ]
    row = lines.append
    imported = values.get("import")
    if imported:
        per = imported["seconds"] / max(results.concepts, 1) * 1000
        row(
            f"| import of the whole file, published through review | {imported['seconds']:.0f} s "
            f"({per:.1f} ms a concept), peak {imported['peak_mb']:.0f} MB | | | |"
        )
    search = values["search"]
    every = [ms for kind in search["ms"].values() for ms in kind]
    p95 = percentiles(every)["p95"]
    row(
        f"| search p50 / p95 / p99, {search['queries']} queries ({search['found']} found; at "
        f"most {search['most_sql_queries']} SQL queries) | {_ms(every)} | | | "
        f"{_goal(p95 < SEARCH_P95_MS, f'p95 < {SEARCH_P95_MS} ms')} |"
    )
    for kind, ms in search["ms"].items():
        row(f"| &nbsp;&nbsp;{kind} | {_ms(ms)} | | | |")
    pages = values["pages"]
    row(f"| concept page, first request, p50 / p95 / p99 | {_ms(pages['first'])} | | | |")
    row(f"| concept page, cached | {_ms(pages['cached'])} | | | |")
    row(f"| API concept detail | {_ms(pages['api'])} | | | |")
    page_rate = pages["page_load"]["per_second"]
    row(
        f"| concept page, cached, {options.clients} clients | {page_rate:.0f} requests/s "
        f"({pages['page_load']['failed']} failed) | | | "
        f"{_goal(page_rate >= PAGE_PER_SECOND, f'≥ {PAGE_PER_SECOND}/s')} |"
    )
    row(
        f"| API concept detail, {options.clients} clients | "
        f"{pages['api_load']['per_second']:.0f} requests/s ({pages['api_load']['failed']} failed) | | | |"
    )
    after = pages["after_publish"]
    row(
        f"| the cached page, right after its concept was published anew | "
        f"{'the new version' if after['fresh'] else 'STALE'} ({after['ms']:.0f} ms) | | | "
        f"{_goal(after['fresh'], 'no stale page')} |"
    )
    ttk = values["export_ttk"]
    for fmt in ("tbx", "csv"):
        export = values[f"export_{fmt}"]
        if fmt == "tbx":
            speedup = ttk["seconds"] / export["seconds"]
            row(
                f"| TBX export, database reads included | {export['seconds']:.2f} s, peak "
                f"{export['peak_mb']:.0f} MB | translate-toolkit from memory: {ttk['seconds']:.2f} s, "
                f"peak {ttk['peak_mb']:.0f} MB | {_times(speedup, 'faster', 'slower')} | "
                f"{_goal(speedup >= EXPORT_SPEEDUP, f'≥ {EXPORT_SPEEDUP}× faster')} |"
            )
        else:
            row(
                f"| CSV export | {export['seconds']:.2f} s, peak {export['peak_mb']:.0f} MB | | | |"
            )
    check = values["check"]
    names = {"en": "English", "zh-Hans": "Simplified Chinese", "zh-Hant": "Traditional Chinese"}
    for language, name in names.items():
        found = check[language]
        peers = f"substring {found['substring_mb_s']:.3f} MB/s"
        ratio = f"{found['ours_mb_s'] / found['substring_mb_s']:.0f}× substring"
        goal = ""
        if "jieba_mb_s" in found:
            against = found["ours_mb_s"] / found["jieba_mb_s"]
            peers = f"jieba {found['jieba_mb_s']:.2f} MB/s; {peers}"
            ratio = f"{against:.2f}× jieba; {ratio}"
            goal = _goal(against >= CHECK_JIEBA_RATIO, f"≥ {CHECK_JIEBA_RATIO}× jieba")
        row(
            f"| term check, {name} ({found['mb']:.1f} MB) | {found['ours_mb_s']:.2f} MB/s | "
            f"{peers} | {ratio} | {goal} |"
        )
    row(
        f"| term check of a translation (English + Simplified) | {check['pair_mb_s']:.2f} MB/s | | | |"
    )
    row(
        f"| term check rebuilt after a publication ({check['concepts']:,} concepts) | "
        f"{check['build_seconds']:.1f} s | | | |"
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
                    f"{found['occurrences']:,} occurrences in the two) | wall {ms:.0f} ms, CPU "
                    f"{found['cpu_ms']:.0f} ms; {found['bytes'] / 1e6:.2f} MB answered | | | "
                    f"{_goal(ms < LARGEST_CHECK_MS, f'< {LARGEST_CHECK_MS} ms')} |"
                )
    return "\n".join(lines) + "\n"
