"""Each person's inbox on the admin home: what was sent back, what waits for their review,
their drafts, and what of theirs was published lately.

Every list reads a few rows more than it shows and never counts a table, so the home page costs
the same however large the glossary and however many drafts an import made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from glossary.core.models import ConceptVersion

#: How many versions each inbox list shows; a link leads to the rest.
INBOX_ROWS = 8
#: How far back "recently published" looks.
RECENT_DAYS = 30

SENT_BACK, WAITING, DRAFTS, PUBLISHED = "sent_back", "waiting", "drafts", "published"

LIST_TITLES = {
    SENT_BACK: _("Sent back to me"),
    WAITING: _("Waiting for my review"),
    DRAFTS: _("My drafts"),
    PUBLISHED: _("Recently published"),
}

EMPTY = {
    SENT_BACK: _("Nothing was sent back to you."),
    WAITING: _("Nothing waits for your review."),
    DRAFTS: _("You have no drafts."),
    PUBLISHED: _("Nothing of yours was published in the last 30 days."),
}


@dataclass
class InboxList:
    key: str
    title: str
    empty: str
    rows: list[ConceptVersion]
    #: More than the rows shown wait behind the link.
    more: bool
    url: str


def inbox_versions(key: str, user: Any) -> Any:
    """The versions of one inbox list, in its order (the list's "all" link filters by this)."""
    versions = ConceptVersion.objects
    if key == SENT_BACK:
        return versions.sent_back_to(user)
    if key == WAITING:
        return versions.waiting_for(user).order_by("submitted_at", "id")
    if key == DRAFTS:
        return versions.drafts_of(user)
    if key == PUBLISHED:
        return versions.published_for(user, timezone.now() - dt.timedelta(days=RECENT_DAYS))
    raise ValueError(key)


def inbox_keys(user: Any) -> list[str]:
    """The lists this person has: editors' lists, reviewers' list, and everyone's."""
    keys = []
    if user.has_perm("glossary.edit_draft"):
        keys.append(SENT_BACK)
    if user.has_perm("glossary.review_version"):
        keys.append(WAITING)
    if user.has_perm("glossary.edit_draft"):
        keys.append(DRAFTS)
    keys.append(PUBLISHED)
    return keys


def inbox_lists(user: Any) -> list[InboxList]:
    if not user.is_authenticated:
        return []
    lists = []
    for key in inbox_keys(user):
        rows = list(inbox_versions(key, user).for_inbox()[: INBOX_ROWS + 1])
        url = reverse("admin:glossary_conceptversion_changelist") + f"?inbox={key}"
        lists.append(
            InboxList(
                key=key,
                title=str(LIST_TITLES[key]),
                empty=str(EMPTY[key]),
                rows=rows[:INBOX_ROWS],
                more=len(rows) > INBOX_ROWS,
                url=url,
            )
        )
    return lists
