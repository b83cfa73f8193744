"""URLs: the admin, the API, and the public site under a language prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from glossary.site.page_cache import SITEMAP_TIMEOUT, cached_page
from glossary.site.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("glossary.api.urls")),
    path(
        "sitemap.xml",
        cached_page(sitemaps.index, timeout=SITEMAP_TIMEOUT),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cached_page(sitemaps.sitemap, timeout=SITEMAP_TIMEOUT),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
urlpatterns += i18n_patterns(
    path("", include("glossary.urls")),
    path("", include("glossary.termcheck.urls")),
    prefix_default_language=True,
)

handler404 = "glossary.site.views.page_not_found"
handler500 = "glossary.site.views.server_error"
