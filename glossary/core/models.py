"""The concept-oriented data model: concepts, their numbered immutable versions, terms and reviews.

Only a draft version, and the terms, citations, relations and domains hanging off it, can be
written. The guard lives in the models and their querysets (see ``glossary.core.querysets``), so
``save()``, ``delete()``, ``QuerySet.update()``, ``bulk_update()`` and inline formsets are all
refused for anything that is no longer a draft. State changes themselves are made by
``glossary.core.services`` inside ``allow_transition()``.
"""

from __future__ import annotations

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
    EventAction,
    Jurisdiction,
    Language,
    Maturity,
    PartOfSpeech,
    Region,
    RelationKind,
    ReleaseChange,
    ReviewDecision,
    ReviewerRole,
    Side,
    TermStatus,
    TermType,
    VersionState,
)
from glossary.core.guards import TRANSITION_FIELDS, ImmutableError, in_transition
from glossary.core.validators import validate_identifier, validate_term
from glossary.language.text import control_character, normalise_term

__all__ = [
    "FIELD_SUFFIX",
    "Agreement",
    "EventAction",
    "ImmutableError",
    "Jurisdiction",
    "Language",
    "Maturity",
    "PartOfSpeech",
    "Region",
    "RelationKind",
    "ReleaseChange",
    "ReviewDecision",
    "ReviewerRole",
    "Side",
    "TermStatus",
    "TermType",
    "VersionState",
]


def _refuse_control_characters(instance: models.Model) -> None:
    """Refuse text fields holding a control character (tab and line breaks aside).

    Every entry point refuses them before this (requests, JSON bodies, imported files); this is
    the same rule where the data is, for anything that writes through the services directly.
    """
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        found = control_character(value, line_breaks=True) if isinstance(value, str) else None
        if found is not None:
            errors[field.name] = ValidationError(
                _("%(character)s, a control character, is not allowed in this field."),
                code="control_character",
                params={"character": str(found)},
            )
    if errors:
        raise ValidationError(errors)


def _check_identifier(instance: models.Model, name: str) -> None:
    """Refuse an identifier field holding a control, invisible or direction-changing character."""
    try:
        validate_identifier(getattr(instance, name))
    except ValidationError as exc:
        raise ValidationError({name: exc}) from exc


uid_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lower-case letters, digits and single hyphens, for example generative-ai."),
)
partial_date_validator = RegexValidator(
    r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$",
    _("Give a year, a year and month, or a full date: 2023, 2023-07 or 2023-07-10."),
)
release_name_validator = RegexValidator(
    r"^\d{4}\.\d{1,3}$", _("A release is named year.number, for example 2025.1.")
)


class Profile(models.Model):
    """What the review policy needs to know about a person: their side and role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="glossary_profile"
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=ReviewerRole.choices, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_side_display() or '-'})"


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
    def cited_beyond_drafts(cls) -> models.Exists:
        """True for rows that a version other than a draft cites (a subquery on ``pk``)."""
        raise NotImplementedError

    def is_frozen(self) -> bool:
        """Whether a version beyond a draft cites this row now (read from the database)."""
        return self.pk is not None and type(self).objects.filter(pk=self.pk).frozen().exists()


class Domain(ReferenceData):
    """A subject field. Its name is translated."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["key"]
        verbose_name = pgettext_lazy("subject field", "domain")
        verbose_name_plural = pgettext_lazy("subject field", "domains")

    def __str__(self) -> str:
        return self.name or self.key

    @classmethod
    def cited_beyond_drafts(cls) -> models.Exists:
        return models.Exists(
            VersionDomain.objects.filter(domain=models.OuterRef("pk")).exclude(
                version__state=VersionState.DRAFT
            )
        )

    def clean(self) -> None:
        _refuse_control_characters(self)
        _check_identifier(self, "key")


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
    def cited_beyond_drafts(cls) -> models.Exists:
        return models.Exists(
            Citation.objects.filter(source=models.OuterRef("pk")).exclude(
                version__state=VersionState.DRAFT
            )
        ) | models.Exists(
            Term.objects.filter(source=models.OuterRef("pk")).exclude(
                version__state=VersionState.DRAFT
            )
        )

    def clean(self) -> None:
        _refuse_control_characters(self)
        _check_identifier(self, "key")


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
        _check_identifier(self, "uid")

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
        _("agreement state"), max_length=14, choices=Agreement.choices, default=Agreement.AGREED
    )
    agreement_note = models.TextField(_("why the usages differ"), blank=True)
    note = models.TextField(_("note"), blank=True)
    maturity = models.CharField(
        _("maturity"), max_length=12, choices=Maturity.choices, default=Maturity.ESTABLISHED
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

    objects = querysets.VersionQuerySet.as_manager()

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
        indexes = [models.Index(fields=["state", "published_at"], name="version_state_published")]
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
        _refuse_control_characters(self)

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
        from glossary.language.text import fold

        return fold(text)[: cls._meta.get_field("folded").max_length]

    def clean(self) -> None:
        _refuse_control_characters(self)
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

    objects = querysets.ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        base_manager_name = "objects"
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_identifier(self, "name")


class ReleaseEntry(AppendOnly):
    """A concept as it stood in a release, and how it changed since the previous one."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="entries")
    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="release_entries")
    version = models.ForeignKey(
        ConceptVersion, on_delete=models.PROTECT, related_name="release_entries"
    )
    change = models.CharField(_("change"), max_length=10, choices=ReleaseChange.choices)

    class Meta:
        ordering = ["release_id", "concept__uid"]
        base_manager_name = "objects"
        verbose_name = _("release entry")
        verbose_name_plural = _("release entries")
        constraints = [
            models.UniqueConstraint(fields=["release", "concept"], name="release_concept_unique")
        ]

    def __str__(self) -> str:
        return f"{self.release_id}: {self.concept_id} ({self.change})"


class SearchKey(models.Model):
    """One way a public term can be found: a normalised key, in an indexed column.

    Written by ``glossary.search.keys`` in the transaction that publishes a version (the
    concept's previous keys are replaced), read by ``glossary.search.ranking`` with equality and prefix
    lookups. Only public versions (published or retired) have keys, so drafts are never found.
    """

    class Kind(models.TextChoices):
        # Developer-facing: keys are never shown, so the labels are not translated.
        TERM = "term", "whole term: English key or Simplified-folded Chinese"
        PART = "part", "the term from one of its later words or jieba segments on"
        PINYIN = "pinyin", "pinyin without tones or spaces"
        TONES = "tones", "pinyin with tone digits, without spaces"
        INITIALS = "initials", "first letters of the pinyin syllables"
        PINYIN_PART = "pinyin_part", "pinyin of the term from one of its later segments on"
        TYPO = "typo", "one half of an English term, with the term's length"

    # Keys belong to public versions and their terms, which are never deleted; DO_NOTHING keeps
    # the deletes of draft terms (on every draft save) free of a cascade query, while the
    # foreign keys still refuse a dangling key.
    concept = models.ForeignKey(
        Concept, verbose_name=_("concept"), on_delete=models.DO_NOTHING, related_name="+"
    )
    version = models.ForeignKey(
        ConceptVersion,
        verbose_name=_("version"),
        on_delete=models.DO_NOTHING,
        related_name="search_keys",
    )
    term = models.ForeignKey(
        Term,
        verbose_name=pgettext_lazy("terminology", "term"),
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    kind = models.CharField(_("kind of key"), max_length=12, choices=Kind.choices)
    # db_index: on PostgreSQL Django adds a varchar_pattern_ops index as well, for LIKE 'abc%'.
    key = models.CharField(_("matching key"), max_length=300, db_index=True)

    class Meta:
        verbose_name = _("search key")
        verbose_name_plural = _("search keys")

    def __str__(self) -> str:
        return f"{self.kind}: {self.key}"


class DefinitionKey(models.Model):
    """One word (Latin script) or pair of characters (Chinese) of a public version's definitions.

    Written by ``glossary.search.keys`` with the search keys, read by the search's last resort:
    the definitions that hold every word of a query are found through this index and only they
    are read, where a scan would read every definition of the glossary.
    """

    concept = models.ForeignKey(
        Concept, verbose_name=_("concept"), on_delete=models.DO_NOTHING, related_name="+"
    )
    version = models.ForeignKey(
        ConceptVersion,
        verbose_name=_("version"),
        on_delete=models.DO_NOTHING,
        related_name="definition_keys",
    )
    key = models.CharField(_("matching key"), max_length=100)

    class Meta:
        verbose_name = _("definition key")
        verbose_name_plural = _("definition keys")
        # Lookups by key (equality, prefix) that need only the concept: the index answers them.
        indexes = [models.Index(fields=["key", "concept"], name="definition_key_concept")]

    def __str__(self) -> str:
        return self.key


class TbxEntry(models.Model):
    """A version's TBX entry, written in the transaction that publishes the version.

    A version never changes, so neither does most of its entry: exports read it here instead of
    assembling it from a dozen rows (``glossary.exchange.tbx.entry_parts``). What can change
    without a new version stays a placeholder filled in as the file is written: the subject
    field names and source titles, the cross-references (whose targets may be published later,
    and which a release or a subject field's file may not hold), and whether history is wanted.
    """

    version = models.OneToOneField(
        ConceptVersion,
        verbose_name=_("version"),
        primary_key=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    # Text and placeholders, as glossary.exchange.tbx.pack writes them.
    parts = models.TextField(_("entry"))

    class Meta:
        verbose_name = _("TBX entry")
        verbose_name_plural = _("TBX entries")

    def __str__(self) -> str:
        return str(self.version_id)


class Publication(models.Model):
    """What the public glossary last became: one row, changed with every publication or release.

    The workflow bumps ``serial`` in the transaction that publishes a version or cuts a release.
    The row lock serialises publishers, so the serial a reader sees changes exactly when a
    committed change becomes visible, and reading it is one lookup by primary key, however
    large the glossary: page caches, API validators and the term check key on it.
    """

    ROW = 1

    serial = models.PositiveBigIntegerField(_("publications so far"), default=0)
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    objects = querysets.PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication stamp")
        verbose_name_plural = _("publication stamps")

    def __str__(self) -> str:
        return f"{self.serial} ({self.changed_at})"


class ApiToken(models.Model):
    """A key a program sends as ``Authorization: Token <key>``, valid until ``expires``.

    Only a SHA-256 digest of the key is stored, so a copy of the database holds no usable key.
    ``session_hash`` is the account's ``get_session_auth_hash()`` when the token was issued (what
    Django keeps in a session for the same purpose): it changes with the password, so a token
    issued before a password change no longer matches and is refused
    (``glossary.api.authentication``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    key_digest = models.CharField(_("key digest"), max_length=64, unique=True)
    session_hash = models.CharField(_("password stamp"), max_length=128)
    created = models.DateTimeField(_("issued"))
    expires = models.DateTimeField(_("expires"), db_index=True)

    objects = querysets.ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.expires:%Y-%m-%d %H:%M})"
