"""The README's walkthrough clicked through as a new user would, in English and in Chinese.

An editor changes a published concept; the U.S. side approves; the China side requests changes;
the editor finds the draft in the inbox, reads the comment at the top and fixes it; both sides
approve and the public page shows the new text. Then a new concept is created, written in three
languages, assessed, submitted and published. Every click goes through the admin's own buttons,
found by their names and values so that the same steps hold in every interface language.
"""

import pytest
from playwright.sync_api import expect

from glossary.core.choices import Agreement, Maturity, VersionState
from glossary.core.models import Concept, ConceptVersion
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(new_context, live_server, username, language):
    context = new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("input[type=submit]")
    return page


def submit(page, note):
    page.fill("#id_change_note", note)
    page.click("button[name=_submit_for_review]")
    expect(page.locator(".messagelist .success").first).to_be_visible()


def review(new_context, live_server, reviewer, language, url, decision, comment):
    page = sign_in(new_context, live_server, reviewer, language)
    page.goto(url)
    expect(page.locator(".glossary-diff").first).to_be_visible()
    page.fill("#workflow-comment", comment)
    page.click(f"button[name=action][value={decision}]")
    expect(page.locator(".messagelist .success").first).to_be_visible()
    return page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_readme_walkthrough_and_a_new_concept(new_context, live_server, language):
    editor = factories.make_user("editor", group="Editors")
    reviewers = [
        factories.make_user("reviewer-us", group="Reviewers", side="us"),
        factories.make_user("reviewer-cn", group="Reviewers", side="cn"),
    ]
    published = factories.make_published(editor, reviewers)

    # The editor starts a draft from the published version and submits a new definition.
    page = sign_in(new_context, live_server, "editor", language)
    page.goto(f"{live_server.url}/admin/glossary/concept/{published.concept_id}/change/")
    page.click("button[name=action][value=new_draft]")
    page.fill("#id_definition_en", "AI systems that generate text, images or audio.")
    submit(page, "A wider definition.")
    draft = ConceptVersion.objects.get(concept=published.concept, number=2)
    assert draft.state == VersionState.IN_REVIEW
    draft_url = f"{live_server.url}/admin/glossary/conceptversion/{draft.pk}/change/"

    # The U.S. side approves; the China side asks for a change.
    review(new_context, live_server, "reviewer-us", language, draft_url, "approve", "Fine.")
    review(
        new_context,
        live_server,
        "reviewer-cn",
        language,
        draft_url,
        "request_changes",
        "请在定义中写上代码生成。",
    )
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT

    # The editor finds it in the inbox, reads the comment first, fixes the draft, resubmits.
    page = sign_in(new_context, live_server, "editor", language)
    page.goto(f"{live_server.url}/admin/")
    page.locator("#inbox-sent_back a", has_text="generative AI").first.click()
    expect(page.locator(".glossary-latest-comments")).to_contain_text("请在定义中写上代码生成。")
    page.fill("#id_definition_en", "AI systems that generate text, images, audio or code.")
    submit(page, "Code generation added, as the China side asked.")

    # A resubmitted version needs fresh approvals from both sides.
    for reviewer in ("reviewer-us", "reviewer-cn"):
        review(new_context, live_server, reviewer, language, draft_url, "approve", "Agreed.")
    draft.refresh_from_db()
    assert draft.state == VersionState.PUBLISHED
    public = sign_in(new_context, live_server, "editor", language)
    public.goto(f"{live_server.url}/en/concepts/generative-ai/")
    expect(public.locator("main")).to_contain_text("images, audio or code")

    # A new concept, from nothing to published.
    page = sign_in(new_context, live_server, "editor", language)
    page.goto(f"{live_server.url}/admin/glossary/concept/add/")
    page.fill("#id_uid", "model-card")
    page.fill("#id_term_en", "model card")
    page.fill("#id_term_zh_hans", "模型卡")
    page.fill("#id_term_zh_hant", "模型卡")
    page.click("input[name=_save]")
    expect(page.locator("#id_definition_en")).to_be_visible()
    page.fill(
        "#id_definition_en", "A short document that describes a trained model and its limits."
    )
    page.fill("#id_definition_zh_hans", "说明已训练模型及其局限的简短文件。")
    page.fill("#id_definition_zh_hant", "說明已訓練模型及其局限的簡短文件。")
    # Agreement and maturity start as "not yet assessed": the editor has to say.
    page.select_option("#id_agreement", Agreement.AGREED)
    page.select_option("#id_maturity", Maturity.ESTABLISHED)
    submit(page, "New concept.")
    version = ConceptVersion.objects.get(concept=Concept.objects.get(uid="model-card"))
    assert version.state == VersionState.IN_REVIEW
    url = f"{live_server.url}/admin/glossary/conceptversion/{version.pk}/change/"
    for reviewer in ("reviewer-us", "reviewer-cn"):
        review(new_context, live_server, reviewer, language, url, "approve", "Agreed.")
    version.refresh_from_db()
    assert version.state == VersionState.PUBLISHED
    public.goto(f"{live_server.url}/zh-hans/concepts/model-card/")
    expect(public.locator("main")).to_contain_text("模型卡")
    expect(public.locator("main")).to_contain_text("说明已训练模型及其局限的简短文件。")
