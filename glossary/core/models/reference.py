"""Reference data that versions cite: subject domains and sources."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from glossary.core import querysets
from glossary.core.choices import (
    Jurisdiction,
    Language,
    VersionState,
)
from glossary.core.guards import ImmutableError
from glossary.core.models.cleaning import check_identifier, refuse_control_characters

partial_date_validator = RegexValidator(
    r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$",
    _("Give a year, a year and month, or a full date: 2023, 2023-07 or 2023-07-10."),
)


class ReferenceData(models.Model):
    """A row that versions cite (a source, a domain): frozen once anything beyond a draft does.

    Changing it in place would change published versions and releases without review, so
    ``save()`` of a changed frozen row and ``delete()`` of a frozen one raise ``ImmutableError``,
    as do the bulk writes of ``ReferenceQuerySet``. A correction is a new row (see
    ``services.source_copy`` and ``services.domain_copy``) that a new draft cites.
    """

    objects = querysets.ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).frozen().first()
            if stored is not None and any(
                getattr(stored, f.attname) != getattr(self, f.attname)
                for f in self._meta.concrete_fields
            ):
                raise ImmutableError(
                    f"{self._meta.verbose_name} {stored.key} is cited by versions beyond a "
                    f"draft and cannot change; make a corrected copy instead."
                )
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen():
            raise ImmutableError(
                f"{self._meta.verbose_name} {self.key} is cited by versions beyond a draft "
                f"and cannot be deleted."
            )
        return super().delete(*args, **kwargs)

    @classmethod
    def cited_beyond_drafts(cls) -> models.Exists | models.Q:
        """True for rows that a version other than a draft cites (a subquery on ``pk``)."""
        raise NotImplementedError

    def is_frozen(self) -> bool:
        """Whether a version beyond a draft cites this row now (read from the database)."""
        return self.pk is not None and type(self).objects.filter(pk=self.pk).frozen().exists()


class Domain(ReferenceData):
    """A subject field. Its name is translated."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)

    # Annotated: modeltranslation swaps the manager's class at run time, which the type checker
    # cannot follow.
    objects: ClassVar[querysets.ReferenceManager[Domain]]

    class Meta:
        ordering = ["key"]
        verbose_name = pgettext_lazy("subject field", "domain")
        verbose_name_plural = pgettext_lazy("subject field", "domains")

    def __str__(self) -> str:
        return self.name or self.key

    @classmethod
    def cited_beyond_drafts(cls) -> models.Exists:
        return models.Exists(
            # VersionDomain, through the relation (the versions' module imports this one).
            cls.versions.through.objects.filter(domain=models.OuterRef("pk")).exclude(
                version__state=VersionState.DRAFT
            )
        )

    def clean(self) -> None:
        refuse_control_characters(self)
        check_identifier(self, "key")


class Source(ReferenceData):
    """A document the glossary cites: a law, a standard, a paper, a term bank."""

    key = models.SlugField(_("key"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=4, choices=Jurisdiction.choices, blank=True
    )
    published_on = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = pgettext_lazy("citation", "source")
        verbose_name_plural = pgettext_lazy("citation", "sources")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def cited_beyond_drafts(cls) -> models.Q:
        # Citation and Term, through their relations (their module imports this one); their
        # default manager is their only one, ``objects``.
        citation = cls.citations.rel.related_model._default_manager
        term = cls.terms.rel.related_model._default_manager
        return models.Exists(
            citation.filter(source=models.OuterRef("pk")).exclude(version__state=VersionState.DRAFT)
        ) | models.Exists(
            term.filter(source=models.OuterRef("pk")).exclude(version__state=VersionState.DRAFT)
        )

    def clean(self) -> None:
        refuse_control_characters(self)
        check_identifier(self, "key")
