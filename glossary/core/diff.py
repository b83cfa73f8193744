"""Compare two versions of a concept: texts per language, terms, sources, relations, domains."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from glossary.core.choices import FIELD_SUFFIX, Language
from glossary.core.fields import TERM_DETAILS, TEXT_FIELDS
from glossary.core.models import ConceptVersion

_WORD = re.compile(
    r"\s+|[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+"
)


@dataclass(frozen=True)
class Segment:
    """A run of text that is kept, inserted or deleted."""

    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class TextChange:
    field: str
    language: str
    old: str
    new: str
    segments: tuple[Segment, ...]
    #: The new text is a machine conversion no linguist has reviewed yet.
    machine_converted: bool = False


@dataclass(frozen=True)
class TermChange:
    language: str
    text: str
    change: str  # "added", "removed" or "changed"
    old: dict[str, str] = field(default_factory=dict)
    new: dict[str, str] = field(default_factory=dict)

    @property
    def machine_converted(self) -> bool:
        """The term as it now stands is a machine conversion no linguist has reviewed."""
        return bool(self.new.get("machine_converted"))


@dataclass
class VersionDiff:
    old_number: int | None
    new_number: int
    texts: list[TextChange] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)
    terms: list[TermChange] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)
    relations_added: list[str] = field(default_factory=list)
    relations_removed: list[str] = field(default_factory=list)
    domains_added: list[str] = field(default_factory=list)
    domains_removed: list[str] = field(default_factory=list)
    renderings_added: list[str] = field(default_factory=list)
    renderings_removed: list[str] = field(default_factory=list)
    #: (field, language) of texts whose machine conversion a linguist confirmed as it stood.
    reviewed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def unreviewed(self) -> bool:
        """Whether the new version holds machine conversions no linguist has reviewed."""
        return any(change.machine_converted for change in self.texts) or any(
            term.machine_converted for term in self.terms
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.texts
            or self.attributes
            or self.terms
            or self.sources_added
            or self.sources_removed
            or self.relations_added
            or self.relations_removed
            or self.domains_added
            or self.domains_removed
            or self.renderings_added
            or self.renderings_removed
            or self.reviewed
        )


def inline_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level for English, character-level for Chinese, merged into runs."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(segments)


_TERM_ATTRS = ("status", *TERM_DETAILS)


def _term_attrs(term) -> dict[str, str]:  # noqa: ANN001 - a Term
    values = {name: str(getattr(term, name) or "") for name in _TERM_ATTRS}
    # A flag reads "yes", or nothing while it is off (as an empty field does).
    values["in_sense_only"] = "yes" if term.in_sense_only else ""
    values["source"] = str(term.source) if term.source_id else ""
    values["machine_converted"] = "yes" if term.machine_converted else ""
    values["text"] = term.text
    return values


def _pair_edited(terms: list[TermChange]) -> list[TermChange]:
    """An edited term is one change, not a removal and an addition.

    In each language, a removed term and an added term are paired when they have the same
    status, or when their texts are alike (half their characters or words in common); the most
    alike pairs first. What is left stays added or removed.
    """
    removed = [t for t in terms if t.change == "removed"]
    added = [t for t in terms if t.change == "added"]
    candidates = []
    for old in removed:
        for new in added:
            if old.language != new.language:
                continue
            ratio = difflib.SequenceMatcher(
                None, _WORD.findall(old.text.lower()), _WORD.findall(new.text.lower())
            ).ratio()
            if ratio >= 0.5 or old.old.get("status") == new.new.get("status"):
                candidates.append((-ratio, id(old), id(new), old, new))
    paired: dict[int, TermChange] = {}
    used: set[int] = set()
    for _ratio, old_id, new_id, old, new in sorted(candidates, key=lambda c: c[:3]):
        if old_id in used or new_id in used:
            continue
        used.update((old_id, new_id))
        paired[new_id] = TermChange(new.language, new.text, "changed", old.old, new.new)
    return [paired.get(id(t), t) for t in terms if id(t) not in used or id(t) in paired]


def diff_versions(old: ConceptVersion | None, new: ConceptVersion) -> VersionDiff:
    """What changed from ``old`` to ``new`` (``old`` None: everything in ``new`` is added).

    Both versions should come from ``ConceptVersion.objects.with_content()``.
    """
    result = VersionDiff(old_number=old.number if old else None, new_number=new.number)
    for name in TEXT_FIELDS:
        for language, suffix in FIELD_SUFFIX.items():
            attr = f"{name}_{suffix}"
            before = (getattr(old, attr) or "") if old else ""
            after = getattr(new, attr) or ""
            unreviewed = attr in (new.machine_converted_fields or [])
            if before != after:
                result.texts.append(
                    TextChange(
                        name, language, before, after, inline_diff(before, after), unreviewed
                    )
                )
            elif old and attr in (old.machine_converted_fields or []) and not unreviewed:
                result.reviewed.append((name, language))
    for attr in ("agreement", "maturity", "first_attested", "retirement_reason"):
        before = str(getattr(old, attr) or "") if old else ""
        after = str(getattr(new, attr) or "")
        if before != after:
            result.attributes.append((attr, before, after))

    old_terms = {(t.language, t.text): t for t in old.terms.all()} if old else {}
    new_terms = {(t.language, t.text): t for t in new.terms.all()}
    order = list(Language.values)
    for key in sorted(old_terms.keys() | new_terms.keys(), key=lambda k: (order.index(k[0]), k[1])):
        before, after = old_terms.get(key), new_terms.get(key)
        if before is None:
            result.terms.append(TermChange(key[0], key[1], "added", new=_term_attrs(after)))
        elif after is None:
            result.terms.append(TermChange(key[0], key[1], "removed", old=_term_attrs(before)))
        elif _term_attrs(before) != _term_attrs(after):
            result.terms.append(
                TermChange(key[0], key[1], "changed", _term_attrs(before), _term_attrs(after))
            )
    result.terms = _pair_edited(result.terms)

    def citations(version: ConceptVersion | None) -> set[str]:
        if version is None:
            return set()
        return {
            " ".join(filter(None, [c.source.title, c.locator, c.quote]))
            for c in version.citations.all()
        }

    def relations(version: ConceptVersion | None) -> set[str]:
        if version is None:
            return set()
        return {f"{r.get_kind_display()}: {r.target.uid}" for r in version.relations.all()}

    def domains(version: ConceptVersion | None) -> set[str]:
        return {str(d) for d in version.domains.all()} if version else set()

    def renderings(version: ConceptVersion | None) -> set[str]:
        if version is None:
            return set()
        return {
            " · ".join(
                filter(
                    None,
                    [
                        f"{r.authority}: {r.terms_text()}",
                        str(r.get_status_display()),
                        r.date,
                        r.definition,
                        r.locator,
                    ],
                )
            )
            for r in version.renderings.all()
        }

    for getter, added, removed in (
        (citations, result.sources_added, result.sources_removed),
        (renderings, result.renderings_added, result.renderings_removed),
        (relations, result.relations_added, result.relations_removed),
        (domains, result.domains_added, result.domains_removed),
    ):
        before, after = getter(old), getter(new)
        added.extend(sorted(after - before))
        removed.extend(sorted(before - after))
    return result
