"""The benchmark's bulk loader writes exactly the rows the importer would.

A small file is imported whole through the importer, and, separately, its first entries through
the importer and the rest through the bulk loader; the two databases are then compared table by
table, every row of every table, ignoring only what differs from one run to another whatever
writes it: ids (references are compared by what they point to), timestamps, and the publication
serial, a counter of the publishing transactions (the loader publishes its own batches), and
the accounts' random unusable passwords.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction

from glossary.search import keys
from tools.benchmark import bulk, data, stages

#: Columns that differ from one run to another whatever writes them: the counter of publishing
#: transactions, and the accounts' unusable passwords (random).
IGNORED = {
    ("glossary", "termindexentry", "serial"),
    ("glossary", "publication", "serial"),
    ("auth", "user", "password"),
}

#: The search key's rank ends its sort order with the concept's and the term's ids (a tie-break):
#: compared without them, as ids are.
RANK = ("glossary", "searchkey", "rank")


def _value(name: tuple[str, str, str], value: object) -> str:
    if name == RANK and isinstance(value, str):
        start = keys.rank_ids_start(value)
        value = value[:start] + value[start + 2 * keys.RANK_ID_DIGITS :]
    return repr(value)


def _dictionary(path, rows):
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["en", "zh_hans", "zh_hant", "definition_en", "source"])
        for line, (en, hans, hant, pinyin) in enumerate(rows, start=30):
            writer.writerow([en, hans, hant, en, f"CC-CEDICT:{line} 人 [{pinyin}]"])
    return path


@pytest.fixture
def import_file(tmp_path):
    """18 entries: 6 of the dictionary (two whose identifiers collide, "C++" and "C"), then
    12 compounds of them, which cite two lines of the one source."""
    source = _dictionary(
        tmp_path / "cedict.csv.gz",
        [
            ("to eat", "吃", "吃", "chi1"),
            ("rice", "饭", "飯", "fan4"),
            ("C++", "丙", "丙", "bing3"),
            ("water", "水", "水", "shui3"),
            ("C", "丁", "丁", "ding1"),
            ("tea", "茶", "茶", "cha2"),
        ],
    )
    path = tmp_path / "whole.csv"
    data.write_import_file(data.iter_entries(18, source), path)
    return path


def _snapshot() -> dict[str, Counter]:
    """Every row of every table, as what it holds (see the module docstring)."""
    natural: dict[type[models.Model], object] = {
        apps.get_model("glossary", "Concept"): lambda row: row.uid,
        apps.get_model("glossary", "ConceptVersion"): lambda row: (row.concept.uid, row.number),
        get_user_model(): lambda row: row.get_username(),
    }
    seen: dict[tuple[type[models.Model], object], object] = {}

    def held(row: models.Model) -> object:
        model = type(row)
        if model in natural:
            return natural[model](row)  # type: ignore[operator]
        if (model, row.pk) not in seen:
            values = []
            for field in model._meta.concrete_fields:
                name = (model._meta.app_label, model._meta.model_name, field.name)
                if field.primary_key or isinstance(field, models.DateTimeField) or name in IGNORED:
                    continue
                if field.is_relation:
                    target = getattr(row, field.name)
                    values.append((field.name, None if target is None else held(target)))
                else:
                    values.append((field.name, _value(name, field.value_from_object(row))))
            seen[(model, row.pk)] = tuple(values)
        return seen[(model, row.pk)]

    tables = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = Counter()
        for row in model._base_manager.all():
            rows[repr(held(row) if model not in natural else _fields(row, held))] += 1
        tables[model._meta.db_table] = rows
    return tables


def _fields(row: models.Model, held) -> tuple:
    """A row of a model known by a natural key, with all it holds."""
    values = []
    meta = type(row)._meta
    for field in meta.concrete_fields:
        name = (meta.app_label, meta.model_name, field.name)
        if field.primary_key or isinstance(field, models.DateTimeField) or name in IGNORED:
            continue
        if field.is_relation:
            target = getattr(row, field.name)
            values.append((field.name, None if target is None else held(target)))
        else:
            values.append((field.name, _value(name, field.value_from_object(row))))
    return tuple(values)


def _built(path, tmp_path, imported: int | None) -> dict[str, Counter]:
    """The database after the import of ``path`` (with ``imported``: of its first entries,
    then the bulk loader for the rest), rolled back once read."""
    with transaction.atomic():
        stages.accounts()
        if imported is None:
            stages.import_file(str(path), str(tmp_path / "import.log"))
        else:
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            start = tmp_path / "start.csv"
            start.write_text("".join(lines[: imported + 1]), encoding="utf-8")
            stages.import_file(str(start), str(tmp_path / "import.log"))
            assert (
                stages.bulk_load(str(path), str(imported))["concepts"] == len(lines) - 1 - imported
            )
        found = _snapshot()
        transaction.set_rollback(True)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("imported", [1, 4])
def test_the_bulk_loader_writes_the_rows_the_importer_writes(import_file, tmp_path, imported):
    whole = _built(import_file, tmp_path, None)
    loaded = _built(import_file, tmp_path, imported)
    concepts = apps.get_model("glossary", "Concept")._meta.db_table
    assert sum(whole[concepts].values()) == 18
    # "C" after "C++": the numbered identifier.
    assert any("'c-2'" in row for row in whole[concepts])
    differing = [table for table in whole if whole[table] != loaded[table]]
    assert not differing, {t: (whole[t] - loaded[t], loaded[t] - whole[t]) for t in differing}


@pytest.mark.django_db
def test_the_bulk_loader_refuses_a_glossary_that_is_not_the_files_start(import_file, tmp_path):
    stages.accounts()
    with pytest.raises(bulk.BulkLoadError, match="exactly the 3 concepts"):
        stages.bulk_load(str(import_file), "3")


@pytest.mark.django_db
def test_the_bulk_loader_refuses_a_repeated_english_term(import_file, tmp_path):
    lines = import_file.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "repeated.csv"
    path.write_text("".join([*lines[:3], lines[1].replace("CC-CEDICT line", "CC-CEDICT row")]))
    stages.accounts()
    start = tmp_path / "start.csv"
    start.write_text("".join(lines[:2]), encoding="utf-8")
    stages.import_file(str(start), str(tmp_path / "import.log"))
    with pytest.raises(bulk.BulkLoadError, match="Two entries of the file"):
        stages.bulk_load(str(path), "1")
