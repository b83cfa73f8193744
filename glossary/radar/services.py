"""The radar's writes: documents added to the corpus, candidates rebuilt, decisions made.

Each runs in one transaction and validates before it writes; a refused document (a broken
file, a pair of two English texts) raises ``ValidationError`` and stores nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from glossary.core import services, workflow
from glossary.core.choices import Language, Maturity, TermStatus
from glossary.core.models import (
    Candidate,
    CandidateLanguage,
    ConceptVersion,
    CorpusDocument,
    Decision,
    DecisionStatus,
    Proposal,
    ProposalKind,
    SearchKey,
)
from glossary.core.models.proposals import DEFINITION_MAX_LENGTH, SOURCE_MAX_LENGTH
from glossary.language import pinyin
from glossary.radar import align, candidates, extract

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Who may use the radar: whoever may edit drafts (editors and linguists).
RADAR_PERMISSION = "glossary.edit_draft"


def may_use(user: User) -> bool:
    return user.is_active and user.is_staff and user.has_perm(RADAR_PERMISSION)


def _extraction_message(error: extract.ExtractionError) -> str:
    messages = {
        "too_large": _("The file is larger than %(size)d MB.")
        % {"size": extract.MAX_BYTES // (1024 * 1024)},
        "too_many_pages": _("The PDF has more than %(pages)d pages.")
        % {"pages": extract.MAX_PAGES},
        "empty": _("The file is empty."),
        "no_text": _("No text was found in the file."),
        "encrypted": _("The PDF is encrypted; upload a copy without a password."),
        "broken": _("The file is broken and cannot be read."),
        "encoding": _("The text is neither UTF-8 nor GB18030."),
        "unknown_format": _("Unknown file type: upload a PDF, DOCX, HTML or plain text file."),
    }
    return messages.get(error.code, error.message)


@transaction.atomic
def document_add(
    *,
    data: bytes,
    filename: str,
    title: str,
    user: User | None,
    content_type: str = "",
    origin: str = "",
    url: str = "",
    published: dt.date | None = None,
    language: str = "",
    partner: CorpusDocument | None = None,
    licence: str = "",
) -> CorpusDocument:
    """Read a file into the corpus; ``language`` empty: detected from the text."""
    if user is not None and not may_use(user):
        raise workflow.WorkflowError("permission_denied", _("You may not use the radar."))
    try:
        extracted = extract.extract(data, filename=filename, content_type=content_type)
    except extract.ExtractionError as exc:
        raise ValidationError({"file": [_extraction_message(exc)]}) from exc
    language = language or extracted.language or ""
    if not language:
        raise ValidationError({"language": [_("The language could not be detected: choose it.")]})
    document = CorpusDocument(
        title=" ".join(title.split()) or filename,
        origin=origin.strip(),
        url=url.strip(),
        published=published,
        language=language,
        filename=filename[:255],
        licence=licence.strip(),
        text=extracted.text,
        added_by=user,
    )
    errors: dict[str, list[str]] = {}
    if partner is not None:
        partner = CorpusDocument.objects.select_for_update().get(pk=partner.pk)
        if partner.partner_id is not None:
            errors["partner"] = [_("That document is already one side of a pair.")]
        elif (partner.language == Language.EN) == (language == Language.EN):
            errors["partner"] = [_("A pair is one English and one Chinese document.")]
    try:
        document.full_clean(exclude=["partner", "added_by"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    document.save()
    if partner is not None:
        CorpusDocument.objects.filter(pk=document.pk).update(partner=partner)
        CorpusDocument.objects.filter(pk=partner.pk).update(partner=document)
        document.partner = partner
    return document


def glossary_keys() -> set[str]:
    """The matching key of every term of every published concept, in every script."""
    return set(SearchKey.objects.filter(kind=SearchKey.Kind.TERM).values_list("key", flat=True))


@transaction.atomic
def candidates_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Replace every candidate with those the corpus gives now; returns how many there are.

    ``progress(done, total)`` is told after each document is read (a job's progress report).
    """
    rows = list(
        CorpusDocument.objects.order_by("pk").values_list(
            "pk", "language", "text", "published", "partner_id"
        )
    )
    documents = [
        candidates.Document(id=pk, language=language, text=text, date=published)
        for pk, language, text, published, _partner in rows
    ]
    total = len(documents) + 1
    report = progress or (lambda done, total: None)
    report(0, total)
    known = glossary_keys()
    found = candidates.rank(
        documents,
        known=known.__contains__,
        vocabulary=known,
        progress=lambda done: report(done, total),
    )
    _suggest_translations(found, documents, {pk: partner for pk, *_rest, partner in rows})
    Candidate.objects.all().delete()
    Candidate.objects.bulk_create(
        [
            Candidate(
                key=c.key[:200],
                text=c.text[:200],
                language=c.language,
                score=c.score,
                count=c.count,
                document_count=len(c.documents),
                documents=c.documents,
                first_seen=c.first_seen,
                months=c.months,
                contexts=[list(context) for context in c.contexts],
                background=c.background,
                translation=c.translation[:200],
                translation_score=c.translation_score,
            )
            for c in found
        ],
        batch_size=500,
    )
    report(total, total)
    return len(found)


def _suggest_translations(
    found: list[candidates.Candidate],
    documents: list[candidates.Document],
    partners: dict[int, int | None],
) -> None:
    by_id = {document.id: document for document in documents}
    wanted = {
        group: {c.key for c in found if c.language == group}
        for group in (candidates.EN, candidates.ZH)
    }
    units: list[tuple[str, str]] = []
    for document in documents:
        partner = by_id.get(partners.get(document.id) or 0)
        if document.group == candidates.EN and partner is not None:
            units.extend(align.align(document.text, partner.text))
    if not units:
        return
    best = align.translations(
        units,
        english_keys=lambda text: candidates.unit_keys(text, candidates.EN, wanted[candidates.EN]),
        chinese_keys=lambda text: candidates.unit_keys(text, candidates.ZH, wanted[candidates.ZH]),
    )
    text_of = {(c.language, c.key): c.text for c in found}
    for candidate in found:
        suggestion = best.get(candidate.key)
        if suggestion is None:
            continue
        other = candidates.ZH if candidate.language == candidates.EN else candidates.EN
        candidate.translation = text_of.get((other, suggestion[0]), suggestion[0])
        candidate.translation_score = suggestion[1]


def _decide(candidate: Candidate, user: User, status: str, **links: object) -> Decision:
    decision, _created = Decision.objects.update_or_create(
        language=candidate.language,
        key=candidate.key,
        defaults={
            "text": candidate.text,
            "status": status,
            "decided_by": user,
            "decided_at": timezone.now(),
            "proposal": None,
            "draft": None,
            **links,
        },
    )
    return decision


def _check(user: User, candidate: Candidate, *, final: bool) -> None:
    if not may_use(user):
        raise workflow.WorkflowError("permission_denied", _("You may not use the radar."))
    decided = (
        Decision.objects.select_for_update()
        .filter(language=candidate.language, key=candidate.key)
        .first()
    )
    if (
        final
        and decided is not None
        and decided.status
        in (
            DecisionStatus.PROPOSED,
            DecisionStatus.DRAFTED,
        )
    ):
        raise workflow.WorkflowError(
            "candidate_decided",
            _("This candidate was already made into a proposal or a draft."),
        )


@transaction.atomic
def candidate_dismiss(*, candidate: Candidate, user: User) -> Decision:
    """Dismiss a candidate: it leaves the radar list, through every rebuild."""
    _check(user, candidate, final=True)
    return _decide(candidate, user, DecisionStatus.DISMISSED)


@transaction.atomic
def candidate_watch(*, candidate: Candidate, user: User) -> Decision:
    """Put a candidate on the radar's watch list (the list's "watched" filter)."""
    _check(user, candidate, final=True)
    return _decide(candidate, user, DecisionStatus.WATCHED)


def _term_language(candidate: Candidate) -> str:
    return Language.EN if candidate.language == CandidateLanguage.EN else Language.ZH_HANS


def _titles(candidate: Candidate) -> dict[int, str]:
    return dict(
        CorpusDocument.objects.filter(pk__in=candidate.documents).values_list("pk", "title")
    )


def draft_note(candidate: Candidate) -> str:
    """What a draft made from a candidate says of it in its note."""
    titles = _titles(candidate)
    lines = [_("From the new-terms radar: %(text)s.") % {"text": candidate.text}]
    if candidate.first_seen:
        lines.append(_("First seen: %(date)s.") % {"date": candidate.first_seen.isoformat()})
    if candidate.translation:
        lines.append(
            _("Proposed translation (from aligned documents): %(text)s.")
            % {"text": candidate.translation}
        )
    lines.append(_("Examples from the corpus:"))
    for pk, sentence in candidate.contexts:
        lines.append(f"- {sentence} ({titles.get(pk, pk)})")
    return "\n".join(lines)


def suggested_uid(candidate: Candidate) -> str:
    text = candidate.text if candidate.language == CandidateLanguage.EN else pinyin(candidate.text)
    return slugify(text)[:80] or f"radar-{candidate.pk}"


@transaction.atomic
def candidate_make_draft(*, candidate: Candidate, user: User, uid: str = "") -> ConceptVersion:
    """A new draft concept from a candidate: its term (proposed, provisional), its first
    context as the term's context, all its contexts in the note, and the first date seen as
    "first attested"."""
    _check(user, candidate, final=True)
    language = _term_language(candidate)
    note_field = "note_en" if language == Language.EN else "note_zh_hans"
    data = services.DraftData(
        texts={note_field: draft_note(candidate)},
        maturity=Maturity.PROVISIONAL,
        first_attested=candidate.first_seen.isoformat() if candidate.first_seen else "",
        terms=[
            services.TermData(
                language=language,
                text=candidate.text,
                status=TermStatus.PREFERRED,
                context=candidate.contexts[0][1] if candidate.contexts else "",
            )
        ],
    )
    version = services.concept_create(
        uid=uid.strip() or suggested_uid(candidate), user=user, data=data
    )
    _decide(candidate, user, DecisionStatus.DRAFTED, draft=version)
    return version


@transaction.atomic
def candidate_make_proposal(*, candidate: Candidate, user: User) -> Proposal:
    """A new-term proposal from a candidate, for the triage queue, with its contexts."""
    _check(user, candidate, final=True)
    language = _term_language(candidate)
    titles = _titles(candidate)
    contexts = "\n".join(sentence for _pk, sentence in candidate.contexts)
    english, chinese = (
        (candidate.text, candidate.translation)
        if language == Language.EN
        else (candidate.translation, candidate.text)
    )
    proposal = services.proposal_submit(
        kind=ProposalKind.NEW_TERM,
        definition=contexts[:DEFINITION_MAX_LENGTH],
        definition_language=language if contexts else "",
        source="; ".join(titles[pk] for pk in candidate.documents if pk in titles)[
            :SOURCE_MAX_LENGTH
        ],
        language="en" if language == Language.EN else "zh-hans",
        term_en=english,
        term_zh_hans=chinese,
    )
    _decide(candidate, user, DecisionStatus.PROPOSED, proposal=proposal)
    return proposal


def decision_of(candidate: Candidate) -> Decision | None:
    """The decision on a candidate, with who made it and what it made."""
    return (
        Decision.objects.select_related("decided_by", "proposal", "draft")
        .filter(language=candidate.language, key=candidate.key)
        .first()
    )
