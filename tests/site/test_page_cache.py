"""Public pages are cached, and a publication or a new release shows at once."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.core import services
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/en/concepts/generative-ai/"


def republish(concept, editor, reviewers, definition):
    draft = services.draft_start(concept=concept, user=editor)
    services.draft_update(
        version=draft,
        user=editor,
        data=factories.complete_data(definition_en=definition),
        expected_revision=draft.revision,
    )
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)


def test_a_cached_page_changes_the_moment_a_version_is_published(
    client, published, editor, reviewer_us, reviewer_cn
):
    first = client.get(URL)
    assert "AI that produces new content" in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL)
    assert again.content == first.content
    assert len(queries) <= 2, "a cached page costs only the publication stamp"

    republish(published.concept, editor, [reviewer_us, reviewer_cn], "A revised definition.")
    fresh = client.get(URL).content.decode()
    assert "A revised definition." in fresh
    assert "AI that produces new content" not in fresh


def test_a_new_release_refreshes_the_pages(client, published):
    assert "2031.1" not in client.get("/en/").content.decode()
    services.release_cut(name="2031.1", notes="", user=None)
    assert "2031.1" in client.get("/en/").content.decode()


def test_signed_in_people_always_get_a_fresh_page(client, published, editor):
    client.force_login(editor)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    assert len(queries) > 2


def test_each_language_and_page_has_its_own_entry(client, published):
    english = client.get(URL).content.decode()
    chinese = client.get("/zh-hans/concepts/generative-ai/").content.decode()
    assert 'lang="en"' in english[:200] and 'lang="zh-Hans"' in chinese[:200]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_the_shared_cache_is_redis_when_configured(client, published):
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    client.get(URL)
    assert any(key.startswith("glossary:page:") for key in cache.keys("*"))


@pytest.mark.skipif(
    not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL", "").startswith("postgres")),
    reason="needs the production services: DATABASE_URL on PostgreSQL and REDIS_URL (CI has both)",
)
def test_on_postgresql_and_redis_a_publication_refreshes_the_shared_page(
    client, published, editor, reviewer_us, reviewer_cn
):
    """The production pair: pages kept in Redis, the stamp read from PostgreSQL."""
    assert connection.vendor == "postgresql"
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    old = client.get(URL).content
    kept = set(cache.keys("glossary:page:*"))
    assert len(kept) == 1, "the page is in Redis"
    # Another worker, with nothing in its own memory, is served the same page from Redis.
    (key,) = kept
    assert cache.get(key).content == old

    republish(published.concept, editor, [reviewer_us, reviewer_cn], "Published anew.")
    fresh = client.get(URL).content.decode()
    assert "Published anew." in fresh
    assert set(cache.keys("glossary:page:*")) - kept, "the new page is kept under a new key"
