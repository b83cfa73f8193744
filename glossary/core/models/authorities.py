"""Authorities (terminology bodies, standards, statutes, lists, academies) and their renderings.

An authority is reference data, frozen like a source once a version beyond a draft cites it. A
rendering is part of a version's content: the term(s) an authority uses for the concept, its
definition if it gives one, and its status; it changes only while its version is a draft.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from glossary.core import querysets
from glossary.core.choices import (
    FIELD_SUFFIX,
    AuthorityKind,
    Jurisdiction,
    Language,
    RenderingStatus,
    VersionState,
)
from glossary.core.models.cleaning import check_identifier, refuse_control_characters
from glossary.core.models.concepts import ConceptVersion, DraftChild
from glossary.core.models.reference import ReferenceData, partial_date_validator
from glossary.language import fold


class Authority(ReferenceData):
    """A body whose rendering of a term the glossary records. Its name is translated."""

    key = models.SlugField(_("key"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=300)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=4, choices=Jurisdiction.choices, blank=True
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AuthorityKind.choices)
    url = models.URLField(_("URL"), max_length=500, blank=True)

    objects: ClassVar[querysets.ReferenceManager[Authority]]

    class Meta:
        ordering = ["key"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")

    def __str__(self) -> str:
        return self.name or self.key

    @classmethod
    def cited_beyond_drafts(cls) -> models.Exists:
        # Rendering, through the relation (defined below in this module).
        rendering = cls.renderings.rel.related_model._default_manager
        return models.Exists(
            rendering.filter(authority=models.OuterRef("pk")).exclude(
                version__state=VersionState.DRAFT
            )
        )

    def clean(self) -> None:
        refuse_control_characters(self)
        check_identifier(self, "key")


class Rendering(DraftChild):
    """What one authority calls a concept, as a version records it."""

    version = models.ForeignKey(
        ConceptVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="renderings",
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="renderings",
    )
    term_en = models.CharField(_("term in English"), max_length=300, blank=True)
    term_zh_hans = models.CharField(_("term in Simplified Chinese"), max_length=300, blank=True)
    term_zh_hant = models.CharField(_("term in Traditional Chinese"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RenderingStatus.choices)
    definition = models.TextField(_("its definition (quoted)"), blank=True)
    definition_language = models.CharField(
        _("language of the definition"), max_length=8, choices=Language.choices, blank=True
    )
    locator = models.CharField(
        _("where"), max_length=200, blank=True, help_text=_("Article, section, entry or page.")
    )
    date = models.CharField(
        _("date"),
        max_length=10,
        blank=True,
        validators=[partial_date_validator],
        help_text=_("A year, a year and month, or a full date: 2024, 2024-12 or 2024-12-27."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["version_id", "position", "id"]
        base_manager_name = "objects"
        verbose_name = _("authority's rendering")
        verbose_name_plural = _("authorities' renderings")

    def __str__(self) -> str:
        return f"{self.authority}: {self.terms_text()}"

    def term(self, language: str) -> str:
        return getattr(self, f"term_{FIELD_SUFFIX[Language(language)]}") or ""

    def terms_text(self) -> str:
        return " / ".join(t for t in (self.term_en, self.term_zh_hans, self.term_zh_hant) if t)

    def departures(self, preferred: dict[str, str]) -> list[str]:
        """The languages where this rendering's term is not the glossary's preferred term.

        ``preferred`` maps a language to the glossary's preferred term in it. Terms are compared
        by their matching key (case, width, punctuation and script variants aside); a language
        the authority gives no term in, or the glossary prefers none in, is not a departure.
        """
        departures = []
        for language in Language:
            theirs, ours = self.term(language), preferred.get(language, "")
            if theirs and ours and fold(theirs) != fold(ours):
                departures.append(str(language))
        return departures

    def clean(self) -> None:
        refuse_control_characters(self)
        if not (self.term_en.strip() or self.term_zh_hans.strip() or self.term_zh_hant.strip()):
            raise ValidationError(
                _("A rendering needs the term the authority uses in at least one language.")
            )
        if self.definition.strip() and not self.definition_language:
            raise ValidationError(
                {"definition_language": _("Say which language the quoted definition is in.")}
            )
