"""Every write to the glossary. Views, the admin, the API and commands call these; nothing else
calls ``save()`` on a domain object.

Each service is keyword-only, runs in one transaction, locks what it changes, validates before
writing and records what it did in the concept's history.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from glossary.core import publication, roles, workflow
from glossary.core.choices import (
    OPEN_STATES,
    PUBLIC_STATES,
    Agreement,
    EventAction,
    Language,
    Maturity,
    PartOfSpeech,
    ReleaseChange,
    ReviewDecision,
    TermStatus,
    TermType,
    VersionState,
)
from glossary.core.fields import traditional_field_names, translated_field_names
from glossary.core.guards import allow_transition
from glossary.core.models import (
    ApiToken,
    Citation,
    Concept,
    ConceptVersion,
    Domain,
    Event,
    Publication,
    Relation,
    Release,
    ReleaseEntry,
    Review,
    Source,
    Term,
    VersionDomain,
)
from glossary.core.querysets import key_digest
from glossary.core.workflow import StaleEditError, WorkflowError
from glossary.language.text import normalise_term

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, Group


@dataclass
class TermData:
    language: str
    text: str
    status: str = TermStatus.ADMITTED
    term_type: str = TermType.FULL_FORM
    part_of_speech: str = PartOfSpeech.NOUN
    geographic_usage: str = ""
    context: str = ""
    note: str = ""
    source: Source | None = None
    # A Traditional term suggested by OpenCC that no linguist has reviewed yet.
    machine_converted: bool = False


@dataclass
class CitationData:
    source: Source
    locator: str = ""
    quote: str = ""
    quote_language: str = ""


@dataclass
class RelationData:
    kind: str
    target: Concept


@dataclass
class DraftData:
    """The whole editable content of a draft. A save replaces what the draft had."""

    texts: dict[str, str] = field(default_factory=dict)  # e.g. {"definition_en": "..."}
    agreement: str = Agreement.AGREED
    maturity: str = Maturity.ESTABLISHED
    first_attested: str = ""
    domains: list[Domain] = field(default_factory=list)
    terms: list[TermData] = field(default_factory=list)
    citations: list[CitationData] = field(default_factory=list)
    relations: list[RelationData] = field(default_factory=list)
    # Translated zh-Hant fields ("definition_zh_hant", ...) holding an unreviewed OpenCC suggestion.
    machine_converted_fields: list[str] = field(default_factory=list)
    # The history a file gave a concept an import creates ({"action", "date", "responsibility"};
    # see ConceptVersion.imported_history). Empty means "ours": a save of a draft that already
    # has one keeps it, because editing the imported draft before it is published does not
    # change where the concept came from.
    imported_history: list[dict] = field(default_factory=list)

    @classmethod
    def from_version(cls, version: ConceptVersion) -> DraftData:
        """A copy of a version's content, to start a new draft from it.

        The imported history is not copied: a new draft is a version of our own, and its
        publication is our own record (the history it would copy stands for the old version).
        """
        return cls(
            texts={name: getattr(version, name) or "" for name in translated_field_names()},
            agreement=version.agreement,
            maturity=version.maturity,
            first_attested=version.first_attested,
            domains=list(version.domains.all()),
            terms=[
                TermData(
                    language=t.language,
                    text=t.text,
                    status=t.status,
                    term_type=t.term_type,
                    part_of_speech=t.part_of_speech,
                    geographic_usage=t.geographic_usage,
                    context=t.context,
                    note=t.note,
                    source=t.source,
                    machine_converted=t.machine_converted,
                )
                for t in version.terms.all()
            ],
            citations=[
                CitationData(
                    source=c.source,
                    locator=c.locator,
                    quote=c.quote,
                    quote_language=c.quote_language,
                )
                for c in version.citations.all()
            ],
            relations=[RelationData(kind=r.kind, target=r.target) for r in version.relations.all()],
            machine_converted_fields=list(version.machine_converted_fields or []),
        )


def _validate(version: ConceptVersion, data: DraftData) -> None:
    """Check the content against the model and the invariants; raise before anything is written."""
    errors: dict[str, list[str]] = {}
    unknown = set(data.texts) - set(translated_field_names())
    if unknown:
        errors.setdefault("texts", []).append(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    candidate = ConceptVersion(
        concept=version.concept,
        number=version.number,
        agreement=data.agreement,
        maturity=data.maturity,
        first_attested=data.first_attested,
        **{name: value for name, value in data.texts.items() if name not in unknown},
    )
    try:
        candidate.full_clean(
            exclude=["concept", "number", "author", "based_on"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    not_traditional = set(data.machine_converted_fields) - set(traditional_field_names())
    if not_traditional:
        errors.setdefault("machine_converted_fields", []).append(
            _("Only Traditional Chinese fields can be marked as machine-converted: %(names)s")
            % {"names": ", ".join(sorted(not_traditional))}
        )
    if any(t.machine_converted and t.language != Language.ZH_HANT for t in data.terms):
        errors.setdefault("terms", []).append(
            _("Only Traditional Chinese terms can be marked as machine-converted.")
        )
    term_errors = term_problems(data.terms)
    if term_errors:
        errors.setdefault("terms", []).extend(term_errors)
    for index, term in enumerate(data.terms, start=1):
        candidate_term = Term(
            language=term.language,
            text=term.text,
            status=term.status,
            term_type=term.term_type,
            part_of_speech=term.part_of_speech,
            geographic_usage=term.geographic_usage,
            context=term.context,
            note=term.note,
            source=term.source,
        )
        try:
            candidate_term.full_clean(
                exclude=["version"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault("terms", []).extend(
                    f"{_('Term %(index)d') % {'index': index}} ({key}): {message}"
                    for message in messages
                )
    seen_relations = set()
    for relation in data.relations:
        if relation.target.pk == version.concept_id:
            errors.setdefault("relations", []).append(_("A concept cannot be related to itself."))
        key = (relation.kind, relation.target.pk)
        if key in seen_relations:
            errors.setdefault("relations", []).append(
                _("The relation to %(uid)s is listed twice.") % {"uid": relation.target.uid}
            )
        seen_relations.add(key)
    if errors:
        raise ValidationError(errors)


def term_problems(terms: list[TermData]) -> list[str]:
    """The invariants over a version's terms: one preferred per language, no repeated term.

    Terms are compared as they are stored (``text.normalise_term``: NFC, whitespace collapsed);
    characters no term may hold are refused by ``Term.clean`` before this matters.
    """
    problems = []
    preferred = Counter(t.language for t in terms if t.status == TermStatus.PREFERRED)
    for language, count in sorted(preferred.items()):
        if count > 1:
            problems.append(
                _("There can be only one preferred term in %(language)s; %(count)d are marked.")
                % {"language": Language(language).label, "count": count}
            )
    # Compared as stored: NFC, so that a copy spelt with other code points is still a copy.
    texts = Counter((t.language, normalise_term(t.text)) for t in terms)
    for (language, text), count in sorted(texts.items()):
        if count > 1:
            problems.append(
                _("The term “%(text)s” is listed %(count)d times in %(language)s.")
                % {"text": text, "count": count, "language": Language(language).label}
            )
    return problems


def _apply_content(version: ConceptVersion, data: DraftData) -> None:
    """Put a draft's own fields from ``data`` on the instance; the caller saves it."""
    for name in translated_field_names():
        setattr(version, name, (data.texts.get(name) or "").strip())
    version.agreement = data.agreement
    version.maturity = data.maturity
    version.first_attested = data.first_attested.strip()
    # A flag on an empty field would mark nothing; keep the order of the fields.
    flagged = set(data.machine_converted_fields)
    version.machine_converted_fields = [
        name for name in traditional_field_names() if name in flagged and getattr(version, name)
    ]
    if data.imported_history:
        version.imported_history = clean_imported_history(data.imported_history)


def _write_content(version: ConceptVersion, data: DraftData) -> None:
    """Replace a draft's content with ``data`` (the draft is locked and validated already)."""
    _apply_content(version, data)
    version.save()
    version.terms.all().delete()
    version.citations.all().delete()
    version.relations.all().delete()
    VersionDomain.objects.filter(version=version).delete()
    _insert_children([(version, data)])


def _insert_children(drafts: list[tuple[ConceptVersion, DraftData]]) -> None:
    """Write the terms, citations, relations and domains of saved drafts: a query per kind."""
    terms, citations, relations, domains = [], [], [], []
    for version, data in drafts:
        for position, term in enumerate(data.terms):
            text = normalise_term(term.text)
            terms.append(
                Term(
                    version=version,
                    language=term.language,
                    text=text,
                    folded=Term.matching_key(text),
                    status=term.status,
                    term_type=term.term_type,
                    part_of_speech=term.part_of_speech,
                    geographic_usage=term.geographic_usage,
                    context=term.context.strip(),
                    note=term.note.strip(),
                    source=term.source,
                    position=position,
                    machine_converted=term.machine_converted,
                )
            )
        citations.extend(
            Citation(
                version=version,
                source=c.source,
                locator=c.locator.strip(),
                quote=c.quote.strip(),
                quote_language=c.quote_language,
                position=position,
            )
            for position, c in enumerate(data.citations)
        )
        relations.extend(
            Relation(version=version, kind=r.kind, target=r.target) for r in data.relations
        )
        domains.extend(
            VersionDomain(version=version, domain=domain) for domain in dict.fromkeys(data.domains)
        )
    Term.objects.bulk_create(terms)
    Citation.objects.bulk_create(citations)
    Relation.objects.bulk_create(relations)
    VersionDomain.objects.bulk_create(domains)


HISTORY_ACTIONS = ("creation", "modification")


def clean_imported_history(history: list[dict]) -> list[dict]:
    """A file's history as ConceptVersion.imported_history stores it; raise if it is malformed."""
    cleaned, problems = [], []
    for index, event in enumerate(history, start=1):
        action = event.get("action") if isinstance(event, dict) else None
        date = str(event.get("date") or "").strip() if isinstance(event, dict) else ""
        try:
            (dt.date if len(date) == 10 else dt.datetime).fromisoformat(date)
        except ValueError:
            date = ""
        if action not in HISTORY_ACTIONS or not date:
            problems.append(
                _("History entry %(index)d needs a creation or modification and an ISO date.")
                % {"index": index}
            )
            continue
        cleaned.append(
            {
                "action": action,
                "date": date,
                "responsibility": str(event.get("responsibility") or "").strip(),
            }
        )
    if problems:
        raise ValidationError({"imported_history": problems})
    return cleaned


class BatchError(Exception):
    """Some items of a batch were refused, so nothing was written.

    ``errors`` maps the place of each refused item in the batch to its ``ValidationError`` or
    ``WorkflowError``; the caller may leave those out and try the rest again.
    """

    def __init__(self, errors: dict[int, Exception]) -> None:
        super().__init__(f"{len(errors)} item(s) of the batch were refused")
        self.errors = errors


def _single(batch, **kwargs):  # noqa: ANN001, ANN202 - a batch service and its arguments
    """Run a batch service on one version and give back that version, or its own error."""
    try:
        return batch(**kwargs)[0]
    except BatchError as exc:
        raise exc.errors[0] from None


def _check_each(items: list, check) -> None:  # noqa: ANN001 - a callable raising per item
    """Run a check on every item; raise ``BatchError`` with each refusal, if any."""
    errors: dict[int, Exception] = {}
    for index, item in enumerate(items):
        try:
            check(item)
        except (ValidationError, WorkflowError) as exc:
            errors[index] = exc
    if errors:
        raise BatchError(errors)


def _event(
    version: ConceptVersion,
    action: str,
    user: AbstractBaseUser | None,
    *,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
) -> Event:
    return Event(
        concept_id=version.concept_id,
        version=version,
        action=action,
        actor=user if user and user.is_authenticated else None,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )


def _record(version: ConceptVersion, action: str, user: AbstractBaseUser | None, **kw) -> None:
    _event(version, action, user, **kw).save()


def _transition(
    versions: list[ConceptVersion],
    to_state: str,
    action: str,
    user: AbstractBaseUser | None,
    *,
    comment: str = "",
    fields: dict | None = None,
    new_round: bool = False,
) -> list[Event]:
    """Move locked versions to another state in one update.

    Returns the history events that say so, unsaved, so that a caller writes those of a whole
    step together and in order. ``fields``: other state fields, set to the same value on each;
    ``new_round``: count each version's review round up (a submission opens a new round).
    """
    events = [
        _event(version, action, user, from_state=version.state, to_state=to_state, comment=comment)
        for version in versions
    ]
    values = {"state": to_state, **(fields or {})}
    rounds = {"review_round": F("review_round") + 1} if new_round else {}
    _lock_references([version.pk for version in versions if version.state == VersionState.DRAFT])
    with allow_transition():
        ConceptVersion.objects.filter(pk__in=[version.pk for version in versions]).update(
            **values, **rounds
        )
    for version in versions:
        for name, value in values.items():
            setattr(version, name, value)
        if new_round:
            version.review_round += 1
    return events


def _lock_references(draft_ids: list[int]) -> None:
    """Lock the sources and domains these drafts cite, which freeze as the drafts leave draft.

    ``_reference_save`` takes the same row lock before it asks whether a row is frozen, so an
    edit of a source and the submission of a draft citing it never interleave.
    """
    if not draft_ids:
        return
    cited = Q(pk__in=Citation.objects.filter(version__in=draft_ids).values("source_id")) | Q(
        pk__in=Term.objects.filter(version__in=draft_ids).values("source_id")
    )
    list(Source.objects.select_for_update().filter(cited).order_by("pk").values("pk"))
    domains = VersionDomain.objects.filter(version__in=draft_ids).values("domain_id")
    list(Domain.objects.select_for_update().filter(pk__in=domains).order_by("pk").values("pk"))


def _lock(versions: list[ConceptVersion], *, with_terms: bool = False) -> list[ConceptVersion]:
    """The versions read again under a row lock, in the order given."""
    ids = [version.pk for version in versions]
    if len(set(ids)) != len(ids):
        raise ValueError("A version is named twice in one batch.")
    rows = ConceptVersion.objects.select_for_update(of=("self",)).select_related("concept")
    if with_terms:
        rows = rows.prefetch_related("terms")
    found = {version.pk: version for version in rows.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ConceptVersion.DoesNotExist(f"No concept version {missing[0]}.")
    return [found[pk] for pk in ids]


def _version_in(states: tuple[str, ...]) -> Subquery:
    """For an update of concepts: each one's version in one of these states.

    The partial unique constraints allow one open and one public version per concept, so this
    names exactly one, found through their index.
    """
    return Subquery(
        ConceptVersion.objects.filter(concept=OuterRef("pk"), state__in=states).values("pk")[:1]
    )


def _system_user(user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None


def _bump_publication(moment: dt.datetime) -> None:
    """Say, in the transaction that changes it, that the public glossary changed.

    The update locks the one row, so concurrent publishers take turns and every committed
    change gets its own serial.
    """
    bumped = Publication.objects.filter(pk=Publication.ROW).update(
        serial=F("serial") + 1, changed_at=moment
    )
    if not bumped:
        Publication.objects.create(pk=Publication.ROW, serial=1, changed_at=moment)


def concept_create(*, uid: str, user: AbstractBaseUser, data: DraftData) -> ConceptVersion:
    """Create a concept with its first version as a draft."""
    return _single(concepts_create, user=user, drafts=[(uid, data)])


@transaction.atomic
def concepts_create(
    *, user: AbstractBaseUser, drafts: list[tuple[str, DraftData]]
) -> list[ConceptVersion]:
    """Create concepts, each with its first version as a draft: every one of them, or none.

    Each (uid, content) is validated before anything is written; when any is refused,
    ``BatchError`` names each refused one and nothing is written. A fixed number of queries,
    however many concepts: this is what makes importing a large glossary fast.
    """
    workflow._require_perm(user, "glossary.edit_draft", _("create concepts"))
    author = _system_user(user)
    uids = [uid.strip() for uid, _data in drafts]
    taken = set(Concept.objects.filter(uid__in=uids).values_list("uid", flat=True))
    pairs: list[tuple[ConceptVersion, DraftData]] = []
    for uid, (_given, data) in zip(uids, drafts, strict=True):
        concept = Concept(uid=uid)
        pairs.append((ConceptVersion(concept=concept, number=1, author=author), data))

    def check(pair: tuple[ConceptVersion, DraftData]) -> None:
        version, data = pair
        uid = version.concept.uid
        in_use = uid in taken
        taken.add(uid)  # a second draft of the batch with this uid is refused too
        _validate_uid(version.concept, in_use=in_use)
        _validate(version, data)
        clean_imported_history(data.imported_history)

    _check_each(pairs, check)
    concepts = Concept.objects.bulk_create([version.concept for version, _data in pairs])
    for version, data in pairs:
        _apply_content(version, data)
    ConceptVersion.objects.bulk_create([version for version, _data in pairs])
    _insert_children(pairs)
    Concept.objects.filter(pk__in=[concept.pk for concept in concepts]).update(
        open_version=_version_in(OPEN_STATES)
    )
    for concept, (version, _data) in zip(concepts, pairs, strict=True):
        concept.open_version = version
    Event.objects.bulk_create(
        _event(version, EventAction.CREATE, user, to_state=VersionState.DRAFT)
        for version, _data in pairs
    )
    return [version for version, _data in pairs]


def _validate_uid(concept: Concept, *, in_use: bool) -> None:
    """Check a new concept's identifier (``in_use``: whether another concept has it)."""
    try:
        concept.full_clean(exclude=["public_version", "open_version"], validate_unique=False)
        if in_use:
            raise ValidationError({"uid": [concept.unique_error_message(Concept, ("uid",))]})
    except ValidationError as exc:
        raise ValidationError({"uid": exc.message_dict.get("uid", exc.messages)}) from exc


@transaction.atomic
def draft_update(
    *, version: ConceptVersion, user: AbstractBaseUser, data: DraftData, expected_revision: int
) -> ConceptVersion:
    """Save a draft's content, refusing if someone saved it since ``expected_revision`` was read."""
    (version,) = _lock([version])
    workflow.check_edit(user, version)
    if version.revision != expected_revision:
        raise StaleEditError(
            "stale_edit",
            _(
                "Someone else saved this draft after you opened it (revision %(theirs)d, you "
                "loaded %(yours)d). Nothing was saved: reload the draft and make your change again."
            )
            % {"theirs": version.revision, "yours": expected_revision},
        )
    _validate(version, data)
    # The conditional update is the real guard: it holds even where SELECT ... FOR UPDATE is a
    # no-op (SQLite), because only one writer can move the revision from the value it read.
    bumped = ConceptVersion.objects.filter(
        pk=version.pk, revision=expected_revision, state=VersionState.DRAFT
    ).update(revision=F("revision") + 1)
    if not bumped:
        raise StaleEditError("stale_edit", _("Someone else saved this draft first; reload it."))
    version.revision = expected_revision + 1
    _write_content(version, data)
    _record(version, EventAction.EDIT, user)
    return version


@transaction.atomic
def draft_start(*, concept: Concept, user: AbstractBaseUser) -> ConceptVersion:
    """Start a new draft of a published concept, copied from its published version."""
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    workflow.check_start_draft(user, concept)
    return _new_version(concept, user, action=EventAction.CREATE)


def _new_version(
    concept: Concept,
    user: AbstractBaseUser,
    *,
    action: str,
    retirement_reason: str = "",
    imported_history: list[dict] | None = None,
) -> ConceptVersion:
    published = ConceptVersion.objects.with_content().get(pk=concept.public_version_id)
    last = concept.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ConceptVersion(
        concept=concept,
        number=last + 1,
        based_on=published,
        author=_system_user(user),
        retirement_reason=retirement_reason,
    )
    data = DraftData.from_version(published)
    data.imported_history = imported_history or []
    _apply_content(version, data)
    version.save()
    _insert_children([(version, data)])
    concept.open_version = version
    concept.save(update_fields=["open_version"])
    _record(version, action, user, to_state=VersionState.DRAFT, comment=retirement_reason)
    return version


def version_submit(
    *, version: ConceptVersion, user: AbstractBaseUser, comment: str = ""
) -> ConceptVersion:
    """Send a complete draft to review. Approvals of any earlier round no longer count."""
    return _single(versions_submit, versions=[version], user=user, comment=comment)


@transaction.atomic
def versions_submit(
    *, versions: list[ConceptVersion], user: AbstractBaseUser, comment: str = ""
) -> list[ConceptVersion]:
    """Send complete drafts to review: all of them, or (``BatchError``) none."""
    locked = _lock(versions, with_terms=True)
    _check_each(locked, lambda version: workflow.check_submit(user, version))
    _send_to_review(locked, user, comment)
    return locked


def _send_to_review(versions: list[ConceptVersion], user: AbstractBaseUser, comment: str) -> None:
    """Open a new review round: approvals of earlier rounds no longer count."""
    Event.objects.bulk_create(
        _transition(
            versions,
            VersionState.IN_REVIEW,
            EventAction.SUBMIT,
            user,
            comment=comment.strip(),
            fields={"submitted_at": timezone.now()},
            new_round=True,
        )
    )


def version_review(
    *, version: ConceptVersion, user: AbstractBaseUser, decision: str, comment: str = ""
) -> ConceptVersion:
    """Approve the exact version in review, or send it back with a comment.

    When the approvals of this round meet the review policy, the version is published in the
    same transaction.
    """
    return _single(
        versions_review, versions=[version], user=user, decision=decision, comment=comment
    )


@transaction.atomic
def versions_review(
    *, versions: list[ConceptVersion], user: AbstractBaseUser, decision: str, comment: str = ""
) -> list[ConceptVersion]:
    """One reviewer's decision on each of these versions: all of them, or (``BatchError``) none.

    Those whose approvals now meet the review policy are published in the same transaction.
    """
    locked = _lock(versions)
    if decision not in ReviewDecision.values:
        raise WorkflowError("bad_decision", _("Choose approve or request changes."))
    facts = workflow.ReviewFacts.read(user, locked)
    _check_each(locked, lambda version: workflow.check_review(user, version, decision, facts))
    comment = comment.strip()
    if decision == ReviewDecision.REQUEST_CHANGES and not comment:
        raise WorkflowError(
            "comment_required", _("Say what should change: the comment is kept on the record.")
        )
    side = workflow.side_of(user)
    Review.objects.bulk_create(
        Review(
            version=version,
            reviewer=user,
            side=side,
            review_round=version.review_round,
            revision=version.revision,
            decision=decision,
            comment=comment,
        )
        for version in locked
    )
    if decision == ReviewDecision.REQUEST_CHANGES:
        Event.objects.bulk_create(
            _transition(
                locked, VersionState.DRAFT, EventAction.REQUEST_CHANGES, user, comment=comment
            )
        )
        return locked
    Event.objects.bulk_create(
        _event(version, EventAction.APPROVE, user, comment=comment) for version in locked
    )
    approvals: dict[int, list[Review]] = {version.pk: [] for version in locked}
    rounds = {version.pk: version.review_round for version in locked}
    for review in Review.objects.filter(
        version_id__in=list(approvals), decision=ReviewDecision.APPROVE
    ).only("version_id", "review_round", "reviewer_id", "side"):
        if review.review_round == rounds[review.version_id]:
            approvals[review.version_id].append(review)
    policy = workflow.policy()
    ready = [version for version in locked if policy.is_met(approvals[version.pk])]
    if ready:
        _publish(ready, user)
    return locked


def version_approve(
    *, version: ConceptVersion, user: AbstractBaseUser, comment: str = ""
) -> ConceptVersion:
    return version_review(
        version=version, user=user, decision=ReviewDecision.APPROVE, comment=comment
    )


def versions_approve(
    *, versions: list[ConceptVersion], user: AbstractBaseUser, comment: str = ""
) -> list[ConceptVersion]:
    return versions_review(
        versions=versions, user=user, decision=ReviewDecision.APPROVE, comment=comment
    )


def version_request_changes(
    *, version: ConceptVersion, user: AbstractBaseUser, comment: str
) -> ConceptVersion:
    return version_review(
        version=version, user=user, decision=ReviewDecision.REQUEST_CHANGES, comment=comment
    )


def _publish(versions: list[ConceptVersion], user: AbstractBaseUser | None) -> None:
    """Supersede the published versions and publish these, together or not at all.

    The search keys and the stored TBX entries are written and the publication stamp bumped in
    the same transaction, so no reader sees the new version with the old keys or a cached page
    from before it.
    """
    concepts = {
        concept.pk: concept
        for concept in Concept.objects.select_for_update().filter(
            pk__in=[version.concept_id for version in versions]
        )
    }
    old_ids = [c.public_version_id for c in concepts.values() if c.public_version_id]
    old = list(ConceptVersion.objects.select_for_update().filter(pk__in=old_ids))
    # Superseded first, then published, as the history has always been told.
    events = _transition(old, VersionState.SUPERSEDED, EventAction.SUPERSEDE, user) if old else []
    now = timezone.now()
    for to_state, action, retiring in (
        (VersionState.PUBLISHED, EventAction.PUBLISH, False),
        (VersionState.RETIRED, EventAction.RETIRE, True),
    ):
        batch = [version for version in versions if version.is_retirement == retiring]
        if batch:
            moved = _transition(batch, to_state, action, user, fields={"published_at": now})
            for event in moved:
                event.comment = event.version.retirement_reason
            events.extend(moved)
    Concept.objects.filter(pk__in=list(concepts)).update(
        public_version=_version_in(PUBLIC_STATES), open_version=None
    )
    for version in versions:
        concept = concepts[version.concept_id]
        concept.public_version = version
        concept.open_version = None
        version.concept = concept
    publication.derive(versions)
    Event.objects.bulk_create(events)
    _bump_publication(now)


@transaction.atomic
def version_withdraw(
    *, version: ConceptVersion, user: AbstractBaseUser, comment: str = ""
) -> ConceptVersion:
    """Withdraw a draft or a version in review; it stays on the record, closed."""
    (version,) = _lock([version])
    workflow.check_withdraw(user, version)
    events = _transition(
        [version], VersionState.WITHDRAWN, EventAction.WITHDRAW, user, comment=comment.strip()
    )
    Concept.objects.filter(pk=version.concept_id, open_version=version).update(open_version=None)
    Event.objects.bulk_create(events)
    return version


@transaction.atomic
def concept_retire(
    *,
    concept: Concept,
    user: AbstractBaseUser,
    reason: str,
    imported_history: list[dict] | None = None,
) -> ConceptVersion:
    """Propose retiring a concept: a new version saying why goes to review like any other.

    ``imported_history``: an import retiring a concept it created passes the file's entry for
    the retirement, so that the file's record of it survives (see DraftData.imported_history).
    """
    concept = (
        Concept.objects.select_for_update(of=("self",))
        .select_related("public_version")
        .get(pk=concept.pk)
    )
    workflow.check_retire(user, concept, reason)
    clean_imported_history(imported_history or [])
    version = _new_version(
        concept,
        user,
        action=EventAction.PROPOSE_RETIREMENT,
        retirement_reason=reason.strip(),
        imported_history=imported_history,
    )
    _send_to_review([version], user, reason)
    return version


@transaction.atomic
def release_cut(*, name: str, notes: str = "", user: AbstractBaseUser | None) -> Release:
    """Freeze the published versions as a release, with its changelog against the previous one."""
    if user is not None and not user.has_perm("glossary.cut_release"):
        raise WorkflowError("permission_denied", _("You may not cut releases."))
    release = Release(name=name.strip(), notes=notes.strip(), created_by=_system_user(user))
    release.full_clean(exclude=["previous", "created_by"])
    previous = Release.objects.select_for_update().latest_first().first()
    current = list(
        Concept.objects.published().values_list("pk", "public_version_id", "public_version__state")
    )
    if not current:
        raise WorkflowError(
            "empty_release", _("Nothing is published yet, so there is nothing to release.")
        )
    before = dict(previous.entries.values_list("concept_id", "version_id")) if previous else {}
    release.previous = previous
    release.save()
    entries = []
    for concept_id, version_id, state in current:
        if concept_id not in before:
            change = ReleaseChange.RETIRED if state == VersionState.RETIRED else ReleaseChange.ADDED
        elif before[concept_id] == version_id:
            change = ReleaseChange.UNCHANGED
        elif state == VersionState.RETIRED:
            change = ReleaseChange.RETIRED
        else:
            change = ReleaseChange.CHANGED
        entries.append(
            ReleaseEntry(
                release=release, concept_id=concept_id, version_id=version_id, change=change
            )
        )
    ReleaseEntry.objects.bulk_create(entries, batch_size=2000)
    _bump_publication(release.created_at)
    return release


# --- API tokens -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    """A new API token: the key, shown to its owner once and stored only as a digest."""

    key: str
    expires: dt.datetime


@transaction.atomic
def api_token_issue(*, user: AbstractBaseUser) -> IssuedToken:
    """A new token for an account that has just proved its password.

    It is valid for ``GLOSSARY_TOKEN_LIFETIME_HOURS`` and for as long as the password stays the
    same and the account active. The account's expired tokens are removed on the way.
    """
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."), code="inactive")
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires__lte=now).delete()
    key = secrets.token_hex(32)
    token = ApiToken(
        user=user,
        key_digest=key_digest(key),
        session_hash=user.get_session_auth_hash(),
        created=now,
        expires=now + dt.timedelta(hours=settings.GLOSSARY_TOKEN_LIFETIME_HOURS),
    )
    token.save()
    return IssuedToken(key=key, expires=token.expires)


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    """Remove a token: it expired, or its account's password changed or was deactivated."""
    ApiToken.objects.filter(pk=token.pk).delete()


# Reference data: sources and domains ---------------------------------------------------------


@transaction.atomic
def source_save(*, source: Source, user: AbstractBaseUser) -> Source:
    """Create a source, or change one that no version beyond a draft cites yet."""
    return _reference_save(source, user)


@transaction.atomic
def domain_save(*, domain: Domain, user: AbstractBaseUser) -> Domain:
    """Create a domain, or rename one that no version beyond a draft files a concept under."""
    return _reference_save(domain, user)


@transaction.atomic
def source_copy(*, source: Source, user: AbstractBaseUser) -> Source:
    """A new, editable source made from this one under a new key, for a correction.

    A source that versions beyond a draft cite is frozen; the copy is corrected and then cited
    in a new draft, so the correction reaches the public only through review.
    """
    return _reference_copy(source, user)


@transaction.atomic
def domain_copy(*, domain: Domain, user: AbstractBaseUser) -> Domain:
    """A new, editable domain made from this one under a new key (see ``source_copy``)."""
    return _reference_copy(domain, user)


def _reference_save(obj, user):  # noqa: ANN001, ANN202 - a Source or a Domain
    adding = obj._state.adding or obj.pk is None
    if not adding:
        # The lock _lock_references takes too: a submission citing it cannot slip in between.
        list(type(obj).objects.select_for_update().filter(pk=obj.pk).values("pk"))
    workflow.check_reference_change(user, obj, adding=adding)
    obj.full_clean()
    obj.save()
    return obj


def _reference_copy(original, user):  # noqa: ANN001, ANN202 - a Source or a Domain
    workflow.check_reference_copy(user, original)
    model = type(original)
    copy = model.objects.get(pk=original.pk)
    copy.pk = None
    copy._state.adding = True
    copy.key = _free_key(model, original.key)
    copy.full_clean()
    copy.save()
    return copy


def _free_key(model, key: str) -> str:  # noqa: ANN001 - Source or Domain
    """``key-2``, ``key-3``, ...: the first that is free, within the key's length."""
    limit = model._meta.get_field("key").max_length
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = key[: limit - len(suffix)].rstrip("-") + suffix
        if not model.objects.filter(key=candidate).exists():
            return candidate
        number += 1


# Accounts ------------------------------------------------------------------------------------


@transaction.atomic
def account_give_role(
    *, account: AbstractBaseUser, group: Group, actor: AbstractBaseUser
) -> AbstractBaseUser:
    """Put a new account in an editorial group, with the staff status the admin needs.

    Anyone who may change accounts may do this with a group within their own rights (an
    Administrator makes editors); only a superuser gives more (see ``roles.may_manage``).
    """
    if not (roles.may_manage(actor, account) and roles.grantable_groups(actor).filter(pk=group.pk)):
        raise WorkflowError(
            "permission_denied",
            _("You may not give the %(group)s role: it holds rights you do not have.")
            % {"group": group.name},
        )
    account.is_staff = True
    account.save(update_fields=["is_staff"])
    account.groups.add(group)
    return account


@transaction.atomic
def publication_touch() -> None:
    """Say that what the public reads changed without a publication (derived data rebuilt).

    Cached pages and exports, API validators and each worker's term check are keyed by the
    publication stamp, so moving it makes them all read the rebuilt rows.
    """
    _bump_publication(timezone.now())
