"""The admin import page: upload, preview (a dry run), confirm."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from glossary.choices import VersionState
from glossary.models import Concept
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/admin/glossary/concept/import/"
CSV = "en,zh_hans,zh_hant,definition_en,definition_zh,source\ntransformer,变换器,,,,Paper p. 3\n"


def upload(client, content: str | bytes, name: str = "terms.csv", **fields):
    data = content.encode() if isinstance(content, str) else content
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **fields})


def test_the_page_is_linked_from_the_concept_list(client, editor):
    client.force_login(editor)
    assert reverse("admin:glossary_concept_import") == URL
    response = client.get(reverse("admin:glossary_concept_changelist"))
    assert URL in response.content.decode()
    response = client.get(URL)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


def test_upload_preview_confirm(client, editor):
    client.force_login(editor)
    response = upload(client, CSV)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview: nothing has been written yet" in page
    assert "Dry run, nothing was written: 1 created" in page
    assert "transformer" in page
    assert not Concept.objects.exists()
    token = response.context["confirm"].initial["token"]
    response = client.post(URL, {"token": token, "skip_problems": ""})
    assert response.status_code == 200
    assert "Imported as drafts for review: 1 created" in response.content.decode()
    concept = Concept.objects.get(uid="transformer")
    assert concept.open_version.state == VersionState.DRAFT and concept.public_version is None
    # The token is spent: confirming twice does not import twice.
    response = client.post(URL, {"token": token})
    assert response.status_code == 302
    assert Concept.objects.count() == 1


def test_a_file_with_problems_cannot_be_confirmed_unless_they_are_skipped(client, editor):
    client.force_login(editor)
    content = CSV + ",梯度下降,,,,\n"
    response = upload(client, content)
    page = response.content.decode()
    assert response.context["confirm"] is None
    assert "The English term is empty." in page
    assert "nothing was imported" in page
    response = upload(client, content, skip_problems="on")
    assert response.context["confirm"] is not None
    token = response.context["confirm"].initial["token"]
    client.post(URL, {"token": token, "skip_problems": "True"})
    assert list(Concept.objects.values_list("uid", flat=True)) == ["transformer"]


def test_a_hostile_file_is_refused_on_the_form(client, editor):
    client.force_login(editor)
    response = upload(
        client,
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><tbx/>',
        name="evil.tbx",
    )
    assert response.status_code == 200
    assert "The file was refused, nothing changed" in response.content.decode()
    assert "XML entities" in response.content.decode()
    assert not Concept.objects.exists()


def test_a_token_belongs_to_the_person_who_uploaded(client, editor, second_editor):
    client.force_login(editor)
    token = upload(client, CSV).context["confirm"].initial["token"]
    client.force_login(second_editor)
    response = client.post(URL, {"token": token})
    assert response.status_code == 302
    assert not Concept.objects.exists()


def test_only_editors_may_import(client, reviewer_us):
    client.force_login(reviewer_us)
    assert client.get(URL).status_code == 403
    client.force_login(factories.make_user("visitor", staff=False))
    assert client.get(URL).status_code == 302  # to the admin login
