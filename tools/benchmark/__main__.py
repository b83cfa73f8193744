"""python -m tools.benchmark [--concepts N] [--database URL] [--ci]: measure the glossary at scale.

Builds a glossary of N concepts from CC-CEDICT in a database of its own (never the one the
settings name), then measures import, search, pages and API under gunicorn, exports beside
translate-toolkit, and the term check beside jieba and substring matching, and prints a Markdown
table. ``make benchmark`` runs it; see the README's benchmark section. ``--ci`` measures only
the pages, at two sizes, and fails when a page's cost grows with the glossary.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.benchmark import runner
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
    p.add_argument(
        "--page-requests",
        type=int,
        default=20,
        help="requests of each page, anonymous and signed in (20)",
    )
    p.add_argument(
        "--ci",
        action="store_true",
        help=(
            "measure every page at 2,000 and at 10,000 concepts (or --ci-sizes) and exit 1 when "
            f"one costs more than {runner.GROWTH_LIMIT:g}× as much CPU time a request in the "
            "larger glossary"
        ),
    )
    p.add_argument(
        "--ci-sizes",
        default="",
        help="with --ci: the two sizes, e.g. 2000,10000",
    )
    p.add_argument(
        "--import-entries",
        type=int,
        default=100_000,
        help=(
            "entries imported through the importer (100000); the rest of a larger glossary is "
            "written by the bulk loader, which writes the rows the importer would"
        ),
    )
    p.add_argument(
        "--pages-only",
        action="store_true",
        help="measure only search and every page (no exports, term check or gunicorn)",
    )
    p.add_argument("--json", default="", help="also write every measurement to this file")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit status (2 when it cannot run)."""
    args = parser().parse_args(argv)
    if args.concepts < 100:
        print("--concepts must be at least 100.", file=sys.stderr)
        return 2
    if args.ci:
        return ci(args)
    settings = Options(
        concepts=args.concepts,
        database=args.database,
        cache=args.cache,
        queries=args.queries,
        pages=args.pages,
        clients=args.clients,
        seconds=args.seconds,
        text_bytes=args.text_bytes,
        page_requests=args.page_requests,
        reuse=args.reuse,
        keep=args.keep,
        workdir=Path(args.workdir) if args.workdir else None,
        import_entries=args.import_entries,
        pages_only=args.pages_only,
    )
    if args.import_entries < 1:
        print("--import-entries must be at least 1.", file=sys.stderr)
        return 2
    try:
        run = Run(settings, progress=sys.stderr)
        results = run.run_pages(search=True) if settings.pages_only else run.run()
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


def ci(args: argparse.Namespace) -> int:
    """Every page at two sizes; 1 when one grows with the glossary (see ``runner.growth``)."""
    try:
        small, large = (
            tuple(int(size) for size in args.ci_sizes.split(","))
            if args.ci_sizes
            else runner.CI_SIZES
        )
    except ValueError:
        print("--ci-sizes takes two sizes, e.g. 2000,10000.", file=sys.stderr)
        return 2
    if not 100 <= small < large:
        print("--ci-sizes: the first size is at least 100, the second larger.", file=sys.stderr)
        return 2
    measured = {}
    for size in (small, large):
        options = Options(
            concepts=size,
            queries=40,
            text_bytes=1000,
            page_requests=runner.CI_PAGE_REQUESTS,
        )
        try:
            measured[size] = Run(options, progress=sys.stderr).run_pages()
        except (BenchmarkError, FileNotFoundError) as exc:
            print(exc, file=sys.stderr)
            return 2
    rows = runner.growth(measured[small].values["every_page"], measured[large].values["every_page"])
    if args.json:
        Path(args.json).write_text(
            json.dumps({str(size): found.values for size, found in measured.items()}, indent=1),
            encoding="utf-8",
        )
    print(runner.growth_table((small, large), rows))
    grown = [found.page for found in rows if found.grows]
    if grown:
        print(f"Pages whose cost grows with the glossary: {', '.join(grown)}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
