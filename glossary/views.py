"""Public pages. Each view parses its input, calls one queryset or service, and renders."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from glossary.models import Concept


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "glossary/home.html", {"count": Concept.objects.published().count()})


def concept_detail(request: HttpRequest, uid: str) -> HttpResponse:
    concept = Concept.objects.published().filter(uid=uid).select_related("public_version").first()
    if concept is None:
        raise Http404
    return render(request, "glossary/concept.html", {"concept": concept})
