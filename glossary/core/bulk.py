"""Many rows inserted at once, from plain values rather than through the ORM's ``bulk_create``.

Publishing a large batch writes tens of rows per concept (search keys, definition keys); making a
model instance for each and having the ORM prepare it costs more than the database's own work.
Derived rows (``insert_rows``) are written in the publishing transaction and rebuilt by
``rebuild_derived``: no ``save()``, no signals, nothing to validate. The services' own records
are written as the rows ``bulk_create`` would write, from what they have built and checked
already: instances (``insert_objects``: concepts and versions, whose ids are read back), or,
where building an instance for each row would cost more than writing it, plain values
(``insert_rows``: a draft's terms, citations, relations and domains, history events,
reviews). PostgreSQL takes the rows through ``COPY``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

#: What a row may hold: integers, text, booleans and nothing (and a moment from ``db_moment``).
Value = int | str | bool | None

#: Rows handed to the database at a time.
BATCH = 1000


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Value]]
) -> int:
    """Insert ``rows`` (values of ``fields``, attribute names such as ``concept_id``, in order:
    plain values, written as they are) into the model's table; returns how many."""
    if connection.vendor == "postgresql":
        return _copy_rows(model, fields, rows)
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


def _copy_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """PostgreSQL: the rows through ``COPY``, which costs the client far less a row than an
    ``INSERT`` each."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    written = 0
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column, f"{name} is not a column"
    return field.column


#: Fields whose plain values (integers, text, booleans, nothing) the database takes as they are.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)
_PLAIN_VALUES = (int, str, bool, type(None))


def insert_objects(
    model: type[models.Model], objs: Iterable[models.Model], *, returning: bool = False
) -> int:
    """Insert unsaved instances of ``model`` as plain rows, in order; returns how many.

    What ``bulk_create`` writes, without its per-value preparation: a field that stamps the
    time it is added (``auto_now_add``) gets one moment for the whole call, and is set on each
    instance too; a foreign key given as an instance saved since takes its primary key. No
    signal is sent. With ``returning``, each instance gets its primary key back (one
    statement of many rows at a time, as ``bulk_create`` does); without, it gets none: for
    records that are only written, such as history events and reviews, whose ids only order
    them.
    """
    from django.utils import timezone

    fields = [
        field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)
    ]
    now = timezone.now()
    stamp = db_moment(now)
    stamped = {
        field.attname
        for field in fields
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
    }
    plain = [isinstance(field, _PLAIN_FIELDS) for field in fields]
    dated = [isinstance(field, models.DateField) for field in fields]
    related = [field.is_relation and field.many_to_one for field in fields]

    def row(obj: models.Model) -> list[Any]:
        values = []
        for field, is_plain, is_date, is_related in zip(fields, plain, dated, related, strict=True):
            if field.attname in stamped:
                setattr(obj, field.attname, now)
                values.append(stamp)
                continue
            value = getattr(obj, field.attname)
            relation: Any = field  # a ForeignKey, which caches the instance it was given
            if value is None and is_related and relation.is_cached(obj):
                target = relation.get_cached_value(obj)
                if target is not None:
                    value = target.pk
                    setattr(obj, field.attname, value)
            if not ((is_plain and type(value) in _PLAIN_VALUES) or (value is None and is_date)):
                value = field.get_db_prep_save(value, connection)
            values.append(value)
        return values

    names = [field.attname for field in fields]
    if not returning:
        return insert_rows(model, names, (row(obj) for obj in objs))
    return _insert_returning(model, names, [(obj, row(obj)) for obj in objs])


def db_moment(moment: datetime.datetime) -> Any:
    """A moment as the database takes it in a row (what a ``DateTimeField`` writes)."""
    return models.DateTimeField().get_db_prep_save(moment, connection)


def _insert_returning(
    model: type[models.Model], names: list[str], rows: list[tuple[models.Model, list[Any]]]
) -> int:
    """Insert rows a statement of many at a time, giving each instance its primary key.

    PostgreSQL takes the keys from the table's sequence first, in order, and the rows with
    them through ``COPY``: the keys ``bulk_create`` would have given.
    """
    quote = connection.ops.quote_name
    pk = model._meta.pk
    assert pk is not None
    if connection.vendor == "postgresql":
        if not rows:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, _column(model, pk.attname), len(rows)],
            )
            keys = [key for (key,) in cursor.fetchall()]
        for (obj, _values), key in zip(rows, keys, strict=True):
            obj.pk = key
            obj._state.adding = False
            obj._state.db = connection.alias
        return _copy_rows(
            model,
            [pk.attname, *names],
            ([key, *values] for (_obj, values), key in zip(rows, keys, strict=True)),
        )
    columns = ", ".join(quote(_column(model, name)) for name in names)
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    limit = connection.features.max_query_params or 65535
    size = max(1, min(BATCH, limit // max(1, len(names))))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))} "
                f"RETURNING {quote(_column(model, pk.attname))}"
            )
            cursor.execute(sql, [value for _obj, values in chunk for value in values])
            for (obj, _values), (key,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = key
                obj._state.adding = False
                obj._state.db = connection.alias
    return len(rows)
