"""The review policy and who may do what to a version, in one place.

Every check raises ``WorkflowError`` with a stable, untranslated ``code`` (for the API and logs)
and a translated message (for people). The admin uses ``may()`` to decide which buttons to show;
the services call the same checks again inside their transaction, so a hidden button is never
the only thing standing in the way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from glossary.core.choices import (
    CONTRIBUTING_ACTIONS,
    OPEN_STATES,
    Agreement,
    Language,
    Maturity,
    ReviewDecision,
    Side,
    TermStatus,
    VersionState,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from glossary.core.models import Concept, ConceptVersion, Domain, Review, Source


class WorkflowError(Exception):
    """A refused action: ``code`` is for programs, the message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class StaleEditError(WorkflowError):
    """Someone saved the draft after this editor loaded it."""


@dataclass(frozen=True)
class ReviewPolicy:
    """How many approvals publish a version, and which sides must be among the approvers."""

    approvals_required: int
    sides_required: tuple[str, ...]
    #: Every machine-converted Traditional term and text reviewed before submission.
    traditional_reviewed: bool = True

    @classmethod
    def from_settings(cls) -> ReviewPolicy:
        raw = getattr(settings, "GLOSSARY_REVIEW_POLICY", {})
        sides = tuple(raw.get("SIDES_REQUIRED", (Side.US, Side.CN)))
        approvals = int(raw.get("APPROVALS_REQUIRED", 2))
        unknown = set(sides) - {Side.US, Side.CN}
        if unknown:
            raise ImproperlyConfigured(f"GLOSSARY_REVIEW_POLICY names unknown sides: {unknown}")
        if approvals < max(1, len(sides)):
            raise ImproperlyConfigured(
                "GLOSSARY_REVIEW_POLICY needs at least one approval and one per required side."
            )
        return cls(
            approvals_required=approvals,
            sides_required=sides,
            traditional_reviewed=bool(raw.get("TRADITIONAL_REVIEWED", True)),
        )

    @property
    def eligible_sides(self) -> tuple[str, ...]:
        """Sides whose reviewers may approve: the required ones, or both when none is required."""
        return self.sides_required or (Side.US, Side.CN)

    def is_met(self, approvals: Iterable[Review | Approval]) -> bool:
        approvals = list(approvals)
        reviewers = {review.reviewer_id for review in approvals}
        sides = {review.side for review in approvals}
        return len(reviewers) >= self.approvals_required and set(self.sides_required) <= sides

    def outstanding(self, approvals: Iterable[Review | Approval]) -> list[str]:
        """What is still missing, in words, for the review screen."""
        approvals = list(approvals)
        missing = []
        have = {review.side for review in approvals}
        for side in self.sides_required:
            if side not in have:
                missing.append(_("an approval from the %(side)s") % {"side": Side(side).label})
        extra = self.approvals_required - len({review.reviewer_id for review in approvals})
        if extra > len(missing):
            missing.append(_("%(count)d more approval(s)") % {"count": extra - len(missing)})
        return missing


class Approval(NamedTuple):
    """What the policy reads of an approval, read as plain values: who gave it, for which side."""

    reviewer_id: int
    side: str


def policy() -> ReviewPolicy:
    return ReviewPolicy.from_settings()


def side_of(user: User) -> str:
    profile = getattr(user, "glossary_profile", None)
    return profile.side if profile else ""


def completeness_problems(version: ConceptVersion, *, assessed: bool = True) -> list[str]:
    """What a version lacks before it can be submitted (empty when it is complete).

    With ``assessed`` false (a file published into an empty glossary as it stands), the
    agreement state, maturity and usages may still be to assess: they stay "not yet assessed".
    """
    preferred = {
        term.language for term in version.terms.all() if term.status == TermStatus.PREFERRED
    }
    problems = missing_for_review(
        preferred,
        {name: getattr(version, name) or "" for name in DEFINITION_FIELDS},
    )
    if assessed:
        problems += assessment_problems(version) + usage_problems(version)
    return problems + unreviewed_problems(version)


def unreviewed_problems(version: ConceptVersion) -> list[str]:
    """The machine-converted Traditional terms and texts still to review, when the policy says
    they must be reviewed before publication."""
    if not policy().traditional_reviewed:
        return []
    from glossary.core.models import ConceptVersion as Version

    labels = [
        # The field's own name ("agreed definition"), without the language tag of its column.
        str(getattr(Version._meta.get_field(name.rsplit("_zh_", 1)[0]), "verbose_name", name))
        for name in version.machine_converted_fields or []
    ]
    terms = [term.text for term in version.terms.all() if term.machine_converted]
    problems = []
    if labels:
        problems.append(
            _("a linguist's review of the machine-converted Traditional Chinese %(fields)s")
            % {"fields": _list(labels)}
        )
    if terms:
        problems.append(
            _("a linguist's review of the machine-converted Traditional terms %(terms)s")
            % {"terms": _list(terms)}
        )
    return problems


def _list(items: list[str]) -> str:
    """Items of a list in a sentence: "a, b" in English, "a、b" in Chinese."""
    return pgettext("between items of a list", ", ").join(items)


def unchanged_problem(version: ConceptVersion) -> str:
    """Why a draft that says exactly what the published version says cannot be submitted."""
    from glossary.core.diff import diff_versions
    from glossary.core.models import ConceptVersion as Version

    published_id = version.concept.public_version_id
    if not published_id or published_id == version.pk:
        return ""
    published = Version.objects.with_content().get(pk=published_id)
    draft = Version.objects.with_content().get(pk=version.pk)
    if diff_versions(published, draft).is_empty:
        return _(
            "This draft says exactly what published version %(number)d says: change something "
            "before you submit it, or withdraw the draft."
        ) % {"number": published.number}
    return ""


#: The usage texts each side's state of agreement needs, when the sides do not fully agree.
USAGE_FIELDS = {
    "us_usage": ("us_usage_en", "us_usage_zh_hans", "us_usage_zh_hant"),
    "cn_usage": ("cn_usage_en", "cn_usage_zh_hans", "cn_usage_zh_hant"),
}


#: The note on why the usages differ, in each language.
AGREEMENT_NOTE_FIELDS = ("agreement_note_en", "agreement_note_zh_hans", "agreement_note_zh_hant")


def missing_usage(texts: dict[str, str]) -> dict[str, str]:
    """For a state of partial agreement or divergence: each side whose usage is not written, by
    field (``us_usage``, ``cn_usage``), with what it needs. A side may be left without usage only
    where the note on why the usages differ says why (a procedure one side has no counterpart
    for); one side's usage is always needed."""
    written = {
        side: any((texts.get(name) or "").strip() for name in names)
        for side, names in USAGE_FIELDS.items()
    }
    noted = any((texts.get(name) or "").strip() for name in AGREEMENT_NOTE_FIELDS)
    if all(written.values()) or (noted and any(written.values())):
        return {}
    labels = {
        "us_usage": _(
            "the U.S.-side usage (or, where that side has none, a note on why the usages differ)"
        ),
        "cn_usage": _(
            "the China-side usage (or, where that side has none, a note on why the usages differ)"
        ),
    }
    return {side: labels[side] for side, done in written.items() if not done}


def usage_problems(version: ConceptVersion) -> list[str]:
    """Each side's usage where the sides only partly agree or diverge (or, for a side without
    one, the note on why the usages differ). Every submission asks it: the admin, the API and
    batches alike."""
    if version.is_retirement or version.agreement not in (Agreement.PARTLY, Agreement.DIVERGENT):
        return []
    names = [*(name for names in USAGE_FIELDS.values() for name in names), *AGREEMENT_NOTE_FIELDS]
    texts = {name: getattr(version, name) or "" for name in names}
    return [str(label) for label in missing_usage(texts).values()]


def assessment_problems(version: ConceptVersion) -> list[str]:
    """What a version lacks of its assessment: the agreement state and maturity someone chose
    (never a default)."""
    if version.is_retirement:
        return []
    problems = []
    if version.agreement == Agreement.NOT_ASSESSED:
        problems.append(_("an agreement state (agreed, partly agreed or divergent)"))
    if version.maturity == Maturity.NOT_ASSESSED:
        problems.append(_("a maturity (provisional or established)"))
    return problems


#: The definition fields completeness looks at.
DEFINITION_FIELDS = ("definition_en", "definition_zh_hans", "definition_zh_hant")


def missing_for_review(preferred_languages: set[str], definitions: dict[str, str]) -> list[str]:
    """What content lacks before it can be submitted: from its preferred terms' languages and
    its definitions by field name (``definition_en``, ...); empty when it is complete.

    The importer asks this of a file's entry before writing it, when it is to be published.
    """
    problems = []
    if Language.EN not in preferred_languages:
        problems.append(_("a preferred English term"))
    if Language.ZH_HANS not in preferred_languages:
        problems.append(_("a preferred Simplified Chinese term"))
    if not (definitions.get("definition_en") or "").strip():
        problems.append(_("an English definition"))
    if not (
        (definitions.get("definition_zh_hans") or "").strip()
        or (definitions.get("definition_zh_hant") or "").strip()
    ):
        problems.append(_("a Chinese definition"))
    return problems


def _require_perm(user: User, perm: str, what: str | Promise) -> None:
    """Refuse a user without the permission; ``what`` they may not do is translated only then
    (the checks of a batch run for each of thousands of versions)."""
    if not (user and user.is_authenticated and user.is_active and user.has_perm(perm)):
        raise WorkflowError("permission_denied", _("You may not %(what)s.") % {"what": what})


def _require_state(version: ConceptVersion, states: Iterable[str], what: str | Promise) -> None:
    if version.state not in states:
        raise WorkflowError(
            "wrong_state",
            _("Version %(number)d is %(state)s, so you cannot %(what)s it.")
            % {"number": version.number, "state": version.get_state_display(), "what": what},
        )


@dataclass(frozen=True)
class ReviewFacts:
    """What one person has done to some versions, read once for a whole batch of reviews."""

    #: Versions the person created or edited (four eyes: they may not review these).
    contributed: frozenset[int]
    #: (version, review round) pairs the person has approved.
    approved: frozenset[tuple[int, int]]

    @classmethod
    def read(cls, user: User, versions: Iterable[ConceptVersion]) -> ReviewFacts:
        """Two queries, however many versions."""
        from glossary.core.models import Event, Review

        ids = [version.pk for version in versions]
        contributed = Event.objects.filter(
            version_id__in=ids, actor=user, action__in=CONTRIBUTING_ACTIONS
        ).values_list("version_id", flat=True)
        approved = Review.objects.filter(
            version_id__in=ids, reviewer=user, decision=ReviewDecision.APPROVE
        ).values_list("version_id", "review_round")
        return cls(contributed=frozenset(contributed), approved=frozenset(approved))


def is_contributor(user: User, version: ConceptVersion, facts: ReviewFacts | None = None) -> bool:
    """True when the user wrote or edited this version (four eyes: they may not review it)."""
    if version.author_id == user.pk:
        return True
    if facts is None:
        return version.events.filter(actor=user, action__in=CONTRIBUTING_ACTIONS).exists()
    return version.pk in facts.contributed


def check_edit(user: User, version: ConceptVersion) -> None:
    _require_perm(user, "glossary.edit_draft", gettext_lazy("edit drafts"))
    _require_state(version, [VersionState.DRAFT], gettext_lazy("edit"))


def check_submit(user: User, version: ConceptVersion, *, assessed: bool = True) -> None:
    _require_perm(user, "glossary.submit_version", gettext_lazy("submit versions for review"))
    _require_state(version, [VersionState.DRAFT], gettext_lazy("submit"))
    problems = completeness_problems(version, assessed=assessed)
    if problems:
        raise WorkflowError(
            "incomplete",
            _("This version cannot be submitted yet. It needs %(missing)s.")
            % {"missing": ", ".join(problems)},
        )
    unchanged = unchanged_problem(version)
    if unchanged:
        raise WorkflowError("unchanged", unchanged)


def check_withdraw(user: User, version: ConceptVersion) -> None:
    _require_perm(user, "glossary.withdraw_version", gettext_lazy("withdraw versions"))
    _require_state(version, OPEN_STATES, gettext_lazy("withdraw"))


def check_review(
    user: User,
    version: ConceptVersion,
    decision: str,
    facts: ReviewFacts | None = None,
) -> None:
    """``facts``: what the user did to this version, when read for a batch (else looked up)."""
    _require_perm(user, "glossary.review_version", gettext_lazy("review versions"))
    _require_state(version, [VersionState.IN_REVIEW], gettext_lazy("review"))
    side = side_of(user)
    if side not in policy().eligible_sides:
        raise WorkflowError(
            "wrong_side",
            _("Your profile does not name a reviewing side (U.S. or China), so you cannot review."),
        )
    if facts is None:
        facts = ReviewFacts.read(user, [version])
    if is_contributor(user, version, facts):
        raise WorkflowError(
            "own_version", _("You wrote or edited this version, so someone else must review it.")
        )
    if decision == ReviewDecision.APPROVE and (version.pk, version.review_round) in facts.approved:
        raise WorkflowError("already_approved", _("You have already approved this version."))


def check_unchanged(version: ConceptVersion, seen: tuple[int, int] | None) -> None:
    """Refuse a decision on a version that changed since the reviewer read it.

    ``seen``: its (revision, review round) as read; a new round means it was sent back and
    submitted again, perhaps with the same content but a new record to approve.
    """
    if seen != (version.revision, version.review_round):
        raise WorkflowError(
            "changed_since_read",
            _(
                "%(version)s changed after you read it; nothing was done to it. Read it again "
                "before you approve it."
            )
            % {"version": f"{version.concept.uid} v{version.number}"},
        )


def check_start_draft(user: User, concept: Concept) -> None:
    _require_perm(user, "glossary.edit_draft", _("start drafts"))
    if concept.open_version_id:
        raise WorkflowError(
            "open_version_exists",
            _("This concept already has an open version; edit or withdraw it first."),
        )
    if not concept.public_version_id:
        raise WorkflowError("not_published", _("Only a published concept gets a new draft."))


def check_retire(user: User, concept: Concept, reason: str) -> None:
    _require_perm(user, "glossary.retire_concept", _("retire concepts"))
    if not reason.strip():
        raise WorkflowError("reason_required", _("Say why the concept is retired."))
    if concept.open_version_id:
        raise WorkflowError(
            "open_version_exists",
            _("This concept already has an open version; finish or withdraw it first."),
        )
    if concept.public_version is None or concept.public_version.state != VersionState.PUBLISHED:
        raise WorkflowError("not_published", _("Only a published concept can be retired."))


def frozen_reference_message() -> str:
    """Why a source or domain that versions beyond a draft cite cannot be edited in place."""
    return _(
        "Cited by published versions: to correct it, make a corrected copy and cite the copy in "
        "a new draft; the change is then reviewed with the draft."
    )


def check_reference_change(user: User, obj: Source | Domain, *, adding: bool) -> None:
    """May this person write this source or domain? Never in place once it is frozen."""
    name = obj._meta.model_name
    if adding:
        _require_perm(user, f"glossary.add_{name}", _("add %(what)s") % {"what": _what(obj)})
        return
    _require_perm(user, f"glossary.change_{name}", _("change %(what)s") % {"what": _what(obj)})
    if obj.is_frozen():
        raise WorkflowError("frozen", frozen_reference_message())


def check_reference_copy(user: User, obj: Source | Domain) -> None:
    name = obj._meta.model_name
    _require_perm(user, f"glossary.add_{name}", _("add %(what)s") % {"what": _what(obj)})


def _what(obj: Source | Domain) -> str:
    return str(obj._meta.verbose_name_plural)


def may(check, *args, **kwargs) -> bool:  # noqa: ANN001 - any check_* function
    """Whether a check passes, for deciding which buttons to show."""
    try:
        check(*args, **kwargs)
    except WorkflowError:
        return False
    return True
