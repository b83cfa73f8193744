"""Proposals from readers: "Suggest a correction", "Propose a term", and their statistics.

No account is needed. Spam is kept out as on the rest of the site: a honeypot field that people
never see (a form that fills it is thanked and dropped), a limit per address and hour
(``glossary.http.form_throttle``, counting only what was kept), size limits on every field,
and control characters refused (``glossary.http.input_guard`` and the model). A refused form
comes back with everything typed still in it. These pages are never cached: they carry a CSRF
token.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from glossary.core import services
from glossary.core.choices import Language, interface_language
from glossary.core.models import Concept, ProposalKind, ProposalTally
from glossary.core.models.proposals import (
    DEFINITION_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
    TERM_MAX_LENGTH,
)
from glossary.http import form_throttle
from glossary.http.input_guard import checks_own_form, refuse_in_fields
from glossary.site.presentation import guess_language, label_term

SCOPE = "proposal"
#: Months the statistics page lists (a row each).
STATS_MONTHS = 24
HONEYPOT = "website"


class ProposalForm(forms.Form):
    term_en = forms.CharField(
        label=gettext_lazy("English term"), max_length=TERM_MAX_LENGTH, required=False
    )
    term_zh_hans = forms.CharField(
        label=gettext_lazy("Simplified Chinese term"), max_length=TERM_MAX_LENGTH, required=False
    )
    term_zh_hant = forms.CharField(
        label=gettext_lazy("Traditional Chinese term"), max_length=TERM_MAX_LENGTH, required=False
    )
    definition = forms.CharField(
        label=gettext_lazy("Definition or context"),
        help_text=gettext_lazy("What the term means, or a sentence where it is used."),
        max_length=DEFINITION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    definition_language = forms.ChoiceField(
        label=gettext_lazy("Language of the definition or context"),
        choices=[("", "—"), *Language.choices],
        required=False,
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        help_text=gettext_lazy("Where you read it: a document, a standard, a law, a web address."),
        max_length=SOURCE_MAX_LENGTH,
        required=False,
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail (optional)"),
        help_text=gettext_lazy(
            "Only to tell you what the editors decided. It is never shown or shared."
        ),
        required=False,
    )
    # The honeypot: hidden from people by the stylesheet and from screen readers by aria-hidden.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this field empty"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Refused beside the field, with the typing kept (the view is marked checks_own_form).
        refuse_in_fields(self, line_breaks=("definition",))
        return data


def _initial_from_query(query: str) -> dict[str, str]:
    """A search that found nothing: its text as the term, in the field of its language."""
    query = " ".join(query.split())[:TERM_MAX_LENGTH]
    if not query:
        return {}
    field = {Language.ZH_HANS: "term_zh_hans", Language.ZH_HANT: "term_zh_hant"}.get(
        guess_language(query), "term_en"
    )
    return {field: query}


def _handle(
    request: HttpRequest, *, kind: str, concept: Concept | None, template_context: dict[str, Any]
) -> HttpResponse:
    context = dict(template_context)
    if request.method != "POST":
        initial = _initial_from_query(request.GET.get("q", "")) if concept is None else {}
        context["form"] = ProposalForm(initial=initial)
        return render(request, "site/proposals/propose.html", context)
    form = ProposalForm(request.POST)
    context["form"] = form
    wait = form_throttle.wait(SCOPE, request)
    if wait is not None:
        minutes = form_throttle.in_minutes(wait)
        context["refusal"] = ngettext(
            "Too many proposals from this address in the last hour. Nothing was sent: your text "
            "is still below. Try again in %(minutes)d minute.",
            "Too many proposals from this address in the last hour. Nothing was sent: your text "
            "is still below. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = render(request, "site/proposals/propose.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    if not form.is_valid():
        return render(request, "site/proposals/propose.html", context, status=400)
    data = form.cleaned_data
    if data.pop(HONEYPOT):
        # A robot: thanked like a person, and nothing kept.
        return HttpResponseRedirect(reverse("glossary:proposal_thanks"))
    try:
        services.proposal_submit(kind=kind, concept=concept, language=interface_language(), **data)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return render(request, "site/proposals/propose.html", context, status=400)
    form_throttle.record(SCOPE, request)
    return HttpResponseRedirect(reverse("glossary:proposal_thanks"))


@checks_own_form
@require_http_methods(["GET", "HEAD", "POST"])
def propose_term(request: HttpRequest) -> HttpResponse:
    """Propose a term the glossary lacks (``?q=`` prefills it, from a search that found nothing)."""
    return _handle(request, kind=ProposalKind.NEW_TERM, concept=None, template_context={})


@checks_own_form
@require_http_methods(["GET", "HEAD", "POST"])
def suggest_correction(request: HttpRequest, uid: str) -> HttpResponse:
    """Suggest a correction of a published concept."""
    concept = Concept.objects.for_lists().filter(uid=uid).first()
    if concept is None:
        raise Http404(_("There is no published concept with this identifier."))
    return _handle(
        request,
        kind=ProposalKind.CORRECTION,
        concept=concept,
        template_context={"concept": concept, "title_term": label_term(concept.public_version)},
    )


def proposal_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "site/proposals/thanks.html")


def proposal_statistics(request: HttpRequest) -> HttpResponse:
    """Proposals received and accepted, month by month: a row a month, never a count."""
    months = list(ProposalTally.objects.order_by("-month")[:STATS_MONTHS])
    return render(
        request,
        "site/proposals/statistics.html",
        {
            "months": months,
            "received": sum(month.received for month in months),
            "accepted": sum(month.accepted for month in months),
        },
    )
