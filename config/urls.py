"""URLs: the admin, the API, and the public site under a language prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.http import HttpRequest, HttpResponseBase
from django.urls import include, path

from glossary.api import errors as api_errors
from glossary.site import views as site_views
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


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    """The API's JSON 404 under /api/ (any address, not only its endpoints'), else the page."""
    if api_errors.is_api_path(request.path):
        return api_errors.not_found(request, exception)
    return site_views.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponseBase:
    """The API's JSON 500 under /api/, else the site's page."""
    if api_errors.is_api_path(request.path):
        return api_errors.server_error(request)
    return site_views.server_error(request)


handler404 = page_not_found
handler500 = server_error
