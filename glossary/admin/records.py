"""The record, read only: releases, reviews and history events."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from glossary.core import tasks
from glossary.core.models import (
    Event,
    Release,
    Review,
)
from glossary.core.workflow import WorkflowError


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReleaseCutForm(forms.Form):
    name = forms.CharField(
        label=_("name"), max_length=20, help_text=_("year.number, for example 2025.1")
    )
    notes = forms.CharField(label=_("release notes"), widget=forms.Textarea, required=False)


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["name", "created_at", "created_by", "changes"]
    readonly_fields = ["name", "notes", "created_at", "created_by", "previous", "changelog"]
    fields = readonly_fields

    def get_queryset(self, request):
        from django.db.models import Count

        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(
                added=Count("entries", filter=Q(entries__change="added")),
                changed=Count("entries", filter=Q(entries__change="changed")),
                retired=Count("entries", filter=Q(entries__change="retired")),
            )
        )

    def has_add_permission(self, request):
        return request.user.has_perm("glossary.cut_release")

    def add_view(self, request, form_url="", extra_context=None):
        """Cut a release: the form queues the cut as a job and goes to the job's page."""
        if not self.has_add_permission(request):
            return super().add_view(request, form_url, extra_context)  # refused there
        form = ReleaseCutForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = tasks.release_cut_queue(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            except WorkflowError as exc:
                form.add_error(None, exc.message)
            else:
                return HttpResponseRedirect(reverse("admin:glossary_job_change", args=[job.pk]))
        return TemplateResponse(
            request,
            "admin/glossary/release_cut.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Cut a release"),
                "form": form,
            },
        )

    @admin.display(description=_("changes"))
    def changes(self, release):
        return gettext("%(added)d added, %(changed)d changed, %(retired)d retired") % {
            "added": release.added,
            "changed": release.changed,
            "retired": release.retired,
        }

    @admin.display(description=_("changelog"))
    def changelog(self, release):
        entries = release.entries.exclude(change="unchanged").select_related("concept", "version")
        return (
            format_html_join(
                "",
                '<div>{}: <a href="{}">{}</a> v{}</div>',
                (
                    (
                        e.get_change_display(),
                        reverse("admin:glossary_concept_change", args=[e.concept_id]),
                        e.concept.uid,
                        e.version.number,
                    )
                    for e in entries
                ),
            )
            or "—"
        )


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["version", "reviewer", "side", "decision", "created_at"]
    list_filter = ["decision", "side"]
    list_select_related = ["version__concept", "reviewer"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "concept", "version", "action", "actor", "comment"]
    list_filter = ["action"]
    list_select_related = ["concept", "version__concept", "actor"]
