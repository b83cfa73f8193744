"""manage.py check_terms: check a text file (and its translation), or a translator's bilingual file.

``--source`` (and ``--target``) check plain texts; ``--file`` checks a bilingual file (XLIFF 1.2
or 2.x, TMX, PO, CSV or XLSX) segment by segment, and ``--report csv|xlsx|html`` writes its
report to ``--output`` (or, but for XLSX, to the standard output).

Exit status, for translators' pipelines:

* 0: nothing to change (every concept found uses its preferred or an admitted term);
* 1: at least one deprecated, superseded or missing term (the findings say which);
* 2: the command could not run (a file missing or unreadable, a bad language, same language, a
  text plainly in another script than the language given for it, a text that is not in the
  ``--markup`` given, such as an XLIFF segment that is not well-formed, or a bilingual file
  refused: not readable, over a limit, or without a target language).

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
from glossary.termcheck import authorities, engine, files, service

STDIN = "-"


class Command(BaseCommand):
    help = (
        "Check a text, or a text and its translation, against the published glossary. "
        "Exits with 1 when a deprecated, superseded or missing term is found, 2 on bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        given = parser.add_mutually_exclusive_group(required=True)
        given.add_argument("--source", help="The text to check: a UTF-8 file, or - for stdin.")
        given.add_argument(
            "--file",
            help=(
                "A bilingual file to check segment by segment: XLIFF (.xlf, .xliff), TMX, PO, "
                "CSV or XLSX (source and target columns)."
            ),
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
        parser.add_argument(
            "--report",
            choices=tuple(files.REPORTS),
            help="With --file: write the report as CSV, XLSX or HTML (instead of --format).",
        )
        parser.add_argument(
            "--output", help="With --report: the file to write it to (default: standard output)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"]:
            self._check_file(options)
            return
        if options["report"] or options["output"]:
            raise CommandError("--report and --output go with --file.", returncode=2)
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
        mentions = authorities.of_result(result)
        if options["format"] == "json":
            payload = authorities.result_payload(result, mentions)
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self._write_text(result, mentions)
        if result.problems:
            sys.exit(1)

    def _check_file(self, options: dict[str, Any]) -> None:
        """Check a bilingual file; exit with 1 when a segment has a problem."""
        name = options["file"]
        if options["target"]:
            raise CommandError("--target goes with --source, not --file.", returncode=2)
        if options["report"] == "xlsx" and not options["output"]:
            raise CommandError("An XLSX report needs --output.", returncode=2)
        if options["output"] and not options["report"]:
            raise CommandError("--output goes with --report.", returncode=2)
        path = Path(name)
        try:
            size = path.stat().st_size
            files.check_size(size)
            data = path.read_bytes()
            report = service.check_file(
                data,
                path.name,
                source_language=options["source_language"],
                target_language=options["target_language"],
            )
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {name}", returncode=2) from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc}", returncode=2) from exc
        except files.FileRefused as exc:
            raise CommandError(f"{name}: {exc.message}", returncode=2) from exc
        fmt = options["report"]
        if fmt:
            content = files.render(report, fmt)
            if options["output"]:
                try:
                    Path(options["output"]).write_bytes(content)
                except OSError as exc:
                    raise CommandError(
                        f"Cannot write {options['output']}: {exc}", returncode=2
                    ) from exc
            else:
                self.stdout.write(content.decode("utf-8"), ending="")
        elif options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._write_file_report(report)
        if report.problems:
            sys.exit(1)

    def _write_file_report(self, report: files.FileReport) -> None:
        """A line per problem (segment, concept, verdict, term to use), then the totals."""
        for segment in report.flagged:
            for problem in segment.problems:
                written = ", ".join(repr(term) for term in problem.source_terms)
                line = f"{segment.segment}: {written} [{problem.concept}] {problem.verdict}"
                if problem.target_terms:
                    line += f", found {', '.join(repr(t) for t in problem.target_terms)}"
                if problem.use:
                    line += f"; use {problem.use!r}"
                given = report.authorities_of(problem)
                if given:
                    line += f"; {authorities.said(given)}"
                self.stdout.write(self.style.ERROR(line))
        # A concept whose translations use a term an authority gives, where the glossary
        # prefers another ("admitted; recommended by …").
        for concept in report.concepts:
            given = report.authorities_of(concept)
            if given:
                terms = ", ".join(repr(term) for term in concept.used)
                self.stdout.write(f"[{concept.concept}] {terms}: {authorities.said(given)}")
        totals = report.totals()
        self.stdout.write(
            ngettext(
                "%(segments)d segment read, %(checked)d checked (%(untranslated)d untranslated, "
                "%(mismatched)d in another language skipped); %(problems)d to fix in "
                "%(flagged)d segments.",
                "%(segments)d segments read, %(checked)d checked (%(untranslated)d untranslated, "
                "%(mismatched)d in another language skipped); %(problems)d to fix in "
                "%(flagged)d segments.",
                totals["segments"],
            )
            % {**totals, "flagged": totals["segments_with_problems"]}
        )

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

    def _write_text(self, result: engine.CheckResult, mentions: authorities.Mentions) -> None:
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
                given = authorities.of_finding(finding, mentions)
                if given:
                    line += f"; {authorities.said(given)}"
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
