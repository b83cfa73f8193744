# Release notes in each language (django-modeltranslation's notes_en, notes_zh_hans,
# notes_zh_hant); the notes written so far were English, and become notes_en.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('glossary', '0018_notification_preferences'),
    ]

    operations = [
        migrations.AddField(
            model_name='release',
            name='notes_en',
            field=models.TextField(blank=True, null=True, verbose_name='release notes'),
        ),
        migrations.AddField(
            model_name='release',
            name='notes_zh_hans',
            field=models.TextField(blank=True, null=True, verbose_name='release notes'),
        ),
        migrations.AddField(
            model_name='release',
            name='notes_zh_hant',
            field=models.TextField(blank=True, null=True, verbose_name='release notes'),
        ),
        migrations.RunSQL(
            "UPDATE glossary_release SET notes_en = notes WHERE notes_en IS NULL",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
