"""Atom feeds: published changes, releases, and the changes in one domain.

Feeds live under the interface-language prefix, so a reader subscribes in their language: titles
and summaries follow it (with the same fallback as the pages), the terms stay as they are.

Entry ids are ``tag:`` URIs (RFC 4151) made of the host, the date of the publication, and the
concept and version number (or the release name): absolute, as Atom requires, never changed by a
later edit, and the same in every interface language, so that a reader who switches language is
not shown every entry again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, SimplerXMLGenerator
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from lxml import etree

from glossary.core.choices import Language, ReleaseChange
from glossary.core.models import ConceptVersion, Domain, ListCount, Publication, Release
from glossary.site.presentation import html_lang, shown
from glossary.site.views import Change, changes_from, public_domain

FEED_ITEMS = 50


def tag_authority(request: HttpRequest) -> str:
    """The site's host name without its port: the authority of the entries' ``tag:`` ids."""
    host, _port = split_domain_port(request.get_host())
    return host or "localhost"


def _tag(authority: str, moment: datetime, specific: str) -> str:
    return f"tag:{authority},{moment.astimezone(UTC):%Y-%m-%d}:{specific}"


@dataclass(frozen=True)
class Scope:
    """What a feed covers (every concept, or one domain's) and the host its ids name."""

    authority: str
    domain: Domain | None = None


@dataclass(frozen=True)
class Item:
    """One entry of a feed with its id."""

    entry: Any  # a Change or a Release
    id: str
    #: A release's entries by kind of change, as its cut counted them.
    changes: dict[str, int] | None = None


def _terms_line(version: ConceptVersion) -> str:
    """All preferred terms of a version: "generative AI · 生成式人工智能 · 生成式人工智慧"."""
    terms = [version.preferred(language) for language in Language]
    return " · ".join(dict.fromkeys(term.text for term in terms if term is not None))


class StyledAtom1Feed(Atom1Feed):
    """Atom with its stylesheets named before the root element (Django writes them for RSS
    only), so that a browser shows the feed as a page while feed readers read it as ever."""

    def write(self, outfile: Any, encoding: str) -> None:
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed.get("stylesheets") or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


def _style_context() -> dict[str, str]:
    months = "|" + "".join(
        f"{month}={date_format(datetime(2000, month, 1), 'N')}|" for month in range(1, 13)
    )
    return {"lang": html_lang(), "home": reverse("glossary:home"), "months": months}


def feed_style(request: HttpRequest) -> HttpResponse:
    """The XSLT stylesheet every feed names: its texts in the interface language, its dates
    written as that language's pages write them."""
    return render(
        request, "glossary/feed.xsl", _style_context(), content_type="text/xsl; charset=utf-8"
    )


def as_page(request: HttpRequest, feed: bytes) -> HttpResponse:
    """The feed as the page its stylesheet makes of it, transformed here: browsers are moving
    away from running XSLT themselves (Chromium warns that it will stop), and a page made on the
    server needs nothing of the browser."""
    style = etree.XSLT(
        etree.fromstring(render_to_string("glossary/feed.xsl", _style_context(), request).encode())
    )
    page = str(style(etree.fromstring(feed)))
    return HttpResponse("<!DOCTYPE html>\n" + page, content_type="text/html; charset=utf-8")


def _wants_page(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return accept.startswith("text/html") or "application/xhtml+xml" in accept


def feed_validators(request: HttpRequest) -> tuple[str, datetime | None]:
    """A weak ETag and the last-modified time of a feed, from the publication stamp (one query).

    A feed changes only when something is published or a release is cut, as the API's
    payloads: the same validators (the stamp, the scheme, the host and the full path, which
    holds the interface language), and the same 304 for a reader whose copy is current.
    """
    serial, last = Publication.objects.stamp()
    seed = repr(
        (
            "feed-v1",
            serial,
            last.isoformat() if last else None,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            _wants_page(request),
        )
    )
    return 'W/"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"', last


class _GlossaryFeed(Feed):
    feed_type = StyledAtom1Feed

    def stylesheets(self) -> list[str]:
        return [reverse("glossary:feed_style")]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The feed, or a 304 when the reader's copy is current (``If-None-Match`` or
        ``If-Modified-Since``), answered after one query, before a single concept is read."""
        etag, last = self.validators(request)
        answer = condition(etag_func=lambda *a, **k: etag, last_modified_func=lambda *a, **k: last)
        response = answer(super().__call__)(request, *args, **kwargs)
        # A browser that navigates to the feed asks for HTML first (sent as Atom's own type,
        # Chromium would show the XML as text): it gets the page the feed's stylesheet makes.
        # Feed readers, which ask for Atom, XML or anything, get the Atom as ever, naming the
        # stylesheet for whatever opens it as XML.
        if response.status_code == 200 and _wants_page(request):
            page = as_page(request, response.content)
            if response.has_header("ETag"):
                page["ETag"] = response["ETag"]
            response = page
        patch_vary_headers(response, ["Accept"])
        if last is not None and response.status_code == 200:
            # Django's feed states its newest entry's date; a release cut or a retirement
            # changes the feed too: the stamp's moment is the one a reader may send back.
            response["Last-Modified"] = http_date(last.timestamp())
        # Caches may keep it but must ask again each time (a 304 costs one small query).
        patch_cache_control(response, public=True, no_cache=True)
        return response

    def validators(self, request: HttpRequest) -> tuple[str, datetime | None]:
        """The feed's ETag and last-modified time (see ``feed_validators``)."""
        return feed_validators(request)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return Scope(authority=tag_authority(request))

    def get_feed(self, obj: Any, request: HttpRequest) -> Any:
        feed = super().get_feed(obj, request)
        feed.feed["language"] = html_lang()
        return feed

    def author_name(self) -> str:
        # Atom requires an author for every entry; the glossary itself signs them all.
        return _("AI Glossary")

    def item_guid(self, item: Item) -> str:
        return item.id

    item_guid_is_permalink = False


class ChangesFeed(_GlossaryFeed):
    """Every publication: new concepts, revisions and retirements, newest first."""

    def title(self) -> str:
        return _("AI Glossary: published changes")

    def subtitle(self) -> str:
        return _("New, revised and retired concepts, as they are published.")

    def link(self) -> str:
        return reverse("glossary:home")

    def feed_url(self) -> str:
        return reverse("glossary:feed_changes")

    def versions(self, obj: Scope) -> Any:
        return ConceptVersion.objects.for_changes()

    def items(self, obj: Scope) -> list[Item]:
        return [
            Item(
                change,
                _tag(
                    obj.authority,
                    change.version.published_at,
                    f"concepts/{change.version.concept.uid}/versions/{change.version.number}",
                ),
            )
            for change in changes_from(self.versions(obj)[:FEED_ITEMS])
        ]

    def item_title(self, item: Item) -> str:
        change: Change = item.entry
        titles = {
            ReleaseChange.ADDED: _("New: %(terms)s"),
            ReleaseChange.CHANGED: _("Revised (version %(number)d): %(terms)s"),
            ReleaseChange.RETIRED: _("Retired: %(terms)s"),
        }
        return titles[change.kind] % {
            "terms": _terms_line(change.version),
            "number": change.version.number,
        }

    def item_description(self, item: Item) -> str:
        version = item.entry.version
        definition = shown(version, "definition")
        text = escape(definition.text)
        if definition.fallback:
            text += " " + escape(_("(not yet translated)"))
        if version.retirement_reason:
            text = escape(version.retirement_reason) + "<br>" + text
        return text

    def item_link(self, item: Item) -> str:
        change: Change = item.entry
        uid = change.version.concept.uid
        if change.kind == ReleaseChange.CHANGED and change.compare_from:
            compare = reverse("glossary:compare", args=[uid])
            return f"{compare}?from={change.compare_from}&to={change.version.number}"
        return reverse("glossary:concept", args=[uid])

    def item_pubdate(self, item: Item) -> datetime | None:
        return item.entry.version.published_at

    def item_updateddate(self, item: Item) -> datetime | None:
        return item.entry.version.published_at

    def item_categories(self, item: Item) -> list[str]:
        return [domain.key for domain in item.entry.version.domains.all()]


class DomainFeed(ChangesFeed):
    """The publications of concepts in one domain (404 while no current concept is in it)."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return Scope(authority=tag_authority(request), domain=public_domain(kwargs["key"]))

    def title(self, obj: Scope) -> str:
        return _("AI Glossary: published changes in %(domain)s") % {
            "domain": shown(obj.domain, "name").text or obj.domain.key
        }

    def link(self, obj: Scope) -> str:
        return reverse("glossary:domain", args=[obj.domain.key])

    def feed_url(self, obj: Scope) -> str:
        return reverse("glossary:feed_domain", args=[obj.domain.key])

    def versions(self, obj: Scope) -> Any:
        return ConceptVersion.objects.for_changes().filter(domains=obj.domain)


class ReleasesFeed(_GlossaryFeed):
    """Releases of the glossary, newest first."""

    def title(self) -> str:
        return _("AI Glossary: releases")

    def subtitle(self) -> str:
        return _("Each release freezes the published glossary, with its changelog and files.")

    def link(self) -> str:
        return reverse("glossary:releases")

    def feed_url(self) -> str:
        return reverse("glossary:feed_releases")

    def items(self, obj: Scope) -> list[Item]:
        releases = list(Release.objects.for_release_list()[:FEED_ITEMS])
        changes = ListCount.objects.release_changes([release.pk for release in releases])
        return [
            Item(
                release,
                _tag(obj.authority, release.created_at, f"releases/{release.name}"),
                changes[release.pk],
            )
            for release in releases
        ]

    def item_title(self, item: Item) -> str:
        return _("Release %(name)s") % {"name": item.entry.name}

    def item_description(self, item: Item) -> str:
        release: Release = item.entry
        changes = item.changes or {}
        counts = _(
            "%(added)d added, %(changed)d changed, %(retired)d retired; %(total)d in all."
        ) % {
            "added": changes.get(ReleaseChange.ADDED, 0),
            "changed": changes.get(ReleaseChange.CHANGED, 0),
            "retired": changes.get(ReleaseChange.RETIRED, 0),
            "total": sum(changes.values()),
        }
        notes = shown(release, "notes").text
        return escape(notes) + ("<br>" if notes else "") + escape(counts)

    def item_link(self, item: Item) -> str:
        return reverse("glossary:release", args=[item.entry.name])

    def item_pubdate(self, item: Item) -> datetime:
        return item.entry.created_at

    def item_updateddate(self, item: Item) -> datetime:
        return item.entry.created_at
