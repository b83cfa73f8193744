"""The new-terms radar in the admin: the corpus, the upload page, the ranked candidates and a
candidate's page with its four one-click decisions (draft, proposal, dismiss, watch).

Editors and linguists (whoever may edit drafts) use it; every write is a radar service, and
uploads and rebuilds run on the job queue, their progress on the job's page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from glossary.core.choices import Language
from glossary.core.models import Candidate, CorpusDocument, DecisionStatus
from glossary.core.models.radar import NEW
from glossary.core.workflow import WorkflowError
from glossary.radar import extract, jobs
from glossary.radar import services as radar

DETECT = ""


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("file (PDF, DOCX, HTML or plain text)"))
    title = forms.CharField(label=gettext_lazy("title"), max_length=300)
    origin = forms.CharField(
        label=gettext_lazy("origin or publisher"), max_length=300, required=False
    )
    url = forms.URLField(
        label=gettext_lazy("URL"), max_length=1000, required=False, assume_scheme="https"
    )
    published = forms.DateField(
        label=gettext_lazy("date published"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("language"),
        required=False,
        choices=[(DETECT, gettext_lazy("detect from the text")), *Language.choices],
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("aligned partner (the other side of an English–Chinese pair)"),
        queryset=CorpusDocument.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = CorpusDocument.objects.filter(  # type: ignore[attr-defined]
            partner__isnull=True
        ).only("pk", "title")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > extract.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": extract.MAX_BYTES // (1024 * 1024)}
            )
        return upload


class _RadarAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return radar.may_use(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return radar.may_use(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CorpusDocument)
class CorpusDocumentAdmin(_RadarAdmin):
    list_display = ["title", "language", "published", "origin", "partner", "added_at"]
    list_filter = ["language"]
    list_select_related = ["partner"]
    fields = [
        "title",
        "origin",
        "url",
        "published",
        "language",
        "partner",
        "filename",
        "licence",
        "added_by",
        "added_at",
        "text",
    ]
    readonly_fields = fields
    change_list_template = "admin/glossary/corpusdocument/change_list.html"

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="glossary_corpusdocument_upload"),
            path("rebuild/", wrap(self.rebuild_view), name="glossary_corpusdocument_rebuild"),
            *super().get_urls(),
        ]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not radar.may_use(request.user):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = jobs.document_queue(
                user=request.user,
                data=upload.read(),
                filename=upload.name,
                content_type=upload.content_type or "",
                title=form.cleaned_data["title"],
                origin=form.cleaned_data["origin"],
                url=form.cleaned_data["url"],
                published=form.cleaned_data["published"],
                language=form.cleaned_data["language"],
                partner=form.cleaned_data["partner"],
            )
            return HttpResponseRedirect(reverse("admin:glossary_job_change", args=[job.pk]))
        return TemplateResponse(
            request,
            "admin/glossary/corpusdocument/upload.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Add a document to the radar"),
                "form": form,
                "max_size": extract.MAX_BYTES // (1024 * 1024),
                "max_pages": extract.MAX_PAGES,
            },
        )

    def rebuild_view(self, request: HttpRequest) -> HttpResponse:
        return require_POST(self._rebuild)(request)

    def _rebuild(self, request: HttpRequest) -> HttpResponse:
        try:
            job = jobs.rebuild_queue(user=request.user)
        except WorkflowError as exc:
            raise PermissionDenied from exc
        return HttpResponseRedirect(reverse("admin:glossary_job_change", args=[job.pk]))


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("decision")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            (NEW, gettext_lazy("not decided yet")),
            *DecisionStatus.choices,
            ("all", gettext_lazy("all")),
        ]

    def choices(self, changelist: Any) -> Any:
        for choice in super().choices(changelist):
            if choice["query_string"] == changelist.get_query_string(remove=[self.parameter_name]):
                choice["display"] = _("to decide or watched")
            yield choice

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        if value == "all":
            return queryset
        return queryset.decided(value or "")


@admin.register(Candidate)
class CandidateAdmin(_RadarAdmin):
    list_display = [
        "candidate",
        "language",
        "score",
        "count",
        "document_count",
        "first_seen",
        "translation",
        "decision",
    ]
    list_display_links = None
    list_filter = ["language", StatusFilter]
    list_per_page = 50
    show_full_result_count = False
    search_fields = ["text"]
    change_list_template = "admin/glossary/candidate/change_list.html"

    def get_queryset(self, request: HttpRequest) -> Any:
        return Candidate.objects.for_radar()

    @admin.display(description=gettext_lazy("candidate"), ordering="key")
    def candidate(self, obj: Candidate) -> Any:
        from django.utils.html import format_html

        url = reverse("admin:glossary_candidate_change", args=[obj.pk])
        return format_html('<a href="{}" lang="{}">{}</a>', url, obj.language, obj.text)

    @admin.display(description=gettext_lazy("decision"))
    def decision(self, obj: Candidate) -> str:
        status = getattr(obj, "status", None)
        return str(DecisionStatus(status).label) if status else "—"

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/decide/<slug:action>/",
                wrap(self.decide_view),
                name="glossary_candidate_decide",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not radar.may_use(request.user):
            raise PermissionDenied
        candidate = get_object_or_404(Candidate.objects.for_page(), pk=object_id)
        decision = radar.decision_of(candidate)
        titles = dict(
            CorpusDocument.objects.filter(pk__in=candidate.documents).values_list("pk", "title")
        )
        busiest = max(candidate.months.values(), default=0)
        return TemplateResponse(
            request,
            "admin/glossary/candidate/page.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": candidate.text,
                "candidate": candidate,
                "decision": decision,
                "final": decision is not None
                and decision.status in (DecisionStatus.PROPOSED, DecisionStatus.DRAFTED),
                "months": list(candidate.months.items()),
                "busiest": busiest,
                "documents": [(pk, titles[pk]) for pk in candidate.documents if pk in titles],
                "contexts": [(titles.get(pk, ""), sentence) for pk, sentence in candidate.contexts],
                "uid": radar.suggested_uid(candidate),
            },
        )

    def decide_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        return require_POST(self._decide)(request, pk, action)

    def _decide(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if not radar.may_use(request.user):
            raise PermissionDenied
        candidate = get_object_or_404(Candidate, pk=pk)
        back = HttpResponseRedirect(reverse("admin:glossary_candidate_change", args=[pk]))
        try:
            if action == "draft":
                version = radar.candidate_make_draft(
                    candidate=candidate, user=request.user, uid=request.POST.get("uid", "")
                )
                self.message_user(
                    request,
                    _("A draft concept was made from “%(text)s”.") % {"text": candidate.text},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:glossary_conceptversion_change", args=[version.pk])
                )
            if action == "proposal":
                proposal = radar.candidate_make_proposal(candidate=candidate, user=request.user)
                self.message_user(
                    request,
                    _("Proposal #%(number)d was made from “%(text)s”.")
                    % {"number": proposal.pk, "text": candidate.text},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:glossary_proposal_change", args=[proposal.pk])
                )
            if action == "dismiss":
                radar.candidate_dismiss(candidate=candidate, user=request.user)
                self.message_user(
                    request,
                    _("“%(text)s” was dismissed.") % {"text": candidate.text},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:glossary_candidate_changelist"))
            if action == "watch":
                radar.candidate_watch(candidate=candidate, user=request.user)
                self.message_user(
                    request,
                    _("“%(text)s” is on the watch list.") % {"text": candidate.text},
                    messages.SUCCESS,
                )
                return back
        except (ValidationError, WorkflowError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message
            self.message_user(request, text, messages.ERROR)
            return back
        raise PermissionDenied
