"""People: user accounts with their side and role."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext_lazy as _

from glossary.admin.preferences import preferences_view
from glossary.admin.site import User
from glossary.core import roles, services
from glossary.core.models import (
    Profile,
)
from glossary.core.workflow import WorkflowError

#: What only a superuser may set on an account: whatever grants rights.
RIGHTS_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


#: What only a superuser may set on a reviewer profile: which side an approval counts for.
PROFILE_RIGHTS_FIELDS = ("side", "role")


#: Each person sets these on their own preferences page (``glossary.admin.preferences``).
NOTIFICATION_FIELDS = ("email_sent_back", "email_to_review", "email_published", "email_language")


class ProfileInline(admin.StackedInline):
    model = Profile
    exclude = NOTIFICATION_FIELDS
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
    exclude = NOTIFICATION_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else PROFILE_RIGHTS_FIELDS

    def get_urls(self):
        # Everyone's own page, whatever their rights over profiles.
        view = partial(preferences_view, model_admin=self)
        return [
            path(
                "preferences/",
                self.admin_site.admin_view(view),
                name="glossary_preferences",
            ),
            *super().get_urls(),
        ]

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
