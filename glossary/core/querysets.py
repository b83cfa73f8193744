"""Named, chainable reads, and the guards that keep non-draft rows from being written in bulk.

Each screen has one ``for_<screen>()`` method that owns its joins and prefetches, so that the
number of queries a page makes does not grow with the glossary.

One module of about 650 lines on purpose: it is the catalogue of every read the site makes,
read side by side when a page's queries are reviewed, and the models import it whole for their
managers; a split by model would scatter the prefetches that one screen combines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from django.apps import apps
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Cast, Coalesce, Concat

from glossary.core.choices import (
    CONTRIBUTING_ACTIONS,
    FIELD_SUFFIX,
    HISTORY_STATES,
    PUBLIC_STATES,
    EventAction,
    ListSection,
    ReleaseChange,
    ReviewDecision,
    TermStatus,
    VersionState,
)
from glossary.core.fields import TEXT_FIELDS
from glossary.core.guards import TRANSITION_FIELDS, ImmutableError, in_transition

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _model(name: str) -> Any:
    """A model of this app, from the registry: the models module imports this one."""
    return apps.get_model("glossary", name)


#: The lists of each version that ``VersionQuerySet.api_records`` reads.
API_CHILDREN = ("terms", "citations", "relations", "domains", "renderings")

#: The columns of a term, a citation and an authority that the API's concept payload names.
API_TERM_COLUMNS = (
    "language",
    "text",
    "status",
    "term_type",
    "part_of_speech",
    "geographic_usage",
    "context",
    "note",
    "source__key",
    "machine_converted",
    "in_sense_only",
)
API_CITATION_COLUMNS = (
    "source__key",
    "source__title",
    "source__publisher",
    "source__jurisdiction",
    "source__published_on",
    "source__url",
    "locator",
    "quote",
    "quote_language",
)
API_AUTHORITY_COLUMNS = (
    "key",
    *(f"name_{suffix}" for suffix in FIELD_SUFFIX.values()),
    "kind",
    "jurisdiction",
)


def _terms_prefetch(path: str) -> Prefetch:
    Term = _model("Term")

    return Prefetch(f"{path}terms", queryset=Term.objects.order_by("language", "position", "id"))


class VersionQuerySet(models.QuerySet[Any]):
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
            _renderings_prefetch(""),
        )

    def waiting_for(self, user: User) -> VersionQuerySet:
        """Versions in review that this reviewer may still approve in the current round."""
        Event = _model("Event")
        Review = _model("Review")

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

    # --- The admin home's inbox and the review queue (glossary.admin) ----------------------

    def for_inbox(self) -> VersionQuerySet:
        """Versions as an inbox row shows them: concept, author, preferred terms."""
        return self.select_related("concept", "author").prefetch_related(
            _preferred_terms_prefetch("")
        )

    def _of(self, user: User) -> VersionQuerySet:
        """Versions this person wrote or edited."""
        Event = _model("Event")

        edited = Event.objects.filter(
            version=models.OuterRef("pk"), actor=user, action__in=CONTRIBUTING_ACTIONS
        )
        return self.filter(Q(author=user) | models.Exists(edited))

    def _sent_back(self) -> Q:
        Review = _model("Review")

        return Q(
            models.Exists(
                Review.objects.filter(
                    version=models.OuterRef("pk"),
                    review_round=models.OuterRef("review_round"),
                    decision="request_changes",
                )
            )
        )

    def sent_back_to(self, user: User) -> VersionQuerySet:
        """Drafts of this person whose last review round ended in a request for changes."""
        return (
            self.filter(state=VersionState.DRAFT, review_round__gt=0)
            ._of(user)
            .filter(self._sent_back())
            .order_by("-updated_at", "-id")
        )

    def drafts_of(self, user: User) -> VersionQuerySet:
        """This person's drafts not sent back (those have their own list), latest first."""
        return (
            self.filter(state=VersionState.DRAFT)
            ._of(user)
            .exclude(Q(review_round__gt=0) & self._sent_back())
            .order_by("-updated_at", "-id")
        )

    def published_for(self, user: User, since: Any) -> VersionQuerySet:
        """Public versions this person wrote, edited or reviewed, published since a moment,
        newest first (the window keeps the read on the state-and-date index)."""
        Event = _model("Event")
        Review = _model("Review")

        edited = Event.objects.filter(
            version=models.OuterRef("pk"), actor=user, action__in=CONTRIBUTING_ACTIONS
        )
        reviewed = Review.objects.filter(version=models.OuterRef("pk"), reviewer=user)
        return (
            self.filter(state__in=PUBLIC_STATES, published_at__gte=since)
            .filter(Q(author=user) | models.Exists(edited) | models.Exists(reviewed))
            .order_by("-published_at", "-id")
        )

    def for_review_queue(self, user: User) -> VersionQuerySet:
        """What waits for this reviewer, oldest submission first, with all a diff needs."""
        return (
            self.waiting_for(user)
            .with_content()
            .select_related("concept__public_version", "based_on")
            .order_by("submitted_at", "id")
        )

    # Exchange (glossary.exchange): exports read these ------------------------------------

    def for_export(self, *, release: Any = None, domain_key: str = "") -> VersionQuerySet:
        """The versions an export holds, by concept uid: the public ones, or a release's."""
        qs = self.filter(release_entries__release=release) if release is not None else self.public()
        if domain_key:
            qs = qs.filter(domains__key=domain_key)
        return qs.order_by("concept__uid")

    def history_of(self, concept_ids: Any) -> VersionQuerySet:
        """Versions that mark a concept's history in an export: its first, and each published."""
        return (
            self.filter(concept_id__in=concept_ids)
            .filter(Q(number=1) | Q(published_at__isnull=False))
            .order_by("concept_id", "number")
        )

    # --- Public site (glossary.site.views, feeds, sitemaps) ---------------------------------------

    def public_history(self) -> VersionQuerySet:
        """Versions that were ever public: published, superseded or retired.

        Drafts, versions in review and withdrawn versions never appear in public history.
        """
        return self.filter(state__in=HISTORY_STATES)

    def for_version_page(self) -> VersionQuerySet:
        """One public version with everything its page shows (terms, sources, relations...)."""
        return (
            self.public_history()
            .select_related("concept")
            .prefetch_related(*_public_content_prefetches(""))
        )

    def for_history_page(self) -> VersionQuerySet:
        """A concept's public versions, newest first, with their preferred terms."""
        return (
            self.public_history()
            .select_related("based_on")
            .prefetch_related(_preferred_terms_prefetch(""))
            .order_by("-number")
        )

    def with_review_record(self) -> VersionQuerySet:
        """Each version with the evidence of its review: ``submission_note`` (what its author said
        when sending it to the review that published it) and ``approvals`` (the approvals of
        that review round, side and date, oldest first)."""
        Event = _model("Event")
        Review = _model("Review")

        note = (
            Event.objects.filter(
                version_id=models.OuterRef("pk"),
                action__in=(EventAction.SUBMIT, EventAction.PROPOSE_RETIREMENT),
            )
            .order_by("-created_at", "-id")
            .values("comment")[:1]
        )
        return self.annotate(submission_note=models.Subquery(note)).prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(
                    decision=ReviewDecision.APPROVE,
                    review_round=models.F("version__review_round"),
                )
                .only("version_id", "side", "created_at")
                .order_by("created_at", "id"),
                to_attr="approvals",
            )
        )

    def for_changes(self) -> VersionQuerySet:
        """Publications, newest first: what lists and feeds of recent changes show.

        Of the version each revised, only its number (``based_on_number``), for the link to
        what changed: a whole version is a row of every field in every language.
        """
        return (
            self.public_history()
            .filter(published_at__isnull=False)
            .select_related("concept")
            .annotate(based_on_number=models.F("based_on__number"))
            .prefetch_related(_preferred_terms_prefetch(""), "domains")
            .order_by("-published_at", "-id")
        )

    def in_release(self, release: Any) -> VersionQuerySet:
        """The versions a release froze."""
        return self.filter(release_entries__release=release)

    def term_counts(self) -> dict[str, int]:
        """How many terms the current published versions have, per term language."""

        counts = self.filter(state=VersionState.PUBLISHED).aggregate(
            **{
                suffix: models.Count("terms", filter=Q(terms__language=language))
                for language, suffix in FIELD_SUFFIX.items()
            }
        )
        return {language: counts[suffix] or 0 for language, suffix in FIELD_SUFFIX.items()}

    # --- REST API (glossary.api) -------------------------------------------------------------

    def for_api(self, *, public: bool = True) -> VersionQuerySet:
        """Versions with everything an API payload names, in a fixed number of queries.

        ``public``: relations only to concepts the public can read (a link to a concept that is
        still a draft would leak it); editors see every relation of a draft.
        """
        Citation = _model("Citation")
        Relation = _model("Relation")
        Term = _model("Term")

        relations = Relation.objects.select_related("target").order_by("kind", "target__uid")
        if public:
            relations = relations.filter(target__public_version__isnull=False)
        return self.select_related("concept").prefetch_related(
            Prefetch(
                "terms",
                queryset=Term.objects.select_related("source").order_by(
                    "language", "position", "id"
                ),
            ),
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source").order_by("position", "id"),
            ),
            Prefetch("relations", queryset=relations),
            "domains",
            _renderings_prefetch(""),
        )

    def for_api_concepts(
        self,
        *,
        release: Any = None,
        domain: Any = None,
        agreement: str = "",
        maturity: str = "",
        updated_since: Any = None,
        concept_ids: list[int] | None = None,
    ) -> models.QuerySet[Any, int] | list[int]:
        """The concept list: the ids of the current public versions (or a release's), filtered,
        in the list's order, for ``api_records`` to read a page of.

        Ordered by identifier, as a query the paginator slices; with ``concept_ids`` (a search's
        hits, best first) only those concepts, in that order, as a list.
        """
        versions = self.in_release(release) if release is not None else self.public()
        if domain is not None:
            versions = versions.filter(domains=domain)
        if agreement:
            versions = versions.filter(agreement=agreement)
        if maturity:
            versions = versions.filter(maturity=maturity)
        if updated_since is not None:
            versions = versions.filter(published_at__gte=updated_since)
        if concept_ids is None:
            return versions.order_by("concept__uid").values_list("pk", flat=True)
        found = dict(versions.filter(concept_id__in=concept_ids).values_list("concept_id", "pk"))
        return [found[pk] for pk in concept_ids if pk in found]

    def api_records(self, ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """The versions of this query (or only ``ids``, in that order), with everything the API's
        concept payload names, as plain rows in six queries.

        Each version is a dict of its columns (``concept__uid``, ``definition_en``, …) with the
        lists ``terms``, ``citations``, ``relations``, ``domains`` and ``renderings`` (dicts of
        theirs, each in the order the payload gives). A page of 50 concepts holds several hundred
        rows: read as model instances with prefetches, they cost about twice as much.

        Relations are only to concepts the public can read, as in ``for_api``.
        """
        Citation = _model("Citation")
        Relation = _model("Relation")
        Rendering = _model("Rendering")
        Term = _model("Term")
        VersionDomain = _model("VersionDomain")

        versions = self if ids is None else self.filter(pk__in=ids).order_by()
        columns = [f"{name}_{suffix}" for name in TEXT_FIELDS for suffix in FIELD_SUFFIX.values()]
        rows = {
            row["id"]: {**row, **{name: [] for name in API_CHILDREN}}
            for row in versions.values(
                "id",
                "concept__uid",
                "number",
                "state",
                "published_at",
                "retirement_reason",
                "agreement",
                "maturity",
                "first_attested",
                "machine_converted_fields",
                *columns,
            )
        }
        if not rows:
            return []
        relations = Relation.objects.filter(target__public_version__isnull=False).order_by(
            "kind", "target__uid"
        )
        children = {
            "terms": (
                Term.objects.order_by("language", "position", "id"),
                API_TERM_COLUMNS,
            ),
            "citations": (Citation.objects.order_by("position", "id"), API_CITATION_COLUMNS),
            "relations": (relations, ("kind", "target__uid")),
            "domains": (
                VersionDomain.objects.order_by("domain__key"),
                ("domain__key", *(f"domain__name_{suffix}" for suffix in FIELD_SUFFIX.values())),
            ),
            "renderings": (
                Rendering.objects.order_by("position", "id"),
                (
                    *(f"authority__{name}" for name in API_AUTHORITY_COLUMNS),
                    *(f"term_{suffix}" for suffix in FIELD_SUFFIX.values()),
                    "status",
                    "definition",
                    "definition_language",
                    "locator",
                    "date",
                ),
            ),
        }
        for name, (queryset, fields) in children.items():
            for child in queryset.filter(version_id__in=list(rows)).values("version_id", *fields):
                rows[child.pop("version_id")][name].append(child)
        return list(rows.values()) if ids is None else [rows[pk] for pk in ids if pk in rows]

    def for_api_history(self) -> VersionQuerySet:
        """A concept's public versions, oldest first, with the releases that froze each."""
        ReleaseEntry = _model("ReleaseEntry")

        return (
            self.public_history()
            .select_related("concept")
            .prefetch_related(
                Prefetch(
                    "release_entries",
                    queryset=ReleaseEntry.objects.select_related("release").order_by(
                        "release__created_at", "release_id"
                    ),
                )
            )
            .order_by("number")
        )

    def for_api_draft(self) -> VersionQuerySet:
        """A version as editors see it: all of its content, its author and its reviews."""
        Review = _model("Review")

        return (
            self.for_api(public=False)
            .select_related("author", "based_on")
            .prefetch_related(
                Prefetch(
                    "reviews",
                    queryset=Review.objects.select_related("reviewer").order_by("created_at", "id"),
                )
            )
        )


if TYPE_CHECKING:
    # The manager ``VersionQuerySet.as_manager()`` makes, for ConceptVersion to name: the type
    # checker cannot find it alone, as modeltranslation swaps the manager's class at run time.
    VersionManager = models.Manager.from_queryset(VersionQuerySet)


class DraftChildQuerySet(models.QuerySet[Any]):
    """Terms, citations, relations and domains: writable only while their version is a draft."""

    def _check_versions(self, version_ids: Any) -> None:
        ConceptVersion = _model("ConceptVersion")

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

    # Exchange (glossary.exchange) ----------------------------------------------------------

    def notes_of_public_terms(
        self, pairs: set[tuple[str, str]], statuses: Any
    ) -> dict[tuple[str, str], str]:
        """The notes (why a term is deprecated or superseded, say) of these terms of current
        public versions, by (concept uid, term text), for terms with one of these statuses and a
        note: one query reading at most the terms named."""
        if not pairs:
            return {}
        rows = (
            self.filter(
                version__concept__uid__in={uid for uid, _text in pairs},
                version__concept__public_version=models.F("version"),
                text__in={text for _uid, text in pairs},
                status__in=list(statuses),
            )
            .exclude(note="")
            .values_list("version__concept__uid", "text", "note")
        )
        return {(uid, text): note for uid, text, note in rows if (uid, text) in pairs}

    def for_export(self, version_ids: Any) -> DraftChildQuerySet:
        """The rows of a batch of exported versions, read in one query per kind of row."""
        return self.filter(version_id__in=version_ids)

    # --- Authorities' renderings (glossary.site) ------------------------------------------

    def for_authority_page(self, authority: Any) -> DraftChildQuerySet:
        """An authority's renderings on concepts' current public versions, by concept uid, with
        each version's preferred terms (the glossary's choice beside the authority's)."""
        Term = _model("Term")

        return (
            self.filter(
                authority=authority,
                version__state=VersionState.PUBLISHED,
                version__concept__public_version=models.F("version"),
            )
            .select_related("version__concept")
            .prefetch_related(
                Prefetch(
                    "version__terms",
                    queryset=Term.objects.filter(status=TermStatus.PREFERRED).order_by(
                        "language", "id"
                    ),
                    to_attr="preferred_terms",
                )
            )
            .order_by("version__concept__uid", "position", "id")
        )

    def renderings_of_public_terms(self, pairs: set[tuple[str, str]]) -> list[Any]:
        """The renderings, on current public versions, that use these terms, by (concept uid,
        term text): one query reading at most the renderings of the concepts named."""
        if not pairs:
            return []
        texts = {text for _uid, text in pairs}
        return list(
            self.filter(
                version__concept__uid__in={uid for uid, _text in pairs},
                version__concept__public_version=models.F("version"),
            )
            .filter(Q(term_en__in=texts) | Q(term_zh_hans__in=texts) | Q(term_zh_hant__in=texts))
            .select_related("authority", "version__concept")
            .order_by("position", "id")
        )

    # --- Term check (glossary.termcheck.index) ---------------------------------------------------

    def for_term_check(self) -> models.QuerySet[Any, tuple[str, str, str, str, str]]:
        """Every term of the public versions as tuples, a concept's terms together: one query.

        (concept uid, version state, text, language, status), by concept uid; tuples, not model
        instances, because the term check reads the whole glossary at once.
        """
        return (
            self.public()
            .order_by("version__concept__uid", "language", "position", "id")
            .values_list("version__concept__uid", "version__state", "text", "language", "status")
        )

    # --- Public site (glossary.search.ranking) -------------------------------------------------------

    def public(self) -> DraftChildQuerySet:
        """Rows of a version the public may read (the current published or retired one)."""
        return self.filter(version__state__in=PUBLIC_STATES)


class ReferenceQuerySet(models.QuerySet[Any]):
    """Sources and domains: a row that anything beyond a draft cites is frozen.

    What the public reads changes only through review, so a source or domain that a version in
    review, published, superseded, withdrawn, retired or in a release cites is never changed in
    place; a corrected copy is cited by a new draft instead. Rows only drafts cite stay writable.
    """

    def frozen(self) -> ReferenceQuerySet:
        return self.filter(self.model.cited_beyond_drafts())

    def with_frozen(self) -> ReferenceQuerySet:
        """Each row with ``is_cited_beyond_drafts``, for lists that show it (one query)."""
        return self.annotate(is_cited_beyond_drafts=self.model.cited_beyond_drafts())

    def _refuse_frozen(self, qs: models.QuerySet, what: str) -> None:
        if qs.filter(self.model.cited_beyond_drafts()).exists():
            raise ImmutableError(
                f"{self.model._meta.verbose_name_plural} cited by versions beyond a draft "
                f"cannot be {what}; make a corrected copy instead."
            )

    def update(self, **kwargs: Any) -> int:
        self._refuse_frozen(self, "changed")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_frozen(self, "deleted")
        return super().delete()

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        objs = list(objs)
        self._refuse_frozen(self.model.objects.filter(pk__in=[obj.pk for obj in objs]), "changed")
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        if kwargs.get("update_conflicts"):
            keys = [obj.key for obj in objs]
            self._refuse_frozen(self.model.objects.filter(key__in=keys), "changed")
        return super().bulk_create(objs, *args, **kwargs)


if TYPE_CHECKING:
    # The manager ``ReferenceQuerySet.as_manager()`` makes, for Domain to name (modeltranslation
    # swaps its manager's class at run time).
    ReferenceManager = models.Manager.from_queryset(ReferenceQuerySet)


class AppendOnlyQuerySet(models.QuerySet):
    """Reviews, history and releases: written once, never updated or deleted."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableError(f"{self.model._meta.verbose_name_plural} are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError(f"{self.model._meta.verbose_name_plural} are never deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise ImmutableError(f"{self.model._meta.verbose_name_plural} are never changed.")


class PublicRow(NamedTuple):
    """A published concept as plain values (``ConceptQuerySet.public_rows``)."""

    uid: str
    version_id: int  # its public version's
    version: dict[str, Any]  # the public version's fields asked for
    preferred: dict[str, str]  # language: the preferred term's text


class ConceptQuerySet(models.QuerySet):
    def published(self) -> ConceptQuerySet:
        """Concepts with a version the public may read (published or retired)."""
        return self.filter(public_version__isnull=False)

    def for_admin_list(self) -> ConceptQuerySet:
        """The admin's concepts, each version with its preferred terms and its domains as
        plain lists (``listed_terms``, ``listed_domains``): the terms a row shows, not every
        term, and without the related manager a prefetch into ``terms`` or ``domains`` makes
        for each version (at 100,000 concepts, reading a page of 50 took 13 ms of CPU, 6 of
        them for those managers). Of each version, only what a row shows: its number, state
        and agreement, not its texts in three languages."""
        Domain = _model("Domain")

        shown = ("number", "state", "agreement")
        return (
            self.select_related("public_version", "open_version")
            .only(
                "uid",
                "created_at",
                *(
                    f"{version}__{field}"
                    for version in ("public_version", "open_version")
                    for field in shown
                ),
            )
            .prefetch_related(
                *(
                    prefetch
                    for version in ("public_version", "open_version")
                    for prefetch in (
                        _preferred_terms_prefetch(f"{version}__", to_attr="listed_terms"),
                        Prefetch(
                            f"{version}__domains",
                            queryset=Domain.objects.all(),
                            to_attr="listed_domains",
                        ),
                    )
                )
            )
        )

    def matching_term(self, folded: str) -> ConceptQuerySet:
        """Concepts whose public or open version has a term whose matching key contains this."""
        return self.filter(
            Q(public_version__terms__folded__contains=folded)
            | Q(open_version__terms__folded__contains=folded)
        ).distinct()

    # Exchange (glossary.exchange): imports match against these ---------------------------

    def for_import(self, uids: Any) -> ConceptQuerySet:
        """Concepts an import names by uid, with the states that decide what it may do."""
        return self.filter(uid__in=uids).select_related("public_version", "open_version")

    # --- Public site (glossary.site.views, feeds, sitemaps, search) -------------------------------

    def current(self) -> ConceptQuerySet:
        """Published concepts that are not retired: what the glossary counts and lists."""
        return self.filter(public_version__state=VersionState.PUBLISHED)

    def in_domain(self, domain: Any) -> ConceptQuerySet:
        return self.filter(public_version__domains=domain)

    def for_concept_page(self) -> ConceptQuerySet:
        """Published (or retired) concepts with everything the concept page shows."""
        return (
            self.published()
            .select_related("public_version")
            .prefetch_related(*_public_content_prefetches("public_version__"))
        )

    def public_rows(self, ids: Iterable[int], *fields: str) -> dict[int, PublicRow]:
        """The published concepts of ``ids`` as plain rows, by concept id: each one's uid, the
        ``fields`` of its public version, and the text of that version's preferred term in
        each language that has one (a version has at most one in each).

        Two queries. Browse and domain pages list 100 concepts and a search page 50: read as
        model instances with their prefetched terms, they cost about as much as the rest of the
        page (search results five times as much as these rows).
        """
        Term = _model("Term")

        rows = self.published().filter(pk__in=list(ids))
        concepts = {
            pk: (uid, version_id, dict(zip(fields, values, strict=True)))
            for pk, uid, version_id, *values in rows.values_list(
                "pk", "uid", "public_version_id", *(f"public_version__{f}" for f in fields)
            )
        }
        preferred: dict[int, dict[str, str]] = {
            version_id: {} for _uid, version_id, _fields in concepts.values()
        }
        terms = (
            Term.objects.filter(version_id__in=list(preferred), status=TermStatus.PREFERRED)
            .order_by()
            .values_list("version_id", "language", "text")
        )
        for version_id, language, text in terms:
            preferred[version_id][language] = text
        return {
            pk: PublicRow(uid, version_id, values, preferred[version_id])
            for pk, (uid, version_id, values) in concepts.items()
        }

    def for_lists(self) -> ConceptQuerySet:
        """Published concepts with their public version and its preferred terms.

        The differences page and the pages about one concept: two queries in all.
        """
        return (
            self.published()
            .select_related("public_version")
            .prefetch_related(_preferred_terms_prefetch("public_version__"))
        )

    def domains_with_counts(self) -> list[Any]:
        """Domains that have current concepts, each with ``concept_count``, in one query.

        The counts are read from ``ListCount`` (kept by publishing), not counted here.
        """
        Domain = _model("Domain")

        return list(
            Domain.objects.annotate(concept_count=_domain_count())
            .filter(concept_count__gt=0)
            .order_by("key")
        )

    # --- REST API (glossary.api) -------------------------------------------------------------

    def for_api_editorial(self) -> ConceptQuerySet:
        """Any concept, published or not, with its open and public versions (editors only)."""
        return self.select_related("open_version", "public_version")

    def for_api_domains(self) -> list[Any]:
        """Every domain, each with ``concept_count`` (current published concepts), in one query.

        The counts are read from ``ListCount`` (kept by publishing), not counted here.
        """
        Domain = _model("Domain")

        return list(
            Domain.objects.annotate(
                concept_count=Coalesce(_domain_count(), models.Value(0))
            ).order_by("key")
        )

    # --- Public site: domain page and feed -------------------------------------------------

    def public_domain(self, key: str) -> Any:
        """The domain at ``key`` with its ``concept_count`` if a current (published, not
        retired) concept is filed under it, else None: a domain made for a concept still in
        draft stays unseen. One query."""
        Domain = _model("Domain")

        return (
            Domain.objects.filter(key=key)
            .annotate(concept_count=_domain_count())
            .filter(concept_count__gt=0)
            .first()
        )

    def for_sitemap(self) -> ConceptQuerySet:
        """Published (or retired) concepts by identifier, with what a sitemap entry names.

        Sliced a page at a time; the unique index on ``uid`` gives the order.
        """
        return (
            self.published()
            .select_related("public_version")
            .only("uid", "public_version__published_at")
            .order_by("uid")
        )


class ReleaseQuerySet(AppendOnlyQuerySet):
    def latest_first(self) -> ReleaseQuerySet:
        return self.order_by("-created_at", "-id")

    # --- Public site (glossary.site.views, feeds, sitemaps) ---------------------------------------

    def for_release_list(self) -> ReleaseQuerySet:
        """Releases, newest first, to be sliced a page at a time; their counts are kept in
        ``ListCount`` (``ListCountQuerySet.release_changes``), never counted here."""
        return self.latest_first()

    def for_admin_list(self) -> ReleaseQuerySet:
        """Releases with who cut them and ``added``, ``changed`` and ``retired``: the counts
        their cut kept, each read through the counts' unique index (nothing is counted)."""
        ListCount = _model("ListCount")

        def kept(change: str) -> models.Subquery:
            bucket = Concat(
                Cast("pk", models.CharField()),
                models.Value(f"/{change}"),
                output_field=models.CharField(),
            )
            return models.Subquery(
                ListCount.objects.filter(section=ListSection.RELEASE_CHANGES, bucket=bucket).values(
                    "count"
                )[:1]
            )

        return self.select_related("created_by").annotate(
            **{
                change: Coalesce(kept(change), 0)
                for change in (ReleaseChange.ADDED, ReleaseChange.CHANGED, ReleaseChange.RETIRED)
            }
        )

    def for_release_page(self) -> ReleaseQuerySet:
        """A release with the previous one; its entries are read a page at a time
        (``ReleaseEntryQuerySet.for_release_page``)."""
        return self.select_related("previous")

    def containing(self, version: Any) -> ReleaseQuerySet:
        """Releases that froze this exact version, newest first."""
        return self.filter(entries__version=version).latest_first()

    # --- REST API (glossary.api) -------------------------------------------------------------

    def for_api_releases(self) -> ReleaseQuerySet:
        """Releases, newest first, with the previous one; their counts are kept in
        ``ListCount`` (``ListCountQuerySet.release_changes``)."""
        return self.latest_first().select_related("previous")


if TYPE_CHECKING:
    # The manager ``ReleaseQuerySet.as_manager()`` makes, for Release to name where it replaces
    # the manager of AppendOnly.
    ReleaseManager = models.Manager.from_queryset(ReleaseQuerySet)


class ReleaseEntryQuerySet(AppendOnlyQuerySet):
    def for_release_page(self, release: Any, change: str | None = None) -> ReleaseEntryQuerySet:
        """A release's entries (of one kind of change, or all), in concept order through the
        index on (release, change, concept) or (release, concept), each with its concept, its
        version and that version's preferred terms: to be sliced a page at a time."""
        entries = self.filter(release=release)
        if change is not None:
            entries = entries.filter(change=change)
        return (
            entries.select_related("concept", "version")
            .order_by("concept_id")
            .prefetch_related(_preferred_terms_prefetch("version__"))
        )

    def ids_of_change(self, release: Any, change: str) -> models.QuerySet[Any, int]:
        """Ids of a release's entries of one kind of change in concept order, to be sliced a
        page at a time: the index on (release, change, concept) answers it."""
        return (
            self.filter(release=release, change=change)
            .order_by("concept_id")
            .values_list("id", flat=True)
        )

    def version_numbers(self, release: Any, concept_ids: list[int]) -> dict[int, int]:
        """The version number this release froze of each of these concepts (where it holds
        them): one lookup per concept through the index on (release, concept)."""
        return dict(
            self.filter(release=release, concept_id__in=concept_ids).values_list(
                "concept_id", "version__number"
            )
        )

    def for_sitemap(self) -> ReleaseEntryQuerySet:
        """Every release's entries by id, with the release name and concept uid a sitemap entry
        names; sliced a page at a time (the primary key gives the order)."""
        return (
            self.select_related("release", "concept")
            .only("release__name", "release__created_at", "concept__uid")
            .order_by("id")
        )


if TYPE_CHECKING:
    ReleaseEntryManager = models.Manager.from_queryset(ReleaseEntryQuerySet)


class PublicationQuerySet(models.QuerySet[Any]):
    def stamp(self) -> tuple[int, Any]:
        """(serial, when) of the last publication or release: one lookup by primary key.

        (0, None) before anything was published.
        """
        row = self.filter(pk=self.model.ROW).values_list("serial", "changed_at").first()
        return row if row is not None else (0, None)

    def next_serial(self) -> int:
        """The serial the stamp will have when this transaction's publication bumps it.

        Locks the stamp's row until the transaction ends, as the bump would: publishers take
        turns from here, so rows written with this serial become visible in its order.
        """
        serial = self.select_for_update().filter(pk=self.model.ROW).values_list("serial", flat=True)
        current = serial.first()
        return (current or 0) + 1


class ListEntryQuerySet(models.QuerySet[Any]):
    def for_list_page(self, section: str, bucket: str) -> models.QuerySet[Any, int]:
        """Concept ids of one public list in its order (sort key, then id), to be sliced a page
        at a time: the index on (section, bucket, key, concept) answers it alone."""
        return (
            self.filter(section=section, bucket=bucket)
            .order_by("key", "concept_id")
            .values_list("concept_id", flat=True)
        )


class ListCountQuerySet(models.QuerySet[Any]):
    def counts(self, *sections: str) -> dict[str, dict[str, int]]:
        """The counts of these sections, by section and bucket: one query over their rows."""
        found: dict[str, dict[str, int]] = {section: {} for section in sections}
        for section, bucket, count in self.filter(section__in=sections).values_list(
            "section", "bucket", "count"
        ):
            found[section][bucket] = count
        return found

    def release_changes(self, release_ids: list[int]) -> dict[int, dict[str, int]]:
        """Each of these releases' entries by kind of change (every kind present, 0 where it
        has none), as the release cut counted them: one query over their counts."""
        found = {pk: dict.fromkeys(ReleaseChange.values, 0) for pk in release_ids}
        buckets = {
            ListSection.release_bucket(pk, change): (pk, change)
            for pk in release_ids
            for change in ReleaseChange.values
        }
        for bucket, count in self.filter(
            section=ListSection.RELEASE_CHANGES, bucket__in=list(buckets)
        ).values_list("bucket", "count"):
            pk, change = buckets[bucket]
            found[pk][change] = count
        return found

    def count_of(self, section: str, bucket: str = "") -> int:
        """One count (0 when nothing was ever counted there): a lookup by the unique index."""
        count = self.filter(section=section, bucket=bucket).values_list("count", flat=True).first()
        return count or 0


class ApiTokenQuerySet(models.QuerySet):
    def for_key(self, key: str) -> models.QuerySet:
        """The token a program sent, found by the digest of its key, with its account."""
        return self.filter(key_digest=key_digest(key)).select_related("user")


def key_digest(key: str) -> str:
    """What is stored of an API token's key: its SHA-256, in hexadecimal."""
    return hashlib.sha256(key.encode()).hexdigest()


# --- Public site: prefetches shared by the reads above --------------------------------------


def _domain_count() -> models.Subquery:
    """A domain's number of current concepts, from the counts publishing keeps."""
    ListCount = _model("ListCount")

    return models.Subquery(
        ListCount.objects.filter(section=ListSection.DOMAINS, bucket=models.OuterRef("key")).values(
            "count"
        )[:1]
    )


#: States of the versions that public history shows.


def _preferred_terms_prefetch(path: str, to_attr: str | None = None) -> Prefetch:
    """Only the preferred terms: enough for a list entry's label in every language (into the
    version's ``terms``, or into a plain list ``to_attr``)."""
    Term = _model("Term")

    return Prefetch(
        f"{path}terms",
        queryset=Term.objects.filter(status=TermStatus.PREFERRED).order_by("language", "id"),
        to_attr=to_attr,
    )


def _public_content_prefetches(path: str) -> list[Prefetch | str]:
    """What a public version page shows, for the version at ``path``.

    Related concepts are limited to those with a public version (a link to a concept that is
    still a draft would leak it), and come with their own preferred terms as labels.
    """
    Citation = _model("Citation")
    Relation = _model("Relation")
    Term = _model("Term")

    return [
        Prefetch(
            f"{path}terms",
            queryset=Term.objects.select_related("source").order_by("language", "position", "id"),
        ),
        Prefetch(
            f"{path}citations",
            queryset=Citation.objects.select_related("source").order_by("position", "id"),
        ),
        Prefetch(
            f"{path}relations",
            queryset=Relation.objects.filter(target__public_version__isnull=False)
            .select_related("target__public_version")
            .order_by("kind", "target__uid"),
        ),
        _preferred_terms_prefetch(f"{path}relations__target__public_version__"),
        f"{path}domains",
        _renderings_prefetch(path),
    ]


def _renderings_prefetch(path: str) -> Prefetch:
    """A version's authorities' renderings, in their order, with their authorities."""
    Rendering = _model("Rendering")
    return Prefetch(
        f"{path}renderings",
        queryset=Rendering.objects.select_related("authority").order_by("position", "id"),
    )
