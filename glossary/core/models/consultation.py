"""Public consultation: a version in review opened for comment, the comments, the response.

A consultation belongs to one version and the revision it was opened on. Opening it changes
nothing about the version: the published version stays what readers see, and the version in
review is shown publicly only on the consultation's own page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from glossary.core.choices import HISTORY_STATES, TermStatus, VersionState
from glossary.core.models.concepts import ConceptVersion, Term

#: The longest question to readers, comment, and name or affiliation (characters).
QUESTION_MAX_LENGTH = 500
COMMENT_MAX_LENGTH = 4000
NAME_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 4000
#: The ``ListCount`` section that counts consultations (for the list page and the sitemap,
#: which never count rows per request).
LIST_SECTION = "consultations"


class CommenterSide(models.TextChoices):
    """Where a commenter writes from (optional)."""

    US = "us", _("United States")
    CN = "cn", _("China")
    OTHER = "other", _("Elsewhere")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Shown")
    REJECTED = "rejected", _("Rejected")


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def for_list_page(self) -> ConsultationQuerySet:
        """Consultations newest first, with the concept of each and the preferred terms of its
        published version (two queries a page)."""
        return (
            self.select_related("version__concept__public_version")
            .prefetch_related(
                models.Prefetch(
                    "version__concept__public_version__terms",
                    queryset=Term.objects.filter(status=TermStatus.PREFERRED).order_by(
                        "language", "id"
                    ),
                )
            )
            .order_by("-opened_at", "-id")
        )

    def for_page(self) -> ConsultationQuerySet:
        """One consultation with its version, concept and published version (one query)."""
        return self.select_related("version__concept__public_version")

    def notice_for(self, concept: Any) -> Consultation | None:
        """The consultation on the concept's version in review, for the notice on its page; no
        query when the concept has no open version."""
        if concept.open_version_id is None:
            return None
        return (
            self.filter(version_id=concept.open_version_id, version__state=VersionState.IN_REVIEW)
            .select_related("version")
            .first()
        )

    def by_version(self, version_ids: list[int]) -> dict[int, Consultation]:
        """The consultations of these versions, by version id (one query)."""
        return {c.version_id: c for c in self.filter(version_id__in=version_ids)}

    def open_on(self, day: dt.date) -> ConsultationQuerySet:
        """Consultations taking comments on ``day``: not closed, not past their date, the version
        still in review."""
        return self.filter(
            closed_at__isnull=True,
            closes_on__gte=day,
            version__state=VersionState.IN_REVIEW,
            version__revision=models.F("revision"),
        )


if TYPE_CHECKING:
    ConsultationManager = models.Manager.from_queryset(ConsultationQuerySet)


class Consultation(models.Model):
    """A version in review, opened for public comment until a date."""

    version = models.OneToOneField(
        ConceptVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="consultation",
    )
    revision = models.PositiveIntegerField(_("revision opened for comment"))
    question = models.TextField(_("question to readers"), max_length=QUESTION_MAX_LENGTH)
    languages = models.JSONField(_("languages of the call"), default=list)
    closes_on = models.DateField(_("comments close on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    summary = models.TextField(
        _("response summary"), blank=True, help_text=_("What we changed and why.")
    )
    #: Approved comments, kept by moderation so that the page never counts them.
    comments_shown = models.PositiveIntegerField(_("comments shown"), default=0, editable=False)

    # Annotated: modeltranslation swaps the manager's class at run time, which the type checker
    # cannot follow.
    objects: ClassVar[ConsultationManager] = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultations")
        permissions = [
            ("open_consultation", _("Can open and close public consultations")),
            ("moderate_comment", _("Can moderate consultation comments")),
        ]
        indexes = [models.Index(fields=["opened_at", "id"], name="consultation_opened_idx")]

    def __str__(self) -> str:
        return f"{self.version}"

    def is_open(self, day: dt.date) -> bool:
        """Whether comments are taken on ``day``: only on the version as it was opened (one sent
        back and edited takes none, even once it is in review again)."""
        return (
            self.closed_at is None
            and day <= self.closes_on
            and self.version.state == VersionState.IN_REVIEW
            and self.version.revision == self.revision
        )

    @property
    def text_shown(self) -> bool:
        """Whether the public may read the version: once published, or while in review as it
        was opened (a version sent back and edited is not shown again until it is resubmitted
        and consulted on anew, or published)."""
        state = self.version.state
        if state in HISTORY_STATES:
            return True
        return state == VersionState.IN_REVIEW and self.version.revision == self.revision


class ConsultationComment(models.Model):
    """One reader's comment: shown publicly only once a moderator approves it."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("public consultation"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    name = models.CharField(_("name or affiliation"), max_length=NAME_MAX_LENGTH, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    side = models.CharField(
        _("side or country"), max_length=8, choices=CommenterSide.choices, blank=True
    )
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        indexes = [
            models.Index(
                fields=["consultation", "status", "created_at", "id"], name="comment_page_idx"
            ),
            models.Index(fields=["status", "created_at", "id"], name="comment_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.text[:40]}"
