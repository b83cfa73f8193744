"""manage.py check_terms: check a text file (and its translation) against the published glossary.

Exit status, for translators' pipelines:

* 0: nothing to change (every concept found uses its preferred or an admitted term);
* 1: at least one deprecated, superseded or missing term (the findings say which);
* 2: the command could not run (a file missing or unreadable, a bad language, same language, a
  text plainly in another script than the language given for it, or a text that is not in the
  ``--markup`` given, such as an XLIFF segment that is not well-formed).

A language not given is read from the text's script (``glossary.termcheck.engine.resolve_languages``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext, pgettext

from glossary.language.codes import LANGUAGES
from glossary.termcheck import engine, service

STDIN = "-"


class Command(BaseCommand):
    help = (
        "Check a text, or a text and its translation, against the published glossary. "
        "Exits with 1 when a deprecated, superseded or missing term is found, 2 on bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source", required=True, help="The text to check: a UTF-8 file, or - for stdin."
        )
        parser.add_argument("--target", help="Its translation: a UTF-8 file.")
        parser.add_argument(
            "--source-language",
            choices=LANGUAGES,
            help="Default: read from the text's script (en for a text without letters).",
        )
        parser.add_argument(
            "--target-language",
            choices=LANGUAGES,
            help=(
                "Default: read from the translation's script (for a text without letters, "
                "zh-Hans for an English source, en otherwise)."
            ),
        )
        parser.add_argument(
            "--format",
            choices=("text", "json"),
            default="text",
            help="How the findings are written.",
        )
        parser.add_argument(
            "--markup",
            choices=engine.MARKUPS,
            default="plain",
            help=(
                "What the texts are written in (default plain): markdown, html or xliff markup "
                "is left out of the check, and offsets point into the files as written."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = self._read(options["source"])
        target = self._read(options["target"]) if options["target"] else None
        markup = options["markup"]
        try:
            seen = [
                engine.extract(text, markup).text if text is not None else None
                for text in (source, target)
            ]
        except engine.MarkupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        source_language, target_language = engine.resolve_languages(
            seen[0] or "", options["source_language"], seen[1], options["target_language"]
        )
        if target_language is not None and target_language == source_language:
            raise CommandError(
                "The target must be in another language than the source.", returncode=2
            )
        try:
            result = service.check(source, source_language, target, target_language, markup=markup)
        except engine.LanguageMismatch as exc:
            raise CommandError(service.mismatch_message(exc), returncode=2) from exc
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._write_text(result)
        if result.problems:
            sys.exit(1)

    def _read(self, name: str) -> str:
        if name == STDIN:
            return sys.stdin.read()
        path = Path(name)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {name}", returncode=2) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {name} as UTF-8 text: {exc}", returncode=2) from exc

    def _write_text(self, result: engine.CheckResult) -> None:
        """A line per finding: where its concept occurs in the source, and what the target uses.

        Each occurrence is written once, in its finding's line, so the output grows with the
        texts (not with the product of their occurrences).
        """
        single = result.target_language is None
        for finding in result.findings:
            places = ", ".join(f"{span.start}-{span.end} {span.text!r}" for span in finding.source)
            line = f"{places} [{finding.concept}] {finding.verdict}"
            if single:
                line += f": use {finding.replacement!r}" if finding.replacement else ""
            else:
                used = ", ".join(repr(span.text) for span in finding.target) or "none"
                line += f"; expected {finding.expected!r}, found {used}"
                if finding.replacement:
                    line += f"; use {finding.replacement!r}"
                flagged = {
                    (span.status, span.replacement): None
                    for span in finding.source
                    if span.replacement
                }
                for status, replacement in flagged:
                    line += f" (source term is {status}; use {replacement!r})"
            style = self.style.ERROR if finding.is_problem else self.style.SUCCESS
            self.stdout.write(style(line))
        counts = result.counts()
        # The verdicts are codes (as in --format json), not words to translate.
        summary = ", ".join(f"{count} {verdict}" for verdict, count in counts.items() if count)
        total = len(result.findings)
        self.stdout.write(
            ngettext(
                "%(count)d finding (%(summary)s); %(problems)d to fix.",
                "%(count)d findings (%(summary)s); %(problems)d to fix.",
                total,
            )
            % {
                "count": total,
                "summary": summary or pgettext("no findings", "none"),
                "problems": len(result.problems),
            }
        )
