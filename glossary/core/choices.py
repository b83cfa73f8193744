"""The closed vocabularies of the data model (TBX-Basic picklists where TBX has one)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from glossary.language import codes


class Language(models.TextChoices):
    """Languages of terms and texts, as BCP 47 tags."""

    EN = codes.EN, _("English")
    ZH_HANS = codes.ZH_HANS, _("Simplified Chinese")
    ZH_HANT = codes.ZH_HANT, _("Traditional Chinese")


#: modeltranslation field suffix for each term language.
FIELD_SUFFIX = codes.FIELD_SUFFIX


def interface_language() -> str:
    """The active interface language (Django's code), always one of settings.LANGUAGES."""
    code = (get_language() or settings.LANGUAGE_CODE).lower()
    return code if code in codes.BCP47 else settings.LANGUAGE_CODE


class Side(models.TextChoices):
    US = "us", _("U.S. side")
    CN = "cn", _("China side")
    OTHER = "other", _("Neither side (observer)")


class ReviewerRole(models.TextChoices):
    LINGUIST = "linguist", _("Linguist")
    EXPERT = "expert", _("Subject-matter expert")


class Jurisdiction(models.TextChoices):
    US = "US", _("United States")
    CN = "CN", _("People's Republic of China")
    TW = "TW", _("Taiwan")
    HK = "HK", _("Hong Kong")
    SG = "SG", _("Singapore")
    EU = "EU", _("European Union")
    UK = "UK", _("United Kingdom")
    INTL = "INTL", _("International")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RETIRED = "retired", _("Retired")


OPEN_STATES = (VersionState.DRAFT, VersionState.IN_REVIEW)
PUBLIC_STATES = (VersionState.PUBLISHED, VersionState.RETIRED)
#: Every state a version has been public in: its history on the site, its stored TBX entry.
HISTORY_STATES = (VersionState.PUBLISHED, VersionState.SUPERSEDED, VersionState.RETIRED)


class Agreement(models.TextChoices):
    #: Nobody has said yet: what a new concept starts as, never a silent "agreed".
    NOT_ASSESSED = "not_assessed", _("Not yet assessed")
    AGREED = "agreed", _("Agreed")
    PARTLY = "partly_agreed", _("Partly agreed")
    DIVERGENT = "divergent", _("Divergent")


class Maturity(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not yet assessed")
    PROVISIONAL = "provisional", _("Provisional")
    ESTABLISHED = "established", _("Established")


class TermStatus(models.TextChoices):
    PREFERRED = "preferred", _("Preferred")
    ADMITTED = "admitted", _("Admitted")
    DEPRECATED = "deprecated", _("Deprecated")
    SUPERSEDED = "superseded", _("Superseded")


class TermType(models.TextChoices):
    """TBX-Basic term types."""

    FULL_FORM = "fullForm", _("Full form")
    ACRONYM = "acronym", _("Acronym")
    ABBREVIATION = "abbreviation", _("Abbreviation")
    SHORT_FORM = "shortForm", _("Short form")
    VARIANT = "variant", _("Variant")
    PHRASE = "phrase", _("Phrase")


class PartOfSpeech(models.TextChoices):
    NOUN = "noun", _("Noun")
    VERB = "verb", _("Verb")
    ADJECTIVE = "adjective", _("Adjective")
    ADVERB = "adverb", _("Adverb")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    """Where a term is used."""

    CN = "CN", _("Mainland China")
    TW = "TW", _("Taiwan")
    HK = "HK", _("Hong Kong")
    SG = "SG", _("Singapore")
    US = "US", _("United States")
    UK = "UK", _("United Kingdom")
    INTL = "INTL", _("International")


class RelationKind(models.TextChoices):
    BROADER = "broader", _("Broader concept")
    NARROWER = "narrower", _("Narrower concept")
    RELATED = "related", _("Related concept")


class EventAction(models.TextChoices):
    CREATE = "create", _("Created")
    EDIT = "edit", _("Edited")
    SUBMIT = "submit", _("Submitted for review")
    APPROVE = "approve", _("Approved")
    REQUEST_CHANGES = "request_changes", _("Changes requested")
    WITHDRAW = "withdraw", _("Withdrawn")
    PUBLISH = "publish", _("Published")
    SUPERSEDE = "supersede", _("Superseded")
    RETIRE = "retire", _("Retired")
    PROPOSE_RETIREMENT = "propose_retirement", _("Retirement proposed")


#: History actions that make someone an author of a version, so they may not review it.
CONTRIBUTING_ACTIONS = (EventAction.CREATE, EventAction.EDIT, EventAction.PROPOSE_RETIREMENT)


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REQUEST_CHANGES = "request_changes", _("Request changes")


class ReleaseChange(models.TextChoices):
    ADDED = "added", _("Added")
    CHANGED = "changed", _("Changed")
    RETIRED = "retired", _("Retired")
    UNCHANGED = "unchanged", _("Unchanged")


class ListSection:
    """The public lists and counts that publishing keeps (``ListEntry``, ``ListCount``)."""

    #: Browse by letter: of the English preferred term, of the Chinese term's pinyin.
    EN = "en"
    ZH = "zh"
    #: A domain's concepts in English order and in pinyin order.
    DOMAIN_EN = "domain-en"
    DOMAIN_ZH = "domain-zh"
    #: Counts only: current concepts per domain, current concepts, published or retired
    #: concepts (the sitemap's), terms of current concepts per language, releases and their
    #: entries (in all, and per release and kind of change).
    DOMAINS = "domains"
    CONCEPTS = "concepts"
    PUBLIC = "public"
    TERMS = "terms"
    RELEASES = "releases"
    RELEASE_ENTRIES = "release-entries"
    #: One release's entries by kind of change, in the bucket ``release_bucket`` names.
    RELEASE_CHANGES = "release-changes"
    #: Where the sides differ: current concepts that are partly agreed or divergent, in English
    #: and in pinyin order, all of them (bucket "") and per domain (bucket: the domain's key).
    DIFFER_EN = "differ-en"
    DIFFER_ZH = "differ-zh"

    @staticmethod
    def release_bucket(release_id: int, change: str) -> str:
        """The bucket of ``RELEASE_CHANGES`` counting one release's entries of one kind (the
        releases' admin list builds the same in SQL: ``ReleaseQuerySet.for_admin_list``)."""
        return f"{release_id}/{change}"


class JobKind(models.TextChoices):
    IMPORT_PREVIEW = "import_preview", _("import preview")
    IMPORT = "import", _("import")
    RELEASE_CUT = "release_cut", _("release cut")
    EXPORT_FILES = "export_files", _("export files")
    TERM_INDEX = "term_index", _("term index build")
    RADAR_DOCUMENT = "radar_document", _("radar document")
    RADAR_REBUILD = "radar_rebuild", _("radar rebuild")


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


#: States from which a job never moves again.
FINISHED_STATES = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


class AuthorityKind(models.TextChoices):
    """What sort of body an authority is (issue 18)."""

    TERMINOLOGY_BODY = "terminology", _("Terminology body")
    STANDARD = "standard", _("Standard")
    STATUTE = "statute", _("Statute")
    GOVERNMENT_LIST = "list", _("Government list")
    ACADEMY = "academy", _("Academy")


class RenderingStatus(models.TextChoices):
    """What an authority did with its rendering of a term."""

    PROMULGATED = "promulgated", _("Promulgated")
    RECOMMENDED = "recommended", _("Recommended")
    STANDARDISED = "standardised", _("Standardised")
    USED = "used", _("Used")
