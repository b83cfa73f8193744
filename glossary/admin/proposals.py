"""The triage queue of readers' proposals: accept into a draft, merge, or decline with a reason.

Editors (anyone who may edit drafts) see the queue; nobody adds, edits or deletes a proposal
here. Each decision is a service (``glossary.core.services.proposals``) behind a small form on
the proposal's page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from glossary.admin.paging import LookaheadAdmin
from glossary.core import services
from glossary.core.models import Proposal, ProposalKind, ProposalStatus
from glossary.core.models.proposals import REASON_MAX_LENGTH
from glossary.core.services.proposals import suggested_uid
from glossary.core.workflow import WorkflowError

TRIAGE_PERMISSION = "glossary.edit_draft"


class AcceptForm(forms.Form):
    uid = forms.CharField(
        label=gettext_lazy("identifier of the new concept"), max_length=100, required=False
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(label=gettext_lazy("number of the proposal to merge into"))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("reason, told to the proposer"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Proposal)
class ProposalAdmin(LookaheadAdmin):
    list_display = ["number", "kind", "proposed_terms", "concept", "status", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["concept"]
    ordering = ["-created_at", "-pk"]
    fields = [
        "kind",
        "concept",
        "term_en",
        "term_zh_hans",
        "term_zh_hant",
        "definition",
        "definition_language",
        "source",
        "email",
        "language",
        "created_at",
        "status",
        "decided_at",
        "decided_by",
        "reason",
        "merged_into",
        "draft",
    ]
    readonly_fields = fields
    change_form_template = "admin/glossary/proposal/change_form.html"

    @admin.display(description=gettext_lazy("number"), ordering="pk")
    def number(self, obj: Proposal) -> str:
        return f"#{obj.pk}"

    @admin.display(description=gettext_lazy("terms"))
    def proposed_terms(self, obj: Proposal) -> str:
        return " / ".join(t for t in obj.terms() if t) or "—"

    def get_queryset(self, request: HttpRequest) -> Any:
        return Proposal.objects.for_queue()

    def _may_triage(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.has_perm(TRIAGE_PERMISSION)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_triage(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_triage(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/accept/", wrap(self.accept_view), name="glossary_proposal_accept"),
            path("<int:pk>/merge/", wrap(self.merge_view), name="glossary_proposal_merge"),
            path("<int:pk>/decline/", wrap(self.decline_view), name="glossary_proposal_decline"),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        proposal = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if proposal is not None and proposal.status == ProposalStatus.OPEN:
            extra.update(
                {
                    "triage": True,
                    "new_term": proposal.kind == ProposalKind.NEW_TERM,
                    "accept_form": AcceptForm(initial={"uid": suggested_uid(proposal)}),
                    "merge_form": MergeForm(),
                    "decline_form": DeclineForm(),
                }
            )
        return super().change_view(request, object_id, form_url, extra)

    def _proposal(self, request: HttpRequest, pk: int) -> Proposal:
        if not self._may_triage(request):
            raise PermissionError
        return get_object_or_404(Proposal, pk=pk)

    def _back(self, proposal: Proposal) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:glossary_proposal_change", args=[proposal.pk]))

    def _refused(self, request: HttpRequest, proposal: Proposal, exc: Exception) -> HttpResponse:
        if isinstance(exc, ValidationError):
            text = " ".join(exc.messages)
        else:
            text = getattr(exc, "message", str(exc))
        self.message_user(request, text, messages.ERROR)
        return self._back(proposal)

    @staticmethod
    def _form_errors(form: forms.Form) -> str:
        return " ".join(str(m) for errors in form.errors.values() for m in errors)

    def accept_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return require_POST(self._accept)(request, pk)

    def _accept(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self._proposal(request, pk)
        form = AcceptForm(request.POST)
        if not form.is_valid():
            self.message_user(request, self._form_errors(form), messages.ERROR)
            return self._back(proposal)
        try:
            version = services.proposal_accept(
                proposal=proposal, user=request.user, uid=form.cleaned_data["uid"]
            )
        except (ValidationError, WorkflowError) as exc:
            return self._refused(request, proposal, exc)
        self.message_user(
            request,
            _("Proposal #%(number)d accepted: this draft was made from it.")
            % {"number": proposal.pk},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:glossary_conceptversion_change", args=[version.pk])
        )

    def merge_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return require_POST(self._merge)(request, pk)

    def _merge(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self._proposal(request, pk)
        form = MergeForm(request.POST)
        if not form.is_valid():
            self.message_user(request, self._form_errors(form), messages.ERROR)
            return self._back(proposal)
        into = Proposal.objects.filter(pk=form.cleaned_data["into"]).first()
        if into is None:
            self.message_user(
                request,
                _("There is no proposal #%(number)d.") % {"number": form.cleaned_data["into"]},
                messages.ERROR,
            )
            return self._back(proposal)
        try:
            services.proposal_merge(proposal=proposal, into=into, user=request.user)
        except (ValidationError, WorkflowError) as exc:
            return self._refused(request, proposal, exc)
        self.message_user(
            request,
            _("Proposal #%(number)d was merged into #%(into)d.")
            % {"number": proposal.pk, "into": into.pk},
            messages.SUCCESS,
        )
        return self._back(into)

    def decline_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return require_POST(self._decline)(request, pk)

    def _decline(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self._proposal(request, pk)
        form = DeclineForm(request.POST)
        if not form.is_valid():
            self.message_user(request, self._form_errors(form), messages.ERROR)
            return self._back(proposal)
        try:
            services.proposal_decline(
                proposal=proposal, user=request.user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, WorkflowError) as exc:
            return self._refused(request, proposal, exc)
        self.message_user(
            request, _("Proposal #%(number)d was declined.") % {"number": proposal.pk}
        )
        return HttpResponseRedirect(reverse("admin:glossary_proposal_changelist"))
