"""Template tags of the editorial admin."""

from __future__ import annotations

from typing import Any

from django import template

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
