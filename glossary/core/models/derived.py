"""Data derived from published versions, rebuilt by ``rebuild_derived``: search keys, stored TBX entries, list entries and counts, the term index, the publication stamp."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from glossary.core import querysets
from glossary.core.models.concepts import Concept, ConceptVersion, Term


class SearchKey(models.Model):
    """One way a public term can be found: a normalised key, in an indexed column.

    Written by ``glossary.search.keys`` in the transaction that publishes a version (the
    concept's previous keys are replaced), read by ``glossary.search.ranking`` with equality and prefix
    lookups. Only public versions (published or retired) have keys, so drafts are never found.
    """

    class Kind(models.TextChoices):
        # Developer-facing: keys are never shown, so the labels are not translated.
        TERM = "term", "whole term: English key or Simplified-folded Chinese"
        PART = "part", "the term from one of its later words or jieba segments on"
        PINYIN = "pinyin", "pinyin without tones or spaces"
        TONES = "tones", "pinyin with tone digits, without spaces"
        INITIALS = "initials", "first letters of the pinyin syllables"
        PINYIN_PART = "pinyin_part", "pinyin of the term from one of its later segments on"
        TYPO = "typo", "one half of an English term, with the term's length"

    # Keys belong to public versions and their terms, which are never deleted; DO_NOTHING keeps
    # the deletes of draft terms (on every draft save) free of a cascade query, while the
    # foreign keys still refuse a dangling key.
    concept = models.ForeignKey(
        Concept, verbose_name=_("concept"), on_delete=models.DO_NOTHING, related_name="+"
    )
    version = models.ForeignKey(
        ConceptVersion,
        verbose_name=_("version"),
        on_delete=models.DO_NOTHING,
        related_name="search_keys",
    )
    term = models.ForeignKey(
        Term,
        verbose_name=pgettext_lazy("terminology", "term"),
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    kind = models.CharField(_("kind of key"), max_length=12, choices=Kind.choices)
    # Indexed with its kind and rank (Meta.indexes): every read names the kind, and looks the
    # key up by equality or as a range (a prefix), which that index answers on every database.
    key = models.CharField(_("matching key"), max_length=300)
    # How the search orders its term among the keys that match a query equally well (written
    # by ``glossary.search.keys.term_rank``). Null, not empty, only on keys written before the
    # column existed, until ``rebuild_derived --if-missing`` writes them again: the partial
    # index below finds them by ``IS NULL``, which needs no parameter to match its condition.
    rank = models.CharField(  # noqa: DJ001 - null as explained above
        _("search rank"), max_length=80, null=True, editable=False
    )

    class Meta:
        verbose_name = _("search key")
        verbose_name_plural = _("search keys")
        indexes = [
            # The search reads the keys of a kind equal to or beginning with the query, and
            # orders them by rank per concept: every column it reads is in the index.
            models.Index(fields=["kind", "key", "rank", "concept"], name="search_key_rank"),
            # Keys awaiting their rank: empty once rebuilt, so the check is free.
            models.Index(
                fields=["version"],
                condition=models.Q(rank__isnull=True),
                name="search_key_unranked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.key}"


class DefinitionKey(models.Model):
    """One word (Latin script) or pair of characters (Chinese) of a public version's definitions.

    Written by ``glossary.search.keys`` with the search keys, read by the search's last resort:
    the definitions that hold every word of a query are found through this index and only they
    are read, where a scan would read every definition of the glossary.
    """

    concept = models.ForeignKey(
        Concept, verbose_name=_("concept"), on_delete=models.DO_NOTHING, related_name="+"
    )
    version = models.ForeignKey(
        ConceptVersion,
        verbose_name=_("version"),
        on_delete=models.DO_NOTHING,
        related_name="definition_keys",
    )
    key = models.CharField(_("matching key"), max_length=100)

    class Meta:
        verbose_name = _("definition key")
        verbose_name_plural = _("definition keys")
        # Lookups by key (equality, prefix) that need only the concept: the index answers them.
        indexes = [models.Index(fields=["key", "concept"], name="definition_key_concept")]

    def __str__(self) -> str:
        return self.key


class TbxEntry(models.Model):
    """A version's TBX entry, written in the transaction that publishes the version.

    A version never changes, so neither does most of its entry: exports read it here instead of
    assembling it from a dozen rows (``glossary.exchange.tbx.entry_parts``). What can change
    without a new version stays a placeholder filled in as the file is written: the subject
    field names and source titles, the cross-references (whose targets may be published later,
    and which a release or a subject field's file may not hold), and whether history is wanted.
    """

    version = models.OneToOneField(
        ConceptVersion,
        verbose_name=_("version"),
        primary_key=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    # Text and placeholders, as glossary.exchange.tbx.pack writes them.
    parts = models.TextField(_("entry"))

    class Meta:
        verbose_name = _("TBX entry")
        verbose_name_plural = _("TBX entries")

    def __str__(self) -> str:
        return str(self.version_id)


class TermIndexEntry(models.Model):
    """A public concept's terms as the term check reads them: one row per concept, with a serial.

    Written by ``glossary.termcheck.index`` in the transaction that publishes or retires a
    version (the row of the concept's earlier version is replaced). ``serial`` is the publication
    stamp's serial that transaction ends with, so each worker reads only the rows with a serial
    above the last one it applied: the concepts published since, and nothing else.
    """

    concept = models.OneToOneField(
        Concept,
        verbose_name=_("concept"),
        primary_key=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    version = models.OneToOneField(
        ConceptVersion, verbose_name=_("version"), on_delete=models.DO_NOTHING, related_name="+"
    )
    uid = models.CharField(_("identifier"), max_length=100)
    retired = models.BooleanField(_("retired"), default=False)
    #: [[text, language, status, part of speech], ...] in the order of
    #: ``Term.objects.for_term_check``; a term flagged only where its concept is meant
    #: (``Term.in_sense_only``) has a fifth item, 1.
    terms = models.JSONField(pgettext_lazy("terminology", "terms"), default=list)
    serial = models.PositiveBigIntegerField(_("publication serial"), db_index=True)

    class Meta:
        verbose_name = _("term index entry")
        verbose_name_plural = _("term index entries")

    def __str__(self) -> str:
        return f"{self.uid} ({self.serial})"


class Publication(models.Model):
    """What the public glossary last became: one row, changed with every publication or release.

    The workflow bumps ``serial`` in the transaction that publishes a version or cuts a release.
    The row lock serialises publishers, so the serial a reader sees changes exactly when a
    committed change becomes visible, and reading it is one lookup by primary key, however
    large the glossary: page caches, API validators and the term check key on it.
    """

    ROW = 1

    serial = models.PositiveBigIntegerField(_("publications so far"), default=0)
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    objects = querysets.PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication stamp")
        verbose_name_plural = _("publication stamps")

    def __str__(self) -> str:
        return f"{self.serial} ({self.changed_at})"


class ListEntry(models.Model):
    """A current concept's place in one public list, or its share of one public count.

    Written by ``glossary.core.lists`` in the transaction that publishes a version (the
    concept's previous rows are replaced), read by the browse and domain pages a page at a
    time through the index on (section, bucket, key, concept). A row with an empty key only
    counts (the concepts of a domain, the terms of a language); ``ListCount`` holds the sums.
    """

    concept = models.ForeignKey(
        Concept, verbose_name=_("concept"), on_delete=models.DO_NOTHING, related_name="+"
    )
    section = models.CharField(_("list"), max_length=20)
    bucket = models.CharField(_("letter or domain"), max_length=100, blank=True)
    # The sort key in hexadecimal: byte order, whatever the database's collation.
    key = models.CharField(_("sort key"), max_length=600, blank=True)
    weight = models.PositiveIntegerField(_("adds to the count"), default=1)

    objects = querysets.ListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        indexes = [
            models.Index(fields=["section", "bucket", "key", "concept"], name="list_entry_page")
        ]

    def __str__(self) -> str:
        return f"{self.section}/{self.bucket}: {self.concept_id}"


class ListCount(models.Model):
    """How many entries one public list or count holds: kept by publishing, never counted
    per request (the letters of the browse pages, the concepts of each domain, the terms of
    each language, the concepts and release entries the sitemap lists)."""

    section = models.CharField(_("list"), max_length=20)
    bucket = models.CharField(_("letter or domain"), max_length=100, blank=True)
    count = models.BigIntegerField(_("count"), default=0)

    objects = querysets.ListCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("list count")
        verbose_name_plural = _("list counts")
        constraints = [
            models.UniqueConstraint(fields=["section", "bucket"], name="list_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.section}/{self.bucket}: {self.count}"
