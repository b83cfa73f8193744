"""sitemap.xml: every public page in the three interface languages, with hreflang alternates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from glossary.core.models import Concept, Domain, Release


class _I18nSitemap(Sitemap):
    # One <url> per page and language, each listing the other languages as alternates.
    i18n = True
    alternates = True
    # Django's x-default drops the language prefix (/concepts/x/, a redirect); the pages' heads
    # name the default language's page (/en/concepts/x/), and the sitemap says the same.
    x_default = False

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

    def items(self) -> list[str]:
        return ["glossary:home", "glossary:browse", "glossary:releases"]

    def location(self, item: str) -> str:
        return reverse(item)


class ConceptSitemap(_I18nSitemap):
    """Every published (or retired) concept at its permalink."""

    changefreq = "monthly"
    priority = 0.8

    def items(self) -> Any:
        return Concept.objects.published().select_related("public_version").order_by("uid")

    def location(self, item: Concept) -> str:
        return reverse("glossary:concept", args=[item.uid])

    def lastmod(self, item: Concept) -> datetime | None:
        return item.public_version.published_at


class ReleaseSitemap(_I18nSitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self) -> Any:
        return Release.objects.latest_first()

    def location(self, item: Release) -> str:
        return reverse("glossary:release", args=[item.name])

    def lastmod(self, item: Release) -> datetime:
        return item.created_at


class DomainSitemap(_I18nSitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self) -> list[Domain]:
        return Concept.objects.current().domains_with_counts()

    def location(self, item: Domain) -> str:
        return reverse("glossary:domain", args=[item.key])


SITEMAPS = {
    "pages": PagesSitemap,
    "concepts": ConceptSitemap,
    "domains": DomainSitemap,
    "releases": ReleaseSitemap,
}
