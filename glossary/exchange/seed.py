"""The seed glossary: YAML files in ``fixtures/seed`` read, checked and taken through review.

The format is described in ``fixtures/seed/FORMAT.md``. Loading is all or nothing and
idempotent: a concept whose published version already says what the file says is left alone;
one that differs gets a new version, reviewed by the seed reviewers of both sides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from glossary import roles, services
from glossary.choices import Language, Side, VersionState
from glossary.models import Concept, ConceptVersion, Domain, Profile, Release, Source
from glossary.services import CitationData, DraftData, RelationData, TermData

SEED_DIR = Path(__file__).resolve().parent.parent.parent / "fixtures" / "seed"
FIRST_RELEASE = "2024.1"
FIRST_RELEASE_NOTES = (
    "First edition of the glossary: the AI terms named in the 2023 U.S.-China Track II "
    "consensus on the digital economy, and the core machine-learning vocabulary."
)
YAML_LANGS = {"en": Language.EN, "zh_hans": Language.ZH_HANS, "zh_hant": Language.ZH_HANT}
TEXT_FIELDS = ("definition", "us_usage", "cn_usage", "agreement_note", "note")

#: Accounts the seed is written and reviewed by. They cannot sign in (no usable password).
SEED_EDITOR = "seed-editor"
SEED_REVIEWERS = {"seed-reviewer-us": Side.US, "seed-reviewer-cn": Side.CN}


class SeedError(Exception):
    """The seed files are wrong; the message says where and why."""


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    sources_written: int = 0
    domains_written: int = 0
    release: str | None = None

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.sources_written
            or self.domains_written
            or self.release
        )


def read_files(directory: Path | None = None) -> dict[str, list[tuple[str, dict]]]:
    """Every ``sources``, ``domains`` and ``concepts`` item, with the file it came from."""
    directory = directory or SEED_DIR
    if not directory.is_dir():
        raise SeedError(f"The seed folder {directory.name} is missing.")
    found: dict[str, list[tuple[str, dict]]] = {"sources": [], "domains": [], "concepts": []}
    for path in sorted(directory.glob("*.yaml")):
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise SeedError(f"{path.name}: not readable YAML: {exc}") from exc
        if not isinstance(document, dict):
            raise SeedError(f"{path.name}: expected a mapping with sources, domains or concepts.")
        for section in found:
            items = document.get(section) or []
            if not isinstance(items, list):
                raise SeedError(f"{path.name}: {section} must be a list.")
            found[section].extend((path.name, item) for item in items)
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


def _upsert(model: type, key: str, values: dict[str, Any]) -> bool:
    """Create or update a reference row (not versioned); True when anything was written."""
    obj = model.objects.filter(key=key).first()
    if obj is not None and all(getattr(obj, name) == value for name, value in values.items()):
        return False
    obj = obj or model(key=key)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return True


def _seed_users() -> tuple[AbstractBaseUser, list[AbstractBaseUser]]:
    User = get_user_model()
    editor, _ = User.objects.get_or_create(
        username=SEED_EDITOR, defaults={"first_name": "Seed", "last_name": "editor"}
    )
    if editor.has_usable_password():
        editor.set_unusable_password()
        editor.save()
    editor.groups.add(roles.group(roles.EDITORS))
    reviewers = []
    for username, side in SEED_REVIEWERS.items():
        reviewer, created = User.objects.get_or_create(username=username)
        if created:
            reviewer.set_unusable_password()
            reviewer.save()
        reviewer.groups.add(roles.group(roles.REVIEWERS))
        Profile.objects.update_or_create(user=reviewer, defaults={"side": side, "role": "linguist"})
        reviewers.append(User.objects.get(pk=reviewer.pk))
    return User.objects.get(pk=editor.pk), reviewers


def _draft_data(
    filename: str,
    item: dict,
    sources: dict[str, Source],
    domains: dict[str, Domain],
    concepts: dict[str, Concept] | None,
) -> DraftData:
    uid = item["id"]
    where = f"{filename}: concept {uid}"
    data = DraftData(
        agreement=item.get("agreement", "agreed"),
        maturity=item.get("maturity", "established"),
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
    if concepts is not None:
        for relation in item.get("related") or []:
            target = concepts.get(relation.get("concept"))
            if target is None:
                raise SeedError(
                    f"{where}: related concept {relation.get('concept')} is not in the seed."
                )
            data.relations.append(RelationData(kind=relation.get("type", "related"), target=target))
    return data


def fingerprint(data: DraftData) -> tuple:
    """What a version says, in a comparable form (order of terms within a language counts)."""
    return (
        tuple(sorted((k, v.strip()) for k, v in data.texts.items() if v.strip())),
        data.agreement,
        data.maturity,
        data.first_attested,
        tuple(sorted(d.key for d in data.domains)),
        tuple(
            (
                t.language,
                " ".join(t.text.split()),
                t.status,
                t.term_type,
                t.part_of_speech,
                t.geographic_usage,
                t.context.strip(),
                t.note.strip(),
                t.source.key if t.source else "",
            )
            for t in sorted(data.terms, key=lambda t: t.language)
        ),
        tuple(
            (c.source.key, c.locator.strip(), c.quote.strip(), c.quote_language)
            for c in data.citations
        ),
        tuple(sorted((r.kind, r.target.uid) for r in data.relations)),
    )


def _review(
    version: ConceptVersion, editor: AbstractBaseUser, reviewers: list[AbstractBaseUser]
) -> None:
    services.version_submit(version=version, user=editor)
    for reviewer in reviewers:
        version.refresh_from_db()
        if version.state == VersionState.IN_REVIEW:
            services.version_approve(
                version=version,
                user=reviewer,
                comment="Seed glossary, reviewed for the first edition.",
            )


@transaction.atomic
def load(directory: Path | None = None) -> SeedReport:
    """Load the seed glossary, all or nothing."""
    found = read_files(directory)
    report = SeedReport()
    for key, (filename, item) in _unique(found["domains"], "key", "domain").items():
        names = _texts(f"{filename}: domain {key}: name", item.get("name"), required=True)
        values = {f"name_{lang}": text for lang, text in names.items()}
        values["name"] = names["en"]
        report.domains_written += _upsert(Domain, key, values)
    for key, (filename, item) in _unique(found["sources"], "key", "source").items():
        published = item.get("date")
        if published is not None and not isinstance(published, dt.date):
            raise SeedError(f"{filename}: source {key}: date must be YYYY-MM-DD.")
        values = {
            "title": str(item.get("title") or ""),
            "publisher": str(item.get("publisher") or ""),
            "jurisdiction": item.get("jurisdiction", "") or "",
            "published_on": published,
            "url": item.get("url", "") or "",
            "language": item.get("language", "") or "",
        }
        try:
            report.sources_written += _upsert(Source, key, values)
        except Exception as exc:
            raise SeedError(f"{filename}: source {key}: {exc}") from exc
    sources = {s.key: s for s in Source.objects.all()}
    domains = {d.key: d for d in Domain.objects.all()}
    items = _unique(found["concepts"], "id", "concept")
    editor, reviewers = _seed_users()

    # Validate everything first, so a bad file fails before anything is written.
    for filename, item in items.values():
        _draft_data(filename, item, sources, domains, None)
    existing = {c.uid: c for c in Concept.objects.filter(uid__in=items)}
    # Concepts are created without relations first, so that relations can point at any of them.
    new = {}
    for uid, (filename, item) in items.items():
        if uid in existing:
            continue
        data = _draft_data(filename, item, sources, domains, None)
        try:
            new[uid] = services.concept_create(uid=uid, user=editor, data=data)
        except Exception as exc:
            raise SeedError(f"{filename}: concept {uid}: {exc}") from exc
    concepts = {c.uid: c for c in Concept.objects.all()}
    for uid, (filename, item) in items.items():
        data = _draft_data(filename, item, sources, domains, concepts)
        if uid in new:
            version = new[uid]
            if data.relations:
                version = services.draft_update(
                    version=version, user=editor, data=data, expected_revision=version.revision
                )
            _review(version, editor, reviewers)
            report.created.append(uid)
            continue
        concept = existing[uid]
        current = concept.public_version
        if current is not None and fingerprint(
            DraftData.from_version(ConceptVersion.objects.with_content().get(pk=current.pk))
        ) == fingerprint(data):
            report.unchanged.append(uid)
            continue
        if concept.open_version_id:
            raise SeedError(
                f"{filename}: concept {uid} has an open version in the glossary; "
                f"finish or withdraw it before loading the seed again."
            )
        version = services.draft_start(concept=concept, user=editor)
        version = services.draft_update(
            version=version, user=editor, data=data, expected_revision=version.revision
        )
        _review(version, editor, reviewers)
        report.updated.append(uid)
    if not Release.objects.exists():
        services.release_cut(name=FIRST_RELEASE, notes=FIRST_RELEASE_NOTES, user=None)
        report.release = FIRST_RELEASE
    return report


__all__ = ["SeedError", "SeedReport", "load", "read_files"]
