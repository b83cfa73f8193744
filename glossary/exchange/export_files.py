"""The whole published glossary's downloads as files, written by a job after each publication.

Every format of the whole published glossary costs time that grows with it (at 100,000
concepts 1.5 s for TBX, 5 s for CSV), too much for a request. With ``GLOSSARY_EXPORT_FILES``
on, each publication queues one job (unless one is queued already: it will read the latest
publication when it starts) that writes every format into the default storage, under a
folder named by the publication serial it was made from; the export endpoint then redirects
to the file of the last build while that build is current, and writes the file while sending
it, as before, only in the minute between a publication and the end of its build. Exports of a
release or of one subject field are not stored: a subject field is a small part of the glossary,
and a release export answers conditional requests for ever.

Only the two latest builds' files are kept, so a download that was redirected just before a
new build finished can still be read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from glossary.core import services
from glossary.core.models import Job, JobKind, JobState, Publication
from glossary.exchange import formats, variants
from glossary.exchange import published as snapshot

if TYPE_CHECKING:
    from glossary.core.services import Progress

FOLDER = "exports"
#: Builds whose files are kept: the current one and the one before it.
KEEP = 2

#: Files of one Chinese variant, or in the codes a tool expects, built beside each format's
#: file of the whole glossary, for the tools that need them (the downloads page links them):
#: (format, chinese, codes). Any other choice is written while it is sent.
VARIANT_FILES: tuple[tuple[str, str, str], ...] = (
    ("omegat", "zh-Hant", ""),
    ("deepl", "zh-Hant", ""),
    ("deepl-csv", "zh-Hant", ""),
    ("tbx2008", "zh-Hans", "cn-tw"),
    ("tbx2008", "zh-Hant", "cn-tw"),
    ("tmx", "zh-Hans", ""),
    ("tmx", "zh-Hant", ""),
    ("xlsx-terms", "zh-Hans", ""),
    ("xlsx-terms", "zh-Hant", ""),
)


def file_key(fmt: str, chinese: str = variants.BOTH, codes: str = "") -> str:
    """The name a build's report gives a file: the format, and its variant and codes if any."""
    if chinese == variants.BOTH and not codes:
        return fmt
    return f"{fmt}.{chinese}.{codes or 'default'}"


def _files_of(names: list[str]) -> list[tuple[str, str, str]]:
    """(format, chinese, codes) of every file a build of these formats writes."""
    chosen = [(name, variants.BOTH, "") for name in names]
    return chosen + [variant for variant in VARIANT_FILES if variant[0] in names]


@dataclass(frozen=True)
class StoredFile:
    """One format's file of a build: where it is stored, and what it is called for a reader."""

    job: int
    path: str
    filename: str
    size: int
    date: dt.date


def enabled() -> bool:
    return bool(settings.GLOSSARY_EXPORT_FILES)


def queue(*, owner: User | None = None) -> Job | None:
    """Queue a build of every format, unless one is waiting to start (it will read the newest
    publication) or the last build is current; returns the queued job, if any."""
    services.jobs_reap(kind=JobKind.EXPORT_FILES)
    if Job.objects.filter(kind=JobKind.EXPORT_FILES, state=JobState.QUEUED).exists():
        return None
    if owner is None and _current_build() is not None:
        return None
    job = services.job_create(
        owner=owner, kind=JobKind.EXPORT_FILES, params={"formats": list(formats.EXPORTS)}
    )
    run_export_files_job.enqueue(job.pk)
    return job


def queue_after_publication() -> None:
    """The after-commit step of a publication (``glossary.core.publication``)."""
    if enabled():
        queue()


def _serial() -> int:
    return Publication.objects.stamp()[0]


def _current_build() -> Job | None:
    """The last finished build, if it was made from what is published now (two queries)."""
    last = (
        Job.objects.filter(kind=JobKind.EXPORT_FILES, state=JobState.DONE)
        .defer("data")
        .order_by("-finished", "-pk")
        .first()
    )
    if last is None or (last.report or {}).get("serial") != _serial():
        return None
    return last


def current_file(fmt: str, chinese: str = variants.BOTH, codes: str = "") -> StoredFile | None:
    """This format's file (of this variant) of the current build, or None (no build yet, one
    under way, or a variant that is not built)."""
    if not enabled():
        return None
    build = _current_build()
    return stored_file(build, file_key(fmt, chinese, codes)) if build is not None else None


def stored_file(build: Job, fmt: str) -> StoredFile | None:
    """A file of a finished build, as its report lists it (``fmt``: a ``file_key``)."""
    entry = (build.report or {}).get("files", {}).get(fmt)
    if not entry:
        return None
    return StoredFile(
        job=build.pk,
        path=entry["path"],
        filename=entry["filename"],
        size=entry["size"],
        date=dt.date.fromisoformat(entry["date"]),
    )


def build_file(build: int, fmt: str) -> StoredFile | None:
    """A file of a build (``fmt``: a ``file_key``), while it is kept (one query)."""
    job = (
        Job.objects.filter(pk=build, kind=JobKind.EXPORT_FILES, state=JobState.DONE)
        .defer("data")
        .first()
    )
    stored = stored_file(job, fmt) if job is not None else None
    if stored is None or not default_storage.exists(stored.path):
        return None
    return stored


@task()
def run_export_files_job(job_id: int) -> None:
    """The queue's entry point for a build of the export files."""
    services.job_run(job_id=job_id, work=_build)


class _CountedExport(snapshot.Export):
    """An export that reports each batch of concepts it reads to the job's progress."""

    def __init__(self, base: snapshot.Export, count: Any) -> None:
        super().__init__(meta=base.meta, release=base.release, history=base.history)
        self._count = count

    def records(self) -> Iterator[Any]:
        for index, record in enumerate(super().records(), 1):
            if index % snapshot.BATCH_SIZE == 0:
                self._count(snapshot.BATCH_SIZE)
            yield record

    def entry_batches(self) -> Iterator[snapshot.EntryBatch]:
        for batch in super().entry_batches():
            self._count(len(batch.order))
            yield batch


def _build(job: Job, progress: Progress) -> tuple[dict[str, Any], str]:
    # The serial is read before any concept is: a file holds at least what its serial says.
    serial = _serial()
    names = [name for name in job.params.get("formats", []) if name in formats.EXPORTS]
    files = _files_of(names)
    date = timezone.localdate()
    per_file = snapshot.prepare(date=date).count()
    total = max(1, per_file * len(files))
    folder = f"{FOLDER}/{serial}-{job.pk}"
    written: dict[str, dict[str, Any]] = {}
    done = 0
    path = ""

    def count(concepts: int) -> None:
        nonlocal done
        done = min(done + concepts, total)
        progress(done, total)

    progress(0, total)
    try:
        for position, (name, chinese, codes) in enumerate(files, 1):
            fmt = formats.EXPORTS[name]
            base = snapshot.prepare(date=date, chinese=chinese, codes=codes)
            export = _CountedExport(base, count)
            filename = export.meta.filename(fmt.suffix)
            path = f"{folder}/{filename}"
            # Written to a temporary file first, then stored whole: the storage may be remote.
            with tempfile.TemporaryFile() as target:
                for chunk in formats.stream(fmt, export):
                    target.write(chunk)
                target.seek(0)
                path = default_storage.save(path, File(target, name=filename))
            written[file_key(name, chinese, codes)] = {
                "path": path,
                "filename": filename,
                "size": default_storage.size(path),
                "date": date.isoformat(),
            }
            done = per_file * position
            progress(done, total)
    except BaseException:
        _delete(folder, [entry["path"] for entry in written.values()] + [path])
        raise
    _prune()
    summary = _("%(files)s files written from publication %(serial)s (%(concepts)s concepts).") % {
        "files": len(written),
        "serial": serial,
        "concepts": per_file,
    }
    return {"serial": serial, "concepts": per_file, "files": written}, summary


def _delete(folder: str, paths: list[str]) -> None:
    for path in dict.fromkeys(paths):
        if path and default_storage.exists(path):
            default_storage.delete(path)
    with contextlib.suppress(OSError):
        default_storage.delete(folder)  # an empty folder, on a file system


def _prune() -> None:
    """Delete the files of the finished builds but the last ``KEEP - 1`` (the running build,
    not finished yet, is the last one). Older builds were pruned when those builds ran."""
    builds = (
        Job.objects.filter(kind=JobKind.EXPORT_FILES, state=JobState.DONE)
        .exclude(report__isnull=True)
        .order_by("-finished", "-pk")
        .values_list("report", flat=True)
    )
    for report in builds[KEEP - 1 : KEEP + 2]:
        files = (report or {}).get("files", {})
        paths = [entry["path"] for entry in files.values()]
        if paths:
            _delete(paths[0].rsplit("/", 1)[0], paths)
