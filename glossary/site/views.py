"""Public pages. Each view parses its input, calls named querysets or the search, and renders.

Anonymous readers see published data only: a concept is found through ``public_version``
(published or retired), history shows published, superseded and retired versions, and nothing
here reads a draft, a version in review or a withdrawn one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from glossary.core.choices import (
    FIELD_SUFFIX,
    Language,
    ListSection,
    RelationKind,
    ReleaseChange,
    TermStatus,
    VersionState,
)
from glossary.core.diff import diff_versions
from glossary.core.lists import LETTERS, OTHER
from glossary.core.models import (
    Concept,
    ConceptVersion,
    Consultation,
    Domain,
    ListCount,
    ListEntry,
    Release,
    ReleaseEntry,
)
from glossary.core.models.rounds import cited_rounds_prefetch
from glossary.http import lockout
from glossary.search import ranking as glossary_search
from glossary.site import downloads as files
from glossary.site import paging
from glossary.site.authorities import crosswalk
from glossary.site.presentation import (
    BCP47,
    ListTerm,
    concept_urls,
    guess_language,
    interface_language,
    label_term,
    search_results,
)

RECENT_CHANGES = 10


# --- Lists of concepts ----------------------------------------------------------------------

#: Concepts on one page of a browse letter or a domain.
PAGE_SIZE = 100


@dataclass(frozen=True)
class Entry:
    """A concept in a browse or domain list, from plain rows (``ConceptQuerySet.public_rows``):
    its identifier, its page, its public version's agreement and its preferred terms."""

    uid: str
    url: str
    agreement: str
    en: ListTerm | None
    zh_hans: ListTerm | None
    zh_hant: ListTerm | None

    @classmethod
    def of(cls, uid: str, agreement: str, preferred: dict[str, str], url: str) -> Entry:
        def term(language: str) -> ListTerm | None:
            text = preferred.get(language)
            return None if text is None else ListTerm(text, language)

        return cls(
            uid=uid,
            url=url,
            agreement=agreement,
            en=term(Language.EN),
            zh_hans=term(Language.ZH_HANS),
            zh_hant=term(Language.ZH_HANT),
        )

    @property
    def chinese(self) -> ListTerm | None:
        return self.zh_hans or self.zh_hant


def _list_ids(request: HttpRequest, section: str, bucket: str, count: int) -> Page:
    """One page (``?page=``) of a stored list: its concept ids in the list's order, read through
    the list's index (one query; the count is the stored one)."""
    paginator = paging.CountedPaginator(
        ListEntry.objects.for_list_page(section, bucket), PAGE_SIZE, count=count
    )
    page = paging.page_or_404(paginator, request.GET.get("page"))
    page.object_list = list(page.object_list)
    return page


def _list_page(request: HttpRequest, section: str, bucket: str, count: int) -> Page:
    """One page of a stored list as ``Entry`` rows: three queries, none of them reading more
    than the page (its concept ids, then those concepts, then their preferred terms)."""
    page = _list_ids(request, section, bucket, count)
    rows = Concept.objects.public_rows(page.object_list, "agreement")
    concept_url = concept_urls()
    page.object_list = [
        Entry.of(row.uid, row.version["agreement"], row.preferred, concept_url(row.uid))
        for row in (rows[pk] for pk in page.object_list if pk in rows)
    ]
    return page


def _reading_order() -> str:
    """English readers browse lists in English order, Chinese readers in pinyin order."""
    return "en" if interface_language() == "en" else "zh"


def _letters(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(letter, counts.get(letter, 0)) for letter in [*LETTERS, OTHER]]


# --- Home and browse ------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """One search box, the size of the glossary, the latest release, recent changes, browsing."""
    counts = ListCount.objects.counts(
        ListSection.CONCEPTS, ListSection.TERMS, ListSection.EN, ListSection.ZH
    )
    return render(
        request,
        "glossary/home.html",
        {
            "concept_count": counts[ListSection.CONCEPTS].get("", 0),
            "term_counts": {
                suffix: counts[ListSection.TERMS].get(language, 0)
                for language, suffix in FIELD_SUFFIX.items()
            },
            "jsonld": {"@context": "https://schema.org", **_defined_term_set_jsonld(request)},
            "latest_release": Release.objects.latest_first().first(),
            "changes": changes_from(ConceptVersion.objects.for_changes()[:RECENT_CHANGES]),
            "domains": Concept.objects.domains_with_counts(),
            "english_letters": _letters(counts[ListSection.EN]),
            "pinyin_letters": _letters(counts[ListSection.ZH]),
        },
    )


@dataclass(frozen=True)
class Change:
    """One publication in a list of recent changes."""

    version: ConceptVersion
    kind: str  # "added", "changed" or "retired"

    @property
    def compare_from(self) -> int | None:
        return self.version.based_on_number  # type: ignore[attr-defined]


def changes_from(versions: Iterable[ConceptVersion]) -> list[Change]:
    """The changes of versions read by ``VersionQuerySet.for_changes``."""
    changes = []
    for version in versions:
        if version.is_retirement or version.state == VersionState.RETIRED:
            kind = ReleaseChange.RETIRED
        elif version.based_on_id is None:
            kind = ReleaseChange.ADDED
        else:
            kind = ReleaseChange.CHANGED
        changes.append(Change(version=version, kind=kind))
    return changes


def browse(request: HttpRequest) -> HttpResponse:
    """The ways in: English A–Z, Chinese by pinyin initial, domains."""
    differ = ListSection.DIFFER_EN if _reading_order() == "en" else ListSection.DIFFER_ZH
    counts = ListCount.objects.counts(ListSection.CONCEPTS, ListSection.EN, ListSection.ZH, differ)
    return render(
        request,
        "glossary/browse.html",
        {
            "differ_count": counts[differ].get("", 0),
            "english_letters": _letters(counts[ListSection.EN]),
            "pinyin_letters": _letters(counts[ListSection.ZH]),
            "domains": Concept.objects.domains_with_counts(),
            "concept_count": counts[ListSection.CONCEPTS].get("", 0),
        },
    )


def browse_letter_page(request: HttpRequest, script: str, letter: str) -> HttpResponse:
    """Concepts under one letter (of the English term, or of the Chinese term's pinyin), a
    page at a time."""
    if script not in (ListSection.EN, ListSection.ZH) or letter not in [*LETTERS, OTHER]:
        raise Http404(_("There is no such letter to browse."))
    counts = ListCount.objects.counts(script)[script]
    return render(
        request,
        "glossary/browse_letter.html",
        {
            "script": script,
            "letter": letter,
            "letter_label": "#" if letter == OTHER else letter.upper(),
            "letters": _letters(counts),
            "page": _list_page(request, script, letter, counts.get(letter, 0)),
        },
    )


def public_domain(key: str) -> Domain:
    """The domain at ``key`` if a current concept is filed under it; 404 otherwise, so that a
    domain made for a concept still in draft does not show its name."""
    domain = Concept.objects.public_domain(key)
    if domain is None:
        raise Http404(_("There is no such domain."))
    return domain


def domain_detail(request: HttpRequest, key: str) -> HttpResponse:
    """The concepts of one domain, in the reader's order, a page at a time."""
    domain = public_domain(key)
    order = _reading_order()
    section = ListSection.DOMAIN_EN if order == "en" else ListSection.DOMAIN_ZH
    return render(
        request,
        "glossary/domain.html",
        {
            "domain": domain,
            "reading_order": order,
            "page": _list_page(
                request, section, domain.key, ListCount.objects.count_of(section, domain.key)
            ),
            "domains": Concept.objects.domains_with_counts(),
        },
    )


# --- Where the sides differ ----------------------------------------------------------------


def differences(request: HttpRequest, key: str = "") -> HttpResponse:
    """Partly agreed and divergent concepts, with both sides' usage side by side: all of them,
    or those of one domain, a page at a time in the reader's order."""
    order = _reading_order()
    section = ListSection.DIFFER_EN if order == "en" else ListSection.DIFFER_ZH
    counts = ListCount.objects.counts(section)[section]
    domain = public_domain(key) if key else None
    domains = (
        list(Domain.objects.filter(key__in=[k for k in counts if k]).order_by("key"))
        if len(counts) > 1
        else []
    )
    for item in domains:
        item.differ_count = counts[item.key]
    # Each concept's usages are shown, so its public version is read whole.
    page = _list_ids(request, section, key, counts.get(key, 0))
    concepts = Concept.objects.for_lists().in_bulk(page.object_list)
    page.object_list = [concepts[pk] for pk in page.object_list if pk in concepts]
    return render(
        request,
        "glossary/differences.html",
        {
            "domain": domain,
            "domain_key": key,
            "total": counts.get("", 0),
            "domains": domains,
            "reading_order": order,
            "page": page,
        },
    )


# --- Concepts -------------------------------------------------------------------------------


def _public_concept(uid: str, *, full: bool = False) -> Concept:
    """The concept at ``uid`` if it has a public version; 404 for drafts and unknown ids."""
    queryset = Concept.objects.for_concept_page() if full else Concept.objects.for_lists()
    concept = queryset.filter(uid=uid).first()
    if concept is None:
        raise Http404(_("There is no published concept with this identifier."))
    return concept


def _version_context(version: ConceptVersion) -> dict[str, Any]:
    """What every page that shows one version of a concept needs."""
    terms = list(version.terms.all())
    by_language = []
    for language in Language:
        in_language = [term for term in terms if term.language == language]
        if in_language:
            by_language.append((language, in_language))
    preferred = {term.language: term for term in terms if term.status == TermStatus.PREFERRED}
    relations = list(version.relations.all())
    related = [
        (kind, [r for r in relations if r.kind == kind])
        for kind in RelationKind
        if any(r.kind == kind for r in relations)
    ]
    return {
        "version": version,
        "title_term": label_term(version),
        "preferred_title_html": format_html_join(
            " · ", '<span lang="{}">{}</span>', ((t.language, t.text) for t in preferred.values())
        ),
        "terms_by_language": by_language,
        "preferred": preferred,
        "definitions": [
            (language, version.translated("definition", language)) for language in Language
        ],
        "related": related,
        "citations": list(version.citations.all()),
        "domains": list(version.domains.all()),
        "crosswalk": crosswalk(version),
    }


def concept_detail(request: HttpRequest, uid: str) -> HttpResponse:
    """A concept at its permalink, as currently published (or its retirement notice)."""
    concept = _public_concept(uid, full=True)
    version = concept.public_version
    permalink = request.build_absolute_uri(reverse("glossary:concept", args=[uid]))
    release = Release.objects.containing(version).first()
    context = _version_context(version)
    context.update(
        {
            "concept": concept,
            "mode": "current",
            "permalink": permalink,
            "canonical": permalink,
            "cite_release": release,
            "jsonld": _defined_term_jsonld(request, concept, version, permalink),
            # A revision open for public comment: a notice and a link (no query without one).
            "consultation": Consultation.objects.notice_for(concept),
        }
    )
    return render(request, "glossary/concept.html", context)


def concept_version(request: HttpRequest, uid: str, number: int) -> HttpResponse:
    """One version from a concept's public history (published, superseded or retired)."""
    concept = _public_concept(uid)
    version = (
        ConceptVersion.objects.for_version_page().filter(concept=concept, number=number).first()
    )
    if version is None:
        raise Http404(_("This concept has no published version with that number."))
    history = list(ConceptVersion.objects.for_history_page().filter(concept=concept))
    later = [v for v in history if v.number > version.number]
    context = _version_context(version)
    context.update(
        {
            "concept": concept,
            "mode": "version",
            "superseded_by": later[-1] if later else None,
            "cite_release": Release.objects.containing(version).first(),
            "permalink": request.build_absolute_uri(reverse("glossary:concept", args=[uid])),
            "canonical": request.build_absolute_uri(
                reverse("glossary:version", args=[uid, version.number])
            ),
        }
    )
    return render(request, "glossary/concept.html", context)


def concept_history(request: HttpRequest, uid: str) -> HttpResponse:
    """The public versions of a concept, each with a link to what changed."""
    concept = _public_concept(uid)
    history = list(
        ConceptVersion.objects.for_history_page()
        .with_review_record()
        .prefetch_related(cited_rounds_prefetch())  # the dialogue rounds approvals cite
        .filter(concept=concept)
    )
    consultations = Consultation.objects.by_version([v.pk for v in history])
    for v in history:
        v.public_consultation = consultations.get(v.pk)
    return render(
        request,
        "glossary/history.html",
        {
            "concept": concept,
            "title_term": label_term(concept.public_version),
            "history": history,
            "compare_from": history[1].number if len(history) > 1 else None,
            "compare_to": history[0].number if history else None,
        },
    )


def concept_compare(request: HttpRequest, uid: str) -> HttpResponse:
    """What changed between two public versions: ``?from=1&to=3``."""
    concept = _public_concept(uid)
    history = list(ConceptVersion.objects.for_history_page().filter(concept=concept))
    numbers = [v.number for v in history]
    context: dict[str, Any] = {
        "concept": concept,
        "title_term": label_term(concept.public_version),
        "history": history,
        "compare_from": request.GET.get("from", ""),
        "compare_to": request.GET.get("to", ""),
    }
    try:
        old_number = int(request.GET.get("from", ""))
        new_number = int(request.GET.get("to", ""))
    except ValueError:
        context["error"] = _("Choose two versions to compare.")
        return render(request, "glossary/compare.html", context, status=400)
    missing = [n for n in (old_number, new_number) if n not in numbers]
    if missing:
        context["error"] = _(
            "Version %(number)d is not in the public history of this concept. "
            "Published versions: %(numbers)s."
        ) % {"number": missing[0], "numbers": ", ".join(str(n) for n in sorted(numbers))}
        return render(request, "glossary/compare.html", context, status=404)
    if old_number == new_number:
        context["error"] = _("Choose two different versions to compare.")
        return render(request, "glossary/compare.html", context, status=400)
    old_number, new_number = sorted((old_number, new_number))
    versions = {
        v.number: v
        for v in ConceptVersion.objects.for_version_page().filter(
            concept=concept, number__in=[old_number, new_number]
        )
    }
    old, new = versions[old_number], versions[new_number]
    context.update(
        {
            "old": old,
            "new": new,
            "diff": diff_versions(old, new),
            "compare_from": old_number,
            "compare_to": new_number,
        }
    )
    return render(request, "glossary/compare.html", context)


def _defined_term_jsonld(
    request: HttpRequest, concept: Concept, version: ConceptVersion, permalink: str
) -> dict[str, Any]:
    """schema.org DefinedTerm for a concept: names and definitions in every language.

    The ``@id`` is one IRI per concept, the same on the page in every interface language (the
    permalink in the site's default language); ``url`` is the page itself. Admitted terms are
    alternate names; deprecated and superseded ones are not names of the concept to use.
    ``dateModified`` is not a property of DefinedTerm, so it is not given.
    """
    terms = list(version.terms.all())

    def values(items: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"@value": text, "@language": language} for language, text in items if text]

    names = values((t.language, t.text) for t in terms if t.status == TermStatus.PREFERRED)
    others = values((t.language, t.text) for t in terms if t.status == TermStatus.ADMITTED)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": _neutral_iri(request, "glossary:concept", concept.uid),
        "url": permalink,
        "termCode": concept.uid,
        "name": names,
        "description": values(
            (language, version.translated("definition", language)) for language in Language
        ),
        "inDefinedTermSet": _defined_term_set_jsonld(request),
    }
    if others:
        data["alternateName"] = others
    return data


def _neutral_iri(request: HttpRequest, name: str, *args: str) -> str:
    """The one IRI of a thing whatever the interface language: its page in the default one."""
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse(name, args=list(args)))


def _defined_term_set_jsonld(request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "DefinedTermSet",
        "@id": _neutral_iri(request, "glossary:home"),
        "name": str(_("AI Glossary")),
        "url": request.build_absolute_uri(reverse("glossary:home")),
        "inLanguage": [language.value for language in Language],
    }


# --- Releases -------------------------------------------------------------------------------


#: Releases on one page of the list of releases.
RELEASES_PAGE_SIZE = 50
#: The kinds of change a release's page lists, in its order.
CHANGES = (
    ReleaseChange.ADDED,
    ReleaseChange.CHANGED,
    ReleaseChange.RETIRED,
    ReleaseChange.UNCHANGED,
)


def release_list(request: HttpRequest) -> HttpResponse:
    """The releases, newest first, a page at a time, with the counts their cut kept."""
    paginator = paging.CountedPaginator(
        Release.objects.for_release_list(),
        RELEASES_PAGE_SIZE,
        count=ListCount.objects.count_of(ListSection.RELEASES),
    )
    page = paging.page_or_404(paginator, request.GET.get("page"))
    releases = list(page.object_list)
    changes = ListCount.objects.release_changes([release.pk for release in releases])
    page.object_list = [
        (release, sum(changes[release.pk].values()), changes[release.pk]) for release in releases
    ]
    return render(request, "glossary/releases.html", {"page": page})


def _release(name: str, queryset: Any = None) -> Release:
    release = (queryset if queryset is not None else Release.objects).filter(name=name).first()
    if release is None:
        raise Http404(_("There is no release with this name."))
    return release


#: Releases on one page of the downloads.
DOWNLOAD_RELEASES_PAGE_SIZE = 10


def downloads(request: HttpRequest) -> HttpResponse:
    """Every file: the published glossary, each domain's part of it, and each release (newest
    first, a page at a time), in every format, with the tool each format is for."""
    paginator = paging.CountedPaginator(
        Release.objects.for_release_list(),
        DOWNLOAD_RELEASES_PAGE_SIZE,
        count=ListCount.objects.count_of(ListSection.RELEASES),
    )
    page = paging.page_or_404(paginator, request.GET.get("page"))
    page.object_list = [
        (release, files.files(release=release.name)) for release in page.object_list
    ]
    return render(
        request,
        "glossary/downloads.html",
        {
            "current": files.files(variants=True),
            "domains": [
                (domain, files.files(domain=domain.key))
                for domain in Concept.objects.domains_with_counts()
            ],
            "page": page,
        },
    )


def release_detail(request: HttpRequest, name: str) -> HttpResponse:
    """A release: its notes, its downloads, and its concepts (all, or those of one kind of
    change against the previous release: ``?change=``) a page at a time, in concept order."""
    release = _release(name, Release.objects.for_release_page())
    change = request.GET.get("change") or None
    if change is not None and change not in CHANGES:
        raise Http404(
            _("“%(change)s” is not a kind of change: give added, changed, retired or unchanged.")
            % {"change": change}
        )
    changes = ListCount.objects.release_changes([release.pk])[release.pk]
    total = sum(changes.values())
    paginator = paging.CountedPaginator(
        ReleaseEntry.objects.for_release_page(release, change),
        PAGE_SIZE,
        count=changes[change] if change else total,
    )
    page = paging.page_or_404(paginator, request.GET.get("page"))
    entries = list(page.object_list)
    changed = [e.concept_id for e in entries if e.change == ReleaseChange.CHANGED]
    previous_numbers = (
        ReleaseEntry.objects.version_numbers(release.previous, changed)
        if release.previous and changed
        else {}
    )
    page.object_list = [(entry, previous_numbers.get(entry.concept_id)) for entry in entries]
    return render(
        request,
        "glossary/release.html",
        {
            "release": release,
            "total": total,
            "changes": [(kind, changes[kind]) for kind in CHANGES],
            "change": change,
            "page": page,
            "page_query": urlencode({"change": change}) if change else "",
            "downloads": files.files(release=release.name),
        },
    )


def release_concept(request: HttpRequest, name: str, uid: str) -> HttpResponse:
    """A concept as it stood in a release."""
    release = _release(name)
    version = (
        ConceptVersion.objects.for_version_page()
        .in_release(release)
        .filter(concept__uid=uid)
        .first()
    )
    if version is None:
        raise Http404(_("This concept is not in that release."))
    concept = version.concept
    context = _version_context(version)
    context.update(
        {
            "concept": concept,
            "mode": "release",
            "release": release,
            "permalink": request.build_absolute_uri(reverse("glossary:concept", args=[uid])),
            "canonical": request.build_absolute_uri(
                reverse("glossary:release_concept", args=[release.name, concept.uid])
            ),
            "cite_release": release,
        }
    )
    return render(request, "glossary/concept.html", context)


# --- Search ---------------------------------------------------------------------------------


def search(request: HttpRequest) -> HttpResponse:
    """Search by any term in English, Simplified or Traditional Chinese: ``?q=``."""
    query = " ".join(request.GET.get("q", "").split())
    context: dict[str, Any] = {"query": query, "hits": []}
    if len(query) > glossary_search.MAX_QUERY_LENGTH:
        context["error"] = _(
            "The search text is too long: at most %(max)d characters, you gave %(count)d."
        ) % {"max": glossary_search.MAX_QUERY_LENGTH, "count": len(query)}
        return render(request, "glossary/search.html", context, status=400)
    if query:
        context["hits"] = glossary_search.search(query)
        context["results"] = search_results(context["hits"])
        context["query_html"] = format_html(
            '<span lang="{}">{}</span>', guess_language(query), query
        )
    return render(request, "glossary/search.html", context)


# --- Errors ---------------------------------------------------------------------------------


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in the language of the address (or of the browser when the address has none)."""
    return render(request, "404.html", {"path": request.path}, status=404)


def login_locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """A sign-in refused by the login lockout (django-axes' AXES_LOCKOUT_CALLABLE): 429 and a page
    saying how long to wait, in the browser's language."""
    wait = lockout.retry_after(request)
    response = render(
        request,
        "glossary/locked_out.html",
        {"message": lockout.lockout_message(wait)},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500: a page that needs nothing that might itself be broken (no database, no context)."""
    template = loader.get_template("500.html")
    language = interface_language()
    return HttpResponse(
        template.render(
            {
                "lang": BCP47.get(language, "en"),
                "home": f"/{language}/",
                "STATIC_URL": settings.STATIC_URL,
            }
        ),
        status=500,
    )


__all__ = [
    "browse",
    "browse_letter_page",
    "concept_compare",
    "concept_detail",
    "concept_history",
    "concept_version",
    "differences",
    "domain_detail",
    "downloads",
    "home",
    "page_not_found",
    "release_concept",
    "release_detail",
    "release_list",
    "search",
    "server_error",
]
