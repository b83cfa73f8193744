"""The e-mails of watching: the confirmation of a watch, and one after each publication.

A publication may concern many readers (a domain watched by hundreds, a batch of 300 versions
published at once), so its e-mails are never written inside the reviewer's request: the
publishing transaction queues a task once it commits (``after_publication``), and the task
writes one message per confirmed watch, each with its own one-click unsubscribe link
(``List-Unsubscribe`` and ``List-Unsubscribe-Post``, RFC 8058) and in the watch's language.
"""

from __future__ import annotations

import logging
from array import array
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from glossary.core.choices import Language, VersionState
from glossary.core.models import ConceptVersion, VersionDomain, Watch

logger = logging.getLogger(__name__)

CONFIRM_SALT = "glossary.watch.confirm"
STOP_SALT = "glossary.watch.stop"
#: How long a confirmation link works.
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60
#: Versions one e-mail lists; the rest are counted.
MAX_LISTED = 50
#: Messages sent through one connection at a time.
SEND_BATCH = 100


def token(watch: Watch, salt: str) -> str:
    """A signed token naming this watch and its address (an id alone could be reused)."""
    return signing.dumps({"id": watch.pk, "email": watch.email}, salt=salt, compress=True)


def read_token(value: str, salt: str, *, max_age: int | None = None) -> Watch | None:
    """The watch a token names, or None when it was stopped since.

    ``signing.BadSignature`` (``SignatureExpired`` among them) for a token that was not made
    here, or a confirmation link older than ``max_age`` seconds.
    """
    data = signing.loads(value, salt=salt, max_age=max_age)
    pk = data.get("id") if isinstance(data, dict) else None
    if not isinstance(pk, int):
        raise signing.BadSignature("not a watch token")
    return (
        Watch.objects.select_related("concept", "domain")
        .filter(pk=pk, email=str(data.get("email", "")))
        .first()
    )


def _absolute(path: str) -> str:
    return settings.GLOSSARY_SITE_URL.rstrip("/") + path


def stop_url(watch: Watch) -> str:
    with translation.override(watch.language):
        return _absolute(reverse("glossary:watch_stop", args=[token(watch, STOP_SALT)]))


def _target_name(watch: Watch) -> str:
    if watch.concept is not None:
        return watch.concept.uid
    assert watch.domain is not None
    return watch.domain.name or watch.domain.key


def confirmation(watch: Watch) -> EmailMessage:
    """The double opt-in message: nothing else is sent to the address until it is followed."""
    with translation.override(watch.language):
        link = _absolute(reverse("glossary:watch_confirm", args=[token(watch, CONFIRM_SALT)]))
        body = "\n".join(
            [
                _(
                    "Someone, probably you, asked to receive an e-mail each time “%(name)s” "
                    "changes in the AI Glossary."
                )
                % {"name": _target_name(watch)},
                "",
                _("To confirm, open this link within 7 days:"),
                link,
                "",
                _("If you did not ask for this, ignore this e-mail: nothing will be sent."),
            ]
        )
        return EmailMessage(
            subject=f"[{_('AI Glossary')}] "
            + _("Confirm that you want to watch “%(name)s”") % {"name": _target_name(watch)},
            body=body,
            to=[watch.email],
        )


def send(messages: list[EmailMessage]) -> None:
    for start in range(0, len(messages), SEND_BATCH):
        try:
            get_connection().send_messages(messages[start : start + SEND_BATCH])
        except OSError:
            # A mail server that is down must not undo or fail what was published.
            logger.exception("Could not send %d watch e-mail(s)", len(messages[start:]))
            return


def after_publication(versions: Iterable[ConceptVersion]) -> None:
    """Queue, once the publishing transaction commits, the e-mails to those who watch these."""
    # Held until the commit: 8 bytes an id in an array, for a bootstrap import's many batches.
    ids = array("q", [version.pk for version in versions])
    if ids:
        transaction.on_commit(lambda: send_publication_mail.enqueue(ids.tolist()), robust=True)


@task()
def send_publication_mail(version_ids: list[int]) -> None:
    """The queue's entry point: an e-mail per confirmed watch of these versions' concepts and
    domains. A fixed number of queries for the versions, then the watches read in chunks.

    Which concepts and domains are watched is asked first, on ids alone, and only the versions
    someone watches are read with their terms: a bootstrap import publishes thousands of
    versions that nobody watches yet.
    """
    public = ConceptVersion.objects.filter(
        pk__in=version_ids, state__in=[VersionState.PUBLISHED, VersionState.RETIRED]
    )
    concept_of = dict(public.values_list("pk", "concept_id"))
    if not concept_of:
        return
    domains_of: dict[int, list[int]] = defaultdict(list)
    for version_id, domain_id in VersionDomain.objects.filter(
        version_id__in=list(concept_of)
    ).values_list("version_id", "domain_id"):
        domains_of[domain_id].append(version_id)
    watches = (
        Watch.objects.filter(confirmed_at__isnull=False)
        .filter(Q(concept_id__in=list(concept_of.values())) | Q(domain_id__in=list(domains_of)))
        .select_related("concept", "domain")
        .order_by("pk")
    )
    watched = watches.values_list("concept_id", "domain_id").order_by().distinct()
    concerned: set[int] = set()
    watched_concepts: set[int] = set()
    for concept_id, domain_id in watched:
        if concept_id is not None:
            watched_concepts.add(concept_id)
        else:
            concerned.update(domains_of.get(domain_id or 0, ()))
    concerned.update(pk for pk, concept_id in concept_of.items() if concept_id in watched_concepts)
    if not concerned:
        return
    versions = list(
        public.filter(pk__in=sorted(concerned))
        .select_related("concept")
        .prefetch_related("terms")
        .order_by("pk")
    )
    by_concept = {version.concept_id: version for version in versions}
    by_pk = {version.pk: version for version in versions}
    by_domain = {
        domain_id: [by_pk[pk] for pk in ids if pk in by_pk] for domain_id, ids in domains_of.items()
    }
    messages = []
    for watch in watches.iterator(chunk_size=500):
        if watch.concept_id is not None:
            listed = [by_concept[watch.concept_id]]
        else:
            listed = by_domain[watch.domain_id or 0]
        messages.append(_publication_message(watch, listed))
        if len(messages) >= SEND_BATCH:
            send(messages)
            messages = []
    send(messages)


def _terms(version: ConceptVersion) -> str:
    preferred = [version.preferred(language) for language in Language]
    texts = dict.fromkeys(term.text for term in preferred if term is not None)
    return " · ".join(texts) or version.concept.uid


def _publication_message(watch: Watch, versions: list[ConceptVersion]) -> EmailMessage:
    with translation.override(watch.language):
        stop = stop_url(watch)
        if watch.concept is not None:
            version = versions[0]
            if version.state == VersionState.RETIRED:
                subject = _("Retired: %(terms)s") % {"terms": _terms(version)}
            else:
                subject = _("Published: %(terms)s, version %(number)d") % {
                    "terms": _terms(version),
                    "number": version.number,
                }
        else:
            subject = ngettext(
                "%(count)d concept published in %(domain)s",
                "%(count)d concepts published in %(domain)s",
                len(versions),
            ) % {"count": len(versions), "domain": _target_name(watch)}
        lines = [
            _("Both sides approved, and this is now published in the AI Glossary:"),
            "",
        ]
        for version in versions[:MAX_LISTED]:
            path = reverse("glossary:version", args=[version.concept.uid, version.number])
            lines.append(f"- {_terms(version)} (v{version.number}): {_absolute(path)}")
        if len(versions) > MAX_LISTED:
            lines.append(_("… and %(count)d more.") % {"count": len(versions) - MAX_LISTED})
        lines += [
            "",
            _("You receive this e-mail because you watch “%(name)s”. To stop, open: %(url)s")
            % {"name": _target_name(watch), "url": stop},
        ]
        return EmailMessage(
            subject=f"[{_('AI Glossary')}] {subject}",
            body="\n".join(lines),
            to=[watch.email],
            headers={
                "List-Unsubscribe": f"<{stop}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
