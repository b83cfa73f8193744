"""What a check answers: the glossary's concepts and terms as the checker holds them, findings, occurrences and spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal, NamedTuple

from glossary.termcheck.engine.keys import script_fallback

Verdict = Literal["preferred", "admitted", "deprecated", "superseded", "missing", "retired"]


#: How a term was found: by its own text (``exact``), or ``folded``: in Chinese through the other
#: script's form, in English through another form of the term (an inflection, "trained").
MatchKind = Literal["exact", "folded"]


#: Term statuses, best first.
STATUSES: Final = ("preferred", "admitted", "deprecated", "superseded")


FLAGGED_STATUSES: Final = frozenset({"deprecated", "superseded"})


#: Every verdict a finding can have. ``retired``: the concept was retired from the glossary.
VERDICTS: Final = ("preferred", "admitted", "deprecated", "superseded", "missing", "retired")


#: Verdicts that mean the translation should change (the command exits with 1 on any of them).
PROBLEM_VERDICTS: Final = frozenset({"deprecated", "superseded", "missing"})


#: The longest text (in characters) the API and the page accept, per text.
MAX_TEXT_LENGTH: Final = 20_000


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A term of a concept: its text, language (en, zh-Hans, zh-Hant), status and part of speech.

    ``part_of_speech`` (noun, verb, ...; "" when not known) decides which inflections of an
    English term count as the term (``glossary.termcheck.engine.english``).

    ``in_sense_only``: the term is also an everyday word (标记, 令牌 for *token*). It counts
    only as a translation's rendering of a concept the source names by another of its terms;
    in a source, or a text checked alone, it is never reported (it still keeps the shorter
    terms inside it from counting).
    """

    text: str
    language: str
    status: str = "preferred"
    part_of_speech: str = ""
    in_sense_only: bool = False


@dataclass(frozen=True, slots=True)
class GlossaryConcept:
    """A concept as the check sees it: its identifier, its terms, and whether it is retired."""

    uid: str
    terms: tuple[GlossaryTerm, ...]
    retired: bool = False

    def preferred(self, language: str) -> str | None:
        """The preferred term in a language; for Chinese, the other script's when it has none."""
        term = self.preferred_term(language)
        return term.text if term is not None else None

    def preferred_term(self, language: str) -> GlossaryTerm | None:
        """Like ``preferred``, with the term's own language (the other script's, on fallback)."""
        for lang in script_fallback(language):
            for term in self.terms:
                if term.language == lang and term.status == "preferred":
                    return term
            if any(term.language == lang for term in self.terms):
                return None
        return None


@dataclass(frozen=True, slots=True)
class Span:
    """Where a glossary term occurs in a text, which term it is, and of which concept."""

    start: int
    end: int
    text: str
    term: str
    language: str
    status: str
    match: MatchKind = "exact"
    #: For a deprecated or superseded term: the preferred term to use instead, in the language of
    #: the text (a zh-Hans term flagged in a zh-Hant text gets the zh-Hant preferred term).
    replacement: str | None = None
    concept: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "concept": self.concept,
            "term": self.term,
            "language": self.language,
            "status": self.status,
            "match": self.match,
            "replacement": self.replacement,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """A concept found in the source, and what the target does with it.

    ``verdict`` is the status of the target term the translation uses for the concept
    (preferred, admitted, deprecated, superseded), ``missing`` when it uses none of the
    concept's terms, or ``retired`` when the concept was retired. For a single text it is the
    status of the source term itself (only deprecated and superseded terms are reported), and a
    concept found with terms of both statuses makes a finding for each.

    ``source`` holds the concept's occurrences in the source and ``target`` its occurrences in
    the target, each in text order: every occurrence of a text belongs to one finding only, so a
    report grows with the texts, never with the product of their occurrences.
    """

    concept: str
    verdict: Verdict
    #: The preferred term on the checked side (target language; for a single text, its own).
    expected: str | None
    source: tuple[Span, ...]
    target: tuple[Span, ...] = ()
    #: For a deprecated or superseded verdict: the preferred term to use instead.
    replacement: str | None = None

    @property
    def is_problem(self) -> bool:
        return self.verdict in PROBLEM_VERDICTS or any(
            span.status in FLAGGED_STATUSES for span in self.source
        )


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The findings of one check, in the order of their first occurrence in the source.

    ``source`` and ``target`` are the occurrences the findings are made of, each once, in text
    order: in the source, every occurrence of a finding's concept; in the target, every
    occurrence of a concept found in the source (a concept only the target names is no finding).
    """

    source_language: str
    target_language: str | None
    findings: tuple[Finding, ...]
    #: The version of the glossary the check used (changes whenever something is published).
    glossary: str = ""
    source: tuple[Span, ...] = ()
    target: tuple[Span, ...] = ()
    #: The concepts of the findings by uid, for labels and links (not part of the payload).
    concepts: dict[str, GlossaryConcept] = field(default_factory=dict, compare=False, repr=False)

    @property
    def problems(self) -> tuple[Finding, ...]:
        """Findings that ask for a change: deprecated, superseded or missing terms."""
        return tuple(finding for finding in self.findings if finding.is_problem)

    def counts(self) -> dict[str, int]:
        """How many findings have each verdict (every verdict listed, zeros included)."""
        counts = dict.fromkeys(VERDICTS, 0)
        for finding in self.findings:
            counts[finding.verdict] += 1
        return counts

    def summary(self) -> dict[str, int]:
        """The counts of each verdict, the findings to fix, and the occurrences in each text."""
        return {
            **self.counts(),
            "problems": len(self.problems),
            "source_occurrences": len(self.source),
            "target_occurrences": len(self.target),
        }

    def indexed(self) -> list[tuple[Finding, list[int], list[int]]]:
        """Each finding with the positions of its occurrences in ``source`` and ``target``."""
        in_source = {span: number for number, span in enumerate(self.source)}
        in_target = {span: number for number, span in enumerate(self.target)}
        return [
            (
                finding,
                [in_source[span] for span in finding.source],
                [in_target[span] for span in finding.target],
            )
            for finding in self.findings
        ]

    def as_dict(self) -> dict[str, Any]:
        """The payload of the API and of ``check_terms --format json``.

        Findings name their occurrences by position in ``occurrences.source`` and
        ``occurrences.target``, where each occurrence is written once.
        """
        return {
            "source_language": self.source_language,
            "target_language": self.target_language,
            "glossary": self.glossary,
            "summary": self.summary(),
            "findings": [
                {
                    "concept": finding.concept,
                    "verdict": finding.verdict,
                    "expected": finding.expected,
                    "replacement": finding.replacement,
                    "source": source,
                    "target": target,
                }
                for finding, source, target in self.indexed()
            ],
            "occurrences": {
                "source": [span.as_dict() for span in self.source],
                "target": [span.as_dict() for span in self.target],
            },
        }


class Occurrence(NamedTuple):
    """A concept recognised in a text: where, and the term (with its status) that matched.

    A named tuple: a long text holds hundreds of thousands of them, made in a loop.
    """

    concept: GlossaryConcept
    start: int
    end: int
    term: GlossaryTerm
    match: MatchKind
