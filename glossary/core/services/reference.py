"""Reference data: sources and domains, editable until a version beyond a draft cites them; corrected copies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from glossary.core import workflow
from glossary.core.models import (
    Authority,
    Domain,
    Source,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@transaction.atomic
def source_save(*, source: Source, user: AbstractBaseUser) -> Source:
    """Create a source, or change one that no version beyond a draft cites yet."""
    return _reference_save(source, user)


@transaction.atomic
def domain_save(*, domain: Domain, user: AbstractBaseUser) -> Domain:
    """Create a domain, or rename one that no version beyond a draft files a concept under."""
    return _reference_save(domain, user)


@transaction.atomic
def source_copy(*, source: Source, user: AbstractBaseUser) -> Source:
    """A new, editable source made from this one under a new key, for a correction.

    A source that versions beyond a draft cite is frozen; the copy is corrected and then cited
    in a new draft, so the correction reaches the public only through review.
    """
    return _reference_copy(source, user)


@transaction.atomic
def domain_copy(*, domain: Domain, user: AbstractBaseUser) -> Domain:
    """A new, editable domain made from this one under a new key (see ``source_copy``)."""
    return _reference_copy(domain, user)


def _reference_save(obj, user):  # noqa: ANN001, ANN202 - a Source or a Domain
    adding = obj._state.adding or obj.pk is None
    if not adding:
        # The lock _lock_references takes too: a submission citing it cannot slip in between.
        list(type(obj).objects.select_for_update().filter(pk=obj.pk).values("pk"))
    workflow.check_reference_change(user, obj, adding=adding)
    obj.full_clean()
    obj.save()
    return obj


def _reference_copy(original, user):  # noqa: ANN001, ANN202 - a Source or a Domain
    workflow.check_reference_copy(user, original)
    model = type(original)
    copy = model.objects.get(pk=original.pk)
    copy.pk = None
    copy._state.adding = True
    copy.key = _free_key(model, original.key)
    copy.full_clean()
    copy.save()
    return copy


def _free_key(model, key: str) -> str:  # noqa: ANN001 - Source or Domain
    """``key-2``, ``key-3``, ...: the first that is free, within the key's length."""
    limit = model._meta.get_field("key").max_length
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = key[: limit - len(suffix)].rstrip("-") + suffix
        if not model.objects.filter(key=candidate).exists():
            return candidate
        number += 1


@transaction.atomic
def authority_save(*, authority: Authority, user: AbstractBaseUser) -> Authority:
    """Create an authority, or change one that no version beyond a draft cites yet."""
    return _reference_save(authority, user)


@transaction.atomic
def authority_copy(*, authority: Authority, user: AbstractBaseUser) -> Authority:
    """A new, editable authority made from this one under a new key (see ``source_copy``)."""
    return _reference_copy(authority, user)
