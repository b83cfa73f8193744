"""Term recognition and the consistency check of a translation against the glossary.

The engine (``TermChecker``) is pure: it is built from a list of concepts and their terms and
knows nothing about the database, so it can be unit-tested and used by the evaluation script on
its own. ``glossary.termcheck.index`` feeds it the published glossary; ``check()`` below is the entry
point the API, the page and the command call.

How a term is recognised:

* Candidates come from an index of the terms' matching keys and of their prefixes: from each
  word or token, a run of them grows while its keys still spell the beginning of some key.
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
script (``glossary.language.detect``); a language given for a text plainly in another script (Chinese
characters given as English, a text without any given as Chinese) is refused with
``LanguageMismatch`` rather than checked into a clean pass.

Offsets are ``[start, end)`` in Unicode code points of the text as given (Python string indices).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain
from operator import ne, sub
from typing import Any, Final, Literal, NamedTuple

from glossary import language as gtext
from glossary.language.detect import LATIN_WORD_RE as _LATIN_WORD_RE
from glossary.language.detect import code_ranges, detect, without_code

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


# --- Keys ------------------------------------------------------------------------------------

# Letters and digits, with the apostrophes and dots that occur inside a word (model's, e.g.) and
# the signs that end some names (C++, C#); the same words english_key sees.
_WORD_RE: Final = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*[+#*]*")
# What may stand between two words of one term: spaces and hyphens ("fine-tuning" = "fine tuning").
_JOIN_RE: Final = re.compile(r"[\s\-\u00ad\u2010-\u2015\u2212\ufe63\uff0d]*")
# Never part of a key: separates pieces that a term may not span.
_BARRIER: Final = "\x00"


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return gtext.english_key(word).replace(" ", "-")


def _han_keys(text: str) -> tuple[str, str]:
    """The exact and the folded key of Chinese text between Latin words."""
    exact = _spaced(text, gtext.normalise(text))
    simplified = gtext.to_simplified(text)
    return exact, exact if simplified == text else _spaced(text, gtext.normalise(simplified))


def _spaced(text: str, core: str) -> str:
    # normalise() trims; a space that separated two words must stay.
    if not core:
        return " " if text.isspace() else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def _chinese_keys(text: str) -> tuple[str, str]:
    """The matching keys of a Chinese term or token: exact, and folded to Simplified.

    Han text is normalised (and folded); Latin words are keyed like English words, so "SVMs"
    in a Chinese sentence matches the term SVM.
    """
    exact: list[str] = []
    folded: list[str] = []
    position = 0
    for match in _LATIN_WORD_RE.finditer(text):
        if match.start() > position:
            between = _han_keys(text[position : match.start()])
            exact.append(between[0])
            folded.append(between[1])
        word = _english_term_key(match.group())
        exact.append(word)
        folded.append(word)
        position = match.end()
    if position < len(text):
        rest = _han_keys(text[position:])
        exact.append(rest[0])
        folded.append(rest[1])
    return "".join(exact), "".join(folded)


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
    """A text cut into pieces (words or tokens): their offsets and keys, and the keys joined.

    ``joined`` holds the keys in order with what separates them (a space, or a barrier that no
    key holds); ``key_starts`` and ``key_ends`` say where each piece's key lies in it.
    """

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    joined: str = ""
    key_starts: list[int] = field(default_factory=list)
    key_ends: list[int] = field(default_factory=list)


def _english_pieces(text: str) -> _Pieces:
    code = code_ranges(text)
    pieces = _Pieces()
    parts: list[str] = [" "]
    length = 1
    previous_end: int | None = None
    for match in _WORD_RE.finditer(text):
        start, end = match.span()
        if code and _in_ranges(start, code):
            previous_end = None
            continue
        # A code span or punctuation between two words: no term may run across it.
        broken = previous_end is None or not _JOIN_RE.fullmatch(text, previous_end, start)
        if pieces.starts and broken:
            parts.append(_BARRIER + " ")
            length += 2
        key = _word_key(match.group())
        pieces.starts.append(start)
        pieces.ends.append(end)
        pieces.keys.append(key)
        pieces.key_starts.append(length)
        parts.append(key)
        length += len(key)
        pieces.key_ends.append(length)
        parts.append(" ")
        length += 1
        previous_end = end
    pieces.joined = "".join(parts)
    return pieces


@lru_cache(maxsize=65536)
def _token_keys(token: str) -> tuple[str, str, tuple[tuple[int, int, str], ...] | None]:
    """A token of Chinese text keyed: (exact key, folded key, None), or for a Latin compound its words.

    A Latin compound (R-CNN, LSTM-based) is cut into words as in English text, so that a term may
    match one of them: ("", "", the (start, end, key) of each word in the token).
    """
    if token.isspace():
        return " ", " ", None
    if _LATIN_WORD_RE.fullmatch(token):
        words = tuple(
            (word.start(), word.end(), _word_key(word.group())) for word in _WORD_RE.finditer(token)
        )
        return "", "", words
    exact, folded = _chinese_keys(token)
    # A token whose key vanished (a zero-width character) still keeps its place.
    return exact or _BARRIER, folded or _BARRIER, None


def _chinese_pieces(
    text: str, cuts: list[int], code: list[tuple[int, int]]
) -> tuple[_Pieces, _Pieces]:
    """The tokens between the cuts as pieces keyed exactly and folded (one object if alike).

    Both share the pieces' offsets, so piece indices agree. The keys follow each other without
    separator, except the words of a Latin compound, which a space separates.
    """
    starts: list[int] = []
    ends: list[int] = []
    exact_keys: list[str] = []
    folded_keys: list[str] = []
    spaced: list[int] = []  # the pieces after such a space
    for start, end in zip(cuts, cuts[1:], strict=False):
        token = text[start:end]
        if code and not token.isspace() and _in_ranges(start, code):
            exact_key, folded_key, words = _BARRIER, _BARRIER, None
        else:
            exact_key, folded_key, words = _token_keys(token)
        if words is None:
            starts.append(start)
            ends.append(end)
            exact_keys.append(exact_key)
            folded_keys.append(folded_key)
            continue
        for number, (word_start, word_end, key) in enumerate(words):
            if number:
                spaced.append(len(starts))
            starts.append(start + word_start)
            ends.append(start + word_end)
            exact_keys.append(key)
            folded_keys.append(key)
    exact = _Pieces(starts, ends, exact_keys, *_joined(exact_keys, spaced))
    if folded_keys == exact_keys:
        return exact, exact
    return exact, _Pieces(starts, ends, folded_keys, *_joined(folded_keys, spaced))


def _joined(keys: list[str], spaced: list[int]) -> tuple[str, list[int], list[int]]:
    """The keys joined, a space before each spaced one, and where each key starts and ends."""
    parts = keys
    if spaced:
        parts = list(keys)
        for index in spaced:
            parts[index] = " " + parts[index]
    key_ends = list(accumulate(map(len, parts)))
    key_starts = list(map(sub, key_ends, map(len, keys)))
    return "".join(parts), key_starts, key_ends


# --- Which language a text is in ------------------------------------------------------------


class LanguageMismatch(ValueError):
    """A text is plainly in another script than the language given for it."""

    def __init__(self, role: Literal["source", "target"], declared: str, detected: str) -> None:
        self.role = role
        self.declared = declared
        self.detected = detected
        super().__init__(f"the {role} text looks like {detected}, but {declared} was given")


def mismatch(text: str, language: str) -> str | None:
    """The language a text plainly is in when it is not the one given, else None.

    Only plain cases count: a text that is Chinese by ``glossary.language.detect`` given as English, or a
    text with Latin letters and no Chinese character at all given as Chinese. Simplified and
    Traditional are never told apart here (folding matches either script).
    """
    detected = detect(text)
    if language == "en":
        return detected if detected in CHINESE else None
    if language in CHINESE and detected == "en" and not gtext.count_han(without_code(text)):
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
        source_language = detect(source, chinese=chinese) or "en"
    if target is None or not target.strip():
        return source_language, None
    if target_language is None:
        target_language = detect(target, chinese=chinese) or (
            chinese if source_language == "en" else "en"
        )
    return source_language, target_language


# --- The index of keys -----------------------------------------------------------------------

# The index holds flat tuples of numbers and strings only, which the garbage collector stops
# tracking (instead of walking its hundreds of thousands of tuples whenever the heap has grown
# by a quarter): a concept's term is named by the index of the concept and of the term in it.
# An entry: those two, and whether the term is native (of the text's language, or of a concept
# with no term in it, whose terms in the other script stand in for its own).
_Entry = tuple[int, int, bool]
# What a key found in a text stands for: the kind of match, whether the concepts it names are
# all named through the other script's terms, then for each concept (one term each) its two
# indexes: (kind, cross, concept, term, concept, term, ...).
_Match = tuple[Any, ...]
# A key's slot in the index: its exact match, its folded match, and whether a longer key goes on
# from it (a candidate may then take in the next piece too).
_Slot = tuple[_Match | None, _Match | None, bool]
_PREFIX: Final[_Slot] = (None, None, True)


def _character_prefixes(key: str) -> Iterator[str]:
    # Chinese pieces are tokens, which may end anywhere in a key. Longest first.
    return (key[:end] for end in range(len(key) - 1, 0, -1))


def _word_prefixes(key: str) -> Iterator[str]:
    # English pieces are words: a candidate only ever goes on from whole words. Longest first.
    index = key.rfind(" ")
    while index >= 0:
        yield key[:index]
        index = key.rfind(" ", 0, index)


class _Index:
    """The keys of one language's terms, each with what it matches, and the prefixes of keys.

    A candidate is a run of pieces whose keys (and what lies between them) join into a key:
    from each piece, the run grows by one piece at a time while it still spells the beginning
    of some key, so each step is one dictionary look-up.
    """

    def __init__(
        self,
        exact: dict[str, _Match],
        folded: dict[str, _Match],
        prefixes: Callable[[str], Iterable[str]],
    ) -> None:
        slots: dict[str, _Slot] = {
            key: (exact.get(key), folded.get(key), False) for key in [*exact, *folded]
        }
        for key in [*exact, *folded]:
            for prefix in prefixes(key):
                slot = slots.get(prefix)
                if slot is None:
                    slots[prefix] = _PREFIX
                elif slot[2]:
                    # A prefix that goes on was reached from a longer key, with its own prefixes.
                    break
                else:
                    slots[prefix] = (slot[0], slot[1], True)
        self.slots = slots

    def runs(self, pieces: _Pieces, folded: _Pieces | None = None) -> dict[tuple[int, int], _Match]:
        """(first piece, last piece) of each run of pieces that spells a key -> what it matches.

        A key's exact match counts over the pieces' keys, its folded match over their folded
        keys (``folded``, the same pieces keyed apart; None where the keys are alike). The
        exact match wins.
        """
        get = self.slots.get
        joined, key_starts, key_ends = pieces.joined, pieces.key_starts, pieces.key_ends
        count = len(key_ends)
        differs = list(map(ne, pieces.keys, folded.keys)) if folded is not None else None
        found: dict[tuple[int, int], _Match] = {}
        for first, key in enumerate(pieces.keys):
            slot = get(key)
            last = first
            # While the run's folded keys are its keys, its folded match is found here too.
            alike = differs is None or not differs[first]
            while slot is not None:
                match = slot[0]
                if match is None and alike:
                    match = slot[1]
                if match is not None:
                    found[(first, last)] = match
                last += 1
                if not slot[2] or last == count:
                    break
                if differs is not None and differs[last]:
                    alike = False
                slot = get(joined[key_starts[first] : key_ends[last]])
            if alike:
                continue
            # The run took in a piece keyed apart when folded: walk it again, folded. (Here
            # rather than after the loop, so that the runs stay in the order of their first
            # piece, which ``find`` relies on.)
            assert folded is not None
            slot = get(folded.keys[first])
            last = first
            while slot is not None:
                if slot[1] is not None:
                    found.setdefault((first, last), slot[1])
                last += 1
                if not slot[2] or last == count:
                    break
                slot = get(folded.joined[folded.key_starts[first] : folded.key_ends[last]])
        return found


# --- The engine ------------------------------------------------------------------------------


class TermChecker:
    """Recognises a glossary's terms in English and Chinese texts and checks translations.

    Build one from the concepts (with all their terms, whatever their status); it is immutable
    and safe to share between threads. ``key`` names this glossary for jieba's user dictionary:
    two checkers with the same key must hold the same Chinese terms.
    """

    def __init__(self, concepts: Iterable[GlossaryConcept], *, key: str | None = None) -> None:
        self.concepts: tuple[GlossaryConcept, ...] = tuple(concepts)
        chinese = {
            term.text.strip(): None
            for concept in self.concepts
            for term in concept.terms
            if term.language in CHINESE
        }
        self.chinese_terms: tuple[str, ...] = tuple(sorted(text for text in chinese if text))
        self.key = (
            key
            or "terms:" + hashlib.sha256("\n".join(self.chinese_terms).encode()).hexdigest()[:24]
        )
        # Each Chinese term's (exact, folded) key, computed once for both scripts' indexes.
        keys = {text: _chinese_keys(text) for text in chinese}
        self._indexes = {language: self._build(language, keys) for language in LANGUAGES}

    def _build(self, language: str, chinese_keys: dict[str, tuple[str, str]]) -> _Index:
        exact: dict[str, tuple[_Entry, ...]] = {}
        folded: dict[str, tuple[_Entry, ...]] = {}
        for index, concept in enumerate(self.concepts):
            if language == "en":
                for number, term in enumerate(concept.terms):
                    if term.language == "en":
                        key = _english_term_key(term.text)
                        exact[key] = (*exact.get(key, ()), (index, number, True))
                continue
            own = any(term.language == language for term in concept.terms)
            for number, term in enumerate(concept.terms):
                if term.language == language:
                    exact_key, folded_key = chinese_keys[term.text.strip()]
                    exact[exact_key] = (*exact.get(exact_key, ()), (index, number, True))
                    folded[folded_key] = (*folded.get(folded_key, ()), (index, number, True))
            for number, term in enumerate(concept.terms):
                if term.language not in CHINESE or term.language == language:
                    continue
                # Without terms in this script, the other script's stand in for all of them;
                # with them, its deprecated and superseded terms must still be caught.
                if not own or term.status in FLAGGED_STATUSES:
                    key = chinese_keys[term.text.strip()][1]
                    folded[key] = (*folded.get(key, ()), (index, number, not own))
        return _Index(
            self._matches(exact, "exact", language),
            self._matches(folded, "folded", language),
            _word_prefixes if language == "en" else _character_prefixes,
        )

    def _matches(
        self, entries: dict[str, tuple[_Entry, ...]], kind: MatchKind, language: str
    ) -> dict[str, _Match]:
        """Each key's entries as a match of one kind.

        The same term of a concept counts once; where some of a key's terms are native, only
        those count. A match names each concept once, with its best term (the text's language
        first, then the better status), in the order of the concepts' uids.
        """
        matches: dict[str, _Match] = {}
        for key, found in entries.items():
            if not key or _BARRIER in key:
                continue
            if len(found) == 1:
                concept_index, number, native = found[0]
                matches[key] = (kind, not native, concept_index, number)
                continue
            distinct: dict[tuple[int, GlossaryTerm], _Entry] = {}
            for entry in found:
                concept_index, number, _ = entry
                distinct.setdefault(
                    (concept_index, self.concepts[concept_index].terms[number]), entry
                )
            counted = [entry for entry in distinct.values() if entry[2]]
            best: dict[int, int] = {}
            for concept_index, number, _ in counted or distinct.values():
                terms = self.concepts[concept_index].terms
                current = best.get(concept_index)
                if current is None or _rank(terms[number], language) < _rank(
                    terms[current], language
                ):
                    best[concept_index] = number
            named = sorted(best.items(), key=lambda hit: self.concepts[hit[0]].uid)
            matches[key] = (kind, not counted, *chain.from_iterable(named))
        return matches

    # Recognition

    def find(
        self, text: str, language: str, *, statuses: frozenset[str] | None = None
    ) -> list[Occurrence]:
        """Every concept whose term occurs in the text, longest match first, in text order.

        ``statuses``: only the occurrences of terms with one of these (every match is still
        weighed, so that a longer term keeps the shorter ones inside it from counting).
        """
        _check_language(language)
        if not text or not text.strip():
            return []
        index = self._indexes[language]
        # (first piece, last piece) -> what the words there match.
        if language == "en":
            pieces = _english_pieces(text)
            found = index.runs(pieces)
        else:
            gtext.set_user_terms(self.chinese_terms, key=self.key)
            pieces, folded = _chinese_pieces(text, gtext.segment_cuts(text), code_ranges(text))
            found = index.runs(pieces, None if folded is pieces else folded)
        starts, ends = pieces.starts, pieces.ends
        # Longest first, then exact before folded, then a match of the text's own script
        # before one only through the other script's terms (which stands for what the own
        # script's terms miss), then leftmost. A run of pieces is longer than any piece in it,
        # so runs are settled first, and a single piece counts wherever no chosen run covers it.
        runs = sorted(
            (starts[first] - ends[last], match[0] != "exact", match[1], first, last)
            for (first, last), match in found.items()
            if first != last
        )
        taken = bytearray(len(starts))
        chosen_runs: set[tuple[int, int]] = set()
        for *_, first, last in runs:
            if 1 not in taken[first : last + 1]:
                chosen_runs.add((first, last))
                taken[first : last + 1] = b"\x01" * (last + 1 - first)
        occurrences: list[Occurrence] = []
        add = occurrences.append
        concepts = self.concepts
        # Occurrence(...) through its generated __new__ costs as much again as the tuple.
        make = tuple.__new__
        # In the order of their first piece (``_Index.runs``); of the runs from one piece, one
        # at most is chosen, so their own order does not matter.
        for (first, last), match in found.items():
            chosen = (first, last) in chosen_runs if first != last else not taken[first]
            if not chosen:
                continue
            for position in range(2, len(match), 2):
                concept = concepts[match[position]]
                term = concept.terms[match[position + 1]]
                if statuses is None or term.status in statuses:
                    add(make(Occurrence, (concept, starts[first], ends[last], term, match[0])))
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
        if single:
            # Only deprecated and superseded terms make findings in a single text.
            found = [
                occurrence
                for occurrence in self.find(source, source_language, statuses=FLAGGED_STATUSES)
                if not occurrence.concept.retired
            ]
            spans = tuple(_span(source, source_language, occurrence) for occurrence in found)
            by_status: dict[tuple[str, str], list[Span]] = {}
            for span in spans:
                by_status.setdefault((span.concept, span.status), []).append(span)
            return CheckResult(
                source_language=source_language,
                target_language=None,
                findings=tuple(
                    Finding(
                        concept=uid,
                        verdict=status,  # type: ignore[arg-type]
                        expected=group[0].replacement,
                        source=tuple(group),
                        replacement=group[0].replacement,
                    )
                    for (uid, status), group in by_status.items()
                ),
                glossary=self.key,
                source=spans,
                concepts={o.concept.uid: o.concept for o in found},
            )
        assert target is not None and target_language is not None
        occurrences = self.find(source, source_language)
        concepts = {o.concept.uid: o.concept for o in occurrences}
        source_spans = tuple(_span(source, source_language, o) for o in occurrences)
        # A concept's occurrences in the target are reported once, in its finding; those of a
        # concept the source does not name are no finding's.
        target_spans = tuple(
            _span(target, target_language, o)
            for o in self.find(target, target_language)
            if o.concept.uid in concepts
        )
        in_source: dict[str, list[Span]] = {}
        for span in source_spans:
            in_source.setdefault(span.concept, []).append(span)
        in_target: dict[str, list[Span]] = defaultdict(list)
        for span in target_spans:
            in_target[span.concept].append(span)
        findings = []
        for uid, places in in_source.items():
            concept = concepts[uid]
            rendered = tuple(in_target.get(uid, ()))
            if concept.retired:
                findings.append(
                    Finding(uid, "retired", expected=None, source=tuple(places), target=rendered)
                )
                continue
            expected = concept.preferred(target_language)
            verdict = _verdict(rendered)
            findings.append(
                Finding(
                    concept=uid,
                    verdict=verdict,
                    expected=expected,
                    source=tuple(places),
                    target=rendered,
                    replacement=expected if verdict in FLAGGED_STATUSES else None,
                )
            )
        return CheckResult(
            source_language=source_language,
            target_language=target_language,
            findings=tuple(findings),
            glossary=self.key,
            source=source_spans,
            target=target_spans,
            concepts=concepts,
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
        concept=occurrence.concept.uid,
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
    from glossary.termcheck.index import current_checker

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
