"""Pages of long lists whose length is already known, so that no page counts the list."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.translation import gettext as _


class CountedPaginator(Paginator):
    """A paginator told how many items the list holds (a count kept by publishing) instead of
    asking the database, which would read the whole list to count it."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count


def page_or_404(paginator: Paginator, number: str | None) -> Page:
    """The page ``?page=`` names (the first without it); 404 with the reason for any other."""
    if number is None:
        number = "1"
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        raise Http404(
            _("“%(page)s” is not a page number: give a whole number from 1.") % {"page": number}
        ) from None
    except EmptyPage:
        raise Http404(
            _("This list has %(pages)d pages; there is no page %(page)s.")
            % {"pages": paginator.num_pages, "page": number}
        ) from None
