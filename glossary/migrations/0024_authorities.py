"""Authorities and their renderings of a concept version; who may see and edit them."""

import django.core.validators
import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

#: Who may do what with authorities and renderings (a frozen copy of the roles table).
GRANTS = {
    "Editors": ["view_authority", "view_rendering"],
    "Reviewers": ["view_authority", "view_rendering"],
    "Administrators": [
        "view_authority",
        "view_rendering",
        "add_authority",
        "change_authority",
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="glossary", codename__in=GRANTS[group.name]
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="glossary", codename__endswith="_authority"
    ).delete()
    Permission.objects.filter(
        content_type__app_label="glossary", codename__endswith="_rendering"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0023_consultation"),
    ]

    operations = [
        migrations.CreateModel(
            name="Authority",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.SlugField(max_length=100, unique=True, verbose_name="key")),
                ("name", models.CharField(max_length=300, verbose_name="name")),
                ("name_en", models.CharField(max_length=300, null=True, verbose_name="name")),
                ("name_zh_hans", models.CharField(max_length=300, null=True, verbose_name="name")),
                ("name_zh_hant", models.CharField(max_length=300, null=True, verbose_name="name")),
                (
                    "jurisdiction",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("US", "United States"),
                            ("CN", "People's Republic of China"),
                            ("TW", "Taiwan"),
                            ("HK", "Hong Kong"),
                            ("SG", "Singapore"),
                            ("EU", "European Union"),
                            ("UK", "United Kingdom"),
                            ("INTL", "International"),
                        ],
                        max_length=4,
                        verbose_name="jurisdiction",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("terminology", "Terminology body"),
                            ("standard", "Standard"),
                            ("statute", "Statute"),
                            ("list", "Government list"),
                            ("academy", "Academy"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("url", models.URLField(blank=True, max_length=500, verbose_name="URL")),
            ],
            options={
                "verbose_name": "authority",
                "verbose_name_plural": "authorities",
                "ordering": ["key"],
            },
        ),
        migrations.CreateModel(
            name="Rendering",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "term_en",
                    models.CharField(blank=True, max_length=300, verbose_name="term in English"),
                ),
                (
                    "term_zh_hans",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="term in Simplified Chinese"
                    ),
                ),
                (
                    "term_zh_hant",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="term in Traditional Chinese"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("promulgated", "Promulgated"),
                            ("recommended", "Recommended"),
                            ("standardised", "Standardised"),
                            ("used", "Used"),
                        ],
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "definition",
                    models.TextField(blank=True, verbose_name="its definition (quoted)"),
                ),
                (
                    "definition_language",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("en", "English"),
                            ("zh-Hans", "Simplified Chinese"),
                            ("zh-Hant", "Traditional Chinese"),
                        ],
                        max_length=8,
                        verbose_name="language of the definition",
                    ),
                ),
                (
                    "locator",
                    models.CharField(
                        blank=True,
                        help_text="Article, section, entry or page.",
                        max_length=200,
                        verbose_name="where",
                    ),
                ),
                (
                    "date",
                    models.CharField(
                        blank=True,
                        help_text="A year, a year and month, or a full date: 2024, 2024-12 or 2024-12-27.",
                        max_length=10,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\\d|3[01]))?)?$",
                                "Give a year, a year and month, or a full date: 2023, 2023-07 or 2023-07-10.",
                            )
                        ],
                        verbose_name="date",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "authority",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="renderings",
                        to="glossary.authority",
                        verbose_name="authority",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="renderings",
                        to="glossary.conceptversion",
                        verbose_name="version",
                    ),
                ),
            ],
            options={
                "verbose_name": "authority's rendering",
                "verbose_name_plural": "authorities' renderings",
                "ordering": ["version_id", "position", "id"],
                "base_manager_name": "objects",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
