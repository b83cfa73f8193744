"""Decision records: dialogue rounds, approvals citing them, their public pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.core import services
from glossary.core.choices import Agreement
from glossary.core.models import DialogueRound, RoundAgreement
from glossary.core.services import DraftData
from glossary.core.workflow import WorkflowError
from tests import factories

pytestmark = pytest.mark.django_db


def make_round(editor, key="round-3"):
    return services.dialogue_round_save(
        dialogue_round=DialogueRound(
            key=key,
            name_en="Third round",
            name_zh_hans="第三轮",
            name_zh_hant="第三輪",
            starts_on=dt.date(2025, 5, 12),
            ends_on=dt.date(2025, 5, 13),
            place_en="Beijing",
            us_delegation="A. Linguist\nB. Expert",
            cn_delegation="C. 语言学家",
            summary_en="The sides agreed on frontier AI.",
        ),
        user=editor,
    )


def revise(concept, editor, **texts):
    from glossary.core.models import ConceptVersion

    draft = services.draft_start(concept=concept, user=editor)
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    data.texts.update(texts)
    data.agreement = Agreement.AGREED
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    services.version_submit(version=draft, user=editor, comment="Agreed at the round.")
    return draft


def test_only_editors_record_rounds_and_bad_dates_are_refused(editor, reviewer_us):
    with pytest.raises(WorkflowError):
        make_round(reviewer_us)
    with pytest.raises(ValidationError) as refused:
        services.dialogue_round_save(
            dialogue_round=DialogueRound(
                key="bad", name="Bad", starts_on=dt.date(2025, 5, 2), ends_on=dt.date(2025, 5, 1)
            ),
            user=editor,
        )
    assert "ends_on" in refused.value.message_dict
    assert not DialogueRound.objects.exists()


def test_what_a_round_agreed_is_public_once_published(
    client, published, editor, reviewer_us, reviewer_cn
):
    dialogue_round = make_round(editor)
    draft = revise(published.concept, editor, definition_en="The agreed new definition.")
    with pytest.raises(WorkflowError):
        services.version_review(
            version=draft,
            user=reviewer_us,
            decision="request_changes",
            comment="no",
            dialogue_round=dialogue_round,
        )
    services.version_approve(version=draft, user=reviewer_us, dialogue_round=dialogue_round)
    # Cited while in review: shown nowhere yet.
    page = client.get("/en/rounds/round-3/").content.decode()
    assert "No published version cites this round yet." in page
    services.version_approve(version=draft, user=reviewer_cn, dialogue_round=dialogue_round)
    assert RoundAgreement.objects.count() == 1  # cited by both sides, recorded once
    page = client.get("/zh-hans/rounds/round-3/").content.decode()
    assert "第三轮" in page and "C. 语言学家" in page
    assert f"/zh-hans/concepts/{published.concept.uid}/versions/2/" in page
    assert "definition changed" not in page  # it is in Chinese here
    english = client.get("/en/rounds/round-3/").content.decode()
    assert "definition changed" in english and "new concept" not in english
    history = client.get(f"/en/concepts/{published.concept.uid}/history/").content.decode()
    assert 'href="/en/rounds/round-3/"' in history
    assert "/en/rounds/round-3/" in client.get("/en/rounds/").content.decode()


def test_the_history_and_round_pages_cost_the_same_at_any_size(
    client, editor, reviewer_us, reviewer_cn
):
    dialogue_round = make_round(editor)

    def agree(uid):
        draft = factories.make_draft(editor, uid, factories.complete_data(uid))
        services.version_submit(version=draft, user=editor)
        for reviewer in (reviewer_us, reviewer_cn):
            services.version_approve(version=draft, user=reviewer, dialogue_round=dialogue_round)

    def queries(address):
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    agree("first-concept")
    few = queries("/en/rounds/round-3/"), queries("/en/concepts/first-concept/history/")
    for number in range(6):
        agree(f"concept-{number}")
    assert (queries("/en/rounds/round-3/"), queries("/en/concepts/first-concept/history/")) == few
    assert client.get("/en/rounds/round-3/").content.decode().count("new concept") == 7


def test_a_reviewer_cites_a_round_from_the_admin(client, published, editor, reviewer_us):
    dialogue_round = make_round(editor)
    draft = revise(published.concept, editor, definition_en="Changed at the round.")
    client.force_login(reviewer_us)
    page = client.get(f"/admin/glossary/conceptversion/{draft.pk}/change/").content.decode()
    assert 'name="dialogue_round"' in page and "Third round" in page
    draft.refresh_from_db()
    response = client.post(
        f"/admin/glossary/conceptversion/{draft.pk}/transition/",
        {"action": "approve", "revision": draft.revision, "dialogue_round": dialogue_round.pk},
        follow=True,
    )
    assert "Approved." in response.content.decode()
    assert RoundAgreement.objects.get().version_id == draft.pk


def test_editors_edit_rounds_in_the_admin(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/glossary/dialogueround/add/",
        {
            "key": "round-1",
            "name_en": "First round",
            "name_zh_hans": "第一轮",
            "name_zh_hant": "第一輪",
            "starts_on": "2024-01-10",
            "ends_on": "2024-01-11",
            "place_en": "Washington",
            "us_delegation": "",
            "cn_delegation": "",
            "summary_en": "",
            "minutes_url": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert DialogueRound.objects.get().name_zh_hans == "第一轮"


def test_an_approval_through_the_api_cites_a_round(published, editor, reviewer_us):
    from rest_framework.test import APIClient

    dialogue_round = make_round(editor)
    draft = revise(published.concept, editor, definition_en="Agreed through the API.")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {services.api_token_issue(user=reviewer_us).key}")
    address = f"/api/v1/concepts/{published.concept.uid}/review/"
    unknown = client.post(
        address, {"decision": "approve", "dialogue_round": "no-such-round"}, format="json"
    )
    assert unknown.status_code == 400 and "dialogue_round" in str(unknown.json())
    refused = client.post(
        address,
        {"decision": "request_changes", "comment": "no", "dialogue_round": dialogue_round.key},
        format="json",
    )
    assert refused.status_code in (400, 409)
    assert not RoundAgreement.objects.exists()
    response = client.post(
        address, {"decision": "approve", "dialogue_round": dialogue_round.key}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert RoundAgreement.objects.get().version_id == draft.pk
