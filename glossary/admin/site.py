"""The admin site's titles, and the user model the admin manages."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

User = get_user_model()


admin.site.site_header = _("AI Glossary editorial admin")


admin.site.site_title = _("AI Glossary admin")


admin.site.index_title = _("Edit and review the glossary")
