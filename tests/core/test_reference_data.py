"""Sources and domains that anything beyond a draft cites are frozen: the public changes only
through review. A correction is a copy under a new key, cited in a new draft and reviewed."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from glossary.core import services
from glossary.core.guards import ImmutableError
from glossary.core.models import Domain, Source
from glossary.core.services import CitationData
from glossary.core.workflow import WorkflowError
from glossary.exchange import formats, importer
from glossary.exchange import published as snapshot
from tests import factories
from tests.exchange.glossaries import rich_glossary

pytestmark = pytest.mark.django_db

CONCEPT = "/en/concepts/generative-ai/"
RELEASE_PAGE = "/en/releases/2024.1/concepts/generative-ai/"
API_CONCEPT = "/api/v1/concepts/generative-ai/"
PHISHING = "https://phishing.example/login"


@pytest.fixture
def released(published):
    services.release_cut(name="2024.1", user=None)
    return published


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def public() -> dict[str, object]:
    """Everything the public reads about the concept, read as an anonymous client would."""
    reader = Client()
    seen: dict[str, object] = {}
    for url in [
        API_CONCEPT,
        "/api/v1/domains/",
        "/api/v1/export/tbx/",
        "/api/v1/export/json/",
        "/api/v1/export/tbx/?release=2024.1",
        "/api/v1/export/json/?release=2024.1",
    ]:
        response = reader.get(url)
        assert response.status_code == 200, url
        seen[url] = body(response)
        if response.has_header("ETag"):
            seen[f"{url} ETag"] = response["ETag"]
    for url in [CONCEPT, RELEASE_PAGE, "/zh-hans/concepts/generative-ai/"]:
        response = reader.get(url)
        assert response.status_code == 200, url
        seen[url] = body(response)
    return seen


def source_form(source: Source, **changes: str) -> dict[str, str]:
    data = {
        "key": source.key,
        "title": source.title,
        "publisher": source.publisher,
        "jurisdiction": source.jurisdiction,
        "published_on": source.published_on.isoformat() if source.published_on else "",
        "url": source.url,
        "language": source.language,
    }
    return {**data, **changes}


def domain_form(domain: Domain, **changes: str) -> dict[str, str]:
    data = {
        "key": domain.key,
        "name_en": domain.name_en,
        "name_zh_hans": domain.name_zh_hans,
        "name_zh_hant": domain.name_zh_hant,
    }
    return {**data, **changes}


def republish_citing(concept, editor, reviewers, *, source=None, domain=None):
    """A new draft citing the corrected copy, through review to publication."""
    draft = services.draft_start(concept=concept, user=editor)
    data = factories.complete_data()
    if source is not None:
        data.citations = [CitationData(source=source, locator="第二十二条")]
    if domain is not None:
        data.domains = [domain]
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)


# The guard in the model and its queryset ------------------------------------------------


def test_a_source_cited_beyond_drafts_cannot_change_in_place(published):
    source = Source.objects.get(key="cn-genai-measures")
    assert source.is_frozen()
    source.url = PHISHING
    with pytest.raises(ImmutableError):
        source.save()
    with pytest.raises(ImmutableError):
        Source.objects.filter(pk=source.pk).update(url=PHISHING)
    with pytest.raises(ImmutableError):
        Source.objects.bulk_update([source], ["url"])
    with pytest.raises(ImmutableError):
        Source.objects.bulk_create(
            [Source(key=source.key, title="Evil")],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["title"],
        )
    with pytest.raises(ImmutableError):
        Source.objects.get(pk=source.pk).delete()
    with pytest.raises(ImmutableError):
        Source.objects.filter(pk=source.pk).delete()
    stored = Source.objects.get(pk=source.pk)
    assert (stored.url, stored.title) == ("", "Source cn-genai-measures")
    stored.save()  # saving it unchanged is harmless


def test_a_domain_cited_beyond_drafts_cannot_be_renamed_in_any_language(published):
    for field in ["name_en", "name_zh_hans", "name_zh_hant", "key"]:
        domain = Domain.objects.get(key="generative-ai")
        setattr(domain, field, "renamed")
        with pytest.raises(ImmutableError):
            domain.save()
        with pytest.raises(ImmutableError):
            Domain.objects.filter(pk=domain.pk).update(**{field: "renamed"})
    with pytest.raises(ImmutableError):
        Domain.objects.filter(key="generative-ai").delete()
    assert Domain.objects.get(key="generative-ai").name_zh_hant == "generative-ai"


def test_a_version_in_review_freezes_what_it_cites(editor, draft):
    source = Source.objects.get(key="cn-genai-measures")
    assert not source.is_frozen()
    services.version_submit(version=draft, user=editor)
    source.title = "Changed while in review"
    with pytest.raises(ImmutableError):
        source.save()
    assert Domain.objects.get(key="generative-ai").is_frozen()


def test_rows_only_drafts_cite_stay_editable(draft):
    source = Source.objects.get(key="cn-genai-measures")
    source.url = "https://www.cac.gov.cn/"
    source.save()
    Source.objects.filter(pk=source.pk).update(publisher="CAC")
    Domain.objects.filter(key="generative-ai").update(name_zh_hant="生成式人工智慧")
    assert Source.objects.get(pk=source.pk).publisher == "CAC"
    with pytest.raises(IntegrityError):
        # Still protected from deletion by the draft that cites it, as before.
        Source.objects.filter(pk=source.pk).delete()


# The admin --------------------------------------------------------------------------------


def test_editing_a_published_source_in_the_admin_is_refused_and_nothing_public_changes(
    client, editor, released
):
    before = public()
    source = Source.objects.get(key="cn-genai-measures")
    client.force_login(editor)
    url = reverse("admin:glossary_source_change", args=[source.pk])
    page = client.get(url)
    content = page.content.decode()
    assert "Cited by published versions: to correct it, make a corrected copy" in content
    assert "Make a corrected copy" in content
    assert 'name="_save"' not in content, "a frozen source has no save button"
    forged = client.post(url, source_form(source, title="Evil", url=PHISHING))
    assert forged.status_code == 403
    assert Source.objects.get(pk=source.pk).url == ""
    assert public() == before
    cache.clear()
    assert public() == before, "rendered afresh, nothing public changed either"


def test_editing_a_published_domain_name_in_the_admin_is_refused(client, administrator, released):
    before = public()
    domain = Domain.objects.get(key="generative-ai")
    client.force_login(administrator)
    url = reverse("admin:glossary_domain_change", args=[domain.pk])
    assert "make a corrected copy" in client.get(url).content.decode()
    for field in ["name_en", "name_zh_hans", "name_zh_hant"]:
        response = client.post(url, domain_form(domain, **{field: "phishing"}))
        assert response.status_code == 403
    domain.refresh_from_db()
    assert (domain.name_en, domain.name_zh_hans, domain.name_zh_hant) == ("generative-ai",) * 3
    assert public() == before
    cache.clear()
    assert public() == before


def test_a_draft_only_source_is_edited_in_the_admin(client, editor):
    source = factories.source("draft-only")
    data = factories.complete_data()
    data.citations = [CitationData(source=source)]
    factories.make_draft(editor, data=data)
    client.force_login(editor)
    url = reverse("admin:glossary_source_change", args=[source.pk])
    assert "Make a corrected copy" not in client.get(url).content.decode()
    response = client.post(url, source_form(source, url="https://example.org/measures"))
    assert response.status_code == 302
    assert Source.objects.get(pk=source.pk).url == "https://example.org/measures"


def test_a_draft_only_domain_is_renamed_in_the_admin(client, administrator, draft):
    domain = Domain.objects.get(key="generative-ai")
    client.force_login(administrator)
    url = reverse("admin:glossary_domain_change", args=[domain.pk])
    names = {"name_en": "generative AI", "name_zh_hans": "生成式AI", "name_zh_hant": "生成式AI"}
    response = client.post(url, domain_form(domain, **names))
    assert response.status_code == 302
    domain.refresh_from_db()
    assert (domain.name_en, domain.name_zh_hans, domain.name_zh_hant) == tuple(names.values())


def test_the_service_refuses_a_frozen_row_whatever_calls_it(editor, published):
    source = Source.objects.get(key="cn-genai-measures")
    source.title = "Evil"
    with pytest.raises(WorkflowError) as refused:
        services.source_save(source=source, user=editor)
    assert refused.value.code == "frozen"
    assert Source.objects.get(pk=source.pk).title == "Source cn-genai-measures"


def test_the_source_list_shows_which_are_frozen_and_offers_copies(client, editor, released):
    client.force_login(editor)
    url = reverse("admin:glossary_source_changelist")
    listing = client.get(url).content.decode()
    assert "Make a corrected copy" in listing
    source = Source.objects.get(key="cn-genai-measures")
    response = client.post(
        url, {"action": "make_corrected_copies", "_selected_action": [source.pk]}
    )
    assert response.status_code == 302
    copy = Source.objects.get(key="cn-genai-measures-2")
    assert (copy.title, copy.jurisdiction) == (source.title, source.jurisdiction)


# The corrected copy, through review -----------------------------------------------------


def test_a_corrected_source_reaches_the_public_only_through_review(
    client, editor, reviewer_us, reviewer_cn, released
):
    source = Source.objects.get(key="cn-genai-measures")
    client.force_login(editor)
    response = client.post(reverse("admin:glossary_source_copy", args=[source.pk]))
    copy = Source.objects.get(key="cn-genai-measures-2")
    assert response["Location"] == reverse("admin:glossary_source_change", args=[copy.pk])
    assert not copy.is_frozen()
    change = reverse("admin:glossary_source_change", args=[copy.pk])
    corrected = source_form(copy, title="Corrected Interim Measures", url="https://cac.gov.cn/")
    assert client.post(change, corrected).status_code == 302

    before = public()
    assert b"Corrected Interim Measures" not in before[CONCEPT]
    concept = released.concept
    republish_citing(concept, editor, [], source=copy)
    assert public() == before, "a version in review citing the copy changes nothing public"

    concept.refresh_from_db()
    for reviewer in [reviewer_us, reviewer_cn]:
        services.version_approve(version=concept.open_version, user=reviewer)
    after = public()
    assert after[f"{API_CONCEPT} ETag"] != before[f"{API_CONCEPT} ETag"]
    assert b"Corrected Interim Measures" in after[CONCEPT]
    assert b"https://cac.gov.cn/" in after[CONCEPT]
    assert b"Corrected Interim Measures" in after[API_CONCEPT]
    assert b"Corrected Interim Measures" in after["/api/v1/export/tbx/"]
    # The release keeps what it was cut with (its page now says the concept changed since).
    for url in ["/api/v1/export/tbx/?release=2024.1", "/api/v1/export/json/?release=2024.1"]:
        assert after[url] == before[url]
    assert b"Source cn-genai-measures" in after[RELEASE_PAGE]
    assert b"Corrected Interim Measures" not in after[RELEASE_PAGE]
    assert Source.objects.get(pk=source.pk).title == "Source cn-genai-measures"
    assert copy.refresh_from_db() is None and copy.is_frozen()


def test_a_corrected_domain_reaches_the_public_only_through_review(
    client, editor, administrator, reviewer_us, reviewer_cn, released
):
    domain = Domain.objects.get(key="generative-ai")
    client.force_login(editor)
    copy_url = reverse("admin:glossary_domain_copy", args=[domain.pk])
    assert client.post(copy_url).status_code == 302
    assert not Domain.objects.filter(key="generative-ai-2").exists(), "editors add no domains"
    client.force_login(administrator)
    client.post(copy_url)
    copy = Domain.objects.get(key="generative-ai-2")
    names = {
        "name_en": "Generative AI field",
        "name_zh_hans": "生成式人工智能领域",
        "name_zh_hant": "生成式人工智慧領域",
    }
    change = reverse("admin:glossary_domain_change", args=[copy.pk])
    assert client.post(change, domain_form(copy, **names)).status_code == 302

    before = public()
    concept = released.concept
    republish_citing(concept, editor, [reviewer_us, reviewer_cn], domain=copy)
    after = public()
    assert after[f"{API_CONCEPT} ETag"] != before[f"{API_CONCEPT} ETag"]
    assert after["/api/v1/domains/ ETag"] != before["/api/v1/domains/ ETag"]
    for name in names.values():
        assert name.encode() in after[API_CONCEPT]
    assert "生成式人工智能领域".encode() in after["/zh-hans/concepts/generative-ai/"]
    for url in ["/api/v1/export/tbx/?release=2024.1", "/api/v1/export/json/?release=2024.1"]:
        assert after[url] == before[url]
    assert "生成式人工智慧領域".encode() not in after["/api/v1/export/json/?release=2024.1"]


# Imports -----------------------------------------------------------------------------------


def test_an_import_describing_a_frozen_source_otherwise_keeps_it_and_says_so(editor, released):
    exported = b"".join(formats.stream(formats.EXPORTS["tbx"], snapshot.prepare()))
    assert b"Source cn-genai-measures" in exported
    hostile = exported.replace(b"Source cn-genai-measures", b"Phishing measures")
    report = importer.import_file(formats.read(hostile), user=editor)
    assert Source.objects.get(key="cn-genai-measures").title == "Source cn-genai-measures"
    said = [w for w in report.warnings if "cn-genai-measures" in w]
    assert said and "published versions cite it, so it is not changed" in said[0]
    assert len(said) == 1


def test_an_import_naming_a_frozen_domain_otherwise_keeps_it_and_says_so(
    editor, reviewer_us, reviewer_cn, administrator
):
    rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)
    exported = b"".join(formats.stream(formats.EXPORTS["tbx"], snapshot.prepare()))
    assert "人工智慧治理".encode() in exported
    hostile = exported.replace("人工智慧治理".encode(), "釣魚治理".encode())
    report = importer.import_file(formats.read(hostile), user=editor)
    assert Domain.objects.get(key="governance").name_zh_hant == "人工智慧治理"
    said = [w for w in report.warnings if "governance" in w]
    assert len(said) == 1 and "published versions are filed under it" in said[0]


def test_new_sources_and_domains_are_added_in_the_admin(client, editor, administrator):
    client.force_login(editor)
    source = Source(key="eu-ai-act", title="EU AI Act", jurisdiction="", language="en")
    response = client.post(reverse("admin:glossary_source_add"), source_form(source))
    assert response.status_code == 302
    assert Source.objects.get(key="eu-ai-act").title == "EU AI Act"
    domain = Domain(
        key="robotics", name_en="Robotics", name_zh_hans="机器人学", name_zh_hant="機器人學"
    )
    assert client.post(reverse("admin:glossary_domain_add"), domain_form(domain)).status_code == 403
    client.force_login(administrator)
    response = client.post(reverse("admin:glossary_domain_add"), domain_form(domain))
    assert response.status_code == 302
    added = Domain.objects.get(key="robotics")
    assert (added.name_en, added.name_zh_hans, added.name_zh_hant) == (
        "Robotics",
        "机器人学",
        "機器人學",
    )
