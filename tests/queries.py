"""What a page costs: the queries it makes and the rows each returns."""

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
