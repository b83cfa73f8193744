"""The admin's import page: upload a file, follow its preview job, confirm, follow the import.

Both steps run on the job queue (``glossary.exchange.jobs``), never in the request: the upload
queues a preview (a dry run of exactly the import that confirming performs) and sends the editor
to the job's page, which shows its progress (entries done, percentage, time left; refreshed by
``glossary/job.js``), lets its owner cancel it, and keeps its report. When the editor chose to
skip the entries with conflicts or errors, the reports list those entries first, as not
imported, with their reasons. Confirming queues the import itself, against the glossary as it
is then, so the final report is the one that counts.

The concept admin serves these pages under its own URLs (``ConceptAdmin.get_urls``), with a
button on its list.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST

from glossary.core import services
from glossary.core.models import Job, JobKind, JobState
from glossary.exchange import formats, jobs
from glossary.exchange.importer import PROBLEMS, STATUS_LABELS, ImportReport
from glossary.exchange.safety import ImportRefused, check_size


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "TBX (ISO 30042 or the 2008 martif layout), CSV (our columns, or "
            "en, zh_hans, zh_hant, definition_en, definition_zh, source) or XLSX, in UTF-8."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("", gettext_lazy("From the file"))] + [(name, name) for name in formats.READERS],
        required=False,
    )
    skip_problems = forms.BooleanField(
        label=gettext_lazy("Skip the entries with conflicts or errors and import the rest"),
        help_text=gettext_lazy(
            "The one exception to all or nothing, for lists known to be dirty: the preview and "
            "the report list every skipped entry as not imported, with its reason. A broken file "
            "(truncated, not UTF-8, unsafe) is always refused whole."
        ),
        required=False,
    )


class ConfirmForm(forms.Form):
    preview = forms.IntegerField(widget=forms.HiddenInput)
    skip_problems = forms.BooleanField(widget=forms.HiddenInput, required=False)


#: How many entries with problems the summary names; the table below lists them all.
NAMED_PROBLEMS = 20


def _editor(request: HttpRequest) -> User:
    if not request.user.has_perm("glossary.edit_draft"):
        raise PermissionDenied
    assert isinstance(request.user, User)  # an editor, so not the anonymous user
    return request.user


def _context(request: HttpRequest, model_admin: admin.ModelAdmin, title: str) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
    }


def _job_url(job: Job) -> str:
    return reverse("admin:glossary_concept_import_job", args=[job.pk])


def import_view(request: HttpRequest, *, model_admin: admin.ModelAdmin) -> HttpResponse:
    """The upload form; a valid upload queues its preview and goes to the job's page."""
    user = _editor(request)
    if request.method == "POST" and "preview" in request.POST:
        return _confirm(request, user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_size(upload.size)
        except ImportRefused as exc:
            form.add_error(
                "file",
                _("The file was refused, nothing changed: %(reason)s") % {"reason": exc.message},
            )
        else:
            job = jobs.import_queue(
                owner=user,
                data=upload.read(),
                fmt=form.cleaned_data["format"],
                filename=upload.name or "",
                skip_problems=form.cleaned_data["skip_problems"],
            )
            return HttpResponseRedirect(_job_url(job))
    context = _context(request, model_admin, _("Import a glossary file"))
    return TemplateResponse(request, "admin/glossary/import.html", {**context, "form": form})


def _confirm(request: HttpRequest, user: User) -> HttpResponse:
    confirm = ConfirmForm(request.POST)
    preview = None
    if confirm.is_valid():
        preview = Job.objects.filter(
            pk=confirm.cleaned_data["preview"], owner=user, kind=JobKind.IMPORT_PREVIEW
        ).first()
    try:
        if preview is None:
            raise services.JobError(_("That preview is not yours; upload the file again."))
        job = jobs.import_confirm(
            preview=preview, owner=user, skip_problems=confirm.cleaned_data["skip_problems"]
        )
    except services.JobError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("admin:glossary_concept_import"))
    return HttpResponseRedirect(_job_url(job))


def job_view(request: HttpRequest, pk: int, *, model_admin: admin.ModelAdmin) -> HttpResponse:
    """An import job's page: its progress while it runs, its report once it has finished."""
    user = _editor(request)
    job = get_object_or_404(Job.objects.select_related("owner"), pk=pk)
    if job.owner_id != user.pk and not user.is_superuser:
        raise PermissionDenied
    job = services.job_reap(job=job)  # a job whose worker stopped shows as failed
    report = jobs.report_of(job) if job.state == JobState.DONE else None
    preview = job.kind == JobKind.IMPORT_PREVIEW
    can_confirm = (
        preview
        and report is not None
        and job.owner_id == user.pk
        and bool(job.data)
        and not (report.has_problems and not report.skip_problems)
    )
    can_skip = (
        preview
        and report is not None
        and job.owner_id == user.pk
        and bool(job.data)
        and report.has_problems
        and not report.skip_problems
        and any(entry.status not in PROBLEMS for entry in report.entries)
    )
    progress = services.job_progress(job)
    filename = job.params.get("filename", "")
    entries, outcome, problems = [], "", []
    if report is not None:
        outcome = request.GET.get("outcome", "")
        if outcome not in STATUS_LABELS:
            outcome = ""
        entries = [e for e in report.entries if not outcome or e.status == outcome]
        problems = [e for e in report.entries if e.status in PROBLEMS]
    context = _context(request, model_admin, _("Import %(file)s") % {"file": filename})
    return TemplateResponse(
        request,
        "admin/glossary/import_report.html",
        {
            **context,
            "job": job,
            "progress": progress,
            "time_left": time_left_text(progress.seconds_left),
            "refused": (job.report or {}).get("refused", ""),
            "can_cancel": job.owner_id == user.pk and not job.is_finished,
            "report": report,
            "filename": filename,
            "preview": preview,
            "confirm": ConfirmForm(initial={"preview": job.pk}) if can_confirm else None,
            "skip": ConfirmForm(initial={"preview": job.pk, "skip_problems": True})
            if can_skip
            else None,
            "entries": entries,
            "separator": pgettext("between phrases of a list", "; "),
            "outcome": outcome,
            "outcomes": _outcomes(report) if report is not None else [],
            "problems": problems[:NAMED_PROBLEMS],
            "more_problems": max(0, len(problems) - NAMED_PROBLEMS),
        },
    )


def _outcomes(report: ImportReport) -> list[tuple[str, str, int]]:
    """(status, label, how many) of each outcome the report holds, for its filter links."""
    counts = report.counts()
    return [(status, str(label), counts[status]) for status, label in STATUS_LABELS.items()]


def time_left_text(seconds: int | None) -> str:
    """A job's time left, in words for its page ("" when it cannot be told)."""
    if seconds is None:
        return ""
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = round(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@require_POST
def job_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an import job for its owner; its work is rolled back."""
    user = _editor(request)
    job = get_object_or_404(Job, pk=pk)
    try:
        services.job_cancel(job=job, user=user)
    except services.JobError as exc:
        messages.error(request, str(exc))
    else:
        if job.kind in (JobKind.IMPORT_PREVIEW, JobKind.IMPORT):
            messages.info(request, _("Cancelling: whatever the job had done is rolled back."))
    if job.kind not in (JobKind.IMPORT_PREVIEW, JobKind.IMPORT):
        # Other jobs (release cuts, builds) have their page in the jobs list.
        return HttpResponseRedirect(reverse("admin:glossary_job_change", args=[job.pk]))
    return HttpResponseRedirect(_job_url(job))
