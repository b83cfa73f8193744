"""People: accounts with their group, side and role, and their API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glossary.core import roles
from glossary.core.models import ApiToken, Profile
from glossary.core.querysets import key_digest
from glossary.core.workflow import WorkflowError

if TYPE_CHECKING:
    from django.contrib.auth.models import Group
    from django.contrib.auth.models import User as UserModel

User = get_user_model()


@dataclass(frozen=True)
class IssuedToken:
    """A new API token: the key, shown to its owner once and stored only as a digest."""

    key: str
    expires: dt.datetime


@transaction.atomic
def api_token_issue(*, user: UserModel) -> IssuedToken:
    """A new token for an account that has just proved its password.

    It is valid for ``GLOSSARY_TOKEN_LIFETIME_HOURS`` and for as long as the password stays the
    same and the account active. The account's expired tokens are removed on the way.
    """
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."), code="inactive")
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires__lte=now).delete()
    key = secrets.token_hex(32)
    token = ApiToken(
        user=user,
        key_digest=key_digest(key),
        session_hash=user.get_session_auth_hash(),
        created=now,
        expires=now + dt.timedelta(hours=settings.GLOSSARY_TOKEN_LIFETIME_HOURS),
    )
    token.save()
    return IssuedToken(key=key, expires=token.expires)


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    """Remove a token: it expired, or its account's password changed or was deactivated."""
    ApiToken.objects.filter(pk=token.pk).delete()


@transaction.atomic
def account_give_role(*, account: UserModel, group: Group, actor: UserModel) -> UserModel:
    """Put a new account in an editorial group, with the staff status the admin needs.

    Anyone who may change accounts may do this with a group within their own rights (an
    Administrator makes editors); only a superuser gives more (see ``roles.may_manage``).
    """
    if not (roles.may_manage(actor, account) and roles.grantable_groups(actor).filter(pk=group.pk)):
        raise WorkflowError(
            "permission_denied",
            _("You may not give the %(group)s role: it holds rights you do not have.")
            % {"group": group.name},
        )
    account.is_staff = True
    account.save(update_fields=["is_staff"])
    account.groups.add(group)
    return account


@transaction.atomic
def person_ensure(
    *,
    username: str,
    group: str | None = None,
    side: str = "",
    role: str = "linguist",
    password: str | None = None,
    staff: bool = True,
    superuser: bool = False,
    first_name: str = "",
    last_name: str = "",
) -> tuple[UserModel, bool]:
    """The account of a person in an editorial group, with their side and role; made if missing.

    The one way the project's own code makes people (the seed's accounts, the local demo
    accounts, the benchmark's, the tests'): a new account gets ``password``, or none that can
    sign in; an existing one keeps its password and its reviewer profile, and is put in the
    group with the staff and superuser status asked for. People made in the admin go through
    ``account_give_role`` instead, which checks the rights of whoever makes them. Returns the
    account, read afresh, and whether it was created.
    """
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "is_staff": staff,
            "is_superuser": superuser,
            "first_name": first_name,
            "last_name": last_name,
        },
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif (user.is_staff, user.is_superuser) != (staff, superuser):
        user.is_staff, user.is_superuser = staff, superuser
        user.save(update_fields=["is_staff", "is_superuser"])
    if group:
        user.groups.add(roles.group(group))
    if side:
        Profile.objects.get_or_create(user=user, defaults={"side": side, "role": role})
    return User.objects.get(pk=user.pk), created


@transaction.atomic
def preferences_save(
    *,
    user: UserModel,
    email: str,
    email_sent_back: bool,
    email_to_review: bool,
    email_published: bool,
    email_language: str,
) -> Profile:
    """A person's own notification preferences and the address the e-mails go to.

    Only these fields: a person never sets their own side or role here.
    """
    if email_language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the interface languages."), code="language")
    email = email.strip()
    if email:
        validate_email(email)
    if email != user.email:
        user.email = email
        user.save(update_fields=["email"])
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    profile.email_sent_back = email_sent_back
    profile.email_to_review = email_to_review
    profile.email_published = email_published
    profile.email_language = email_language
    profile.save(
        update_fields=["email_sent_back", "email_to_review", "email_published", "email_language"]
    )
    return profile
