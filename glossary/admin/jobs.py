"""The jobs list: each person's long work (imports, …) with its progress, newest first."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from glossary.admin.paging import LookaheadAdmin
from glossary.admin.records import ReadOnlyAdmin
from glossary.core import services
from glossary.core.models import Job, JobKind, Release


@admin.register(Job)
class JobAdmin(LookaheadAdmin, ReadOnlyAdmin):
    """An editor sees their own jobs (a superuser everyone's); each opens on its own page."""

    list_display = ["__str__", "file", "state", "progress", "created", "finished", "owner"]
    list_filter = ["state", "kind"]
    list_display_links = None

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("glossary.edit_draft") and (
            obj is None or obj.owner_id == request.user.pk or request.user.is_superuser
        )

    def has_module_permission(self, request):
        return request.user.has_perm("glossary.edit_draft")

    def get_queryset(self, request):
        jobs = super().get_queryset(request).select_related("owner").defer("data", "report")
        return jobs if request.user.is_superuser else jobs.filter(owner=request.user)

    @admin.display(description=_("file or release"))
    def file(self, job: Job):
        url = reverse("admin:glossary_job_change", args=[job.pk])
        return format_html(
            '<a href="{}">{}</a>', url, job.params.get("filename") or job.params.get("name", "")
        )

    @admin.display(description=_("progress"))
    def progress(self, job: Job):
        progress = services.job_progress(job)
        return f"{progress.done} / {progress.total} ({progress.percent}%)"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A job's page: an import's is the import page's own; others are shown here."""
        job = self.get_object(request, object_id)
        if job is None or not self.has_view_permission(request, job):
            return super().change_view(request, object_id, form_url, extra_context)
        if job.kind != JobKind.RELEASE_CUT:
            return HttpResponseRedirect(reverse("admin:glossary_concept_import_job", args=[job.pk]))
        report = job.report or {}
        return TemplateResponse(
            request,
            "admin/glossary/job.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": str(job),
                "job": job,
                "progress": services.job_progress(job),
                "refused": report.get("refused", ""),
                "can_cancel": job.owner_id == request.user.pk and not job.is_finished,
                "release": Release.objects.filter(pk=report.get("release")).first()
                if report.get("release")
                else None,
            },
        )
