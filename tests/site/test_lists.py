"""Browse, domain and sitemap pages cost the same at any size of the glossary.

Each page reads only what it shows: its counts from the counts that publishing keeps, its
entries a page at a time. The tests build a glossary, shrink the page size, and pin the
queries each page makes and the rows each query returns, as an anonymous reader and as a
signed-in reviewer (who never gets a cached page), then grow the glossary and check that
nothing changed.
"""

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from glossary.core import derived, lists, services
from glossary.core.choices import Agreement, Language, ListSection, TermStatus
from glossary.core.models import Concept, ConceptVersion, ListCount, ListEntry
from glossary.core.services import DraftData, TermData
from glossary.language import sort_key
from glossary.site import views
from tests import factories
from tests.queries import measure

pytestmark = pytest.mark.django_db

PAGE_SIZE = 5
SITEMAP_PAGE = 4
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PREFIXES = ("en", "zh-hans", "zh-hant")


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    # raising=False: the same tests run against code that has no page size.
    monkeypatch.setattr("glossary.site.views.PAGE_SIZE", PAGE_SIZE, raising=False)
    monkeypatch.setattr("glossary.site.views.RELEASES_PAGE_SIZE", 1, raising=False)
    monkeypatch.setattr("glossary.api.views.releases.CHANGELOG_PAGE_SIZE", PAGE_SIZE, raising=False)
    monkeypatch.setattr("glossary.site.sitemaps._I18nSitemap.per_page", SITEMAP_PAGE, raising=False)


@pytest.fixture
def reviewers(reviewer_us, reviewer_cn):
    return [reviewer_us, reviewer_cn]


def add_concepts(editor, reviewers, start, count):
    """Concepts filed under G in English and under G (伽马, gā) in pinyin, in one domain."""
    for i in range(start, start + count):
        data = factories.complete_data(f"gamma concept {i:03}", f"伽马{i}", f"伽瑪{i}")
        factories.make_published(editor, reviewers, uid=f"concept-{i:03}", data=data)


def pages():
    return [
        "/en/",
        "/en/browse/",
        "/en/browse/en/g/",
        "/en/browse/en/g/?page=2",
        "/zh-hans/browse/zh/g/",
        "/en/domains/generative-ai/",
        "/zh-hant/domains/generative-ai/?page=2",
        "/sitemap.xml",
        "/sitemap-concepts.xml",
        "/sitemap-concepts.xml?p=2",
        "/sitemap-release-concepts.xml?p=2",
        "/sitemap-domains.xml",
        "/sitemap-releases.xml",
        "/sitemap-pages.xml",
        "/api/v1/domains/",
        "/en/releases/",
        "/en/releases/2024.1/",
        "/zh-hans/releases/2024.1/?page=3",
        "/en/releases/2024.1/?change=added&page=2",
        "/en/releases/2024.1/?change=retired",
        "/en/releases/2024.1/concepts/concept-003/",
        "/en/feeds/releases/",
        f"/api/v1/concepts/?page_size={PAGE_SIZE}&page=2",
        f"/api/v1/concepts/?page_size={PAGE_SIZE}&domain=generative-ai&page=3",
        f"/api/v1/concepts/?page_size={PAGE_SIZE}&release=2024.1&page=2",
        "/api/v1/releases/2024.1/?page=2",
        "/api/v1/releases/",
    ]


def check(client, address):
    """The page's queries: none counts rows, none returns more than a page can show."""
    measured = measure(client, address)
    # A page shows at most PAGE_SIZE concepts with three preferred terms each, 27 letters
    # of each script, a domain list, or a sitemap page's items.
    limit = max(3 * PAGE_SIZE, 2 * 27 + 4)
    for sql, rows in measured:
        assert "COUNT(" not in sql.upper(), (address, sql)
        assert rows <= limit, (address, rows, sql)
    return [rows for _sql, rows in measured]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "reviewer"])
def test_pages_read_only_what_they_show_at_any_size(
    client, editor, reviewers, reviewer_us, administrator, signed_in
):
    add_concepts(editor, reviewers, 0, 30)
    services.release_cut(name="2024.1", user=administrator)
    if signed_in:
        client.force_login(reviewer_us)
    before = {address: check(client, address) for address in pages()}

    add_concepts(editor, reviewers, 30, 35)
    services.release_cut(name="2024.2", user=administrator)
    after = {address: check(client, address) for address in pages()}
    for address in pages():
        if address in (
            "/sitemap-releases.xml",
            "/en/feeds/releases/",
            "/en/releases/",
            "/api/v1/releases/",
        ):
            # One entry per release (a second one was cut), still within one page; the list
            # of releases shows the newest, whose kinds of change are not the first's.
            assert len(after[address]) == len(before[address])
            continue
        # The same queries, each returning as many rows: nothing grew with the glossary.
        assert after[address] == before[address], address


def test_browse_letter_pages_list_every_concept_once_in_order(client, editor, reviewers):
    add_concepts(editor, reviewers, 0, 12)
    shown = []
    for page in (1, 2, 3):
        html = client.get(f"/en/browse/en/g/?page={page}").content.decode()
        shown += re.findall(r'class="entry-term" href="/en/concepts/([^/]+)/"', html)
        assert f"Page {page} of 3" in html
        assert ('rel="next"' in html) == (page < 3)
        assert ('rel="prev"' in html) == (page > 1)
    assert shown == [f"concept-{i:03}" for i in range(12)]
    # The domain pages, in pinyin order: 伽马0, 伽马1, 伽马10, 伽马11, 伽马2…
    shown = []
    for page in (1, 2, 3):
        html = client.get(f"/zh-hans/domains/generative-ai/?page={page}").content.decode()
        shown += re.findall(r'class="entry-term" href="/zh-hans/concepts/([^/]+)/"', html)
    assert shown == [f"concept-{i:03}" for i in sorted(range(12), key=str)]


def test_an_entry_shows_the_public_versions_preferred_terms(client, editor, reviewers):
    """Each entry names its public version's preferred terms (never an admitted term, nor a
    draft's), the Traditional term only where it is written differently, the reading of the
    Chinese term in pinyin order, and the agreement when it is not agreed."""
    data = factories.complete_data("gamma ray", "伽马射线", "伽瑪射線")
    concept = factories.make_published(editor, reviewers, uid="gamma-ray", data=data).concept
    same = factories.complete_data(
        "gamma function",
        "伽马函数",
        "伽马函数",
        us_usage_en="Used for the function.",
        cn_usage_en="Used for the function too.",
    )
    same.agreement = Agreement.PARTLY
    factories.make_published(editor, reviewers, uid="gamma-function", data=same)
    draft = services.draft_start(concept=concept, user=editor)
    changed = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    changed.terms[0] = TermData(
        language=Language.EN, text="gamma beam", status=TermStatus.PREFERRED
    )
    services.draft_update(
        version=draft, user=editor, data=changed, expected_revision=draft.revision
    )

    def entries(address):
        html = client.get(address).content.decode()
        return [
            " ".join(re.sub(r"<[^>]+>", " ", item).split())
            for item in re.findall(r'<li class="entry">(.*?)</li>', html, re.S)
        ]

    assert entries("/en/browse/en/g/") == [
        "gamma function 伽马函数 Partly agreed",
        "gamma ray 伽马射线 伽瑪射線",
    ]
    assert entries("/zh-hans/browse/zh/g/") == [
        "伽马函数 gā mǎ hán shù gamma function 部分一致",
        "伽马射线 gā mǎ shè xiàn 伽瑪射線 gamma ray",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [("?page=4", "no page 4"), ("?page=0", "no page 0"), ("?page=two", "not a page number")],
)
def test_a_page_beyond_the_list_is_not_found(client, editor, reviewers, query, message):
    add_concepts(editor, reviewers, 0, 12)
    with pytest.raises(Http404, match=message):
        views.browse_letter_page(RequestFactory().get(f"/en/browse/en/g/{query}"), "en", "g")
    assert client.get(f"/en/browse/en/g/{query}").status_code == 404


def sitemap_locations(client):
    """Every <loc> of every page the sitemap index lists, and the pages' addresses."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    addresses = [loc.text.removeprefix("http://testserver") for loc in index.iter(f"{SITEMAP}loc")]
    found = []
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        found += [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    return addresses, found


def test_the_sitemap_index_lists_every_public_page_once_per_language(
    client, editor, reviewers, administrator
):
    add_concepts(editor, reviewers, 0, 30)
    services.release_cut(name="2024.1", user=administrator)
    retired = services.concept_retire(
        concept=Concept.objects.get(uid="concept-007"), user=administrator, reason="Merged."
    )
    for reviewer in reviewers:
        services.version_approve(version=retired, user=reviewer)
    factories.make_draft(editor, uid="secret-draft")

    addresses, found = sitemap_locations(client)
    # 30 concepts, 4 a page: 8 pages; their second page is listed and answers.
    assert "/sitemap-concepts.xml?p=2" in addresses
    assert "/sitemap-concepts.xml?p=8" in addresses
    assert "/sitemap-concepts.xml?p=9" not in addresses
    counted = Counter(found)
    for i in range(30):  # the retired one too: its permalink still answers
        for prefix in PREFIXES:
            assert counted[f"http://testserver/{prefix}/concepts/concept-{i:03}/"] == 1
            assert (
                counted[f"http://testserver/{prefix}/releases/2024.1/concepts/concept-{i:03}/"] == 1
            )
    for prefix in PREFIXES:
        assert counted[f"http://testserver/{prefix}/domains/generative-ai/"] == 1
        assert counted[f"http://testserver/{prefix}/releases/2024.1/"] == 1
        assert counted[f"http://testserver/{prefix}/"] == 1
    assert all(count == 1 for count in counted.values())
    assert not any("secret-draft" in location for location in found)
    assert client.get("/sitemap-concepts.xml?p=9").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_pages_are_kept_until_the_next_publication(client, editor, reviewers):
    add_concepts(editor, reviewers, 0, 3)
    first = client.get("/sitemap-concepts.xml").content
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/sitemap-concepts.xml").content == first
    assert len(captured) == 1  # the publication stamp, nothing else
    add_concepts(editor, reviewers, 3, 1)
    assert b"/concepts/concept-003/" in client.get("/sitemap-concepts.xml").content


def counts():
    return dict(
        ((section, bucket), count)
        for section, bucket, count in ListCount.objects.values_list("section", "bucket", "count")
    )


def test_counts_follow_each_publication_and_a_rebuild_writes_the_same(
    client, editor, reviewers, administrator
):
    add_concepts(editor, reviewers, 0, 3)
    assert counts()[(ListSection.EN, "g")] == 3
    assert counts()[(ListSection.ZH, "g")] == 3
    assert counts()[(ListSection.TERMS, Language.EN)] == 6  # preferred and admitted
    assert counts()[(ListSection.DOMAINS, "generative-ai")] == 3

    # A new version moves concept-001 from G to A and out of the domain.
    concept = Concept.objects.get(uid="concept-001")
    draft = services.draft_start(concept=concept, user=editor)
    data = factories.complete_data("alpha concept", "阿尔法", "阿爾法")
    data.domains = [factories.domain("governance")]
    data.terms.append(TermData(language=Language.EN, text="alpha", status=TermStatus.ADMITTED))
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)
    # And concept-002 is retired: it leaves every list but keeps its permalink.
    retired = services.concept_retire(
        concept=Concept.objects.get(uid="concept-002"), user=administrator, reason="Merged."
    )
    for reviewer in reviewers:
        services.version_approve(version=retired, user=reviewer)

    kept = counts()
    assert kept[(ListSection.EN, "g")] == 1
    assert kept[(ListSection.EN, "a")] == 1
    assert kept[(ListSection.ZH, "a")] == 1
    assert kept[(ListSection.CONCEPTS, "")] == 2
    assert kept[(ListSection.PUBLIC, "")] == 3
    assert kept[(ListSection.TERMS, Language.EN)] == 5
    assert kept[(ListSection.DOMAINS, "generative-ai")] == 1
    assert kept[(ListSection.DOMAINS, "governance")] == 1
    html = client.get("/en/browse/").content.decode()
    assert "2 concepts, by their English term" in html
    assert 'href="/en/browse/en/a/">A<span class="visually-hidden"> (1)</span>' in html

    rows = sorted(ListEntry.objects.values_list("concept_id", "section", "bucket", "key"))
    ListEntry.objects.all().delete()
    ListCount.objects.create(section=ListSection.EN, bucket="q", count=99)  # drifted
    derived.rebuild([derived.LISTS])
    assert sorted(ListEntry.objects.values_list("concept_id", "section", "bucket", "key")) == rows
    assert counts() == kept
    assert lists.recount() == len(kept)
    assert counts() == kept


def stored_key(text, language, section):
    (row,) = [
        row
        for row in lists.entries_for(1, "published", [(language, TermStatus.PREFERRED, text)], [])
        if row.section == section
    ]
    return row.key


def test_sort_keys_order_as_the_texts_do_whatever_the_database_collation():
    texts = ["a-b", "a b", "A/B", "ab", "a.b", "a0", "Z", "zeta", "ébauche", "_x", "10 models"]
    keys = {text: stored_key(text, Language.EN, ListSection.EN) for text in texts}
    # Stored, the keys sort like the texts' sort keys (byte order), with only 0-9a-f in them.
    assert sorted(texts, key=keys.get) == sorted(
        texts, key=lambda text: sort_key(text, Language.EN).encode()
    )
    assert all(re.fullmatch("[0-9a-f]+", key) for key in keys.values())
    key = stored_key("人工智能" * 200, Language.ZH_HANS, ListSection.ZH)
    assert len(key) <= ListEntry._meta.get_field("key").max_length


def test_release_counts_are_kept_by_the_cut_and_rebuilt_alike(
    client, editor, reviewers, administrator
):
    add_concepts(editor, reviewers, 0, 3)
    first = services.release_cut(name="2024.1", user=administrator)
    add_concepts(editor, reviewers, 3, 2)
    retired = services.concept_retire(
        concept=Concept.objects.get(uid="concept-001"), user=administrator, reason="Merged."
    )
    for reviewer in reviewers:
        services.version_approve(version=retired, user=reviewer)
    second = services.release_cut(name="2024.2", user=administrator)
    kept = ListCount.objects.release_changes([first.pk, second.pk])
    assert kept == {
        first.pk: {"added": 3, "changed": 0, "retired": 0, "unchanged": 0},
        second.pk: {"added": 2, "changed": 0, "retired": 1, "unchanged": 2},
    }
    all_counts = counts()
    ListCount.objects.all().delete()
    lists.recount()
    assert counts() == all_counts

    # One release a page, newest first, each with its counts.
    html = client.get("/en/releases/").content.decode()
    assert "2024.2" in html and "2024.1" not in html and "Page 1 of 2" in html
    assert re.search(r"<td>5</td>\s*<td>2</td>\s*<td>0</td>\s*<td>1</td>", html)
    html = client.get("/en/releases/?page=2").content.decode()
    assert "2024.1" in html and 'rel="prev"' in html
    assert client.get("/en/releases/?page=3").status_code == 404
