"""``glossary.language.stores``: a copy written once, in order; a table opened once a process."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from glossary.language import stores


def test_a_table_is_made_once_however_many_threads_ask_first() -> None:
    made: list[int] = []

    def make() -> int:
        time.sleep(0.05)  # long enough for the other threads to ask meanwhile
        made.append(1)
        return len(made)

    get = stores.once(make)
    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(get())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == [1]
    assert answers == [1, 1, 1, 1]
    assert get() == 1


def test_a_copy_is_written_in_order_once_and_stale_ones_removed(tmp_path: Path) -> None:
    first, last = tmp_path / "table-2.counts", tmp_path / "table-2.marisa"
    (tmp_path / "table-1.marisa").write_bytes(b"old version")
    (tmp_path / "table-2.marisa.partial").write_bytes(b"left by a write that died")
    (tmp_path / "other.txt").write_bytes(b"not ours")
    written: list[tuple[str, ...]] = []

    def save(*partials: Path) -> None:
        written.append(tuple(path.name for path in partials))
        for path in partials:
            path.write_text(path.name)

    assert stores.write([first, last], "table-*", save) == last
    assert written == [("table-2.counts.partial", "table-2.marisa.partial")]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "other.txt",
        "table-2.counts",
        "table-2.marisa",
    ]
    assert last.read_text() == "table-2.marisa.partial"
    # Whole: left alone. One file lost: written again.
    assert stores.write([first, last], "table-*", save) is None
    first.unlink()
    assert stores.write([first, last], "table-*", save) == last
    assert len(written) == 2
