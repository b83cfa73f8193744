"""Traditional suggestions in the admin: OpenCC suggestions taken on request, "not reviewed"."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from glossary.core import services
from glossary.core.choices import Agreement, Language, Maturity, TermStatus
from glossary.core.models import ConceptVersion, Term
from glossary.core.services import DraftData, TermData
from glossary.language import to_traditional
from tests import factories
from tests.factories import admin_form_data as form_data

pytestmark = pytest.mark.django_db

SIMPLIFIED_DEFINITION = "利用软件和数据生成新内容的人工智能。"
SUGGESTED_DEFINITION = to_traditional(SIMPLIFIED_DEFINITION, "tw")


def change_url(version: ConceptVersion) -> str:
    return reverse("admin:glossary_conceptversion_change", args=[version.pk])


def simplified_only(**texts: str) -> DraftData:
    """A draft written in English and Simplified Chinese only."""
    return DraftData(
        texts={
            "definition_en": "AI that produces new content.",
            "definition_zh_hans": SIMPLIFIED_DEFINITION,
            **texts,
        },
        agreement=Agreement.AGREED,
        maturity=Maturity.ESTABLISHED,
        domains=[factories.domain()],
        terms=[
            TermData(language=Language.EN, text="generative AI", status=TermStatus.PREFERRED),
            TermData(language=Language.ZH_HANS, text="生成式人工智能", status=TermStatus.PREFERRED),
        ],
    )


@pytest.fixture
def simplified_draft(editor):
    return factories.make_draft(editor, "generative-ai", simplified_only())


def save_as_shown(client, version, **changes) -> ConceptVersion:
    data = form_data(client.get(change_url(version)))
    data.update(changes)
    response = client.post(change_url(version), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ConceptVersion.objects.get(pk=version.pk)


def term_row(data: dict, text: str) -> str:
    """The form prefix of the term row showing this text ("terms-2")."""
    key = next(k for k, v in data.items() if k.startswith("terms-") and v == text)
    return key.removesuffix("-text")


# --- Translated fields -----------------------------------------------------------------------


def test_empty_traditional_definition_is_prefilled_and_marked(client, editor, simplified_draft):
    client.force_login(editor)
    response = client.get(change_url(simplified_draft))
    form = response.context["adminform"].form
    assert form["definition_zh_hant"].value() == SUGGESTED_DEFINITION
    assert SUGGESTED_DEFINITION == "利用軟體和資料生成新內容的人工智慧。"
    html = response.content.decode()
    assert 'name="reviewed_definition_zh_hant"' in html
    assert "Machine-converted from the Simplified text (OpenCC), not reviewed yet." in html
    # Only fields that hold a suggestion get a box.
    assert 'name="reviewed_note_zh_hant"' not in html
    assert f'data-machine-converted="{SUGGESTED_DEFINITION}"' in html
    assert 'data-traditional-field="id_definition_zh_hant"' in html
    assert "glossary/traditional.js" in html


def test_saving_the_suggestion_stores_it_as_unreviewed(client, editor, simplified_draft):
    client.force_login(editor)
    version = save_as_shown(client, simplified_draft)
    assert version.definition_zh_hant == SUGGESTED_DEFINITION
    assert version.machine_converted_fields == ["definition_zh_hant"]
    # Still shown as unreviewed on the next visit.
    html = client.get(change_url(version)).content.decode()
    assert 'name="reviewed_definition_zh_hant"' in html


def test_ticking_reviewed_clears_the_mark(client, editor, simplified_draft):
    client.force_login(editor)
    version = save_as_shown(client, simplified_draft)
    version = save_as_shown(client, version, reviewed_definition_zh_hant="on")
    assert version.definition_zh_hant == SUGGESTED_DEFINITION
    assert version.machine_converted_fields == []
    html = client.get(change_url(version)).content.decode()
    assert 'name="reviewed_definition_zh_hant"' not in html
    # Reviewed text is the linguist's now: saving again does not mark it.
    assert save_as_shown(client, version).machine_converted_fields == []


def test_editing_the_suggestion_clears_the_mark(client, editor, simplified_draft):
    client.force_login(editor)
    version = save_as_shown(client, simplified_draft)
    version = save_as_shown(
        client, version, definition_zh_hant="利用軟體與資料產生新內容的人工智慧。"
    )
    assert version.definition_zh_hant == "利用軟體與資料產生新內容的人工智慧。"
    assert version.machine_converted_fields == []


def test_an_unreviewed_suggestion_follows_the_simplified_text(client, editor, simplified_draft):
    client.force_login(editor)
    version = save_as_shown(client, simplified_draft)
    # Someone edits only the Simplified text; the machine text is still unreviewed.
    version = save_as_shown(client, version, definition_zh_hans="人工智能软件。")
    assert version.definition_zh_hant == SUGGESTED_DEFINITION
    assert version.machine_converted_fields == ["definition_zh_hant"]
    # The next visit offers the conversion of the new Simplified text.
    version = save_as_shown(client, version)
    assert version.definition_zh_hant == "人工智慧軟體。"
    assert version.machine_converted_fields == ["definition_zh_hant"]


def test_emptying_the_suggestion_declines_it(client, editor, simplified_draft):
    client.force_login(editor)
    version = save_as_shown(client, simplified_draft, definition_zh_hant="")
    assert version.definition_zh_hant == ""
    assert version.machine_converted_fields == []


def test_human_traditional_text_is_never_marked(client, editor, draft):
    client.force_login(editor)
    response = client.get(change_url(draft))
    assert 'name="reviewed_' not in response.content.decode()
    version = save_as_shown(client, draft)
    assert version.definition_zh_hant == "能夠生成新內容的人工智慧：生成式人工智慧。"
    assert version.machine_converted_fields == []
    assert not version.terms.filter(machine_converted=True).exists()


def test_other_fields_are_suggested_too(client, editor):
    draft = factories.make_draft(
        editor,
        "open-source-model",
        simplified_only(us_usage_zh_hans="美国文件使用这个软件术语。", note_zh_hans="注释。"),
    )
    client.force_login(editor)
    version = save_as_shown(client, draft, reviewed_note_zh_hant="on")
    assert version.us_usage_zh_hant == "美國檔案使用這個軟體術語。"
    assert version.note_zh_hant == "註釋。"
    assert version.machine_converted_fields == ["definition_zh_hant", "us_usage_zh_hant"]


# --- Terms -----------------------------------------------------------------------------------


def take(client, version, value: str, **changes) -> ConceptVersion:
    """Save the draft as shown (with these changes) by the button of one suggestion."""
    return save_as_shown(client, version, _take_suggestion=value, **changes)


def offered(response) -> list[tuple[str, str, str]]:
    return [(s.source, s.text, s.status) for s in response.context["term_suggestions"]]


def test_a_traditional_term_is_suggested_beside_its_source_not_saved_as_a_row(
    client, editor, simplified_draft
):
    client.force_login(editor)
    response = client.get(change_url(simplified_draft))
    assert offered(response) == [("生成式人工智能", "生成式人工智慧", "preferred")]
    html = response.content.decode()
    assert 'name="_take_suggestion" value="preferred|生成式人工智慧"' in html
    # Not a row of the terms table: saving the page as shown adds no Traditional term.
    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Term
    )
    assert all(not form.initial for form in formset.forms if not form.instance.pk)
    version = save_as_shown(client, simplified_draft)
    assert not version.terms.filter(language=Language.ZH_HANT).exists()
    # Taken by its own button: saved, and marked unreviewed.
    version = take(client, version, "preferred|生成式人工智慧")
    term = version.terms.get(language=Language.ZH_HANT)
    assert (term.text, term.status, term.machine_converted) == (
        "生成式人工智慧",
        TermStatus.PREFERRED,
        True,
    )
    # The next visit shows the stored term as unreviewed, and offers no second suggestion.
    response = client.get(change_url(version))
    assert offered(response) == []
    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Term
    )
    assert [form.initial.get("suggested") for form in formset.forms if form.instance.pk] == [
        None,
        None,
        "生成式人工智慧",
    ]
    assert "Machine-converted, not reviewed." in response.content.decode()


def test_taking_a_suggestion_saves_what_is_on_screen_too(client, editor, simplified_draft):
    client.force_login(editor)
    version = take(
        client, simplified_draft, "preferred|生成式人工智慧", definition_en="Typed, not lost."
    )
    assert version.definition_en == "Typed, not lost."
    assert version.terms.filter(language=Language.ZH_HANT, machine_converted=True).count() == 1


def test_a_suggestion_is_recomputed_from_what_is_submitted(client, editor, simplified_draft):
    client.force_login(editor)
    data = form_data(client.get(change_url(simplified_draft)))
    # The Simplified term is renamed in the same save: the old suggestion no longer applies.
    data[f"{term_row(data, '生成式人工智能')}-text"] = "生成模型"
    data["_take_suggestion"] = "preferred|生成式人工智慧"
    response = client.post(change_url(simplified_draft), data, follow=True)
    assert "that suggestion no longer applies" in response.content.decode()
    assert not simplified_draft.terms.filter(language=Language.ZH_HANT).exists()
    assert offered(response) == [("生成模型", "生成模型", "preferred")]


def test_an_unreviewed_conversion_goes_with_its_removed_source(client, editor):
    data = simplified_only()
    data.terms.append(
        TermData(language=Language.ZH_HANS, text="生成式软件", status=TermStatus.ADMITTED)
    )
    draft = factories.make_draft(editor, "generative-ai", data)
    client.force_login(editor)
    version = take(client, draft, "admitted|生成式軟體")
    assert version.terms.filter(text="生成式軟體", machine_converted=True).exists()
    # A reviewer asked for the admitted Simplified term to go; the editor removes it.
    data = form_data(client.get(change_url(version)))
    data[f"{term_row(data, '生成式软件')}-DELETE"] = "on"
    assert client.post(change_url(version), data).status_code == 302
    assert not version.terms.filter(text__in=["生成式软件", "生成式軟體"]).exists()


def test_reviewing_or_editing_the_suggested_term_clears_the_mark(client, editor, simplified_draft):
    client.force_login(editor)
    version = take(client, simplified_draft, "preferred|生成式人工智慧")
    data = form_data(client.get(change_url(version)))
    row = term_row(data, "生成式人工智慧")
    data[f"{row}-reviewed"] = "on"
    assert client.post(change_url(version), data).status_code == 302
    assert not version.terms.get(language=Language.ZH_HANT).machine_converted

    other = factories.make_draft(editor, "other", simplified_only())
    other = take(client, other, "preferred|生成式人工智慧")
    data = form_data(client.get(change_url(other)))
    data[f"{term_row(data, '生成式人工智慧')}-text"] = "生成式 AI"
    assert client.post(change_url(other), data).status_code == 302
    term = other.terms.get(language=Language.ZH_HANT)
    assert (term.text, term.machine_converted) == ("生成式 AI", False)


def test_a_new_draft_keeps_the_marks_of_the_published_version(
    client, editor, reviewer_us, reviewer_cn, simplified_draft
):
    client.force_login(editor)
    version = take(client, simplified_draft, "preferred|生成式人工智慧")
    with override_settings(
        GLOSSARY_REVIEW_POLICY={**settings.GLOSSARY_REVIEW_POLICY, "TRADITIONAL_REVIEWED": False}
    ):
        services.version_submit(version=version, user=editor)
        for reviewer in (reviewer_us, reviewer_cn):
            services.version_approve(version=version, user=reviewer)
    draft = services.draft_start(concept=version.concept, user=editor)
    assert draft.machine_converted_fields == ["definition_zh_hant"]
    assert draft.terms.get(language=Language.ZH_HANT).machine_converted


def test_reviewers_see_what_is_unreviewed(client, editor, reviewer_us, simplified_draft):
    client.force_login(editor)
    version = take(client, simplified_draft, "preferred|生成式人工智慧")
    with override_settings(
        GLOSSARY_REVIEW_POLICY={**settings.GLOSSARY_REVIEW_POLICY, "TRADITIONAL_REVIEWED": False}
    ):
        services.version_submit(version=version, user=editor)
    client.force_login(reviewer_us)
    response = client.get(change_url(version))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Machine-converted, not reviewed:</label>" in html
    assert "agreed definition [zh-hant]</div>" in html.lower()
    assert 'name="reviewed_' not in html
    assert "field-unreviewed_list" in html
    assert "field-machine_converted" in html


# --- Regions and more than one term ---------------------------------------------------------


def hong_kong_draft(editor, uid: str = "generative-ai") -> ConceptVersion:
    """A Simplified draft whose only Traditional term is a (human) one used in Hong Kong."""
    data = simplified_only()
    data.terms.append(
        TermData(
            language=Language.ZH_HANT,
            text="生成式人工智能",
            status=TermStatus.PREFERRED,
            geographic_usage="HK",
        )
    )
    return factories.make_draft(editor, uid, data)


def test_a_hong_kong_draft_gets_hong_kong_wording(client, editor):
    draft = hong_kong_draft(editor)
    client.force_login(editor)
    response = client.get(change_url(draft))
    form = response.context["adminform"].form
    hong_kong = to_traditional(SIMPLIFIED_DEFINITION, "hk")
    assert hong_kong == "利用軟件和數據生成新內容的人工智能。" != SUGGESTED_DEFINITION
    assert form["definition_zh_hant"].value() == hong_kong
    html = response.content.decode()
    assert 'data-traditional-region="hk"' in html
    version = save_as_shown(client, draft)
    assert version.definition_zh_hant == hong_kong
    assert version.machine_converted_fields == ["definition_zh_hant"]
    # A Taiwan draft still gets Taiwan wording.
    taiwan = factories.make_draft(editor, "other", simplified_only())
    html = client.get(change_url(taiwan)).content.decode()
    assert 'data-traditional-region="tw"' in html


def test_a_suggested_term_marked_as_used_in_hong_kong_follows_hong_kong_wording(
    client, editor, simplified_draft
):
    client.force_login(editor)
    take(client, simplified_draft, "preferred|生成式人工智慧")
    data = form_data(client.get(change_url(simplified_draft)))
    data[f"{term_row(data, '生成式人工智慧')}-geographic_usage"] = "HK"
    assert client.post(change_url(simplified_draft), data).status_code == 302
    term = simplified_draft.terms.get(language=Language.ZH_HANT)
    assert (term.text, term.geographic_usage, term.machine_converted) == (
        "生成式人工智慧",
        "HK",
        True,
    )
    # Still unreviewed: the next visit offers the Hong Kong wording, and saving keeps it marked.
    response = client.get(change_url(simplified_draft))
    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Term
    )
    (row,) = [form for form in formset.forms if form.instance.language == Language.ZH_HANT]
    assert (row["text"].value(), row["suggested"].value()) == ("生成式人工智能", "生成式人工智能")
    version = save_as_shown(client, simplified_draft)
    term = version.terms.get(language=Language.ZH_HANT)
    assert (term.text, term.geographic_usage, term.machine_converted) == (
        "生成式人工智能",
        "HK",
        True,
    )
    # The definition, unreviewed too, follows the region of the draft's Traditional term.
    assert version.definition_zh_hant == to_traditional(SIMPLIFIED_DEFINITION, "hk")
    # A reviewed term is the linguist's: never rewritten.
    data = form_data(client.get(change_url(version)))
    row = next(
        key.removesuffix("-text")
        for key, value in data.items()
        if key.startswith("terms-")
        and value == "生成式人工智能"
        and data[key.replace("-text", "-language")] == Language.ZH_HANT
    )
    data[f"{row}-reviewed"] = "on"
    data[f"{row}-geographic_usage"] = "TW"
    assert client.post(change_url(version), data).status_code == 302
    version = save_as_shown(client, version)
    term = version.terms.get(language=Language.ZH_HANT)
    assert (term.text, term.machine_converted) == ("生成式人工智能", False)


def test_admitted_simplified_terms_without_a_traditional_one_are_suggested(client, editor):
    data = simplified_only()
    data.terms += [
        TermData(language=Language.ZH_HANS, text="生成式软件", status=TermStatus.ADMITTED),
        TermData(language=Language.ZH_HANS, text="程序设计", status=TermStatus.ADMITTED),
        TermData(language=Language.ZH_HANS, text="生成模型", status=TermStatus.DEPRECATED),
        # Already rendered: 程式設計 folds to 编程, but it is 程序设计's conversion.
        TermData(language=Language.ZH_HANT, text="程式設計", status=TermStatus.ADMITTED),
    ]
    draft = factories.make_draft(editor, "generative-ai", data)
    client.force_login(editor)
    response = client.get(change_url(draft))
    assert offered(response) == [
        ("生成式人工智能", "生成式人工智慧", "preferred"),
        ("生成式软件", "生成式軟體", "admitted"),
    ]
    version = take(client, draft, "preferred|生成式人工智慧")
    version = take(client, version, "admitted|生成式軟體")
    assert sorted(
        version.terms.filter(language=Language.ZH_HANT).values_list(
            "text", "status", "machine_converted"
        )
    ) == [
        ("生成式人工智慧", "preferred", True),
        ("生成式軟體", "admitted", True),
        ("程式設計", "admitted", False),
    ]
    # Nothing is offered twice.
    assert offered(client.get(change_url(version))) == []


def test_the_change_page_queries_do_not_grow_with_unreviewed_terms(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def draft_with(uid: str, count: int) -> ConceptVersion:
        data = simplified_only()
        words = ["软件", "数据", "信息", "程序", "网络", "硬件"][:count]
        for word in words:
            data.terms.append(
                TermData(language=Language.ZH_HANS, text=word, status=TermStatus.ADMITTED)
            )
            data.terms.append(
                TermData(
                    language=Language.ZH_HANT,
                    text=to_traditional(word, "tw"),
                    status=TermStatus.ADMITTED,
                    geographic_usage="HK",
                    machine_converted=True,
                )
            )
        return factories.make_draft(editor, uid, data)

    client.force_login(editor)
    small, large = draft_with("small", 1), draft_with("large", 6)
    client.get(change_url(small))
    with CaptureQueriesContext(connection) as few:
        response = client.get(change_url(small))
    assert "軟件" in response.content.decode()
    with CaptureQueriesContext(connection) as many:
        response = client.get(change_url(large))
    assert "數據" in response.content.decode()
    assert len(many) == len(few)


# --- The suggestion endpoint (for the progressive JavaScript) --------------------------------


SUGGEST_URL = "/admin/glossary/conceptversion/suggest-traditional/"


def test_suggestion_endpoint(client, editor, reviewer_us):
    assert reverse("admin:glossary_conceptversion_suggest_traditional") == SUGGEST_URL
    response = client.post(SUGGEST_URL, {"text": "软件"})
    assert response.status_code == 302  # to the admin login
    client.force_login(editor)
    response = client.post(SUGGEST_URL, {"text": "人工智能软件"})
    assert response.status_code == 200
    assert response.json() == {"text": "人工智慧軟體"}
    assert client.post(SUGGEST_URL, {"text": ""}).json() == {"text": ""}
    assert client.get(SUGGEST_URL).status_code == 405
    response = client.post(SUGGEST_URL, {"text": "软" * 20_001})
    assert response.status_code == 413
    # Hong Kong wording on request; an unknown region is refused.
    assert client.post(SUGGEST_URL, {"text": "人工智能软件", "region": "hk"}).json() == {
        "text": "人工智能軟件"
    }
    response = client.post(SUGGEST_URL, {"text": "软件", "region": "cn"})
    assert response.status_code == 400
    assert response.json() == {"code": "bad_region", "detail": "Unknown region cn: use tw or hk."}
    client.force_login(reviewer_us)
    assert client.post(SUGGEST_URL, {"text": "软件"}).status_code == 403


# --- The seed --------------------------------------------------------------------------------


def test_the_seed_traditional_texts_count_as_reviewed():
    from django.core.management import call_command

    call_command("seed_glossary", verbosity=0)
    assert ConceptVersion.objects.count() > 10
    assert not ConceptVersion.objects.exclude(machine_converted_fields=[]).exists()
    assert Term.objects.filter(language=Language.ZH_HANT).exists()
    assert not Term.objects.filter(machine_converted=True).exists()
