"""What publishing derives is named by dotted path: every name must lead to a function."""

from __future__ import annotations

import pytest

from glossary.core import derived, publication


@pytest.mark.parametrize(
    "path",
    [path for _name, path in publication.STEPS] + list(derived.WRITERS.values()),
)
def test_every_named_step_and_writer_imports(path: str) -> None:
    assert callable(publication.step(path))


def test_every_kind_of_derived_row_has_its_writer() -> None:
    # The public lists are written by the domain itself (glossary.core.lists); the others by
    # the packages above it, named by path.
    assert set(derived.WRITERS) | {derived.LISTS} == set(derived.KINDS)
