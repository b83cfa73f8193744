"""The published glossary as this process knows it: the term check's engine and jieba's user dictionary.

Everything here is derived from the database and keyed by what was last published, so that any
number of worker processes (on any number of machines) agree without talking to each other:

* Publishing or retiring a version writes its concept's row of ``TermIndexEntry`` (its uid,
  whether it is retired, its terms) in the publishing transaction, with the serial that
  transaction gives the publication stamp (``store_versions``, a step of
  ``glossary.core.publication``).
* Each process builds its ``TermChecker`` from those rows once, when it starts (``warm_up``,
  called by the WSGI entry point), not in a request.
* ``current_checker()`` then costs one lookup by primary key (the publication stamp). When the
  stamp has moved, one more query reads the rows written since the serial the process last
  applied, only the concepts published since, and the checker and jieba's user dictionary are
  updated in place for them (``TermChecker.update``): the first check after a publication
  costs what those concepts hold, not what the glossary holds.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError

from glossary import language as text
from glossary.core.choices import PartOfSpeech, VersionState
from glossary.core.models import ConceptVersion, Publication, Term, TermIndexEntry
from glossary.termcheck.engine import GlossaryConcept, GlossaryTerm, TermChecker

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Built:
    serial: int
    checker: TermChecker


_lock = threading.Lock()
_built: _Built | None = None


def publication_key() -> str:
    """What was last published, as a short string: one lookup by primary key."""
    serial, last = Publication.objects.stamp()
    return _key(serial, last)


def _key(serial: int, last: Any) -> str:
    return f"{serial}:{last.isoformat() if last else '-'}"


# Writing: a step of the publication, and a kind of derived data.


def store_versions(*, versions: Sequence[ConceptVersion]) -> int:
    """Replace the term index rows of these public versions' concepts; returns how many were written."""
    return store([version.pk for version in versions])


def store(version_ids: Iterable[int]) -> int:
    """Write the term index rows of these public versions (one per concept), replacing the old ones.

    Runs inside the transaction that publishes them (or rebuilds their rows), which will bump
    the publication stamp: the rows get that serial (the stamp's row is locked until commit).
    """
    versions = list(
        ConceptVersion.objects.filter(pk__in=list(version_ids))
        .order_by("concept_id")
        .values_list("pk", "concept_id", "concept__uid", "state")
    )
    if not versions:
        return 0
    serial = Publication.objects.next_serial()
    terms: dict[int, list[list[Any]]] = {pk: [] for pk, *_ in versions}
    rows = (
        Term.objects.filter(version_id__in=list(terms))
        .order_by("version_id", "language", "position", "id")
        .values_list("version_id", "text", "language", "status", "part_of_speech", "in_sense_only")
    )
    for version_id, term_text, language, status, part_of_speech, in_sense_only in rows:
        terms[version_id].append(
            _stored_term(term_text, language, status, part_of_speech, in_sense_only)
        )
    TermIndexEntry.objects.filter(concept_id__in=[concept for _, concept, *_ in versions]).delete()
    TermIndexEntry.objects.bulk_create(
        TermIndexEntry(
            concept_id=concept_id,
            version_id=pk,
            uid=uid,
            retired=state == VersionState.RETIRED,
            terms=terms[pk],
            serial=serial,
        )
        for pk, concept_id, uid, state in versions
    )
    return len(versions)


# Reading.


# A term as a row stores it: [text, language, status, part of speech], and a fifth item, 1, for a
# term flagged only where its concept is meant (a list, not an object: 100,000 rows are read at
# a worker's start). ``_stored_term`` writes one and ``_read_term`` reads it back by name.


def _stored_term(
    text: str, language: str, status: str, part_of_speech: str, in_sense_only: bool
) -> list[Any]:
    stored: list[Any] = [text, language, status, part_of_speech]
    if in_sense_only:
        stored.append(1)
    return stored


def _read_term(stored: list[Any]) -> GlossaryTerm:
    # Languages, statuses and parts of speech are a handful of strings, held once rather than
    # once per term. A row written before terms carried their part of speech has the default.
    text, language, status, *rest = stored
    part_of_speech = rest[0] if rest else PartOfSpeech.NOUN.value
    in_sense_only = len(rest) > 1 and bool(rest[1])
    return GlossaryTerm(
        text=text,
        language=sys.intern(language),
        status=sys.intern(status),
        part_of_speech=sys.intern(part_of_speech),
        in_sense_only=in_sense_only,
    )


def _concept(uid: str, retired: bool, terms: list[list[Any]]) -> GlossaryConcept:
    return GlossaryConcept(uid=uid, terms=tuple(map(_read_term, terms)), retired=retired)


def load_concepts(*, after: int = 0, upto: int | None = None) -> list[GlossaryConcept]:
    """The public concepts (published or retired) with all of their terms, whatever their status.

    With ``after`` (and ``upto``), only those published after that serial (and up to this one).
    """
    rows = TermIndexEntry.objects.order_by("uid")
    if after:
        rows = rows.filter(serial__gt=after)
    if upto is not None:
        rows = rows.filter(serial__lte=upto)
    return [
        _concept(uid, retired, terms)
        for uid, retired, terms in rows.values_list("uid", "retired", "terms").iterator(
            chunk_size=10_000
        )
    ]


def current_checker() -> TermChecker:
    """The term check over the published glossary, brought up to date with what was published."""
    global _built
    serial, last = Publication.objects.stamp()
    built = _built
    if built is not None and built.serial == serial:
        return built.checker
    with _lock:
        built = _built
        if built is None or built.serial > serial:
            # Not warmed up, or the database went back (restored): read it all.
            checker = TermChecker(load_concepts(upto=serial), key=f"glossary:{_key(serial, last)}")
            _built = built = _Built(serial, checker)
        elif built.serial < serial:
            # Rows up to the stamp read, so the checker holds what the stamp names, no more.
            changed = load_concepts(after=built.serial, upto=serial)
            built.checker.update(changed, key=f"glossary:{_key(serial, last)}")
            _built = built = _Built(serial, built.checker)
        return built.checker


def warm_up() -> None:
    """Build this process's checker and jieba's user dictionary now, before any request needs them.

    Called when a worker starts (``config/wsgi.py``). A database not yet migrated is logged
    and left for later: the first check then builds it.
    """
    try:
        ensure_user_dictionary()
    except DatabaseError as error:
        logger.warning("The term index was not loaded at start-up: %s", error)


def ensure_user_dictionary() -> str:
    """Make the published Chinese terms jieba's user dictionary (if not already); return its key."""
    checker = current_checker()
    if text.user_terms_key() != checker.key:
        text.set_user_terms(checker.chinese_terms, key=checker.key)
    return checker.key
