"""Watching a concept or a domain by e-mail, and the Atom feed of one concept.

No account: the reader gives an address, a confirmation link is mailed to it (double opt-in),
and each e-mail after that carries a one-click link to stop (``List-Unsubscribe``). The forms
are protected like the proposal form (honeypot, a limit per address and hour, control
characters refused). The stop link is exempt from CSRF: its signed token is the proof, and mail
programs send the one-click POST of RFC 8058 without a form of ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from glossary.core import services, watch_mail
from glossary.core.choices import interface_language
from glossary.core.models import Concept, ConceptVersion, Domain
from glossary.http import form_throttle
from glossary.http.input_guard import checks_own_form, refuse_in_fields
from glossary.site.feeds import ChangesFeed, Scope, tag_authority
from glossary.site.presentation import label_term
from glossary.site.views import public_domain

SCOPE = "watch"


class WatchForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail"))
    # The honeypot (see glossary.site.proposals).
    website = forms.CharField(required=False, label=gettext_lazy("Leave this field empty"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Refused beside the field, with the address kept (the view is marked checks_own_form).
        refuse_in_fields(self)
        return data


def _target(request: HttpRequest) -> tuple[Concept | None, Domain | None]:
    uid, key = request.GET.get("concept", ""), request.GET.get("domain", "")
    if uid:
        concept = Concept.objects.for_lists().filter(uid=uid).first()
        if concept is None:
            raise Http404(_("There is no published concept with this identifier."))
        return concept, None
    if key:
        return None, public_domain(key)
    raise Http404(_("Say what to watch: a concept or a domain."))


@checks_own_form
@require_http_methods(["GET", "HEAD", "POST"])
def watch(request: HttpRequest) -> HttpResponse:
    """Watch ``?concept=<uid>`` or ``?domain=<key>``: the address, then a confirmation e-mail."""
    concept, domain = _target(request)
    context: dict[str, Any] = {
        "concept": concept,
        "domain": domain,
        "target_concept": concept,
        "target_domain": domain,
        "title_term": label_term(concept.public_version) if concept else None,
    }
    if request.method != "POST":
        context["form"] = WatchForm()
        return render(request, "site/watching/watch.html", context)
    form = WatchForm(request.POST)
    context["form"] = form
    wait = form_throttle.wait(SCOPE, request)
    if wait is not None:
        minutes = form_throttle.in_minutes(wait)
        context["refusal"] = ngettext(
            "Too many requests from this address in the last hour. Nothing was sent. Try again "
            "in %(minutes)d minute.",
            "Too many requests from this address in the last hour. Nothing was sent. Try again "
            "in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = render(request, "site/watching/watch.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    if not form.is_valid():
        return render(request, "site/watching/watch.html", context, status=400)
    if form.cleaned_data["website"]:
        return HttpResponseRedirect(reverse("glossary:watch_sent"))
    try:
        services.watch_request(
            email=form.cleaned_data["email"],
            concept=concept,
            domain=domain,
            language=interface_language(),
        )
    except ValidationError as exc:
        form.add_error("email" if "email" in exc.message_dict else None, exc.messages)
        return render(request, "site/watching/watch.html", context, status=400)
    form_throttle.record(SCOPE, request)
    return HttpResponseRedirect(reverse("glossary:watch_sent"))


def watch_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "site/watching/sent.html")


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/watching/bad_link.html",
        status=400,
    )


def watch_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation e-mail."""
    try:
        found = watch_mail.read_token(
            token, watch_mail.CONFIRM_SALT, max_age=watch_mail.CONFIRM_MAX_AGE
        )
    except signing.BadSignature:
        return _bad_link(request)
    if found is None:
        return _bad_link(request)
    services.watch_confirm(watch=found)
    return render(
        request,
        "site/watching/confirmed.html",
        {
            "target_concept": found.concept,
            "target_domain": found.domain,
            "stop_url": reverse(
                "glossary:watch_stop", args=[watch_mail.token(found, watch_mail.STOP_SALT)]
            ),
        },
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def watch_stop(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a button to stop (a link opened by a mail scanner stops nothing). POST: stop; also
    the one-click POST a mail program sends for ``List-Unsubscribe-Post``."""
    try:
        found = watch_mail.read_token(token, watch_mail.STOP_SALT)
    except signing.BadSignature:
        return _bad_link(request)
    if request.method == "POST":
        if found is not None:
            services.watch_stop(watch=found)
        return render(request, "site/watching/stopped.html")
    if found is None:
        return render(request, "site/watching/stopped.html")
    return render(
        request,
        "site/watching/stop.html",
        {"target_concept": found.concept, "target_domain": found.domain},
    )


# --- The feed of one concept -------------------------------------------------------------


@dataclass(frozen=True)
class ConceptScope(Scope):
    concept: Concept | None = None


class ConceptFeed(ChangesFeed):
    """The publications of one concept, newest first (404 while it is not published)."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> ConceptScope:
        concept = Concept.objects.for_lists().filter(uid=kwargs["uid"]).first()
        if concept is None:
            raise Http404(_("There is no published concept with this identifier."))
        return ConceptScope(authority=tag_authority(request), concept=concept)

    def title(self, obj: ConceptScope) -> str:
        assert obj.concept is not None
        term = label_term(obj.concept.public_version)
        return _("AI Glossary: published versions of %(name)s") % {
            "name": term.text if term is not None else obj.concept.uid
        }

    def link(self, obj: ConceptScope) -> str:
        assert obj.concept is not None
        return reverse("glossary:concept", args=[obj.concept.uid])

    def feed_url(self, obj: ConceptScope) -> str:
        assert obj.concept is not None
        return reverse("glossary:feed_concept", args=[obj.concept.uid])

    def versions(self, obj: Scope) -> Any:
        assert isinstance(obj, ConceptScope) and obj.concept is not None
        return ConceptVersion.objects.for_changes().filter(concept=obj.concept)
