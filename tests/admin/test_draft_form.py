"""The draft form: nothing typed is lost, nothing is assessed by default, the diff in the reader's
language (issue 13, editors and reviewers)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from glossary.core import services, workflow
from glossary.core.choices import Agreement, Language, Maturity, TermStatus, VersionState
from glossary.core.diff import diff_versions
from glossary.core.models import ConceptVersion
from glossary.core.services import DraftData, TermData
from glossary.core.workflow import WorkflowError
from tests import factories
from tests.factories import admin_form_data as form_data

pytestmark = pytest.mark.django_db


def change_url(version: ConceptVersion) -> str:
    return reverse("admin:glossary_conceptversion_change", args=[version.pk])


def transition_url(version: ConceptVersion) -> str:
    return reverse("admin:glossary_conceptversion_transition", args=[version.pk])


def submit(client, version, **changes):
    data = form_data(client.get(change_url(version)))
    data.update({"_submit_for_review": "1", "change_note": "Clearer definition.", **changes})
    return client.post(change_url(version), data, follow=True)


@pytest.fixture
def new_draft(published, editor):
    return services.draft_start(concept=published.concept, user=editor)


# --- No lost edits ---------------------------------------------------------------------------


def test_submit_saves_what_is_on_screen_first(client, editor, new_draft):
    client.force_login(editor)
    response = submit(client, new_draft, definition_en="A newly typed definition.")
    version = ConceptVersion.objects.get(pk=new_draft.pk)
    assert version.state == VersionState.IN_REVIEW
    assert version.definition_en == "A newly typed definition."
    assert "saved and the version was submitted" in response.content.decode()
    event = version.events.get(action="submit")
    assert event.comment == "Clearer definition."
    # Save and submit stay on the draft.
    assert response.redirect_chain[-1][0] == change_url(version)


def test_submit_without_a_change_note_keeps_the_typing_and_saves_nothing(client, editor, new_draft):
    client.force_login(editor)
    response = submit(client, new_draft, definition_en="Typed, kept.", change_note="")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say what this version changes and why before you submit." in html
    assert "Typed, kept." in html  # still on screen
    version = ConceptVersion.objects.get(pk=new_draft.pk)
    assert version.state == VersionState.DRAFT
    assert version.definition_en != "Typed, kept."


def test_a_draft_identical_to_the_published_version_cannot_be_submitted(client, editor, new_draft):
    with pytest.raises(WorkflowError) as refused:
        services.version_submit(version=new_draft, user=editor)
    assert refused.value.code == "unchanged"
    client.force_login(editor)
    response = submit(client, new_draft)
    html = response.content.decode()
    assert "says exactly what published version 1 says" in html
    assert ConceptVersion.objects.get(pk=new_draft.pk).state == VersionState.DRAFT


def test_save_returns_to_the_draft(client, editor, draft):
    client.force_login(editor)
    data = form_data(client.get(change_url(draft)))
    data.update({"_save": "Save", "note_en": "Saved and still here."})
    response = client.post(change_url(draft), data)
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    assert ConceptVersion.objects.get(pk=draft.pk).note_en == "Saved and still here."


def test_withdraw_asks_for_confirmation(client, editor, draft):
    client.force_login(editor)
    response = client.post(transition_url(draft), {"action": "withdraw", "comment": "Duplicate."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Yes, withdraw it" in html and 'name="confirmed" value="yes"' in html
    assert "Duplicate." in html
    assert ConceptVersion.objects.get(pk=draft.pk).state == VersionState.DRAFT
    client.post(
        transition_url(draft), {"action": "withdraw", "confirmed": "yes", "comment": "Duplicate."}
    )
    assert ConceptVersion.objects.get(pk=draft.pk).state == VersionState.WITHDRAWN


def test_reviewers_read_the_change_note_first(client, editor, reviewer_us, new_draft):
    client.force_login(editor)
    submit(client, new_draft, definition_en="A better definition.")
    client.force_login(reviewer_us)
    html = client.get(change_url(new_draft)).content.decode()
    assert 'id="change-note"' in html
    assert html.index("Clearer definition.") < html.index("Changes against version 1")


# --- No default agreement --------------------------------------------------------------------


def unassessed(editor, uid: str = "frontier-ai", **texts: str) -> ConceptVersion:
    data = factories.complete_data("frontier AI", "前沿人工智能", "前沿人工智慧", **texts)
    data.agreement = Agreement.NOT_ASSESSED
    data.maturity = Maturity.NOT_ASSESSED
    return factories.make_draft(editor, uid, data)


def test_a_new_concept_starts_not_assessed(editor):
    assert DraftData().agreement == Agreement.NOT_ASSESSED == DraftData().maturity
    version = services.concept_create(uid="agentic-ai", user=editor, data=DraftData())
    assert (version.agreement, version.maturity) == ("not_assessed", "not_assessed")
    assert version.get_agreement_display() == "Not yet assessed"


def test_submission_asks_for_agreement_and_maturity(client, editor):
    version = unassessed(editor)
    with pytest.raises(WorkflowError) as refused:
        services.version_submit(version=version, user=editor)
    assert "an agreement state" in refused.value.message
    assert "a maturity" in refused.value.message
    client.force_login(editor)
    response = submit(client, version)
    html = response.content.decode()
    assert "Say whether the two sides agree before you submit" in html
    assert "Say whether the term is provisional or established." in html
    assert ConceptVersion.objects.get(pk=version.pk).state == VersionState.DRAFT
    response = submit(client, version, agreement="agreed", maturity="provisional")
    version = ConceptVersion.objects.get(pk=version.pk)
    assert (version.state, version.agreement, version.maturity) == (
        VersionState.IN_REVIEW,
        "agreed",
        "provisional",
    )


def test_divergence_needs_each_sides_usage(client, editor):
    version = unassessed(editor)
    client.force_login(editor)
    response = submit(client, version, agreement="divergent", maturity="established")
    html = response.content.decode()
    assert "the U.S.-side usage" in html and "the China-side usage" in html
    assert ConceptVersion.objects.get(pk=version.pk).state == VersionState.DRAFT
    # One side's usage and a note on why the other has none (a procedure with no counterpart).
    response = submit(
        client,
        version,
        agreement="divergent",
        maturity="established",
        cn_usage_zh_hans="依据暂行办法第十七条开展。",
        agreement_note_en="A PRC procedure with no U.S. counterpart.",
    )
    assert ConceptVersion.objects.get(pk=version.pk).state == VersionState.IN_REVIEW


def test_the_service_asks_the_same(editor):
    version = unassessed(editor, us_usage_en="Voluntary evaluations.")
    problems = workflow.completeness_problems(version)
    assert len(problems) == 2
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=version.pk))
    data.agreement, data.maturity = Agreement.PARTLY, Maturity.ESTABLISHED
    version = services.draft_update(
        version=version, user=editor, data=data, expected_revision=version.revision
    )
    # The services ask what the form asks, on every path (API, admin, batch).
    assert workflow.completeness_problems(version) == [
        "the China-side usage (or, where that side has none, a note on why the usages differ)"
    ]
    with pytest.raises(WorkflowError, match="China-side usage"):
        services.version_submit(version=version, user=editor, comment="Partly agreed.")
    # Only a file published as it stands into an empty glossary goes without the assessment.
    assert workflow.completeness_problems(version, assessed=False) == []


def test_published_data_keeps_its_values(published):
    assert (published.agreement, published.maturity) == ("agreed", "established")


# --- Review policy: Traditional Chinese reviewed before publication ---------------------------


def machine_draft(editor) -> ConceptVersion:
    data = factories.complete_data()
    data.terms = [t for t in data.terms if t.language != Language.ZH_HANT]
    data.terms.append(
        TermData(
            language=Language.ZH_HANT,
            text="生成式人工智慧",
            status=TermStatus.PREFERRED,
            machine_converted=True,
        )
    )
    data.machine_converted_fields = ["definition_zh_hant"]
    return factories.make_draft(editor, "generative-ai", data)


def test_the_policy_requires_reviewed_traditional_by_default(settings):
    from config.settings import base

    assert base.GLOSSARY_REVIEW_POLICY["TRADITIONAL_REVIEWED"] is True
    settings.GLOSSARY_REVIEW_POLICY = {"APPROVALS_REQUIRED": 2, "SIDES_REQUIRED": ["us", "cn"]}
    assert workflow.policy().traditional_reviewed


def test_unreviewed_traditional_blocks_submission_by_default(editor, settings):
    settings.GLOSSARY_REVIEW_POLICY = {
        **settings.GLOSSARY_REVIEW_POLICY,
        "TRADITIONAL_REVIEWED": True,
    }
    version = machine_draft(editor)
    with pytest.raises(WorkflowError) as refused:
        services.version_submit(version=version, user=editor)
    assert "machine-converted Traditional Chinese agreed definition," in refused.value.message
    assert "生成式人工智慧" in refused.value.message
    settings.GLOSSARY_REVIEW_POLICY = {
        **settings.GLOSSARY_REVIEW_POLICY,
        "TRADITIONAL_REVIEWED": False,
    }
    services.version_submit(version=version, user=editor)
    assert ConceptVersion.objects.get(pk=version.pk).state == VersionState.IN_REVIEW


# --- The diff --------------------------------------------------------------------------------


def edited(editor, published, change) -> ConceptVersion:
    draft = services.draft_start(concept=published.concept, user=editor)
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    change(data)
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    return ConceptVersion.objects.with_content().get(pk=draft.pk)


def test_an_edited_term_is_changed_not_removed_and_added(editor, published):
    def rename(data):
        term = next(t for t in data.terms if t.text == "GenAI")
        term.text = "Gen AI"

    draft = edited(editor, published, rename)
    diff = diff_versions(ConceptVersion.objects.with_content().get(pk=published.pk), draft)
    assert [(t.text, t.change, t.old["text"]) for t in diff.terms] == [
        ("Gen AI", "changed", "GenAI")
    ]


def test_unrelated_terms_stay_removed_and_added(editor, published):
    def swap(data):
        data.terms = [t for t in data.terms if t.text != "GenAI"]
        data.terms.append(TermData(language=Language.ZH_HANS, text="生成模型", status="deprecated"))

    draft = edited(editor, published, swap)
    diff = diff_versions(ConceptVersion.objects.with_content().get(pk=published.pk), draft)
    assert sorted((t.text, t.change) for t in diff.terms) == [
        ("GenAI", "removed"),
        ("生成模型", "added"),
    ]


def test_the_diff_flags_unreviewed_machine_conversions(editor):
    version = ConceptVersion.objects.with_content().get(pk=machine_draft(editor).pk)
    diff = diff_versions(None, version)
    assert diff.unreviewed
    assert [c.field for c in diff.texts if c.machine_converted] == ["definition"]
    assert [t.text for t in diff.terms if t.machine_converted] == ["生成式人工智慧"]


def test_the_admin_diff_is_in_the_readers_language(client, editor, reviewer_cn, published):
    def change(data):
        data.agreement = Agreement.PARTLY
        data.texts["us_usage_en"] = "Voluntary."
        data.texts["cn_usage_zh_hans"] = "依法。"
        term = next(t for t in data.terms if t.text == "GenAI")
        term.status = TermStatus.DEPRECATED

    draft = edited(editor, published, change)
    services.version_submit(version=draft, user=editor, comment="Usage.")
    client.force_login(reviewer_cn)
    with translation.override("zh-hans"):
        html = client.get(change_url(draft), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    diff = html[html.index('class="glossary-diff"') :]
    diff = diff[: diff.index("</fieldset>")]
    assert "一致</del> → <ins>部分一致" in diff
    assert "agreement" not in diff and "preferred" not in diff and "admitted" not in diff
    assert "英语" in diff or "英文" in diff


def test_the_migration_changes_defaults_only():
    """0017 alters the two fields' defaults and choices; stored rows keep their values."""
    from django.db import migrations
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    (key,) = [
        k
        for k in loader.disk_migrations
        if k[0] == "glossary" and k[1].endswith("_not_yet_assessed")
    ]
    operations = loader.disk_migrations[key].operations
    assert {type(op) for op in operations} == {migrations.AlterField}
    assert {(op.name, op.field.default) for op in operations} == {
        ("agreement", "not_assessed"),
        ("maturity", "not_assessed"),
    }
