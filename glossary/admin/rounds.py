"""Decision records in the admin: dialogue rounds, and the choice of one when approving."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from glossary.core import services
from glossary.core.models import DialogueRound
from glossary.core.services.rounds import ROUND_PERMISSION

#: Rounds offered when approving, newest first.
OFFERED_ROUNDS = 20


def recent_rounds() -> list[DialogueRound]:
    return list(DialogueRound.objects.order_by("-starts_on", "-pk")[:OFFERED_ROUNDS])


def cited_round(value: str) -> DialogueRound | None:
    """The round an approval form names (empty: none)."""
    if not value.isdigit():
        return None
    return DialogueRound.objects.filter(pk=int(value)).first()


@admin.register(DialogueRound)
class DialogueRoundAdmin(TranslationAdmin):
    list_display = ["name", "starts_on", "ends_on", "place"]
    ordering = ["-starts_on", "-pk"]
    search_fields = ["key", "name_en", "name_zh_hans", "name_zh_hant"]
    fields = [
        "key",
        "name",
        "starts_on",
        "ends_on",
        "place",
        "us_delegation",
        "cn_delegation",
        "summary",
        "minutes_url",
    ]

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _may(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.has_perm(ROUND_PERMISSION)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a record: approvals cite it

    def save_model(self, request: HttpRequest, obj: DialogueRound, form: Any, change: bool) -> None:
        services.dialogue_round_save(dialogue_round=obj, user=request.user)
