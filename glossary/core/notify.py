"""E-mail notifications: a draft sent back, versions awaiting a side's review, a publication.

The review services call these inside their transaction; the messages are worked out there (a
fixed number of queries for a whole batch) and sent through Django's mail framework once the
transaction commits, so a rolled-back step tells nobody. Each person gets one message per step
however many versions it moved (a bulk approval of 300 versions is one e-mail), in the language
they chose, and nothing for a kind of notification they turned off on their preferences page.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from glossary.core.choices import CONTRIBUTING_ACTIONS, Language, TermStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from glossary.core.models import ConceptVersion

logger = logging.getLogger(__name__)

SENT_BACK, TO_REVIEW, PUBLISHED = "sent_back", "to_review", "published"

#: The profile field that turns each kind of notification on or off.
PREFERENCE = {
    SENT_BACK: "email_sent_back",
    TO_REVIEW: "email_to_review",
    PUBLISHED: "email_published",
}


def versions_sent_back(versions: list[ConceptVersion], reviewer: User, comment: str) -> None:
    """Tell each version's author and editors that it came back with this comment."""
    people = _contributors(versions, leave_out=reviewer.pk)
    _queue(SENT_BACK, people, comment=comment, actor=reviewer)


def versions_submitted(versions: list[ConceptVersion], user: User) -> None:
    """Tell the reviewers of each side the policy counts that these versions await them."""
    from glossary.core import workflow

    sides = workflow.policy().eligible_sides
    perm = Permission.objects.filter(
        content_type__app_label="glossary", codename="review_version"
    ).first()
    if perm is None:  # permissions not created yet (a database being set up)
        return
    reviewers = list(
        get_user_model()
        .objects.filter(
            Q(groups__permissions=perm) | Q(user_permissions=perm),
            is_active=True,
            glossary_profile__side__in=sides,
        )
        .exclude(email="")
        .select_related("glossary_profile")
        .distinct()
        .order_by("pk")
    )
    contributed = _contributor_ids(versions)
    people: dict[User, list[ConceptVersion]] = {}
    for reviewer in reviewers:
        mine = [v for v in versions if reviewer.pk not in contributed[v.pk]]
        if mine:
            people[reviewer] = mine
    _queue(TO_REVIEW, people, actor=user)


def versions_published(versions: list[ConceptVersion]) -> None:
    """Tell each version's author and editors that it is published."""
    _queue(PUBLISHED, _contributors(versions))


def _contributor_ids(versions: list[ConceptVersion]) -> dict[int, set[int]]:
    from glossary.core.models import Event

    found: dict[int, set[int]] = {v.pk: {v.author_id} if v.author_id else set() for v in versions}
    rows = Event.objects.filter(
        version_id__in=list(found), action__in=CONTRIBUTING_ACTIONS, actor__isnull=False
    ).values_list("version_id", "actor_id")
    for version_id, actor_id in rows.distinct():
        found[version_id].add(actor_id)
    return found


def _contributors(
    versions: list[ConceptVersion], leave_out: int | None = None
) -> dict[User, list[ConceptVersion]]:
    ids = _contributor_ids(versions)
    wanted = {pk for pks in ids.values() for pk in pks} - {leave_out}
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=wanted, is_active=True)
        .exclude(email="")
        .select_related("glossary_profile")
    }
    people: dict[User, list[ConceptVersion]] = defaultdict(list)
    for version in versions:
        for pk in sorted(ids[version.pk]):
            if pk in users:
                people[users[pk]].append(version)
    return people


def _queue(
    kind: str,
    people: dict[User, list[ConceptVersion]],
    *,
    actor: User | None = None,
    comment: str = "",
) -> None:
    messages = []
    for person, versions in people.items():
        profile = getattr(person, "glossary_profile", None)
        if profile is not None and not getattr(profile, PREFERENCE[kind]):
            continue
        language = profile.email_language if profile is not None else settings.LANGUAGE_CODE
        with translation.override(language):
            messages.append(_message(kind, person, versions, actor=actor, comment=comment))
    if messages:
        transaction.on_commit(lambda: _send(messages), robust=True)


def _send(messages: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(messages)
    except OSError:
        # A mail server that is down must not undo or fail the review itself.
        logger.exception("Could not send %d notification(s)", len(messages))


def _label(version: ConceptVersion) -> str:
    english = next(
        (
            t.text
            for t in version.terms.all()
            if t.language == Language.EN and t.status == TermStatus.PREFERRED
        ),
        "",
    )
    name = f"{version.concept.uid} v{version.number}"
    return f"{name} ({english})" if english else name


def _message(
    kind: str,
    person: User,
    versions: list[ConceptVersion],
    *,
    actor: User | None = None,
    comment: str = "",
) -> EmailMessage:
    count = len(versions)
    who = actor.get_username() if actor is not None else ""
    if kind == SENT_BACK:
        subject = ngettext(
            "%(count)d draft was sent back to you", "%(count)d drafts were sent back to you", count
        )
        opening = _("%(who)s asked for changes:") % {"who": who}
    elif kind == TO_REVIEW:
        subject = ngettext(
            "%(count)d version awaits your side's review",
            "%(count)d versions await your side's review",
            count,
        )
        opening = _("%(who)s submitted for review:") % {"who": who}
    else:
        subject = ngettext(
            "%(count)d of your versions was published",
            "%(count)d of your versions were published",
            count,
        )
        opening = _("Both sides approved, and these are now public:")
    base = settings.GLOSSARY_ADMIN_URL.rstrip("/")
    lines = [opening, ""]
    if comment:
        lines += [f"  {line}" for line in comment.splitlines()] + [""]
    shown = versions[:MAX_LISTED]
    lines += [
        f"- {_label(v)}: {base}{reverse('admin:glossary_conceptversion_change', args=[v.pk])}"
        for v in shown
    ]
    if count > len(shown):
        lines.append(_("… and %(count)d more.") % {"count": count - len(shown)})
    lines += [
        "",
        _("Your inbox: %(url)s") % {"url": base + reverse("admin:index")},
        _("To stop these e-mails, change your preferences: %(url)s")
        % {"url": base + reverse("admin:glossary_preferences")},
    ]
    return EmailMessage(
        subject=f"[{_('AI Glossary')}] " + subject % {"count": count},
        body="\n".join(lines),
        to=[person.email],
    )


#: How many versions one e-mail lists; the rest are counted.
MAX_LISTED = 50
