"""Template tags of the editorial admin."""

from __future__ import annotations

from typing import Any

from django import template

from glossary.core.models import ConceptVersion

register = template.Library()


@register.simple_tag
def waiting_for_review(user: Any) -> int | None:
    """How many versions wait for this reviewer; None for someone who does not review."""
    if not (user.is_authenticated and user.has_perm("glossary.review_version")):
        return None
    return ConceptVersion.objects.waiting_for(user).count()
