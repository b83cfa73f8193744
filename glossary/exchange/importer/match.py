"""Each entry matched to the glossary (its concept, sources and domains) and its outcome decided."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from glossary.core import workflow
from glossary.core.choices import (
    FIELD_SUFFIX,
    OPEN_STATES,
    PUBLIC_STATES,
    Language,
    RelationKind,
    TermStatus,
    VersionState,
)
from glossary.core.models import Authority, Concept, Domain, Source, Term, uid_validator
from glossary.exchange import published as snapshot
from glossary.exchange.importer.changes import describe_changes
from glossary.exchange.importer.digests import DigestCounts
from glossary.exchange.importer.plan import (
    Plan,
    PublishPlan,
    fail_entry,
    keep_assessment,
    keep_details,
    merge_records,
)
from glossary.exchange.importer.report import (
    CONFLICT,
    CREATED,
    PROBLEMS,
    UNCHANGED,
    UPDATED,
    ImportReport,
)
from glossary.exchange.records import (
    DomainRecord,
    ImportFile,
    RenderingRecord,
    SourceRecord,
    title_digest,
)
from glossary.language import fold

if TYPE_CHECKING:
    pass


CHUNK = 500


@dataclass
class FileState:
    """What an import keeps from batch to batch: compact, whatever the size of the file.

    The survey (a first pass over the file) fills ``taken`` and ``pending``; the batches add
    the identifiers they give, the entries they could not import, and the sources and subject
    fields they met. Uids kept for every entry are kept as digests (``digest``).
    """

    parsed: ImportFile
    #: Uids (named, or the plain one an entry without uid would get) of entries still to come.
    pending: DigestCounts = field(default_factory=DigestCounts)
    #: Uids the file names or this import gave a new concept.
    taken: DigestCounts = field(default_factory=DigestCounts)
    #: Entries of the file not imported, by the uid they name: where they are.
    failed: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    domains: dict[str, Domain] = field(default_factory=dict)
    authorities: dict[str, Authority] = field(default_factory=dict)
    #: Keys of sources and subject fields that could not be created, with the reason.
    refused: dict[str, str] = field(default_factory=dict)
    #: Keys of sources and subject fields already looked up.
    seen_references: set[str] = field(default_factory=set)
    #: Sources the file names by title whose key the glossary gives another source, or that
    #: the glossary has under another key (matched by URL): the key the file's citations take.
    source_keys: dict[str, str] = field(default_factory=dict)

    def expected(self, uid: str) -> bool:
        """Whether an entry still to come may create the concept ``uid``."""
        return self.pending[digest(uid)] > 0


def digest(key: str) -> int:
    """A key in 8 bytes: what an import keeps of each entry's keys and uids."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") or 1


def reference_rows(plans: list[Plan], state: FileState, report: ImportReport) -> None:
    """The sources and subject fields a batch cites, in ``state``; missing ones are created."""
    parsed = state.parsed
    _rekey_citations(plans, state)
    source_keys: set[str] = set()
    domain_keys: set[str] = set()
    for plan in plans:
        if plan.record is None or plan.report.status in PROBLEMS:
            continue
        source_keys.update(c.source for c in plan.record.citations)
        source_keys.update(t.source for t in plan.record.terms if t.source)
        domain_keys.update(plan.record.domains)
    new_sources = sorted(k for k in source_keys if f"s:{k}" not in state.seen_references)
    new_domains = sorted(k for k in domain_keys if f"d:{k}" not in state.seen_references)
    state.seen_references.update(f"s:{key}" for key in new_sources)
    state.seen_references.update(f"d:{key}" for key in new_domains)
    sources = {s.key: s for s in in_chunks(Source.objects.all(), "key", new_sources)}
    if _match_titled_sources(new_sources, sources, state):
        _rekey_citations(plans, state)
        new_sources = sorted({state.source_keys.get(key, key) for key in new_sources})
        state.seen_references.update(f"s:{key}" for key in new_sources)
        sources = {s.key: s for s in in_chunks(Source.objects.all(), "key", new_sources)}
    domains = {d.key: d for d in in_chunks(Domain.objects.all(), "key", new_domains)}
    for key in new_sources:
        if key in sources or key in state.sources:
            continue
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
            state.refused[f"s:{key}"] = _source_problem(key, exc)
            continue
        source.save()
        sources[key] = source
        if given is not None:
            report.warnings.append(
                _("New source %(key)s: “%(title)s”.") % {"key": key, "title": source.title}
            )
    # An import never changes a source or a domain in place: published versions and releases
    # may cite it, and what they show changes only through review.
    differing = [
        key
        for key, source in sources.items()
        if key in parsed.sources
        and not parsed.sources[key].keyed_by_title
        and _source_differs(parsed.sources[key], source)
    ]
    _say_kept(report, Source, differing)
    for key in new_domains:
        if key in domains:
            continue
        given_domain = parsed.domains.get(key)
        names = given_domain.names if given_domain is not None else {}
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
            state.refused[f"d:{key}"] = _source_problem(key, exc)
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
    state.sources.update(sources)
    state.domains.update(domains)
    _authority_rows(plans, state, report)
    if state.refused:
        _fail_refused(plans, state.refused)


def _rekey_citations(plans: list[Plan], state: FileState) -> None:
    """Point the citations of a batch at the keys ``state.source_keys`` gives their sources."""
    if not state.source_keys:
        return
    for plan in plans:
        if plan.record is not None:
            for citation in plan.record.citations:
                citation.source = state.source_keys.get(citation.source, citation.source)


def _match_titled_sources(keys: list[str], sources: dict[str, Source], state: FileState) -> bool:
    """Match the sources the file names only by title (and URL) to the glossary's.

    A source with the same URL is the same source, whatever its key. A source under the same
    key with another title is another source whose title spells alike: the file's gets the
    key with a digest of its title, and is never filed under the other. Returns whether a key
    changed.
    """
    titled = {
        key: state.parsed.sources[key]
        for key in keys
        if key in state.parsed.sources and state.parsed.sources[key].keyed_by_title
    }
    if not titled:
        return False
    urls = sorted({given.url for given in titled.values() if given.url})
    by_url = {s.url: s.key for s in in_chunks(Source.objects.only("key", "url"), "url", urls)}
    changed = False
    for key, given in titled.items():
        if given.url and by_url.get(given.url, key) != key:
            state.source_keys[key] = by_url[given.url]
        elif key in sources and _title_key(sources[key].title) != _title_key(given.title):
            new_key = f"{key[:92].rstrip('-')}-{title_digest(given.title)}"
            state.source_keys[key] = new_key
            state.parsed.sources.setdefault(new_key, dataclasses.replace(given, key=new_key))
        else:
            continue
        changed = True
    return changed


def _title_key(title: str) -> str:
    return " ".join(title.casefold().split())


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


def _say_kept(report: ImportReport, model: type[Domain] | type[Source], keys: list[str]) -> None:
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


def _authority_rows(plans: list[Plan], state: FileState, report: ImportReport) -> None:
    """The authorities a batch's renderings name, in ``state``; one the glossary does not have
    is created from what the file says of it (never changed in place, like a source)."""
    given: dict[str, RenderingRecord] = {}
    for plan in plans:
        if plan.record is None or plan.report.status in PROBLEMS:
            continue
        for rendering in plan.record.renderings:
            given.setdefault(rendering.authority, rendering)
    new_keys = sorted(k for k in given if f"a:{k}" not in state.seen_references)
    if not new_keys:
        return
    state.seen_references.update(f"a:{key}" for key in new_keys)
    found = {a.key: a for a in in_chunks(Authority.objects.all(), "key", new_keys)}
    for key in new_keys:
        if key in found:
            continue
        rendering = given[key]
        if not rendering.described:
            state.refused[f"a:{key}"] = _(
                "There is no authority with the key %(key)s. A CSV or XLSX file names authorities "
                "by key only: add the authority in the admin (or import it from TBX) first."
            ) % {"key": key}
            continue
        names = rendering.authority_names
        english = names.get(Language.EN) or key
        authority = Authority(
            key=key,
            name=english,
            name_en=english,
            name_zh_hans=names.get(Language.ZH_HANS, ""),
            name_zh_hant=names.get(Language.ZH_HANT, ""),
            kind=rendering.authority_kind,
            jurisdiction=rendering.jurisdiction,
        )
        try:
            authority.full_clean()
        except ValidationError as exc:
            state.refused[f"a:{key}"] = _source_problem(key, exc)
            continue
        authority.save()
        found[key] = authority
        report.warnings.append(
            _("New authority %(key)s: “%(name)s”.") % {"key": key, "name": english}
        )
    state.authorities.update(found)


def kept_authorities(plans: list[Plan], state: FileState) -> None:
    """Put in ``state`` the authorities of the renderings an update keeps from the glossary
    (its file says nothing of renderings): they are the glossary's, read by key."""
    wanted = sorted(
        {
            r.authority
            for plan in plans
            if plan.record is not None
            for r in plan.record.renderings
            if r.authority not in state.authorities
        }
    )
    if wanted:
        state.authorities.update(
            (a.key, a) for a in in_chunks(Authority.objects.all(), "key", wanted)
        )


def _source_problem(key: str, exc: ValidationError) -> str:
    detail = "; ".join(m for ms in exc.message_dict.values() for m in ms)
    return _("%(key)s cannot be created: %(detail)s") % {"key": key, "detail": detail}


def _fail_refused(plans: list[Plan], refused: dict[str, str]) -> None:
    """Fail the entries citing a source, or filed under a subject field, that was refused."""
    for plan in plans:
        record = plan.record
        if record is None or plan.report.status in PROBLEMS:
            continue
        keys = [f"s:{c.source}" for c in record.citations]
        keys += [f"s:{t.source}" for t in record.terms if t.source]
        keys += [f"d:{key}" for key in record.domains]
        keys += [f"a:{r.authority}" for r in record.renderings]
        messages = [refused[key] for key in dict.fromkeys(keys) if key in refused]
        if messages:
            fail_entry(plan, *messages)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def in_chunks(queryset, name: str, values: list) -> list:
    found = []
    for start in range(0, len(values), CHUNK):
        found.extend(queryset.filter(**{f"{name}__in": values[start : start + CHUNK]}))
    return found


def match_entries(plans: list[Plan], state: FileState) -> None:
    """Find each entry's concept of a batch: by uid, else by its preferred English term."""
    live = [p for p in plans if p.record is not None and p.report.status not in PROBLEMS]
    uids = sorted({p.live_record.uid for p in live if p.entry.has_uid})
    concepts: dict[str, Concept] = {}
    for start in range(0, len(uids), CHUNK):
        concepts.update((c.uid, c) for c in Concept.objects.for_import(uids[start : start + CHUNK]))
    english = sorted({fold(p.live_record.preferred(Language.EN)) for p in live} - {""})
    by_term: dict[str, set[int]] = defaultdict(set)
    for start in range(0, len(english), CHUNK):
        for folded, concept_id in Term.objects.filter(
            language=Language.EN,
            status=TermStatus.PREFERRED,
            folded__in=english[start : start + CHUNK],
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
    # glossary has (read for every entry of the batch at once).
    bases = sorted(
        {uid_base(p.live_record.preferred(Language.EN)) for p in live if not p.entry.has_uid}
    )
    in_glossary = {c.uid for c in in_chunks(Concept.objects.only("uid"), "uid", bases)}
    for plan in live:
        record = plan.live_record
        folded = fold(record.preferred(Language.EN))
        same_term = [term_concepts[pk] for pk in sorted(by_term.get(folded, ()))]
        if plan.entry.has_uid:
            plan.uid = record.uid
            plan.concept = concepts.get(record.uid)
            others = [c for c in same_term if c.uid != record.uid]
            if plan.concept is None and others:
                fail_entry(
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
            fail_entry(
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
            plan.uid = _new_uid(record.preferred(Language.EN), state.taken, in_glossary)
        plan.report.uid = plan.uid
        record.uid = plan.uid
    # Entries of the file that are not imported, by the uid they name.
    for p in plans:
        if p.record is not None and p.entry.has_uid and p.report.status in PROBLEMS:
            state.failed.setdefault(p.record.uid, p.entry.where)
    # Relations may name concepts of the glossary or of this file (here, or still to come).
    known = {p.uid for p in live if p.uid and p.report.status not in PROBLEMS}
    targets = sorted(
        {r.target for p in live for r in p.live_record.relations} - known - set(concepts)
    )
    existing_targets = {c.uid for c in in_chunks(Concept.objects.all(), "uid", targets)}
    for plan in live:
        if plan.report.status in PROBLEMS:
            continue
        kept = []
        for relation in plan.live_record.relations:
            if relation.target == plan.uid:
                plan.report.messages.append(_("A relation to itself is left out."))
            elif relation.kind not in RelationKind.values:
                fail_entry(plan, _("Unknown relation %(kind)s.") % {"kind": relation.kind})
            elif (
                relation.target in known
                or relation.target in concepts
                or relation.target in existing_targets
                or state.expected(relation.target)
            ):
                kept.append(relation)
            elif relation.target in state.failed:
                plan.report.messages.append(
                    _(
                        "The %(kind)s relation to %(uid)s is left out: that entry of the file "
                        "(%(where)s) is not imported."
                    )
                    % {
                        "kind": relation.kind,
                        "uid": relation.target,
                        "where": state.failed[relation.target],
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
        plan.live_record.relations = kept


def uid_base(english: str) -> str:
    """The identifier a new concept gets from its English term, before any number is added."""
    slug = re.sub(r"-{2,}", "-", slugify(english).replace("_", "-"))
    return slug[:90].strip("-") or "concept"


def _new_uid(english: str, taken: DigestCounts, in_glossary: set[str]) -> str:
    """An identifier for a new concept, from its English term (unique in glossary and file).

    ``in_glossary``: the plain candidates the glossary already uses; a numbered one is looked up.
    """
    base = uid_base(english)
    uid, number = base, 1
    while digest(uid) in taken or (
        uid in in_glossary if number == 1 else Concept.objects.filter(uid=uid).exists()
    ):
        number += 1
        uid = f"{base}-{number}"
    taken.add(digest(uid))
    return uid


def decide_outcomes(plan: Plan, publish: PublishPlan | None) -> None:
    record, concept = plan.live_record, plan.concept
    try:
        uid_validator(plan.uid)
    except ValidationError:
        fail_entry(plan, _("%(uid)s is not a valid identifier.") % {"uid": plan.uid})
        return
    if concept is None:
        if record.retired and publish is None:
            fail_entry(
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
                fail_entry(
                    plan,
                    _("It could not be published: it needs %(missing)s.")
                    % {"missing": ", ".join(missing)},
                )
                return
        plan.report.status = CREATED
        return
    if concept.open_version is not None:
        fail_entry(
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
    if concept.public_version is None:
        fail_entry(
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
        keep_assessment(target, current)
        if not plan.entry.carries_details:
            keep_details(target, current, keep_unreviewed=not plan.entry.carries_unreviewed)
    if plan.entry.merge or not plan.entry.carries_renderings:
        target.renderings = list(current.renderings)
    plan.record = target
    same = target.content_key()[:-1] == current.content_key()[:-1]
    if concept.public_version.state == VersionState.RETIRED:
        if same and target.retired:
            plan.report.status = UNCHANGED
        else:
            fail_entry(
                plan,
                _("Concept %(uid)s is retired; it is not changed by an import.")
                % {"uid": concept.uid},
                status=CONFLICT,
            )
        return
    if target.retired:
        fail_entry(
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
    if not same:
        plan.report.changes = describe_changes(current, target)
