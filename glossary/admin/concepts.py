"""Concepts: the list with its filters, creating a concept, new drafts, retirement, comparing versions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from glossary.admin.paging import LookaheadAdmin
from glossary.core import services, workflow
from glossary.core.choices import Agreement, Language, TermStatus, VersionState
from glossary.core.diff import diff_versions
from glossary.core.models import (
    Concept,
    ConceptVersion,
    Domain,
)
from glossary.core.services import DraftData, TermData
from glossary.core.validators import validate_term
from glossary.core.workflow import WorkflowError
from glossary.exchange import admin_page
from glossary.language import fold


def _terms_line(version: ConceptVersion | None, language: str) -> str:
    """A version's preferred term in a language, from ``Concept.objects.for_admin_list``."""
    if version is None:
        return ""
    terms = version.listed_terms  # type: ignore[attr-defined]
    return next((term.text for term in terms if term.language == language), "")


class PublicStateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("published", _("Published")),
            ("retired", _("Retired")),
            ("unpublished", _("Never published")),
            ("draft", _("Has an open draft")),
            ("in_review", _("In review")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "published":
            return queryset.filter(public_version__state=VersionState.PUBLISHED)
        if value == "retired":
            return queryset.filter(public_version__state=VersionState.RETIRED)
        if value == "unpublished":
            return queryset.filter(public_version__isnull=True)
        if value == "draft":
            return queryset.filter(open_version__state=VersionState.DRAFT)
        if value == "in_review":
            return queryset.filter(open_version__state=VersionState.IN_REVIEW)
        return queryset


class DomainFilter(admin.SimpleListFilter):
    title = pgettext_lazy("subject field", "domain")
    parameter_name = "domain"

    def lookups(self, request, model_admin):
        return [(d.key, str(d)) for d in Domain.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Q(public_version__domains__key=self.value())
                | Q(open_version__domains__key=self.value())
            ).distinct()
        return queryset


class AgreementFilter(admin.SimpleListFilter):
    title = _("agreement state")
    parameter_name = "agreement"

    def lookups(self, request, model_admin):
        from glossary.core.choices import Agreement

        return Agreement.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Q(public_version__agreement=self.value())
                | Q(public_version__isnull=True, open_version__agreement=self.value())
            )
        return queryset


class ConceptCreateForm(forms.ModelForm):
    """A new concept starts from its identifier and preferred terms; the rest is in the draft."""

    term_en = forms.CharField(
        label=_("Preferred English term"), max_length=300, validators=[validate_term]
    )
    term_zh_hans = forms.CharField(
        label=_("Preferred Simplified Chinese term"), max_length=300, validators=[validate_term]
    )
    term_zh_hant = forms.CharField(
        label=_("Preferred Traditional Chinese term"),
        max_length=300,
        required=False,
        validators=[validate_term],
    )

    class Meta:
        model = Concept
        fields = ["uid"]
        help_texts = {
            "uid": _(
                "The permanent public identifier, for example generative-ai. It never changes."
            )
        }


@admin.register(Concept)
class ConceptAdmin(LookaheadAdmin):
    list_display = [
        "uid",
        "english",
        "simplified",
        "status",
        "published_number",
        "open_draft",
        "domain_list",
        "agreement_state",
    ]
    list_filter = [PublicStateFilter, DomainFilter, AgreementFilter]
    search_fields = ["uid"]
    # The list has a button to the import page (glossary.exchange.admin_page).
    change_list_template = "admin/glossary/import_change_list.html"
    search_help_text = _("Search by identifier or by any term, in English, 简体 or 繁體.")
    change_form_template = "admin/glossary/concept/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def get_queryset(self, request):
        return Concept.objects.for_admin_list()

    def get_search_results(self, request, queryset, search_term):
        """Find a concept by its identifier or by any term, whatever the script typed."""
        search_term = search_term.strip()
        if not search_term:
            return queryset, False
        matches = Concept.objects.matching_term(fold(search_term)).values("pk")
        return queryset.filter(Q(uid__icontains=search_term) | Q(pk__in=matches)), False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ConceptCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["uid", "term_en", "term_zh_hans", "term_zh_hant"]
        return [
            "uid",
            "english",
            "simplified",
            "traditional",
            "status",
            "published_number",
            "open_draft",
            "domain_list",
            "agreement_state",
            "created_at",
        ]

    def has_add_permission(self, request):
        return request.user.has_perm("glossary.edit_draft")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("English"))
    def english(self, concept):
        return _terms_line(concept.public_version or concept.open_version, Language.EN)

    @admin.display(description=_("简体中文"))
    def simplified(self, concept):
        return _terms_line(concept.public_version or concept.open_version, Language.ZH_HANS)

    @admin.display(description=_("繁體中文"))
    def traditional(self, concept):
        return _terms_line(concept.public_version or concept.open_version, Language.ZH_HANT)

    # A cell's text is translated here, once, from the choices' enums: a model's
    # get_FOO_display() translates every choice's label on each call, and the admin compares a
    # lazy label with each empty value, translating it again each time (at 50 rows, a fifth of
    # the page's CPU time).

    @admin.display(description=_("status"))
    def status(self, concept):
        if concept.public_version is None:
            return gettext("Never published")
        return str(VersionState(concept.public_version.state).label)

    @admin.display(description=_("published version"))
    def published_number(self, concept):
        return concept.public_version.number if concept.public_version else "—"

    @admin.display(description=_("open draft"))
    def open_draft(self, concept):
        version = concept.open_version
        if version is None:
            return "—"
        url = reverse("admin:glossary_conceptversion_change", args=[version.pk])
        return format_html(
            '<a href="{}">v{} · {}</a>', url, version.number, VersionState(version.state).label
        )

    @admin.display(description=pgettext_lazy("subject field", "domains"))
    def domain_list(self, concept):
        version = concept.public_version or concept.open_version
        return ", ".join(str(d) for d in version.listed_domains) if version else ""

    @admin.display(description=_("agreement"))
    def agreement_state(self, concept):
        version = concept.public_version or concept.open_version
        return str(Agreement(version.agreement).label) if version else ""

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        terms = [
            TermData(language=Language.EN, text=data["term_en"], status=TermStatus.PREFERRED),
            TermData(
                language=Language.ZH_HANS, text=data["term_zh_hans"], status=TermStatus.PREFERRED
            ),
        ]
        if data.get("term_zh_hant"):
            terms.append(
                TermData(
                    language=Language.ZH_HANT,
                    text=data["term_zh_hant"],
                    status=TermStatus.PREFERRED,
                )
            )
        version = services.concept_create(
            uid=data["uid"], user=request.user, data=DraftData(terms=terms)
        )
        obj.pk = version.concept_id
        obj._draft = version

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(
            request,
            gettext("Concept %(uid)s created. Write its definitions and terms in this draft.")
            % {"uid": obj.uid},
        )
        return HttpResponseRedirect(
            reverse("admin:glossary_conceptversion_change", args=[obj._draft.pk])
        )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/new-draft/",
                self.admin_site.admin_view(self.new_draft_view),
                name="glossary_concept_new_draft",
            ),
            path(
                "<int:pk>/retire/",
                self.admin_site.admin_view(self.retire_view),
                name="glossary_concept_retire",
            ),
            path(
                "<int:pk>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="glossary_concept_compare",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="glossary_concept_import",
            ),
            path(
                "import/jobs/<int:pk>/",
                self.admin_site.admin_view(self.import_job_view),
                name="glossary_concept_import_job",
            ),
            path(
                "import/jobs/<int:pk>/cancel/",
                self.admin_site.admin_view(admin_page.job_cancel_view),
                name="glossary_concept_import_job_cancel",
            ),
        ]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        return admin_page.import_view(request, model_admin=self)

    def import_job_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return admin_page.job_view(request, pk, model_admin=self)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        concept = get_object_or_404(Concept.objects.select_related("public_version"), pk=object_id)
        versions = list(concept.versions.select_related("author").order_by("-number"))
        extra_context = {
            **(extra_context or {}),
            "concept": concept,
            "versions": versions,
            "events": concept.events.select_related("version", "actor").order_by(
                "-created_at", "-id"
            ),
            "may_start_draft": workflow.may(workflow.check_start_draft, request.user, concept),
            "may_retire": workflow.may(workflow.check_retire, request.user, concept, "reason"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _run(request: HttpRequest, action, success: str) -> bool:  # noqa: ANN001
        try:
            action()
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return False
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return False
        messages.success(request, success)
        return True

    def new_draft_view(self, request, pk):
        concept = get_object_or_404(Concept, pk=pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        holder = {}

        def start():
            holder["version"] = services.draft_start(concept=concept, user=request.user)

        if self._run(
            request, start, gettext("A new draft was started from the published version.")
        ):
            return HttpResponseRedirect(
                reverse("admin:glossary_conceptversion_change", args=[holder["version"].pk])
            )
        return HttpResponseRedirect(reverse("admin:glossary_concept_change", args=[pk]))

    def retire_view(self, request, pk):
        concept = get_object_or_404(Concept, pk=pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        reason = request.POST.get("reason", "")
        self._run(
            request,
            lambda: services.concept_retire(concept=concept, user=request.user, reason=reason),
            gettext("The retirement was proposed; it takes effect when the reviewers approve it."),
        )
        return HttpResponseRedirect(reverse("admin:glossary_concept_change", args=[pk]))

    def compare_view(self, request, pk):
        concept = get_object_or_404(Concept, pk=pk)
        if not self.has_view_permission(request, concept):
            raise PermissionDenied
        versions = ConceptVersion.objects.with_content().filter(concept=concept)
        numbers = sorted(v.number for v in versions)
        try:
            a = int(request.GET.get("a") or (numbers[-2] if len(numbers) > 1 else numbers[0]))
            b = int(request.GET.get("b") or numbers[-1])
        except (ValueError, IndexError):
            a = b = None
        by_number = {v.number: v for v in versions}
        if a not in by_number or b not in by_number:
            messages.error(request, gettext("Choose two versions of this concept to compare."))
            return HttpResponseRedirect(reverse("admin:glossary_concept_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "concept": concept,
            "title": gettext("Compare versions of %(uid)s") % {"uid": concept.uid},
            "numbers": numbers,
            "a": a,
            "b": b,
            "diff": diff_versions(by_number[a], by_number[b]),
        }
        return TemplateResponse(request, "admin/glossary/compare.html", context)
