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


#: A rendering's own fields, as the diff compares them (the authority is the change's).
RENDERING_ATTRS = (
    "status",
    "term_en",
    "term_zh_hans",
    "term_zh_hant",
    "definition",
    "definition_language",
    "locator",
    "date",
)


@dataclass(frozen=True)
class RenderingChange:
    """An authority's rendering added, removed, or changed (its terms, status, date, …)."""

    authority: str  # the authority's key
    #: The authority's name, in the language active when the diff was made.
    name: str
    change: str  # "added", "removed" or "changed"
    old: dict[str, str] = field(default_factory=dict)
    new: dict[str, str] = field(default_factory=dict)
    #: The rendering before and after as one line: terms · status · date · definition · where.
    old_text: str = ""
    new_text: str = ""


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
    renderings: list[RenderingChange] = field(default_factory=list)
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
            or self.renderings
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

    result.renderings = _rendering_changes(old, new)
    for getter, added, removed in (
        (citations, result.sources_added, result.sources_removed),
        (relations, result.relations_added, result.relations_removed),
        (domains, result.domains_added, result.domains_removed),
    ):
        before, after = getter(old), getter(new)
        added.extend(sorted(after - before))
        removed.extend(sorted(before - after))
    return result


def _rendering_attrs(rendering) -> dict[str, str]:  # noqa: ANN001 - a Rendering
    return {name: str(getattr(rendering, name) or "") for name in RENDERING_ATTRS}


def _rendering_text(rendering) -> str:  # noqa: ANN001 - a Rendering
    return " · ".join(
        filter(
            None,
            [
                rendering.terms_text(),
                str(rendering.get_status_display()),
                rendering.date,
                rendering.definition,
                rendering.locator,
            ],
        )
    )


def _rendering_changes(old: ConceptVersion | None, new: ConceptVersion) -> list[RenderingChange]:
    """The renderings added, removed and changed, authority by authority.

    An authority's renderings that are the same in both versions are no change; of the rest,
    its old and new renderings are paired in their order as changes, and what is left over is
    added or removed. Changes come in the new version's order, then the removals.
    """
    before: dict[str, list] = {}
    for rendering in old.renderings.all() if old else []:
        before.setdefault(rendering.authority.key, []).append(rendering)
    after: dict[str, list] = {}
    for rendering in new.renderings.all():
        after.setdefault(rendering.authority.key, []).append(rendering)
    changes: list[RenderingChange] = []
    for key in [*after, *(k for k in before if k not in after)]:
        olds, news = list(before.get(key, [])), list(after.get(key, []))
        for rendering in list(news):
            same = next(
                (o for o in olds if _rendering_attrs(o) == _rendering_attrs(rendering)), None
            )
            if same is not None:
                olds.remove(same)
                news.remove(rendering)
        authority = (news or olds)[0].authority if (news or olds) else None
        name = str(authority) if authority is not None else key
        for position in range(max(len(olds), len(news))):
            was = olds[position] if position < len(olds) else None
            now = news[position] if position < len(news) else None
            change = "changed" if was and now else ("added" if now else "removed")
            changes.append(
                RenderingChange(
                    authority=key,
                    name=name,
                    change=change,
                    old=_rendering_attrs(was) if was else {},
                    new=_rendering_attrs(now) if now else {},
                    old_text=_rendering_text(was) if was else "",
                    new_text=_rendering_text(now) if now else "",
                )
            )
    order = {"changed": 0, "added": 0, "removed": 1}
    return sorted(changes, key=lambda change: order[change.change])
