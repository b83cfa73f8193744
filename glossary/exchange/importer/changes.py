"""What an "updated" entry of an import changes, in short phrases an editor reads in the preview
("adds a citation", "changes the English definition")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from glossary.core.choices import FIELD_SUFFIX, Language
from glossary.core.models import ConceptVersion
from glossary.exchange.records import ConceptRecord, clean_text


def _field_label(name: str) -> str:
    """ "agreed definition (English)" for "definition_en"."""
    for language, suffix in FIELD_SUFFIX.items():
        if name.endswith("_" + suffix):
            base = name[: -len(suffix) - 1]
            verbose = getattr(ConceptVersion._meta.get_field(base), "verbose_name", base)
            return _("%(field)s (%(language)s)") % {
                "field": verbose,
                "language": Language(language).label,
            }
    return str(getattr(ConceptVersion._meta.get_field(name), "verbose_name", name))


def describe_changes(current: ConceptRecord, target: ConceptRecord) -> list[str]:
    """What publishing ``target`` over ``current`` would change, one phrase per kind of change."""
    changes: list[str] = []
    old_texts = {k: clean_text(v) for k, v in current.texts.items() if clean_text(v)}
    new_texts = {k: clean_text(v) for k, v in target.texts.items() if clean_text(v)}
    for name in sorted(set(old_texts) | set(new_texts)):
        old, new = old_texts.get(name), new_texts.get(name)
        if old == new:
            continue
        label = _field_label(name)
        if old is None:
            changes.append(_("adds the %(field)s") % {"field": label})
        elif new is None:
            changes.append(_("removes the %(field)s") % {"field": label})
        else:
            changes.append(_("changes the %(field)s") % {"field": label})
    if current.agreement != target.agreement:
        changes.append(_("changes the agreement state"))
    if current.maturity != target.maturity or clean_text(current.first_attested) != clean_text(
        target.first_attested
    ):
        changes.append(_("changes the maturity"))
    old_terms = {(t.language, t.text): t.key() for t in current.terms}
    new_terms = {(t.language, t.text): t.key() for t in target.terms}
    count = len(set(new_terms) - set(old_terms))
    if count:
        changes.append(
            _("adds a term") if count == 1 else _("adds %(count)d terms") % {"count": count}
        )
    count = len(set(old_terms) - set(new_terms))
    if count:
        changes.append(
            _("removes a term") if count == 1 else _("removes %(count)d terms") % {"count": count}
        )
    count = sum(1 for k in set(old_terms) & set(new_terms) if old_terms[k] != new_terms[k])
    if count:
        changes.append(
            _("changes a term") if count == 1 else _("changes %(count)d terms") % {"count": count}
        )
    old_citations = {c.key() for c in current.citations}
    new_citations = {c.key() for c in target.citations}
    count = len(new_citations - old_citations)
    if count:
        changes.append(
            _("adds a citation") if count == 1 else _("adds %(count)d citations") % {"count": count}
        )
    count = len(old_citations - new_citations)
    if count:
        changes.append(
            _("removes a citation")
            if count == 1
            else _("removes %(count)d citations") % {"count": count}
        )
    if set(current.domains) != set(target.domains):
        changes.append(_("changes the domains"))
    if {(r.kind, r.target) for r in current.relations} != {
        (r.kind, r.target) for r in target.relations
    }:
        changes.append(_("changes the relations"))
    if not changes:
        # Only marks changed (a machine conversion confirmed, a term's order).
        changes.append(_("changes review marks or the order of terms"))
    return changes
