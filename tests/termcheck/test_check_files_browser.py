"""A translator uploads a PO file on the term-check page and downloads the report as CSV,
under the site's Content-Security-Policy (any violation fails the test)."""

from __future__ import annotations

import csv
import io

import polib
import pytest
from playwright.sync_api import expect

from tests.factories import concept_data, make_user, publish

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_check_index"),
]


def po_bytes() -> bytes:
    po = polib.POFile()
    po.metadata = {"Language": "zh_CN", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Neural networks learn.", msgstr="神经网络会学习。"))
    po.append(polib.POEntry(msgid="A neural network is a model.", msgstr="神经元网络是一种模型。"))
    po.append(polib.POEntry(msgid="Not translated yet.", msgstr=""))
    return str(po).encode("utf-8")


def test_upload_a_file_read_the_report_and_download_the_csv(new_context, live_server, tmp_path):
    editor = make_user("editor", group="Editors")
    reviewers = [
        make_user("reviewer-us", group="Reviewers", side="us"),
        make_user("reviewer-cn", group="Reviewers", side="cn"),
    ]
    publish(
        editor,
        reviewers,
        "neural-network",
        concept_data(
            "neural network", "神经网络", "神經網路", ("zh-Hans", "神经元网络", "deprecated")
        ),
    )
    context = new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/check/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "guide.po", "mimeType": "text/x-gettext", "buffer": po_bytes()}],
    )
    page.get_by_role("button", name="Upload the file").click()
    expect(page.get_by_role("status").last).to_contain_text(
        "3 segments read, 2 checked (1 untranslated"
    )
    expect(page.locator("table.file-segments")).to_contain_text("神经元网络是一种模型。")
    expect(page.locator("table.file-segments")).to_contain_text("神经网络")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = waiting.value
    assert download.suggested_filename == "guide-terms.csv"
    path = tmp_path / "report.csv"
    download.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[1][:5] == [
        "2",
        "A neural network is a model.",
        "神经元网络是一种模型。",
        "neural-network",
        "deprecated",
    ]
    assert rows[1][7] == "神经网络"
