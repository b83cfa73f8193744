"""Public consultation: open a version in review for comment, take and moderate comments, close
with a response summary.

Opening or closing changes what the public pages say (the notice on the concept page, the
sitemap, the feed of open consultations), so both move the publication stamp that keys the
cached pages. Nothing about the version itself changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from glossary.core.choices import FIELD_SUFFIX, Language, VersionState
from glossary.core.models import (
    COMMENT_MAX_LENGTH,
    LIST_SECTION,
    NAME_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    CommenterSide,
    CommentStatus,
    ConceptVersion,
    Consultation,
    ConsultationComment,
    ListCount,
)
from glossary.core.models.cleaning import refuse_control_characters
from glossary.core.services.history import publication_touch
from glossary.core.workflow import WorkflowError
from glossary.language import control_character

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: The longest a consultation may run, in days from its opening.
LONGEST = 366


def today() -> dt.date:
    """The day in the site's time zone (a consultation closes at the end of its day)."""
    return timezone.localdate()


def _require(user: User, perm: str) -> None:
    if not (user and user.is_authenticated and user.is_active and user.has_perm(perm)):
        raise WorkflowError("permission_denied", _("You may not do this."))


def _check_text(errors: dict, field: str, text: str, limit: int, *, required: bool) -> None:
    """Refuse a missing, too long or control-character text under ``field``."""
    if required and not text.strip():
        errors[field] = _("This field is required.")
    elif len(text) > limit:
        errors[field] = _("This text has %(length)d characters; at most %(limit)d are allowed.") % {
            "length": len(text),
            "limit": limit,
        }
    else:
        found = control_character(text, line_breaks=True)
        if found is not None:
            errors[field] = _(
                "%(character)s, a control character, is not allowed in this field."
            ) % {"character": str(found)}


@transaction.atomic
def consultation_open(
    *,
    version: ConceptVersion,
    user: User,
    questions: Mapping[str, str],
    languages: Iterable[str],
    closes_on: dt.date,
) -> Consultation:
    """Open a version in review for public comment until ``closes_on`` (inclusive).

    ``languages``: the languages of the call (``Language`` values); ``questions``: the question to
    readers in each of them, by language.
    """
    _require(user, "glossary.open_consultation")
    version = ConceptVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != VersionState.IN_REVIEW:
        raise WorkflowError(
            "wrong_state",
            _(
                "Only a version in review can be opened for public comment; version %(n)d is %(state)s."
            )
            % {"n": version.number, "state": version.get_state_display()},
        )
    if Consultation.objects.filter(version=version).exists():
        raise WorkflowError(
            "already_open", _("This version has already been opened for public comment.")
        )
    chosen = [code for code in Language.values if code in set(languages)]
    errors: dict[str, str] = {}
    if not chosen or len(chosen) != len(set(languages)):
        errors["languages"] = _("Choose at least one language of the call.")
    for code in chosen:
        _check_text(
            errors,
            f"question_{FIELD_SUFFIX[code]}",
            questions.get(code, ""),
            QUESTION_MAX_LENGTH,
            required=True,
        )
    first = today()
    if closes_on <= first:
        errors["closes_on"] = _("The closing date must be after today.")
    elif closes_on > first + dt.timedelta(days=LONGEST):
        errors["closes_on"] = _("A consultation runs for a year at most.")
    if errors:
        raise ValidationError(errors)
    consultation = Consultation(
        version=version,
        revision=version.revision,
        languages=chosen,
        closes_on=closes_on,
        opened_by=user,
    )
    for code in chosen:
        setattr(consultation, f"question_{FIELD_SUFFIX[code]}", questions[code].strip())
    consultation.save()
    counted = ListCount.objects.filter(section=LIST_SECTION, bucket="").update(count=F("count") + 1)
    if not counted:
        ListCount.objects.create(
            section=LIST_SECTION, bucket="", count=Consultation.objects.count()
        )
    publication_touch()
    return consultation


@transaction.atomic
def consultation_close(
    *, consultation: Consultation, user: User, summaries: Mapping[str, str]
) -> Consultation:
    """Close a consultation (early, or after its date) with the editors' response summary.

    The summary is required in the first language of the call and allowed in the others.
    """
    _require(user, "glossary.open_consultation")
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.closed_at is not None:
        raise WorkflowError("closed", _("This consultation is already closed."))
    errors: dict[str, str] = {}
    for index, code in enumerate(Language.values):
        _check_text(
            errors,
            f"summary_{FIELD_SUFFIX[code]}",
            summaries.get(code, ""),
            SUMMARY_MAX_LENGTH,
            required=code == consultation.languages[0] if consultation.languages else index == 0,
        )
    if errors:
        raise ValidationError(errors)
    for code in Language.values:
        setattr(consultation, f"summary_{FIELD_SUFFIX[code]}", summaries.get(code, "").strip())
    consultation.closed_at = timezone.now()
    consultation.closed_by = user
    consultation.save()
    publication_touch()
    return consultation


@transaction.atomic
def comment_submit(
    *, consultation: Consultation, name: str = "", email: str = "", side: str = "", text: str
) -> ConsultationComment:
    """Take a reader's comment; it waits for moderation before anyone else sees it."""
    consultation = (
        Consultation.objects.select_related("version").select_for_update(of=("self",))
    ).get(pk=consultation.pk)
    if not consultation.is_open(today()):
        raise WorkflowError("closed", _("This consultation no longer takes comments."))
    errors: dict[str, str] = {}
    _check_text(errors, "text", text, COMMENT_MAX_LENGTH, required=True)
    _check_text(errors, "name", name, NAME_MAX_LENGTH, required=False)
    if side and side not in CommenterSide.values:
        errors["side"] = _("Choose one of the listed answers.")
    if errors:
        raise ValidationError(errors)
    comment = ConsultationComment(
        consultation=consultation,
        name=name.strip(),
        email=email.strip(),
        side=side,
        text=text.strip(),
    )
    comment.full_clean()
    refuse_control_characters(comment)
    comment.save()
    return comment


@transaction.atomic
def comments_moderate(*, comments: Iterable[ConsultationComment], user: User, status: str) -> int:
    """Show (``approved``) or reject comments; returns how many changed."""
    _require(user, "glossary.moderate_comment")
    if status not in (CommentStatus.APPROVED, CommentStatus.REJECTED):
        raise WorkflowError("bad_status", _("A comment is either shown or rejected."))
    ids = [comment.pk for comment in comments]
    consultation_ids = set(
        ConsultationComment.objects.filter(pk__in=ids).values_list("consultation_id", flat=True)
    )
    # Lock the consultations first: two moderators recount one after the other.
    list(Consultation.objects.select_for_update().filter(pk__in=consultation_ids).values("pk"))
    changed = (
        ConsultationComment.objects.filter(pk__in=ids)
        .exclude(status=status)
        .update(status=status, moderated_by=user, moderated_at=timezone.now())
    )
    shown = Subquery(
        ConsultationComment.objects.filter(
            consultation=OuterRef("pk"), status=CommentStatus.APPROVED
        )
        .values("consultation")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    Consultation.objects.filter(pk__in=consultation_ids).update(
        comments_shown=Coalesce(shown, Value(0))
    )
    return changed
