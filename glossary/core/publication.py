"""What is derived from a version when it is published: the one ordered list.

Publishing a version also writes data that other parts of the glossary read it by: the search
keys of its terms and definitions, its TBX entry, its place in the public lists with their
counts, and its concept's row of the term index. Those parts build on the domain, so the domain
names their steps by dotted path here instead of importing them. ``rebuild_derived``
(``glossary.core.derived``) writes the same rows again through writers it names the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from django.utils.module_loading import import_string

from glossary.core.models import ConceptVersion

#: In order. Each step takes the public versions just published and replaces what was derived
#: from their concepts' earlier versions; it runs inside the publishing transaction.
STEPS: tuple[tuple[str, str], ...] = (
    ("search keys", "glossary.search.keys.replace_keys"),
    ("TBX entries", "glossary.exchange.stored_tbx.store_versions"),
    ("list entries", "glossary.core.lists.replace_entries"),
    # Last: it locks the publication stamp's row until the transaction ends.
    ("term index", "glossary.termcheck.index.store_versions"),
)

#: Run once a transaction that moved the publication stamp has committed, never inside it: work
#: too long for the request, which each step queues as a job if it is wanted at all.
AFTER_COMMIT: tuple[tuple[str, str], ...] = (
    ("export files", "glossary.exchange.export_files.queue_after_publication"),
)


@cache
def step(path: str) -> Callable[..., int]:
    """The function a dotted path names (a step here, or a writer of ``glossary.core.derived``)."""
    return import_string(path)


def after_commit() -> None:
    """Run every after-commit step (registered by ``services.bump_publication``)."""
    for _name, path in AFTER_COMMIT:
        step(path)()


def derive(versions: Sequence[ConceptVersion]) -> dict[str, int]:
    """Run every step for these public versions; returns how many rows each wrote."""
    versions = list(versions)
    return {name: step(path)(versions=versions) for name, path in STEPS}
