"""Concepts and their numbered versions, with the terms, citations, relations and domains of each."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from glossary.core import querysets
from glossary.core.choices import (
    FIELD_SUFFIX,
    Agreement,
    Language,
    Maturity,
    PartOfSpeech,
    Region,
    RelationKind,
    TermStatus,
    TermType,
    VersionState,
)
from glossary.core.guards import TRANSITION_FIELDS, ImmutableError, in_transition
from glossary.core.models.cleaning import check_identifier, refuse_control_characters
from glossary.core.models.reference import Domain, Source, partial_date_validator
from glossary.core.validators import validate_term
from glossary.language import normalise_term

uid_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lower-case letters, digits and single hyphens, for example generative-ai."),
)


class Concept(models.Model):
    """One meaning. Its ``uid`` is the public identifier in every permalink and never changes."""

    uid = models.CharField(_("identifier"), max_length=100, unique=True, validators=[uid_validator])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Kept by the workflow in the same transaction as each transition, so that lists need no
    # per-row lookup of "the published version" or "the open draft".
    public_version = models.ForeignKey(
        "ConceptVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    open_version = models.ForeignKey(
        "ConceptVersion",
        verbose_name=_("open draft"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = querysets.ConceptQuerySet.as_manager()

    class Meta:
        ordering = ["uid"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        permissions = [
            ("retire_concept", _("Can propose retiring a concept")),
            ("cut_release", _("Can cut a release")),
        ]

    def __str__(self) -> str:
        return self.uid

    def clean(self) -> None:
        check_identifier(self, "uid")

    @property
    def is_retired(self) -> bool:
        return self.public_version is not None and self.public_version.state == VersionState.RETIRED

    def delete(self, *args, **kwargs):
        if self.versions.exclude(state=VersionState.DRAFT).exists():
            raise ImmutableError(f"Concept {self.uid} has a record; retire it instead.")
        return super().delete(*args, **kwargs)


class ConceptVersion(models.Model):
    """A numbered version of a concept. Only a draft changes; every other state is the record."""

    concept = models.ForeignKey(
        Concept, verbose_name=_("concept"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=12, choices=VersionState.choices, default=VersionState.DRAFT
    )
    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("Counts saves of a draft; stale edits are refused.")
    )
    review_round = models.PositiveIntegerField(_("review round"), default=0)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    definition = models.TextField(_("agreed definition"), blank=True)
    us_usage = models.TextField(_("U.S.-side usage"), blank=True)
    cn_usage = models.TextField(_("China-side usage"), blank=True)
    agreement = models.CharField(
        _("agreement state"),
        max_length=14,
        choices=Agreement.choices,
        default=Agreement.NOT_ASSESSED,
    )
    agreement_note = models.TextField(_("why the usages differ"), blank=True)
    note = models.TextField(_("note"), blank=True)
    maturity = models.CharField(
        _("maturity"), max_length=12, choices=Maturity.choices, default=Maturity.NOT_ASSESSED
    )
    first_attested = models.CharField(
        _("first attested"), max_length=10, blank=True, validators=[partial_date_validator]
    )
    retirement_reason = models.TextField(
        _("retirement reason"),
        blank=True,
        help_text=_("Set only on a version that retires the concept."),
    )
    # Names of translated fields (e.g. "definition_zh_hant") whose Traditional text OpenCC
    # suggested from the Simplified one and no linguist has reviewed yet.
    machine_converted_fields = models.JSONField(
        _("machine-converted, not reviewed"),
        default=list,
        blank=True,
        help_text=_(
            "Traditional Chinese fields converted from the Simplified text by machine and not "
            "reviewed by a linguist yet."
        ),
    )
    # The history a file gave a concept that an import created: a list of {"action":
    # "creation" | "modification", "date": ISO date or datetime as in the file,
    # "responsibility": name}. Exports write it in place of the entries this version stands
    # for, so the record of where a concept came from survives an import.
    imported_history = models.JSONField(
        _("imported history"), default=list, blank=True, editable=False
    )
    domains = models.ManyToManyField(
        Domain,
        verbose_name=pgettext_lazy("subject field", "domains"),
        through="VersionDomain",
        blank=True,
        related_name="versions",
    )

    # Annotated: modeltranslation swaps the manager's class at run time, which the type checker
    # cannot follow.
    objects: ClassVar[querysets.VersionManager[ConceptVersion]] = (
        querysets.VersionQuerySet.as_manager()
    )
    _default_manager: ClassVar[querysets.VersionManager[ConceptVersion]]

    class Meta:
        ordering = ["concept_id", "number"]
        base_manager_name = "objects"
        verbose_name = _("concept version")
        verbose_name_plural = _("concept versions")
        constraints = [
            models.UniqueConstraint(fields=["concept", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["concept"],
                condition=Q(state__in=["draft", "in_review"]),
                name="one_open_version_per_concept",
            ),
            models.UniqueConstraint(
                fields=["concept"],
                condition=Q(state__in=["published", "retired"]),
                name="one_public_version_per_concept",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "published_at"], name="version_state_published"),
            # Recent changes (home page, feeds): the newest publications first, read from the
            # end of this index instead of sorting every version ever published.
            models.Index(fields=["published_at", "id"], name="version_published_order"),
            # The versions in one state in the admin's order (the reviewers' inbox, the state
            # filter): the first page read from here, where walking the list's order would
            # pass every other version (all 100,000 of them when nothing is in review).
            models.Index(fields=["state", "concept", "number"], name="version_state_order"),
        ]
        permissions = [
            ("edit_draft", _("Can create and edit drafts")),
            ("submit_version", _("Can submit a draft for review")),
            ("withdraw_version", _("Can withdraw a draft or a version in review")),
            ("review_version", _("Can approve or request changes")),
        ]

    def __str__(self) -> str:
        return f"{self.concept.uid} v{self.number} ({self.get_state_display()})"

    def save(self, *args, **kwargs):
        if self._state.adding:
            if self.state != VersionState.DRAFT:
                raise ImmutableError("A new version always starts as a draft.")
        elif in_transition():
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= TRANSITION_FIELDS:
                raise ImmutableError("A transition writes only the state fields of a version.")
        elif self.stored_state() != VersionState.DRAFT:
            raise ImmutableError(f"{self} is not a draft and cannot change.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.stored_state() != VersionState.DRAFT:
            raise ImmutableError(f"{self} is not a draft and cannot be deleted.")
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        refuse_control_characters(self)

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT

    @property
    def is_retirement(self) -> bool:
        return bool(self.retirement_reason.strip())

    def stored_state(self) -> str | None:
        return (
            type(self).objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if self.pk
            else None
        )

    def preferred(self, language: str) -> Term | None:
        """The preferred term in a language, from prefetched terms when there are any."""
        for term in self.terms.all():
            if term.language == language and term.status == TermStatus.PREFERRED:
                return term
        return None

    def translated(self, field: str, language: str) -> str:
        """One language's value of a translated field, without fallback."""
        return getattr(self, f"{field}_{FIELD_SUFFIX[Language(language)]}") or ""


class DraftChild(models.Model):
    """Rows that belong to one version and change only while it is a draft."""

    objects = querysets.DraftChildQuerySet.as_manager()

    # Each concrete child has a ``version`` foreign key to its ConceptVersion.
    version_id: int

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_unless_draft()
        if not self._state.adding:
            old_version = type(self).objects.filter(pk=self.pk).values_list("version_id").first()
            if old_version and old_version[0] != self.version_id:
                raise ImmutableError("A row cannot move to another version.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_unless_draft()
        return super().delete(*args, **kwargs)

    def _refuse_unless_draft(self) -> None:
        state = (
            ConceptVersion.objects.filter(pk=self.version_id)
            .values_list("state", flat=True)
            .first()
        )
        if state != VersionState.DRAFT:
            raise ImmutableError(
                f"{self._meta.verbose_name} belongs to a version that is not a draft."
            )


class Term(DraftChild):
    """A designation of a concept in one language."""

    version = models.ForeignKey(
        ConceptVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="terms"
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    text = models.CharField(pgettext_lazy("terminology", "term"), max_length=300)
    folded = models.CharField(
        _("matching key"), max_length=300, editable=False, db_index=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TermStatus.choices, default=TermStatus.ADMITTED
    )
    term_type = models.CharField(
        _("term type"), max_length=14, choices=TermType.choices, default=TermType.FULL_FORM
    )
    part_of_speech = models.CharField(
        _("part of speech"), max_length=10, choices=PartOfSpeech.choices, default=PartOfSpeech.NOUN
    )
    geographic_usage = models.CharField(
        _("used in"), max_length=4, choices=Region.choices, blank=True
    )
    context = models.TextField(_("context sentence"), blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=pgettext_lazy("citation", "source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="terms",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    machine_converted = models.BooleanField(
        _("machine-converted, not reviewed"),
        default=False,
        help_text=_(
            "A Traditional Chinese term converted from the Simplified one by machine and not "
            "reviewed by a linguist yet."
        ),
    )
    in_sense_only = models.BooleanField(
        _("flag only where its concept is meant"),
        default=False,
        help_text=_(
            'The term is also an everyday word (标记 "mark", 令牌, 代币): the term check reports '
            "it in a translation only when the source names its concept, and never in a text "
            "checked alone."
        ),
    )

    class Meta:
        ordering = ["version_id", "language", "position", "id"]
        base_manager_name = "objects"
        verbose_name = pgettext_lazy("terminology", "term")
        verbose_name_plural = pgettext_lazy("terminology", "terms")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"],
                condition=Q(status="preferred"),
                name="one_preferred_term_per_language",
            ),
            models.UniqueConstraint(
                fields=["version", "language", "text"], name="term_text_unique_in_version"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs):
        self.folded = self.matching_key(self.text)
        return super().save(*args, **kwargs)

    @classmethod
    def matching_key(cls, text: str) -> str:
        """The ``folded`` column of a term with this text (set by ``save`` and by bulk writes)."""
        from glossary.language import fold

        folded = cls._meta.get_field("folded")
        assert isinstance(folded, models.CharField)
        return fold(text)[: folded.max_length]

    def clean(self) -> None:
        refuse_control_characters(self)
        self.text = normalise_term(self.text or "")
        if not self.text:
            raise ValidationError({"text": _("A term cannot be empty.")})
        try:
            validate_term(self.text)
        except ValidationError as exc:
            raise ValidationError({"text": exc}) from exc


class Citation(DraftChild):
    """A source cited by a version, with where in it and, for a defining text, its wording."""

    version = models.ForeignKey(
        ConceptVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="citations",
    )
    source = models.ForeignKey(
        Source,
        verbose_name=pgettext_lazy("citation", "source"),
        on_delete=models.PROTECT,
        related_name="citations",
    )
    locator = models.CharField(
        _("where"), max_length=200, blank=True, help_text=_("Article, section or page.")
    )
    quote = models.TextField(_("quoted wording"), blank=True)
    quote_language = models.CharField(
        _("language of the quote"), max_length=8, choices=Language.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["version_id", "position", "id"]
        base_manager_name = "objects"
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self) -> str:
        return f"{self.source} {self.locator}".strip()


class Relation(DraftChild):
    """A version's link to another concept."""

    version = models.ForeignKey(
        ConceptVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="relations",
    )
    kind = models.CharField(_("relation"), max_length=10, choices=RelationKind.choices)
    target = models.ForeignKey(
        Concept,
        verbose_name=_("concept"),
        on_delete=models.PROTECT,
        related_name="incoming_relations",
    )

    class Meta:
        ordering = ["version_id", "kind", "target__uid"]
        base_manager_name = "objects"
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "target"], name="relation_unique_in_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target}"


class VersionDomain(DraftChild):
    version = models.ForeignKey(ConceptVersion, on_delete=models.CASCADE)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT)

    class Meta:
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["version", "domain"], name="domain_unique_in_version")
        ]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.domain_id}"
