"""Atom feeds: published changes, releases, and the changes in one domain.

Feeds live under the interface-language prefix, so a reader subscribes in their language: titles
and summaries follow it (with the same fallback as the pages), the terms stay as they are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from glossary.choices import Language, ReleaseChange
from glossary.models import ConceptVersion, Domain, Release
from glossary.templatetags.glossary_site import html_lang, shown
from glossary.views import Change, changes_from

FEED_ITEMS = 50


def _terms_line(version: ConceptVersion) -> str:
    """All preferred terms of a version: "generative AI · 生成式人工智能 · 生成式人工智慧"."""
    terms = [version.preferred(language) for language in Language]
    return " · ".join(dict.fromkeys(term.text for term in terms if term is not None))


class ChangesFeed(Feed):
    """Every publication: new concepts, revisions and retirements, newest first."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("AI Glossary: published changes")

    def subtitle(self) -> str:
        return _("New, revised and retired concepts, as they are published.")

    def link(self) -> str:
        return reverse("glossary:home")

    def feed_url(self) -> str:
        return reverse("glossary:feed_changes")

    def get_feed(self, obj: Any, request: HttpRequest) -> Any:
        feed = super().get_feed(obj, request)
        feed.feed["language"] = html_lang()
        return feed

    def versions(self, obj: Any) -> Any:
        return ConceptVersion.objects.for_changes()

    def items(self, obj: Any = None) -> list[Change]:
        return changes_from(self.versions(obj)[:FEED_ITEMS])

    def item_title(self, item: Change) -> str:
        titles = {
            ReleaseChange.ADDED: _("New: %(terms)s"),
            ReleaseChange.CHANGED: _("Revised (version %(number)d): %(terms)s"),
            ReleaseChange.RETIRED: _("Retired: %(terms)s"),
        }
        return titles[item.kind] % {
            "terms": _terms_line(item.version),
            "number": item.version.number,
        }

    def item_description(self, item: Change) -> str:
        definition = shown(item.version, "definition")
        text = escape(definition.text)
        if definition.fallback:
            text += " " + escape(_("(not yet translated)"))
        if item.version.retirement_reason:
            text = escape(item.version.retirement_reason) + "<br>" + text
        return text

    def item_link(self, item: Change) -> str:
        uid = item.version.concept.uid
        if item.kind == ReleaseChange.CHANGED and item.compare_from:
            compare = reverse("glossary:compare", args=[uid])
            return f"{compare}?from={item.compare_from}&to={item.version.number}"
        return reverse("glossary:concept", args=[uid])

    def item_guid(self, item: Change) -> str:
        uid = item.version.concept.uid
        return f"{reverse('glossary:concept', args=[uid])}#version-{item.version.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Change) -> datetime | None:
        return item.version.published_at

    def item_updateddate(self, item: Change) -> datetime | None:
        return item.version.published_at

    def item_categories(self, item: Change) -> list[str]:
        return [domain.key for domain in item.version.domains.all()]


class DomainFeed(ChangesFeed):
    """The publications of concepts in one domain."""

    def get_object(self, request: HttpRequest, key: str) -> Domain:
        domain = Domain.objects.filter(key=key).first()
        if domain is None:
            raise Http404(_("There is no such domain."))
        return domain

    def title(self, obj: Domain) -> str:
        return _("AI Glossary: published changes in %(domain)s") % {
            "domain": shown(obj, "name").text or obj.key
        }

    def link(self, obj: Domain) -> str:
        return reverse("glossary:domain", args=[obj.key])

    def feed_url(self, obj: Domain) -> str:
        return reverse("glossary:feed_domain", args=[obj.key])

    def versions(self, obj: Domain) -> Any:
        return ConceptVersion.objects.for_changes().filter(domains=obj)


class ReleasesFeed(Feed):
    """Releases of the glossary, newest first."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("AI Glossary: releases")

    def subtitle(self) -> str:
        return _("Each release freezes the published glossary, with its changelog and files.")

    def link(self) -> str:
        return reverse("glossary:releases")

    def feed_url(self) -> str:
        return reverse("glossary:feed_releases")

    def get_feed(self, obj: Any, request: HttpRequest) -> Any:
        feed = super().get_feed(obj, request)
        feed.feed["language"] = html_lang()
        return feed

    def items(self) -> list[Release]:
        return list(Release.objects.for_release_list()[:FEED_ITEMS])

    def item_title(self, item: Release) -> str:
        return _("Release %(name)s") % {"name": item.name}

    def item_description(self, item: Release) -> str:
        counts = _(
            "%(added)d added, %(changed)d changed, %(retired)d retired; %(total)d in all."
        ) % {
            "added": item.added_count,
            "changed": item.changed_count,
            "retired": item.retired_count,
            "total": item.total,
        }
        return escape(item.notes) + ("<br>" if item.notes else "") + escape(counts)

    def item_link(self, item: Release) -> str:
        return reverse("glossary:release", args=[item.name])

    def item_pubdate(self, item: Release) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Release) -> datetime:
        return item.created_at
