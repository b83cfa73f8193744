import pytest
from django.core.cache import cache
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _reset_language():
    """Every test starts in English and leaves no active language behind."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    return factories.make_user("editor", group="Editors")


@pytest.fixture
def second_editor(db):
    return factories.make_user("editor2", group="Editors")


@pytest.fixture
def reviewer_us(db):
    return factories.make_user("reviewer-us", group="Reviewers", side="us")


@pytest.fixture
def reviewer_cn(db):
    return factories.make_user("reviewer-cn", group="Reviewers", side="cn")


@pytest.fixture
def second_reviewer_us(db):
    return factories.make_user("expert-us", group="Reviewers", side="us", role="expert")


@pytest.fixture
def administrator(db):
    return factories.make_user("chief", group="Administrators")


@pytest.fixture
def draft(editor):
    return factories.make_draft(editor)


@pytest.fixture
def published(editor, reviewer_us, reviewer_cn):
    return factories.make_published(editor, [reviewer_us, reviewer_cn])
