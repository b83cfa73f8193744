"""Readers watching a concept or a domain by e-mail, without an account.

A watch waits for its confirmation (double opt-in: the address's owner follows a signed link
sent to it) before any other mail goes there; it is deleted, not kept, when its reader stops
it. Like proposals, watches are private: only the admin lists them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from glossary.core.models.cleaning import refuse_control_characters


class Watch(models.Model):
    """One address watching one concept, or one domain."""

    email = models.EmailField(_("e-mail"))
    concept = models.ForeignKey(
        "glossary.Concept",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("terminology", "concept"),
    )
    domain = models.ForeignKey(
        "glossary.Domain",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("subject field", "domain"),
    )
    # The interface language the watch was asked for in: its e-mails are written in it.
    language = models.CharField(
        _("language of the e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("watch by e-mail")
        verbose_name_plural = _("watches by e-mail")
        constraints = [
            models.CheckConstraint(
                condition=Q(concept__isnull=False, domain__isnull=True)
                | Q(concept__isnull=True, domain__isnull=False),
                name="watch_one_target",
            ),
            models.UniqueConstraint(
                fields=["email", "concept"],
                condition=Q(concept__isnull=False),
                name="watch_unique_concept",
            ),
            models.UniqueConstraint(
                fields=["email", "domain"],
                condition=Q(domain__isnull=False),
                name="watch_unique_domain",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.concept or self.domain}"

    def clean(self) -> None:
        refuse_control_characters(self)
