"""What an import did or would do, entry by entry, in words an editor reads."""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, overload

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
    #: What an "updated" entry changes in the published concept ("adds a citation", …).
    changes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str((SKIPPED_LABELS if self.skipped else STATUS_LABELS)[self.status])


class EntryLog(Sequence[EntryReport]):
    """The entries' reports in the file's order, kept in a temporary file as they are written.

    An import of any size holds only an offset per entry and the count of each status; an
    entry's report may be written again (a later entry adds a message to it), the last write
    counting. Reading one back (by index, or all in order) unpickles it from the file.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the report
        self._offsets = array("q")
        self._statuses = bytearray()
        self._counts = dict.fromkeys(STATUS_LABELS, 0)

    def put(self, index: int, entry: EntryReport) -> None:
        """Keep the report of the entry at ``index`` (0-based) of the file."""
        missing = index + 1 - len(self._offsets)
        if missing > 0:
            self._offsets.extend([-1] * missing)
            self._statuses.extend([0] * missing)
        if self._offsets[index] >= 0:
            self._counts[_STATUS_CODES[self._statuses[index] - 1]] -= 1
        self._file.seek(0, 2)
        self._offsets[index] = self._file.tell()
        pickle.dump(entry, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._statuses[index] = _STATUS_CODES.index(entry.status) + 1
        self._counts[entry.status] += 1

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def __len__(self) -> int:
        return len(self._offsets)

    @overload
    def __getitem__(self, index: int) -> EntryReport: ...

    @overload
    def __getitem__(self, index: slice) -> list[EntryReport]: ...

    def __getitem__(self, index: int | slice) -> EntryReport | list[EntryReport]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        offset = self._offsets[index]
        if offset < 0:
            raise LookupError(f"The report of entry {index} was never written.")
        self._file.seek(offset)
        return pickle.load(self._file)  # noqa: S301 - our own file, written above

    def __iter__(self) -> Iterator[EntryReport]:
        for index in range(len(self)):
            yield self[index]


#: Statuses by the code ``EntryLog`` keeps for each entry (0: not written yet).
_STATUS_CODES = list(STATUS_LABELS)


@dataclass
class ImportReport:
    format: str
    #: A list, or (an import's own report) an ``EntryLog`` on disk.
    entries: Sequence[EntryReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False
    published: int = 0
    #: Why nothing was written, when the import stopped because of conflicts or errors.
    blocked: str = ""
    #: The operator chose to import the valid entries and skip the conflicts and errors.
    skip_problems: bool = False

    def counts(self) -> dict[str, int]:
        if isinstance(self.entries, EntryLog):
            return self.entries.counts()
        found = dict.fromkeys(STATUS_LABELS, 0)
        for entry in self.entries:
            found[entry.status] += 1
        return found

    @property
    def has_problems(self) -> bool:
        counts = self.counts()
        return any(counts[status] for status in PROBLEMS)

    @property
    def skipped(self) -> list[EntryReport]:
        """The entries left out (or, in a dry run, to be left out) at the operator's request."""
        return [entry for entry in self.entries if entry.skipped]

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (a job keeps it), its entries read back in order."""
        values = {name: value for name, value in vars(self).items() if name != "entries"}
        return {**values, "entries": [asdict(entry) for entry in self.entries]}

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
