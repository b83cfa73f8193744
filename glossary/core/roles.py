"""The editorial groups and what each may do.

Migration 0002 created these groups once with a frozen copy of this table; ``ensure_groups()``
puts them back as they are described here (after a database flush, for example).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import User

VIEW = [
    "view_concept",
    "view_conceptversion",
    "view_term",
    "view_citation",
    "view_relation",
    "view_source",
    "view_domain",
    "view_release",
    "view_review",
    "view_event",
    "view_authority",
    "view_rendering",
]
#: Editors and administrators open public consultations, moderate comments and answer them.
CONSULTATION = [
    "view_consultation",
    "open_consultation",
    "view_consultationcomment",
    "moderate_comment",
]
EDITORS, REVIEWERS, ADMINISTRATORS = "Editors", "Reviewers", "Administrators"
GROUPS: dict[str, list[str]] = {
    EDITORS: [
        *VIEW,
        "add_concept",
        "edit_draft",
        "submit_version",
        "withdraw_version",
        "add_source",
        "change_source",
        *CONSULTATION,
    ],
    REVIEWERS: [*VIEW, "review_version"],
    ADMINISTRATORS: [
        *VIEW,
        "add_concept",
        "edit_draft",
        "submit_version",
        "withdraw_version",
        "retire_concept",
        "cut_release",
        "add_source",
        "change_source",
        "add_domain",
        "change_domain",
        "add_authority",
        "change_authority",
        "view_profile",
        "add_profile",
        "change_profile",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        *CONSULTATION,
    ],
}


def ensure_groups() -> dict[str, Group]:
    """Create any missing editorial group and give each its permissions; returns them by name."""
    groups = {}
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for codename in codenames:
            app_label, _, codename = codename.rpartition(".")
            wanted.append(
                Permission.objects.get(
                    content_type__app_label=app_label or "glossary", codename=codename
                )
            )
        group.permissions.add(*wanted)
        groups[name] = group
    return groups


def group(name: str) -> Group:
    """One editorial group, created with its permissions if it is missing."""
    found = Group.objects.filter(name=name).first()
    return found if found is not None else ensure_groups()[name]


# Who may manage whom ------------------------------------------------------------------------
#
# Only a superuser grants superuser, staff, groups or permissions. Anyone else who may change
# accounts (the Administrators group) changes only accounts whose rights are within their own,
# so that nobody can make an account, their own or another they could then use, with more
# rights than they hold: an Administrator cannot make a reviewer, take over a reviewer's
# account, or touch a superuser's.


def rights(user: User) -> set[str]:
    """Every permission an account holds, directly or through its groups, active or not."""
    found = Permission.objects.filter(Q(user=user) | Q(group__user=user)).values_list(
        "content_type__app_label", "codename"
    )
    return {f"{app_label}.{codename}" for app_label, codename in found}


def may_manage(actor: User, target: User) -> bool:
    """May ``actor`` change ``target``'s account (name, password, active)? Never its rights."""
    if not (actor.is_active and actor.has_perm("auth.change_user")):
        return False
    if actor.is_superuser:
        return True
    if target.is_superuser:
        return False
    return target.pk == actor.pk or rights(target) <= rights(actor)


def grantable_groups(actor: User) -> QuerySet[Group]:
    """The groups ``actor`` may give a new account: all for a superuser, else those within
    the actor's own rights."""
    if actor.is_superuser:
        return Group.objects.order_by("name")
    mine = rights(actor)
    groups = Group.objects.prefetch_related("permissions__content_type")
    allowed = [
        group.pk
        for group in groups
        if {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()} <= mine
    ]
    return Group.objects.filter(pk__in=allowed).order_by("name")
