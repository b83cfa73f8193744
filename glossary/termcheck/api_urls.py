"""Routes of this part of the API, included by glossary.api.urls."""

from django.urls import path

from glossary.termcheck import api as views

urlpatterns = [
    path("check/", views.check, name="check"),
]
