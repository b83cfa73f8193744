"""Authorities' renderings on the public site: the concept page's crosswalk, a page per authority."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from glossary.core.choices import Language, TermStatus
from glossary.core.models import Authority, ConceptVersion, Rendering, Term
from glossary.site import paging

#: Renderings shown on one page of an authority.
AUTHORITY_PAGE_SIZE = 50


@dataclass
class CrosswalkCell:
    language: str
    theirs: str
    ours: str
    differs: bool


@dataclass
class CrosswalkRow:
    rendering: Rendering
    cells: list[CrosswalkCell]

    @property
    def differs(self) -> bool:
        return any(cell.differs for cell in self.cells)


def crosswalk_row(rendering: Rendering, terms: list[Term]) -> CrosswalkRow:
    """One authority's rendering beside the glossary's preferred term in each language."""
    preferred = {t.language: t.text for t in terms if t.status == TermStatus.PREFERRED}
    departures = set(rendering.departures(preferred))
    cells = [
        CrosswalkCell(
            language=str(language),
            theirs=rendering.term(language),
            ours=preferred.get(language, ""),
            differs=str(language) in departures,
        )
        for language in Language
        if rendering.term(language)
    ]
    return CrosswalkRow(rendering=rendering, cells=cells)


def crosswalk(version: ConceptVersion) -> list[CrosswalkRow]:
    """The concept page's crosswalk (renderings and terms prefetched: no query)."""
    terms = list(version.terms.all())
    return [crosswalk_row(rendering, terms) for rendering in version.renderings.all()]


def authority_list(request: HttpRequest) -> HttpResponse:
    """Every authority the glossary records (a short list of reference data)."""
    return render(
        request,
        "glossary/authorities.html",
        {"authorities": list(Authority.objects.order_by("key"))},
    )


def authority_detail(request: HttpRequest, key: str) -> HttpResponse:
    """An authority's renderings on published concepts, and where the glossary departs."""
    authority = Authority.objects.filter(key=key).first()
    if authority is None:
        raise Http404(_("There is no authority with this key."))
    paginator = Paginator(Rendering.objects.for_authority_page(authority), AUTHORITY_PAGE_SIZE)
    page = paging.page_or_404(paginator, request.GET.get("page"))
    rows = [crosswalk_row(r, r.version.preferred_terms) for r in page.object_list]
    return render(
        request,
        "glossary/authority.html",
        {"authority": authority, "page": page, "rows": rows},
    )
