"""Public consultation in the admin: open a version in review for comment, the moderation queue,
closing with a response summary, and the comments beside the diff on the review screen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst, format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from glossary.admin.paging import LookaheadAdmin
from glossary.admin.records import ReadOnlyAdmin
from glossary.core import services
from glossary.core.choices import FIELD_SUFFIX, Language, VersionState
from glossary.core.models import (
    QUESTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    CommentStatus,
    ConceptVersion,
    Consultation,
    ConsultationComment,
)
from glossary.core.services.consultation import today
from glossary.core.workflow import WorkflowError
from glossary.http.input_guard import checks_own_form

#: Approved comments shown beside the diff on the review screen (the newest; the rest are one
#: click away in the moderation list).
REVIEW_COMMENTS = 30

_LANGUAGES = [(code, label) for code, label in Language.choices]


def _text(what: Any, language: str, limit: int) -> forms.CharField:
    """One language's text of the question or the response ("question to readers · English")."""
    return forms.CharField(
        label=format_lazy("{} · {}", capfirst(what), Language(language).label),
        required=False,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OpenForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages of the call"),
        choices=_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The question is written in each of them; readers may comment in any."),
    )
    closes_on = forms.DateField(
        label=_("Comments close on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Comments are taken until the end of this day."),
    )
    question_en = _text(_("question to readers"), Language.EN, QUESTION_MAX_LENGTH)
    question_zh_hans = _text(_("question to readers"), Language.ZH_HANS, QUESTION_MAX_LENGTH)
    question_zh_hant = _text(_("question to readers"), Language.ZH_HANT, QUESTION_MAX_LENGTH)


class CloseForm(forms.Form):
    summary_en = _text(_("response summary"), Language.EN, SUMMARY_MAX_LENGTH)
    summary_zh_hans = _text(_("response summary"), Language.ZH_HANS, SUMMARY_MAX_LENGTH)
    summary_zh_hant = _text(_("response summary"), Language.ZH_HANT, SUMMARY_MAX_LENGTH)


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@admin.register(Consultation)
class ConsultationAdmin(LookaheadAdmin, ReadOnlyAdmin):
    list_display = ["version", "closes_on", "state", "opened_by", "opened_at", "comments_link"]
    list_select_related = ["version__concept", "opened_by"]
    fields = [
        "version",
        "revision",
        "question_en",
        "question_zh_hans",
        "question_zh_hant",
        "languages",
        "closes_on",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
        "summary_en",
        "summary_zh_hans",
        "summary_zh_hant",
    ]
    readonly_fields = fields
    change_form_template = "admin/glossary/consultation/change_form.html"

    @admin.display(description=_("state"))
    def state(self, obj: Consultation) -> str:
        if obj.closed_at:
            return gettext("Closed, with a response")
        if obj.is_open(today()):
            return gettext("Open for comment")
        return gettext("Closed, response to come")

    @admin.display(description=_("comments"))
    def comments_link(self, obj: Consultation) -> str:
        url = reverse("admin:glossary_consultationcomment_changelist")
        return format_html(
            '<a href="{}?consultation__id__exact={}">{}</a>', url, obj.pk, gettext("comments")
        )

    def get_urls(self):
        return [
            # Both forms say beside the field that a text holds a control character, and keep
            # what was typed (the service checks every text).
            path(
                "open/<int:version_pk>/",
                checks_own_form(self.admin_site.admin_view(self.open_view)),
                name="glossary_consultation_open",
            ),
            path(
                "<int:pk>/close/",
                checks_own_form(self.admin_site.admin_view(self.close_view)),
                name="glossary_consultation_close",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        consultation = get_object_or_404(Consultation, pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "may_close": consultation.closed_at is None
            and request.user.has_perm("glossary.open_consultation"),
            "public_url": reverse("glossary:consultation", args=[consultation.pk]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _page(self, request, template: str, context: dict[str, Any]) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, **context},
            status=400 if context["form"].errors else 200,
        )

    def open_view(self, request, version_pk: int):
        """Open a version in review for public comment."""
        if not request.user.has_perm("glossary.open_consultation"):
            raise PermissionDenied
        version = get_object_or_404(ConceptVersion.objects.select_related("concept"), pk=version_pk)
        back = reverse("admin:glossary_conceptversion_change", args=[version.pk])
        form = OpenForm(request.POST or None, initial={"languages": list(Language.values)})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                consultation = services.consultation_open(
                    version=version,
                    user=request.user,
                    questions={
                        code: data[f"question_{FIELD_SUFFIX[code]}"] for code in Language.values
                    },
                    languages=data["languages"],
                    closes_on=data["closes_on"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            except WorkflowError as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(back)
            else:
                messages.success(
                    request,
                    gettext("Version %(n)d is open for public comment until %(date)s.")
                    % {"n": version.number, "date": consultation.closes_on.isoformat()},
                )
                return HttpResponseRedirect(back)
        return self._page(
            request,
            "admin/glossary/consultation/open.html",
            {
                "form": form,
                "version": version,
                "back": back,
                "title": gettext("Open version %(n)d of %(uid)s for public comment")
                % {"n": version.number, "uid": version.concept.uid},
            },
        )

    def close_view(self, request, pk: int):
        """Close a consultation with the editors' response summary."""
        if not request.user.has_perm("glossary.open_consultation"):
            raise PermissionDenied
        consultation = get_object_or_404(Consultation.objects.for_page(), pk=pk)
        back = reverse("admin:glossary_consultation_change", args=[pk])
        form = CloseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.consultation_close(
                    consultation=consultation,
                    user=request.user,
                    summaries={
                        code: form.cleaned_data[f"summary_{FIELD_SUFFIX[code]}"]
                        for code in Language.values
                    },
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            except WorkflowError as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(back)
            else:
                messages.success(request, gettext("The consultation is closed with your response."))
                return HttpResponseRedirect(back)
        return self._page(
            request,
            "admin/glossary/consultation/close.html",
            {
                "form": form,
                "consultation": consultation,
                "back": back,
                "title": gettext("Close the consultation on %(version)s")
                % {"version": consultation.version},
            },
        )


class StatusFilter(admin.SimpleListFilter):
    """Waiting comments first: the queue is what a moderator opens the list for."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*CommentStatus.choices, ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or CommentStatus.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or CommentStatus.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(ConsultationComment)
class ConsultationCommentAdmin(LookaheadAdmin, ReadOnlyAdmin):
    list_display = ["excerpt", "name", "side", "email", "consultation", "status", "created_at"]
    list_select_related = ["consultation__version__concept"]
    list_filter = [StatusFilter]
    ordering = ["created_at", "id"]
    actions = ["approve_selected", "reject_selected"]
    fields = [
        "consultation",
        "name",
        "email",
        "side",
        "text",
        "status",
        "created_at",
        "moderated_by",
        "moderated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("comment"))
    def excerpt(self, obj: ConsultationComment) -> str:
        return Truncator(obj.text).chars(200)

    def has_moderate_permission(self, request) -> bool:
        return request.user.has_perm("glossary.moderate_comment")

    def _moderate(self, request, queryset, status: str) -> None:
        try:
            changed = services.comments_moderate(
                comments=list(queryset), user=request.user, status=status
            )
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return
        if status == CommentStatus.APPROVED:
            text = ngettext("%(n)d comment is now shown.", "%(n)d comments are now shown.", changed)
        else:
            text = ngettext("%(n)d comment rejected.", "%(n)d comments rejected.", changed)
        messages.success(request, text % {"n": changed})

    @admin.action(description=_("Show the selected comments"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.APPROVED)

    @admin.action(description=_("Reject the selected comments"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.REJECTED)


def review_context(request, version: ConceptVersion) -> dict[str, Any]:
    """What the review screen shows of the version's consultation: the consultation, its newest
    approved comments (beside the diff), and whether this person may open one (two queries at
    most)."""
    consultation = Consultation.objects.filter(version=version).first()
    comments: list[ConsultationComment] = []
    if consultation is not None:
        comments = list(
            ConsultationComment.objects.filter(
                consultation=consultation, status=CommentStatus.APPROVED
            ).order_by("-created_at", "-id")[: REVIEW_COMMENTS + 1]
        )
    return {
        "consultation": consultation,
        "consultation_comments": comments[:REVIEW_COMMENTS],
        "consultation_more": len(comments) > REVIEW_COMMENTS,
        "may_open_consultation": consultation is None
        and version.state == VersionState.IN_REVIEW
        and request.user.has_perm("glossary.open_consultation"),
    }
