"""The sitemap index and its sections: every public page in the three interface languages,
with hreflang alternates.

``/sitemap.xml`` is the index; each section is served at ``/sitemap-<section>.xml``, its pages at
``?p=2``, ``?p=3``…. A page reads only its own items (a slice of a list ordered by an indexed
column) and the section's length comes from the counts publishing keeps, so a page costs the
same at any size of the glossary. Pages are kept in the page cache until the next publication.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.urls import reverse

from glossary.core.choices import ListSection
from glossary.core.models import (
    LIST_SECTION,
    Concept,
    Consultation,
    Domain,
    ListCount,
    Release,
    ReleaseEntry,
)
from glossary.site.paging import CountedPaginator


class _Pairs(Sequence[tuple[Any, str]]):
    """(item, language) pairs of a section, as Django's sitemap pages them, without reading
    the items: a slice reads only the items its pairs come from."""

    def __init__(self, items: Any, count: int, languages: list[str]) -> None:
        self.items, self.count_of_items, self.languages = items, count, languages

    def __len__(self) -> int:
        return self.count_of_items * len(self.languages)

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("Sitemap items are read a page (a slice) at a time.")
        start, stop, _step = index.indices(len(self))
        width = len(self.languages)
        first, last = start // width, -(-stop // width)
        pairs = [(item, language) for item in self.items[first:last] for language in self.languages]
        return pairs[start - first * width : stop - first * width]


class _I18nSitemap(Sitemap):
    # One <url> per page and language, each listing the other languages as alternates.
    i18n = True
    alternates = True
    # Django's x-default drops the language prefix (/concepts/x/, a redirect); the pages' heads
    # name the default language's page (/en/concepts/x/), and the sitemap says the same.
    x_default = False
    #: Items per sitemap page: each is listed in three languages, and the protocol allows at
    #: most 50,000 URLs in one file.
    per_page = 16_000

    @property  # type: ignore[override]
    def limit(self) -> int:
        return self.per_page * len(self._languages())

    def count(self) -> int:
        """How many items the section lists, without reading them."""
        raise NotImplementedError

    @property
    def paginator(self) -> Paginator:
        count = self.count()
        languages = self._languages()
        return CountedPaginator(
            _Pairs(self.items(), count, languages), self.limit, count=count * len(languages)
        )

    def get_latest_lastmod(self) -> datetime | None:
        # Django's default reads every item of the section; the index names no date instead.
        return None

    def get_urls(self, page: int = 1, site: Any = None, protocol: str | None = None) -> Any:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            default = next(
                (a for a in url["alternates"] if a["lang_code"] == settings.LANGUAGE_CODE), None
            )
            if default is not None:
                url["alternates"].append(
                    {"location": default["location"], "lang_code": "x-default"}
                )
        return urls


class PagesSitemap(_I18nSitemap):
    """The fixed pages."""

    changefreq = "weekly"
    priority = 0.6
    PAGES = ("glossary:home", "glossary:browse", "glossary:releases")

    def items(self) -> Sequence[str]:
        return self.PAGES

    def count(self) -> int:
        return len(self.PAGES)

    def location(self, item: str) -> str:
        return reverse(item)


class ConceptSitemap(_I18nSitemap):
    """Every published (or retired) concept at its permalink."""

    changefreq = "monthly"
    priority = 0.8

    def items(self) -> Any:
        return Concept.objects.for_sitemap()

    def count(self) -> int:
        return ListCount.objects.count_of(ListSection.PUBLIC)

    def location(self, item: Concept) -> str:
        return reverse("glossary:concept", args=[item.uid])

    def lastmod(self, item: Concept) -> datetime | None:
        return item.public_version.published_at


class DomainSitemap(_I18nSitemap):
    """The domains that have current concepts (a few dozen: one page, read whole)."""

    changefreq = "weekly"
    priority = 0.4

    def items(self) -> list[Domain]:
        return Concept.objects.domains_with_counts()

    def count(self) -> int:
        return len(self.items())

    @property
    def paginator(self) -> Paginator:
        items = self.items()
        languages = self._languages()
        return Paginator([(item, lang) for item in items for lang in languages], self.limit)

    def location(self, item: Domain) -> str:
        return reverse("glossary:domain", args=[item.key])


class ReleaseSitemap(_I18nSitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self) -> Any:
        return Release.objects.latest_first()

    def count(self) -> int:
        return ListCount.objects.count_of(ListSection.RELEASES)

    def location(self, item: Release) -> str:
        return reverse("glossary:release", args=[item.name])

    def lastmod(self, item: Release) -> datetime:
        return item.created_at


class ReleaseConceptSitemap(_I18nSitemap):
    """Each concept as it stood in each release (the pages a translator cites)."""

    changefreq = "yearly"
    priority = 0.3

    def items(self) -> Any:
        return ReleaseEntry.objects.for_sitemap()

    def count(self) -> int:
        return ListCount.objects.count_of(ListSection.RELEASE_ENTRIES)

    def location(self, item: ReleaseEntry) -> str:
        return reverse("glossary:release_concept", args=[item.release.name, item.concept.uid])

    def lastmod(self, item: ReleaseEntry) -> datetime:
        return item.release.created_at


SITEMAPS = {
    "pages": PagesSitemap,
    "concepts": ConceptSitemap,
    "domains": DomainSitemap,
    "releases": ReleaseSitemap,
    "release-concepts": ReleaseConceptSitemap,
}


# Public consultation (appended: kept apart from the sections above to ease merging).
class ConsultationSitemap(_I18nSitemap):
    """Every public consultation, open or closed (opening and closing one move the publication
    stamp, so the cached sitemap follows)."""

    changefreq = "daily"
    priority = 0.4

    def items(self) -> Any:
        return Consultation.objects.order_by("id")

    def count(self) -> int:
        return ListCount.objects.count_of(LIST_SECTION)

    def location(self, item: Consultation) -> str:
        return reverse("glossary:consultation", args=[item.pk])


SITEMAPS["consultations"] = ConsultationSitemap
