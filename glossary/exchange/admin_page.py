"""The admin's import page: upload a file, read the preview report, confirm.

The preview is a dry run of exactly the import that confirming performs (the same service,
rolled back). When the editor chose to skip the entries with conflicts or errors, both pages list
those entries first, as not imported, with their reasons. Between the two steps the uploaded file waits in the cache (shared by every worker
through Redis in production) under a random token, for an hour; confirming imports it again
against the glossary as it is then, so the final report is the one that counts.

The concept admin serves it under its own URLs (``ConceptAdmin.get_urls``), with a button on
its list.
"""

from __future__ import annotations

import secrets
import zlib

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from glossary.exchange import formats, importer
from glossary.exchange.safety import ImportRefused, check_size

PENDING_SECONDS = 3600
_PENDING_KEY = "glossary:import:{token}"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "TBX (ISO 30042 or the 2008 martif layout), CSV (our columns, or "
            "en, zh_hans, zh_hant, definition_en, definition_zh, source) or XLSX, in UTF-8."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("", gettext_lazy("From the file"))] + [(name, name) for name in formats.READERS],
        required=False,
    )
    skip_problems = forms.BooleanField(
        label=gettext_lazy("Skip the entries with conflicts or errors and import the rest"),
        help_text=gettext_lazy(
            "The one exception to all or nothing, for lists known to be dirty: the preview and "
            "the report list every skipped entry as not imported, with its reason. A broken file "
            "(truncated, not UTF-8, unsafe) is always refused whole."
        ),
        required=False,
    )


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    skip_problems = forms.BooleanField(required=False, widget=forms.HiddenInput)


def _store(user_id: int, data: bytes, fmt: str, filename: str) -> str:
    token = secrets.token_urlsafe(24)
    cache.set(
        _PENDING_KEY.format(token=token),
        {"user": user_id, "data": zlib.compress(data), "format": fmt, "filename": filename},
        PENDING_SECONDS,
    )
    return token


def _load(token: str, user_id: int) -> dict | None:
    pending = cache.get(_PENDING_KEY.format(token=token))
    if not pending or pending.get("user") != user_id:
        return None
    return pending


def import_view(request: HttpRequest, *, model_admin: admin.ModelAdmin) -> HttpResponse:
    """The import page: the upload form, its preview, or (with a token) the confirmed import."""
    if not request.user.has_perm("glossary.edit_draft"):
        raise PermissionDenied
    assert isinstance(request.user, User)  # an editor, so not the anonymous user
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import a glossary file"),
    }
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, context)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_size(upload.size)
            data = upload.read()
            parsed = formats.read(data, form.cleaned_data["format"], filename=upload.name)
            report = importer.import_file(
                parsed,
                user=request.user,
                dry_run=True,
                skip_problems=form.cleaned_data["skip_problems"],
            )
        except ImportRefused as exc:
            form.add_error(
                "file",
                _("The file was refused, nothing changed: %(reason)s") % {"reason": exc.message},
            )
        else:
            token = _store(request.user.pk, data, parsed.format, upload.name)
            confirm = ConfirmForm(
                initial={"token": token, "skip_problems": form.cleaned_data["skip_problems"]}
            )
            can_confirm = not (report.has_problems and not form.cleaned_data["skip_problems"])
            return TemplateResponse(
                request,
                "admin/glossary/import_report.html",
                {
                    **context,
                    "report": report,
                    "filename": upload.name,
                    "confirm": confirm if can_confirm else None,
                    "preview": True,
                },
            )
    return TemplateResponse(request, "admin/glossary/import.html", {**context, "form": form})


def _confirm(request: HttpRequest, context: dict) -> HttpResponse:
    assert isinstance(request.user, User)  # import_view let only an editor in
    confirm = ConfirmForm(request.POST)
    pending = _load(request.POST.get("token", ""), request.user.pk) if confirm.is_valid() else None
    if pending is None:
        messages.error(
            request, _("That preview has expired or is not yours; upload the file again.")
        )
        return HttpResponseRedirect(reverse("admin:glossary_concept_import"))
    try:
        parsed = formats.read(zlib.decompress(pending["data"]), pending["format"])
        report = importer.import_file(
            parsed, user=request.user, skip_problems=confirm.cleaned_data["skip_problems"]
        )
    except ImportRefused as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("admin:glossary_concept_import"))
    cache.delete(_PENDING_KEY.format(token=confirm.cleaned_data["token"]))
    if report.committed and report.skipped:
        messages.warning(request, report.summary())
    elif report.committed:
        messages.success(request, report.summary())
    else:
        messages.error(request, report.summary())
    return TemplateResponse(
        request,
        "admin/glossary/import_report.html",
        {**context, "report": report, "filename": pending["filename"], "preview": False},
    )
