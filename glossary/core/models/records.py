"""The append-only record: reviews, history events, and releases with their entries."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from glossary.core import querysets
from glossary.core.choices import (
    EventAction,
    ReleaseChange,
    ReviewDecision,
    Side,
)
from glossary.core.guards import ImmutableError
from glossary.core.models.cleaning import check_identifier
from glossary.core.models.concepts import Concept, ConceptVersion

release_name_validator = RegexValidator(
    r"^\d{4}\.\d{1,3}$", _("A release is named year.number, for example 2025.1.")
)


class AppendOnly(models.Model):
    """Records that are written once and never changed or deleted."""

    objects = querysets.AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(f"A {self._meta.verbose_name} is never changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"A {self._meta.verbose_name} is never deleted.")


class Review(AppendOnly):
    """One reviewer's decision on one version in one review round."""

    version = models.ForeignKey(
        ConceptVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="glossary_reviews",
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    review_round = models.PositiveIntegerField(_("review round"))
    revision = models.PositiveIntegerField(_("revision reviewed"))
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        base_manager_name = "objects"
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_decision_display()} ({self.version})"


class Event(AppendOnly):
    """One line of a concept's history: who did what to which version, when, and why."""

    concept = models.ForeignKey(
        Concept, verbose_name=_("concept"), on_delete=models.PROTECT, related_name="events"
    )
    version = models.ForeignKey(
        ConceptVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        # The admin's event list reads a page in this order without sorting the whole table.
        indexes = [models.Index(fields=["created_at", "id"], name="glossary_event_time_idx")]
        base_manager_name = "objects"
        verbose_name = _("history event")
        verbose_name_plural = _("history events")

    def __str__(self) -> str:
        return f"{self.version}: {self.get_action_display()}"


class Release(AppendOnly):
    """An edition of the glossary: the published versions frozen at one moment."""

    name = models.CharField(
        _("name"), max_length=20, unique=True, validators=[release_name_validator]
    )
    notes = models.TextField(_("release notes"), blank=True)
    created_at = models.DateTimeField(_("cut"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cut by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous release"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    versions = models.ManyToManyField(
        ConceptVersion, through="ReleaseEntry", related_name="releases"
    )

    # A class variable, like the manager of AppendOnly that it replaces.
    objects: ClassVar[querysets.ReleaseManager[Release]] = querysets.ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        base_manager_name = "objects"
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_identifier(self, "name")


class ReleaseEntry(AppendOnly):
    """A concept as it stood in a release, and how it changed since the previous one."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="entries")
    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="release_entries")
    version = models.ForeignKey(
        ConceptVersion, on_delete=models.PROTECT, related_name="release_entries"
    )
    change = models.CharField(_("change"), max_length=10, choices=ReleaseChange.choices)

    objects: ClassVar[querysets.ReleaseEntryManager[ReleaseEntry]] = (
        querysets.ReleaseEntryQuerySet.as_manager()
    )

    class Meta:
        ordering = ["release_id", "concept__uid"]
        base_manager_name = "objects"
        verbose_name = _("release entry")
        verbose_name_plural = _("release entries")
        constraints = [
            models.UniqueConstraint(fields=["release", "concept"], name="release_concept_unique")
        ]
        # A release's page lists one kind of change a page at a time, in concept order.
        indexes = [
            models.Index(fields=["release", "change", "concept"], name="release_entry_change")
        ]

    def __str__(self) -> str:
        return f"{self.release_id}: {self.concept_id} ({self.change})"
