"""Decision records in public: the dialogue rounds, and what each one agreed.

A round's page lists the versions whose approval cited it, once they are public (published,
then perhaps superseded or retired): a version cited while still in review shows nowhere until
both sides have approved it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from glossary.core.choices import HISTORY_STATES, Language
from glossary.core.models import ConceptVersion, DialogueRound, RoundAgreement
from glossary.site import paging

#: Rounds on one page of the list, and agreements on one page of a round.
ROUNDS_PAGE = 50
AGREEMENTS_PAGE = 100


@dataclass(frozen=True)
class Agreed:
    """One line of what a round agreed: a version, and how it changed its concept."""

    version: ConceptVersion

    @property
    def is_new(self) -> bool:
        return self.version.based_on_id is None

    @property
    def definition_changed(self) -> bool:
        old = self.version.based_on
        return old is not None and any(
            self.version.translated("definition", language)
            != old.translated("definition", language)
            for language in Language
        )

    @property
    def agreement_moved(self) -> bool:
        old = self.version.based_on
        return old is not None and old.agreement != self.version.agreement


def round_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(DialogueRound.objects.order_by("-starts_on", "-pk"), ROUNDS_PAGE)
    return render(
        request,
        "site/rounds/list.html",
        {"page": paging.page_or_404(paginator, request.GET.get("page"))},
    )


def round_detail(request: HttpRequest, key: str) -> HttpResponse:
    dialogue_round = DialogueRound.objects.filter(key=key).first()
    if dialogue_round is None:
        raise Http404(_("There is no such dialogue round."))
    agreements = (
        RoundAgreement.objects.filter(
            dialogue_round=dialogue_round, version__state__in=HISTORY_STATES
        )
        .select_related("version__concept", "version__based_on")
        .prefetch_related("version__terms")
        .order_by("version__published_at", "pk")
    )
    page = paging.page_or_404(Paginator(agreements, AGREEMENTS_PAGE), request.GET.get("page"))
    page.object_list = [Agreed(agreement.version) for agreement in page.object_list]
    return render(
        request,
        "site/rounds/detail.html",
        {
            "round": dialogue_round,
            "us_delegation": dialogue_round.delegation("us"),
            "cn_delegation": dialogue_round.delegation("cn"),
            "page": page,
        },
    )
