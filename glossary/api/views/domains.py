"""Domains (subject fields)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from glossary.api import conditional
from glossary.api import serializers as s
from glossary.api.views.base import (
    CONDITIONAL_HEADERS,
    NOT_MODIFIED,
    PUBLIC,
    ApiView,
    error_responses,
    ok,
)
from glossary.core.models import Concept


class DomainListView(ApiView):
    @extend_schema(
        tags=[PUBLIC],
        operation_id="domains_list",
        summary=_lazy("List domains"),
        description=_lazy("Every domain (subject field), with its name in each language."),
        parameters=CONDITIONAL_HEADERS,
        responses={
            200: ok(s.DomainListSerializer(many=True), _lazy("The domains, by key.")),
            **NOT_MODIFIED,
            **error_responses(429),
        },
    )
    def get(self, request: Request) -> Response:
        domains = Concept.objects.for_api_domains()
        # Domain names are edited in place (no timestamp), so their content is in the stamp.
        names = tuple(
            (d.key, d.name_en, d.name_zh_hans, d.name_zh_hant, d.concept_count) for d in domains
        )
        return self.conditional(
            conditional.publication_stamp(extra=names),
            lambda: Response(self.render(s.DomainListSerializer, domains, many=True)),
        )
