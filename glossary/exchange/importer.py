"""Importing a file: the one service that applies what a reader found, all or nothing.

``import_file`` matches every entry against the glossary (by uid, else by its preferred English
term), decides what it would do (created, updated, unchanged, conflict, error), and writes
through ``glossary.core.services``: new concepts become drafts, changed ones get a new draft that goes
through review like any other. A concept the import creates keeps the file's history (its TBX
transactions: who created it and when, and each later publication) on the version it becomes,
and exports write that history again; an update of a concept we have already has our own
history, so the file's is not taken. Nothing is published, except by an administrator bootstrapping an
empty glossary (``PublishPlan``), and then through the workflow: submitted, and approved by the
reviewers named, with the reason recorded on each step.

Everything runs in one transaction. A dry run (the command's ``--dry-run``, the admin preview)
runs the very same code and rolls back; so does an import in which any entry is a conflict or an
error, unless the caller chose to skip those entries (``skip_problems``): the one exception to all
or nothing, chosen by the operator, in which every skipped entry is reported as not imported.
A file that is broken as a whole (truncated, not UTF-8, hostile) never gets this far: its reader
refuses it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from glossary.core import services, workflow
from glossary.core.choices import (
    FIELD_SUFFIX,
    OPEN_STATES,
    PUBLIC_STATES,
    Language,
    RelationKind,
    TermStatus,
    VersionState,
)
from glossary.core.models import Concept, Domain, Source, Term, uid_validator
from glossary.core.services import CitationData, DraftData, RelationData, TermData
from glossary.core.validators import refusal
from glossary.core.workflow import WorkflowError
from glossary.exchange import published as snapshot
from glossary.exchange.records import (
    LANGUAGES,
    CitationRecord,
    ConceptRecord,
    DomainRecord,
    HistoryRecord,
    ImportEntry,
    ImportFile,
    RelationRecord,
    SourceRecord,
    TermRecord,
    clean_term,
    clean_text,
)
from glossary.exchange.safety import ImportRefused
from glossary.language import fold, shown_safely, term_character

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

CREATED, UPDATED, UNCHANGED, CONFLICT, ERROR = (
    "created",
    "updated",
    "unchanged",
    "conflict",
    "error",
)
STATUS_LABELS = {
    CREATED: gettext_lazy("created"),
    UPDATED: gettext_lazy("updated"),
    UNCHANGED: gettext_lazy("unchanged"),
    CONFLICT: gettext_lazy("conflict"),
    ERROR: gettext_lazy("error"),
}
#: How an entry with a problem is shown when the operator chose to skip it.
SKIPPED_LABELS = {
    CONFLICT: gettext_lazy("conflict: not imported"),
    ERROR: gettext_lazy("error: not imported"),
}
PROBLEMS = (CONFLICT, ERROR)
_CHUNK = 500


@dataclass
class EntryReport:
    """What the import did, or would do, with one entry of the file."""

    where: str
    uid: str
    term: str
    status: str
    messages: list[str] = field(default_factory=list)
    #: A conflict or error left out because the operator chose to skip problems.
    skipped: bool = False

    @property
    def label(self) -> str:
        return str((SKIPPED_LABELS if self.skipped else STATUS_LABELS)[self.status])


@dataclass
class ImportReport:
    format: str
    entries: list[EntryReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False
    published: int = 0
    #: Why nothing was written, when the import stopped because of conflicts or errors.
    blocked: str = ""
    #: The operator chose to import the valid entries and skip the conflicts and errors.
    skip_problems: bool = False

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(STATUS_LABELS, 0)
        for entry in self.entries:
            found[entry.status] += 1
        return found

    @property
    def has_problems(self) -> bool:
        return any(entry.status in PROBLEMS for entry in self.entries)

    @property
    def skipped(self) -> list[EntryReport]:
        """The entries left out (or, in a dry run, to be left out) at the operator's request."""
        return [entry for entry in self.entries if entry.skipped]

    def summary(self) -> str:
        counts = self.counts()
        line = (
            _(
                "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(conflict)d conflict(s), %(error)d error(s)."
            )
            % counts
        )
        if self.dry_run:
            text = _("Dry run, nothing was written: %(line)s") % {"line": line}
        elif not self.committed:
            return _("Nothing was written: %(line)s") % {"line": line}
        elif self.published:
            text = _("Imported and published %(count)d concept(s): %(line)s") % {
                "count": self.published,
                "line": line,
            }
        else:
            text = _("Imported as drafts for review: %(line)s") % {"line": line}
        skipped = len(self.skipped)
        if not skipped:
            return text
        if self.dry_run:
            note = ngettext(
                "%(count)d entry would NOT be imported (skipped because of its conflict or "
                "error, as requested).",
                "%(count)d entries would NOT be imported (skipped because of their conflicts or "
                "errors, as requested).",
                skipped,
            )
        else:
            note = ngettext(
                "%(count)d entry was NOT imported (skipped because of its conflict or error, "
                "as requested).",
                "%(count)d entries were NOT imported (skipped because of their conflicts or "
                "errors, as requested).",
                skipped,
            )
        return pgettext("two sentences", "%(first)s %(second)s") % {
            "first": text,
            "second": note % {"count": skipped},
        }


@dataclass
class PublishPlan:
    """A bootstrap: publish what is imported into an empty glossary, reviewed by these people."""

    reviewers: list
    reason: str = "Bootstrap import into an empty glossary"


@dataclass
class _Plan:
    entry: ImportEntry
    report: EntryReport
    record: ConceptRecord | None = None
    concept: Concept | None = None
    uid: str = ""
    version: object = None  # the draft written in pass 1
    deferred: bool = False  # relations to concepts created by this import wait for pass 2
    merged_into: _Plan | None = None  # a repeated row folded into an earlier one


def import_file(
    parsed: ImportFile,
    *,
    user: AbstractBaseUser,
    dry_run: bool = False,
    skip_problems: bool = False,
    publish: PublishPlan | None = None,
) -> ImportReport:
    """Apply a read file to the glossary in one transaction; see the module docstring."""
    if not (user and user.is_active and user.has_perm("glossary.edit_draft")):
        raise ImportRefused("permission_denied", _("You may not import: importing creates drafts."))
    report = ImportReport(
        format=parsed.format,
        dry_run=dry_run,
        warnings=list(parsed.warnings),
        skip_problems=skip_problems,
    )
    with transaction.atomic():
        if publish is not None:
            _check_bootstrap(user, publish)
        plans = _plan_entries(parsed, report)
        sources, domains = _reference_rows(parsed, plans, report)
        _match(plans)
        for plan in plans:
            if plan.merged_into is not None:
                plan.report.uid = plan.merged_into.uid
            elif plan.record is not None and plan.report.status not in PROBLEMS:
                _decide(plan, publish)
        _write(plans, user, sources, domains, publish, report)
        report.entries = [plan.report for plan in plans]
        if report.has_problems and not skip_problems:
            report.blocked = _(
                "The file has conflicts or errors, so nothing was imported. Fix them, or choose "
                "to skip those entries and import the rest."
            )
        elif skip_problems:
            for entry in report.entries:
                entry.skipped = entry.status in PROBLEMS
        if dry_run or report.blocked:
            transaction.set_rollback(True)
            report.published = 0
        else:
            report.committed = True
    counts = report.counts()
    if report.committed and counts[CREATED] + counts[UPDATED] >= ANALYZE_AFTER:
        _refresh_statistics()
    return report


#: Entries written from which an import refreshes the database's statistics.
ANALYZE_AFTER = 1000


def _refresh_statistics() -> None:
    """Tell the database's query planner how large its tables have become.

    Without this, a database that has just received a large file plans its queries for the
    tables it had before (PostgreSQL reads every term for each page of an export until its
    autovacuum gets round to it; SQLite, which keeps no statistics until asked, picks indexes
    badly). Both know a plain ANALYZE; it takes a second or two for 100,000 concepts.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _check_bootstrap(user: AbstractBaseUser, publish: PublishPlan) -> None:
    """Publishing on import is for an administrator filling an empty glossary, nothing else."""
    if not (user.is_superuser or user.groups.filter(name="Administrators").exists()):
        raise ImportRefused(
            "not_administrator",
            _("Only an administrator may publish on import (bootstrapping a glossary)."),
        )
    if Concept.objects.exists():
        raise ImportRefused(
            "not_empty",
            _(
                "Publishing on import is only for bootstrapping an empty glossary, and this one "
                "already holds concepts. Import without publishing: the drafts then go through "
                "review."
            ),
        )
    policy = workflow.policy()
    reviewers = list(dict.fromkeys(publish.reviewers))
    problems = []
    for reviewer in reviewers:
        if reviewer.pk == user.pk:
            problems.append(
                _("%(name)s imports the file, so cannot also review it.") % {"name": reviewer}
            )
        elif not (reviewer.is_active and reviewer.has_perm("glossary.review_version")):
            problems.append(_("%(name)s may not review versions.") % {"name": reviewer})
        elif workflow.side_of(reviewer) not in policy.eligible_sides:
            problems.append(
                _("%(name)s has no reviewing side (U.S. or China) on their profile.")
                % {"name": reviewer}
            )
    sides = {workflow.side_of(reviewer) for reviewer in reviewers}
    if len(reviewers) < policy.approvals_required or not set(policy.sides_required) <= sides:
        problems.append(
            _(
                "The review policy needs %(count)d reviewer(s), including one of each side "
                "(%(sides)s); name them."
            )
            % {"count": policy.approvals_required, "sides": ", ".join(policy.sides_required)}
        )
    if problems:
        raise ImportRefused("reviewers", " ".join(problems))


# Planning ------------------------------------------------------------------------------------


def _normalise(record: ConceptRecord) -> None:
    """Store what the services would store, so that comparisons see the same thing."""
    record.texts = {k: clean_text(v) for k, v in record.texts.items() if clean_text(v)}
    record.first_attested = clean_text(record.first_attested)
    record.retirement_reason = clean_text(record.retirement_reason)
    for term in record.terms:
        term.text = clean_term(term.text)
        term.context = clean_text(term.context)
        term.note = clean_text(term.note)
    for citation in record.citations:
        citation.locator = clean_text(citation.locator)
        citation.quote = clean_text(citation.quote)
    record.domains = list(dict.fromkeys(record.domains))


def _plan_entries(parsed: ImportFile, report: ImportReport) -> list[_Plan]:
    plans: list[_Plan] = []
    by_key: dict[str, _Plan] = {}
    for entry in parsed.entries:
        record = entry.record
        english = record.preferred(Language.EN) if record else ""
        plan = _Plan(
            entry=entry,
            report=EntryReport(
                where=entry.where,
                uid=record.uid if record and entry.has_uid else "",
                term=english,
                status=ERROR if entry.errors else UNCHANGED,
                messages=[*entry.errors, *entry.warnings],
            ),
            record=record,
        )
        plans.append(plan)
        if record is None or entry.errors:
            continue
        _normalise(record)
        refused = _refused_characters(record, has_uid=entry.has_uid)
        if refused:
            _fail(plan, *refused)
            continue
        problems = services.term_problems(_term_data_for_check(record))
        if problems:
            _fail(plan, *problems)
            continue
        if entry.has_uid:
            key = f"uid:{record.uid}"
        elif english:
            key = f"en:{fold(english)}"
        else:
            _fail(plan, _("It has no id and no preferred English term to match it by."))
            continue
        first = by_key.get(key)
        if first is None:
            by_key[key] = plan
            continue
        if entry.merge and first.entry.merge:
            conflict = _merge_duplicate(first.record, record)
            if conflict:
                plan.report.status = CONFLICT
                plan.report.messages.append(
                    _("It repeats %(where)s with a different translation: %(detail)s")
                    % {"where": first.entry.where, "detail": conflict}
                )
            else:
                plan.report.status = UNCHANGED
                plan.report.messages.append(
                    _("It repeats %(where)s and was merged into it.") % {"where": first.entry.where}
                )
                plan.record = None
                plan.merged_into = first
                first.report.messages.append(
                    _("%(where)s repeats this entry and was merged into it.")
                    % {"where": entry.where}
                )
        else:
            _fail(
                plan,
                _("The concept %(key)s is in the file twice (also %(where)s).")
                % {"key": record.uid or english, "where": first.entry.where},
            )
    return plans


def _refused_characters(record: ConceptRecord, *, has_uid: bool) -> list[str]:
    """A message for each term or identifier of the entry holding a character none may hold."""
    problems = []
    for term in record.terms:
        found = term_character(term.text)
        if found is not None:
            problems.append(
                _("The %(language)s term “%(term)s”: %(problem)s")
                % {
                    "language": Language(term.language).label,
                    "term": shown_safely(term.text),
                    "problem": refusal(found, "term").messages[0],
                }
            )
    keys = [record.uid] if has_uid else []
    keys += [*record.domains, *(c.source for c in record.citations)]
    keys += [t.source for t in record.terms if t.source]
    keys += [r.target for r in record.relations]
    for key in dict.fromkeys(keys):
        found = term_character(key)
        if found is not None:
            problems.append(
                _("The identifier “%(key)s”: %(problem)s")
                % {"key": shown_safely(key), "problem": refusal(found, "identifier").messages[0]}
            )
    return problems


def _term_data_for_check(record: ConceptRecord) -> list[TermData]:
    return [TermData(language=t.language, text=t.text, status=t.status) for t in record.terms]


def _fail(plan: _Plan, *messages: str, status: str = ERROR) -> None:
    plan.report.status = status
    plan.report.messages.extend(messages)


def same_term(language: str, one: str, other: str) -> bool:
    """Whether two terms of one language are the same designation.

    English compares case-insensitively; Chinese exactly, since folding Traditional to
    Simplified would merge distinct regional terms (人工智慧 and 人工智能).
    """
    if language == Language.EN:
        return one.casefold() == other.casefold()
    return one == other


def _merge_duplicate(first: ConceptRecord, other: ConceptRecord) -> str:
    """Fold a repeated simple row into the first; the difference when they disagree."""
    for term in other.terms:
        mine = first.preferred(term.language)
        if (
            term.status == TermStatus.PREFERRED
            and mine
            and not same_term(term.language, mine, term.text)
        ):
            return f"{mine} / {term.text}"
    merged, _messages = merge_records(first, other)
    first.terms, first.texts, first.citations = merged.terms, merged.texts, merged.citations
    return ""


def merge_records(base: ConceptRecord, extra: ConceptRecord) -> tuple[ConceptRecord, list[str]]:
    """What a partial row adds to a concept: new terms, the texts it gives, new citations."""
    messages = []
    merged = ConceptRecord(
        uid=base.uid,
        texts=dict(base.texts),
        agreement=base.agreement,
        maturity=base.maturity,
        first_attested=base.first_attested,
        domains=list(dict.fromkeys([*base.domains, *extra.domains])),
        terms=[TermRecord(**vars(term)) for term in base.terms],
        citations=[CitationRecord(**vars(c)) for c in base.citations],
        relations=list(base.relations),
        machine_converted_fields=list(base.machine_converted_fields),
        retirement_reason=base.retirement_reason,
    )
    for key, text in extra.texts.items():
        if text and merged.texts.get(key) != text:
            merged.texts[key] = text
            if key in merged.machine_converted_fields:
                merged.machine_converted_fields.remove(key)
    for term in extra.terms:
        if any(
            t.language == term.language and same_term(t.language, t.text, term.text)
            for t in merged.terms
        ):
            continue
        added = TermRecord(**vars(term))
        preferred = merged.preferred(term.language)
        if added.status == TermStatus.PREFERRED and preferred:
            added.status = TermStatus.ADMITTED
            messages.append(
                _("Kept the preferred term %(kept)s; added %(term)s as admitted.")
                % {"kept": preferred, "term": term.text}
            )
        merged.terms.append(added)
    cited = {(c.source, c.locator) for c in merged.citations}
    for citation in extra.citations:
        if (citation.source, citation.locator) not in cited:
            merged.citations.append(CitationRecord(**vars(citation)))
    for relation in extra.relations:
        if (relation.kind, relation.target) not in {(r.kind, r.target) for r in merged.relations}:
            merged.relations.append(relation)
    return merged, messages


def keep_details(
    record: ConceptRecord, existing: ConceptRecord, *, keep_unreviewed: bool = True
) -> None:
    """For files without term details or quotes (CSV, XLSX): keep the glossary's.

    With ``keep_unreviewed`` false (the file has the zh_hant_unreviewed column), the file's
    marks of unreviewed machine conversions stand instead of the glossary's.
    """
    details = ["term_type", "part_of_speech", "geographic_usage", "context", "note", "source"]
    if keep_unreviewed:
        details.append("machine_converted")
    old_terms = {(t.language, t.text): t for t in existing.terms}
    for term in record.terms:
        old = old_terms.get((term.language, term.text))
        if old is not None:
            for name in details:
                setattr(term, name, getattr(old, name))
    old_citations = {(c.source, c.locator): c for c in existing.citations}
    for citation in record.citations:
        old = old_citations.get((citation.source, citation.locator))
        if old is not None:
            citation.quote, citation.quote_language = old.quote, old.quote_language
    if keep_unreviewed:
        record.machine_converted_fields = [
            name
            for name in existing.machine_converted_fields
            if record.texts.get(name) == existing.texts.get(name)
        ]


# Reference rows (sources, domains) -----------------------------------------------------------


def _reference_rows(
    parsed: ImportFile, plans: list[_Plan], report: ImportReport
) -> tuple[dict[str, Source], dict[str, Domain]]:
    """The sources and subject fields the entries cite; missing ones are created."""
    source_keys: set[str] = set()
    domain_keys: set[str] = set()
    for plan in plans:
        if plan.record is None or plan.report.status in PROBLEMS:
            continue
        source_keys.update(c.source for c in plan.record.citations)
        source_keys.update(t.source for t in plan.record.terms if t.source)
        domain_keys.update(plan.record.domains)
    sources = {s.key: s for s in _in_chunks(Source.objects.all(), "key", sorted(source_keys))}
    domains = {d.key: d for d in Domain.objects.filter(key__in=domain_keys)}
    for key in sorted(source_keys - set(sources)):
        given = parsed.sources.get(key)
        source = Source(key=key, title=key)
        if given is not None:
            source.title = given.title or key
            source.publisher = given.publisher
            source.jurisdiction = given.jurisdiction
            source.published_on = _date(given.published_on)
            source.url = given.url
            source.language = given.language
        else:
            report.warnings.append(
                _(
                    "Source %(key)s is not in the glossary and the file does not describe it: it "
                    "is created with its key as title; complete it in the admin."
                )
                % {"key": key}
            )
        try:
            source.full_clean()
        except ValidationError as exc:
            _fail_citing(plans, key, _source_problem(key, exc))
            continue
        source.save()
        sources[key] = source
    # An import never changes a source or a domain in place: published versions and releases
    # may cite it, and what they show changes only through review.
    differing = [
        key
        for key, source in sources.items()
        if key in parsed.sources and _source_differs(parsed.sources[key], source)
    ]
    _say_kept(report, Source, differing)
    for key in sorted(domain_keys - set(domains)):
        given = parsed.domains.get(key)
        names = given.names if given is not None else {}
        english = names.get(Language.EN) or key
        domain = Domain(
            key=key,
            name=english,
            name_en=english,
            name_zh_hans=names.get(Language.ZH_HANS, ""),
            name_zh_hant=names.get(Language.ZH_HANT, ""),
        )
        try:
            domain.full_clean()
        except ValidationError as exc:
            for plan in plans:
                if plan.record is not None and key in plan.record.domains:
                    _fail(plan, _source_problem(key, exc))
            continue
        domain.save()
        domains[key] = domain
        report.warnings.append(_("Subject field %(key)s was created.") % {"key": key})
    differing = [
        key
        for key, domain in domains.items()
        if key in parsed.domains and _domain_differs(parsed.domains[key], domain)
    ]
    _say_kept(report, Domain, differing)
    return sources, domains


def _source_differs(given: SourceRecord, source: Source) -> bool:
    """Whether the file describes a source otherwise than the glossary (blank means unsaid)."""
    said = {
        "title": given.title,
        "publisher": given.publisher,
        "jurisdiction": given.jurisdiction,
        "url": given.url,
        "language": given.language,
    }
    if any(value and value != getattr(source, name) for name, value in said.items()):
        return True
    return bool(given.published_on) and _date(given.published_on) != source.published_on


def _domain_differs(given: DomainRecord, domain: Domain) -> bool:
    return any(
        name
        and language in FIELD_SUFFIX
        and name != getattr(domain, f"name_{FIELD_SUFFIX[language]}")
        for language, name in given.names.items()
    )


def _say_kept(report: ImportReport, model: type, keys: list[str]) -> None:
    """Tell the importer which reference rows the file describes otherwise, and that they stay."""
    if not keys:
        return
    frozen = set(model.objects.filter(key__in=keys).frozen().values_list("key", flat=True))
    for key in keys:
        if model is Source and key in frozen:
            message = _(
                "Source %(key)s is described differently in the file, but published versions "
                "cite it, so it is not changed: to correct it, make a corrected copy in the "
                "admin and cite the copy in a new draft."
            )
        elif model is Source:
            message = _(
                "Source %(key)s is described differently in the file; the glossary's is kept "
                "(correct it in the admin)."
            )
        elif key in frozen:
            message = _(
                "Subject field %(key)s is named differently in the file, but published versions "
                "are filed under it, so it is not renamed: to correct it, make a corrected copy "
                "in the admin and file a new draft under the copy."
            )
        else:
            message = _(
                "Subject field %(key)s is named differently in the file; the glossary's names "
                "are kept (correct them in the admin)."
            )
        report.warnings.append(message % {"key": key})


def _source_problem(key: str, exc: ValidationError) -> str:
    detail = "; ".join(m for ms in exc.message_dict.values() for m in ms)
    return _("%(key)s cannot be created: %(detail)s") % {"key": key, "detail": detail}


def _fail_citing(plans: list[_Plan], key: str, message: str) -> None:
    for plan in plans:
        record = plan.record
        if record is not None and (
            any(c.source == key for c in record.citations)
            or any(t.source == key for t in record.terms)
        ):
            _fail(plan, message)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _in_chunks(queryset, name: str, values: list) -> list:
    found = []
    for start in range(0, len(values), _CHUNK):
        found.extend(queryset.filter(**{f"{name}__in": values[start : start + _CHUNK]}))
    return found


# Matching ------------------------------------------------------------------------------------


def _match(plans: list[_Plan]) -> None:
    """Find each entry's concept: by uid, else by its preferred English term."""
    live = [p for p in plans if p.record is not None and p.report.status not in PROBLEMS]
    uids = sorted({p.record.uid for p in live if p.entry.has_uid})
    concepts = {}
    for start in range(0, len(uids), _CHUNK):
        concepts.update(
            (c.uid, c) for c in Concept.objects.for_import(uids[start : start + _CHUNK])
        )
    english = sorted({fold(p.record.preferred(Language.EN)) for p in live} - {""})
    by_term: dict[str, set[int]] = defaultdict(set)
    for start in range(0, len(english), _CHUNK):
        for folded, concept_id in Term.objects.filter(
            language=Language.EN,
            status=TermStatus.PREFERRED,
            folded__in=english[start : start + _CHUNK],
            version__state__in=[*PUBLIC_STATES, *OPEN_STATES],
        ).values_list("folded", "version__concept_id"):
            by_term[folded].add(concept_id)
    term_concepts = {
        c.pk: c
        for c in Concept.objects.filter(
            pk__in={pk for ids in by_term.values() for pk in ids}
        ).select_related("public_version", "open_version")
    }
    # New identifiers must not take one that another entry of the file names, nor one the
    # glossary has (read for every entry at once).
    taken = set(uids)
    bases = sorted(
        {_uid_base(p.record.preferred(Language.EN)) for p in live if not p.entry.has_uid}
    )
    in_glossary = {c.uid for c in _in_chunks(Concept.objects.only("uid"), "uid", bases)}
    for plan in live:
        record = plan.record
        folded = fold(record.preferred(Language.EN))
        same_term = [term_concepts[pk] for pk in sorted(by_term.get(folded, ()))]
        if plan.entry.has_uid:
            plan.uid = record.uid
            plan.concept = concepts.get(record.uid)
            others = [c for c in same_term if c.uid != record.uid]
            if plan.concept is None and others:
                _fail(
                    plan,
                    _(
                        "The glossary already has the English term %(term)s under concept "
                        "%(other)s, not %(uid)s; rename one of them first."
                    )
                    % {
                        "term": record.preferred(Language.EN),
                        "other": others[0].uid,
                        "uid": record.uid,
                    },
                    status=CONFLICT,
                )
            continue
        if len(same_term) > 1:
            _fail(
                plan,
                _("Its English term matches several concepts: %(uids)s.")
                % {"uids": ", ".join(c.uid for c in same_term)},
                status=CONFLICT,
            )
        elif same_term:
            plan.concept = same_term[0]
            plan.uid = plan.concept.uid
            plan.report.messages.append(
                _("Matched by its English term to %(uid)s.") % {"uid": plan.uid}
            )
        else:
            plan.uid = _new_uid(record.preferred(Language.EN), taken, in_glossary)
        plan.report.uid = plan.uid
        record.uid = plan.uid
    # Relations may name concepts of the glossary or of this file.
    known = {p.uid for p in live if p.uid and p.report.status not in PROBLEMS}
    # Entries of the file that are not imported, by the uid they name.
    failed = {
        p.record.uid: p.entry.where
        for p in plans
        if p.record is not None and p.entry.has_uid and p.report.status in PROBLEMS
    }
    targets = sorted({r.target for p in live for r in p.record.relations} - known - set(concepts))
    existing_targets = {c.uid for c in _in_chunks(Concept.objects.all(), "uid", targets)}
    for plan in live:
        if plan.report.status in PROBLEMS:
            continue
        kept = []
        for relation in plan.record.relations:
            if relation.target == plan.uid:
                plan.report.messages.append(_("A relation to itself is left out."))
            elif relation.kind not in RelationKind.values:
                _fail(plan, _("Unknown relation %(kind)s.") % {"kind": relation.kind})
            elif (
                relation.target in known
                or relation.target in concepts
                or relation.target in existing_targets
            ):
                kept.append(relation)
            elif relation.target in failed:
                plan.report.messages.append(
                    _(
                        "The %(kind)s relation to %(uid)s is left out: that entry of the file "
                        "(%(where)s) is not imported."
                    )
                    % {
                        "kind": relation.kind,
                        "uid": relation.target,
                        "where": failed[relation.target],
                    }
                )
            else:
                plan.report.messages.append(
                    _(
                        "The %(kind)s relation to %(uid)s is left out: that concept is neither "
                        "in the glossary nor in the file."
                    )
                    % {"kind": relation.kind, "uid": relation.target}
                )
        plan.record.relations = kept


def _uid_base(english: str) -> str:
    """The identifier a new concept gets from its English term, before any number is added."""
    slug = re.sub(r"-{2,}", "-", slugify(english).replace("_", "-"))
    return slug[:90].strip("-") or "concept"


def _new_uid(english: str, taken: set[str], in_glossary: set[str]) -> str:
    """An identifier for a new concept, from its English term (unique in glossary and file).

    ``in_glossary``: the plain candidates the glossary already uses; a numbered one is looked up.
    """
    base = _uid_base(english)
    uid, number = base, 1
    while uid in taken or (
        uid in in_glossary if number == 1 else Concept.objects.filter(uid=uid).exists()
    ):
        number += 1
        uid = f"{base}-{number}"
    taken.add(uid)
    return uid


# Deciding ------------------------------------------------------------------------------------


def _decide(plan: _Plan, publish: PublishPlan | None) -> None:
    record, concept = plan.record, plan.concept
    try:
        uid_validator(plan.uid)
    except ValidationError:
        _fail(plan, _("%(uid)s is not a valid identifier.") % {"uid": plan.uid})
        return
    if concept is None:
        if record.retired and publish is None:
            _fail(
                plan,
                _(
                    "The file marks it retired. A retired concept is imported only when "
                    "bootstrapping an empty glossary (publishing on import)."
                ),
            )
            return
        if publish is not None:
            missing = workflow.missing_for_review(
                {t.language for t in record.terms if t.status == TermStatus.PREFERRED},
                record.texts,
            )
            if missing:
                _fail(
                    plan,
                    _("It could not be published: it needs %(missing)s.")
                    % {"missing": ", ".join(missing)},
                )
                return
        plan.report.status = CREATED
        return
    if concept.open_version_id:
        _fail(
            plan,
            _(
                "Concept %(uid)s already has an open version (v%(number)d, %(state)s); finish or "
                "withdraw it, then import again."
            )
            % {
                "uid": concept.uid,
                "number": concept.open_version.number,
                "state": concept.open_version.get_state_display(),
            },
            status=CONFLICT,
        )
        return
    if concept.public_version_id is None:
        _fail(
            plan,
            _("Concept %(uid)s exists but was never published and has no open draft.")
            % {"uid": concept.uid},
            status=CONFLICT,
        )
        return
    current = snapshot.record_of(concept.public_version)
    if plan.entry.merge:
        target, messages = merge_records(current, record)
        plan.report.messages.extend(messages)
    else:
        target = record
        if not plan.entry.carries_details:
            keep_details(target, current, keep_unreviewed=not plan.entry.carries_unreviewed)
    plan.record = target
    same = target.content_key()[:-1] == current.content_key()[:-1]
    if concept.public_version.state == VersionState.RETIRED:
        if same and target.retired:
            plan.report.status = UNCHANGED
        else:
            _fail(
                plan,
                _("Concept %(uid)s is retired; it is not changed by an import.")
                % {"uid": concept.uid},
                status=CONFLICT,
            )
        return
    if target.retired:
        _fail(
            plan,
            _(
                "The file marks %(uid)s retired. Retiring is proposed in the admin, where it goes "
                "through review."
            )
            % {"uid": concept.uid},
            status=CONFLICT,
        )
        return
    plan.report.status = UNCHANGED if same else UPDATED


# Writing -------------------------------------------------------------------------------------


def _draft_data(
    record: ConceptRecord,
    sources: dict[str, Source],
    domains: dict[str, Domain],
    concepts: dict[str, Concept],
    new_uids: set[str],
    *,
    with_new_relations: bool,
) -> tuple[DraftData, bool, list[RelationRecord]]:
    """The services' DraftData for a record; whether relations to new concepts were held back,
    and the relations left out because their concept was not imported."""
    relations, deferred, missing = [], False, []
    for relation in record.relations:
        if relation.target in new_uids and not with_new_relations:
            deferred = True
            continue
        target = concepts.get(relation.target)
        if target is not None:
            relations.append(RelationData(kind=relation.kind, target=target))
        else:
            missing.append(relation)
    data = DraftData(
        texts=dict(record.texts),
        agreement=record.agreement,
        maturity=record.maturity,
        first_attested=record.first_attested,
        domains=[domains[key] for key in record.domains if key in domains],
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
                source=sources.get(t.source) if t.source else None,
                machine_converted=t.machine_converted,
            )
            for t in _ordered_terms(record.terms)
        ],
        citations=[
            CitationData(
                source=sources[c.source],
                locator=c.locator,
                quote=c.quote,
                quote_language=c.quote_language,
            )
            for c in record.citations
            if c.source in sources
        ],
        relations=relations,
        machine_converted_fields=list(record.machine_converted_fields),
    )
    return data, deferred, missing


def _imported_history(record: ConceptRecord) -> tuple[list[dict], list[dict]]:
    """The file's history split between the first version and the retirement, if any.

    A retired concept is imported as two versions, its content and then its retirement; the
    file's last modification is the publication of that retirement, so that version keeps it.
    """
    history: list[HistoryRecord] = list(record.history)
    retirement: list[HistoryRecord] = []
    if record.retired and len(history) > 1 and history[-1].action == "modification":
        retirement = [history.pop()]
    return [h.as_dict() for h in history], [h.as_dict() for h in retirement]


def _ordered_terms(terms: list[TermRecord]) -> list[TermRecord]:
    return sorted(terms, key=lambda t: LANGUAGES.index(t.language))


def _messages_of(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [f"{name}: {m}" for name, ms in exc.message_dict.items() for m in ms]
        return list(exc.messages)
    if isinstance(exc, WorkflowError):
        return [exc.message]
    return [str(exc)]


def _write(
    plans: list[_Plan],
    user: AbstractBaseUser,
    sources: dict[str, Source],
    domains: dict[str, Domain],
    publish: PublishPlan | None,
    report: ImportReport,
) -> None:
    writing = [p for p in plans if p.report.status in (CREATED, UPDATED)]
    created = [p for p in writing if p.report.status == CREATED]
    new_uids = {p.uid for p in created}
    relation_uids = sorted({r.target for p in writing for r in p.record.relations})
    concepts = {c.uid: c for c in _in_chunks(Concept.objects.all(), "uid", relation_uids)}
    # Pass 1: every new concept and every new draft, without relations to new concepts. New
    # concepts are created a chunk at a time, with a fixed number of queries per chunk; when
    # none of them links to another, a bootstrap publishes each chunk at once, so that the
    # versions of a large file are not all held in memory.
    linked = any(r.target in new_uids for p in created for r in p.record.relations)
    for start in range(0, len(created), _CHUNK):
        chunk = created[start : start + _CHUNK]
        _create(chunk, user, sources, domains, concepts, new_uids)
        if publish is not None and not linked:
            _publish_created(chunk, user, publish, report)
    for plan in writing:
        if plan.report.status != UPDATED:
            continue
        data, plan.deferred, missing = _draft_data(
            plan.record, sources, domains, concepts, new_uids, with_new_relations=False
        )
        # Matching kept these because their entries were fine then; they failed when decided.
        _say_left_out(plan, missing)
        try:
            with transaction.atomic():
                draft = services.draft_start(concept=plan.concept, user=user)
                plan.version = services.draft_update(
                    version=draft, user=user, data=data, expected_revision=draft.revision
                )
        except (ValidationError, WorkflowError) as exc:
            _fail(plan, *_messages_of(exc))
            continue
        concepts[plan.uid] = plan.version.concept
    # Pass 2: relations between concepts this import created (a failed one is left out).
    for plan in writing:
        if plan.version is None or not plan.deferred:
            continue
        data, _deferred, missing = _draft_data(
            plan.record, sources, domains, concepts, new_uids, with_new_relations=True
        )
        # Only the held-back ones: the others were said in pass 1.
        _say_left_out(plan, [r for r in missing if r.target in new_uids])
        plan.version = services.draft_update(
            version=plan.version, user=user, data=data, expected_revision=plan.version.revision
        )
    if publish is not None and linked:
        for start in range(0, len(created), _CHUNK):
            _publish_created(created[start : start + _CHUNK], user, publish, report)


def _publish_created(
    plans: list[_Plan], user: AbstractBaseUser, publish: PublishPlan, report: ImportReport
) -> None:
    """Publish the drafts of these new concepts; then let go of them (the report stays)."""
    ready = [p for p in plans if p.version is not None and p.report.status == CREATED]
    if ready:
        _publish(ready, user, publish, report)
    for plan in ready:
        plan.version = None


def _create(
    plans: list[_Plan],
    user: AbstractBaseUser,
    sources: dict[str, Source],
    domains: dict[str, Domain],
    concepts: dict[str, Concept],
    new_uids: set[str],
) -> None:
    """Create the drafts of new concepts together; an entry the services refuse is reported."""
    pending: list[tuple[_Plan, DraftData]] = []
    for plan in plans:
        data, plan.deferred, missing = _draft_data(
            plan.record, sources, domains, concepts, new_uids, with_new_relations=False
        )
        _say_left_out(plan, missing)
        data.imported_history = _imported_history(plan.record)[0]
        pending.append((plan, data))
    while pending:
        try:
            versions = services.concepts_create(
                user=user, drafts=[(plan.uid, data) for plan, data in pending]
            )
        except services.BatchError as exc:
            # Nothing of the chunk was written: report the refused entries, create the rest.
            for index, error in exc.errors.items():
                _fail(pending[index][0], *_messages_of(error))
            pending = [item for index, item in enumerate(pending) if index not in exc.errors]
            continue
        except WorkflowError as exc:
            for plan, _data in pending:
                _fail(plan, *_messages_of(exc))
            return
        for (plan, _data), version in zip(pending, versions, strict=True):
            plan.version = version
            # What a relation needs of it, without the draft it holds on to.
            concepts[plan.uid] = Concept(pk=version.concept_id, uid=plan.uid)
        return


def _say_left_out(plan: _Plan, relations: list[RelationRecord]) -> None:
    for relation in relations:
        plan.report.messages.append(
            _("The %(kind)s relation to %(uid)s is left out: that concept is not imported.")
            % {"kind": relation.kind, "uid": relation.target}
        )


def _publish(
    plans: list[_Plan], user: AbstractBaseUser, publish: PublishPlan, report: ImportReport
) -> None:
    """Take bootstrap drafts through the workflow together: one submission, then one approval
    by each reviewer, for the whole chunk; then retire those the file marks retired.

    Should the services refuse any of them, the chunk is taken through one entry at a time
    instead, so that the report names each entry that could not be published.
    """
    if len(plans) > 1:
        try:
            with transaction.atomic():
                versions = services.versions_submit(
                    versions=[plan.version for plan in plans], user=user, comment=publish.reason
                )
                for reviewer in publish.reviewers:
                    waiting = [v for v in versions if v.state == VersionState.IN_REVIEW]
                    if waiting:
                        approved = services.versions_approve(
                            versions=waiting, user=reviewer, comment=publish.reason
                        )
                        done = {v.pk: v for v in approved}
                        versions = [done.get(v.pk, v) for v in versions]
                for plan, version in zip(plans, versions, strict=True):
                    plan.version = version
                    if plan.record.retired:
                        _retire(plan, user, publish)
        except (services.BatchError, ValidationError, WorkflowError):
            pass
        else:
            report.published += len(plans)
            return
    for plan in plans:
        try:
            with transaction.atomic():
                plan.version = services.version_submit(
                    version=plan.version, user=user, comment=publish.reason
                )
                for reviewer in publish.reviewers:
                    if plan.version.state == VersionState.IN_REVIEW:
                        plan.version = services.version_approve(
                            version=plan.version, user=reviewer, comment=publish.reason
                        )
                if plan.record.retired:
                    _retire(plan, user, publish)
        except (ValidationError, WorkflowError) as exc:
            _fail(plan, _("It could not be published:"), *_messages_of(exc))
            continue
        report.published += 1


def _retire(plan: _Plan, user: AbstractBaseUser, publish: PublishPlan) -> None:
    """Publish the retirement of a concept the file marks retired, reviewed like the rest."""
    proposal = services.concept_retire(
        concept=plan.version.concept,
        user=user,
        reason=plan.record.retirement_reason,
        imported_history=_imported_history(plan.record)[1],
    )
    for reviewer in publish.reviewers:
        if proposal.state == VersionState.IN_REVIEW:
            proposal = services.version_approve(
                version=proposal, user=reviewer, comment=publish.reason
            )


__all__ = [
    "CONFLICT",
    "CREATED",
    "ERROR",
    "UNCHANGED",
    "UPDATED",
    "EntryReport",
    "ImportReport",
    "PublishPlan",
    "import_file",
    "keep_details",
    "merge_records",
]
