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


def test_the_writers_cover_every_kind_of_derived_row() -> None:
    assert set(derived.WRITERS) == set(derived.KINDS)
