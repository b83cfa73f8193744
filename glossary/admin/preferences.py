"""Each person's own page of e-mail notification preferences (linked from the inbox)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from glossary.core import services
from glossary.core.models import Profile


class PreferencesForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        required=False,
        help_text=gettext_lazy("Notifications go here; leave it empty to get none."),
    )
    email_sent_back = forms.BooleanField(
        label=gettext_lazy("When a draft I wrote or edited is sent back with comments"),
        required=False,
    )
    email_to_review = forms.BooleanField(
        label=gettext_lazy("When versions are submitted and await my side's review"),
        required=False,
    )
    email_published = forms.BooleanField(
        label=gettext_lazy("When a version I wrote or edited is published"), required=False
    )
    email_language = forms.ChoiceField(
        label=gettext_lazy("Language of the e-mails"), choices=settings.LANGUAGES
    )


def preferences_view(request: HttpRequest, *, model_admin: admin.ModelAdmin) -> HttpResponse:
    user = request.user
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)  # type: ignore[misc]
    initial = {
        "email": user.email,  # type: ignore[union-attr]
        "email_sent_back": profile.email_sent_back,
        "email_to_review": profile.email_to_review,
        "email_published": profile.email_published,
        "email_language": profile.email_language,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_save(user=user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your notification preferences were saved."))
            return HttpResponseRedirect(request.get_full_path())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("E-mail notifications"),
        "form": form,
    }
    return TemplateResponse(request, "admin/glossary/preferences.html", context)
