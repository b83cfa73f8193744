"""The editorial admin, as each role sees and uses it."""

import pytest
from django.urls import reverse

from glossary.core import services
from glossary.core.choices import VersionState
from glossary.core.models import ConceptVersion, Event
from tests import factories
from tests.factories import admin_form_data as form_data

pytestmark = pytest.mark.django_db


def change_url(version):
    return reverse("admin:glossary_conceptversion_change", args=[version.pk])


@pytest.fixture
def in_review(editor):
    version = factories.make_draft(
        editor,
        uid="frontier-ai",
        data=factories.complete_data("frontier AI", "前沿人工智能", "前沿人工智慧"),
    )
    services.version_submit(version=version, user=editor)
    return version


ROLES = ["editor", "reviewer_us", "reviewer_cn", "administrator"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_for_every_role(
    request, client, role, published, draft_other, in_review
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    services.release_cut(name="2024.1", user=None)
    pages = [
        reverse("admin:index"),
        reverse("admin:glossary_concept_changelist"),
        reverse("admin:glossary_concept_changelist") + "?q=人工智慧",
        reverse("admin:glossary_concept_changelist") + "?status=published",
        reverse("admin:glossary_concept_change", args=[published.concept_id]),
        reverse("admin:glossary_concept_compare", args=[published.concept_id]) + "?a=1&b=1",
        reverse("admin:glossary_conceptversion_changelist"),
        reverse("admin:glossary_conceptversion_changelist") + "?waiting=me",
        change_url(published),
        change_url(draft_other),
        change_url(in_review),
        reverse("admin:glossary_release_changelist"),
        reverse("admin:glossary_source_changelist"),
        reverse("admin:glossary_domain_changelist"),
        reverse("admin:glossary_event_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    release = client.get(reverse("admin:glossary_release_changelist"))
    assert b"2024.1" in release.content


@pytest.fixture
def draft_other(editor):
    return factories.make_draft(
        editor,
        uid="deep-synthesis",
        data=factories.complete_data("deep synthesis", "深度合成", "深度合成"),
    )


def test_concept_list_shows_status_and_open_draft(client, administrator, published, draft_other):
    client.force_login(administrator)
    response = client.get(reverse("admin:glossary_concept_changelist"))
    content = response.content.decode()
    assert "generative-ai" in content and "deep-synthesis" in content
    assert "生成式人工智能" in content
    assert "Never published" in content
    assert "v1 · Draft" in content
    # Each row's preferred terms and domains: the published version's, else the draft's.
    for cells in (
        '<td class="field-english">generative AI</td>',
        '<td class="field-english">deep synthesis</td>',
    ):
        assert cells in content
    assert '<td class="field-simplified">深度合成</td>' in content
    assert content.count('<td class="field-domain_list">generative-ai</td>') == 2


@pytest.mark.parametrize(
    "query", ["生成式人工智慧", "生成式人工智能", "Generative-AI", "GenAI", "generative-ai"]
)
def test_admin_search_by_any_term_in_any_script(client, editor, published, draft_other, query):
    client.force_login(editor)
    response = client.get(reverse("admin:glossary_concept_changelist"), {"q": query})
    content = response.content.decode()
    assert "generative-ai" in content
    assert "deep-synthesis" not in content


def test_concept_list_query_count_does_not_grow(
    client, administrator, editor, django_assert_max_num_queries
):
    client.force_login(administrator)
    factories.make_draft(editor, uid="c1")
    url = reverse("admin:glossary_concept_changelist")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(2, 8):
        factories.make_draft(editor, uid=f"c{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_editor_adds_a_concept_and_lands_on_its_draft(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:glossary_concept_add"),
        {
            "uid": "red-teaming",
            "term_en": "red teaming",
            "term_zh_hans": "红队测试",
            "term_zh_hant": "紅隊演練",
        },
    )
    version = ConceptVersion.objects.get(concept__uid="red-teaming")
    assert response.status_code == 302
    assert response["Location"] == change_url(version)
    assert set(version.terms.values_list("text", flat=True)) == {
        "红队测试",
        "紅隊演練",
        "red teaming",
    }


def test_bad_identifier_in_the_add_form_saves_nothing(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:glossary_concept_add"),
        {
            "uid": "Red Teaming!",
            "term_en": "red teaming",
            "term_zh_hans": "红队测试",
        },
    )
    assert response.status_code == 200
    assert "lower-case letters" in response.content.decode()
    assert not ConceptVersion.objects.exists()


def test_editor_edits_a_draft_in_the_admin(client, editor, draft):
    client.force_login(editor)
    response = client.get(change_url(draft))
    data = form_data(response)
    data["definition_en"] = "Edited in the admin."
    data["definition_zh_hant"] = "在管理介面編輯。"
    response = client.post(change_url(draft), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ConceptVersion.objects.get(pk=draft.pk)
    assert draft.definition_en == "Edited in the admin."
    assert draft.definition_zh_hant == "在管理介面編輯。"
    assert draft.revision == 2
    assert draft.terms.count() == 4
    assert Event.objects.filter(version=draft, action="edit", actor=editor).exists()


def test_two_preferred_terms_in_the_admin_show_an_error_and_save_nothing(client, editor, draft):
    client.force_login(editor)
    data = form_data(client.get(change_url(draft)))
    genai = next(k for k, v in data.items() if v == "GenAI")
    data[genai.replace("-text", "-status")] = "preferred"
    data["definition_en"] = "This should not be saved."
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "only one preferred term in English" in response.content.decode()
    draft = ConceptVersion.objects.get(pk=draft.pk)
    assert draft.definition_en != "This should not be saved."
    assert draft.revision == 1


def test_stale_admin_save_is_refused_with_a_message(client, editor, second_editor, draft):
    client.force_login(editor)
    data = form_data(client.get(change_url(draft)))
    services.draft_update(
        version=draft,
        user=second_editor,
        data=factories.complete_data(definition_en="Saved first."),
        expected_revision=draft.revision,
    )
    data["definition_en"] = "Saved second."
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "Someone else saved this draft" in response.content.decode()
    assert "Saved second." in response.content.decode(), "the editor's text is still on screen"
    assert ConceptVersion.objects.get(pk=draft.pk).definition_en == "Saved first."


def test_published_version_is_read_only_in_the_admin(client, editor, published):
    client.force_login(editor)
    response = client.get(change_url(published))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="definition_en"' not in content
    assert 'name="_save"' not in content
    response = client.post(change_url(published), {"definition_en": "x"})
    assert response.status_code == 403
    assert ConceptVersion.objects.get(pk=published.pk).definition_en != "x"


def test_buttons_appear_only_for_who_may_use_them(client, editor, reviewer_us, in_review, draft):
    client.force_login(editor)
    content = client.get(change_url(draft)).content.decode()
    assert 'name="_submit_for_review"' in content and 'value="approve"' not in content
    content = client.get(change_url(in_review)).content.decode()
    assert 'value="approve"' not in content and 'value="withdraw"' in content
    client.force_login(reviewer_us)
    content = client.get(change_url(in_review)).content.decode()
    assert 'value="approve"' in content and 'value="request_changes"' in content
    assert 'value="withdraw"' not in content
    content = client.get(change_url(draft)).content.decode()
    assert 'name="_submit_for_review"' not in content and 'value="approve"' not in content


def test_review_through_the_admin_publishes(client, reviewer_us, reviewer_cn, in_review):
    url = reverse("admin:glossary_conceptversion_transition", args=[in_review.pk])
    client.force_login(reviewer_us)
    client.post(url, {"action": "approve"})
    client.force_login(reviewer_cn)
    response = client.post(url, {"action": "approve", "comment": "同意。"}, follow=True)
    assert "published" in response.content.decode()
    assert ConceptVersion.objects.get(pk=in_review.pk).state == VersionState.PUBLISHED


def test_server_refuses_a_hidden_button(client, editor, in_review):
    client.force_login(editor)
    url = reverse("admin:glossary_conceptversion_transition", args=[in_review.pk])
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "You may not review versions" in response.content.decode()
    assert not in_review.reviews.exists()
    assert client.get(url).status_code == 405


def test_request_changes_without_comment_is_refused(client, reviewer_cn, in_review):
    client.force_login(reviewer_cn)
    url = reverse("admin:glossary_conceptversion_transition", args=[in_review.pk])
    response = client.post(url, {"action": "request_changes", "comment": ""}, follow=True)
    assert "Say what should change" in response.content.decode()
    assert ConceptVersion.objects.get(pk=in_review.pk).state == VersionState.IN_REVIEW


def test_waiting_for_my_review_list(client, reviewer_cn, in_review, draft):
    client.force_login(reviewer_cn)
    response = client.get(reverse("admin:glossary_conceptversion_changelist"), {"waiting": "me"})
    content = response.content.decode()
    assert "frontier-ai" in content and "generative-ai" not in content


def test_review_screen_shows_the_diff_against_published(client, editor, reviewer_us, published):
    draft = services.draft_start(concept=published.concept, user=editor)
    services.draft_update(
        version=draft,
        user=editor,
        data=factories.complete_data(definition_en="A sharper definition."),
        expected_revision=draft.revision,
    )
    services.version_submit(version=draft, user=editor)
    client.force_login(reviewer_us)
    content = client.get(change_url(draft)).content.decode()
    assert "Changes against version 1" in content
    assert "<ins>" in content and "sharper" in content


def test_new_draft_and_retire_buttons(client, editor, administrator, published):
    client.force_login(editor)
    url = reverse("admin:glossary_concept_change", args=[published.concept_id])
    content = client.get(url).content.decode()
    assert "Start a new draft" in content and "Propose retirement" not in content
    response = client.post(reverse("admin:glossary_concept_new_draft", args=[published.concept_id]))
    draft = ConceptVersion.objects.get(concept=published.concept, number=2)
    assert response["Location"] == change_url(draft)
    services.version_withdraw(version=draft, user=editor)
    client.force_login(administrator)
    assert "Propose retirement" in client.get(url).content.decode()
    client.post(
        reverse("admin:glossary_concept_retire", args=[published.concept_id]),
        {"reason": "No longer used."},
    )
    retirement = ConceptVersion.objects.get(concept=published.concept, number=3)
    assert retirement.state == VersionState.IN_REVIEW
    assert retirement.retirement_reason == "No longer used."


def test_compare_any_two_versions(client, editor, reviewer_us, reviewer_cn, published):
    draft = services.draft_start(concept=published.concept, user=editor)
    data = factories.complete_data()
    data.terms = [t for t in data.terms if t.text != "GenAI"]
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    client.force_login(reviewer_cn)
    url = reverse("admin:glossary_concept_compare", args=[published.concept_id])
    content = client.get(url, {"a": 1, "b": 2}).content.decode()
    assert "GenAI" in content and "removed" in content


def test_administrators_see_a_reviewers_side_on_the_user_page(client, administrator, reviewer_us):
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[reviewer_us.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "U.S. side" in response.content.decode()
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "reviewer-us" in listing


def test_the_admin_home_tells_a_reviewer_what_waits(client, reviewer_cn, editor, in_review):
    client.force_login(reviewer_cn)
    content = client.get(reverse("admin:index")).content.decode()
    waiting = content.split('id="inbox-waiting"')[1].split("</div>")[0]
    assert "frontier AI" in waiting and "frontier-ai · v1" in waiting
    assert "?inbox=waiting" in waiting
    client.force_login(editor)
    assert 'id="inbox-waiting"' not in client.get(reverse("admin:index")).content.decode()
