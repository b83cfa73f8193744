"""Checking a bilingual file segment by segment, and the report that makes.

The report lists each segment with a problem (a deprecated, superseded or missing term in its
translation) once, with its problems; a summary per concept found (segments, occurrences,
findings by verdict); and totals. Every segment's texts are written once and every finding once,
so the report grows with the file, never with the product of its segments and terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from django.utils.translation import gettext as _

from glossary.termcheck.engine import (
    PROBLEM_VERDICTS,
    VERDICTS,
    LanguageMismatch,
    TermChecker,
    resolve_languages,
)
from glossary.termcheck.files.read import BilingualFile, FileRefused

if TYPE_CHECKING:
    from glossary.termcheck.authorities import Mention, Mentions

#: How many sources are read to tell a file's source language when neither file nor user says.
DETECTION_SAMPLE: Final = 50
#: Verdicts of a translation that should change, in the order the reports list them.
PROBLEMS: Final = tuple(verdict for verdict in VERDICTS if verdict in PROBLEM_VERDICTS)


@dataclass(frozen=True, slots=True)
class Problem:
    """A concept of a segment's source whose translation should change."""

    concept: str
    verdict: str
    #: How the source writes the concept, each spelling once.
    source_terms: tuple[str, ...]
    #: The concept's terms the translation uses, each spelling once (none for ``missing``).
    target_terms: tuple[str, ...]
    #: The term to use: the preferred term in the target language.
    use: str | None
    #: The glossary terms the translation uses that are not preferred, each once (the
    #: authorities that give them are named beside the problem).
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SegmentReport:
    """A segment with at least one problem."""

    segment: str
    source: str
    target: str
    problems: tuple[Problem, ...]


@dataclass(slots=True)
class ConceptSummary:
    """One concept over the whole file."""

    concept: str
    #: Its preferred term in the source and in the target language.
    term: str
    expected: str | None
    segments: int = 0
    occurrences: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    #: The glossary terms the translations use for it that are not preferred, each once.
    used: dict[str, None] = field(default_factory=dict)

    @property
    def problems(self) -> int:
        return sum(self.verdicts[verdict] for verdict in PROBLEMS)

    def as_dict(self, mentions: Mentions | None = None) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "term": self.term,
            "expected": self.expected,
            "segments": self.segments,
            "occurrences": self.occurrences,
            **self.verdicts,
            "problems": self.problems,
            "authorities": [
                mention.as_dict() for mention in named(self.concept, self.used, mentions or {})
            ],
        }


def named(concept: str, terms: Any, mentions: Mentions) -> tuple[Mention, ...]:
    """The authorities that give these terms of a concept, each term's in order."""
    return tuple(mention for term in terms for mention in mentions.get((concept, term), ()))


@dataclass(frozen=True, slots=True)
class FileReport:
    """What checking a file found, in file order; totals count segments and findings."""

    name: str
    format: str
    source_language: str
    target_language: str
    glossary: str
    #: Segments read, checked, skipped as untranslated, and skipped because a text was
    #: plainly in another language than the file's.
    segments: int
    checked: int
    untranslated: int
    mismatched: int
    flagged: tuple[SegmentReport, ...]
    concepts: tuple[ConceptSummary, ...]
    #: The authorities whose renderings the translations use where the glossary prefers
    #: another term, by (concept, term): filled by the service, which reads them in one query.
    mentions: Mentions = field(default_factory=dict)

    def unpreferred_pairs(self) -> set[tuple[str, str]]:
        """(concept, term) of every glossary term the translations use that is not preferred."""
        return {(concept.concept, term) for concept in self.concepts for term in concept.used}

    def authorities_of(self, item: Problem | ConceptSummary) -> tuple[Mention, ...]:
        """The authorities that give the unpreferred terms of a problem or a concept."""
        terms = item.terms if isinstance(item, Problem) else item.used
        return named(item.concept, terms, self.mentions)

    @property
    def problems(self) -> int:
        return sum(len(segment.problems) for segment in self.flagged)

    def totals(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(PROBLEMS, 0)
        for segment in self.flagged:
            for problem in segment.problems:
                counts[problem.verdict] += 1
        return {
            "segments": self.segments,
            "checked": self.checked,
            "untranslated": self.untranslated,
            "mismatched": self.mismatched,
            "segments_with_problems": len(self.flagged),
            "problems": self.problems,
            **counts,
        }

    def as_dict(self) -> dict[str, Any]:
        """The payload of the API and of ``check_terms --file --report json``."""
        return {
            "file": {
                "name": self.name,
                "format": self.format,
                "source_language": self.source_language,
                "target_language": self.target_language,
            },
            "glossary": self.glossary,
            "totals": self.totals(),
            "concepts": [concept.as_dict(self.mentions) for concept in self.concepts],
            "segments": [
                {
                    "segment": segment.segment,
                    "source": segment.source,
                    "target": segment.target,
                    "problems": [
                        {
                            "concept": problem.concept,
                            "verdict": problem.verdict,
                            "source_terms": list(problem.source_terms),
                            "target_terms": list(problem.target_terms),
                            "use": problem.use,
                            "authorities": [
                                mention.as_dict() for mention in self.authorities_of(problem)
                            ],
                        }
                        for problem in segment.problems
                    ],
                }
                for segment in self.flagged
            ],
        }


def languages(bilingual: BilingualFile) -> tuple[str, str]:
    """The languages to check a file in: given or stated, the source else read from its texts."""
    if bilingual.target_language is None:
        raise FileRefused(
            "no_target_language",
            _(
                "The file does not say which language it is translated into; choose the "
                "target language."
            ),
        )
    source_language: str | None = bilingual.source_language
    if source_language is None:
        sample = "\n".join(segment.source for segment in bilingual.segments[:DETECTION_SAMPLE])
        source_language, _target = resolve_languages(sample, None)
    assert source_language is not None
    if source_language == bilingual.target_language:
        raise FileRefused(
            "same_language",
            _("The file's source and target languages are the same; choose the languages."),
        )
    return source_language, bilingual.target_language


def check_file(
    checker: TermChecker, bilingual: BilingualFile, *, name: str, glossary: str = ""
) -> FileReport:
    """Check each translated segment of a file against the glossary the checker holds."""
    source_language, target_language = languages(bilingual)
    checked = untranslated = mismatched = 0
    flagged: list[SegmentReport] = []
    concepts: dict[str, ConceptSummary] = {}
    for segment in bilingual.segments:
        if not segment.source.strip() or not (segment.target or "").strip():
            untranslated += 1
            continue
        try:
            result = checker.check(segment.source, source_language, segment.target, target_language)
        except LanguageMismatch:
            mismatched += 1
            continue
        checked += 1
        problems: list[Problem] = []
        seen: set[str] = set()
        for finding in result.findings:
            summary = concepts.get(finding.concept)
            if summary is None:
                concept = result.concepts.get(finding.concept)
                term = concept.preferred(source_language) if concept is not None else None
                summary = concepts[finding.concept] = ConceptSummary(
                    concept=finding.concept,
                    term=term or finding.concept,
                    expected=finding.expected,
                )
            if finding.concept not in seen:
                seen.add(finding.concept)
                summary.segments += 1
            summary.occurrences += len(finding.source)
            summary.verdicts[finding.verdict] += 1
            unpreferred = tuple(
                dict.fromkeys(span.term for span in finding.target if span.status != "preferred")
            )
            summary.used.update(dict.fromkeys(unpreferred))
            if finding.verdict in PROBLEM_VERDICTS:
                problems.append(
                    Problem(
                        concept=finding.concept,
                        verdict=finding.verdict,
                        source_terms=tuple(dict.fromkeys(span.text for span in finding.source)),
                        target_terms=tuple(dict.fromkeys(span.text for span in finding.target)),
                        use=finding.replacement or finding.expected,
                        terms=unpreferred,
                    )
                )
        if problems:
            flagged.append(
                SegmentReport(segment.id, segment.source, segment.target or "", tuple(problems))
            )
    return FileReport(
        name=name,
        format=bilingual.format,
        source_language=source_language,
        target_language=target_language,
        glossary=glossary,
        segments=len(bilingual.segments),
        checked=checked,
        untranslated=untranslated,
        mismatched=mismatched,
        flagged=tuple(flagged),
        concepts=tuple(sorted(concepts.values(), key=lambda item: (-item.problems, item.term))),
    )
