"""Public routes of the term check page, included under the language prefix."""

from django.urls import path

from glossary.termcheck import page as views_check

app_name = "check"

urlpatterns = [
    path("check/", views_check.check_page, name="page"),
]
