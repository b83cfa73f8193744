"""The seed glossary: YAML files in ``fixtures/seed`` read, checked and taken through review.

The format is described in ``fixtures/seed/FORMAT.md``. The seed fills an empty glossary, or
adds the seed concepts a glossary does not have yet; it never touches what is there:

* an empty glossary gets the seed's history: each release listed in ``releases.yaml`` (or the
  one release ``2024.1`` when the file is missing) is cut in turn, holding the concepts that
  came in it as they stood then; a concept corrected since (``earlier:``) gets a new version
  with its change note, reviewed like any other;

* a concept whose identifier is in the glossary already (published, retired, or still a draft)
  is left exactly as it is, whatever the file says about it now: once loaded, a concept is the
  editors' and reviewers' to change, through review;
* a domain, source or authority whose key exists is never changed; one a new concept needs is
  created;
* releases are cut only by the run that created the glossary; a concept added to a glossary
  that exists gets its current text alone, without history.

Every version is written by the seed editor and approved by the seed reviewers of both sides,
with the same completeness check as any submission (agreement state, maturity, each side's
usage where they differ).
Loading is all or nothing; a second run adds nothing and succeeds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import User as UserModel
from django.core.exceptions import ValidationError
from django.db import transaction

from glossary.core import roles, services
from glossary.core.choices import Language, ReviewDecision, Side, VersionState
from glossary.core.fields import TEXT_FIELDS
from glossary.core.models import Authority, Concept, ConceptVersion, Domain, Source
from glossary.core.services import (
    CitationData,
    DraftData,
    RelationData,
    RenderingData,
    TermData,
)

#: libyaml's safe loader where PyYAML was built with it (ten times faster), else PyYAML's own.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SEED_DIR = Path(__file__).resolve().parent.parent.parent / "fixtures" / "seed"
FIRST_RELEASE = "2024.1"
FIRST_RELEASE_NOTES = (
    "First edition of the glossary: the AI terms named in the 2023 U.S.-China Track II "
    "consensus on the digital economy, and the core machine-learning vocabulary."
)
FIRST_RELEASE_NOTES_ZH_HANS = (
    "术语表第一版：收录2023年中美二轨对话数字经济共识中提到的人工智能术语，以及机器学习的核心词汇。"
)
FIRST_RELEASE_NOTES_ZH_HANT = (
    "術語表第一版：收錄2023年中美二軌對話數位經濟共識中提到的人工智慧術語，以及機器學習的核心詞彙。"
)

#: A month or a year given as a source's date, when the source gives no day.
PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")
YAML_LANGS = {"en": Language.EN, "zh_hans": Language.ZH_HANS, "zh_hant": Language.ZH_HANT}

#: Accounts the seed is written and reviewed by. They cannot sign in (no usable password).
SEED_EDITOR = "seed-editor"
SEED_REVIEWERS = {"seed-reviewer-us": Side.US, "seed-reviewer-cn": Side.CN}


class SeedError(Exception):
    """The seed files are wrong; the message says where and why."""


@dataclass
class SeedReport:
    """What a load did: the concepts it created (``updated``: those also given their later
    version), those it found and left alone, and the releases it cut."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    sources_created: int = 0
    domains_created: int = 0
    authorities_created: int = 0
    releases: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.created
            or self.sources_created
            or self.domains_created
            or self.authorities_created
            or self.releases
        )


def read_files(directory: Path | None = None) -> dict[str, list[tuple[str, dict]]]:
    """Every ``sources``, ``domains``, ``authorities``, ``concepts`` and ``releases`` item,
    with the file it came from."""
    directory = directory or SEED_DIR
    if not directory.is_dir():
        raise SeedError(f"The seed folder {directory.name} is missing.")
    found: dict[str, list[tuple[str, dict]]] = {
        "sources": [],
        "domains": [],
        "authorities": [],
        "concepts": [],
        "releases": [],
    }
    for path in sorted(directory.glob("*.yaml")):
        try:
            document = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise SeedError(f"{path.name}: not readable YAML: {exc}") from exc
        if not isinstance(document, dict):
            raise SeedError(f"{path.name}: expected a mapping with sources, domains or concepts.")
        for section in found:
            items = document.get(section) or []
            if not isinstance(items, list):
                raise SeedError(f"{path.name}: {section} must be a list.")
            found[section].extend((path.name, item) for item in items)
        if "since" in document:
            # The release a file's concepts came in, unless a concept says otherwise.
            since = str(document["since"])
            for _filename, item in found["concepts"]:
                if isinstance(item, dict) and _filename == path.name and "since" not in item:
                    item["since"] = since
    return found


def _texts(where: str, value: Any, *, required: bool = False) -> dict[str, str]:
    if value in (None, ""):
        if required:
            raise SeedError(f"{where}: missing.")
        return {}
    if not isinstance(value, dict) or set(value) - set(YAML_LANGS):
        raise SeedError(f"{where}: give en, zh_hans and zh_hant.")
    texts = {lang: " ".join(str(value.get(lang) or "").split()) for lang in YAML_LANGS}
    if required and not (texts["en"] and texts["zh_hans"] and texts["zh_hant"]):
        raise SeedError(f"{where}: every language is needed.")
    return texts


def _unique(items: Iterable[tuple[str, dict]], key: str, kind: str) -> dict[str, tuple[str, dict]]:
    seen: dict[str, tuple[str, dict]] = {}
    for filename, item in items:
        if not isinstance(item, dict) or not item.get(key):
            raise SeedError(f"{filename}: a {kind} without {key}.")
        value = str(item[key])
        if value in seen:
            raise SeedError(
                f"{filename}: {kind} {value} is defined twice (also in {seen[value][0]})."
            )
        seen[value] = (filename, item)
    return seen


def _domain_values(filename: str, key: str, item: dict) -> dict[str, Any]:
    names = _texts(f"{filename}: domain {key}: name", item.get("name"), required=True)
    values: dict[str, Any] = {f"name_{lang}": text for lang, text in names.items()}
    values["name"] = names["en"]
    return values


def _authority_values(filename: str, key: str, item: dict) -> dict[str, Any]:
    where = f"{filename}: authority {key}"
    names = _texts(f"{where}: name", item.get("name"), required=True)
    values: dict[str, Any] = {f"name_{lang}": text for lang, text in names.items()}
    values["name"] = names["en"]
    values["jurisdiction"] = str(item.get("jurisdiction") or "")
    values["kind"] = str(item.get("kind") or "")
    values["url"] = str(item.get("url") or "")
    if not values["kind"]:
        raise SeedError(f"{where}: give its kind.")
    return values


def source_date(value: Any) -> dt.date | str | None:
    """A source's ``date``: a day (YYYY-MM-DD), or only a month (YYYY-MM) or a year (YYYY).

    Journals, books and preprints often give no day; the seed then records what is known
    rather than an invented first of the month. Returns the day, the partial date as text,
    or None; raises ValueError on anything else.
    """
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value)
    if isinstance(value, (int, str)) and PARTIAL_DATE.fullmatch(text):
        return text
    raise ValueError(text)


def _source_values(filename: str, key: str, item: dict) -> dict[str, Any]:
    try:
        published = source_date(item.get("date"))
        accessed = source_date(item.get("accessed"))
    except ValueError as exc:
        raise SeedError(
            f"{filename}: source {key}: {exc} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)."
        ) from exc
    if accessed is not None and not isinstance(accessed, dt.date):
        raise SeedError(f"{filename}: source {key}: accessed must be a day, YYYY-MM-DD.")
    return {
        "title": str(item.get("title") or ""),
        "publisher": str(item.get("publisher") or ""),
        "jurisdiction": item.get("jurisdiction", "") or "",
        # The model stores days only; a month or a year stays in the seed (and the title).
        "published_on": published if isinstance(published, dt.date) else None,
        "url": item.get("url", "") or "",
        "language": item.get("language", "") or "",
    }


def _create_missing(
    model: type[Domain] | type[Source] | type[Authority],
    kind: str,
    items: dict[str, tuple[str, dict]],
    keys: set[str],
    values: Any,
) -> int:
    """Create the reference rows (domains, sources, authorities) of these keys that do not exist
    yet.

    A row that exists is never changed: it may have been edited since the seed wrote it, and
    published versions cite it. Returns how many were created.
    """
    present = set(model.objects.filter(key__in=keys).values_list("key", flat=True))
    created = 0
    for key in sorted(keys - present):
        filename, item = items[key]
        obj = model(key=key, **values(filename, key, item))
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise SeedError(f"{filename}: {kind} {key}: {exc}") from exc
        obj.save()
        created += 1
    return created


def _references(items: Iterable[tuple[str, dict]]) -> tuple[set[str], set[str], set[str]]:
    """The domain, source and concept keys these concept items name (a rendering's source
    included).

    Read leniently: a malformed item is reported by ``_draft_data``, which reads it strictly.
    """
    domains: set[str] = set()
    sources: set[str] = set()
    concepts: set[str] = set()

    def dicts(value: Any) -> list[dict]:
        return (
            [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []
        )

    for _filename, item in items:
        if isinstance(item.get("domains"), list):
            domains.update(str(key) for key in item["domains"])
        terms = item.get("terms")
        for lang in YAML_LANGS:
            for term in dicts(terms.get(lang) if isinstance(terms, dict) else None):
                if term.get("source"):
                    sources.add(str(term["source"]))
        sources.update(str(c["source"]) for c in dicts(item.get("sources")) if c.get("source"))
        sources.update(str(r["source"]) for r in dicts(item.get("renderings")) if r.get("source"))
        concepts.update(str(r["concept"]) for r in dicts(item.get("related")) if r.get("concept"))
    return domains, sources, concepts


def _authority_keys(items: Iterable[tuple[str, dict]]) -> set[str]:
    """The authority keys these concept items' renderings name (read leniently, as above)."""
    keys: set[str] = set()
    for _filename, item in items:
        renderings = item.get("renderings")
        if isinstance(renderings, list):
            keys.update(
                str(r["authority"])
                for r in renderings
                if isinstance(r, dict) and r.get("authority")
            )
    return keys


def _seed_users() -> tuple[UserModel, list[UserModel]]:
    editor, _ = services.person_ensure(
        username=SEED_EDITOR,
        group=roles.EDITORS,
        staff=False,
        first_name="Seed",
        last_name="editor",
    )
    reviewers = [
        services.person_ensure(username=username, group=roles.REVIEWERS, side=side, staff=False)[0]
        for username, side in SEED_REVIEWERS.items()
    ]
    return editor, reviewers


def _draft_data(
    filename: str,
    item: dict,
    sources: dict[str, Source],
    domains: dict[str, Domain],
    concepts: dict[str, Concept] | None,
    authorities: dict[str, Authority],
) -> DraftData:
    uid = item["id"]
    where = f"{filename}: concept {uid}"
    data = DraftData(
        agreement=item.get("agreement", "not_assessed"),
        maturity=item.get("maturity", "not_assessed"),
        first_attested=str(item.get("first_attested") or ""),
    )
    for name in TEXT_FIELDS:
        texts = _texts(f"{where}: {name}", item.get(name), required=name == "definition")
        for lang, text in texts.items():
            data.texts[f"{name}_{lang}"] = text
    for key in item.get("domains") or []:
        if key not in domains:
            raise SeedError(f"{where}: unknown domain {key}.")
        data.domains.append(domains[key])
    terms = item.get("terms") or {}
    for lang_key, language in YAML_LANGS.items():
        for term in terms.get(lang_key) or []:
            if not isinstance(term, dict) or not str(term.get("text") or "").strip():
                raise SeedError(f"{where}: a {lang_key} term without text.")
            source = None
            if term.get("source"):
                source = sources.get(term["source"])
                if source is None:
                    raise SeedError(
                        f"{where}: term {term['text']} cites unknown source {term['source']}."
                    )
            data.terms.append(
                TermData(
                    language=language,
                    text=str(term["text"]),
                    status=term.get("status", "admitted"),
                    term_type=term.get("type", "fullForm"),
                    part_of_speech=term.get("pos", "noun"),
                    geographic_usage=term.get("usage", "") or "",
                    context=term.get("context", "") or "",
                    note=term.get("note", "") or "",
                    in_sense_only=_in_sense_only(term, where),
                    source=source,
                )
            )
    if not item.get("sources"):
        raise SeedError(f"{where}: cite at least one source.")
    for citation in item["sources"]:
        source = sources.get(citation.get("source"))
        if source is None:
            raise SeedError(f"{where}: unknown source {citation.get('source')}.")
        data.citations.append(
            CitationData(
                source=source,
                locator=str(citation.get("locator") or ""),
                quote=str(citation.get("quote") or ""),
                quote_language=citation.get("quote_language", "") or "",
            )
        )
    _renderings(where, item.get("renderings"), data, sources, authorities)
    if concepts is not None:
        for relation in item.get("related") or []:
            target = concepts.get(relation.get("concept"))
            if target is None:
                raise SeedError(
                    f"{where}: related concept {relation.get('concept')} is not in the seed"
                    " (or comes only in a later release)."
                )
            data.relations.append(RelationData(kind=relation.get("type", "related"), target=target))
    return data


#: The fields a rendering of the seed may give.
RENDERING_KEYS = {
    "authority",
    "status",
    "terms",
    "definition",
    "definition_language",
    "locator",
    "date",
    "source",
}


def _renderings(
    where: str,
    value: Any,
    data: DraftData,
    sources: dict[str, Source],
    authorities: dict[str, Authority],
) -> None:
    """A concept's ``renderings:``: what each authority calls it, with the source showing it.

    The source of a rendering is cited by the version that records it: added to its citations
    (with the rendering's locator) unless the concept cites that source already.
    """
    if value in (None, []):
        return
    if not isinstance(value, list):
        raise SeedError(f"{where}: renderings must be a list.")
    cited = {citation.source.key for citation in data.citations}
    for item in value:
        if not isinstance(item, dict):
            raise SeedError(f"{where}: a rendering must be a mapping.")
        unknown = set(item) - RENDERING_KEYS
        if unknown:
            raise SeedError(f"{where}: rendering: unknown field(s) {', '.join(sorted(unknown))}.")
        key = str(item.get("authority") or "")
        authority = authorities.get(key)
        if authority is None:
            raise SeedError(f"{where}: rendering by unknown authority {key or '(none)'}.")
        here = f"{where}: rendering by {key}"
        source = sources.get(str(item.get("source") or ""))
        if source is None:
            raise SeedError(f"{here}: give the source that shows it (a source key).")
        terms = item.get("terms")
        if not isinstance(terms, dict) or set(terms) - set(YAML_LANGS):
            raise SeedError(f"{here}: terms: give the term in en, zh_hans and/or zh_hant.")
        try:
            date = source_date(item.get("date"))
        except ValueError as exc:
            raise SeedError(f"{here}: {exc} is not a date (YYYY-MM-DD, YYYY-MM or YYYY).") from exc
        data.renderings.append(
            RenderingData(
                authority=authority,
                status=str(item.get("status") or ""),
                term_en=str(terms.get("en") or ""),
                term_zh_hans=str(terms.get("zh_hans") or ""),
                term_zh_hant=str(terms.get("zh_hant") or ""),
                definition=" ".join(str(item.get("definition") or "").split()),
                definition_language=str(item.get("definition_language") or ""),
                locator=str(item.get("locator") or ""),
                date="" if date is None else str(date),
            )
        )
        if source.key not in cited:
            cited.add(source.key)
            data.citations.append(
                CitationData(source=source, locator=str(item.get("locator") or ""))
            )


def _in_sense_only(term: dict, where: str) -> bool:
    """A term's ``in_sense_only`` (optional, a YAML boolean)."""
    value = term.get("in_sense_only", False)
    if not isinstance(value, bool):
        raise SeedError(
            f"{where}: term {term['text']}: in_sense_only must be true or false, not {value!r}."
        )
    return value


def _submit(version: ConceptVersion, editor: UserModel, note: str) -> None:
    """Submit with the change note: the completeness check is the one every submission passes."""
    services.version_submit(version=version, user=editor, comment=note)


def _approve(versions: list[ConceptVersion], reviewers: list[UserModel], comment: str) -> None:
    """Approve these submitted versions by a reviewer of each side, as any version is, in one
    batch per reviewer: those the approvals complete are published together."""
    for reviewer in reviewers:
        waiting = list(
            ConceptVersion.objects.filter(
                pk__in=[version.pk for version in versions], state=VersionState.IN_REVIEW
            ).order_by("pk")
        )
        if waiting:
            services.versions_review(
                versions=waiting, user=reviewer, decision=ReviewDecision.APPROVE, comment=comment
            )


@dataclass
class Edition:
    """A release of the seed's history: its name and its notes in the three languages."""

    name: str
    notes: dict[str, str]


DEFAULT_EDITIONS = [
    Edition(
        FIRST_RELEASE,
        {
            "en": FIRST_RELEASE_NOTES,
            "zh_hans": FIRST_RELEASE_NOTES_ZH_HANS,
            "zh_hant": FIRST_RELEASE_NOTES_ZH_HANT,
        },
    )
]

#: The fields an ``earlier:`` block may give, each replacing the whole field of the concept.
EARLIER_FIELDS = {
    *TEXT_FIELDS,
    "terms",
    "domains",
    "sources",
    "related",
    "renderings",
    "agreement",
    "maturity",
    "first_attested",
}


def _editions(items: list[tuple[str, dict]]) -> list[Edition]:
    """The releases of ``releases.yaml`` in order (the default first edition without it)."""
    if not items:
        return DEFAULT_EDITIONS
    editions: list[Edition] = []
    for filename, item in items:
        if not isinstance(item, dict) or not item.get("name"):
            raise SeedError(f"{filename}: a release without name.")
        name = str(item["name"])
        if any(edition.name == name for edition in editions):
            raise SeedError(f"{filename}: release {name} is listed twice.")
        notes = _texts(f"{filename}: release {name}: notes", item.get("notes"), required=True)
        editions.append(Edition(name, notes))
    return editions


@dataclass
class Plan:
    """One seed concept as the history loads it: the release it came in, its text then (the
    ``earlier:`` fields laid over the current ones) and, if it changed since, the note."""

    filename: str
    since: str
    first: dict
    current: dict
    change_note: str = ""

    @property
    def changed(self) -> bool:
        return self.first is not self.current


def _plan(uid: str, filename: str, item: dict, names: list[str]) -> Plan:
    where = f"{filename}: concept {uid}"
    since = str(item.get("since") or names[-1])
    if since not in names:
        raise SeedError(f"{where}: since {since} is not a release of releases.yaml ({names}).")
    earlier = item.get("earlier")
    if item.get("renderings") and since != names[-1] and "renderings" not in (earlier or {}):
        # Authorities' renderings are recorded from the last release on; a concept of an
        # earlier one says what it had then, so that no edition claims what it did not hold.
        raise SeedError(
            f"{where}: renderings on a concept of {since}: say in earlier what it had then "
            f"(renderings: null when it had none)."
        )
    if earlier is None:
        return Plan(filename, since, item, item)
    if not isinstance(earlier, dict):
        raise SeedError(f"{where}: earlier must be a mapping of fields.")
    if since == names[-1]:
        raise SeedError(
            f"{where}: earlier gives the text of an earlier release, but the concept comes "
            f"only in {since}, the last one."
        )
    unknown = set(earlier) - EARLIER_FIELDS - {"change_note"}
    if unknown:
        raise SeedError(f"{where}: earlier: unknown field(s) {', '.join(sorted(unknown))}.")
    note = " ".join(str(earlier.get("change_note") or "").split())
    if not note:
        raise SeedError(f"{where}: earlier needs a change_note saying what changed and why.")
    first = {key: value for key, value in item.items() if key != "earlier"}
    for key in EARLIER_FIELDS & set(earlier):
        if earlier[key] is None:
            first.pop(key, None)
        else:
            first[key] = earlier[key]
    return Plan(filename, since, first, item, note)


@transaction.atomic
def load(directory: Path | None = None) -> SeedReport:
    """Fill an empty glossary from the seed, or add the seed concepts it lacks: all or nothing.

    Nothing that exists is changed: not a concept (whatever its state, open drafts and reviews
    included), not a domain, not a source, not a release.
    """
    found = read_files(directory)
    report = SeedReport()
    domain_items = _unique(found["domains"], "key", "domain")
    source_items = _unique(found["sources"], "key", "source")
    authority_items = _unique(found["authorities"], "key", "authority")
    items = _unique(found["concepts"], "id", "concept")
    editions = _editions(found["releases"])
    names = [edition.name for edition in editions]
    plans = {uid: _plan(uid, filename, item, names) for uid, (filename, item) in items.items()}
    fresh = not Concept.objects.exists()
    existing = set(Concept.objects.filter(uid__in=list(items)).values_list("uid", flat=True))
    report.existing = [uid for uid in items if uid in existing]
    new = {uid: plan for uid, plan in plans.items() if uid not in existing}
    if not new:
        return report

    texts = [(plan.filename, plan.current) for plan in new.values()]
    if fresh:
        texts += [(plan.filename, plan.first) for plan in new.values() if plan.changed]
    domain_keys, source_keys, targets = _references(texts)
    authority_keys = _authority_keys(texts)
    if fresh:
        # A new glossary gets every domain, source and authority of the seed, cited or not.
        domain_keys |= set(domain_items)
        source_keys |= set(source_items)
        authority_keys |= set(authority_items)
    report.domains_created = _create_missing(
        Domain, "domain", domain_items, domain_keys & set(domain_items), _domain_values
    )
    report.sources_created = _create_missing(
        Source, "source", source_items, source_keys & set(source_items), _source_values
    )
    report.authorities_created = _create_missing(
        Authority,
        "authority",
        authority_items,
        authority_keys & set(authority_items),
        _authority_values,
    )
    sources = {s.key: s for s in Source.objects.filter(key__in=source_keys)}
    domains = {d.key: d for d in Domain.objects.filter(key__in=domain_keys)}
    authorities = {a.key: a for a in Authority.objects.filter(key__in=authority_keys)}
    # Validate every new text first, so a bad file fails before a concept is written.
    for filename, item in texts:
        _draft_data(filename, item, sources, domains, None, authorities)
    editor, reviewers = _seed_users()

    if not fresh:
        # A glossary that exists gets the missing concepts as they stand now, and no release.
        _create(new, {uid: plan.current for uid, plan in new.items()}, editor, reviewers, "")
        report.created = list(new)
        return report

    for edition in editions:
        arriving = {uid: plan for uid, plan in new.items() if plan.since == edition.name}
        comment = f"Seed glossary, reviewed for release {edition.name}."
        _create(
            arriving,
            {uid: plan.first for uid, plan in arriving.items()},
            editor,
            reviewers,
            comment,
            note="" if edition is editions[0] else f"New concept in release {edition.name}.",
        )
        report.created += list(arriving)
        if edition is editions[-1]:
            changed = {uid: plan for uid, plan in new.items() if plan.changed}
            _update(changed, sources, domains, authorities, editor, reviewers, comment)
            report.updated = list(changed)
        if not Concept.objects.published().exists():
            continue  # A release of nothing (no concept came in it yet) is not cut.
        services.release_cut(
            name=edition.name,
            notes=edition.notes["en"],
            notes_zh_hans=edition.notes["zh_hans"],
            notes_zh_hant=edition.notes["zh_hant"],
            user=None,
        )
        report.releases.append(edition.name)
    return report


def _create(
    plans: dict[str, Plan],
    content: dict[str, dict],
    editor: UserModel,
    reviewers: list[UserModel],
    comment: str,
    note: str = "",
) -> None:
    """Create these concepts with this content, reviewed and published.

    Concepts are created without relations first, so that relations can point at any of them
    (and at any concept published before).
    """
    if not plans:
        return
    domain_keys, source_keys, targets = _references(
        (plans[uid].filename, item) for uid, item in content.items()
    )
    sources = {s.key: s for s in Source.objects.filter(key__in=source_keys)}
    domains = {d.key: d for d in Domain.objects.filter(key__in=domain_keys)}
    authorities = {
        a.key: a
        for a in Authority.objects.filter(
            key__in=_authority_keys((plans[uid].filename, item) for uid, item in content.items())
        )
    }
    created = {}
    for uid, item in content.items():
        filename = plans[uid].filename
        data = _draft_data(filename, item, sources, domains, None, authorities)
        try:
            created[uid] = services.concept_create(uid=uid, user=editor, data=data)
        except Exception as exc:
            raise SeedError(f"{filename}: concept {uid}: {exc}") from exc
    concepts = {c.uid: c for c in Concept.objects.filter(uid__in=targets)}
    for uid, item in content.items():
        filename = plans[uid].filename
        data = _draft_data(filename, item, sources, domains, concepts, authorities)
        version = created[uid]
        try:
            if data.relations:
                version = services.draft_update(
                    version=version, user=editor, data=data, expected_revision=version.revision
                )
            _submit(version, editor, note)
        except Exception as exc:
            raise SeedError(f"{filename}: concept {uid}: {exc}") from exc
        created[uid] = version
    try:
        _approve(
            list(created.values()), reviewers, comment or "Seed glossary, reviewed when added."
        )
    except Exception as exc:
        raise SeedError(f"The seed glossary's approval: {exc}") from exc


def _update(
    plans: dict[str, Plan],
    sources: dict[str, Source],
    domains: dict[str, Domain],
    authorities: dict[str, Authority],
    editor: UserModel,
    reviewers: list[UserModel],
    comment: str,
) -> None:
    """Give each of these published concepts its current text as a new version, submitted
    with its change note and reviewed."""
    if not plans:
        return
    _d, _s, targets = _references((plan.filename, plan.current) for plan in plans.values())
    concepts = {c.uid: c for c in Concept.objects.filter(uid__in=targets)}
    drafts = []
    for concept in Concept.objects.filter(uid__in=list(plans)).order_by("uid"):
        plan = plans[concept.uid]
        data = _draft_data(plan.filename, plan.current, sources, domains, concepts, authorities)
        try:
            draft = services.draft_start(concept=concept, user=editor)
            draft = services.draft_update(
                version=draft, user=editor, data=data, expected_revision=draft.revision
            )
            _submit(draft, editor, plan.change_note)
        except Exception as exc:
            raise SeedError(f"{plan.filename}: concept {concept.uid}: {exc}") from exc
        drafts.append(draft)
    try:
        _approve(drafts, reviewers, comment)
    except Exception as exc:
        raise SeedError(f"The seed glossary's approval of release changes: {exc}") from exc


__all__ = ["Edition", "SeedError", "SeedReport", "load", "read_files"]
