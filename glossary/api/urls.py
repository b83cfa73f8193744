"""The REST API under /api/v1/."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("glossary.api.export_urls")),
    path("", include("glossary.api.check_urls")),
]
