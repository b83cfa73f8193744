"""Routes of this part of the API, included by glossary.api.urls."""

from django.urls import path

from glossary.termcheck import api as views
from glossary.termcheck import file_api

urlpatterns = [
    path("check/", views.check, name="check"),
    path("check/file/", file_api.check_file, name="check-file"),
]
