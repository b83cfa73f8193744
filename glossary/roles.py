"""The editorial groups and what each may do.

Migration 0002 created these groups once with a frozen copy of this table; ``ensure_groups()``
puts them back as they are described here (after a database flush, for example).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

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
        "view_profile",
        "add_profile",
        "change_profile",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
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
