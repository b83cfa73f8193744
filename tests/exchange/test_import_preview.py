"""The import preview: a filter by outcome, the problems named in the summary, what each
"updated" entry changes, and skipping the problems without uploading the file again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glossary.core.models import Concept, ConceptVersion, Job, JobKind
from glossary.exchange import formats, importer
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = "en,zh_hans,zh_hant,definition_en,definition_zh,source\n"
DIRTY = HEADER + "transformer,变换器,,,,\n,注意力,,,,\nattention,注意力,,,,\n"


def preview(client, editor, content: str) -> Job:
    client.force_login(editor)
    response = client.post(
        reverse("admin:glossary_concept_import"),
        {"file": _upload(content), "format": ""},
    )
    assert response.status_code == 302
    return Job.objects.filter(kind=JobKind.IMPORT_PREVIEW).latest("pk")


def _upload(content: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("list.csv", content.encode(), content_type="text/csv")


def page(client, job: Job, query: str = "") -> str:
    url = reverse("admin:glossary_concept_import_job", args=[job.pk]) + query
    return client.get(url).content.decode()


def test_the_summary_names_each_problem_and_the_table_filters_by_outcome(client, editor):
    job = preview(client, editor, DIRTY)
    content = page(client, job)
    problems = content.split('class="glossary-import-problems"')[1].split("</div>")[0]
    assert "line 3" in problems and "The English term is empty." in problems
    assert "created (2)" in content and "error (1)" in content
    only_errors = page(client, job, "?outcome=error")
    table = only_errors.split('class="glossary-import-report"')[1]
    assert "line 3" in table and "transformer" not in table
    created = page(client, job, "?outcome=created").split('class="glossary-import-report"')[1]
    assert "transformer" in created and "line 3" not in created
    # An unknown outcome shows everything rather than nothing.
    assert "line 3" in page(client, job, "?outcome=bogus").split('glossary-import-report"')[1]


def test_problems_are_skipped_without_a_second_upload(client, editor):
    job = preview(client, editor, DIRTY)
    content = page(client, job)
    assert "Confirm the import" not in content  # all or nothing: the problem blocks it
    assert "Skip the entries with problems and import the rest" in content
    response = client.post(
        reverse("admin:glossary_concept_import"), {"preview": job.pk, "skip_problems": "on"}
    )
    assert response.status_code == 302
    done = Job.objects.filter(kind=JobKind.IMPORT).latest("pk")
    assert done.params["skip_problems"] is True
    assert sorted(Concept.objects.values_list("uid", flat=True)) == ["attention", "transformer"]
    report = page(client, done)
    assert "1 entry was NOT imported" in report
    # The preview's file was used once: a second confirmation is refused.
    client.post(
        reverse("admin:glossary_concept_import"), {"preview": job.pk, "skip_problems": "on"}
    )
    assert Job.objects.filter(kind=JobKind.IMPORT).count() == 1


def test_an_updated_entry_says_what_it_changes(client, editor, reviewer_us, reviewer_cn):
    factories.make_published(
        editor,
        [reviewer_us, reviewer_cn],
        uid="transformer",
        data=factories.concept_data("transformer", "变换器"),
    )
    job = preview(client, editor, HEADER + "transformer,变换器,,,,row 12 of a list\n")
    content = page(client, job, "?outcome=updated")
    row = content.split('class="import-updated"')[1].split("</tr>")[0]
    assert "adds a citation" in row


def test_the_changes_of_an_update_are_named_one_phrase_per_kind(editor, reviewer_us, reviewer_cn):
    factories.make_published(
        editor,
        [reviewer_us, reviewer_cn],
        uid="transformer",
        data=factories.concept_data("transformer", "变换器"),
    )
    content = HEADER + "transformer,变换器,變換器,A new definition.,新的定义。,\n"
    report = importer.import_file(
        formats.read(content.encode(), "", filename="t.csv"), user=editor, dry_run=True
    )
    (entry,) = report.entries
    assert entry.status == "updated"
    assert "changes the agreed definition (English)" in entry.changes
    assert "changes the agreed definition (Simplified Chinese)" in entry.changes
    assert "adds a term" in entry.changes
    assert not ConceptVersion.objects.filter(state="draft").exists()  # a dry run
