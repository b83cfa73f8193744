"""manage.py import_glossary FILE [--format F] [--dry-run]: import a glossary file as drafts.

Exit status: 0 when every entry was imported (or, with --dry-run, would be); 1 when nothing was
written (a refused file, conflicts or errors without --skip-problems, a misused option); 3 when
--skip-problems left entries out, so that a script notices the partial import.
"""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from glossary.exchange import formats, importer
from glossary.exchange.safety import FileOnDisk, ImportRefused, check_size

#: The exit status of an import that skipped entries at the operator's request.
SKIPPED_EXIT = 3


class Command(BaseCommand):
    help = (
        "Import a TBX (either layout), CSV or XLSX file. New concepts and changed ones become "
        "drafts that go through review; nothing is published. All or nothing: if any entry is a "
        "conflict or an error, nothing is written and the exit status is 1. --skip-problems "
        "imports the other entries instead, lists each skipped one as not imported and exits "
        "with status 3; a broken file (truncated, not UTF-8, hostile) is always refused whole. "
        "--dry-run shows the report and writes nothing. --publish is for an administrator "
        "bootstrapping an empty "
        "glossary: each imported concept is submitted and approved by the --reviewer accounts "
        "(one per side the review policy requires), with the reason recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--format", default="", choices=["", *formats.READERS], help="default: from the file"
        )
        parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
        parser.add_argument(
            "--as-user", required=True, help="the account the drafts are created by (an editor)"
        )
        parser.add_argument(
            "--skip-problems",
            action="store_true",
            help=(
                "import the entries that can be and skip those with a conflict or error; each "
                "skipped entry is listed as not imported and the exit status is 3"
            ),
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="bootstrap an empty glossary: publish through review by the --reviewer accounts",
        )
        parser.add_argument(
            "--reviewer",
            action="append",
            default=[],
            help="a reviewer who approves the bootstrap (repeat: one per required side)",
        )
        parser.add_argument(
            "--reason",
            default="Bootstrap import into an empty glossary",
            help="recorded on each submission and approval of a bootstrap",
        )

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}; nothing was imported.")
        return user

    def handle(self, *args, **options):
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(f"There is no file {path}.")
        user = self._user(options["as_user"])
        publish = None
        if options["publish"]:
            if not options["reviewer"]:
                raise CommandError(
                    "--publish needs the reviewers who approve the bootstrap: --reviewer NAME, "
                    "one for each side the review policy requires. Nothing was imported."
                )
            publish = importer.PublishPlan(
                reviewers=[self._user(name) for name in options["reviewer"]],
                reason=options["reason"],
            )
        elif options["reviewer"]:
            raise CommandError("--reviewer is only used with --publish.")
        try:
            check_size(os.path.getsize(path))
            # Read from the disk on each walk, a piece at a time: never held whole.
            parsed = formats.stream_read(FileOnDisk(path), options["format"], filename=path)
            report = importer.import_file(
                parsed,
                user=user,
                dry_run=options["dry_run"],
                skip_problems=options["skip_problems"],
                publish=publish,
            )
        except ImportRefused as exc:
            raise CommandError(f"{path} was refused, nothing changed: {exc.message}") from exc
        for entry in report.entries:
            line = f"{entry.where}: {entry.label}"
            if entry.uid:
                line += f" [{entry.uid}]"
            self.stdout.write(line)
            for message in entry.messages:
                self.stdout.write(f"    {message}")
        for warning in report.warnings:
            self.stdout.write(f"note: {warning}")
        skipped = report.skipped
        if skipped:
            # Once more at the end, where a long report cannot hide them.
            self.stdout.write(f"NOT IMPORTED ({len(skipped)}, skipped as --skip-problems asked):")
            for entry in skipped:
                self.stdout.write(f"  {entry.where}: {entry.label}: {' '.join(entry.messages)}")
        self.stdout.write(report.summary())
        if report.blocked:
            raise CommandError(report.blocked)
        if skipped:
            listed = ", ".join(entry.where for entry in skipped[:10])
            more = f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""
            one = len(skipped) == 1
            noun = "entry" if one else "entries"
            verb = "would not be" if report.dry_run else ("was not" if one else "were not")
            raise CommandError(
                f"{len(skipped)} {noun} of {path} {verb} imported (--skip-problems): "
                f"{listed}{more}. See the report above.",
                returncode=SKIPPED_EXIT,
            )
