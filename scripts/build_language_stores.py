"""Write the compact copies of jieba's dictionary and pypinyin's readings the project maps.

    .venv/bin/python scripts/build_language_stores.py

The files sit beside ``glossary/language/words.py`` and ``readings.py``, named after the
installed jieba and pypinyin versions, and are left alone while they are there (see those
modules). ``make`` runs this.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.language import readings, words  # noqa: E402


def main() -> None:
    for write in (words.write_store, readings.write_store):
        written = write()
        if written is not None:
            print(f"wrote {written.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
