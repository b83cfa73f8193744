"""python -m tools.benchmark [--concepts N] [--database URL]: measure the glossary at scale.

Builds a glossary of N concepts from CC-CEDICT in a database of its own (never the one the
settings name), then measures import, search, pages and API under gunicorn, exports beside
translate-toolkit, and the term check beside jieba and substring matching, and prints a Markdown
table. ``make benchmark`` runs it; see the README's benchmark section.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.benchmark.runner import BenchmarkError, Options, Run, table

DESCRIPTION = (
    "Measure the glossary at scale in a database of its own, built from CC-CEDICT (shared "
    "data beside the project): import, search latency, pages and API under gunicorn, TBX and "
    "CSV exports beside translate-toolkit, and the term check beside jieba and substring "
    "matching. Prints a Markdown table. The database is created for the run and dropped "
    "after it (--keep keeps it): by default a new SQLite file; with --database, a new "
    "PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/glossary_benchmark. Takes "
    "about ten minutes at 100,000 concepts."
)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tools.benchmark", description=DESCRIPTION)
    p.add_argument("--concepts", type=int, default=100_000, help="default: 100000")
    p.add_argument(
        "--database",
        default="",
        help="a new database's URL (created and dropped by the run); default: SQLite",
    )
    p.add_argument(
        "--cache",
        default="",
        help="a Redis URL for the workers' shared page cache (default: each worker's memory)",
    )
    p.add_argument("--queries", type=int, default=400, help="search queries (400)")
    p.add_argument("--pages", type=int, default=200, help="concept pages requested (200)")
    p.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
    p.add_argument("--seconds", type=float, default=20.0, help="length of each load test (20)")
    p.add_argument(
        "--text-bytes", type=int, default=1_000_000, help="size of each text checked (1 MB)"
    )
    p.add_argument(
        "--reuse",
        action="store_true",
        help="measure an existing benchmark database as it is (no import)",
    )
    p.add_argument("--keep", action="store_true", help="keep the database and the work folder")
    p.add_argument("--workdir", default="", help="work folder (default: a new temporary one)")
    p.add_argument("--json", default="", help="also write every measurement to this file")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit status (2 when it cannot run)."""
    args = parser().parse_args(argv)
    if args.concepts < 100:
        print("--concepts must be at least 100.", file=sys.stderr)
        return 2
    settings = Options(
        concepts=args.concepts,
        database=args.database,
        cache=args.cache,
        queries=args.queries,
        pages=args.pages,
        clients=args.clients,
        seconds=args.seconds,
        text_bytes=args.text_bytes,
        reuse=args.reuse,
        keep=args.keep,
        workdir=Path(args.workdir) if args.workdir else None,
    )
    try:
        run = Run(settings, progress=sys.stderr)
        results = run.run()
    except (BenchmarkError, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if settings.keep:
        print(f"Kept: {run.database.url} and {run.workdir}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"concepts": results.concepts, "engine": results.engine, **results.values},
                indent=1,
            ),
            encoding="utf-8",
        )
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
