"""The admin import page: upload, preview (a dry run), confirm; both steps run as jobs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from glossary.core.choices import VersionState
from glossary.core.models import Concept
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/admin/glossary/concept/import/"
CSV = "en,zh_hans,zh_hant,definition_en,definition_zh,source\ntransformer,变换器,,,,Paper p. 3\n"


def upload(client, content: str | bytes, name: str = "terms.csv", **fields):
    data = content.encode() if isinstance(content, str) else content
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **fields}, follow=True)


def confirm(client, response, **fields):
    """Confirm the preview shown on a job's page; follows to the import's own job page."""
    preview = response.context["confirm"].initial["preview"]
    return client.post(URL, {"preview": preview, **fields}, follow=True)


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
    preview = response.context["confirm"].initial["preview"]
    response = confirm(client, response)
    assert response.status_code == 200
    assert "Imported as drafts for review: 1 created" in response.content.decode()
    concept = Concept.objects.get(uid="transformer")
    assert concept.open_version.state == VersionState.DRAFT and concept.public_version is None
    # The preview is spent: confirming twice does not import twice.
    response = client.post(URL, {"preview": preview})
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
    confirm(client, response)
    assert list(Concept.objects.values_list("uid", flat=True)) == ["transformer"]


def test_a_hostile_file_is_refused_on_its_job_page(client, editor):
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


def test_a_preview_belongs_to_the_person_who_uploaded(client, editor, second_editor):
    client.force_login(editor)
    response = upload(client, CSV)
    preview = response.context["confirm"].initial["preview"]
    client.force_login(second_editor)
    assert client.get(response.redirect_chain[-1][0]).status_code == 403
    response = client.post(URL, {"preview": preview})
    assert response.status_code == 302
    assert not Concept.objects.exists()


def test_only_editors_may_import(client, reviewer_us):
    client.force_login(reviewer_us)
    assert client.get(URL).status_code == 403
    client.force_login(factories.make_user("visitor", staff=False))
    assert client.get(URL).status_code == 302  # to the admin login


def test_a_truncated_file_is_refused_on_its_job_page_even_when_skipping(client, editor):
    client.force_login(editor)
    whole = CSV + "attention,注意力,注意力,Focus.,关注。,Paper p. 4\n"
    for cut in (whole[: whole.index("Focus.") + 3], whole[: whole.index("关注")]):
        for fields in ({}, {"skip_problems": "on"}):
            response = upload(client, cut, **fields)
            page = response.content.decode()
            assert response.context.get("report") is None
            assert "The file was refused, nothing changed" in page
            assert "The last row (line 3) has" in page and "looks truncated" in page
    quoted = CSV + 'attention,注意力,注意力,"Focus,\nand more'
    page = upload(client, quoted, skip_problems="on").content.decode()
    assert "The file ends inside a quoted cell of the row that starts on line 3" in page
    assert not Concept.objects.exists()


def test_skipped_entries_are_shown_before_and_after_the_import(client, editor):
    client.force_login(editor)
    content = CSV + ",梯度下降,,,,\nattention,注意力\n"
    response = upload(client, content, skip_problems="on")
    page = response.content.decode()
    assert (
        "1 entry will NOT be imported when you confirm (you chose to skip entries with "
        "conflicts or errors):" in page
    )
    start = page.index("glossary-import-skipped")
    skipped = page[start : page.index("</div>", start)]
    assert "line 3" in skipped and "error: not imported" in skipped
    assert "The English term is empty." in skipped
    assert "1 entry would NOT be imported" in page
    response = confirm(client, response)
    page = response.content.decode()
    assert (
        "1 entry was NOT imported (skipped because of its conflict or error, as you chose):" in page
    )
    summary = "1 entry was NOT imported (skipped because of its conflict or error, as requested)."
    assert summary in page
    assert summary in response.context["job"].message
    assert sorted(Concept.objects.values_list("uid", flat=True)) == ["attention", "transformer"]


def test_an_import_without_problems_shows_no_skipped_block(client, editor):
    client.force_login(editor)
    response = upload(client, CSV, skip_problems="on")
    assert "glossary-import-skipped" not in response.content.decode()
    response = confirm(client, response)
    assert "glossary-import-skipped" not in response.content.decode()
    assert response.context["job"].state == "done"
    assert "Imported as drafts for review: 1 created" in response.context["job"].message
