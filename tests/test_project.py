"""Project-level promises: migrations match the models, settings refuse to run half-set."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_migrations_are_named():
    names = [p.stem for p in (ROOT / "glossary" / "migrations").glob("0*.py")]
    assert names and not [n for n in names if "auto" in n]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without(missing):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "sqlite:///prod-check.sqlite3",
        "ALLOWED_HOSTS": "glossary.example.org",
    }
    env.pop(missing)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_deploy_checks_pass_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "ALLOWED_HOSTS": "glossary.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_groups_table_matches_what_migration_0002_created():
    import importlib

    from glossary.core import roles

    frozen = importlib.import_module("glossary.migrations.0002_groups").GROUPS
    # Later migrations grant more to some groups: the public consultation's rights.
    consultation = importlib.import_module("glossary.migrations.0023_consultation")
    # And the authorities' rights (issue 18).
    authorities = importlib.import_module("glossary.migrations.0024_authorities")
    expected = {
        name: sorted(
            [
                *codenames,
                *(consultation.CONSULTATION if name in consultation.GROUPS else []),
                *authorities.GRANTS.get(name, []),
            ]
        )
        for name, codenames in frozen.items()
    }
    assert expected == {name: sorted(codenames) for name, codenames in roles.GROUPS.items()}


@pytest.mark.django_db
def test_groups_come_back_after_a_flush():
    from django.contrib.auth.models import Group

    from glossary.core import roles

    Group.objects.all().delete()
    roles.ensure_groups()
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.GROUPS)
    assert (
        Group.objects.get(name="Reviewers").permissions.filter(codename="review_version").exists()
    )
