"""Small factories that build glossary data through the service layer, as users would."""

from __future__ import annotations

from glossary.core import services
from glossary.core.choices import Agreement, Language, Maturity, TermStatus, TermType
from glossary.core.models import ConceptVersion, Domain, Source
from glossary.core.services import CitationData, DraftData, TermData
from glossary.termcheck.engine import MAX_TEXT_LENGTH


def make_user(
    username: str,
    *,
    group: str | None = None,
    side: str = "",
    role: str = "linguist",
    staff: bool = True,
):
    user, _created = services.person_ensure(
        username=username,
        group=group,
        side=side,
        role=role,
        password="pw-" + username,
        staff=staff,
    )
    return user


def source(key: str = "cn-genai-measures") -> Source:
    obj, _ = Source.objects.get_or_create(
        key=key, defaults={"title": f"Source {key}", "jurisdiction": "CN", "language": "zh-Hans"}
    )
    return obj


def domain(key: str = "generative-ai") -> Domain:
    obj, _ = Domain.objects.get_or_create(
        key=key, defaults={"name": key, "name_en": key, "name_zh_hans": key, "name_zh_hant": key}
    )
    return obj


def complete_data(
    en: str = "generative AI",
    zh_hans: str = "生成式人工智能",
    zh_hant: str = "生成式人工智慧",
    **texts: str,
) -> DraftData:
    return DraftData(
        texts={
            "definition_en": f"AI that produces new content: {en}.",
            "definition_zh_hans": f"能够生成新内容的人工智能：{zh_hans}。",
            "definition_zh_hant": f"能夠生成新內容的人工智慧：{zh_hant}。",
            **texts,
        },
        agreement=Agreement.AGREED,
        maturity=Maturity.ESTABLISHED,
        domains=[domain()],
        terms=[
            TermData(language=Language.EN, text=en, status=TermStatus.PREFERRED),
            TermData(
                language=Language.EN,
                text=f"{en} (admitted)" if en != "generative AI" else "GenAI",
                status=TermStatus.ADMITTED,
                term_type=TermType.ABBREVIATION,
            ),
            TermData(language=Language.ZH_HANS, text=zh_hans, status=TermStatus.PREFERRED),
            TermData(language=Language.ZH_HANT, text=zh_hant, status=TermStatus.PREFERRED),
        ],
        citations=[CitationData(source=source(), locator="第二十二条")],
    )


def make_draft(editor, uid: str = "generative-ai", data: DraftData | None = None) -> ConceptVersion:
    return services.concept_create(uid=uid, user=editor, data=data or complete_data())


def make_published(
    editor, reviewers, uid: str = "generative-ai", data: DraftData | None = None
) -> ConceptVersion:
    version = make_draft(editor, uid, data)
    services.version_submit(version=version, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=version, user=reviewer)
    version.refresh_from_db()
    return version


def edit_draft(draft: ConceptVersion, editor, **texts: str) -> ConceptVersion:
    """Change some texts of a draft (a draft must differ from the published version to be
    submitted)."""
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    data.texts.update(texts or {"note_en": "Edited."})
    return services.draft_update(
        version=draft, user=editor, data=data, expected_revision=draft.revision
    )


def admin_form_data(response) -> dict:
    """The POST a browser would send for an unchanged admin change form, inlines included."""
    data = {}

    def put(form, name):
        value = form[name].value()
        if value is None or value is False:
            return
        if value is True:
            value = "on"
        if isinstance(value, list | tuple):
            value = [getattr(v, "pk", v) for v in value]
        data[form.add_prefix(name)] = value

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for row in formset.forms:
            for name in row.fields:
                put(row, name)
    return data


# --- The term check's glossaries and texts ---------------------------------------------------


def concept_data(
    en: str, zh_hans: str, zh_hant: str = "", *more: tuple[str, str, str]
) -> DraftData:
    """A complete draft with these preferred terms, plus (language, text, status) extras."""
    terms = [
        TermData(language=Language.EN, text=en, status=TermStatus.PREFERRED),
        TermData(language=Language.ZH_HANS, text=zh_hans, status=TermStatus.PREFERRED),
    ]
    if zh_hant:
        terms.append(TermData(language=Language.ZH_HANT, text=zh_hant, status=TermStatus.PREFERRED))
    terms.extend(TermData(language=lang, text=t, status=status) for lang, t, status in more)
    return DraftData(
        texts={
            "definition_en": f"The concept of {en}.",
            "definition_zh_hans": f"{zh_hans}的概念。",
        },
        agreement=Agreement.AGREED,
        maturity=Maturity.ESTABLISHED,
        domains=[domain()],
        terms=terms,
    )


def publish(editor, reviewers, uid: str, data: DraftData):
    """Publish a new concept with this content, approved by these reviewers."""
    return make_published(editor, reviewers, uid, data)


def pathological_texts() -> tuple[str, str]:
    """Two texts at the documented limit, each nothing but short glossary terms, repeated."""
    source = ("AI, layers and neural nets; " * MAX_TEXT_LENGTH)[:MAX_TEXT_LENGTH]
    target = ("层，" * MAX_TEXT_LENGTH)[:MAX_TEXT_LENGTH]
    return source, target
