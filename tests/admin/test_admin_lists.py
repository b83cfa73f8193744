"""The admin's change lists cost the same at any size: no COUNT of the list or of the table, no
counted filter choices, and no query returning more rows than a page shows (and the one row
past it that says whether a next page exists)."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from glossary.core import services
from glossary.core.models import Concept, ConceptVersion, Event, Job, JobKind, Review
from tests import factories
from tests.queries import measure, sqlite_steps

pytestmark = pytest.mark.django_db

PAGE = 3
#: Terms of a page of concepts, each with its public and open version, are the most a page reads.
LIMIT = 60


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    for model in (Concept, ConceptVersion, Event, Job, Review):
        monkeypatch.setattr(admin.site._registry[model], "list_per_page", PAGE)


def grow(editor, reviewers, start, count):
    """Published concepts, each with a draft in review, and a job of the editor's per concept."""
    for i in range(start, start + count):
        data = factories.complete_data(f"gamma concept {i:03}", f"伽马{i}", f"伽瑪{i}")
        version = factories.make_published(editor, reviewers, uid=f"concept-{i:03}", data=data)
        draft = services.draft_start(concept=version.concept, user=editor)
        draft = factories.edit_draft(draft, editor)
        services.version_submit(version=draft, user=editor)
        services.job_create(
            owner=editor, kind=JobKind.IMPORT_PREVIEW, params={"filename": f"f{i}.csv"}
        )


def lists():
    concepts = reverse("admin:glossary_concept_changelist")
    versions = reverse("admin:glossary_conceptversion_changelist")
    return [
        ("editor", concepts),
        ("editor", concepts + "?p=2"),
        ("editor", concepts + "?q=gamma&status=published"),
        ("editor", concepts + "?q=伽瑪&domain=generative-ai&p=2"),
        ("editor", versions),
        ("editor", versions + "?state=in_review&p=2"),
        ("editor", versions + "?q=concept-00"),
        ("reviewer_us", versions + "?waiting=me"),
        ("reviewer_us", versions + "?waiting=me&p=2"),
        ("editor", reverse("admin:glossary_event_changelist")),
        ("editor", reverse("admin:glossary_event_changelist") + "?action=submit&p=2"),
        ("reviewer_us", reverse("admin:glossary_review_changelist") + "?p=2"),
        ("editor", reverse("admin:glossary_job_changelist")),
        ("editor", reverse("admin:glossary_job_changelist") + "?state=queued&p=2"),
        ("administrator", reverse("admin:glossary_release_changelist")),
    ]


def check(client, users, address, user):
    client.force_login(users[user])
    measured = measure(client, address)
    for sql, rows in measured:
        assert "COUNT(" not in sql.upper(), (address, sql)
        assert rows <= LIMIT, (address, rows, sql)
    return [rows for _sql, rows in measured]


def test_admin_lists_read_only_what_they_show_at_any_size(
    client, editor, reviewer_us, reviewer_cn, administrator
):
    reviewers = [reviewer_us, reviewer_cn]
    users = {"editor": editor, "reviewer_us": reviewer_us, "administrator": administrator}
    grow(editor, reviewers, 0, 8)
    services.release_cut(name="2024.1", user=administrator)
    before = {address: check(client, users, address, user) for user, address in lists()}
    grow(editor, reviewers, 8, 10)
    services.release_cut(name="2024.2", user=administrator)
    for user, address in lists():
        after = check(client, users, address, user)
        if "release" in address:
            assert len(after) == len(before[address])  # one row more: a release was cut
            continue
        assert after == before[address], address


def test_admin_lists_page_with_previous_and_next(client, editor, reviewer_us, reviewer_cn):
    grow(editor, [reviewer_us, reviewer_cn], 0, 7)
    client.force_login(reviewer_us)
    url = reverse("admin:glossary_conceptversion_changelist") + "?waiting=me"
    shown = []
    for page in (1, 2, 3):
        html = client.get(f"{url}&p={page}").content.decode()
        shown += re.findall(
            r"concept-(\d{3})", html.split('id="result_list"')[1].split("</table>")[0]
        )
        assert ('rel="next"' in html) == (page < 3)
        assert ('rel="prev"' in html) == (page > 1)
        assert f"Page {page}" in html
        assert " results" not in html and "total" not in html
    # Every version waiting for the reviewer, once (each row names its concept twice at most).
    assert sorted(set(shown)) == [f"{i:03}" for i in range(7)]
    # Past the last page: the change list's own "wrong parameters" answer, not an error.
    response = client.get(f"{url}&p=4")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    # Search and filters still narrow the list.
    html = client.get(
        reverse("admin:glossary_concept_changelist") + "?q=concept-006"
    ).content.decode()
    assert "concept-006" in html and "concept-005" not in html


def test_a_list_of_one_state_walks_only_that_state(client, editor, reviewer_us, reviewer_cn):
    """The reviewers' inbox and the state filter, with nothing in that state: the page walks
    the same few rows whether the glossary has 20 published versions or 120 (it walked every
    version in the list's order, passing them all, before the index on state and order)."""
    if connection.vendor != "sqlite":
        pytest.skip("counts SQLite's steps; the index serves PostgreSQL alike")
    reviewers = [reviewer_us, reviewer_cn]
    versions = reverse("admin:glossary_conceptversion_changelist")
    addresses = [("reviewer_us", versions + "?waiting=me"), ("editor", versions + "?state=draft")]
    users = {"editor": editor, "reviewer_us": reviewer_us}
    walked = []
    for start, count in ((0, 20), (20, 100)):
        for i in range(start, start + count):
            data = factories.complete_data(f"delta concept {i:03}", f"德尔塔{i}", f"德爾塔{i}")
            factories.make_published(editor, reviewers, uid=f"delta-{i:03}", data=data)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        walked.append([])
        for user, address in addresses:
            client.force_login(users[user])
            walked[-1].append(sqlite_steps(client, address))
    for small, large in zip(*walked, strict=True):
        assert large <= small + 1, walked
