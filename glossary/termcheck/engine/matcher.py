"""The index of term keys and the checker: longest match first, then the translation's verdict."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from typing import Any, Final

from glossary import language as gtext
from glossary.language.codes import CHINESE, LANGUAGES, Language
from glossary.language.detect import code_ranges
from glossary.termcheck.engine.compounds import folded_text, inside_phrase, within_words
from glossary.termcheck.engine.english import term_forms as english_forms
from glossary.termcheck.engine.keys import (
    BARRIER,
    Pieces,
    chinese_keys,
    chinese_pieces,
    english_pieces,
    english_term_key,
)
from glossary.termcheck.engine.languages import check_language, refuse_mismatch
from glossary.termcheck.engine.results import (
    FLAGGED_STATUSES,
    STATUSES,
    CheckResult,
    Finding,
    GlossaryConcept,
    GlossaryTerm,
    MatchKind,
    Occurrence,
    Span,
    Verdict,
)

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


# A match as the index stores it. Most keys name one term of one concept: such a match is held
# as one number, (concept << 16) | (term << 1) | cross, its kind told by its place in the slot,
# a third of the memory of the tuple it stands for (at 100,000 concepts, some 600,000 of them).
_Stored = _Match | int


# A key's slot in the index: its exact match, its folded match, and whether a longer key goes on
# from it (a candidate may then take in the next piece too).
_Slot = tuple[_Stored | None, _Stored | None, bool]


def _packed(match: _Match) -> _Stored:
    if len(match) == 4 and match[3] < 0x8000:
        return (match[2] << 16) | (match[3] << 1) | int(match[1])
    return match


def _unpacked(kind: MatchKind, stored: _Stored) -> _Match:
    if type(stored) is int:
        return (kind, bool(stored & 1), stored >> 16, (stored >> 1) & 0x7FFF)
    return stored  # type: ignore[return-value]


_PREFIX: Final[_Slot] = (None, None, True)


# A run of pieces that spells a key: its first and last piece, the kind of match, the match as
# stored.
_Run = tuple[int, int, MatchKind, _Stored]


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

    A key's slot holds its matches only; the entries a match was made from are kept beside it
    (``shared``) for the few keys with more than one, since a single entry can be read back
    from its match. A key is changed in place (``put``): a key removed leaves its prefixes
    behind, which costs a look-up that finds nothing, never a wrong match.
    """

    def __init__(self, prefixes: Callable[[str], Iterable[str]]) -> None:
        self.slots: dict[str, _Slot] = {}
        self.shared: dict[tuple[MatchKind, str], tuple[_Entry, ...]] = {}
        self.prefixes = prefixes

    def entries(self, kind: MatchKind, key: str) -> tuple[_Entry, ...]:
        """The entries of a key's match of this kind (none if it has none)."""
        shared = self.shared.get((kind, key))
        if shared is not None:
            return shared
        slot = self.slots.get(key)
        stored: _Stored | None = None
        if slot is not None:
            stored = slot[0] if kind == "exact" else slot[1]
        if stored is None:
            return ()
        match = _unpacked(kind, stored)
        # A single entry: (kind, cross, concept, term).
        return ((match[2], match[3], not match[1]),)

    def put(
        self, kind: MatchKind, key: str, match: _Match | None, entries: tuple[_Entry, ...]
    ) -> None:
        """Set a key's match of this kind (None: it has none), made from these entries."""
        if len(entries) > 1:
            self.shared[(kind, key)] = entries
        else:
            self.shared.pop((kind, key), None)
        slot = self.slots.get(key)
        exact, folded, goes_on = (None, None, False) if slot is None else slot
        stored = None if match is None else _packed(match)
        if kind == "exact":
            exact = stored
        else:
            folded = stored
        if exact is None and folded is None:
            if goes_on:
                self.slots[key] = _PREFIX
            elif slot is not None:
                del self.slots[key]
            return
        self.slots[key] = (exact, folded, goes_on)
        if slot is None:
            self._mark_prefixes(key)

    def fill(self, exact: dict[str, _Stored], folded: dict[str, _Stored]) -> None:
        """Set every key's stored matches at once (an empty index); emptied as they go in."""
        slots = self.slots
        for key in [*exact, *folded]:
            if key not in slots:
                slots[key] = (exact.pop(key, None), folded.pop(key, None), False)
        for key in list(slots):
            self._mark_prefixes(key)

    def _mark_prefixes(self, key: str) -> None:
        slots = self.slots
        for prefix in self.prefixes(key):
            slot = slots.get(prefix)
            if slot is None:
                slots[prefix] = _PREFIX
            elif slot[2]:
                # A prefix that goes on was reached from a longer key, with its own prefixes.
                break
            else:
                slots[prefix] = (slot[0], slot[1], True)

    def runs(self, pieces: Pieces, folded: Pieces | None = None) -> list[_Run]:
        """Each run of pieces that spells a key: (first piece, last piece, kind, stored match).

        A key's exact match counts over the pieces' keys, its folded match over their folded
        keys (``folded``, the same pieces keyed apart; None where the keys are alike). The
        exact match wins. Runs come in the order of their first piece, then of their last,
        which ``find`` relies on; a match stays packed until ``find`` chooses it.
        """
        if folded is None:
            return self._runs_alike(pieces)
        return self._runs_folded(pieces, folded)

    def _runs_alike(self, pieces: Pieces) -> list[_Run]:
        get = self.slots.get
        joined, key_starts, key_ends = pieces.joined, pieces.key_starts, pieces.key_ends
        count = len(key_ends)
        found: list[_Run] = []
        add = found.append
        for first, key in enumerate(pieces.keys):
            slot = get(key)
            last = first
            while slot is not None:
                if slot[0] is not None:
                    add((first, last, "exact", slot[0]))
                elif slot[1] is not None:
                    add((first, last, "folded", slot[1]))
                last += 1
                if not slot[2] or last == count:
                    break
                slot = get(joined[key_starts[first] : key_ends[last]])
        return found

    def _runs_folded(self, pieces: Pieces, folded: Pieces) -> list[_Run]:
        # One walk, over the folded keys: a native term has its folded key as well as its
        # exact one, and a run that spells the exact key spells the folded key too (unless
        # OpenCC converts the term as a phrase otherwise than its tokens one by one, which
        # no test or evaluation item meets). Where a run has a folded match and its exact
        # keys differ, its exact key is looked up once, for the exact match that wins. Whether
        # a piece's keys differ is asked only of the pieces a key starts or goes on at (about
        # half of them), and a single piece's exact key is its own, not joined.
        get = self.slots.get
        exact_keys = pieces.keys
        run_key = pieces.run_key
        folded_keys = folded.keys
        folded_joined, folded_starts, folded_ends = (
            folded.joined,
            folded.key_starts,
            folded.key_ends,
        )
        count = len(folded_ends)
        found: list[_Run] = []
        add = found.append
        for first, key in enumerate(folded_keys):
            slot = get(key)
            if slot is None:
                continue
            last = first
            alike = exact_keys[first] == key
            while slot is not None:
                if alike:
                    if slot[0] is not None:
                        add((first, last, "exact", slot[0]))
                    elif slot[1] is not None:
                        add((first, last, "folded", slot[1]))
                elif slot[1] is not None:
                    own = get(exact_keys[first] if first == last else run_key(first, last))
                    if own is not None and own[0] is not None:
                        add((first, last, "exact", own[0]))
                    else:
                        add((first, last, "folded", slot[1]))
                last += 1
                if not slot[2] or last == count:
                    break
                if alike and exact_keys[last] != folded_keys[last]:
                    alike = False
                slot = get(folded_joined[folded_starts[first] : folded_ends[last]])
        return found


class TermChecker:
    """Recognises a glossary's terms in English and Chinese texts and checks translations.

    Build one from the concepts (with all their terms, whatever their status); ``update``
    replaces some of them in place, changing the index only where their terms' keys are, and
    leaves it as a checker built afresh from the concepts it then holds would be. Checks may
    run in several threads at once; updates one at a time (the caller's lock). ``key`` names
    this glossary for jieba's user dictionary: two checkers with the same key must hold the
    same Chinese terms.
    """

    def __init__(self, concepts: Iterable[GlossaryConcept], *, key: str | None = None) -> None:
        # A concept's slot: its place in ``_concepts``, by which the index names it. A concept
        # replaced gets a new slot and its old one is emptied (a check running meanwhile skips
        # it), so a match never names a concept other than the one it was made from.
        given = list(concepts)
        self._concepts: list[GlossaryConcept | None] = list(given)
        self._slot_of: dict[str, int] = {c.uid: slot for slot, c in enumerate(given)}
        # Each Chinese term's text: how many terms of the concepts have it.
        self._chinese: dict[str, int] = {}
        self._chinese_terms: tuple[str, ...] | None = None
        for concept in self._concepts:
            assert concept is not None
            self._count_chinese(concept, 1)
        self._indexes = {
            language: _Index(_word_prefixes if language == "en" else _character_prefixes)
            for language in LANGUAGES
        }
        # Each Chinese term's (exact, folded) key, computed once for both scripts' indexes.
        keys: dict[str, tuple[str, str]] = {}
        for language, index in self._indexes.items():
            self._fill(language, index, keys)
        self.key = key or self._hashed_key()

    def _fill(
        self,
        language: Language,
        index: _Index,
        keys: dict[str, tuple[str, str]],
    ) -> None:
        """Put every concept's keys in one language's (empty) index.

        A key with one entry, as most have, is stored as its packed match at once; only keys
        with several gather their entries first. No list or tuple per key is made on the way,
        so the build's peak is little above what the index keeps (which a worker keeps too).
        """
        stored: dict[MatchKind, dict[str, _Stored]] = {"exact": {}, "folded": {}}
        several: dict[tuple[MatchKind, str], list[_Entry]] = {}
        for slot, concept in enumerate(self._concepts):
            assert concept is not None
            for kind, term_key, entry in self._entries(slot, concept, language, keys):
                keyed = stored[kind]
                first = keyed.get(term_key)
                if first is None:
                    keyed[term_key] = _packed((kind, not entry[2], entry[0], entry[1]))
                    continue
                gathered = several.get((kind, term_key))
                if gathered is None:
                    match = _unpacked(kind, first)
                    several[(kind, term_key)] = [(match[2], match[3], not match[1]), entry]
                else:
                    gathered.append(entry)
        for (kind, term_key), entries in several.items():
            stored[kind][term_key] = _packed(self._match(kind, language, entries))
            index.shared[(kind, term_key)] = tuple(entries)
        del several
        index.fill(stored["exact"], stored["folded"])

    @property
    def concepts(self) -> tuple[GlossaryConcept, ...]:
        """The concepts the checker holds (in no particular order)."""
        return tuple(concept for concept in self._concepts if concept is not None)

    @property
    def chinese_terms(self) -> tuple[str, ...]:
        """Every Chinese term's text, sorted: jieba's user dictionary."""
        terms = self._chinese_terms
        if terms is None:
            terms = tuple(sorted(self._chinese))
            self._chinese_terms = terms
        return terms

    def _hashed_key(self) -> str:
        digest = hashlib.sha256("\n".join(self.chinese_terms).encode()).hexdigest()
        return "terms:" + digest[:24]

    def _count_chinese(self, concept: GlossaryConcept, step: int) -> tuple[list[str], list[str]]:
        """Count a concept's Chinese terms in (1) or out (-1); returns the texts that came and went."""
        came: list[str] = []
        went: list[str] = []
        counts = self._chinese
        for term in concept.terms:
            if term.language not in CHINESE:
                continue
            text = term.text.strip()
            if not text:
                continue
            count = counts.get(text, 0) + step
            if count > 0:
                counts[text] = count
                if count == 1 and step > 0:
                    came.append(text)
            else:
                counts.pop(text, None)
                went.append(text)
        return came, went

    @staticmethod
    def _entries(
        slot: int, concept: GlossaryConcept, language: str, keys: dict[str, tuple[str, str]]
    ) -> Iterator[tuple[MatchKind, str, _Entry]]:
        """What a concept puts in one language's index: (kind, key, entry), in a fixed order."""

        def keyed(text: str) -> tuple[str, str]:
            text = text.strip()
            found = keys.get(text)
            if found is None:
                found = keys[text] = chinese_keys(text)
            return found

        def counted(key: str) -> bool:
            return bool(key) and BARRIER not in key

        if language == "en":
            # A term's other forms (trained, training for "train") are its folded keys: a term
            # whose own text the words are wins over a term they are a form of.
            for number, term in enumerate(concept.terms):
                if term.language == "en":
                    key = english_term_key(term.text)
                    if counted(key):
                        yield "exact", key, (slot, number, True)
                    for form in english_forms(term.text, term.part_of_speech):
                        form_key = english_term_key(form)
                        if form_key != key and counted(form_key):
                            yield "folded", form_key, (slot, number, True)
            return
        own = any(term.language == language for term in concept.terms)
        for number, term in enumerate(concept.terms):
            if term.language == language:
                exact_key, folded_key = keyed(term.text)
                if counted(exact_key):
                    yield "exact", exact_key, (slot, number, True)
                if counted(folded_key):
                    yield "folded", folded_key, (slot, number, True)
        for number, term in enumerate(concept.terms):
            if term.language not in CHINESE or term.language == language:
                continue
            # Without terms in this script, the other script's stand in for all of them;
            # with them, its deprecated and superseded terms must still be caught.
            if not own or term.status in FLAGGED_STATUSES:
                key = keyed(term.text)[1]
                if counted(key):
                    yield "folded", key, (slot, number, not own)

    def _match(self, kind: MatchKind, language: str, found: Sequence[_Entry]) -> _Match:
        """A key's entries as a match of one kind.

        The same term of a concept counts once; where some of a key's terms are native, only
        those count. A match names each concept once, with its best term (the text's language
        first, then the better status), in the order of the concepts' uids.
        """
        if len(found) == 1:
            concept_index, number, native = found[0]
            return (kind, not native, concept_index, number)
        concepts = self._concepts
        distinct: dict[tuple[int, GlossaryTerm], _Entry] = {}
        for entry in found:
            concept_index, number, _ = entry
            concept = concepts[concept_index]
            assert concept is not None
            distinct.setdefault((concept_index, concept.terms[number]), entry)
        counted = [entry for entry in distinct.values() if entry[2]]
        best: dict[int, int] = {}
        for concept_index, number, _ in counted or distinct.values():
            terms = concepts[concept_index].terms  # type: ignore[union-attr]
            current = best.get(concept_index)
            if current is None or _rank(terms[number], language) < _rank(terms[current], language):
                best[concept_index] = number
        named = sorted(best.items(), key=lambda hit: concepts[hit[0]].uid)  # type: ignore[union-attr]
        return (kind, not counted, *chain.from_iterable(named))

    # Keeping up with the glossary

    def update(self, concepts: Iterable[GlossaryConcept], *, key: str | None = None) -> None:
        """Replace these concepts (by uid; a new uid is added), changing only what their terms touch.

        The keys of the old and the new terms are looked up again, from the entries kept for
        them, so an update costs what the concepts given hold, not what the glossary holds.
        jieba's user dictionary, if it is this checker's, gets the same change in place.
        """
        changed = {concept.uid: concept for concept in concepts}
        if not changed:
            if key is not None:
                self._rekey(key, [], [])
            return
        keys: dict[str, tuple[str, str]] = {}
        gone: set[int] = set()
        came: list[str] = []
        went: list[str] = []
        touched: dict[Language, dict[tuple[MatchKind, str], list[_Entry]]] = {
            language: {} for language in LANGUAGES
        }
        for uid, concept in changed.items():
            old_slot = self._slot_of.get(uid)
            if old_slot is not None:
                old = self._concepts[old_slot]
                assert old is not None
                gone.add(old_slot)
                went.extend(self._count_chinese(old, -1)[1])
                for language in LANGUAGES:
                    for kind, term_key, _ in self._entries(old_slot, old, language, keys):
                        touched[language].setdefault((kind, term_key), [])
            slot = len(self._concepts)
            self._concepts.append(concept)
            self._slot_of[uid] = slot
            came.extend(self._count_chinese(concept, 1)[0])
            for language in LANGUAGES:
                for kind, term_key, entry in self._entries(slot, concept, language, keys):
                    touched[language].setdefault((kind, term_key), []).append(entry)
        for language, keyed in touched.items():
            index = self._indexes[language]
            for (kind, term_key), added in keyed.items():
                entries = (
                    *(entry for entry in index.entries(kind, term_key) if entry[0] not in gone),
                    *added,
                )
                match = self._match(kind, language, entries) if entries else None
                index.put(kind, term_key, match, entries)
        for slot in gone:
            self._concepts[slot] = None
        # A text that went and came back (moved between concepts) is neither.
        both = set(came) & set(went)
        came = [text for text in came if text not in both]
        went = [text for text in went if text not in both]
        if came or went:
            self._chinese_terms = None
        self._rekey(key or self._hashed_key(), came, went)

    def _rekey(self, key: str, came: list[str], went: list[str]) -> None:
        previous, self.key = self.key, key
        if key != previous and (came or went or gtext.user_terms_key() == previous):
            gtext.update_user_terms(came, went, key=key, previous=previous)

    # Recognition

    def find(
        self, text: str, language: str, *, statuses: frozenset[str] | None = None
    ) -> list[Occurrence]:
        """Every concept whose term occurs in the text, longest match first, in text order.

        ``statuses``: only the occurrences of terms with one of these (every match is still
        weighed, so that a longer term keeps the shorter ones inside it from counting).
        """
        known = check_language(language)
        if not text or not text.strip():
            return []
        index = self._indexes[known]
        # Each run of pieces that spells a key, with what it matches.
        if language == "en":
            pieces = english_pieces(text)
            found = index.runs(pieces)
        else:
            if gtext.user_terms_key() != self.key:
                gtext.set_user_terms(self.chinese_terms, key=self.key)
            pieces, folded = chinese_pieces(text, gtext.segment_cuts(text), code_ranges(text))
            found = index.runs(pieces, None if folded is pieces else folded)
        starts, ends = pieces.starts, pieces.ends
        # Longest first, then exact before folded, then a match of the text's own script
        # before one only through the other script's terms (which stands for what the own
        # script's terms miss), then leftmost. A run of pieces is longer than any piece in it,
        # so runs are settled first, and a single piece counts wherever no chosen run covers it.
        runs = sorted(
            (
                starts[first] - ends[last],
                kind != "exact",
                bool(stored & 1) if isinstance(stored, int) else stored[1],
                first,
                last,
            )
            for first, last, kind, stored in found
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
        concepts = self._concepts
        # Occurrence(...) through its generated __new__ costs as much again as the tuple.
        make = tuple.__new__
        # In the order of their first piece (``_Index.runs``); of the runs from one piece, one
        # at most is chosen, so their own order does not matter.
        for first, last, kind, stored in found:
            if first != last:
                if (first, last) not in chosen_runs:
                    continue
            elif taken[first]:
                continue
            if isinstance(stored, int):
                # One term of one concept (``_packed``).
                concept = concepts[stored >> 16]
                if concept is None:
                    # Replaced by an update running meanwhile.
                    continue
                term = concept.terms[(stored >> 1) & 0x7FFF]
                if statuses is None or term.status in statuses:
                    add(make(Occurrence, (concept, starts[first], ends[last], term, kind)))
                continue
            for position in range(2, len(stored), 2):
                concept = concepts[stored[position]]
                if concept is None:
                    continue
                term = concept.terms[stored[position + 1]]
                if statuses is None or term.status in statuses:
                    add(make(Occurrence, (concept, starts[first], ends[last], term, kind)))
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
        check_language(source_language)
        single = target is None or not target.strip()
        if not single:
            if target_language is None:
                raise ValueError("target_language is required with a target text")
            check_language(target_language)
            if target_language == source_language:
                raise ValueError("source and target languages must differ")
        elif target_language is not None:
            check_language(target_language)
        refuse_mismatch("source", source, source_language)
        if not single:
            assert target is not None and target_language is not None
            refuse_mismatch("target", target, target_language)
        if single:
            # Only deprecated and superseded terms make findings in a single text.
            found = [
                occurrence
                for occurrence in self.find(source, source_language, statuses=FLAGGED_STATUSES)
                if not occurrence.concept.retired and not occurrence.term.in_sense_only
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
        # An everyday word (``in_sense_only``) never says that the source means its concept.
        occurrences = [o for o in self.find(source, source_language) if not o.term.in_sense_only]
        concepts = {o.concept.uid: o.concept for o in occurrences}
        source_spans = tuple(_span(source, source_language, o) for o in occurrences)
        # A concept's occurrences in the target are reported once, in its finding; those of a
        # concept the source does not name are no finding's.
        rendered_in_target = [
            o for o in self.find(target, target_language) if o.concept.uid in concepts
        ]
        if source_language == "en" and target_language in CHINESE:
            rendered_in_target.extend(
                _merged_renderings(source, target, target_language, occurrences, rendered_in_target)
            )
            rendered_in_target.sort(key=lambda o: (o.start, o.end))
        target_spans = tuple(_span(target, target_language, o) for o in rendered_in_target)
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


def _merged_renderings(
    source: str,
    target: str,
    target_language: str,
    in_source: Sequence[Occurrence],
    in_target: Sequence[Occurrence],
) -> list[Occurrence]:
    """The renderings of unrendered concepts inside longer Chinese words, where the source allows.

    A concept the target does not render, one of whose English occurrences sits inside a longer
    phrase ("feature vector"), may be rendered inside a longer word (特征向量): its Chinese
    terms are looked for there (``compounds.within_words``), outside what the target's other
    occurrences cover.
    """
    rendered = {o.concept.uid for o in in_target}
    wanted: dict[str, GlossaryConcept] = {}
    for o in in_source:
        uid = o.concept.uid
        if uid not in rendered and uid not in wanted and inside_phrase(source, o.start, o.end):
            wanted[uid] = o.concept
    if not wanted:
        return []
    boundaries = set(gtext.segment_cuts(target))
    folded = folded_text(target)
    # The characters the target's own occurrences cover, then those of renderings chosen here.
    covered = bytearray(len(target))
    for o in in_target:
        covered[o.start : o.end] = b"\x01" * (o.end - o.start)
    hits: list[tuple[int, int, GlossaryConcept, GlossaryTerm, MatchKind]] = []
    for concept in wanted.values():
        own = any(term.language == target_language for term in concept.terms)
        terms = [
            term
            for term in concept.terms
            if term.language == target_language
            or (term.language in CHINESE and (not own or term.status in FLAGGED_STATUSES))
        ]
        hits.extend(
            (start, end, concept, term, kind)
            for start, end, term, kind in within_words(target, folded, boundaries, terms, covered)
        )
    # Longest first, then leftmost, as in ``find``: no two renderings share a character.
    hits.sort(key=lambda hit: (hit[0] - hit[1], hit[0]))
    found: list[Occurrence] = []
    for start, end, concept, term, kind in hits:
        if not any(covered[start:end]):
            covered[start:end] = b"\x01" * (end - start)
            found.append(Occurrence(concept, start, end, term, kind))
    return found


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
            return status
    return "missing"
