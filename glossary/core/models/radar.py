"""The new-terms radar: a corpus of documents, the candidate terms derived from it, and the
linguists' decisions on candidates.

Candidates are derived data: ``manage.py radar_rebuild`` (or the job an upload queues) replaces
them all from the corpus, and nobody edits one. A decision is keyed by the candidate's
normalised text and its language, not by the candidate's row, so it survives every rebuild.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from glossary.core.choices import Language
from glossary.core.models.cleaning import refuse_control_characters

TITLE_MAX_LENGTH = 300


class CandidateLanguage(models.TextChoices):
    """The radar reads Simplified and Traditional documents alike, folded to Simplified."""

    EN = "en", _("English")
    ZH = "zh", _("Chinese")


class DecisionStatus(models.TextChoices):
    DISMISSED = "dismissed", _("dismissed")
    WATCHED = "watched", _("watched")
    PROPOSED = "proposed", _("made a proposal")
    DRAFTED = "drafted", _("made a draft concept")


#: The radar list's status filter: "new" is a candidate nobody has decided on.
NEW = "new"


class CorpusDocument(models.Model):
    """One document of the radar's corpus, with its extracted text."""

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    origin = models.CharField(_("origin or publisher"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published = models.DateField(_("date published"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    #: The other side of an aligned English–Chinese pair; set on both documents.
    partner = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aligned partner"),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    licence = models.CharField(_("licence"), max_length=300, blank=True)
    text = models.TextField(_("extracted text"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("corpus document")
        verbose_name_plural = _("corpus documents")
        ordering = ["-published", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pair(self) -> bool:
        return self.partner_id is not None

    def clean(self) -> None:
        refuse_control_characters(self)


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def with_status(self) -> CandidateQuerySet:
        """Each candidate with the status of its decision (None: nobody decided yet)."""
        decisions = Decision.objects.filter(key=OuterRef("key"), language=OuterRef("language"))
        return self.annotate(status=Subquery(decisions.values("status")[:1]))

    def for_radar(self) -> CandidateQuerySet:
        """The radar list: each candidate's decision, best first (without its long fields)."""
        return self.with_status().defer("contexts", "months").order_by("-score", "key")

    def decided(self, status: str = "") -> CandidateQuerySet:
        """Those with this decision; ``NEW``: nobody decided; empty: the undecided and the
        watched, the list a linguist works through."""
        if status == NEW:
            return self.filter(status__isnull=True)
        if status:
            return self.filter(status=status)
        return self.filter(models.Q(status__isnull=True) | models.Q(status=DecisionStatus.WATCHED))

    def for_page(self) -> CandidateQuerySet:
        """A candidate's own page: with its decision."""
        return self.with_status()


class Candidate(models.Model):
    """A term found in the corpus and not in the glossary (derived: rebuilt, never edited)."""

    key = models.CharField(_("normalised text"), max_length=200)
    text = models.CharField(_("candidate"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=CandidateLanguage.choices)
    score = models.FloatField(_("specificity"))
    count = models.PositiveIntegerField(_("occurrences"))
    document_count = models.PositiveIntegerField(_("documents"))
    #: The ids of the documents it occurs in, earliest first.
    documents = models.JSONField(_("documents"), default=list)
    first_seen = models.DateField(_("first seen"), null=True, blank=True)
    #: Occurrences by month: {"2024-03": 4, ...}.
    months = models.JSONField(_("occurrences by month"), default=dict)
    #: [[document id, sentence], ...], earliest documents first.
    contexts = models.JSONField(_("contexts"), default=list)
    background = models.FloatField(_("frequency in general language"))
    translation = models.CharField(_("proposed translation"), max_length=200, blank=True)
    translation_score = models.FloatField(_("translation score"), default=0)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("radar candidate")
        verbose_name_plural = _("radar candidates")
        constraints = [
            models.UniqueConstraint(fields=["language", "key"], name="radar_candidate_key")
        ]
        indexes = [models.Index(fields=["-score"], name="radar_candidate_rank")]

    def __str__(self) -> str:
        return self.text


class Decision(models.Model):
    """What a linguist decided about a candidate, kept across rebuilds by its key."""

    key = models.CharField(_("normalised text"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=CandidateLanguage.choices)
    text = models.CharField(_("candidate"), max_length=200)
    status = models.CharField(_("decision"), max_length=12, choices=DecisionStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"))
    proposal = models.ForeignKey(
        "glossary.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposal made from it"),
    )
    draft = models.ForeignKey(
        "glossary.ConceptVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("draft made from it"),
    )

    class Meta:
        verbose_name = _("radar decision")
        verbose_name_plural = _("radar decisions")
        constraints = [
            models.UniqueConstraint(fields=["language", "key"], name="radar_decision_key")
        ]

    def __str__(self) -> str:
        return f"{self.text}: {self.get_status_display()}"
