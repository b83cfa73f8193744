"""What the term-check tests share: a concept from (text, language[, status]) tuples, and jieba kept in step."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from glossary.language import segmentation
from glossary.termcheck.engine import GlossaryConcept, GlossaryTerm


def concept(
    uid: str, *terms: tuple[str, str] | tuple[str, str, str], retired: bool = False
) -> GlossaryConcept:
    """A concept with these terms, each (text, language) or (text, language, status)."""
    return GlossaryConcept(
        uid=uid, terms=tuple(GlossaryTerm(*term) for term in terms), retired=retired
    )


@pytest.fixture(scope="module")
def _jieba_once() -> None:
    """jieba's dictionary loaded once per module, not inside the first test that checks Chinese."""
    segmentation._base_tokenizer()


@pytest.fixture
def _restore_user_terms() -> Iterator[None]:
    """Leave jieba's user dictionary as the test found it, for other test modules."""
    saved = segmentation._jieba_state.loaded
    yield
    segmentation._jieba_state.loaded = saved
