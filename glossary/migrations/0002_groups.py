"""Create the editorial groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
GROUPS = {
    "Editors": VIEW + [
        "add_concept",
        "edit_draft",
        "submit_version",
        "withdraw_version",
        "add_source",
        "change_source",
    ],
    "Reviewers": VIEW + ["review_version"],
    "Administrators": VIEW + [
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


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for codename in codenames:
            app_label, _, codename = codename.rpartition(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label or "glossary", codename=codename
                )
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
