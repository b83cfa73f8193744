"""Term recognition and the consistency check of a translation against the glossary.

The engine (``TermChecker``) is pure: it is built from a list of concepts and their terms and
knows nothing about the database, so it can be unit-tested and used by the evaluation script on
its own. ``glossary.terms_index`` feeds it the published glossary; ``check()`` below is the entry
point the API, the page and the command call.

How a term is recognised:

* Candidates come from a multi-pattern automaton (Aho-Corasick) over the terms' matching keys.
* English: the text is cut into words, each word keyed with ``text.english_key`` (case, plurals,
  possessives, hyphen/space variants), and terms match whole word sequences only; words inside
  ```fenced``` blocks and `code spans` are never matched, and punctuation other than spaces and
  hyphens between two words breaks a term ("input layer, hidden layer" has no "layer hidden").
* Chinese: the text is segmented by jieba with the glossary's Chinese terms as its user
  dictionary, and a candidate counts only where it starts and ends on token boundaries, so 特征
  inside 特征值 or 回归 inside 回归测试 is not a hit where jieba keeps the longer word.
* A text in one Chinese script is matched against the concept's terms in that script (exactly,
  then through their Simplified-folded forms, which catches variant characters and the other
  script's characters); a concept with no terms in that script is matched through the folded
  forms of its terms in the other script. The other script's deprecated and superseded terms are
  candidates too (folded), so that 令牌, a deprecated zh-Hans term, is flagged in a zh-Hant text
  with the zh-Hant term to use instead; where a term of the text's own script matches the same
  words, it wins.
* Longest match first: overlapping candidates are resolved in favour of the longest, so 人工智能
  inside 生成式人工智能 is not reported as a second concept.

Which language a text is in can be left to ``resolve_languages``, which reads it from the
script (``detect_language``); a language given for a text plainly in another script (Chinese
characters given as English, a text without any given as Chinese) is refused with
``LanguageMismatch`` rather than checked into a clean pass.

Offsets are ``[start, end)`` in Unicode code points of the text as given (Python string indices).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, Literal

from glossary import text as gtext

__all__ = [
    "LANGUAGES",
    "MAX_TEXT_LENGTH",
    "PROBLEM_VERDICTS",
    "VERDICTS",
    "CheckResult",
    "Finding",
    "GlossaryConcept",
    "GlossaryTerm",
    "LanguageMismatch",
    "Occurrence",
    "Span",
    "TermChecker",
    "check",
    "detect_language",
    "mismatch",
    "mismatch_message",
    "resolve_languages",
]

LanguageCode = Literal["en", "zh-Hans", "zh-Hant"]
Verdict = Literal["preferred", "admitted", "deprecated", "superseded", "missing", "retired"]
MatchKind = Literal["exact", "folded"]

LANGUAGES: Final = ("en", "zh-Hans", "zh-Hant")
CHINESE: Final = ("zh-Hans", "zh-Hant")
#: Term statuses, best first.
STATUSES: Final = ("preferred", "admitted", "deprecated", "superseded")
FLAGGED_STATUSES: Final = frozenset({"deprecated", "superseded"})
#: Every verdict a finding can have. ``retired``: the concept was retired from the glossary.
VERDICTS: Final = ("preferred", "admitted", "deprecated", "superseded", "missing", "retired")
#: Verdicts that mean the translation should change (the command exits with 1 on any of them).
PROBLEM_VERDICTS: Final = frozenset({"deprecated", "superseded", "missing"})
#: The longest text (in characters) the API and the page accept, per text.
MAX_TEXT_LENGTH: Final = 20_000


# --- The glossary the engine is built from ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A term of a concept: its text, language (en, zh-Hans, zh-Hant) and status."""

    text: str
    language: str
    status: str = "preferred"


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
        for lang in _script_fallback(language):
            for term in self.terms:
                if term.language == lang and term.status == "preferred":
                    return term
            if any(term.language == lang for term in self.terms):
                return None
        return None


# --- What the check reports ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """Where a glossary term occurs in a text, and which term it is."""

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

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "term": self.term,
            "language": self.language,
            "status": self.status,
            "match": self.match,
            "replacement": self.replacement,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One occurrence of a concept in the source, and what the target does with it.

    ``verdict`` is the status of the target term the translation uses for the concept
    (preferred, admitted, deprecated, superseded), ``missing`` when it uses none of the
    concept's terms, or ``retired`` when the concept was retired. For a single text it is the
    status of the source term itself (only deprecated and superseded terms are reported).
    """

    concept: str
    source: Span
    verdict: Verdict
    #: The preferred term on the checked side (target language; for a single text, its own).
    expected: str | None
    target: tuple[Span, ...] = ()
    #: For a deprecated or superseded verdict: the preferred term to use instead.
    replacement: str | None = None

    @property
    def is_problem(self) -> bool:
        return self.verdict in PROBLEM_VERDICTS or self.source.status in FLAGGED_STATUSES

    def as_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "verdict": self.verdict,
            "expected": self.expected,
            "replacement": self.replacement,
            "source": self.source.as_dict(),
            "target": [span.as_dict() for span in self.target],
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The findings of one check, in source order."""

    source_language: str
    target_language: str | None
    findings: tuple[Finding, ...]
    #: The version of the glossary the check used (changes whenever something is published).
    glossary: str = ""
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

    def target_spans(self) -> list[Span]:
        """Every target span of the findings, once each, in text order."""
        seen: dict[tuple[int, int], Span] = {}
        for finding in self.findings:
            for span in finding.target:
                seen.setdefault((span.start, span.end), span)
        return sorted(seen.values(), key=lambda span: span.start)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source_language": self.source_language,
            "target_language": self.target_language,
            "glossary": self.glossary,
            "summary": {**self.counts(), "problems": len(self.problems)},
            "findings": [finding.as_dict() for finding in self.findings],
        }


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A concept recognised in a text: where, and the term (with its status) that matched."""

    concept: GlossaryConcept
    start: int
    end: int
    term: GlossaryTerm
    match: MatchKind


# --- Keys ------------------------------------------------------------------------------------

# Letters and digits, with the apostrophes and dots that occur inside a word (model's, e.g.) and
# the signs that end some names (C++, C#); the same words english_key sees.
_WORD_RE: Final = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*[+#*]*")
# What may stand between two words of one term: spaces and hyphens ("fine-tuning" = "fine tuning").
_JOIN_RE: Final = re.compile(r"[\s\-\u00ad\u2010-\u2015\u2212\ufe63\uff0d]*")
_FENCE_RE: Final = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_CODE_SPAN_RE: Final = re.compile(r"`[^`\n]+`")
# Never part of a key: separates pieces that a term may not span.
_BARRIER: Final = "\x00"


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of ```fenced``` blocks and `code spans`, which the check never looks into."""
    ranges = [match.span() for match in _FENCE_RE.finditer(text)]
    masked = _FENCE_RE.sub(lambda match: " " * len(match.group()), text)
    ranges.extend(match.span() for match in _CODE_SPAN_RE.finditer(masked))
    return sorted(ranges)


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return gtext.english_key(word).replace(" ", "-")


# A Latin word inside Chinese text, as glossary.text.segment keeps it whole (GPT-4, C++, SVMs).
_LATIN_LETTERS: Final = (
    "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
    "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
)
_LATIN_WORD_RE: Final = re.compile(
    f"[{_LATIN_LETTERS}]+(?:[-_.'’+&/\uff0d\uff3f\uff0e][{_LATIN_LETTERS}]+)*[+#*]*"
)


def _han_key(text: str, folded: bool) -> str:
    core = gtext.normalise(gtext.to_simplified(text) if folded else text)
    if not core:
        return " " if text and text.isspace() else ""
    # normalise() trims; a space that separated two words must stay.
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    return lead + core + trail


@lru_cache(maxsize=65536)
def _chinese_key(text: str, folded: bool = False) -> str:
    """The matching key of a Chinese term or token.

    Han text is normalised (and folded to Simplified when asked); Latin words are keyed like
    English words, so "SVMs" in a Chinese sentence matches the term SVM.
    """
    parts: list[str] = []
    position = 0
    for match in _LATIN_WORD_RE.finditer(text):
        parts.append(_han_key(text[position : match.start()], folded))
        parts.append(_english_term_key(match.group()))
        position = match.end()
    parts.append(_han_key(text[position:], folded))
    return "".join(parts)


def _english_term_key(term: str) -> str:
    # The same words the text is cut into, each keyed on its own, so both sides agree.
    return " ".join(_word_key(word) for word in _WORD_RE.findall(term))


def _script_fallback(language: str) -> tuple[str, ...]:
    if language == "zh-Hans":
        return ("zh-Hans", "zh-Hant")
    if language == "zh-Hant":
        return ("zh-Hant", "zh-Hans")
    return (language,)


def _in_ranges(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in ranges)


@dataclass
class _Pieces:
    """A text cut into pieces (words or tokens), their offsets, and the string of their keys."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    # Position in the key string where each piece starts / ends -> piece index.
    key_starts: dict[int, int] = field(default_factory=dict)
    key_ends: dict[int, int] = field(default_factory=dict)
    keys: str = ""


def _english_pieces(text: str) -> _Pieces:
    code = code_ranges(text)
    pieces = _Pieces()
    parts: list[str] = [" "]
    length = 1
    previous_end: int | None = None
    for match in _WORD_RE.finditer(text):
        start, end = match.span()
        if _in_ranges(start, code):
            previous_end = None
            continue
        # A code span or punctuation between two words: no term may run across it.
        broken = previous_end is None or not _JOIN_RE.fullmatch(text, previous_end, start)
        if pieces.starts and broken:
            parts.append(_BARRIER + " ")
            length += 2
        key = _word_key(match.group())
        index = len(pieces.starts)
        pieces.starts.append(start)
        pieces.ends.append(end)
        pieces.key_starts[length] = index
        parts.append(key)
        length += len(key)
        pieces.key_ends[length] = index
        parts.append(" ")
        length += 1
        previous_end = end
    pieces.keys = "".join(parts)
    return pieces


def _chinese_pieces(
    tokens: list[gtext.Token], code: list[tuple[int, int]], *, folded: bool
) -> _Pieces:
    pieces = _Pieces()
    parts: list[str] = []
    length = 0

    def add(start: int, end: int, key: str) -> None:
        nonlocal length
        index = len(pieces.starts)
        pieces.starts.append(start)
        pieces.ends.append(end)
        pieces.key_starts[length] = index
        parts.append(key)
        length += len(key)
        pieces.key_ends[length] = index

    for token in tokens:
        if token.text.isspace():
            add(token.start, token.end, " ")
        elif _in_ranges(token.start, code):
            add(token.start, token.end, _BARRIER)
        elif _LATIN_WORD_RE.fullmatch(token.text):
            # A Latin compound (R-CNN, LSTM-based) is cut into words as in English text, so
            # that a term may match one of them.
            for number, word in enumerate(_WORD_RE.finditer(token.text)):
                if number:
                    parts.append(" ")
                    length += 1
                add(token.start + word.start(), token.start + word.end(), _word_key(word.group()))
        else:
            # A token whose key vanished (a zero-width character) still keeps its place.
            add(token.start, token.end, _chinese_key(token.text, folded) or _BARRIER)
    pieces.keys = "".join(parts)
    return pieces


# --- Which language a text is in ------------------------------------------------------------


class LanguageMismatch(ValueError):
    """A text is plainly in another script than the language given for it."""

    def __init__(self, role: Literal["source", "target"], declared: str, detected: str) -> None:
        self.role = role
        self.declared = declared
        self.detected = detected
        super().__init__(f"the {role} text looks like {detected}, but {declared} was given")


def _script_counts(text: str) -> tuple[int, int, str]:
    """(Han characters, Latin words, the text without code) of a text, code spans left out."""
    ranges = code_ranges(text)
    if ranges:
        parts, position = [], 0
        for start, end in ranges:
            parts.append(text[position:start])
            position = max(position, end)
        parts.append(text[position:])
        text = " ".join(parts)
    han = sum(1 for char in text if gtext.has_han(char))
    latin = sum(
        1 for word in _LATIN_WORD_RE.findall(text) if gtext.script_of(word) in ("latin", "mixed")
    )
    return han, latin, text


def detect_language(text: str, *, chinese: str = "zh-Hans") -> str | None:
    """The language a text is written in, read from its script; None when it has no letters.

    Chinese when its Han characters are at least twice its Latin words (a Chinese word is one to
    three characters, and Chinese technical text is full of Latin names: 我们用GPT-4 is Chinese,
    "the term 人工智能" English). Traditional when folding it to Simplified changes it; otherwise
    Simplified, or ``chinese`` when the text reads the same in both scripts.
    """
    han, latin, plain = _script_counts(text)
    if not han and not latin:
        return None
    if not han or han < 2 * latin:
        return "en"
    if gtext.to_simplified(plain) != plain:
        return "zh-Hant"
    if chinese == "zh-Hant" and gtext.to_traditional(plain) == plain:
        return "zh-Hant"
    return "zh-Hans"


def mismatch(text: str, language: str) -> str | None:
    """The language a text plainly is in when it is not the one given, else None.

    Only plain cases count: a text that is Chinese by ``detect_language`` given as English, or a
    text with Latin letters and no Chinese character at all given as Chinese. Simplified and
    Traditional are never told apart here (folding matches either script).
    """
    han, latin, plain = _script_counts(text)
    if language == "en":
        if han and han >= 2 * latin:
            return detect_language(plain)
        return None
    if language in CHINESE and latin and not han:
        return "en"
    return None


def _refuse_mismatch(role: Literal["source", "target"], text: str, language: str) -> None:
    detected = mismatch(text, language)
    if detected is not None:
        raise LanguageMismatch(role, language, detected)


def resolve_languages(
    source: str,
    source_language: str | None,
    target: str | None = None,
    target_language: str | None = None,
    *,
    chinese: str = "zh-Hans",
) -> tuple[str, str | None]:
    """The languages to check two texts in: those given, else read from each text's script.

    A source without letters is taken as English; a translation without letters as Simplified
    Chinese (``chinese``) for an English source and English otherwise. The target language is
    None when there is no translation.
    """
    if source_language is None:
        source_language = detect_language(source, chinese=chinese) or "en"
    if target is None or not target.strip():
        return source_language, None
    if target_language is None:
        target_language = detect_language(target, chinese=chinese) or (
            chinese if source_language == "en" else "en"
        )
    return source_language, target_language


# --- The automaton ---------------------------------------------------------------------------

_Hit = tuple[int, GlossaryTerm]  # (index of the concept, the term)


class _Automaton:
    """Aho-Corasick over keys; each key stands for one or more (concept, term) pairs."""

    def __init__(self, entries: Iterable[tuple[str, int, GlossaryTerm]], *, padded: bool) -> None:
        import ahocorasick

        table: dict[str, list[_Hit]] = defaultdict(list)
        for key, concept, term in entries:
            if key and _BARRIER not in key:
                hit = (concept, term)
                if hit not in table[key]:
                    table[key].append(hit)
        self.padded = padded
        self.automaton: Any = None
        if table:
            automaton = ahocorasick.Automaton()
            for key, hits in table.items():
                pattern = f" {key} " if padded else key
                automaton.add_word(pattern, (pattern, tuple(hits)))
            automaton.make_automaton()
            self.automaton = automaton

    def candidates(self, pieces: _Pieces) -> Iterable[tuple[int, int, tuple[_Hit, ...]]]:
        """(first piece, last piece, hits) for every key that covers whole pieces."""
        if self.automaton is None or not pieces.keys:
            return
        for end, (pattern, hits) in self.automaton.iter(pieces.keys):
            start = end - len(pattern) + 1
            # English patterns carry a space on each side: the word boundaries.
            key_start, key_end = (start + 1, end) if self.padded else (start, end + 1)
            first = pieces.key_starts.get(key_start)
            last = pieces.key_ends.get(key_end)
            if first is not None and last is not None and first <= last:
                yield first, last, hits


# --- The engine ------------------------------------------------------------------------------


class TermChecker:
    """Recognises a glossary's terms in English and Chinese texts and checks translations.

    Build one from the concepts (with all their terms, whatever their status); it is immutable
    and safe to share between threads. ``key`` names this glossary for jieba's user dictionary:
    two checkers with the same key must hold the same Chinese terms.
    """

    def __init__(self, concepts: Iterable[GlossaryConcept], *, key: str | None = None) -> None:
        self.concepts: tuple[GlossaryConcept, ...] = tuple(concepts)
        chinese = sorted(
            {
                term.text.strip()
                for concept in self.concepts
                for term in concept.terms
                if term.language in CHINESE and term.text.strip()
            }
        )
        self.chinese_terms: tuple[str, ...] = tuple(chinese)
        self.key = key or "terms:" + hashlib.sha256("\n".join(chinese).encode()).hexdigest()[:24]
        # The languages each concept has terms in (by index), to tell a concept's own-script
        # match from one through the other script.
        self._languages: tuple[frozenset[str], ...] = tuple(
            frozenset(term.language for term in concept.terms) for concept in self.concepts
        )
        self._automata = {language: self._build(language) for language in LANGUAGES}

    def _build(self, language: str) -> tuple[_Automaton, _Automaton | None]:
        exact: list[tuple[str, int, GlossaryTerm]] = []
        folded: list[tuple[str, int, GlossaryTerm]] = []
        for index, concept in enumerate(self.concepts):
            if language == "en":
                exact.extend(
                    (_english_term_key(term.text), index, term)
                    for term in concept.terms
                    if term.language == "en"
                )
                continue
            own = [term for term in concept.terms if term.language == language]
            for term in own:
                exact.append((_chinese_key(term.text.strip()), index, term))
                folded.append((_chinese_key(term.text.strip(), True), index, term))
            for term in concept.terms:
                if term.language not in CHINESE or term.language == language:
                    continue
                # Without terms in this script, the other script's stand in for all of them;
                # with them, its deprecated and superseded terms must still be caught.
                if not own or term.status in FLAGGED_STATUSES:
                    folded.append((_chinese_key(term.text.strip(), True), index, term))
        if language == "en":
            return _Automaton(exact, padded=True), None
        return _Automaton(exact, padded=False), _Automaton(folded, padded=False)

    def _native(self, hit: _Hit, language: str) -> bool:
        """Whether a hit is a term of the text's language (or of a concept with none in it)."""
        concept_index, term = hit
        return term.language == language or language not in self._languages[concept_index]

    # Recognition

    def find(self, text: str, language: str) -> list[Occurrence]:
        """Every concept whose term occurs in the text, longest match first, in text order."""
        _check_language(language)
        if not text or not text.strip():
            return []
        exact, folded = self._automata[language]
        # (first piece, last piece) -> (kind, hits); exact hits win over folded ones.
        found: dict[tuple[int, int], tuple[MatchKind, tuple[_Hit, ...]]] = {}
        if language == "en":
            pieces = _english_pieces(text)
            for first, last, hits in exact.candidates(pieces):
                found[(first, last)] = ("exact", hits)
        else:
            gtext.set_user_terms(self.chinese_terms, key=self.key)
            tokens = gtext.segment(text)
            code = code_ranges(text)
            # Both key strings come from one segmentation, so piece indices agree.
            pieces = _chinese_pieces(tokens, code, folded=False)
            folded_pieces = _chinese_pieces(tokens, code, folded=True)
            for first, last, hits in exact.candidates(pieces):
                found[(first, last)] = ("exact", hits)
            if folded is not None:
                for first, last, hits in folded.candidates(folded_pieces):
                    found.setdefault((first, last), ("folded", hits))
        # Where the text's own script matches, another script's term for the same words does
        # not count (it only stands for what the own-script terms miss).
        cross_only: set[tuple[int, int]] = set()
        for span, (kind, hits) in found.items():
            native = tuple(hit for hit in hits if self._native(hit, language))
            if not native:
                cross_only.add(span)
            elif len(native) < len(hits):
                found[span] = (kind, native)
        chosen: list[tuple[int, int]] = []
        taken: set[int] = set()
        ordered = sorted(
            found,
            key=lambda span: (
                -(pieces.ends[span[1]] - pieces.starts[span[0]]),
                found[span][0] != "exact",
                span in cross_only,
                span[0],
            ),
        )
        for first, last in ordered:
            if taken.isdisjoint(range(first, last + 1)):
                chosen.append((first, last))
                taken.update(range(first, last + 1))
        occurrences: list[Occurrence] = []
        for first, last in sorted(chosen):
            kind, hits = found[(first, last)]
            best: dict[int, GlossaryTerm] = {}
            for concept_index, term in hits:
                current = best.get(concept_index)
                if current is None or _rank(term, language) < _rank(current, language):
                    best[concept_index] = term
            for concept_index, term in sorted(
                best.items(), key=lambda item: self.concepts[item[0]].uid
            ):
                occurrences.append(
                    Occurrence(
                        concept=self.concepts[concept_index],
                        start=pieces.starts[first],
                        end=pieces.ends[last],
                        term=term,
                        match=kind,
                    )
                )
        return occurrences

    # The check

    def check(
        self,
        source: str,
        source_language: str,
        target: str | None = None,
        target_language: str | None = None,
    ) -> CheckResult:
        """Check a source text and its translation (or, without a target, one text) against the glossary.

        Raises ``LanguageMismatch`` (a ``ValueError``) when a text is plainly not in the
        language given for it, rather than reporting a clean pass.
        """
        _check_language(source_language)
        single = target is None or not target.strip()
        if not single:
            if target_language is None:
                raise ValueError("target_language is required with a target text")
            _check_language(target_language)
            if target_language == source_language:
                raise ValueError("source and target languages must differ")
        elif target_language is not None:
            _check_language(target_language)
        _refuse_mismatch("source", source, source_language)
        if not single:
            assert target is not None and target_language is not None
            _refuse_mismatch("target", target, target_language)
        occurrences = self.find(source, source_language)
        if single:
            findings = tuple(
                self._single_finding(source, source_language, occurrence)
                for occurrence in occurrences
                if occurrence.term.status in FLAGGED_STATUSES and not occurrence.concept.retired
            )
            return CheckResult(
                source_language=source_language,
                target_language=None,
                findings=findings,
                glossary=self.key,
                concepts={o.concept.uid: o.concept for o in occurrences},
            )
        assert target is not None and target_language is not None
        in_target: dict[str, list[Span]] = defaultdict(list)
        for occurrence in self.find(target, target_language):
            in_target[occurrence.concept.uid].append(_span(target, target_language, occurrence))
        findings = []
        for occurrence in occurrences:
            concept = occurrence.concept
            spans = tuple(in_target.get(concept.uid, ()))
            source_span = _span(source, source_language, occurrence)
            if concept.retired:
                findings.append(
                    Finding(concept.uid, source_span, "retired", expected=None, target=spans)
                )
                continue
            expected = concept.preferred(target_language)
            verdict = _verdict(spans)
            findings.append(
                Finding(
                    concept=concept.uid,
                    source=source_span,
                    verdict=verdict,
                    expected=expected,
                    target=spans,
                    replacement=expected if verdict in FLAGGED_STATUSES else None,
                )
            )
        return CheckResult(
            source_language=source_language,
            target_language=target_language,
            findings=tuple(findings),
            glossary=self.key,
            concepts={o.concept.uid: o.concept for o in occurrences},
        )

    def _single_finding(self, text: str, language: str, occurrence: Occurrence) -> Finding:
        span = _span(text, language, occurrence)
        return Finding(
            concept=occurrence.concept.uid,
            source=span,
            verdict=occurrence.term.status,  # type: ignore[arg-type]
            expected=span.replacement,
            replacement=span.replacement,
        )


def _rank(term: GlossaryTerm, language: str) -> tuple[int, int]:
    # A term of the text's own language first, then the better status.
    status = STATUSES.index(term.status) if term.status in STATUSES else len(STATUSES)
    return (term.language != language, status)


def _span(text: str, language: str, occurrence: Occurrence) -> Span:
    term = occurrence.term
    replacement = None
    if term.status in FLAGGED_STATUSES:
        # In the text's language: a zh-Hans term found in a zh-Hant text is replaced by the
        # zh-Hant preferred term (or the zh-Hans one, for a concept without zh-Hant terms).
        replacement = occurrence.concept.preferred(language)
    return Span(
        start=occurrence.start,
        end=occurrence.end,
        text=text[occurrence.start : occurrence.end],
        term=term.text,
        language=term.language,
        status=term.status,
        match=occurrence.match,
        replacement=replacement,
    )


def _verdict(spans: tuple[Span, ...]) -> Verdict:
    """The verdict on a concept's rendering: a term that should be replaced outweighs the rest."""
    statuses = {span.status for span in spans}
    for status in ("deprecated", "superseded", "preferred", "admitted"):
        if status in statuses:
            return status  # type: ignore[return-value]
    return "missing"


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")


# --- Entry point -----------------------------------------------------------------------------


def check(
    source: str,
    source_language: str,
    target: str | None = None,
    target_language: str | None = None,
) -> CheckResult:
    """Check a text (and its translation) against the published glossary.

    Without ``target`` (or with an empty one), report the deprecated and superseded terms of the
    source with the preferred term to use instead. Raises ``ValueError`` on an unknown language,
    a target without its language, or the same language on both sides, and its subclass
    ``LanguageMismatch`` when a text is plainly in another script than its language (languages
    left to detection come from ``resolve_languages``).
    """
    from glossary.terms_index import current_checker

    return current_checker().check(source, source_language, target, target_language)


def language_name(language: str) -> str:
    """The language's name in the interface language."""
    from django.utils.translation import gettext

    names = {
        "en": gettext("English"),
        "zh-Hans": gettext("Simplified Chinese"),
        "zh-Hant": gettext("Traditional Chinese"),
    }
    return names.get(language, language)


def mismatch_message(error: LanguageMismatch) -> str:
    """What to tell a person about a language mismatch, in the interface language."""
    from django.utils.translation import gettext

    names = {"detected": language_name(error.detected), "declared": language_name(error.declared)}
    if error.role == "target":
        message = gettext(
            "The translation looks like %(detected)s, but its language was given as "
            "%(declared)s. Correct the language, or have it detected from the text."
        )
    else:
        message = gettext(
            "The text looks like %(detected)s, but its language was given as %(declared)s. "
            "Correct the language, or have it detected from the text."
        )
    return message % names
