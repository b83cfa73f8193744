"""What a draft says (terms, citations, relations, texts), checked and written to its rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from glossary.core.bulk import insert_objects, insert_rows
from glossary.core.choices import (
    Agreement,
    Language,
    Maturity,
    TermStatus,
    VersionState,
)
from glossary.core.fields import (
    TERM_FIELDS,
    TermFields,
    traditional_field_names,
    translated_field_names,
)
from glossary.core.guards import ImmutableError
from glossary.core.models import (
    Authority,
    Citation,
    Concept,
    ConceptVersion,
    Domain,
    Relation,
    Rendering,
    Source,
    Term,
    VersionDomain,
)
from glossary.language import control_character, normalise_term, term_character

if TYPE_CHECKING:
    pass


@dataclass
class TermData(TermFields):
    """A term of a draft: its own fields, the source it cites, and its review mark."""

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
class RenderingData:
    """An authority's rendering of the concept: its term(s), status, and quoted definition."""

    authority: Authority
    status: str
    term_en: str = ""
    term_zh_hans: str = ""
    term_zh_hant: str = ""
    definition: str = ""
    definition_language: str = ""
    locator: str = ""
    date: str = ""

    def row(self, version: ConceptVersion, position: int = 0) -> Rendering:
        return Rendering(
            version=version,
            authority=self.authority,
            status=self.status,
            term_en=normalise_term(self.term_en),
            term_zh_hans=normalise_term(self.term_zh_hans),
            term_zh_hant=normalise_term(self.term_zh_hant),
            definition=self.definition.strip(),
            definition_language=self.definition_language,
            locator=self.locator.strip(),
            date=self.date.strip(),
            position=position,
        )


#: A rendering's own fields, as RenderingData and the admin's inline name them.
RENDERING_FIELDS = (
    "authority",
    "status",
    "term_en",
    "term_zh_hans",
    "term_zh_hant",
    "definition",
    "definition_language",
    "locator",
    "date",
)


@dataclass
class RelationData:
    kind: str
    target: Concept


@dataclass
class DraftData:
    """The whole editable content of a draft. A save replaces what the draft had."""

    texts: dict[str, str] = field(default_factory=dict)  # e.g. {"definition_en": "..."}
    agreement: str = Agreement.NOT_ASSESSED
    maturity: str = Maturity.NOT_ASSESSED
    first_attested: str = ""
    domains: list[Domain] = field(default_factory=list)
    terms: list[TermData] = field(default_factory=list)
    citations: list[CitationData] = field(default_factory=list)
    relations: list[RelationData] = field(default_factory=list)
    renderings: list[RenderingData] = field(default_factory=list)
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
                    **{name: getattr(t, name) for name in TERM_FIELDS},
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
            renderings=[
                RenderingData(**{name: getattr(r, name) for name in RENDERING_FIELDS})
                for r in version.renderings.all()
            ],
            machine_converted_fields=list(version.machine_converted_fields or []),
        )


def version_instance(**values: object) -> ConceptVersion:
    """A ConceptVersion instance (not saved) holding ``values`` (by attribute name, translated
    fields by their language's name) and the fields' defaults for the rest.

    Made from a row of the defaults, as instances read from the database are: the keyword
    path of the model's constructor (modeltranslation rewrites each name, and each translated
    field gives its default under the field's language) costs more than the rest of an
    import's work on a version. The defaults are the same for every instance, so they are
    read once; a default made by calling (a new list) is made for each instance.
    """
    row, made = _default_row()
    fields = ConceptVersion._meta.concrete_fields
    values_row = list(row)
    for index in made:
        values_row[index] = fields[index].get_default()
    version = ConceptVersion(*values_row)
    for name, value in values.items():
        setattr(version, name, value)
    return version


@cache
def _default_row() -> tuple[tuple[object, ...], tuple[int, ...]]:
    """Each concrete field's default (no primary key), and the places of those made by calling."""
    fields = ConceptVersion._meta.concrete_fields
    row = tuple(None if field.primary_key else field.get_default() for field in fields)
    made = tuple(
        index
        for index, field in enumerate(fields)
        if field.has_default() and callable(field.default)
    )
    return row, made


def validate_draft(version: ConceptVersion, data: DraftData) -> None:
    """Check the content against the model and the invariants; raise before anything is written."""
    errors: dict[str, list[str]] = {}
    unknown = set(data.texts) - set(translated_field_names())
    if unknown:
        errors.setdefault("texts", []).append(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    if unknown or not _plainly_valid_content(data):
        candidate = version_instance(
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
        if _plainly_valid(term):
            continue
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
        relation_key = (relation.kind, relation.target.pk)
        if relation_key in seen_relations:
            errors.setdefault("relations", []).append(
                _("The relation to %(uid)s is listed twice.") % {"uid": relation.target.uid}
            )
        seen_relations.add(relation_key)
    for index, rendering in enumerate(data.renderings, start=1):
        try:
            rendering.row(version).full_clean(
                exclude=["version"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                label = _("Rendering %(index)d") % {"index": index}
                errors.setdefault("renderings", []).extend(
                    f"{label}: {message}" if key == "__all__" else f"{label} ({key}): {message}"
                    for message in messages
                )
    if errors:
        raise ValidationError(errors)


def _plainly_valid_content(data: DraftData) -> bool:
    """Whether ``ConceptVersion.full_clean`` would accept a draft's own fields, judged on their
    plain values (True only when sure, as for terms): known choices, texts without control
    characters, no date to parse."""
    if data.first_attested:
        return False
    if data.agreement not in Agreement.values or data.maturity not in Maturity.values:
        return False
    return all(
        value is None
        or (isinstance(value, str) and control_character(value, line_breaks=True) is None)
        for value in data.texts.values()
    )


def _plainly_valid(term: TermData) -> bool:
    """Whether ``Term.full_clean`` would accept this term, judged on its plain values.

    True only when every check the model makes is plainly met (a known choice, a length within
    the column, no control character, no source to look up); otherwise the model's own checks
    run and say what is wrong. A large import validates thousands of terms: building an
    instance and cleaning it costs more than all of its other checks.
    """
    if term.source is not None:
        return False
    for name, choices, max_length, blank in _term_checks():
        value = getattr(term, name)
        if not isinstance(value, str):
            return False
        if not value:
            if blank:
                continue
            return False
        if (choices is not None and value not in choices) or (
            max_length is not None and len(value) > max_length
        ):
            return False
        if control_character(value, line_breaks=True) is not None:
            return False
    # And what ``Term.clean`` checks of the text as it is stored.
    text = normalise_term(term.text)
    return bool(text) and term_character(text) is None


@cache
def _term_checks() -> list[tuple[str, frozenset[str] | None, int | None, bool]]:
    """For each text field of a term: its name, its choices, its length, whether it may be blank."""
    checks = []
    for name in TERM_FIELDS:
        field = Term._meta.get_field(name)
        if not isinstance(field, models.CharField | models.TextField):
            continue
        choices = (
            frozenset(str(value) for value, _label in field.flatchoices) if field.choices else None
        )
        checks.append((name, choices, field.max_length, field.blank))
    return checks


def term_problems(terms: list[TermData]) -> list[str]:
    """The invariants over a version's terms: one preferred per language, no repeated term.

    Terms are compared as they are stored (``text.normalise_term``: NFC, whitespace collapsed);
    characters no term may hold are refused by ``Term.clean`` before this matters.
    """
    problems: list[str] = []
    preferred_languages = [t.language for t in terms if t.status == TermStatus.PREFERRED]
    stored = [(t.language, normalise_term(t.text)) for t in terms]
    if len(set(preferred_languages)) == len(preferred_languages) and len(set(stored)) == len(
        stored
    ):
        return problems  # nothing repeats: the usual case, without counting
    preferred = Counter(preferred_languages)
    for language, count in sorted(preferred.items()):
        if count > 1:
            problems.append(
                _("There can be only one preferred term in %(language)s; %(count)d are marked.")
                % {"language": Language(language).label, "count": count}
            )
    # Compared as stored: NFC, so that a copy spelt with other code points is still a copy.
    texts = Counter(stored)
    for (language, text), count in sorted(texts.items()):
        if count > 1:
            problems.append(
                _("The term “%(text)s” is listed %(count)d times in %(language)s.")
                % {"text": text, "count": count, "language": Language(language).label}
            )
    return problems


def apply_content(version: ConceptVersion, data: DraftData) -> None:
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


def write_content(version: ConceptVersion, data: DraftData) -> None:
    """Replace a draft's content with ``data`` (the draft is locked and validated already)."""
    apply_content(version, data)
    version.save()
    version.terms.all().delete()
    version.citations.all().delete()
    version.relations.all().delete()
    version.renderings.all().delete()
    VersionDomain.objects.filter(version=version).delete()
    insert_children([(version, data)])


#: The columns of a draft's children, written as plain rows: building a model instance for
#: each of an import's terms costs more than the database's work of writing it.
TERM_COLUMNS = (
    "version_id",
    "language",
    "text",
    "folded",
    "status",
    "term_type",
    "part_of_speech",
    "geographic_usage",
    "context",
    "note",
    "source_id",
    "position",
    "machine_converted",
    "in_sense_only",
)
CITATION_COLUMNS = ("version_id", "source_id", "locator", "quote", "quote_language", "position")
RELATION_COLUMNS = ("version_id", "kind", "target_id")
DOMAIN_COLUMNS = ("version_id", "domain_id")


def insert_children(drafts: list[tuple[ConceptVersion, DraftData]]) -> None:
    """Write the terms, citations, relations and domains of saved drafts: a query per kind.

    Each row holds what the model's instance would have written (``bulk.insert_objects``).
    """
    terms: list[tuple] = []
    citations: list[tuple] = []
    relations: list[tuple] = []
    domains: list[tuple] = []
    renderings: list[Rendering] = []
    for version, data in drafts:
        version_id = version.pk
        for position, term in enumerate(data.terms):
            text = normalise_term(term.text)
            terms.append(
                (
                    version_id,
                    term.language,
                    text,
                    Term.matching_key(text),
                    term.status,
                    term.term_type,
                    term.part_of_speech,
                    term.geographic_usage,
                    term.context.strip(),
                    term.note.strip(),
                    _key_of(term.source),
                    position,
                    term.machine_converted,
                    term.in_sense_only,
                )
            )
        citations.extend(
            (
                version_id,
                _key_of(c.source),
                c.locator.strip(),
                c.quote.strip(),
                c.quote_language,
                position,
            )
            for position, c in enumerate(data.citations)
        )
        relations.extend((version_id, r.kind, _key_of(r.target)) for r in data.relations)
        domains.extend((version_id, _key_of(domain)) for domain in dict.fromkeys(data.domains))
        renderings.extend(
            rendering.row(version, position) for position, rendering in enumerate(data.renderings)
        )
    # What the models' bulk_create would ask the database: the callers hold these versions
    # locked (or have just created them), so their state in hand is the stored one.
    if any(version.state != VersionState.DRAFT for version, _data in drafts):
        raise ImmutableError("The content of a non-draft version cannot change.")
    for model, columns, rows in (
        (Term, TERM_COLUMNS, terms),
        (Citation, CITATION_COLUMNS, citations),
        (Relation, RELATION_COLUMNS, relations),
        (VersionDomain, DOMAIN_COLUMNS, domains),
    ):
        if rows:
            insert_rows(model, columns, rows)
    if renderings:
        insert_objects(Rendering, renderings)


def _key_of(row: models.Model | None) -> int | None:
    """The primary key of a saved row a child points to (its source, target or domain)."""
    if row is None:
        return None
    assert row.pk is not None, f"{row!r} is not saved"
    return row.pk


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
