"""The benchmark's inputs: a glossary made from CC-CEDICT, search queries, and texts to check.

CC-CEDICT (MDBG, CC BY-SA 4.0; ``../shared/data/cc-cedict``) is a general Chinese–English
dictionary of about 122,000 entries in both scripts: not AI terminology, but real terms at the
scale of a large term base. Each entry becomes a concept: its first English gloss the preferred
English term, its Simplified and Traditional headwords the preferred Chinese terms, all of its
glosses the English definition. Two things are added so that an entry can be published through
the review workflow like any concept, and found like one:

* a Chinese definition, which the workflow requires: the headword and its pinyin;
* a distinct English term: glosses repeat across entries ("surname Li"), and one preferred English
  term names one concept, so a repeated gloss gets the headword in brackets ("surname Li (李)").

Entries whose gloss is longer than a term may be (a few proverbs) are left out. The file written
is in the simple CSV layout the importer reads, so the benchmark times the real import.

A glossary larger than CC-CEDICT (about 122,000 usable entries) is completed with *compounds*:
two entries with short English terms joined, English "surname Li" + "to eat" → "surname Li to
eat", 李吃, pinyin "Li3 chi1", citing both lines. The pairs are taken in a fixed order (each short
entry with the next one, then with the one after that, …), so a run of a million concepts is
the same every time; the table says how many concepts are compounds.
Nothing of CC-CEDICT is kept in the repository; the files are made in a temporary folder.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from glossary.language import fold

#: Where the shared data lives, beside the project.
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CEDICT = SHARED_DATA / "cc-cedict" / "cc_cedict.csv.gz"
CHEATSHEETS = SHARED_DATA / "cs229-cs230-cheatsheets-parallel"
ATTRIBUTION = "CC-CEDICT by MDBG, CC BY-SA 4.0 (cc-cedict.org)"

#: Longest term the glossary stores (Term.text).
MAX_TERM = 300
_PINYIN = re.compile(r"\[(?P<pinyin>[^\]]*)\]\s*$")
_LINE = re.compile(r"CC-CEDICT:(?P<line>\d+)")


@dataclass(frozen=True)
class Entry:
    """One CC-CEDICT entry as a benchmark concept."""

    line: int
    en: str
    zh_hans: str
    zh_hant: str
    definition_en: str
    pinyin: str  # as CC-CEDICT writes it: "tong3 yi1", "nu:3", "Li3"
    second: int = 0  # a compound's second CC-CEDICT line (0: a plain entry)

    @property
    def definition_zh(self) -> str:
        what = "CC-CEDICT 词条组合" if self.second else "CC-CEDICT 词条"
        return f"{self.zh_hans}（{self.pinyin}）：{what}。"

    @property
    def source(self) -> str:
        if self.second:
            # Two citations of the one source, CC-CEDICT, at each line: not a source of its own.
            return f"CC-CEDICT line {self.line}; CC-CEDICT line {self.second}"
        return f"CC-CEDICT line {self.line}"


#: Longest English term of an entry that goes into compounds.
COMPOUND_PART = 30


def read_entries(limit: int, path: Path | None = None) -> list[Entry]:
    """The first ``limit`` entries (see ``iter_entries``) as a list."""
    return list(iter_entries(limit, path))


def iter_entries(limit: int, path: Path | None = None) -> Iterator[Entry]:
    """The first ``limit`` usable entries of CC-CEDICT, then compounds of them up to ``limit``.

    Each has a distinct English term.
    """
    path = path or CEDICT
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: the benchmark builds its glossary from CC-CEDICT "
            "(shared/data/cc-cedict beside the project)."
        )
    taken: set[str] = set()
    parts: list[Entry] = []
    made = 0
    for row in _rows(path):
        if made >= limit:
            return
        entry = _entry(row, taken)
        if entry is not None:
            made += 1
            if len(entry.en) <= COMPOUND_PART:
                parts.append(entry)
            yield entry
    for step in range(1, len(parts)):
        for index, first in enumerate(parts):
            if made >= limit:
                return
            compound = _compound(first, parts[(index + step) % len(parts)], taken)
            if compound is not None:
                made += 1
                yield compound


def _compound(first: Entry, second: Entry, taken: set[str]) -> Entry | None:
    english = f"{first.en} {second.en}"
    key = fold(english)
    if key in taken:
        return None
    taken.add(key)
    return Entry(
        line=first.line,
        second=second.line,
        en=english,
        zh_hans=first.zh_hans + second.zh_hans,
        zh_hant=first.zh_hant + second.zh_hant,
        definition_en=f"A compound of two CC-CEDICT entries: {first.en}; {second.en}.",
        pinyin=f"{first.pinyin} {second.pinyin}",
    )


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


#: What makes a gloss more than one English term for the importer.
_NOT_A_TERM = re.compile(r"[()（）\[\]、;；―]")


def _entry(row: dict[str, str], taken: set[str]) -> Entry | None:
    gloss = " ".join(row["en"].split())
    hans, hant = row["zh_hans"].strip(), row["zh_hant"].strip()
    found = _PINYIN.search(row["source"])
    line = _LINE.search(row["source"])
    if not (gloss and hans and hant and found and line):
        return None
    if _NOT_A_TERM.search(gloss):
        # The importer reads brackets as an explanation and 、 ; ― as separators: such a
        # gloss is not one English term.
        return None
    pinyin = found.group("pinyin")
    number = line.group("line")
    for english in (gloss, f"{gloss} {pinyin}", f"{gloss} {pinyin} {number}"):
        key = fold(english)
        if len(english) <= MAX_TERM and max(len(hans), len(hant)) <= MAX_TERM and key not in taken:
            taken.add(key)
            return Entry(
                line=int(line.group("line")),
                en=english,
                zh_hans=hans,
                zh_hant=hant,
                definition_en=" ".join(row["definition_en"].split()),
                pinyin=pinyin,
            )
    return None


def write_import_file(entries: Iterable[Entry], path: Path) -> None:
    """The entries in the importer's simple layout, citing CC-CEDICT by line."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["en", "zh_hans", "zh_hant", "definition_en", "definition_zh", "source"])
        for entry in entries:
            writer.writerow(
                [
                    entry.en,
                    entry.zh_hans,
                    entry.zh_hant,
                    entry.definition_en,
                    entry.definition_zh,
                    entry.source,
                ]
            )


# --- Search queries ---------------------------------------------------------------------------

#: Kinds of query, in the proportions a mixed audience might type them.
QUERY_KINDS = (
    "english",  # a whole English term
    "english word",  # one longer word of an English term
    "simplified",  # a Simplified headword
    "traditional",  # a Traditional headword
    "chinese prefix",  # the first characters of a longer headword
    "pinyin",  # toneless pinyin with spaces: "tong yi"
    "pinyin tones",  # pinyin with tone digits, run together: "tong3yi1"
    "miss",  # a word the glossary does not have
)


@dataclass(frozen=True)
class Query:
    kind: str
    text: str


def make_queries(entries: list[Entry], count: int, *, seed: int = 2023) -> list[Query]:
    """``count`` queries of every kind in turn, from entries picked at random (seeded)."""
    rng = random.Random(seed)
    queries: list[Query] = []
    attempts = 0
    while len(queries) < count and attempts < count * 50:
        attempts += 1
        kind = QUERY_KINDS[len(queries) % len(QUERY_KINDS)]
        text = _query(kind, rng.choice(entries), rng)
        if text:
            queries.append(Query(kind, text))
    return queries


def _query(kind: str, entry: Entry, rng: random.Random) -> str:
    syllables = entry.pinyin.replace("u:", "v").split()
    if kind == "english":
        return entry.en
    if kind == "english word":
        words = [w for w in re.findall(r"[A-Za-z]+", entry.en) if len(w) >= 5]
        return rng.choice(words) if words else ""
    if kind == "simplified":
        return entry.zh_hans
    if kind == "traditional":
        return entry.zh_hant if entry.zh_hant != entry.zh_hans else ""
    if kind == "chinese prefix":
        return entry.zh_hans[:2] if len(entry.zh_hans) >= 4 else ""
    if not all(re.fullmatch(r"[a-zA-Z]+[1-5]", s) for s in syllables):
        return ""  # letters, digits or erhua written apart: not what a reader types as pinyin
    if kind == "pinyin":
        return " ".join(s[:-1].lower() for s in syllables)
    if kind == "pinyin tones":
        return "".join(s.lower() for s in syllables)
    # A miss: a real word made into one no dictionary has.
    words = [w for w in re.findall(r"[A-Za-z]+", entry.definition_en) if len(w) >= 4]
    return f"{rng.choice(words).lower()}{rng.choice('qxz')}{rng.choice('qxz')}ing" if words else ""


# --- Texts for the term check -------------------------------------------------------------------


def check_texts(size: int, path: Path = CHEATSHEETS, *, seed: int = 2023) -> dict[str, str]:
    """English, Simplified and Traditional texts of about ``size`` bytes each, for the term check.

    The sentences of the CS229/CS230 cheatsheets (MIT licence; about 60 KB of English and 45 KB
    in each Chinese script), every distinct one once per round, in a new (seeded) order each
    round, for as many rounds as it takes: a long technical document's worth of text.
    """
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing (shared/data beside the project).")
    sentences: dict[str, dict[str, None]] = {"en": {}, "zh-Hans": {}, "zh-Hant": {}}
    with (path / "cheatsheets_segments.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sentences["en"][row["en"].strip()] = None
            language = "zh-Hant" if row["locale"] == "zh-TW" else "zh-Hans"
            sentences[language][row["zh"].strip()] = None
    rng = random.Random(seed)
    texts = {}
    for language, distinct in sentences.items():
        lines = [line for line in distinct if line]
        rounds: list[str] = []
        length = 0
        while length < size:
            rng.shuffle(lines)
            chunk = "\n".join(lines) + "\n"
            rounds.append(chunk)
            length += len(chunk.encode())
        texts[language] = "".join(rounds)
    return texts


# --- The files of a run ----------------------------------------------------------------------

IMPORT_FILE = "cc-cedict.csv"
QUERIES_FILE = "queries.json"
TEXTS_FOLDER = "texts"


def prepare(workdir: Path, *, concepts: int, queries: int, text_bytes: int) -> dict[str, int]:
    """Write a run's inputs into ``workdir``: the file to import, the queries and the texts.

    Run in a process of its own (``main``), so that the runner, whose children's peak memory
    is measured, never holds the dictionary: a child starts as large as its parent.
    """
    counted = {"entries": 0, "compounds": 0}
    rng = random.Random(2023)
    kept: list[Entry] = []  # a seeded sample of every entry, for the queries
    room = max(queries * 20, 5000)

    def entries() -> Iterator[Entry]:
        for entry in iter_entries(concepts):
            seen = counted["entries"]
            counted["entries"] += 1
            counted["compounds"] += bool(entry.second)
            if len(kept) < room:
                kept.append(entry)
            elif (slot := rng.randrange(seen + 1)) < room:
                kept[slot] = entry
            yield entry

    write_import_file(entries(), workdir / IMPORT_FILE)
    made = make_queries(kept, queries)
    (workdir / QUERIES_FILE).write_text(
        json.dumps([{"kind": q.kind, "text": q.text} for q in made], ensure_ascii=False),
        encoding="utf-8",
    )
    folder = workdir / TEXTS_FOLDER
    folder.mkdir(exist_ok=True)
    for language, text in check_texts(text_bytes).items():
        (folder / f"{language}.txt").write_text(text, encoding="utf-8")
    return {**counted, "queries": len(made)}


def main(argv: list[str]) -> int:
    """``WORKDIR CONCEPTS QUERIES TEXT_BYTES``: ``prepare``, and print what it wrote as JSON."""
    if len(argv) != 4:
        print(
            "usage: python -m tools.benchmark.data WORKDIR CONCEPTS QUERIES TEXT_BYTES",
            file=sys.stderr,
        )
        return 2
    try:
        made = prepare(
            Path(argv[0]), concepts=int(argv[1]), queries=int(argv[2]), text_bytes=int(argv[3])
        )
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(json.dumps(made))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
