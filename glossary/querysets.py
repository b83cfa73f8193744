"""Named, chainable reads, and the guards that keep non-draft rows from being written in bulk.

Each screen has one ``for_<screen>()`` method that owns its joins and prefetches, so that the
number of queries a page makes does not grow with the glossary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Prefetch, Q

from glossary.choices import PUBLIC_STATES, VersionState
from glossary.guards import TRANSITION_FIELDS, ImmutableError, in_transition

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def _terms_prefetch(path: str) -> Prefetch:
    from glossary.models import Term

    return Prefetch(f"{path}terms", queryset=Term.objects.order_by("language", "position", "id"))


class VersionQuerySet(models.QuerySet):
    """Versions. Bulk writes are refused unless every row touched is a draft."""

    def _non_drafts(self, pks: list[Any] | None = None) -> bool:
        qs = self.model.objects.filter(pk__in=pks) if pks is not None else self
        return qs.exclude(state=VersionState.DRAFT).exists()

    def update(self, **kwargs: Any) -> int:
        if in_transition():
            if not set(kwargs) <= TRANSITION_FIELDS:
                raise ImmutableError("A transition writes only the state fields of a version.")
        elif self._non_drafts():
            raise ImmutableError("Only draft versions can be updated.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._non_drafts():
            raise ImmutableError("Only draft versions can be deleted.")
        return super().delete()

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        objs = list(objs)
        if in_transition():
            if not set(fields) <= TRANSITION_FIELDS:
                raise ImmutableError("A transition writes only the state fields of a version.")
        elif self._non_drafts([obj.pk for obj in objs]):
            raise ImmutableError("Only draft versions can be updated.")
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        if any(obj.state != VersionState.DRAFT for obj in objs):
            raise ImmutableError("A new version always starts as a draft.")
        return super().bulk_create(objs, *args, **kwargs)

    # Reads

    def public(self) -> VersionQuerySet:
        """Versions the public may read: the current published or retired ones."""
        return self.filter(state__in=PUBLIC_STATES)

    def in_review(self) -> VersionQuerySet:
        return self.filter(state=VersionState.IN_REVIEW)

    def with_content(self) -> VersionQuerySet:
        """Everything a version shows: terms, citations with sources, relations, domains."""
        return self.select_related("concept", "author").prefetch_related(
            _terms_prefetch(""),
            "citations__source",
            "relations__target",
            "domains",
        )

    def waiting_for(self, user: AbstractBaseUser) -> VersionQuerySet:
        """Versions in review that this reviewer may still approve in the current round."""
        from glossary.models import Event, Review
        from glossary.workflow import CONTRIBUTING_ACTIONS

        reviewed = Review.objects.filter(
            version=models.OuterRef("pk"),
            reviewer=user,
            review_round=models.OuterRef("review_round"),
        )
        contributed = Event.objects.filter(
            version=models.OuterRef("pk"), actor=user, action__in=CONTRIBUTING_ACTIONS
        )
        return (
            self.in_review()
            .exclude(author=user)
            .exclude(models.Exists(reviewed))
            .exclude(models.Exists(contributed))
        )


class DraftChildQuerySet(models.QuerySet):
    """Terms, citations, relations and domains: writable only while their version is a draft."""

    def _check_versions(self, version_ids: Any) -> None:
        from glossary.models import ConceptVersion

        if (
            ConceptVersion.objects.filter(pk__in=version_ids)
            .exclude(state=VersionState.DRAFT)
            .exists()
        ):
            raise ImmutableError(
                f"{self.model._meta.verbose_name_plural} of a non-draft version cannot change."
            )

    def update(self, **kwargs: Any) -> int:
        self._check_versions(self.values("version_id"))
        if "version" in kwargs or "version_id" in kwargs:
            self._check_versions([getattr(kwargs.get("version"), "pk", kwargs.get("version_id"))])
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_versions(self.values("version_id"))
        return super().delete()

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        objs = list(objs)
        stored = self.model.objects.filter(pk__in=[obj.pk for obj in objs]).values("version_id")
        self._check_versions(stored)
        self._check_versions({obj.version_id for obj in objs})
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        self._check_versions({obj.version_id for obj in objs})
        return super().bulk_create(objs, *args, **kwargs)


class AppendOnlyQuerySet(models.QuerySet):
    """Reviews, history and releases: written once, never updated or deleted."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableError(f"{self.model._meta.verbose_name_plural} are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError(f"{self.model._meta.verbose_name_plural} are never deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise ImmutableError(f"{self.model._meta.verbose_name_plural} are never changed.")


class ConceptQuerySet(models.QuerySet):
    def published(self) -> ConceptQuerySet:
        """Concepts with a version the public may read (published or retired)."""
        return self.filter(public_version__isnull=False)

    def for_admin_list(self) -> ConceptQuerySet:
        return self.select_related("public_version", "open_version").prefetch_related(
            _terms_prefetch("public_version__"),
            _terms_prefetch("open_version__"),
            "public_version__domains",
            "open_version__domains",
        )

    def matching_term(self, folded: str) -> ConceptQuerySet:
        """Concepts whose public or open version has a term whose matching key contains this."""
        return self.filter(
            Q(public_version__terms__folded__contains=folded)
            | Q(open_version__terms__folded__contains=folded)
        ).distinct()


class ReleaseQuerySet(AppendOnlyQuerySet):
    def latest_first(self) -> ReleaseQuerySet:
        return self.order_by("-created_at", "-id")
