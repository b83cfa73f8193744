"""Who may use the editorial API: the same people who may use the editorial admin.

This only opens the door (an active staff account, as the admin requires). What each person may
then do (edit, submit, review, withdraw, retire) is decided by ``glossary.core.workflow`` inside the
services, with the same permissions and review policy as the admin's buttons.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class IsEditorialUser(BasePermission):
    """An active staff account, authenticated by token or session."""

    message = _("Sign in with an editorial (staff) account to use this endpoint.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class CanReadOpenVersions(IsEditorialUser):
    """Editorial users who may see versions that are not published (drafts, in review)."""

    message = _("You may not read unpublished versions.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and request.user.has_perm(
            "glossary.view_conceptversion"
        )
