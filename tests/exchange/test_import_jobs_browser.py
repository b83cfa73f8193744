"""An import clicked through in a real browser: upload, watch the preview's progress, read the
report, confirm; the job's page refreshes itself under the site's Content-Security-Policy."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from glossary.core.models import Concept, Job
from glossary.exchange.importer import run, write
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CSV = (
    "en,zh_hans,zh_hant,definition_en,definition_zh,source\n"
    "transformer,变换器,,,,\nattention,注意力,,,,\ngradient descent,梯度下降,,,,\n"
)


def test_upload_follow_the_progress_read_the_report_and_confirm(
    new_context, live_server, monkeypatch
):
    factories.make_user("editor", group="Editors")
    # The preview's job stops once its first entry is done until the test lets it go on, so
    # the browser can watch it run.
    running, go_on = threading.Event(), threading.Event()
    create = write._create
    calls: list[int] = []

    def create_and_wait(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            running.set()
            go_on.wait(30)
        create(*args, **kwargs)

    monkeypatch.setattr(run, "BATCH", 1)
    monkeypatch.setattr(write, "_create", create_and_wait)

    context = new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-editor")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/glossary/concept/import/")
    page.set_input_files(
        "#id_file", files=[{"name": "terms.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.locator("input[type=submit]").click(no_wait_after=True)
    assert running.wait(30)

    job = Job.objects.latest("pk")
    watching = context.new_page()
    watching.goto(f"{live_server.url}/admin/glossary/concept/import/jobs/{job.pk}/")
    expect(watching.locator(".glossary-job-progress")).to_contain_text("1 of 3 entries done (33%)")
    expect(watching.locator("progress")).to_have_attribute("value", "1")
    expect(watching.locator(".glossary-job-cancel")).to_be_visible()
    go_on.set()

    # The page refreshes itself until the job has finished, then shows the report.
    expect(watching.locator(".glossary-import-summary")).to_contain_text(
        "Dry run, nothing was written: 3 created", timeout=15000
    )
    expect(watching.locator(".glossary-job-cancel")).to_have_count(0)
    assert not Concept.objects.exists()
    watching.locator("input[type=submit][value='Confirm the import']").click()
    expect(watching.locator(".glossary-import-summary")).to_contain_text(
        "Imported as drafts for review: 3 created"
    )
    assert sorted(Concept.objects.values_list("uid", flat=True)) == [
        "attention",
        "gradient-descent",
        "transformer",
    ]
