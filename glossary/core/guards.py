"""What keeps the record immutable: the error, and the one door the workflow goes through."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator


class ImmutableError(Exception):
    """Raised when code tries to change something the record keeps as it was."""


_transition: contextvars.ContextVar[bool] = contextvars.ContextVar("transition", default=False)

#: The only fields a workflow transition may write on a version that is not a draft.
TRANSITION_FIELDS = frozenset({"state", "review_round", "submitted_at", "published_at"})


@contextlib.contextmanager
def allow_transition() -> Iterator[None]:
    """Let the workflow change a version's state fields; nothing else becomes writable."""
    token = _transition.set(True)
    try:
        yield
    finally:
        _transition.reset(token)


def in_transition() -> bool:
    return _transition.get()
