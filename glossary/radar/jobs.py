"""The radar's long work on the job queue: adding a document, rebuilding the candidates.

Adding a document reads its file, stores it and rebuilds the candidates in one transaction, so
a broken file, a failure or a cancel leaves the corpus and the radar as they were. Progress is
counted in documents read by the rebuild.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from glossary.core import services
from glossary.core.models import CorpusDocument, Job, JobKind
from glossary.core.workflow import WorkflowError
from glossary.radar import services as radar

if TYPE_CHECKING:
    from glossary.core.services import Progress


def document_queue(
    *,
    user: User,
    data: bytes,
    filename: str,
    title: str,
    content_type: str = "",
    origin: str = "",
    url: str = "",
    published: dt.date | None = None,
    language: str = "",
    partner: CorpusDocument | None = None,
) -> Job:
    """Queue the reading of an uploaded document into the corpus, then a rebuild."""
    if not radar.may_use(user):
        raise WorkflowError("permission_denied", _("You may not use the radar."))
    params = {
        "filename": filename,
        "title": title,
        "content_type": content_type,
        "origin": origin,
        "url": url,
        "published": published.isoformat() if published else "",
        "language": language,
        "partner": partner.pk if partner else None,
    }
    job = services.job_create(
        owner=user, kind=JobKind.RADAR_DOCUMENT, params=params, data=zlib.compress(data)
    )
    run_radar_document_job.enqueue(job.pk)
    return job


def rebuild_queue(*, user: User) -> Job:
    """Queue a rebuild of the candidates from the whole corpus."""
    if not radar.may_use(user):
        raise WorkflowError("permission_denied", _("You may not use the radar."))
    job = services.job_create(owner=user, kind=JobKind.RADAR_REBUILD, params={})
    run_radar_rebuild_job.enqueue(job.pk)
    return job


@task()
def run_radar_document_job(job_id: int) -> None:
    """The queue's entry point for adding a document to the corpus."""
    services.job_run(job_id=job_id, work=_add_document)


@task()
def run_radar_rebuild_job(job_id: int) -> None:
    """The queue's entry point for a rebuild of the candidates."""
    services.job_run(job_id=job_id, work=_rebuild)


def _add_document(job: Job, progress: Progress) -> tuple[dict[str, Any], str]:
    params = job.params
    owner = User.objects.get(pk=job.owner_id or 0)
    progress(0, 0)
    partner = CorpusDocument.objects.filter(pk=params.get("partner") or 0).first()
    try:
        with transaction.atomic():
            document = radar.document_add(
                data=zlib.decompress(bytes(job.data)),
                filename=params["filename"],
                title=params["title"],
                content_type=params.get("content_type", ""),
                origin=params.get("origin", ""),
                url=params.get("url", ""),
                published=dt.date.fromisoformat(params["published"])
                if params.get("published")
                else None,
                language=params.get("language", ""),
                partner=partner,
                user=owner,
            )
            count = radar.candidates_rebuild(progress=progress)
    except (ValidationError, WorkflowError) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message
        raise services.JobRefused(
            _("The document was not added: %(reason)s") % {"reason": message}, message
        ) from exc
    report = {"document": document.pk, "candidates": count, "radar": True}
    return report, _("%(title)s was added; the radar now lists %(count)s candidates.") % {
        "title": document.title,
        "count": count,
    }


def _rebuild(job: Job, progress: Progress) -> tuple[dict[str, Any], str]:
    with transaction.atomic():
        count = radar.candidates_rebuild(progress=progress)
    return {"candidates": count, "radar": True}, _(
        "The radar was rebuilt: %(count)s candidates."
    ) % {"count": count}
