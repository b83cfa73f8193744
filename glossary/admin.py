"""The editorial admin: linguists edit drafts, reviewers of both sides approve exact versions.

The admin never saves a domain object itself: every button and every form goes through
``glossary.core.services``, which check permissions and the review policy again on the server.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationAdmin

from glossary.core import roles, services, workflow
from glossary.core.choices import Language, Region, ReviewDecision, TermStatus, VersionState
from glossary.core.diff import diff_versions
from glossary.core.fields import traditional_field_names, translated_field_names
from glossary.core.models import (
    Citation,
    Concept,
    ConceptVersion,
    Domain,
    Event,
    Profile,
    Relation,
    Release,
    Review,
    Source,
    Term,
)
from glossary.core.services import CitationData, DraftData, RelationData, TermData
from glossary.core.validators import validate_identifier, validate_term
from glossary.core.workflow import WorkflowError
from glossary.exchange import admin_page
from glossary.language import fold, to_traditional

User = get_user_model()

admin.site.site_header = _("AI Glossary editorial admin")
admin.site.site_title = _("AI Glossary admin")
admin.site.index_title = _("Edit and review the glossary")


def _terms_line(version: ConceptVersion | None, language: str) -> str:
    if version is None:
        return ""
    term = version.preferred(language)
    return term.text if term else ""


# Concepts ------------------------------------------------------------------------------------


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
class ConceptAdmin(admin.ModelAdmin):
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
    list_per_page = 50
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

    @admin.display(description=_("status"))
    def status(self, concept):
        if concept.public_version is None:
            return _("Never published")
        return concept.public_version.get_state_display()

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
            '<a href="{}">v{} · {}</a>', url, version.number, version.get_state_display()
        )

    @admin.display(description=pgettext_lazy("subject field", "domains"))
    def domain_list(self, concept):
        version = concept.public_version or concept.open_version
        return ", ".join(str(d) for d in version.domains.all()) if version else ""

    @admin.display(description=_("agreement"))
    def agreement_state(self, concept):
        version = concept.public_version or concept.open_version
        return version.get_agreement_display() if version else ""

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
        ]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        return admin_page.import_view(request, model_admin=self)

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


# Versions ------------------------------------------------------------------------------------


class WaitingForMeFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("me", _("Waiting for my review"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset & ConceptVersion.objects.waiting_for(request.user)
        return queryset


# Traditional suggestions: OpenCC fills what a linguist has not written yet, marked as
# machine-converted until someone edits it or ticks "reviewed". Worked out on the server, so the
# page needs no JavaScript; glossary/traditional.js only refreshes the suggestion while typing.
# Taiwan wording unless the draft's Traditional terms are used in Hong Kong (suggestion_region).

SUGGESTION_REGIONS = ("tw", "hk")
_REGION_OF_USAGE = {Region.TW: "tw", Region.HK: "hk"}


def suggest_traditional(simplified: str, region: str = "tw") -> str:
    """OpenCC's suggestion (Taiwan or Hong Kong wording) for a Simplified text; empty for an empty text."""
    return to_traditional(simplified, region).strip() if simplified.strip() else ""


def _simplified_field(traditional_field: str) -> str:
    return traditional_field.removesuffix("_zh_hant") + "_zh_hans"


def _draft_terms(version: ConceptVersion) -> list[Term]:
    """The draft's terms, read once per page (the form, the inline and the fieldsets share it)."""
    cached = getattr(version, "_suggestion_terms", None)
    if cached is None:
        cached = list(version.terms.all()) if version.pk else []
        version._suggestion_terms = cached
    return cached


def _counterparts(simplified: str, traditional: str) -> bool:
    """Whether a Traditional term renders a Simplified one: by folded form, or by conversion.

    Folding alone misses conversions whose Taiwan phrase folds to another mainland word
    (程序设计 → 程式設計 → 编程).
    """
    if fold(simplified) == fold(traditional):
        return True
    return traditional in {suggest_traditional(simplified, r) for r in SUGGESTION_REGIONS}


def suggestion_region(terms: Iterable[Term]) -> str:
    """``hk`` when the draft's Traditional terms are used in Hong Kong, else ``tw``.

    The preferred zh-Hant term's usage decides; without TW or HK on it, the first other zh-Hant
    term marked with one of them.
    """
    traditional = sorted(
        (t for t in terms if t.language == Language.ZH_HANT),
        key=lambda t: t.status != TermStatus.PREFERRED,
    )
    for term in traditional:
        if term.geographic_usage in _REGION_OF_USAGE:
            return _REGION_OF_USAGE[term.geographic_usage]
    return "tw"


def traditional_suggestions(version: ConceptVersion) -> dict[str, str]:
    """The zh-Hant fields of a draft shown as machine-converted, with the value to show.

    A field qualifies while it is flagged as unreviewed, or when it is empty and its Simplified
    counterpart is written. The value is the conversion of the current Simplified text (so a
    suggestion follows edits of the Simplified text), or the stored text if that was emptied.
    """
    cached = getattr(version, "_traditional_suggestions", None)
    if cached is not None:
        return cached
    flagged = set(version.machine_converted_fields or [])
    region = suggestion_region(_draft_terms(version))
    suggestions = {}
    for name in traditional_field_names():
        stored = getattr(version, name) or ""
        simplified = getattr(version, _simplified_field(name)) or ""
        if name in flagged or (not stored.strip() and simplified.strip()):
            suggestion = suggest_traditional(simplified, region) or stored
            if suggestion:
                suggestions[name] = suggestion
    version._traditional_suggestions = suggestions
    return suggestions


def term_suggestions(version: ConceptVersion) -> list[tuple[str, str]]:
    """Traditional terms to offer a draft, as (text, status), each for its own row.

    The preferred Simplified term is offered as the preferred Traditional term while there is
    none; each admitted Simplified term that no Traditional term renders (``_counterparts``) is
    offered as admitted. Converted in the draft's region; never a text the draft already has.
    """
    cached = getattr(version, "_traditional_term_suggestions", None)
    if cached is not None:
        return cached
    terms = _draft_terms(version)
    region = suggestion_region(terms)
    traditional = [t for t in terms if t.language == Language.ZH_HANT]
    taken = {t.text for t in traditional}
    has_preferred = any(t.status == TermStatus.PREFERRED for t in traditional)
    suggestions: list[tuple[str, str]] = []
    simplified = sorted(
        (t for t in terms if t.language == Language.ZH_HANS),
        key=lambda t: t.status != TermStatus.PREFERRED,
    )
    for term in simplified:
        if term.status == TermStatus.PREFERRED and not has_preferred:
            status = TermStatus.PREFERRED
        elif term.status == TermStatus.ADMITTED and not any(
            _counterparts(term.text, t.text) for t in traditional
        ):
            status = TermStatus.ADMITTED
        else:
            continue
        suggestion = suggest_traditional(term.text, region)
        if suggestion and suggestion not in taken:
            taken.add(suggestion)
            suggestions.append((suggestion, status))
    version._traditional_term_suggestions = suggestions
    return suggestions


def regional_term(version: ConceptVersion, term: Term) -> str:
    """An unreviewed Traditional term in the wording of the region it is marked as used in.

    The conversion of the Simplified term it renders, with ``hk`` for a term used in Hong Kong
    and ``tw`` for one used in Taiwan; empty when there is nothing to change.
    """
    region = _REGION_OF_USAGE.get(term.geographic_usage)
    if region is None:
        return ""
    terms = _draft_terms(version)
    simplified = next(
        (
            t.text
            for t in terms
            if t.language == Language.ZH_HANS and _counterparts(t.text, term.text)
        ),
        "",
    )
    suggestion = suggest_traditional(simplified, region)
    others = {t.text for t in terms if t.language == Language.ZH_HANT and t.pk != term.pk}
    if not suggestion or suggestion == term.text or suggestion in others:
        return ""
    return suggestion


class ReviewedCheckbox(forms.CheckboxInput):
    """The "reviewed" box of a machine-converted term, saying what it confirms."""

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        return format_html(
            '<span class="machine-converted">{}<br><label>{} {}</label></span>',
            gettext("Machine-converted, not reviewed."),
            box,
            gettext("Reviewed"),
        )


class NothingToReview(forms.CheckboxInput):
    """The "reviewed" cell of a row with no machine-made text: empty, but the column stays."""

    def render(self, name, value, attrs=None, renderer=None):
        return ""


class TermFormSet(BaseInlineFormSet):
    """Checks the invariants across all of a draft's terms, so errors show beside the input."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.instance
        if not self.is_bound and version.pk and version.state == VersionState.DRAFT:
            # The first empty rows offer them; on a POST such a row counts like any other.
            self.initial_extra = [
                {
                    "language": Language.ZH_HANT,
                    "text": text,
                    "status": status,
                    "suggested": text,
                }
                for text, status in term_suggestions(version)
            ]

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if (
            self.is_bound
            or index is None
            or index >= self.initial_form_count()
            or self.instance.state != VersionState.DRAFT
        ):
            return kwargs
        term = self.get_queryset()[index]
        if term.machine_converted:
            # Still unreviewed: offered in the wording of the region it is marked as used in.
            regional = regional_term(self.instance, term)
            if regional:
                kwargs["initial"] = {"text": regional, "suggested": regional}
        return kwargs

    def clean(self):
        super().clean()
        terms = [
            TermData(
                language=f.cleaned_data["language"],
                text=f.cleaned_data["text"],
                status=f.cleaned_data["status"],
            )
            for f in self.forms
            # A row with its own errors (a refused character, an empty term) shows them itself.
            if f.cleaned_data and not f.errors and not f.cleaned_data.get("DELETE")
        ]
        problems = services.term_problems(terms)
        if problems:
            raise ValidationError(problems)


class ChildForm(forms.ModelForm):
    """Inline rows are checked together by the formset and saved by the service."""

    def validate_unique(self):
        # Constraints are checked across the whole formset (a term may swap status with another
        # in the same save, which row-by-row checks against the stored rows would refuse).
        return


class TermForm(ChildForm):
    """A term row. ``suggested`` carries the machine-converted text the row was offered with."""

    suggested = forms.CharField(required=False, widget=forms.HiddenInput)
    reviewed = forms.BooleanField(
        label=_("reviewed"),
        required=False,
        widget=ReviewedCheckbox,
        help_text=_("Tick when a linguist has checked a machine-converted Traditional term."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk and self.instance.machine_converted:
            self.initial.setdefault("suggested", self.instance.text)
        if not (self["suggested"].value() or ""):
            # Nothing machine-made in this row: nothing to confirm.
            self.fields["reviewed"].widget = NothingToReview()

    def has_changed(self):
        # An offered suggestion whose text the editor emptied is declined, not a broken row.
        if (
            not self.instance.pk
            and self["suggested"].value()
            and not (self["text"].value() or "").strip()
        ):
            return False
        return super().has_changed()

    def clean(self):
        cleaned = super().clean()
        suggested = " ".join((cleaned.get("suggested") or "").split())
        text = " ".join((cleaned.get("text") or "").split())
        # Unreviewed until someone edits the text or ticks "reviewed".
        cleaned["machine_converted"] = bool(
            suggested
            and text == suggested
            and cleaned.get("language") == Language.ZH_HANT
            and not cleaned.get("reviewed")
        )
        return cleaned


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
    fields = [
        "language",
        "text",
        "status",
        "term_type",
        "part_of_speech",
        "geographic_usage",
        "context",
        "note",
        "source",
    ]
    autocomplete_fields = ["source"]
    extra = 1

    def get_fields(self, request, obj=None):
        if self._editable(request, obj):
            return [*self.fields, "reviewed", "suggested"]
        return [*self.fields, "machine_converted"]

    def get_extra(self, request, obj=None, **kwargs):
        # The suggested Traditional terms take the first empty rows; keep one more free.
        if self._editable(request, obj):
            return self.extra + len(term_suggestions(obj))
        return self.extra


class CitationInline(DraftChildInline):
    model = Citation
    fields = ["source", "locator", "quote", "quote_language"]
    autocomplete_fields = ["source"]


class RelationInline(DraftChildInline):
    model = Relation
    fk_name = "version"
    fields = ["kind", "target"]
    autocomplete_fields = ["target"]


#: The longest text the suggestion endpoint converts (a definition is far shorter).
SUGGESTION_MAX_LENGTH = 20_000


def _reviewed_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Traditional Chinese text reviewed"),
        required=False,
        help_text=_(
            "Machine-converted from the Simplified text (OpenCC), not reviewed yet. Tick to "
            "confirm it as it stands, or edit it."
        ),
    )


class VersionForm(forms.ModelForm):
    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    domain_choices = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("subject field", "domains"),
        queryset=Domain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # "reviewed_" + each name in traditional_field_names(); the admin shows the boxes
    # of the fields that hold a machine-converted text (see traditional_suggestions).
    reviewed_definition_zh_hant = _reviewed_field()
    reviewed_us_usage_zh_hant = _reviewed_field()
    reviewed_cn_usage_zh_hant = _reviewed_field()
    reviewed_agreement_note_zh_hant = _reviewed_field()
    reviewed_note_zh_hant = _reviewed_field()

    class Meta:
        model = ConceptVersion
        fields = [
            "definition",
            "us_usage",
            "cn_usage",
            "agreement",
            "agreement_note",
            "note",
            "maturity",
            "first_attested",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "loaded_revision" in self.fields:
            self.fields["loaded_revision"].initial = self.instance.revision
            self.fields["domain_choices"].initial = list(self.instance.domains.all())
        editable = self.instance.pk and self.instance.state == VersionState.DRAFT
        suggestions = traditional_suggestions(self.instance) if editable else {}
        for name, suggestion in suggestions.items():
            if name not in self.fields:
                continue
            if not self.is_bound:
                self.initial[name] = suggestion
            self.fields[name].widget.attrs["data-machine-converted"] = suggestion
        region = suggestion_region(_draft_terms(self.instance)) if editable else "tw"
        for name in traditional_field_names():
            simplified = _simplified_field(name)
            if editable and name in self.fields and simplified in self.fields:
                # For glossary/traditional.js: where this Simplified field's suggestion goes,
                # and in which region's wording.
                self.fields[simplified].widget.attrs["data-traditional-field"] = f"id_{name}"
                self.fields[simplified].widget.attrs["data-traditional-region"] = region

    def clean(self):
        cleaned = super().clean()
        stored = (
            ConceptVersion.objects.filter(pk=self.instance.pk)
            .values_list("state", "revision")
            .first()
        )
        if stored and stored[0] != VersionState.DRAFT:
            raise ValidationError(gettext("This version is no longer a draft; nothing was saved."))
        loaded = cleaned.get("loaded_revision")
        if stored and loaded is not None and loaded != stored[1]:
            raise ValidationError(
                gettext(
                    "Someone else saved this draft after you opened it (revision %(theirs)d, "
                    "you loaded %(yours)d). Nothing was saved: copy your changes, reload the "
                    "draft and make them again."
                )
                % {"theirs": stored[1], "yours": loaded}
            )
        self.machine_converted_fields = self._machine_converted(cleaned)
        return cleaned

    def _machine_converted(self, cleaned: dict) -> list[str]:
        """The zh-Hant fields that still hold an unreviewed machine conversion after this save."""
        flagged_before = set(self.instance.machine_converted_fields or [])
        names = []
        for name in traditional_field_names():
            if name not in cleaned or cleaned.get(f"reviewed_{name}"):
                continue
            value = (cleaned.get(name) or "").strip()
            stored = (getattr(self.instance, name) or "").strip()
            # A linguist's own text (stored and not flagged) is never re-marked.
            if not value or (stored and name not in flagged_before):
                continue
            simplified = cleaned.get(_simplified_field(name)) or ""
            # Either region's conversion is machine text (the region may change in this save).
            untouched = value in {suggest_traditional(simplified, r) for r in SUGGESTION_REGIONS}
            if untouched or (name in flagged_before and value == stored):
                names.append(name)
        return names


@admin.register(ConceptVersion)
class ConceptVersionAdmin(TabbedTranslationAdmin):
    form = VersionForm
    list_display = ["concept", "number", "state", "author", "updated_at", "submitted_at"]
    list_filter = [WaitingForMeFilter, "state"]
    list_select_related = ["concept", "author"]
    search_fields = ["concept__uid"]
    inlines = [TermInline, CitationInline, RelationInline]
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
            terms=[
                TermData(
                    **{
                        k: row.get(k) or ("" if k != "source" else None)
                        for k in (
                            "language",
                            "text",
                            "status",
                            "term_type",
                            "part_of_speech",
                            "geographic_usage",
                            "context",
                            "note",
                            "source",
                        )
                    },
                    machine_converted=bool(row.get("machine_converted")),
                )
                for row in rows.get(Term, [])
            ],
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
        )
        revision = form.cleaned_data.get("loaded_revision")
        version = ConceptVersion.objects.get(pk=form.instance.pk)
        services.draft_update(
            version=version,
            user=request.user,
            data=data,
            expected_revision=revision if revision is not None else version.revision,
        )

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
        extra_context = {
            **(extra_context or {}),
            "version": version,
            "diff": diff_versions(compare_to, version)
            if compare_to or version.number == 1
            else None,
            "compare_to": compare_to,
            "reviews": version.reviews.select_related("reviewer").order_by("created_at"),
            "events": version.events.select_related("actor").order_by("created_at", "id"),
            "approvals": approvals,
            "outstanding": workflow.policy().outstanding(approvals)
            if version.state == VersionState.IN_REVIEW
            else [],
            "problems": workflow.completeness_problems(version)
            if version.state == VersionState.DRAFT
            else [],
            "may_submit": workflow.may(workflow.check_submit, user, version),
            "may_approve": workflow.may(
                workflow.check_review, user, version, ReviewDecision.APPROVE
            ),
            "may_request_changes": workflow.may(
                workflow.check_review, user, version, ReviewDecision.REQUEST_CHANGES
            ),
            "may_withdraw": workflow.may(workflow.check_withdraw, user, version),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
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
                lambda: services.version_approve(version=version, user=user, comment=comment),
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


# Reference data and records ----------------------------------------------------------------


class KeyedForm(forms.ModelForm):
    """Reference data by its key: a key with a refused character is told which one first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "key" in self.fields:
            # Before the slug check, whose message would not name the character.
            self.fields["key"].validators.insert(0, validate_identifier)


class ReferenceAdmin(admin.ModelAdmin):
    """Sources and domains: editable until a version beyond a draft cites them, then frozen.

    A frozen row is shown read-only, with why, and a button that makes a corrected copy under
    a new key; the copy is cited in a new draft and so reaches the public through review. The
    services refuse a changed frozen row again, whatever the form posted.
    """

    form = KeyedForm
    change_form_template = "admin/glossary/reference_change_form.html"
    actions = ["make_corrected_copies"]
    save_service = staticmethod(services.source_save)
    copy_service = staticmethod(services.source_copy)

    def get_queryset(self, request):
        return super().get_queryset(request).with_frozen()

    @staticmethod
    def _frozen(obj) -> bool:  # noqa: ANN001 - a Source or a Domain
        annotated = getattr(obj, "is_cited_beyond_drafts", None)
        return obj.is_frozen() if annotated is None else annotated

    @admin.display(description=_("cited beyond drafts"), boolean=True)
    def frozen(self, obj):
        return self._frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (
            obj is not None and self._frozen(obj)
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def _may_copy(self, request) -> bool:
        return self.has_add_permission(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self._may_copy(request):
            actions.pop("make_corrected_copies", None)
        return actions

    def save_model(self, request, obj, form, change):
        self.save_service(**{self.model._meta.model_name: obj, "user": request.user})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as exc:
            # Someone submitted a draft citing it between the form's check and the save.
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        frozen = obj is not None and self._frozen(obj)
        extra_context = {
            **(extra_context or {}),
            "frozen": frozen,
            "frozen_message": workflow.frozen_reference_message(),
            "may_copy": frozen and self._may_copy(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/copy/",
                self.admin_site.admin_view(self.copy_view),
                name=f"{self._url_prefix()}_copy",
            ),
        ] + super().get_urls()

    def _copy(self, request, obj):  # noqa: ANN001, ANN202 - a Source or a Domain
        try:
            return self.copy_service(**{self.model._meta.model_name: obj, "user": request.user})
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return None

    def copy_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        original = get_object_or_404(self.model, pk=pk)
        change = f"admin:{self._url_prefix()}_change"
        copy = self._copy(request, original)
        if copy is None:
            return HttpResponseRedirect(reverse(change, args=[pk]))
        messages.success(request, self._copied_message(original, copy))
        return HttpResponseRedirect(reverse(change, args=[copy.pk]))

    def _url_prefix(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}"

    @staticmethod
    def _copied_message(original, copy) -> str:  # noqa: ANN001 - Sources or Domains
        return gettext(
            "%(copy)s is a corrected copy of %(original)s: correct it here, then cite it in a new "
            "draft of each concept that should use it. %(original)s stays as published."
        ) % {"copy": copy.key, "original": original.key}

    @admin.action(description=_("Make a corrected copy"))
    def make_corrected_copies(self, request, queryset):
        for original in queryset:
            copy = self._copy(request, original)
            if copy is None:
                return
            messages.success(request, self._copied_message(original, copy))


@admin.register(Domain)
class DomainAdmin(ReferenceAdmin, TranslationAdmin):
    list_display = ["key", "name", "frozen"]
    search_fields = ["key", "name_en", "name_zh_hans", "name_zh_hant"]
    save_service = staticmethod(services.domain_save)
    copy_service = staticmethod(services.domain_copy)


@admin.register(Source)
class SourceAdmin(ReferenceAdmin):
    list_display = ["title", "publisher", "jurisdiction", "published_on", "link", "frozen"]
    list_filter = ["jurisdiction", "language"]
    search_fields = ["key", "title", "publisher"]

    @admin.display(description=_("URL"))
    def link(self, source):
        return format_html('<a href="{0}" rel="noopener">{0}</a>', source.url) if source.url else ""


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


#: What only a superuser may set on an account: whatever grants rights.
RIGHTS_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")
#: What only a superuser may set on a reviewer profile: which side an approval counts for.
PROFILE_RIGHTS_FIELDS = ("side", "role")


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = _("reviewer profile")

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else PROFILE_RIGHTS_FIELDS


class AccountCreationForm(AdminUserCreationForm):
    """A new account, with the editorial group it starts in (the groups offered are those the
    person creating it may give)."""

    role = forms.ModelChoiceField(
        label=_("role"),
        queryset=Group.objects.none(),
        required=False,
        help_text=_(
            "The editorial group the account starts in; it gets the staff status the admin "
            "needs. You may give only a group whose rights you hold yourself."
        ),
    )


class GlossaryUserAdmin(UserAdmin):
    """People, with their reviewing side and role on the same page.

    Only a superuser sets superuser, staff, groups, permissions and a reviewer's side: for
    anyone else they are read-only, and a forged POST of them is ignored, because read-only
    fields are not in the form. A non-superuser changes only accounts within their own rights
    (``roles.may_manage``): never a superuser's, never one with rights they lack.
    """

    inlines = [ProfileInline]
    list_display = [*UserAdmin.list_display, "side"]
    list_select_related = ["glossary_profile"]
    add_form = AccountCreationForm

    @admin.display(description=_("side"))
    def side(self, user):
        profile = getattr(user, "glossary_profile", None)
        return profile.get_side_display() if profile else ""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in RIGHTS_FIELDS if name not in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            (name, options), *rest = self.add_fieldsets
            return [(name, {**options, "fields": [*options["fields"], "role"]}), *rest]
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.base_fields["role"].queryset = roles.grantable_groups(request.user)
        return form

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or roles.may_manage(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or roles.may_manage(request.user, obj)

    def save_model(self, request, obj, form, change):
        if change and not roles.may_manage(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        role = None if change else form.cleaned_data.get("role")
        if role is not None:
            try:
                services.account_give_role(account=form.instance, group=role, actor=request.user)
            except WorkflowError as exc:
                raise PermissionDenied(exc.message) from exc


admin.site.unregister(User)
admin.site.register(User, GlossaryUserAdmin)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "side", "role", "affiliation"]
    list_filter = ["side", "role"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else PROFILE_RIGHTS_FIELDS

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or roles.may_manage(request.user, obj.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not roles.may_manage(request.user, obj.user):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
