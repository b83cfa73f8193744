"""Imports as jobs: the preview and the confirmed import run on the job queue, not in a request.

A preview is a dry run of exactly the import that confirming performs; the file waits on the
preview's job row (compressed) until its owner confirms it, and the import then reads it again
against the glossary as it is by then, so the final report is the one that counts. Either job
runs ``importer.import_file`` in one transaction, so a cancel, a failure or a worker that dies
midway leaves the glossary as it was.
"""

from __future__ import annotations

import tempfile
import zlib
from typing import IO, TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django_tasks import task

from glossary.core import services
from glossary.core.models import Job, JobKind
from glossary.exchange import formats, importer
from glossary.exchange.importer import EntryReport, ImportReport
from glossary.exchange.safety import FileOnDisk, ImportRefused

if TYPE_CHECKING:
    from glossary.core.services import Progress

#: Compressed bytes unpacked at a time.
UNPACK_CHUNK = 1 << 16


def import_queue(*, owner: User, data: bytes, fmt: str, filename: str, skip_problems: bool) -> Job:
    """Queue the preview (a dry run) of an uploaded file; its job page follows it."""
    job = services.job_create(
        owner=owner,
        kind=JobKind.IMPORT_PREVIEW,
        params={"format": fmt, "filename": filename, "skip_problems": skip_problems},
        data=zlib.compress(data),
    )
    run_import_job.enqueue(job.pk)
    return job


def import_confirm(*, preview: Job, owner: User, skip_problems: bool = False) -> Job:
    """Queue the import of a previewed file (refused if the preview is not the owner's).

    ``skip_problems``: leave out the entries with conflicts or errors and import the rest, when
    the preview was made without that choice; the file is not uploaded again.
    """
    data = services.job_take_data(job=preview, user=owner)
    # The preview found the file's format; the import reads it the same way.
    params = {**preview.params, "format": (preview.report or {}).get("format", "")}
    if skip_problems:
        params["skip_problems"] = True
    job = services.job_create(owner=owner, kind=JobKind.IMPORT, params=params, data=data)
    run_import_job.enqueue(job.pk)
    return job


@task()
def run_import_job(job_id: int) -> None:
    """The queue's entry point for an import job, preview or real."""
    services.job_run(job_id=job_id, work=_import)


def _import(job: Job, progress: Progress) -> tuple[dict[str, Any], str]:
    params = job.params
    owner = User.objects.get(pk=job.owner_id or 0)
    # Reading the file comes before the importer knows how many entries it holds: say that the
    # job has started (and that its worker is alive) before it does.
    progress(0, 0)
    with tempfile.NamedTemporaryFile(prefix="glossary-import-") as unpacked:
        _unpack(job.data, unpacked)
        try:
            parsed = formats.stream_read(
                FileOnDisk(unpacked.name), params["format"], filename=params["filename"]
            )
            report = importer.import_file(
                parsed,
                user=owner,
                dry_run=job.kind == JobKind.IMPORT_PREVIEW,
                skip_problems=params["skip_problems"],
                progress=progress,
            )
        except ImportRefused as exc:
            raise services.JobRefused(
                _("The file was refused, nothing changed."), exc.message
            ) from exc
        return report.as_dict(), report.summary()


def _unpack(data: bytes | memoryview, into: IO[bytes]) -> None:
    """The job's compressed file, written out a piece at a time: the import reads it from the
    disk, so that the worker never holds the file whole."""
    unpacker = zlib.decompressobj()
    view = memoryview(data)
    for start in range(0, len(view), UNPACK_CHUNK):
        into.write(unpacker.decompress(view[start : start + UNPACK_CHUNK]))
    into.write(unpacker.flush())
    into.flush()


def report_of(job: Job) -> ImportReport | None:
    """The import report a finished job kept, to render as the import page always has."""
    if not job.report or "entries" not in job.report:
        return None
    stored = dict(job.report)
    entries = [EntryReport(**entry) for entry in stored.pop("entries")]
    return ImportReport(entries=entries, **stored)
