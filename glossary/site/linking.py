"""Concept names inside a text, linked to their concepts.

The names are found by the term check's index (``glossary.termcheck.index``): it is held by
every worker and brought up to date when something is published, so linking a text costs no
query per word, only the one that reads the publication stamp. The term check's own page
builds on this package's presentation helpers, so the index is named by its dotted path (as
``glossary.core.publication`` names its steps) rather than imported, which would make the two
packages import each other.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from glossary.site.presentation import Shown, lang_spans

#: The term index every worker holds (``glossary.termcheck.index.current_checker``).
CHECKER = "glossary.termcheck.index.current_checker"


def linked(text: Shown, *, skip: str = "") -> SafeString:
    """The text escaped (each run of the other script in its own ``<span lang>``), with the
    first occurrence of each published concept's term linked to the concept. ``skip`` is the
    uid of the concept the text belongs to, which is not linked to itself."""
    value, language = str(text or ""), text.lang
    try:
        found = import_string(CHECKER)().find(value, language)
    except ValueError:  # a language the check does not know
        found = []
    pieces: list[str] = []
    cursor = 0
    seen = {skip}
    for occurrence in found:
        uid = occurrence.concept.uid
        if uid in seen or occurrence.concept.retired or occurrence.start < cursor:
            continue
        seen.add(uid)
        pieces.append(lang_spans(value[cursor : occurrence.start], language))
        pieces.append(
            format_html(
                '<a class="concept-link" href="{}">{}</a>',
                reverse("glossary:concept", args=[uid]),
                lang_spans(value[occurrence.start : occurrence.end], language),
            )
        )
        cursor = occurrence.end
    pieces.append(lang_spans(value[cursor:], language))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
