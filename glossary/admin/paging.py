"""Change lists that never count their rows, for the models that grow with the glossary.

Django's change list counts the filtered list (for its page numbers and "N results") and, by
default, the whole table (for "N total"), and a filter may count each of its choices (facets).
On a table of a million versions each of those reads the table. Here a page reads the rows it
shows and one more, which says whether a next page exists; the page offers "Previous" and
"Next" instead of page numbers, and the rest of the change list (search, filters, sorting,
actions) works as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.core.paginator import Page, Paginator


class LookaheadPaginator(Paginator):
    """One page of a list read without counting it: its rows and the first row of the next
    page. ``count`` is what the list is known to hold (every row up to the one read past the
    page), which is enough for Django to tell whether a next page exists."""

    def __init__(self, object_list: Any, per_page: int, *, number: int) -> None:
        super().__init__(object_list, per_page)
        self.number = number
        self.start = (number - 1) * per_page
        rows = list(object_list[self.start : self.start + per_page + 1])
        self.has_next = len(rows) > per_page
        self.rows = rows[:per_page]

    @property
    def count(self) -> int:  # type: ignore[override]
        return self.start + len(self.rows) + (1 if self.has_next else 0)

    def page(self, number: Any) -> Page:
        if int(number) != self.number or (self.number > 1 and not self.rows):
            raise IncorrectLookupParameters
        return self._get_page(self.rows, self.number, self)


class LookaheadChangeList(ChangeList):
    """A change list whose page is read by a ``LookaheadPaginator``: no COUNT of the filtered
    list nor of the table."""

    def get_results(self, request: Any) -> None:
        paginator = LookaheadPaginator(self.queryset, self.list_per_page, number=self.page_num)
        page = paginator.page(self.page_num)
        self.paginator = paginator
        self.result_list = page.object_list
        # The rows on this page: "N of M selected" and "select all" speak of what is shown.
        self.result_count = len(page.object_list)
        # Equal to the shown count, so the search bar does not claim a total it never read.
        self.full_result_count = self.result_count
        self.show_full_result_count = False
        self.show_admin_actions = True
        self.can_show_all = False
        self.multi_page = paginator.has_next or self.page_num > 1
        self.has_previous = self.page_num > 1
        self.has_next = paginator.has_next

    def previous_url(self) -> str:
        return self.get_query_string({PAGE_VAR: self.page_num - 1})

    def next_url(self) -> str:
        return self.get_query_string({PAGE_VAR: self.page_num + 1})


class LookaheadAdmin(admin.ModelAdmin):
    """A model admin whose change list never counts (see the module's docstring)."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    #: Django's default is 100. Each cell of a change list goes through the admin's general
    #: display code (lookup, formatting, escaping), which costs more than the page's queries:
    #: at 100,000 concepts the version and event lists took 32–35 ms of CPU for 100 rows, 20–24
    #: for 50. The concept list always showed 50; so now does every list that grows.
    list_per_page = 50
    #: "Show all" would read the whole table.
    list_max_show_all = 0
    change_list_template = "admin/glossary/lookahead_change_list.html"

    def get_changelist(self, request: Any, **kwargs: Any) -> type[ChangeList]:
        return LookaheadChangeList
