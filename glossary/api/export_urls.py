"""Routes of this part of the API, included by glossary.api.urls."""

urlpatterns: list = []
