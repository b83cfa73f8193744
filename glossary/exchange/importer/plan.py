"""The file's entries made ready: merged where they repeat a concept, checked on their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from glossary.core import services
from glossary.core.choices import (
    Agreement,
    Language,
    Maturity,
    TermStatus,
)
from glossary.core.fields import TERM_DETAILS
from glossary.core.models import Concept, ConceptVersion
from glossary.core.services import TermData
from glossary.core.validators import refusal
from glossary.exchange.importer.report import CONFLICT, ERROR, UNCHANGED, EntryReport
from glossary.exchange.records import (
    LANGUAGES,
    CitationRecord,
    ConceptRecord,
    ImportEntry,
    RenderingRecord,
    TermRecord,
    clean_term,
    clean_text,
)
from glossary.language import fold, same_english_spelling, shown_safely, term_character

if TYPE_CHECKING:
    pass


@dataclass
class PublishPlan:
    """A bootstrap: publish what is imported into an empty glossary, reviewed by these people."""

    reviewers: list
    reason: str = "Bootstrap import into an empty glossary"


@dataclass(eq=False)
class Plan:
    entry: ImportEntry
    report: EntryReport
    record: ConceptRecord | None = None
    concept: Concept | None = None
    uid: str = ""
    version: ConceptVersion | None = None  # the draft written in pass 1
    #: Concepts created by this import that its relations wait for (``write_relations``).
    deferred: set[str] = field(default_factory=set)
    merged_into: Plan | None = None  # a repeated row folded into an earlier one
    #: Its place in the file (0-based), which orders the report.
    index: int = 0
    #: What a repeat of it in the file has too: its uid, or else its folded English term.
    key: str = ""
    #: The repeated rows folded into this one.
    merged: list[Plan] = field(default_factory=list)

    @property
    def live_record(self) -> ConceptRecord:
        """``record``, for an entry being matched, decided or written.

        Only an entry that could not be read, or that was merged into another, has none.
        """
        assert self.record is not None, f"{self.entry.where} has no record"
        return self.record

    @property
    def written_version(self) -> ConceptVersion:
        """``version``, for an entry whose version was written."""
        assert self.version is not None, f"{self.entry.where} has no version"
        return self.version


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


def plan_entry(entry: ImportEntry, index: int) -> Plan:
    """An entry of the file checked on its own, with the key a repeat of it would have.

    Planning is pure (no database): a first pass over the file (``survey``) plans every entry
    to find the keys that repeat, and the import plans each again as it reaches it.
    """
    record = entry.record
    english = record.preferred(Language.EN) if record else ""
    plan = Plan(
        entry=entry,
        index=index,
        report=EntryReport(
            where=entry.where,
            uid=record.uid if record and entry.has_uid else "",
            term=english,
            status=ERROR if entry.errors else UNCHANGED,
            messages=[*entry.errors, *entry.warnings],
        ),
        record=record,
    )
    if record is None or entry.errors:
        return plan
    _normalise(record)
    refused = _refused_characters(record, has_uid=entry.has_uid)
    if refused:
        fail_entry(plan, *refused)
        return plan
    problems = services.term_problems(_term_data_for_check(record))
    if problems:
        fail_entry(plan, *problems)
        return plan
    if entry.has_uid:
        plan.key = f"uid:{record.uid}"
    elif english:
        plan.key = f"en:{fold(english)}"
    else:
        fail_entry(plan, _("It has no id and no preferred English term to match it by."))
    return plan


def repeat_entry(first: Plan | None, plan: Plan, first_where: str = "") -> None:
    """Decide an entry whose key an earlier entry of the file has: merged, or refused.

    ``first`` is that earlier entry's plan while it waits to be written (a partial row waits
    for its repeats); otherwise only ``first_where`` is known of it.
    """
    record = plan.live_record
    if first is not None and plan.entry.merge and first.entry.merge:
        differences = _differences(first.live_record, record)
        if differences:
            plan.report.status = CONFLICT
            plan.report.messages.append(
                _(
                    "It repeats %(where)s with a different translation: %(differences)s. Keep "
                    "one of them in the file, or give each its own English term."
                )
                % {"where": first.entry.where, "differences": "; ".join(differences)}
            )
        else:
            merged, messages = merge_records(first.live_record, record)
            first.live_record.terms = merged.terms
            first.live_record.texts = merged.texts
            first.live_record.citations = merged.citations
            plan.report.status = UNCHANGED
            plan.report.messages.append(
                _("It repeats %(where)s and was merged into it.") % {"where": first.entry.where}
            )
            plan.report.messages.extend(messages)
            plan.record = None
            plan.merged_into = first
            first.merged.append(plan)
            first.report.messages.append(
                _("%(where)s repeats this entry and was merged into it.")
                % {"where": plan.entry.where}
            )
        return
    fail_entry(
        plan,
        _("The concept %(key)s is in the file twice (also %(where)s).")
        % {
            "key": record.uid or record.preferred(Language.EN),
            "where": first.entry.where if first is not None else first_where,
        },
    )


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


def fail_entry(plan: Plan, *messages: str, status: str = ERROR) -> None:
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


def _differences(first: ConceptRecord, other: ConceptRecord) -> list[str]:
    """What a repeated simple row says otherwise than the first, one text per language.

    English that differs only in spelling (case, hyphens, apostrophes, a plural) is the same
    term; a Chinese term the first row has in any status is the same translation.
    """
    differences = []
    for language in LANGUAGES:
        mine, theirs = first.preferred(language), other.preferred(language)
        if not mine or not theirs:
            continue
        if language == Language.EN:
            if same_english_spelling(mine, theirs):
                continue
        elif any(t.text == theirs for t in first.terms_in(language)):
            continue
        differences.append(
            _("%(language)s %(first)s there, %(other)s here")
            % {"language": Language(language).label, "first": mine, "other": theirs}
        )
    return differences


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
        spelled = next(
            (
                t.text
                for t in merged.terms_in(Language.EN)
                if term.language == Language.EN and same_english_spelling(t.text, term.text)
            ),
            "",
        )
        if spelled:
            messages.append(
                _(
                    "%(term)s differs from %(kept)s only in spelling (case, hyphens, apostrophes "
                    "or plural): merged into it, not added as another term."
                )
                % {"term": term.text, "kept": spelled}
            )
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


def keep_assessment(record: ConceptRecord, existing: ConceptRecord) -> None:
    """A file that does not assess a concept (no agreement or maturity given) keeps the
    glossary's assessment of it rather than undoing one someone made."""
    if record.agreement == Agreement.NOT_ASSESSED:
        record.agreement = existing.agreement
    if record.maturity == Maturity.NOT_ASSESSED:
        record.maturity = existing.maturity


def keep_details(
    record: ConceptRecord, existing: ConceptRecord, *, keep_unreviewed: bool = True
) -> None:
    """For files without term details, quotes or renderings' definitions (CSV, XLSX): keep the
    glossary's.

    With ``keep_unreviewed`` false (the file has the zh_hant_unreviewed column), the file's
    marks of unreviewed machine conversions stand instead of the glossary's.
    """
    details = [*TERM_DETAILS, "source"]
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
        old_citation = old_citations.get((citation.source, citation.locator))
        if old_citation is not None:
            citation.quote, citation.quote_language = (
                old_citation.quote,
                old_citation.quote_language,
            )

    # A rendering's definition and locator (not in a CSV): the glossary's, for the same
    # authority's rendering with the same terms.
    def said(rendering: RenderingRecord) -> tuple:
        terms = sorted((language, term) for language, term in rendering.terms.items() if term)
        return (rendering.authority, tuple(terms))

    old_renderings = {said(r): r for r in existing.renderings}
    for rendering in record.renderings:
        old_rendering = old_renderings.get(said(rendering))
        if old_rendering is not None and not (rendering.definition or rendering.locator):
            rendering.definition = old_rendering.definition
            rendering.definition_language = old_rendering.definition_language
            rendering.locator = old_rendering.locator
    if keep_unreviewed:
        record.machine_converted_fields = [
            name
            for name in existing.machine_converted_fields
            if record.texts.get(name) == existing.texts.get(name)
        ]
