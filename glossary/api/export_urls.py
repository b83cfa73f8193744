"""Routes of this part of the API, included by glossary.api.urls."""

from django.urls import path

from glossary.api import export as views

urlpatterns = [
    path("export/<slug:fmt>/", views.export, name="export"),
    path("export/<slug:fmt>/files/<int:build>/", views.export_file, name="export-file"),
]
