"""Migrations change tables only; derived rows are written by publishing and `rebuild_derived`."""

import ast
import importlib
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from glossary.core.models import (
    DefinitionKey,
    ListCount,
    ListEntry,
    Publication,
    SearchKey,
    TbxEntry,
    Term,
    TermIndexEntry,
)
from tests import factories
from tests.exchange.glossaries import rich_glossary

MIGRATIONS = Path(__file__).resolve().parents[2] / "glossary" / "migrations"


def derived_rows() -> dict[str, list[tuple]]:
    """Every derived row, without the ids that only say in which order rows were written."""
    return {
        "search": sorted(
            SearchKey.objects.values_list(
                "concept_id", "version_id", "term_id", "kind", "key", "rank"
            )
        ),
        "definitions": sorted(DefinitionKey.objects.values_list("concept_id", "version_id", "key")),
        "tbx": sorted(TbxEntry.objects.values_list("version_id", "parts")),
        "lists": sorted(
            ListEntry.objects.values_list("concept_id", "section", "bucket", "key", "weight")
        ),
        "counts": sorted(ListCount.objects.values_list("section", "bucket", "count")),
        # Without the serial, which says when a row was written.
        "terms": sorted(
            TermIndexEntry.objects.values_list(
                "concept_id", "version_id", "uid", "retired", "terms"
            )
        ),
    }


def fresh_build() -> dict[str, list[tuple]]:
    """The derived rows the command writes into empty tables."""
    SearchKey.objects.all().delete()
    DefinitionKey.objects.all().delete()
    TbxEntry.objects.all().delete()
    ListEntry.objects.all().delete()
    ListCount.objects.all().delete()
    TermIndexEntry.objects.all().delete()
    call_command("rebuild_derived", stdout=StringIO())
    return derived_rows()


def test_no_migration_imports_the_app():
    """Migrations use ``apps.get_model``: importing ``glossary`` would run today's code (and
    models) against the tables of an earlier migration."""
    offenders = []
    for path in sorted(MIGRATIONS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
                names = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
            else:
                continue
            offenders += [
                f"{path.name}:{node.lineno} {name}"
                for name in names
                if name == "glossary" or str(name).startswith("glossary.")
            ]
    assert offenders == []


#: The last migration that created a derived table or column (SearchKey.rank).
LAST_DERIVED_TABLE = "0026_search_key_rank"


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_from_every_migration_ends_with_a_fresh_build(
    editor, reviewer_us, reviewer_cn, administrator
):
    """With published, superseded, retired and draft versions in the database: back to each
    earlier migration, forward again, then `rebuild_derived --if-missing` as `make run` does.
    Every time the derived rows are those a fresh build writes; while the migrations kept the
    content as it was, they are also those publishing wrote."""
    rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)
    published = derived_rows()
    assert all(published.values())
    assert fresh_build() == published

    loader = MigrationLoader(connection)
    names = sorted(name for app, name in loader.disk_migrations if app == "glossary")
    latest = names[-1]
    # 0003 added the machine-converted marks that the TBX entries carry: going back before it
    # drops them from the content itself, so from there on only a fresh build can compare.
    content_kept = {name for name in names if name >= "0003"}
    # The migration that added Term.in_sense_only: going back before it drops the flags, which
    # come back unset; they are set again (as an editor would) before the derived rows are read.
    flag_added = next(name for name in names if name.endswith("_term_in_sense_only"))
    flagged = list(Term.objects.filter(in_sense_only=True).values_list("pk", flat=True))
    assert flagged
    try:
        for target in reversed(names[:-1]):
            call_command("migrate", "glossary", target, verbosity=0)
            call_command("migrate", "glossary", latest, verbosity=0)
            if target < flag_added:
                # Past the record's guard (a published term never changes through the models).
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {Term._meta.db_table} SET in_sense_only = %s WHERE id IN "
                        f"({', '.join(['%s'] * len(flagged))})",
                        [True, *flagged],
                    )
            out = StringIO()
            call_command("rebuild_derived", "--if-missing", stdout=out)
            after = derived_rows()
            assert Publication.objects.filter(pk=Publication.ROW).exists(), target
            if target in content_kept:
                assert after == published, target
            if target < LAST_DERIVED_TABLE:
                # Back before a derived table or column existed: its rows were dropped (or
                # lack the column) and are rebuilt.
                assert "rebuilt" in out.getvalue(), target
            else:
                assert "nothing to rebuild" in out.getvalue(), target
            assert fresh_build() == after, target
    finally:
        call_command("migrate", "glossary", latest, verbosity=0)


@pytest.mark.django_db
def test_rebuild_derived_fills_what_is_missing_and_changes_nothing_when_complete(
    editor, reviewer_us, reviewer_cn, administrator
):
    rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)
    published = derived_rows()
    stamp = Publication.objects.stamp()

    out = StringIO()
    call_command("rebuild_derived", "--if-missing", stdout=out)
    assert out.getvalue() == "Derived data complete: nothing to rebuild.\n"
    assert Publication.objects.stamp() == stamp

    TbxEntry.objects.order_by("pk").first().delete()
    SearchKey.objects.filter(
        version_id=SearchKey.objects.order_by("pk").first().version_id
    ).delete()
    call_command("rebuild_derived", "--if-missing", stdout=out)
    assert derived_rows() == published
    assert "search keys:" in out.getvalue() and "TBX entries:" in out.getvalue()
    assert "definition keys:" not in out.getvalue()
    # Caches keyed by the stamp are read afresh.
    assert Publication.objects.stamp()[0] == stamp[0] + 1

    out = StringIO()
    call_command("rebuild_derived", "--only", "definitions", "--batch", "1", stdout=out)
    rows = len(published["definitions"])
    assert out.getvalue() == f"definition keys: {rows} rows rebuilt for 4 concepts.\n"
    assert derived_rows() == published


@pytest.mark.django_db
def test_the_state_order_index_gets_statistics_where_the_database_keeps_them(
    editor, reviewer_us, reviewer_cn
):
    """Migration 0027 analyses the version table, or SQLite, holding statistics for its other
    indexes and none for the new one, sorts every published version for recent changes."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's statistics table; PostgreSQL analyses the table the same way")
    migration = importlib.import_module("glossary.migrations.0027_version_state_order")
    factories.make_published(editor, [reviewer_us, reviewer_cn])
    editor_of_schema = SimpleNamespace(connection=connection)
    with connection.cursor() as cursor:
        # A test that committed may have left statistics (this test's transaction restores them).
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")

    def analysed() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return set()
            cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'glossary_conceptversion'")
            return {row[0] for row in cursor.fetchall()}

    # A database never analysed stays so: nothing to complete.
    migration.refresh_statistics(None, editor_of_schema)
    assert analysed() == set()
    # One analysed before the index: the index is analysed too.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE idx = 'version_state_order'")
    assert "version_state_order" not in analysed() and "version_published_order" in analysed()
    migration.refresh_statistics(None, editor_of_schema)
    assert "version_state_order" in analysed()
