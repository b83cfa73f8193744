"""The people who edit and review: each account's side and role, and its API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from glossary.core import querysets
from glossary.core.choices import (
    ReviewerRole,
    Side,
)


class Profile(models.Model):
    """What the review policy needs to know about a person: their side and role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="glossary_profile"
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=ReviewerRole.choices, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    # E-mail notifications (glossary.core.notify); each person turns them off on their
    # preferences page.
    email_sent_back = models.BooleanField(_("e-mail me when my draft is sent back"), default=True)
    email_to_review = models.BooleanField(
        _("e-mail me when a version awaits my side's review"), default=True
    )
    email_published = models.BooleanField(_("e-mail me when my version is published"), default=True)
    email_language = models.CharField(
        _("language of the e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_side_display() or '-'})"


class ApiToken(models.Model):
    """A key a program sends as ``Authorization: Token <key>``, valid until ``expires``.

    Only a SHA-256 digest of the key is stored, so a copy of the database holds no usable key.
    ``session_hash`` is the account's ``get_session_auth_hash()`` when the token was issued (what
    Django keeps in a session for the same purpose): it changes with the password, so a token
    issued before a password change no longer matches and is refused
    (``glossary.api.authentication``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    key_digest = models.CharField(_("key digest"), max_length=64, unique=True)
    session_hash = models.CharField(_("password stamp"), max_length=128)
    created = models.DateTimeField(_("issued"))
    expires = models.DateTimeField(_("expires"), db_index=True)

    objects = querysets.ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.expires:%Y-%m-%d %H:%M})"
