"""What an import did or would do, entry by entry, in words an editor reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

if TYPE_CHECKING:
    pass


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
