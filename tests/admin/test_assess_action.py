"""The admin action that sets the agreement state and maturity of selected drafts: an
intermediate page where the editor chooses both, then a confirmation; non-drafts are named and
left alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glossary.core import services
from glossary.core.choices import Agreement, EventAction, Maturity, VersionState
from glossary.core.models import ConceptVersion
from tests import factories

pytestmark = pytest.mark.django_db

URL = "admin:glossary_conceptversion_changelist"


def unassessed(editor, uid: str) -> ConceptVersion:
    data = factories.concept_data(uid.replace("-", " "), "概念" + uid)
    data.agreement, data.maturity = Agreement.NOT_ASSESSED, Maturity.NOT_ASSESSED
    return factories.make_draft(editor, uid=uid, data=data)


def assessed(uid: str) -> tuple[str, str]:
    return (
        ConceptVersion.objects.filter(concept__uid=uid).values_list("agreement", "maturity").get()
    )


def test_the_editor_chooses_then_confirms(client, editor, reviewer_us):
    drafts = [unassessed(editor, f"draft-{n}") for n in range(2)]
    published = factories.make_published(editor, [reviewer_us], uid="in-review")
    assert published.state == VersionState.IN_REVIEW
    selected = [v.pk for v in [*drafts, published]]
    client.force_login(editor)

    page = client.post(reverse(URL), {"action": "assess_selected", "_selected_action": selected})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Set the agreement state and maturity" in text
    assert "Not changed, in-review v1: it is In review, not a draft." in text
    assert 'value="not_assessed"' not in text
    assert assessed("draft-0") == ("not_assessed", "not_assessed")

    # Confirming without a choice changes nothing and asks again.
    again = client.post(
        reverse(URL), {"action": "assess_selected", "_selected_action": selected, "confirm": "1"}
    )
    assert again.status_code == 200
    assert "This field is required." in again.content.decode()
    assert assessed("draft-0") == ("not_assessed", "not_assessed")

    done = client.post(
        reverse(URL),
        {
            "action": "assess_selected",
            "_selected_action": selected,
            "confirm": "1",
            "agreement": "agreed",
            "maturity": "provisional",
        },
        follow=True,
    )
    text = done.content.decode()
    assert "The agreement state and maturity of 2 drafts were set." in text
    assert "Not changed, in-review v1: it is In review, not a draft." in text
    for version in drafts:
        assert assessed(version.concept.uid) == ("agreed", "provisional")
        assert version.events.filter(action=EventAction.EDIT, actor=editor).exists()
    assert assessed("in-review") == ("agreed", "established")
    # Now they can be submitted.
    services.versions_submit(
        versions=list(ConceptVersion.objects.filter(pk__in=selected[:2])), user=editor
    )


def test_the_page_in_chinese(client, editor):
    draft = unassessed(editor, "draft")
    client.force_login(editor)
    page = client.post(
        reverse(URL),
        {"action": "assess_selected", "_selected_action": [draft.pk]},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    text = page.content.decode()
    assert "设置一致程度和成熟度" in text
    assert "部分一致" in text


def test_not_assessed_cannot_be_chosen(editor):
    draft = unassessed(editor, "draft")
    with pytest.raises(Exception, match="agree"):
        services.drafts_assess(
            versions=[draft], user=editor, agreement="not_assessed", maturity="established"
        )
    assert assessed("draft") == ("not_assessed", "not_assessed")


def test_a_reviewer_cannot_assess(client, editor, reviewer_us):
    draft = unassessed(editor, "draft")
    client.force_login(reviewer_us)
    client.post(
        reverse(URL),
        {
            "action": "assess_selected",
            "_selected_action": [draft.pk],
            "confirm": "1",
            "agreement": "agreed",
            "maturity": "established",
        },
    )
    assert assessed("draft") == ("not_assessed", "not_assessed")
