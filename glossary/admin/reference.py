"""Reference data: domains and sources."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import (
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from glossary.core import services, workflow
from glossary.core.models import (
    Authority,
    Domain,
    Source,
)
from glossary.core.validators import validate_identifier
from glossary.core.workflow import WorkflowError


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


@admin.register(Authority)
class AuthorityAdmin(ReferenceAdmin, TranslationAdmin):
    list_display = ["key", "name", "kind", "jurisdiction", "frozen"]
    list_filter = ["kind", "jurisdiction"]
    search_fields = ["key", "name_en", "name_zh_hans", "name_zh_hant"]
    save_service = staticmethod(services.authority_save)
    copy_service = staticmethod(services.authority_copy)
