"""Proposals from readers: received, accepted into a draft, merged, or declined.

Anyone may send one (the public form throttles and checks it first); only editors triage them.
Accepting starts a draft through the draft services, so the two-sided review decides, as for
any other draft, what of it is ever published. The proposer, when they left an e-mail, is told
the outcome once the step commits, in the language they wrote in.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from glossary.core import workflow
from glossary.core.choices import FIELD_SUFFIX, EventAction, Language, TermStatus, VersionState
from glossary.core.models import (
    Concept,
    ConceptVersion,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalTally,
)
from glossary.core.services.data import DraftData, TermData
from glossary.core.services.drafts import concept_create, draft_start, draft_update
from glossary.core.services.history import record_event
from glossary.core.workflow import WorkflowError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

TERM_LANGUAGES = (
    ("term_en", Language.EN),
    ("term_zh_hans", Language.ZH_HANS),
    ("term_zh_hant", Language.ZH_HANT),
)


@transaction.atomic
def proposal_submit(
    *,
    kind: str,
    concept: Concept | None = None,
    term_en: str = "",
    term_zh_hans: str = "",
    term_zh_hant: str = "",
    definition: str = "",
    definition_language: str = "",
    source: str = "",
    email: str = "",
    language: str = "",
) -> Proposal:
    """Keep a reader's proposal for triage, or refuse it (``ValidationError``) and keep nothing."""
    proposal = Proposal(
        kind=kind,
        concept=concept,
        term_en=" ".join(term_en.split()),
        term_zh_hans=" ".join(term_zh_hans.split()),
        term_zh_hant=" ".join(term_zh_hant.split()),
        definition=definition.strip(),
        definition_language=definition_language if definition.strip() else "",
        source=source.strip(),
        email=email.strip(),
        language=language or settings.LANGUAGE_CODE,
    )
    errors: dict[str, list[str]] = {}
    if kind == ProposalKind.CORRECTION and (concept is None or not concept.public_version_id):
        errors["concept"] = [_("A correction is of a published concept.")]
    if kind == ProposalKind.NEW_TERM and not any(proposal.terms()):
        errors["term_en"] = [_("Give the term in at least one language.")]
    if kind == ProposalKind.CORRECTION and not (any(proposal.terms()) or proposal.definition):
        errors["definition"] = [_("Say what should change: a term, or a definition or context.")]
    if proposal.definition and not proposal.definition_language:
        errors["definition_language"] = [_("Say which language the definition is in.")]
    try:
        proposal.full_clean(exclude=["decided_by", "merged_into", "draft"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    proposal.save()
    _tally(proposal.created_at, received=1)
    return proposal


def _tally(moment: dt.datetime, *, received: int = 0, accepted: int = 0) -> None:
    month = timezone.localdate(moment).replace(day=1)
    bumped = ProposalTally.objects.filter(month=month).update(
        received=F("received") + received, accepted=F("accepted") + accepted
    )
    if not bumped:
        _create_tally(month, received, accepted)


def _create_tally(month: dt.date, received: int, accepted: int) -> None:
    # Two first proposals of a month at once: the second finds the row the first made.
    try:
        with transaction.atomic():
            ProposalTally.objects.create(month=month, received=received, accepted=accepted)
    except IntegrityError:  # the unique month was taken meanwhile
        ProposalTally.objects.filter(month=month).update(
            received=F("received") + received, accepted=F("accepted") + accepted
        )


def _lock_open(proposal: Proposal, user: User) -> Proposal:
    workflow._require_perm(user, "glossary.edit_draft", _("triage proposals"))
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("concept")
        .get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.OPEN:
        raise WorkflowError(
            "proposal_decided",
            _("This proposal was already decided (%(status)s).")
            % {"status": locked.get_status_display()},
        )
    return locked


def _decide(proposal: Proposal, user: User, status: str, **fields: object) -> None:
    now = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(
        status=status, decided_at=now, decided_by=user, **fields
    )
    proposal.status, proposal.decided_at, proposal.decided_by = status, now, user
    for name, value in fields.items():
        setattr(proposal, name, value)


def summary(proposal: Proposal) -> str:
    """The proposal as an editor reads it on the draft's record (never the proposer's e-mail)."""
    lines = [_("From reader proposal #%(number)d.") % {"number": proposal.pk}]
    for name, language in TERM_LANGUAGES:
        text = getattr(proposal, name)
        if text:
            lines.append(f"{Language(language).label}: {text}")
    if proposal.definition:
        lines.append(_("Definition or context: %(text)s") % {"text": proposal.definition})
    if proposal.source:
        lines.append(_("Source: %(text)s") % {"text": proposal.source})
    return "\n".join(lines)


def suggested_uid(proposal: Proposal) -> str:
    """An identifier for the concept a new-term proposal would become."""
    from django.utils.text import slugify

    return slugify(proposal.term_en)[:80] or f"proposal-{proposal.pk}"


@transaction.atomic
def proposal_accept(*, proposal: Proposal, user: User, uid: str = "") -> ConceptVersion:
    """Accept a proposal: a draft of its concept (or of a new concept ``uid``), prefilled.

    A correction adds the proposed terms the concept lacks, as admitted terms, to a new draft of
    the concept (or to its draft, when it has one); a new term becomes a new concept whose
    preferred terms and definition are the proposal's. Either way the proposal's whole text is
    the comment of an edit on the draft's record, for the editor to work from.
    """
    proposal = _lock_open(proposal, user)
    if proposal.kind == ProposalKind.NEW_TERM:
        data = DraftData(
            terms=[
                TermData(
                    language=language, text=getattr(proposal, name), status=TermStatus.PREFERRED
                )
                for name, language in TERM_LANGUAGES
                if getattr(proposal, name)
            ],
        )
        if proposal.definition:
            suffix = FIELD_SUFFIX[proposal.definition_language]
            data.texts[f"definition_{suffix}"] = proposal.definition
        version = concept_create(uid=uid.strip() or suggested_uid(proposal), user=user, data=data)
    else:
        assert proposal.concept is not None
        concept = Concept.objects.get(pk=proposal.concept.pk)
        if concept.open_version_id is None:
            version = draft_start(concept=concept, user=user)
        else:
            version = ConceptVersion.objects.get(pk=concept.open_version_id)
            if version.state != VersionState.DRAFT:
                raise WorkflowError(
                    "open_version_in_review",
                    _(
                        "This concept's open version is in review, so nothing can be added to "
                        "it now. Accept the proposal once the review is decided."
                    ),
                )
        version = ConceptVersion.objects.with_content().get(pk=version.pk)
        data = DraftData.from_version(version)
        known = {(term.language, term.text.casefold()) for term in data.terms}
        added = [
            TermData(language=language, text=getattr(proposal, name), status=TermStatus.ADMITTED)
            for name, language in TERM_LANGUAGES
            if getattr(proposal, name)
            and (language, getattr(proposal, name).casefold()) not in known
        ]
        if added:
            data.terms.extend(added)
            version = draft_update(
                version=version, user=user, data=data, expected_revision=version.revision
            )
    record_event(version, EventAction.EDIT, user, comment=summary(proposal))
    _decide(proposal, user, ProposalStatus.ACCEPTED, draft=version)
    _tally(proposal.created_at, accepted=1)
    _tell([proposal, *proposal.merged.all()], ProposalStatus.ACCEPTED)
    return version


@transaction.atomic
def proposal_merge(*, proposal: Proposal, into: Proposal, user: User) -> Proposal:
    """Close a proposal as a duplicate of another open one, decided with it."""
    proposal = _lock_open(proposal, user)
    if into.pk == proposal.pk:
        raise WorkflowError("merge_into_itself", _("A proposal cannot be merged into itself."))
    target = Proposal.objects.select_for_update().get(pk=into.pk)
    if target.status != ProposalStatus.OPEN:
        raise WorkflowError(
            "merge_target_decided", _("Merge only into a proposal that is still waiting.")
        )
    _decide(proposal, user, ProposalStatus.MERGED, merged_into=target)
    Proposal.objects.filter(merged_into=proposal).update(merged_into=target)
    return proposal


@transaction.atomic
def proposal_decline(*, proposal: Proposal, user: User, reason: str) -> Proposal:
    """Decline a proposal; the reason is kept and told to the proposer."""
    proposal = _lock_open(proposal, user)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why: the proposer is told the reason.")]})
    candidate = Proposal(reason=reason)
    try:
        candidate.clean_fields(
            exclude=[f.name for f in Proposal._meta.fields if f.name != "reason"]
        )
        candidate.clean()
    except ValidationError as exc:
        raise ValidationError({"reason": exc.message_dict.get("reason", exc.messages)}) from exc
    _decide(proposal, user, ProposalStatus.DECLINED, reason=reason)
    _tell([proposal, *proposal.merged.all()], ProposalStatus.DECLINED, reason=reason)
    return proposal


def _tell(proposals: list[Proposal], outcome: str, *, reason: str = "") -> None:
    """Queue the outcome's e-mail to each proposer who left an address, sent after the commit."""
    messages = []
    for proposal in proposals:
        if not proposal.email:
            continue
        with translation.override(proposal.language):
            messages.append(_outcome_message(proposal, outcome, reason))
    if messages:
        transaction.on_commit(lambda: _send(messages), robust=True)


def _outcome_message(proposal: Proposal, outcome: str, reason: str) -> EmailMessage:
    terms = " / ".join(t for t in proposal.terms() if t) or (
        proposal.concept.uid if proposal.concept else ""
    )
    if outcome == ProposalStatus.ACCEPTED:
        subject = _("Your proposal was accepted")
        body = _(
            "Thank you. The editors accepted your proposal (%(terms)s) and started a draft from "
            "it. Like every change, it is published only once reviewers of both the U.S. side "
            "and the China side approve it."
        ) % {"terms": terms}
    else:
        subject = _("Your proposal was declined")
        body = _(
            "Thank you. The editors read your proposal (%(terms)s) and declined it, for this "
            "reason:"
        ) % {"terms": terms}
        body += "\n\n" + "\n".join(f"  {line}" for line in reason.splitlines())
    body += "\n\n" + _("You receive this e-mail because you left this address with the proposal.")
    return EmailMessage(subject=f"[{_('AI Glossary')}] {subject}", body=body, to=[proposal.email])


def _send(messages: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(messages)
    except OSError:
        # A mail server that is down must not undo the decision.
        logger.exception("Could not send %d proposal outcome(s)", len(messages))
