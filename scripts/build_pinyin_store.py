"""Write pypinyin's readings into the trie the project reads pinyin from.

    .venv/bin/python scripts/build_pinyin_store.py

The file sits beside ``glossary/language/readings.py``, named after the installed pypinyin
version, and is left alone while it is there (see that module). ``make`` runs this.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.language.readings import write_store  # noqa: E402


def main() -> None:
    written = write_store()
    if written is not None:
        print(f"wrote {written.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
