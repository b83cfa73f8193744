"""The authorities whose rendering a translation uses where the glossary prefers another term.

A term check says "admitted; recommended by …" when the translation's term is one an authority
gives for the concept (issue 18). The page, the API, the file report and ``check_terms`` all
read the authorities here: one query for a whole check or a whole file, none when every term
the translation uses is preferred.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import resolution_order

from glossary.core.choices import FIELD_SUFFIX, Language, RenderingStatus
from glossary.core.models import Rendering
from glossary.termcheck import engine

#: What a finding says of an authority whose rendering the translation uses.
RENDERING_REASONS = {
    RenderingStatus.PROMULGATED: _("promulgated by %(authority)s"),
    RenderingStatus.RECOMMENDED: _("recommended by %(authority)s"),
    RenderingStatus.STANDARDISED: _("standardised by %(authority)s"),
    RenderingStatus.USED: _("used by %(authority)s"),
}

#: Django's language codes (those of modeltranslation's fallbacks) by BCP 47 tag.
_DJANGO_CODE = {str(language): str(language).lower() for language in Language}


@dataclass(frozen=True, slots=True)
class Mention:
    """An authority that gives a term of a concept: its key, names, the status and the term."""

    key: str
    #: The authority's name in each language (BCP 47 tag → name, empty when not given).
    names: dict[str, str] = field(hash=False, compare=False)
    status: str
    term: str

    def name(self) -> str:
        """The authority's name in the active language, else in its fallbacks, else its key."""
        language = (get_language() or "en").lower()
        for code in resolution_order(language):
            for tag, django_code in _DJANGO_CODE.items():
                if django_code == code and self.names.get(tag):
                    return self.names[tag]
        return self.key

    def said(self) -> str:
        """ "recommended by …", in the active language."""
        reason = RENDERING_REASONS.get(RenderingStatus(self.status)) if self.status else None
        return str(reason) % {"authority": self.name()} if reason else self.name()

    def as_dict(self) -> dict[str, object]:
        """The API's and the JSON report's shape: names in every language, codes untranslated."""
        return {"key": self.key, "name": dict(self.names), "status": self.status, "term": self.term}


#: Mentions by (concept uid, glossary term).
Mentions = dict[tuple[str, str], tuple[Mention, ...]]


def said(mentions: Iterable[Mention]) -> str:
    """The mentions as one line: "recommended by A; used by B" (each said once)."""
    return "; ".join(dict.fromkeys(mention.said() for mention in mentions))


def mentions_of(pairs: set[tuple[str, str]]) -> Mentions:
    """For each (concept uid, term), the authorities whose rendering on the concept's current
    public version is that term, in the version's order: one query, none without pairs."""
    found: dict[tuple[str, str], dict[str, Mention]] = {}
    for rendering in Rendering.objects.renderings_of_public_terms(pairs):
        uid = rendering.version.concept.uid
        authority = rendering.authority
        names = {
            str(language): getattr(authority, f"name_{suffix}") or ""
            for language, suffix in FIELD_SUFFIX.items()
        }
        for text in dict.fromkeys(
            (rendering.term_en, rendering.term_zh_hans, rendering.term_zh_hant)
        ):
            if text and (uid, text) in pairs:
                mention = Mention(authority.key, names, rendering.status, text)
                found.setdefault((uid, text), {}).setdefault(
                    f"{authority.key}:{rendering.status}", mention
                )
    return {key: tuple(by_authority.values()) for key, by_authority in found.items()}


def unpreferred_pairs(result: engine.CheckResult) -> set[tuple[str, str]]:
    """The (concept, glossary term) of each term a translation uses that is not preferred."""
    return {
        (finding.concept, span.term)
        for finding in result.findings
        for span in finding.target
        if span.status != "preferred"
    }


def of_result(result: engine.CheckResult) -> Mentions:
    """The authorities of the unpreferred terms a translation uses (one query at most)."""
    return mentions_of(unpreferred_pairs(result))


def of_finding(finding: engine.Finding, mentions: Mentions) -> tuple[Mention, ...]:
    """The authorities of a finding's unpreferred target terms, each term's once, in order."""
    terms = dict.fromkeys(span.term for span in finding.target if span.status != "preferred")
    return tuple(mention for term in terms for mention in mentions.get((finding.concept, term), ()))


def result_payload(result: engine.CheckResult, mentions: Mentions) -> dict[str, object]:
    """``result.as_dict()`` with each finding's ``authorities`` (empty for most)."""
    payload = result.as_dict()
    for finding, data in zip(result.findings, payload["findings"], strict=True):
        data["authorities"] = [mention.as_dict() for mention in of_finding(finding, mentions)]
    return payload
