"""What a page costs: the queries it makes, the rows each returns, and (on SQLite) the rows
they walk."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(client, address):
    """(SQL, rows returned) of every query the page made, each run again to count its rows."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    measured = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                cursor.execute(sql)
                measured.append((sql, len(cursor.fetchall())))
            else:
                measured.append((sql, 0))
    return measured


def sqlite_steps(client, address):
    """How much work SQLite did for a page, uncached: its virtual machine's steps, in hundreds,
    which grow with the rows its queries walk, returned or not."""
    counted = [0]

    def step():
        counted[0] += 1
        return 0

    cache.clear()
    connection.ensure_connection()
    connection.connection.set_progress_handler(step, 100)
    try:
        assert client.get(address).status_code == 200, address
    finally:
        connection.connection.set_progress_handler(None, 0)
    return counted[0]
