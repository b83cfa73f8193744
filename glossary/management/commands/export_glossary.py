"""manage.py export_glossary --format F [--release R] [--domain D] [-o PATH]: write a file."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError

from glossary.exchange import formats, variants
from glossary.exchange import published as snapshot


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Export the published glossary (or a release) as a file. Formats: "
        + "; ".join(f"{name}: {fmt.description}" for name, fmt in formats.EXPORTS.items())
        + ". Drafts are never exported. TBX, CSV, XLSX and JSON files state the release and "
        "date they were made from; the MT-engine formats have no room for it, so the command "
        "always prints it on stderr (never into the file), and with -o DIR the file name says "
        "it too (e.g. ai-glossary-2025.1-2025-03-01.deepl-en-zh.tsv)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=list(formats.EXPORTS))
        parser.add_argument("--release", default="", help="a release name, e.g. 2025.1")
        parser.add_argument("--domain", default="", help="only this subject field (its key)")
        parser.add_argument(
            "-o",
            "--output",
            default="",
            help=(
                "the file to write, or a directory to write it into under a name that states "
                "the release and date (default: stdout)"
            ),
        )
        parser.add_argument(
            "--date",
            default="",
            help="the date the file states (YYYY-MM-DD); default: the release's date, or today",
        )
        parser.add_argument(
            "--chinese",
            default=variants.BOTH,
            choices=list(variants.CHINESE),
            help=(
                "only one Chinese variant (zh-Hans or zh-Hant), or both (default; the OmegaT "
                "and DeepL files hold one, Simplified unless zh-Hant is asked for)"
            ),
        )
        parser.add_argument(
            "--codes",
            default="",
            choices=list(variants.CODES),
            help=(
                "the language codes to write: script (zh-Hans/zh-Hant), cn-tw (zh-CN/zh-TW), "
                "cn-hk (zh-CN/zh-HK) or zh (plain zh, with --chinese zh-Hans or zh-Hant); "
                "default: each format's own (docs/exchange.md)"
            ),
        )
        parser.add_argument(
            "--include-unreviewed",
            action="store_true",
            help=(
                "let MT glossaries hold Traditional terms that are unreviewed machine "
                "conversions (left out by default)"
            ),
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="leave out the concepts' history (transactions) from TBX and JSON",
        )

    def handle(self, *args, **options):
        fmt = formats.EXPORTS[options["format"]]
        try:
            export = snapshot.prepare(
                release=options["release"],
                domain=options["domain"],
                date=_date(options["date"]) if options["date"] else None,
                chinese=options["chinese"],
                codes=options["codes"],
                unreviewed=options["include_unreviewed"],
            )
        except snapshot.ExportError as exc:
            raise CommandError(exc.message) from exc
        if options["no_history"]:
            export.history = False
        target = options["output"]
        if target and os.path.isdir(target):
            target = os.path.join(target, export.meta.filename(fmt.suffix))
        chunks = formats.stream(fmt, export)
        if not target:
            if not _write_to_stdout(chunks):
                # The reader went away (``| head``): no traceback, and no claim of success.
                raise SystemExit(1)
            target = "stdout"
        else:
            _write_file(target, chunks)
        self.stderr.write(
            f"{export.count()} concepts written to {target} ({export.meta.describe()})"
        )


def _write_file(target: str, chunks: Iterator[bytes]) -> None:
    """Write beside the target and rename, so that a failed export leaves no half file."""
    partial = f"{target}.part"
    try:
        with open(partial, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(partial, target)
    except BaseException as exc:
        if os.path.exists(partial):
            os.remove(partial)
        if isinstance(exc, OSError):
            raise CommandError(f"Cannot write {target}: {exc.strerror or exc}") from exc
        raise


def _write_to_stdout(chunks: Iterator[bytes]) -> bool:
    """Stream to stdout; False when the reader went away before the end (``| head``)."""
    stdout = sys.stdout
    try:
        for chunk in chunks:
            stdout.buffer.write(chunk)
        stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout once more at exit and would complain about the closed pipe:
        # point the descriptor at /dev/null so that the flush goes nowhere, quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
        os.close(devnull)
        return False
    return True
