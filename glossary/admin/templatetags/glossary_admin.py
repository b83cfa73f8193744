"""Template tags of the editorial admin."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from glossary.admin.inbox import InboxList, inbox_lists
from glossary.core.models import ConceptVersion

register = template.Library()


@register.simple_tag
def inbox(user: Any) -> list[InboxList]:
    """The admin home's lists for this person (``glossary.admin.inbox``)."""
    return inbox_lists(user)


@register.filter
def preferred_text(version: ConceptVersion, language: str) -> str:
    """The version's preferred term in a language, from its prefetched preferred terms."""
    for term in version.terms.all():
        if term.language == language:
            return term.text
    return ""


@register.simple_tag
def chinese_term(version: ConceptVersion) -> dict[str, str]:
    """The preferred Chinese term in the reader's script (Traditional in the zh-Hant admin,
    else Simplified), or the other one when that is missing: {"lang": tag, "text": term}."""
    order = ["zh-Hant", "zh-Hans"] if get_language() == "zh-hant" else ["zh-Hans", "zh-Hant"]
    for language in order:
        text = preferred_text(version, language)
        if text:
            return {"lang": language, "text": text}
    return {"lang": "", "text": ""}
