"""Traditional Chinese suggested from Simplified (OpenCC) for a draft's terms and texts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from glossary.core.choices import Language, Region, TermStatus
from glossary.core.fields import traditional_field_names
from glossary.core.models import (
    ConceptVersion,
    Term,
)
from glossary.language import fold, to_traditional

SUGGESTION_REGIONS = ("tw", "hk")


class TermLike(Protocol):
    """A stored Term or a submitted TermData: what the suggestions read of a term."""

    language: str
    text: str
    status: str
    geographic_usage: str
    machine_converted: bool


_REGION_OF_USAGE = {Region.TW: "tw", Region.HK: "hk"}


def suggest_traditional(simplified: str, region: str = "tw") -> str:
    """OpenCC's suggestion (Taiwan or Hong Kong wording) for a Simplified text; empty for an empty text."""
    return to_traditional(simplified, region).strip() if simplified.strip() else ""


def simplified_field(traditional_field: str) -> str:
    return traditional_field.removesuffix("_zh_hant") + "_zh_hans"


def draft_terms(version: ConceptVersion) -> list[Term]:
    """The draft's terms, read once per page (the form, the inline and the fieldsets share it)."""
    cached = getattr(version, "_suggestion_terms", None)
    if cached is None:
        cached = list(version.terms.all()) if version.pk else []
        version._suggestion_terms = cached
    return cached


def _counterparts(simplified: str, traditional: str) -> bool:
    """Whether a Traditional term renders a Simplified one: by folded form, or by conversion.

    Folding alone misses conversions whose Taiwan phrase folds to another mainland word
    (程序设计 → 程式設計 → 编程).
    """
    if fold(simplified) == fold(traditional):
        return True
    return traditional in {suggest_traditional(simplified, r) for r in SUGGESTION_REGIONS}


def suggestion_region(terms: Iterable[TermLike]) -> str:
    """``hk`` when the draft's Traditional terms are used in Hong Kong, else ``tw``.

    The preferred zh-Hant term's usage decides; without TW or HK on it, the first other zh-Hant
    term marked with one of them.
    """
    traditional = sorted(
        (t for t in terms if t.language == Language.ZH_HANT),
        key=lambda t: t.status != TermStatus.PREFERRED,
    )
    for term in traditional:
        if term.geographic_usage in _REGION_OF_USAGE:
            return _REGION_OF_USAGE[term.geographic_usage]
    return "tw"


def traditional_suggestions(version: ConceptVersion) -> dict[str, str]:
    """The zh-Hant fields of a draft shown as machine-converted, with the value to show.

    A field qualifies while it is flagged as unreviewed, or when it is empty and its Simplified
    counterpart is written. The value is the conversion of the current Simplified text (so a
    suggestion follows edits of the Simplified text), or the stored text if that was emptied.
    """
    cached = getattr(version, "_traditional_suggestions", None)
    if cached is not None:
        return cached
    flagged = set(version.machine_converted_fields or [])
    region = suggestion_region(draft_terms(version))
    suggestions = {}
    for name in traditional_field_names():
        stored = getattr(version, name) or ""
        simplified = getattr(version, simplified_field(name)) or ""
        if name in flagged or (not stored.strip() and simplified.strip()):
            suggestion = suggest_traditional(simplified, region) or stored
            if suggestion:
                suggestions[name] = suggestion
    version._traditional_suggestions = suggestions
    return suggestions


@dataclass(frozen=True)
class TermSuggestion:
    """A Traditional term offered from a Simplified one: shown beside it, taken only on request."""

    source: str  # the Simplified term it converts
    text: str
    status: str

    @property
    def value(self) -> str:
        """What the draft form's button for it sends (SUGGESTION_FIELD)."""
        return f"{self.status}|{self.text}"


def suggestions_for(terms: Iterable[TermLike]) -> list[TermSuggestion]:
    """Traditional terms to offer for these terms (stored, or just submitted), one each.

    The preferred Simplified term is offered as the preferred Traditional term while there is
    none; each admitted Simplified term that no Traditional term renders (``_counterparts``) is
    offered as admitted. Converted in the terms' region; never a text already there. Computed
    from the terms given, so a Simplified term removed leaves no suggestion behind.
    """
    terms = list(terms)
    region = suggestion_region(terms)
    traditional = [t for t in terms if t.language == Language.ZH_HANT]
    taken = {t.text for t in traditional}
    has_preferred = any(t.status == TermStatus.PREFERRED for t in traditional)
    suggestions: list[TermSuggestion] = []
    simplified = sorted(
        (t for t in terms if t.language == Language.ZH_HANS),
        key=lambda t: t.status != TermStatus.PREFERRED,
    )
    for term in simplified:
        if term.status == TermStatus.PREFERRED and not has_preferred:
            status = TermStatus.PREFERRED
        elif term.status == TermStatus.ADMITTED and not any(
            _counterparts(term.text, t.text) for t in traditional
        ):
            status = TermStatus.ADMITTED
        else:
            continue
        suggestion = suggest_traditional(term.text, region)
        if suggestion and suggestion not in taken:
            taken.add(suggestion)
            suggestions.append(TermSuggestion(term.text, suggestion, status))
    return suggestions


def term_suggestions(version: ConceptVersion) -> list[TermSuggestion]:
    """The suggestions for a draft's stored terms (read once per page)."""
    cached = getattr(version, "_traditional_term_suggestions", None)
    if cached is None:
        cached = suggestions_for(draft_terms(version))
        version._traditional_term_suggestions = cached
    return cached


def orphaned_conversions(terms: Iterable[TermLike]) -> list[TermLike]:
    """Unreviewed machine-converted Traditional terms whose Simplified source is gone.

    A conversion stands for its source: when the source is removed (a reviewer asked for it),
    the conversion goes with it rather than being published on its own.
    """
    terms = list(terms)
    simplified = [t.text for t in terms if t.language == Language.ZH_HANS]
    return [
        t
        for t in terms
        if t.language == Language.ZH_HANT
        and t.machine_converted
        and not any(_counterparts(source, t.text) for source in simplified)
    ]


def regional_term(version: ConceptVersion, term: Term) -> str:
    """An unreviewed Traditional term in the wording of the region it is marked as used in.

    The conversion of the Simplified term it renders, with ``hk`` for a term used in Hong Kong
    and ``tw`` for one used in Taiwan; empty when there is nothing to change.
    """
    region = _REGION_OF_USAGE.get(term.geographic_usage)
    if region is None:
        return ""
    terms = draft_terms(version)
    simplified = next(
        (
            t.text
            for t in terms
            if t.language == Language.ZH_HANS and _counterparts(t.text, term.text)
        ),
        "",
    )
    suggestion = suggest_traditional(simplified, region)
    others = {t.text for t in terms if t.language == Language.ZH_HANT and t.pk != term.pk}
    if not suggestion or suggestion == term.text or suggestion in others:
        return ""
    return suggestion
