"""manage.py benchmark [--concepts N] [--database URL]: measure the glossary at scale.

Builds a glossary of N concepts from CC-CEDICT in a database of its own (never the one the
settings name), then measures import, search, pages and API under gunicorn, exports beside
translate-toolkit, and the term check beside jieba and substring matching, and prints a Markdown
table. See glossary/benchmarks/ and the README's benchmark section.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tools.benchmark.runner import BenchmarkError, Options, Run, table


class Command(BaseCommand):
    help = (
        "Measure the glossary at scale in a database of its own, built from CC-CEDICT (shared "
        "data beside the project): import, search latency, pages and API under gunicorn, TBX and "
        "CSV exports beside translate-toolkit, and the term check beside jieba and substring "
        "matching. Prints a Markdown table. The database is created for the run and dropped "
        "after it (--keep keeps it): by default a new SQLite file; with --database, a new "
        "PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/glossary_benchmark. Takes "
        "about ten minutes at 100,000 concepts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--concepts", type=int, default=100_000, help="default: 100000")
        parser.add_argument(
            "--database",
            default="",
            help="a new database's URL (created and dropped by the run); default: SQLite",
        )
        parser.add_argument(
            "--cache",
            default="",
            help="a Redis URL for the workers' shared page cache (default: each worker's memory)",
        )
        parser.add_argument("--queries", type=int, default=400, help="search queries (400)")
        parser.add_argument("--pages", type=int, default=200, help="concept pages requested (200)")
        parser.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
        parser.add_argument(
            "--seconds", type=float, default=20.0, help="length of each load test (20)"
        )
        parser.add_argument(
            "--text-bytes", type=int, default=1_000_000, help="size of each text checked (1 MB)"
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="measure an existing benchmark database as it is (no import)",
        )
        parser.add_argument(
            "--keep", action="store_true", help="keep the database and the work folder"
        )
        parser.add_argument(
            "--workdir", default="", help="work folder (default: a new temporary one)"
        )
        parser.add_argument("--json", default="", help="also write every measurement to this file")

    def handle(self, *args, **options):
        if options["concepts"] < 100:
            raise CommandError("--concepts must be at least 100.")
        settings = Options(
            concepts=options["concepts"],
            database=options["database"],
            cache=options["cache"],
            queries=options["queries"],
            pages=options["pages"],
            clients=options["clients"],
            seconds=options["seconds"],
            text_bytes=options["text_bytes"],
            reuse=options["reuse"],
            keep=options["keep"],
            workdir=Path(options["workdir"]) if options["workdir"] else None,
        )
        try:
            run = Run(settings, progress=self.stderr)
            results = run.run()
        except (BenchmarkError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        if settings.keep:
            self.stderr.write(f"Kept: {run.database.url} and {run.workdir}")
        if options["json"]:
            Path(options["json"]).write_text(
                json.dumps(
                    {"concepts": results.concepts, "engine": results.engine, **results.values},
                    indent=1,
                ),
                encoding="utf-8",
            )
        self.stdout.write(table(results))
