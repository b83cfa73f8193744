"""The published glossary as this process knows it: the term check's engine and jieba's user dictionary.

Everything here is derived from the database and keyed by what was last published, so that any
number of worker processes (on any number of machines) agree without talking to each other:

* ``publication_key()`` is one lookup by primary key (the publication stamp, which the workflow
  bumps with every publication or retirement). It is right for every process sharing the
  database, and it survives a cache flush, which a counter kept in a cache would not.
* ``current_checker()`` rebuilds the ``TermChecker`` (one more query, and its index of term keys)
  only when that key has changed since the process last built it; otherwise a check costs the
  one query.
* jieba's user dictionary is loaded from the same terms under the same key, lazily, the first
  time a Chinese text is segmented after a publication (``glossary.language`` loads jieba itself once
  per process). ``ensure_user_dictionary()`` does it on demand for other readers (search).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from glossary import language as text
from glossary.core.choices import VersionState
from glossary.core.models import Publication, Term
from glossary.termcheck.engine import GlossaryConcept, GlossaryTerm, TermChecker


@dataclass(frozen=True)
class _Built:
    publication: str
    checker: TermChecker


_lock = threading.Lock()
_built: _Built | None = None


def publication_key() -> str:
    """What was last published, as a short string: one lookup by primary key."""
    serial, last = Publication.objects.stamp()
    return f"{serial}:{last.isoformat() if last else '-'}"


def load_concepts() -> list[GlossaryConcept]:
    """Every public concept (published or retired) with all of its terms, whatever their status."""
    rows = Term.objects.for_term_check()
    return [
        GlossaryConcept(
            uid=uid,
            terms=tuple(
                GlossaryTerm(text=text, language=language, status=status)
                for _uid, _state, text, language, status in terms
            ),
            retired=state == VersionState.RETIRED,
        )
        for (uid, state), terms in groupby(rows.iterator(chunk_size=10_000), key=itemgetter(0, 1))
    ]


def current_checker() -> TermChecker:
    """The term check over the published glossary, rebuilt when something new was published."""
    global _built
    publication = publication_key()
    built = _built
    if built is not None and built.publication == publication:
        return built.checker
    with _lock:
        built = _built
        if built is None or built.publication != publication:
            # Read after the key: if a publication lands in between, the next call sees a new
            # key and rebuilds, so a checker is never older than its key.
            checker = TermChecker(load_concepts(), key=f"glossary:{publication}")
            built = _Built(publication, checker)
            _built = built
        return built.checker


def ensure_user_dictionary() -> str:
    """Make the published Chinese terms jieba's user dictionary (if not already); return its key."""
    checker = current_checker()
    text.set_user_terms(checker.chinese_terms, key=checker.key)
    return checker.key
