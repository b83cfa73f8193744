"""URLs: the admin, the API, and the public site under a language prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("glossary.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("glossary.urls")),
    path("", include("glossary.check_urls")),
    prefix_default_language=True,
)
