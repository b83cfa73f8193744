"""The record, read only: releases, reviews and history events."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from glossary.admin.paging import LookaheadAdmin
from glossary.core import tasks
from glossary.core.choices import ReleaseChange
from glossary.core.models import (
    Event,
    Release,
    ReleaseEntry,
    Review,
)
from glossary.core.workflow import WorkflowError

#: Concepts of each kind of change that a release's admin page lists.
CHANGELOG_SHOWN = 100


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
    notes = forms.CharField(
        label=_("release notes (English)"), widget=forms.Textarea, required=False
    )
    notes_zh_hans = forms.CharField(
        label=_("release notes (Simplified Chinese)"), widget=forms.Textarea, required=False
    )
    notes_zh_hant = forms.CharField(
        label=_("release notes (Traditional Chinese)"), widget=forms.Textarea, required=False
    )


@admin.register(Release)
class ReleaseAdmin(LookaheadAdmin, ReadOnlyAdmin):
    list_display = ["name", "created_at", "created_by", "changes"]
    readonly_fields = [
        "name",
        "notes_en",
        "notes_zh_hans",
        "notes_zh_hant",
        "created_at",
        "created_by",
        "previous",
        "changelog",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return Release.objects.for_admin_list()

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
        """The first concepts of each kind of change; the release's public page lists them all,
        a page at a time."""
        entries = [
            entry
            for change in (ReleaseChange.ADDED, ReleaseChange.CHANGED, ReleaseChange.RETIRED)
            for entry in ReleaseEntry.objects.for_release_page(release, change)[:CHANGELOG_SHOWN]
        ]
        shown = format_html_join(
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
        if max(release.added, release.changed, release.retired) > CHANGELOG_SHOWN:
            shown += format_html(
                '<div><a href="{}">{}</a></div>',
                reverse("glossary:release", args=[release.name]),
                gettext("Every change, on the release's page"),
            )
        return shown or "—"


@admin.register(Review)
class ReviewAdmin(LookaheadAdmin, ReadOnlyAdmin):
    list_display = ["version", "reviewer", "side", "decision", "created_at"]
    list_filter = ["decision", "side"]
    list_select_related = ["version__concept", "reviewer"]


@admin.register(Event)
class EventAdmin(LookaheadAdmin, ReadOnlyAdmin):
    list_display = ["created_at", "concept", "version", "action", "actor", "comment"]
    list_filter = ["action"]
    list_select_related = ["concept", "version__concept", "actor"]
