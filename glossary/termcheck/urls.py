"""Public routes of the term check page, included under the language prefix."""

from django.urls import path

from glossary.termcheck import file_page
from glossary.termcheck import page as views_check

app_name = "check"

urlpatterns = [
    path("check/", views_check.check_page, name="page"),
    path("check/file/", file_page.check_file_page, name="file"),
    path("check/file/<str:token>/report.<str:fmt>", file_page.file_report, name="file-report"),
]
