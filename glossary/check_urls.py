"""Public routes of the term check page, included under the language prefix."""

urlpatterns: list = []
