"""The concept payload written from plain rows (``concept_payloads``) is what the serializer that
describes it writes, key order included, for every version of the seed glossary and more."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from glossary.api import serializers as s
from glossary.core import services
from glossary.core.models import ConceptVersion, Release
from glossary.exchange import seed
from tests import factories
from tests.api.test_api import rich_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    """The seed glossary (sources, authorities' renderings, releases, superseded versions),
    a concept with every field and a relation to a draft, and a retired concept."""
    reviewers = [reviewer_us, reviewer_cn]
    hidden = factories.make_draft(editor, uid="draft-only", data=factories.complete_data("x"))
    broader = factories.make_published(editor, reviewers, uid="rich-broader")
    factories.make_published(
        editor, reviewers, uid="rich", data=rich_data([broader.concept, hidden.concept])
    )
    assert seed.load().created
    retirement = services.concept_retire(
        concept=broader.concept, user=administrator, reason="Merged into another concept."
    )
    for reviewer in reviewers:
        services.version_approve(version=retirement, user=reviewer)
    services.release_cut(name="2026.9", user=administrator)


def written(payload) -> str:
    return json.dumps(payload, ensure_ascii=False)


def test_every_public_version_is_written_as_the_serializer_writes_it(glossary, editor):
    """One test, as loading the seed glossary takes seconds."""
    request = RequestFactory().get("/api/v1/concepts/")
    versions = list(ConceptVersion.objects.for_api(public=True).public_history().order_by("pk"))
    assert len(versions) > 100, "the seed glossary and the fixture's concepts"
    assert {v.state for v in versions} == {"published", "superseded", "retired"}
    assert any(v.renderings.all() for v in versions), "authorities' renderings"
    assert any(v.citations.all() for v in versions) and any(v.domains.all() for v in versions)
    records = ConceptVersion.objects.api_records(ids=[v.pk for v in versions])
    assert [r["id"] for r in records] == [v.pk for v in versions]
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for history in (False, True):
                ours = s.concept_payloads(records, request=request, history=history)
                theirs = s.ConceptSerializer(
                    versions, many=True, context={"request": request, "history": history}
                ).data
                assert [written(p) for p in ours] == [written(p) for p in theirs]

    # As each release froze them.
    for release in Release.objects.all():
        versions = list(ConceptVersion.objects.for_api(public=True).in_release(release))
        assert versions
        ours = s.concept_payloads(
            ConceptVersion.objects.api_records(ids=[v.pk for v in versions]),
            request=request,
            release=release,
        )
        theirs = s.ConceptSerializer(
            versions, many=True, context={"request": request, "release": release}
        ).data
        assert [written(p) for p in ours] == [written(p) for p in theirs]

    # The list's pages hold each concept's own payload.
    api = APIClient()
    api.force_authenticate(editor)  # not throttled as an anonymous reader would be
    listed, url = [], "/api/v1/concepts/?page_size=40"
    while url:
        page = api.get(url).json()
        listed.extend(page["results"])
        url = page["next"]
    assert len(listed) == ConceptVersion.objects.public().count()
    for payload in listed:
        assert api.get(f"/api/v1/concepts/{payload['uid']}/").json() == payload
    assert "draft-only" not in {p["uid"] for p in listed}
    rich = next(p for p in listed if p["uid"] == "rich")
    assert rich["relations"] == [{"kind": "broader", "target": "rich-broader"}]


def test_a_page_is_read_in_six_queries_whatever_it_holds(editor, reviewer_us, reviewer_cn):
    reviewers = [reviewer_us, reviewer_cn]
    target = factories.make_published(editor, reviewers, uid="target")
    rich = factories.make_published(editor, reviewers, uid="rich", data=rich_data([target.concept]))
    for i in range(4):
        factories.make_published(editor, reviewers, uid=f"concept-{i}")
    ids = list(ConceptVersion.objects.public().order_by("-pk").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as few:
        ConceptVersion.objects.api_records(ids=ids[:2])
    with CaptureQueriesContext(connection) as many:
        records = ConceptVersion.objects.api_records(ids=ids)
    assert len(few) == len(many) == 6
    assert [r["id"] for r in records] == ids, "in the order asked for"
    (one,) = ConceptVersion.objects.api_records(ids=[rich.pk])
    assert (len(one["terms"]), len(one["citations"]), len(one["domains"])) == (5, 2, 1)
    assert one["relations"] == [{"kind": "broader", "target__uid": "target"}]
    assert ConceptVersion.objects.api_records(ids=[]) == []
