"""A reader compares two versions and sees an authority's rendering change (issue 18)."""

import pytest

from tests.site.test_rendering_diff import UID, changed, reviewers  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(new_context):
    page = new_context().new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_reader_compares_versions_and_sees_a_rendering_change(live_server, page, changed):  # noqa: F811
    page.goto(f"{live_server.url}/en/concepts/{UID}/history/")
    page.get_by_label("From version").select_option("1")
    page.get_by_label("to version").select_option("2")
    page.get_by_role("button", name="Show the changes").click()
    page.wait_for_url("**/compare/?from=1&to=2")
    section = page.locator("section.diff-renderings")
    assert section.locator("h3").inner_text() == "Authorities' renderings"
    changed_row = section.locator("li.rendering-changed")
    assert changed_row.locator("del").inner_text().endswith("Recommended · 2024-12")
    assert changed_row.locator("ins").inner_text().endswith("Recommended · 2024-12-27")
    assert (
        "National Academy for Educational Research"
        in section.locator("li.rendering-added").inner_text()
    )
    assert "NIST" in section.locator("li.rendering-removed").inner_text()
