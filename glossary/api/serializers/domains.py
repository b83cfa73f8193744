"""Domains (subject fields)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from glossary.api.serializers.base import OutputSerializer, TranslatedField


class DomainSerializer(OutputSerializer):
    key = serializers.SlugField(help_text=_("Stable identifier of the domain (subject field)."))
    name = TranslatedField("name", help_text=_("Name of the domain in each language."))


class DomainListSerializer(DomainSerializer):
    concept_count = serializers.IntegerField(
        help_text=_("How many current (published, not retired) concepts are in this domain.")
    )
