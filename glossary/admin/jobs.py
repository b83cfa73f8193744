"""The jobs list: each person's long work (imports, …) with its progress, newest first.

Administrators also queue the site's own builds from it (the term index, the export files), and
see the builds the site queued itself after a publication. Showing a job reaps it first: a
running job whose worker stopped is stored as failed (``services.job_reap``).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from glossary.admin.paging import LookaheadAdmin
from glossary.admin.records import ReadOnlyAdmin
from glossary.core import services, tasks
from glossary.core.models import Job, JobKind, JobState, Release
from glossary.exchange import export_files, formats
from glossary.exchange.admin_page import time_left_text

#: The builds an administrator may queue from the jobs list.
BUILDS = ("term-index", "term-index-missing", "export-files")


@admin.register(Job)
class JobAdmin(LookaheadAdmin, ReadOnlyAdmin):
    """An editor sees their own jobs (a superuser everyone's); each opens on its own page."""

    list_display = ["__str__", "file", "state", "progress", "created", "finished", "owner"]
    list_filter = ["state", "kind"]
    list_display_links = None
    change_list_template = "admin/glossary/job/change_list.html"

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.has_perm("glossary.edit_draft") and (
            obj is None
            or obj.owner_id == user.pk
            or user.is_superuser
            or (obj.owner_id is None and tasks.may_build(user))
        )

    def has_module_permission(self, request):
        return request.user.has_perm("glossary.edit_draft")

    def get_queryset(self, request):
        jobs = super().get_queryset(request).select_related("owner").defer("data", "report")
        if request.user.is_superuser:
            return jobs
        if tasks.may_build(request.user):
            return jobs.filter(Q(owner=request.user) | Q(owner__isnull=True))
        return jobs.filter(owner=request.user)

    @admin.display(description=_("file or release"))
    def file(self, job: Job):
        url = reverse("admin:glossary_job_change", args=[job.pk])
        name = job.params.get("filename") or job.params.get("name") or job.get_kind_display()
        return format_html('<a href="{}">{}</a>', url, name)

    def get_urls(self):
        return [
            path(
                "build/<slug:what>/",
                self.admin_site.admin_view(self.build_view),
                name="glossary_job_build",
            ),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        services.jobs_reap()
        extra_context = {
            **(extra_context or {}),
            "builds": tasks.may_build(request.user),
            "export_files": export_files.enabled(),
        }
        return super().changelist_view(request, extra_context)

    def build_view(self, request, what: str):
        """POST: queue a build of the term index (all of it, or what is missing) or of the
        export files; administrators only."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not tasks.may_build(request.user) or what not in BUILDS:
            raise PermissionDenied
        if what == "export-files":
            job = export_files.queue(owner=request.user)
            if job is None:
                messages.info(request, gettext("A build of the export files is already queued."))
                return HttpResponseRedirect(reverse("admin:glossary_job_changelist"))
        else:
            job = tasks.term_index_queue(
                user=request.user, only_lacking=what == "term-index-missing"
            )
        return HttpResponseRedirect(reverse("admin:glossary_job_change", args=[job.pk]))

    @admin.display(description=_("progress"))
    def progress(self, job: Job):
        progress = services.job_progress(job)
        return f"{progress.done} / {progress.total} ({progress.percent}%)"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A job's page: an import's is the import page's own; others are shown here."""
        job = self.get_object(request, object_id)
        if job is None or not self.has_view_permission(request, job):
            return super().change_view(request, object_id, form_url, extra_context)
        if job.kind in (JobKind.IMPORT_PREVIEW, JobKind.IMPORT):
            return HttpResponseRedirect(reverse("admin:glossary_concept_import_job", args=[job.pk]))
        job = services.job_reap(job=job)
        report = job.report or {}
        files = []
        if job.kind == JobKind.EXPORT_FILES and job.state == JobState.DONE:
            for name in report.get("files", {}):
                stored = export_files.stored_file(job, name)
                if stored is not None and name in formats.EXPORTS:
                    url = reverse("api:export-file", args=[name, job.pk])
                    files.append((formats.EXPORTS[name].description, stored, url))
        progress = services.job_progress(job)
        return TemplateResponse(
            request,
            "admin/glossary/job.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": str(job),
                "job": job,
                "progress": progress,
                "time_left": time_left_text(progress.seconds_left),
                "refused": report.get("refused", ""),
                "can_cancel": job.owner_id == request.user.pk and not job.is_finished,
                "files": files,
                "release": Release.objects.filter(pk=report.get("release")).first()
                if report.get("release")
                else None,
            },
        )
