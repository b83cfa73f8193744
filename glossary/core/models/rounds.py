"""Decision records: the rounds of the dialogue where the two sides reached their agreements.

A round (its name, dates, place, each side's delegation, its minutes or a summary) is a record
of its own, edited in the admin. A reviewer's approval may cite the round where the agreement
was reached; each cited version is then one line of what the round agreed, shown in public
once, and only once, that version is published.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from glossary.core.models.cleaning import check_identifier, refuse_control_characters


class DialogueRound(models.Model):
    """One round of the dialogue."""

    key = models.SlugField(
        _("identifier"), max_length=80, unique=True, help_text=_("Used in the round's address.")
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    us_delegation = models.TextField(
        _("U.S. delegation"), blank=True, help_text=_("One person or institution a line.")
    )
    cn_delegation = models.TextField(
        _("China delegation"), blank=True, help_text=_("One person or institution a line.")
    )
    summary = models.TextField(_("minutes or summary"), blank=True)
    minutes_url = models.URLField(_("address of the minutes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Annotated: modeltranslation swaps the manager's class at run time (see ConceptVersion).
    objects: ClassVar[models.Manager[DialogueRound]] = models.Manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("dialogue round")
        verbose_name_plural = _("dialogue rounds")

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%Y-%m-%d})"

    def clean(self) -> None:
        refuse_control_characters(self)
        check_identifier(self, "key")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day cannot be before the first.")})

    def delegation(self, side: str) -> list[str]:
        text = self.us_delegation if side == "us" else self.cn_delegation
        return [line.strip() for line in text.splitlines() if line.strip()]


class RoundAgreement(models.Model):
    """A version whose approval cited this round: one line of what the round agreed."""

    dialogue_round = models.ForeignKey(
        DialogueRound,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("dialogue round"),
    )
    version = models.ForeignKey(
        "glossary.ConceptVersion",
        on_delete=models.PROTECT,
        related_name="round_agreements",
        verbose_name=_("version"),
    )
    review = models.ForeignKey(
        "glossary.Review",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("the approval citing it"),
    )
    created_at = models.DateTimeField(_("cited"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement of a round")
        verbose_name_plural = _("agreements of a round")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue_round", "version"], name="round_agreement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dialogue_round}: {self.version}"


def cited_rounds_prefetch() -> models.Prefetch:
    """For a page of versions: ``cited_rounds``, the agreements citing a round, with it."""
    return models.Prefetch(
        "round_agreements",
        queryset=RoundAgreement.objects.select_related("dialogue_round").order_by(
            "dialogue_round__starts_on", "pk"
        ),
        to_attr="cited_rounds",
    )
