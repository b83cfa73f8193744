"""Renderings through the editorial API: written with the draft, refused with a reason."""

from __future__ import annotations

import pytest

from glossary.core.models import ConceptVersion
from tests import authorities_data
from tests.api.test_api_editorial import client_for, create

pytestmark = pytest.mark.django_db

RENDERING = {
    "authority": "cn-foreign-terms-2024",
    "terms": {"en": "frontier AI", "zh-Hans": "前沿人工智能"},
    "status": "recommended",
    "date": "2024-12",
}


def test_a_draft_created_through_the_api_keeps_its_renderings(editor, administrator):
    authorities_data.authority(administrator)
    response = create(client_for(editor), renderings=[RENDERING])
    assert response.status_code == 201, response.content
    (rendering,) = response.json()["renderings"]
    assert rendering["terms"] == {"en": "frontier AI", "zh-Hans": "前沿人工智能", "zh-Hant": ""}
    assert rendering["authority_kind"] == "list" and rendering["date"] == "2024-12"
    # What the API gave can be sent back as it is (the authority's own fields are ignored).
    api = client_for(editor)
    draft = api.get("/api/v1/drafts/frontier-ai/")
    body = draft.json()
    saved = api.put("/api/v1/drafts/frontier-ai/", body, format="json", HTTP_IF_MATCH=draft["ETag"])
    assert saved.status_code == 200, saved.content
    version = ConceptVersion.objects.get(concept__uid="frontier-ai")
    assert version.renderings.get().term_zh_hans == "前沿人工智能"


@pytest.mark.parametrize(
    ("rendering", "message"),
    [
        ({**RENDERING, "authority": "nobody"}, "There is no authority with the key"),
        ({**RENDERING, "terms": {}}, "at least one language"),
        ({**RENDERING, "status": "liked"}, "not a valid choice"),
    ],
)
def test_a_bad_rendering_is_refused_and_nothing_is_created(
    editor, administrator, rendering, message
):
    authorities_data.authority(administrator)
    response = create(client_for(editor), renderings=[rendering])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ConceptVersion.objects.filter(concept__uid="frontier-ai").exists()
