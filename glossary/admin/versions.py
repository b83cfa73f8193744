"""Concept versions: the draft form with its terms, citations and relations, and the review screen."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import (
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from glossary.admin.concepts import ConceptAdmin
from glossary.admin.consultation import review_context
from glossary.admin.forms import (
    SUBMIT_BUTTON,
    SUGGESTION_FIELD,
    SUGGESTION_MAX_LENGTH,
    ChildForm,
    TermForm,
    TermFormSet,
    VersionForm,
)
from glossary.admin.inbox import LIST_TITLES, inbox_keys, inbox_versions
from glossary.admin.paging import LookaheadAdmin
from glossary.admin.rounds import cited_round, recent_rounds
from glossary.admin.suggestions import (
    SUGGESTION_REGIONS,
    orphaned_conversions,
    suggest_traditional,
    suggestions_for,
    term_suggestions,
    traditional_suggestions,
)
from glossary.core import services, workflow
from glossary.core.choices import (
    FIELD_SUFFIX,
    Agreement,
    EventAction,
    Language,
    Maturity,
    ReviewDecision,
    VersionState,
)
from glossary.core.diff import diff_versions
from glossary.core.fields import TERM_FIELDS, translated_field_names
from glossary.core.models import (
    Citation,
    ConceptVersion,
    Relation,
    Rendering,
    Term,
)
from glossary.core.services import (
    RENDERING_FIELDS,
    CitationData,
    DraftData,
    RelationData,
    RenderingData,
    TermData,
)
from glossary.core.workflow import WorkflowError

_SUFFIXES = tuple(FIELD_SUFFIX.values())


def _side_by_side(opts: dict) -> dict:
    """The three language versions of each text field in one row (English, 简体, 繁體)."""
    fields: list = []
    for name in opts["fields"]:
        stem = _stem(name)
        if stem != name and fields:
            last = fields[-1]
            group = last if isinstance(last, tuple) else (last,)
            if all(isinstance(f, str) and f != stem and _stem(f) == stem for f in group):
                fields[-1] = (*group, name)
                continue
        fields.append(name)
    classes = list(opts.get("classes", []))
    if any(isinstance(f, tuple) for f in fields):
        classes.append("glossary-langs")
    return {**opts, "fields": fields, "classes": classes}


def _stem(name: str) -> str:
    """definition_zh_hant -> definition; note_en -> note; anything else unchanged."""
    for suffix in _SUFFIXES:
        if name.endswith(f"_{suffix}"):
            return name.removesuffix(f"_{suffix}")
    return name


class WaitingForMeFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("me", _("Waiting for my review"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset & ConceptVersion.objects.waiting_for(request.user)
        return queryset


class InboxFilter(admin.SimpleListFilter):
    """The lists of the admin home's inbox, each in full (their "all" links come here)."""

    title = _("my inbox")
    parameter_name = "inbox"

    def lookups(self, request, model_admin):
        return [(key, LIST_TITLES[key]) for key in inbox_keys(request.user)]

    def queryset(self, request, queryset):
        if self.value() in inbox_keys(request.user):
            return queryset & inbox_versions(self.value(), request.user)
        return queryset


#: The most versions one bulk action submits (a whole import's drafts, across the list's pages).
BULK_LIMIT = 2000

#: Versions per page of the review queue, each shown with its whole diff.
QUEUE_PAGE = 50


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _label(version: ConceptVersion) -> str:
    return f"{version.concept.uid} v{version.number}"


def _not_a_draft(version: ConceptVersion) -> str:
    return gettext("Not changed, %(version)s: it is %(state)s, not a draft.") % {
        "version": _label(version),
        "state": version.get_state_display(),
    }


class AssessmentForm(forms.Form):
    """The agreement state and maturity an editor gives a selection of drafts: chosen, never
    defaulted ("not yet assessed" is not offered)."""

    agreement = forms.ChoiceField(
        label=_("Agreement state"),
        choices=[("", "---------")]
        + [c for c in Agreement.choices if c[0] != Agreement.NOT_ASSESSED],
    )
    maturity = forms.ChoiceField(
        label=_("Maturity"),
        choices=[("", "---------")]
        + [c for c in Maturity.choices if c[0] != Maturity.NOT_ASSESSED],
    )


def _message_of(exc: Exception) -> str:
    return exc.message if isinstance(exc, WorkflowError) else " ".join(exc.messages)  # type: ignore[attr-defined]


def submit_batch(versions, user):  # noqa: ANN001, ANN201
    """Submit what can be submitted; (submitted versions, [(refused version, why)])."""
    return _batch(lambda batch: services.versions_submit(versions=batch, user=user), versions)


def approve_batch(versions, user, seen, comment):  # noqa: ANN001, ANN201
    """Approve what can be approved, each as the reviewer saw it; as ``submit_batch``."""
    return _batch(
        lambda batch: services.versions_approve(
            versions=batch, user=user, comment=comment, seen=seen
        ),
        versions,
    )


def _batch(run, versions):  # noqa: ANN001, ANN202
    """Run a batch service; when it refuses some, leave those out and run it on the rest once."""
    try:
        return run(versions), []
    except services.BatchError as exc:
        refused = [(versions[i], _message_of(error)) for i, error in sorted(exc.errors.items())]
        rest = [v for i, v in enumerate(versions) if i not in exc.errors]
    if not rest:
        return [], refused
    try:
        return run(rest), refused
    except services.BatchError as exc:
        # Something changed in between (another reviewer acted): report those too, write none.
        refused += [(rest[i], _message_of(error)) for i, error in sorted(exc.errors.items())]
        return [], refused


def latest_comments(reviews: list) -> list:
    """The commented reviews of the latest round that has any, for the top of the draft."""
    commented = [review for review in reviews if review.comment.strip()]
    if not commented:
        return []
    last_round = max(review.review_round for review in commented)
    return [review for review in commented if review.review_round == last_round]


class DraftChildInline(admin.TabularInline):
    extra = 0
    form = ChildForm
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 28})},
    }

    def _editable(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.state == VersionState.DRAFT
            and request.user.has_perm("glossary.edit_draft")
        )

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("glossary.view_conceptversion")


class TermInline(DraftChildInline):
    model = Term
    form = TermForm
    formset = TermFormSet
    fields = [*TERM_FIELDS, "source"]
    autocomplete_fields = ["source"]
    extra = 1

    def get_fields(self, request, obj=None):
        if self._editable(request, obj):
            return [*self.fields, "reviewed", "suggested"]
        return [*self.fields, "machine_converted"]


class CitationInline(DraftChildInline):
    model = Citation
    fields = ["source", "locator", "quote", "quote_language"]
    autocomplete_fields = ["source"]


class RenderingInline(DraftChildInline):
    model = Rendering
    fields = list(RENDERING_FIELDS)
    autocomplete_fields = ["authority"]


class RelationInline(DraftChildInline):
    model = Relation
    fk_name = "version"
    fields = ["kind", "target"]
    autocomplete_fields = ["target"]


@admin.register(ConceptVersion)
class ConceptVersionAdmin(LookaheadAdmin, TranslationAdmin):
    form = VersionForm
    list_display = ["concept", "number", "state", "author", "updated_at", "submitted_at"]
    list_filter = [InboxFilter, WaitingForMeFilter, "state"]
    actions = ["submit_selected", "assess_selected"]
    list_select_related = ["concept", "author"]
    search_fields = ["concept__uid"]
    inlines = [TermInline, CitationInline, RenderingInline, RelationInline]
    change_form_template = "admin/glossary/conceptversion/change_form.html"
    fieldsets = [
        (None, {"fields": ["loaded_revision", "definition"]}),
        (
            _("Usage on each side"),
            {"fields": ["us_usage", "cn_usage", "agreement", "agreement_note"]},
        ),
        (
            _("About the concept"),
            {"fields": ["note", "maturity", "first_attested", "domain_choices"]},
        ),
    ]

    class Media:
        js = ["glossary/traditional.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.is_retirement:
            fieldsets = [(_("Retirement"), {"fields": ["retirement_reason"]}), *fieldsets]
        if self._editable(request, obj):
            # The "reviewed" box right after each zh-Hant field holding a machine conversion.
            suggested = traditional_suggestions(obj)
            fieldsets = [
                (
                    name,
                    {
                        **opts,
                        "fields": [
                            shown
                            for f in opts["fields"]
                            for shown in ([f, f"reviewed_{f}"] if f in suggested else [f])
                        ],
                    },
                )
                for name, opts in fieldsets
            ]
        elif obj is not None and obj.machine_converted_fields:
            fieldsets = [*fieldsets, (_("Traditional Chinese"), {"fields": ["unreviewed_list"]})]
        fieldsets = [(name, _side_by_side(opts)) for name, opts in fieldsets]
        if not self._editable(request, obj):
            shown = {"loaded_revision": None, "domain_choices": "domain_list"}
            fieldsets = [
                (
                    name,
                    {
                        **opts,
                        "fields": [shown.get(f, f) for f in opts["fields"] if shown.get(f, f)],
                    },
                )
                for name, opts in fieldsets
            ]
        return fieldsets

    def _editable(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.state == VersionState.DRAFT
            and request.user.has_perm("glossary.edit_draft")
        )

    def get_readonly_fields(self, request, obj=None):
        return ["retirement_reason", "domain_list", "unreviewed_list"]

    @admin.display(description=_("machine-converted, not reviewed"))
    def unreviewed_list(self, version):
        labels = [
            str(ConceptVersion._meta.get_field(name).verbose_name)
            for name in version.machine_converted_fields or []
        ]
        return ", ".join(labels) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("concept", "author")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("glossary.edit_draft")
        return self._editable(request, obj)

    @admin.display(description=pgettext_lazy("subject field", "domains"))
    def domain_list(self, version):
        return ", ".join(str(d) for d in version.domains.all())

    def save_model(self, request, obj, form, change):
        # The service writes the version and its rows together in save_related.
        return

    def construct_change_message(self, request, form, formsets, add=False):
        # The formsets were not saved row by row (the service replaced the draft's content).
        return [{"changed": {"fields": sorted(form.changed_data) or ["content"]}}]

    def save_related(self, request, form, formsets, change):
        rows = {
            fs.model: [
                f.cleaned_data
                for f in fs.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            for fs in formsets
        }
        data = DraftData(
            texts={
                name: form.cleaned_data.get(name) or ""
                for name in translated_field_names()
                if name in form.cleaned_data
            },
            agreement=form.cleaned_data["agreement"],
            maturity=form.cleaned_data["maturity"],
            first_attested=form.cleaned_data.get("first_attested") or "",
            domains=list(form.cleaned_data.get("domain_choices") or []),
            terms=self._submitted_terms(request, rows.get(Term, [])),
            machine_converted_fields=getattr(form, "machine_converted_fields", []),
            citations=[
                CitationData(
                    source=row["source"],
                    locator=row.get("locator") or "",
                    quote=row.get("quote") or "",
                    quote_language=row.get("quote_language") or "",
                )
                for row in rows.get(Citation, [])
            ],
            relations=[
                RelationData(kind=row["kind"], target=row["target"])
                for row in rows.get(Relation, [])
            ],
            renderings=[
                RenderingData(
                    **{
                        name: row.get(name) or ""
                        for name in RENDERING_FIELDS
                        if name != "authority"
                    },
                    authority=row["authority"],
                )
                for row in rows.get(Rendering, [])
            ],
        )
        revision = form.cleaned_data.get("loaded_revision")
        version = ConceptVersion.objects.get(pk=form.instance.pk)
        services.draft_update(
            version=version,
            user=request.user,
            data=data,
            expected_revision=revision if revision is not None else version.revision,
        )

    def _submitted_terms(self, request, rows: list[dict]) -> list[TermData]:
        """The terms as submitted, less unreviewed conversions of Simplified terms no longer
        there, plus the suggested Traditional term the editor took with its button (if any)."""
        terms = [
            TermData(
                **{
                    k: row.get(k) or ("" if k != "source" else None)
                    for k in (*TERM_FIELDS, "source")
                    if k != "in_sense_only"
                },
                in_sense_only=bool(row.get("in_sense_only")),
                machine_converted=bool(row.get("machine_converted")),
            )
            for row in rows
        ]
        orphans = {id(term) for term in orphaned_conversions(terms)}
        terms = [term for term in terms if id(term) not in orphans]
        wanted = request.POST.get(SUGGESTION_FIELD)
        if wanted:
            # Recomputed from what was submitted: a suggestion whose source was just removed
            # or renamed is not taken.
            match = next((s for s in suggestions_for(terms) if s.value == wanted), None)
            request.glossary_taken = match
            if match is not None:
                terms.append(
                    TermData(
                        language=Language.ZH_HANT,
                        text=match.text,
                        status=match.status,
                        machine_converted=True,
                    )
                )
        return terms

    def response_change(self, request, obj):
        """Every button of the draft form saves first, then stays on the draft."""
        here = HttpResponseRedirect(reverse("admin:glossary_conceptversion_change", args=[obj.pk]))
        if SUGGESTION_FIELD in request.POST:
            taken = getattr(request, "glossary_taken", None)
            if taken is None:
                messages.warning(
                    request,
                    gettext(
                        "Your changes were saved, but that suggestion no longer applies (its "
                        "Simplified term changed); see the suggestions as they are now."
                    ),
                )
            else:
                messages.success(
                    request,
                    gettext(
                        "Saved, and %(text)s added as a Traditional term, marked "
                        "machine-converted until a linguist ticks Reviewed."
                    )
                    % {"text": taken.text},
                )
            return here
        if SUBMIT_BUTTON in request.POST:
            version = ConceptVersion.objects.get(pk=obj.pk)
            note = request.POST.get("change_note", "")
            submitted = ConceptAdmin._run(
                request,
                lambda: services.version_submit(version=version, user=request.user, comment=note),
                gettext("Your changes were saved and the version was submitted for review."),
            )
            if not submitted:
                messages.warning(
                    request, gettext("Your changes were saved; the draft was not submitted.")
                )
            return here
        if "_save" in request.POST:
            # Save returns to the draft, not to the list of all versions.
            messages.success(request, gettext("Saved. You are still on the draft."))
            return here
        return super().response_change(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (WorkflowError, ValidationError) as exc:
            # A race the form's own checks could not see (someone saved in between): nothing
            # was written, because the whole save ran in one transaction.
            message = exc.message if isinstance(exc, WorkflowError) else " ".join(exc.messages)
            messages.error(request, message)
            return HttpResponseRedirect(request.get_full_path())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = get_object_or_404(
            ConceptVersion.objects.with_content().select_related("concept__public_version"),
            pk=object_id,
        )
        published = version.concept.public_version
        compare_to = None
        if published and published.pk != version.pk:
            compare_to = ConceptVersion.objects.with_content().get(pk=published.pk)
        elif version.based_on_id:
            compare_to = ConceptVersion.objects.with_content().get(pk=version.based_on_id)
        approvals = [
            r
            for r in version.reviews.select_related("reviewer")
            if r.review_round == version.review_round and r.decision == ReviewDecision.APPROVE
        ]
        user = request.user
        reviews = list(version.reviews.select_related("reviewer").order_by("created_at", "id"))
        extra_context = {
            **(extra_context or {}),
            "version": version,
            "diff": diff_versions(compare_to, version)
            if compare_to or version.number == 1
            else None,
            "compare_to": compare_to,
            "reviews": reviews,
            "latest_comments": latest_comments(reviews),
            "events": version.events.select_related("actor").order_by("created_at", "id"),
            "approvals": approvals,
            "outstanding": workflow.policy().outstanding(approvals)
            if version.state == VersionState.IN_REVIEW
            else [],
            "problems": workflow.completeness_problems(version)
            if version.state == VersionState.DRAFT
            else [],
            "may_submit": self._editable(request, version)
            and user.has_perm("glossary.submit_version"),
            "submit_button": SUBMIT_BUTTON,
            "suggestion_field": SUGGESTION_FIELD,
            "term_suggestions": term_suggestions(version)
            if version.state == VersionState.DRAFT
            else [],
            "change_note": self._change_note(version),
            "may_approve": workflow.may(
                workflow.check_review, user, version, ReviewDecision.APPROVE
            ),
            "may_request_changes": workflow.may(
                workflow.check_review, user, version, ReviewDecision.REQUEST_CHANGES
            ),
            "may_withdraw": workflow.may(workflow.check_withdraw, user, version),
            "dialogue_rounds": recent_rounds(),
            # Public consultation: its comments beside the diff.
            **review_context(request, version),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _change_note(version: ConceptVersion):
        """The editor's "why this version", from the submission that opened this review."""
        if version.state == VersionState.DRAFT and version.review_round == 0:
            return None
        return (
            version.events.filter(action=EventAction.SUBMIT)
            .select_related("actor")
            .order_by("-created_at", "-id")
            .first()
        )

    @admin.action(description=_("Submit the selected drafts for review"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        """Submit each complete draft of the selection; name those refused, with why."""
        versions = list(
            queryset.select_related("concept").order_by("concept__uid", "id")[: BULK_LIMIT + 1]
        )
        if len(versions) > BULK_LIMIT:
            messages.error(
                request,
                gettext(
                    "Nothing was submitted: select at most %(limit)d versions at a time "
                    "(filter the list, for example by domain)."
                )
                % {"limit": BULK_LIMIT},
            )
            return
        submitted, refused = submit_batch(versions, request.user)
        if submitted:
            messages.success(
                request,
                ngettext(
                    "%(count)d draft was submitted for review.",
                    "%(count)d drafts were submitted for review.",
                    len(submitted),
                )
                % {"count": len(submitted)},
            )
        for version, message in refused:
            messages.error(
                request,
                gettext("Not submitted, %(version)s: %(reason)s")
                % {"version": f"{version.concept.uid} v{version.number}", "reason": message},
            )

    @admin.action(
        description=_("Set the agreement state and maturity of the selected drafts"),
        permissions=["assess"],
    )
    def assess_selected(self, request, queryset):
        """An intermediate page (like Django's delete confirmation): the editor chooses the
        agreement state and maturity, sees the drafts it applies to and those it refuses,
        and confirms. Nothing is set without that explicit choice."""
        versions = list(
            queryset.select_related("concept").order_by("concept__uid", "id")[: BULK_LIMIT + 1]
        )
        if len(versions) > BULK_LIMIT:
            messages.error(
                request,
                gettext(
                    "Nothing was changed: select at most %(limit)d versions at a time "
                    "(filter the list, for example by domain)."
                )
                % {"limit": BULK_LIMIT},
            )
            return None
        drafts = [v for v in versions if v.state == VersionState.DRAFT]
        others = [v for v in versions if v.state != VersionState.DRAFT]
        form = AssessmentForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            for version in others:
                messages.error(request, _not_a_draft(version))
            if not drafts:
                return None
            try:
                services.drafts_assess(
                    versions=drafts,
                    user=request.user,
                    agreement=form.cleaned_data["agreement"],
                    maturity=form.cleaned_data["maturity"],
                )
            except services.BatchError as exc:
                for index, error in sorted(exc.errors.items()):
                    messages.error(
                        request,
                        gettext("Nothing was changed, %(version)s: %(reason)s")
                        % {"version": _label(drafts[index]), "reason": _message_of(error)},
                    )
                return None
            messages.success(
                request,
                ngettext(
                    "The agreement state and maturity of %(count)d draft were set.",
                    "The agreement state and maturity of %(count)d drafts were set.",
                    len(drafts),
                )
                % {"count": len(drafts)},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Set the agreement state and maturity"),
            "form": form,
            "drafts": drafts,
            "others": [_not_a_draft(v) for v in others],
            "selected": [v.pk for v in versions],
            "action_name": "assess_selected",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/glossary/assess_selected.html", context)

    def has_assess_permission(self, request):
        return request.user.has_perm("glossary.edit_draft")

    def has_submit_permission(self, request):
        return request.user.has_perm("glossary.submit_version")

    def review_queue_view(self, request):
        """What waits for this reviewer, a page at a time, each with its diff; approve a
        selection in one step, each approval recorded for the exact version shown."""
        if not request.user.has_perm("glossary.review_version"):
            raise PermissionDenied
        if request.method == "POST":
            return self._approve_selection(request)
        page = _page_number(request.GET.get("page"))
        start = (page - 1) * QUEUE_PAGE
        rows = list(
            ConceptVersion.objects.for_review_queue(request.user)[start : start + QUEUE_PAGE + 1]
        )
        has_next = len(rows) > QUEUE_PAGE
        rows = rows[:QUEUE_PAGE]
        compared = {
            v.pk: v
            for v in ConceptVersion.objects.with_content().filter(
                pk__in=[r.concept.public_version_id or r.based_on_id for r in rows]
            )
        }
        items = []
        for version in rows:
            old = compared.get(version.concept.public_version_id or version.based_on_id or 0)
            items.append(
                {"version": version, "compare_to": old, "diff": diff_versions(old, version)}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Review queue"),
            "items": items,
            "page": page,
            "has_next": has_next,
            "side": workflow.side_of(request.user),
        }
        return TemplateResponse(request, "admin/glossary/review_queue.html", context)

    def _approve_selection(self, request):
        seen: dict[int, tuple[int, int]] = {}
        every = request.POST.get("action") == "approve_page"
        for value in request.POST.getlist("shown" if every else "version"):
            try:
                pk, revision, review_round = (int(part) for part in value.split(":"))
            except ValueError:
                continue
            seen[pk] = (revision, review_round)
        back = HttpResponseRedirect(request.get_full_path())
        if not seen:
            messages.error(request, gettext("Select the versions you approve first."))
            return back
        versions = list(
            ConceptVersion.objects.select_related("concept")
            .filter(pk__in=list(seen))
            .order_by("id")
        )
        approved, refused = approve_batch(
            versions, request.user, seen, request.POST.get("comment", "")
        )
        if approved:
            published = [v for v in approved if v.state == VersionState.PUBLISHED]
            messages.success(
                request,
                ngettext(
                    "You approved %(count)d version.",
                    "You approved %(count)d versions.",
                    len(approved),
                )
                % {"count": len(approved)}
                + " "
                + ngettext(
                    "%(count)d of them is now published.",
                    "%(count)d of them are now published.",
                    len(published),
                )
                % {"count": len(published)},
            )
        for version, message in refused:
            messages.error(
                request,
                gettext("Not approved, %(version)s: %(reason)s")
                % {"version": f"{version.concept.uid} v{version.number}", "reason": message},
            )
        return back

    def get_urls(self):
        return [
            path(
                "review-queue/",
                self.admin_site.admin_view(self.review_queue_view),
                name="glossary_conceptversion_review_queue",
            ),
            path(
                "<int:pk>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="glossary_conceptversion_transition",
            ),
            path(
                "suggest-traditional/",
                self.admin_site.admin_view(self.suggest_traditional_view),
                name="glossary_conceptversion_suggest_traditional",
            ),
        ] + super().get_urls()

    def suggest_traditional_view(self, request):
        """POST text=...: OpenCC's Traditional suggestion, for glossary/traditional.js."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("glossary.edit_draft"):
            raise PermissionDenied
        text = request.POST.get("text", "")
        region = request.POST.get("region") or "tw"
        if len(text) > SUGGESTION_MAX_LENGTH:
            return JsonResponse(
                {"code": "too_large", "detail": gettext("The text is too long to convert.")},
                status=413,
            )
        if region not in SUGGESTION_REGIONS:
            return JsonResponse(
                {
                    "code": "bad_region",
                    "detail": gettext("Unknown region %(region)s: use tw or hk.")
                    % {"region": region},
                },
                status=400,
            )
        return JsonResponse({"text": suggest_traditional(text, region)})

    def transition_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        version = get_object_or_404(ConceptVersion, pk=pk)
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "")
        user = request.user
        actions = {
            "submit": (
                lambda: services.version_submit(version=version, user=user, comment=comment),
                gettext("Submitted for review."),
            ),
            "approve": (
                lambda: services.version_approve(
                    version=version,
                    user=user,
                    comment=comment,
                    dialogue_round=cited_round(request.POST.get("dialogue_round", "")),
                ),
                gettext("Approved."),
            ),
            "request_changes": (
                lambda: services.version_request_changes(
                    version=version, user=user, comment=comment
                ),
                gettext("Sent back to the editors with your comment."),
            ),
            "withdraw": (
                lambda: services.version_withdraw(version=version, user=user, comment=comment),
                gettext("Withdrawn."),
            ),
        }
        seen = request.POST.get("revision")
        if action == "withdraw" and request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/glossary/conceptversion/withdraw_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "version": version,
                    "title": gettext("Withdraw version %(n)d?") % {"n": version.number},
                    "comment": comment,
                    "revision": seen or version.revision,
                },
            )
        if action not in actions:
            messages.error(request, gettext("Unknown action."))
        elif seen and seen != str(version.revision):
            messages.error(
                request,
                gettext(
                    "This version changed after you opened it (revision %(theirs)d); nothing was "
                    "done. Read it again before you act on it."
                )
                % {"theirs": version.revision},
            )
        else:
            run, success = actions[action]
            ConceptAdmin._run(request, run, success)
            version.refresh_from_db()
            if version.state == VersionState.PUBLISHED:
                messages.success(
                    request,
                    gettext("Both sides have approved: version %(n)d is published.")
                    % {"n": version.number},
                )
            elif version.state == VersionState.RETIRED:
                messages.success(request, gettext("The concept is retired."))
        return HttpResponseRedirect(reverse("admin:glossary_conceptversion_change", args=[pk]))
