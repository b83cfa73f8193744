"""Proposals from readers: a correction of a concept, or a term the glossary lacks.

A proposal is private: its text, and the proposer's e-mail above all, are read only in the
admin's triage queue. Accepting one starts a draft through the draft services, and that draft
goes through the two-sided review like any other before anything of it is public.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from glossary.core.choices import Language
from glossary.core.models.cleaning import refuse_control_characters

#: The longest term, definition or context and source a proposal may carry.
TERM_MAX_LENGTH = 200
DEFINITION_MAX_LENGTH = 2000
SOURCE_MAX_LENGTH = 500
REASON_MAX_LENGTH = 2000


class ProposalKind(models.TextChoices):
    CORRECTION = "correction", _("Correction of a concept")
    NEW_TERM = "new_term", _("New term")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Waiting for triage")
    ACCEPTED = "accepted", _("Accepted")
    MERGED = "merged", _("Merged into another proposal")
    DECLINED = "declined", _("Declined")


class ProposalQuerySet(models.QuerySet):
    def for_queue(self) -> ProposalQuerySet:
        """The admin's triage list: the concept each one is about, newest first."""
        return self.select_related("concept").order_by("-created_at", "-pk")

    def open(self) -> ProposalQuerySet:
        return self.filter(status=ProposalStatus.OPEN)


class Proposal(models.Model):
    """What a reader proposed, and what the editors did with it."""

    kind = models.CharField(_("kind"), max_length=12, choices=ProposalKind.choices)
    concept = models.ForeignKey(
        "glossary.Concept",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("terminology", "concept"),
    )
    term_en = models.CharField(_("English term"), max_length=TERM_MAX_LENGTH, blank=True)
    term_zh_hans = models.CharField(
        _("Simplified Chinese term"), max_length=TERM_MAX_LENGTH, blank=True
    )
    term_zh_hant = models.CharField(
        _("Traditional Chinese term"), max_length=TERM_MAX_LENGTH, blank=True
    )
    definition = models.TextField(
        _("definition or context"), max_length=DEFINITION_MAX_LENGTH, blank=True
    )
    definition_language = models.CharField(
        _("language of the definition"), max_length=8, choices=Language.choices, blank=True
    )
    source = models.CharField(
        pgettext_lazy("citation", "source"), max_length=SOURCE_MAX_LENGTH, blank=True
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    # The interface language the proposal was written in: the outcome is told in it.
    language = models.CharField(
        _("language of the proposer"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    draft = models.ForeignKey(
        "glossary.ConceptVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("draft made from it"),
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal from a reader")
        verbose_name_plural = _("proposals from readers")
        indexes = [models.Index(fields=["status", "created_at"], name="proposal_queue")]

    def __str__(self) -> str:
        terms = " / ".join(t for t in self.terms() if t)
        return f"#{self.pk} {terms}" if terms else f"#{self.pk}"

    def terms(self) -> list[str]:
        return [self.term_en, self.term_zh_hans, self.term_zh_hant]

    def clean(self) -> None:
        refuse_control_characters(self)
        # A TextField's max_length is only the form's; it is a rule of the data here.
        errors = {
            name: ValidationError(
                _("At most %(limit)d characters (it has %(count)d)."),
                code="max_length",
                params={"limit": limit, "count": len(getattr(self, name))},
            )
            for name, limit in (
                ("definition", DEFINITION_MAX_LENGTH),
                ("reason", REASON_MAX_LENGTH),
            )
            if len(getattr(self, name)) > limit
        }
        if errors:
            raise ValidationError(errors)


class ProposalTally(models.Model):
    """How many proposals arrived, and how many were accepted, in one month.

    Written by the proposal services as they go, so that the public statistics read a row per
    month instead of counting every proposal.
    """

    month = models.DateField(_("month"), unique=True)
    received = models.PositiveIntegerField(_("received"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)

    class Meta:
        verbose_name = _("monthly count of proposals")
        verbose_name_plural = _("monthly counts of proposals")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.received} / {self.accepted}"
