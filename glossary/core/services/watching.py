"""Watching a concept or a domain by e-mail: asked for, confirmed (double opt-in), stopped."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glossary.core import watch_mail
from glossary.core.models import Concept, Domain, Watch


@transaction.atomic
def watch_request(
    *, email: str, concept: Concept | None = None, domain: Domain | None = None, language: str
) -> Watch:
    """Ask to watch a published concept or a domain: a confirmation e-mail goes to the address.

    Asking again for an unconfirmed watch sends the confirmation again (in the language asked
    in now); for a confirmed one nothing is sent, and the answer is the same, so that the page
    never tells whether an address already watches something.
    """
    if (concept is None) == (domain is None):
        raise ValidationError(_("Watch either a concept or a domain."))
    watch = Watch(email=email.strip(), concept=concept, domain=domain, language=language)
    watch.full_clean(validate_unique=False, validate_constraints=False)
    existing = (
        Watch.objects.select_for_update()
        .filter(email__iexact=watch.email, concept=concept, domain=domain)
        .first()
    )
    if existing is not None:
        if existing.confirmed_at is not None:
            return existing
        if existing.language != language:
            Watch.objects.filter(pk=existing.pk).update(language=language)
            existing.language = language
        watch = existing
    else:
        watch.save()
    message = watch_mail.confirmation(watch)
    transaction.on_commit(lambda: watch_mail.send([message]), robust=True)
    return watch


@transaction.atomic
def watch_confirm(*, watch: Watch) -> Watch:
    """The address's owner followed the confirmation link: from now on, mail goes there."""
    if watch.confirmed_at is None:
        watch.confirmed_at = timezone.now()
        Watch.objects.filter(pk=watch.pk).update(confirmed_at=watch.confirmed_at)
    return watch


@transaction.atomic
def watch_stop(*, watch: Watch) -> None:
    """Stop a watch: it is deleted, with the address."""
    Watch.objects.filter(pk=watch.pk).delete()
