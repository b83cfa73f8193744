"""manage.py export_glossary --format F [--release R] [--domain D] [-o FILE]: write a glossary file."""

from __future__ import annotations

import datetime as dt
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from glossary.exchange import formats, snapshot


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Export the published glossary (or a release) as a file. Formats: "
        + "; ".join(f"{name}: {fmt.description}" for name, fmt in formats.EXPORTS.items())
        + ". Drafts are never exported. The file states the release and date it was made from."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=list(formats.EXPORTS))
        parser.add_argument("--release", default="", help="a release name, e.g. 2025.1")
        parser.add_argument("--domain", default="", help="only this subject field (its key)")
        parser.add_argument(
            "-o", "--output", default="", help="the file to write (default: stdout)"
        )
        parser.add_argument(
            "--date",
            default="",
            help="the date the file states (YYYY-MM-DD); default: the release's date, or today",
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
            )
        except snapshot.ExportError as exc:
            raise CommandError(exc.message) from exc
        if options["no_history"]:
            export.history = False
        chunks = formats.stream(fmt, export)
        target = options["output"]
        if not target:
            out = sys.stdout.buffer
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            return
        # Write beside the target and rename, so that a failed export leaves no half file.
        partial = f"{target}.part"
        try:
            with open(partial, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            os.replace(partial, target)
        except BaseException:
            if os.path.exists(partial):
                os.remove(partial)
            raise
        self.stderr.write(
            f"{export.count()} concepts written to {target} ({export.meta.describe()})"
        )
