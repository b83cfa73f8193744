"""Many derived rows inserted at once, from plain values rather than model instances.

Publishing a large batch writes tens of rows per concept (search keys, definition keys); making a
model instance for each and having the ORM prepare it costs more than the database's own work.
These rows are derived data only, written in the publishing transaction and rebuilt by
``rebuild_derived``: no ``save()``, no signals, nothing to validate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, models

#: What a row may hold: integers and text.
Value = int | str

#: Rows handed to the database at a time.
BATCH = 1000


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Value]]
) -> int:
    """Insert ``rows`` (values of ``fields``, attribute names such as ``concept_id``, in order:
    integers and text, written as they are) into the model's table; returns how many."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    written = 0
    walk = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(walk, BATCH)):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column, f"{name} is not a column"
    return field.column
