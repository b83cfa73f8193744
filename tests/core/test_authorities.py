"""Authorities and their renderings: checked, written with the draft, frozen once published."""

import pytest
from django.core.exceptions import ValidationError

from glossary.core import services
from glossary.core.choices import RenderingStatus
from glossary.core.diff import diff_versions
from glossary.core.guards import ImmutableError
from glossary.core.models import ConceptVersion, Rendering
from glossary.core.services import DraftData, RenderingData
from glossary.core.workflow import WorkflowError
from tests import authorities_data, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def authority(administrator):
    return authorities_data.authority(administrator)


def test_a_draft_saves_its_renderings_in_order(editor, authority):
    data = authorities_data.llm_data(
        authorities_data.recommended(
            authority, definition="一类模型。", definition_language="zh-Hans"
        ),
        RenderingData(authority=authority, status=RenderingStatus.USED, term_zh_hans="大模型"),
    )
    draft = factories.make_draft(editor, "large-language-model", data)
    rows = list(draft.renderings.order_by("position"))
    assert [(r.term_zh_hans, r.status, r.date) for r in rows] == [
        ("大型语言模型", "recommended", "2024-12"),
        ("大模型", "used", ""),
    ]
    copied = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    assert [r.term_zh_hans for r in copied.renderings] == ["大型语言模型", "大模型"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"term_en": "", "term_zh_hans": ""}, "at least one language"),
        ({"date": "Dec 2024"}, "2023-07"),
        ({"definition": "A model.", "definition_language": ""}, "Say which language"),
        ({"status": "liked"}, "not a valid choice"),
    ],
)
def test_a_bad_rendering_is_refused_with_a_reason_and_nothing_changes(
    editor, authority, change, message
):
    draft = factories.make_draft(editor, "large-language-model", authorities_data.llm_data())
    bad = authorities_data.recommended(authority)
    for name, value in change.items():
        setattr(bad, name, value)
    data = authorities_data.llm_data(bad)
    with pytest.raises(ValidationError) as caught:
        services.draft_update(
            version=draft, user=editor, data=data, expected_revision=draft.revision
        )
    assert any(message in m for m in caught.value.message_dict["renderings"])
    assert not Rendering.objects.filter(version=draft).exists()


def test_a_published_versions_renderings_never_change(
    editor, reviewer_us, reviewer_cn, administrator, authority
):
    published = factories.make_published(
        editor,
        [reviewer_us, reviewer_cn],
        "large-language-model",
        authorities_data.llm_data(authorities_data.recommended(authority)),
    )
    rendering = published.renderings.get()
    rendering.term_zh_hans = "大模型"
    with pytest.raises(ImmutableError):
        rendering.save()
    with pytest.raises(ImmutableError):
        rendering.delete()
    with pytest.raises(ImmutableError):
        Rendering.objects.filter(pk=rendering.pk).update(term_zh_hans="大模型")
    with pytest.raises(ImmutableError):
        Rendering.objects.bulk_create(
            [Rendering(version=published, authority=authority, status="used", term_en="x")]
        )
    assert Rendering.objects.get(pk=rendering.pk).term_zh_hans == "大型语言模型"
    # The authority it cites is frozen too: a correction is a copy under a new key.
    assert authority.is_frozen()
    authority.name_en = "Renamed behind the review"
    with pytest.raises(WorkflowError):
        services.authority_save(authority=authority, user=administrator)
    copy = services.authority_copy(authority=authority, user=administrator)
    assert copy.key == "cn-foreign-terms-2024-2" and not copy.is_frozen()


def test_a_new_draft_starts_with_the_published_renderings_and_the_review_sees_changes(
    editor, reviewer_us, reviewer_cn, authority
):
    published = factories.make_published(
        editor,
        [reviewer_us, reviewer_cn],
        "large-language-model",
        authorities_data.llm_data(authorities_data.recommended(authority)),
    )
    draft = services.draft_start(concept=published.concept, user=editor)
    assert [r.term_zh_hans for r in draft.renderings.all()] == ["大型语言模型"]
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    data.renderings[0].date = "2024-12-27"
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    qs = ConceptVersion.objects.with_content()
    diff = diff_versions(qs.get(pk=published.pk), qs.get(pk=draft.pk))
    assert not diff.is_empty
    assert [(c.authority, c.change, c.old["date"], c.new["date"]) for c in diff.renderings] == [
        (authority.key, "changed", "2024-12", "2024-12-27")
    ]
    assert Rendering.objects.get(version=published).date == "2024-12"


def test_departures_compare_by_matching_key(authority):
    rendering = Rendering(
        authority=authority, term_en="Large Language Model", term_zh_hans="大型语言模型"
    )
    preferred = {"en": "large language model", "zh-Hans": "大语言模型"}
    assert rendering.departures(preferred) == ["zh-Hans"]
    assert rendering.departures({"en": "large language model"}) == []
