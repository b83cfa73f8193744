"""Tables the language package maps from files: written once by ``make``, opened once a process.

jieba's dictionary (``words``) and pypinyin's readings (``readings``) are kept in files beside
this module, named after the version of the package they were read from, which
``scripts/build_language_stores.py`` writes and each process maps. ``write`` is how a copy is
written, ``once`` how a process opens it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def once(make: Callable[[], T]) -> Callable[[], T]:
    """``make``'s answer, made on the first call in a process and kept (two threads asking
    first make it once)."""
    lock = threading.Lock()
    made: list[T] = []

    def get() -> T:
        if not made:
            with lock:
                if not made:
                    made.append(make())
        return made[0]

    return get


def write(paths: Sequence[Path], stale: str, save: Callable[..., None]) -> Path | None:
    """Write a copy's files unless they are all there; the last path when written, or None.

    Files beside them that match the glob ``stale`` (the copies of other versions) are removed
    first. ``save`` writes the files to partial paths, given in the order of ``paths``; they are
    then moved into place in that order, so that the last one says the copy is whole.
    """
    folder = paths[-1].parent
    for found in folder.glob(stale):
        if found not in paths:
            found.unlink()
    if all(path.exists() for path in paths):
        return None
    partials = [path.with_name(f"{path.name}.partial") for path in paths]
    save(*partials)
    for partial, path in zip(partials, paths, strict=True):
        os.replace(partial, path)
    return paths[-1]
