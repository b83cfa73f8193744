"""Public consultation pages: the list, each consultation with its comment form, and the feed.

A version in review is shown to the public here and nowhere else, and only once an editor has
opened it for comment (and while it stands as it was opened, or once it is published). The pages
are not kept in the page cache: the comment form carries a CSRF token and the comments change
with each moderation. Each page reads a bounded number of rows (the list and the comments are
paged), so it costs the same however large the glossary or the consultation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from glossary.core import services
from glossary.core.choices import HISTORY_STATES
from glossary.core.diff import diff_versions
from glossary.core.models import (
    COMMENT_MAX_LENGTH,
    LIST_SECTION,
    NAME_MAX_LENGTH,
    CommenterSide,
    CommentStatus,
    ConceptVersion,
    Consultation,
    ConsultationComment,
    ListCount,
)
from glossary.core.services.consultation import today
from glossary.core.workflow import WorkflowError
from glossary.http import form_throttle
from glossary.http.input_guard import checks_own_form, refuse_in_fields
from glossary.site import paging
from glossary.site.feeds import FEED_ITEMS, Item, Scope, _GlossaryFeed, _tag, feed_validators
from glossary.site.presentation import label_term, shown

#: Consultations on one page of the list; approved comments on one page of a consultation.
LIST_PAGE_SIZE = 20
COMMENTS_PAGE_SIZE = 50
#: The honeypot: a field people never see (hidden by the style sheet, skipped by keyboard and
#: screen readers) and programs that fill every field do.
HONEYPOT = "website"


#: The comments one address may send an hour: ``GLOSSARY_FORM_RATES["comment"]``.
COMMENT_SCOPE = "comment"


class CommentForm(forms.Form):
    """A reader's comment: everything optional but the comment itself."""

    name = forms.CharField(
        label=gettext_lazy("Name or affiliation (optional, shown with your comment)"),
        max_length=NAME_MAX_LENGTH,
        required=False,
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail (optional, never shown)"),
        required=False,
        help_text=gettext_lazy("Only the editors see it, to ask you about your comment."),
    )
    side = forms.ChoiceField(
        label=gettext_lazy("Side or country (optional)"),
        choices=[("", "—"), *CommenterSide.choices],
        required=False,
    )
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=COMMENT_MAX_LENGTH,
        help_text=gettext_lazy(
            "At most %(limit)d characters. A moderator reads each comment before it is shown."
        )
        % {"limit": COMMENT_MAX_LENGTH},
    )
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        refuse_in_fields(self, line_breaks=("text",))
        if self.data.get(HONEYPOT):
            self.add_error(
                HONEYPOT, _("This field must stay empty: it is there to keep out automated spam.")
            )
        return data


def _consultation(pk: int) -> Consultation:
    consultation = Consultation.objects.for_page().filter(pk=pk).first()
    if consultation is None:
        raise Http404(_("There is no public consultation with this number."))
    return consultation


def consultation_list(request: HttpRequest) -> HttpResponse:
    """Open and closed consultations, newest first, a page at a time."""
    paginator = paging.CountedPaginator(
        Consultation.objects.for_list_page(),
        LIST_PAGE_SIZE,
        count=ListCount.objects.count_of(LIST_SECTION),
    )
    page = paging.page_or_404(paginator, request.GET.get("page"))
    day = today()
    rows = [
        {
            "consultation": c,
            "question": shown(c, "question"),
            "open": c.is_open(day),
            "title": label_term(c.version.concept.public_version)
            if c.version.concept.public_version_id
            else None,
        }
        for c in page.object_list
    ]
    return render(request, "glossary/consultation/list.html", {"page": page, "rows": rows})


def _title(version: ConceptVersion, published: ConceptVersion | None) -> Any:
    """What names the concept: its published term, else the term of the version consulted on."""
    return label_term(published) if published is not None else label_term(version)


@checks_own_form
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A consultation: the question, the version in full and its diff, the comments, the form."""
    consultation = _consultation(pk)
    status = 200
    form = CommentForm()
    if request.method == "POST":
        form = CommentForm(request.POST)
        status = _take_comment(request, consultation, form)
        if status == 303:
            return HttpResponseRedirect(
                reverse("glossary:consultation", args=[pk]) + "?sent=1#comment-sent"
            )
    version = consultation.version
    published = version.concept.public_version
    content = None
    diff = None
    compare_to = None
    if consultation.text_shown:
        content = ConceptVersion.objects.with_content().get(pk=version.pk)
        if published is not None and published.pk != version.pk:
            compare_to = ConceptVersion.objects.with_content().get(pk=published.pk)
        elif version.based_on_id:
            compare_to = ConceptVersion.objects.with_content().get(pk=version.based_on_id)
        diff = diff_versions(compare_to, content)
    comments = ConsultationComment.objects.filter(
        consultation=consultation, status=CommentStatus.APPROVED
    ).order_by("created_at", "id")
    paginator = paging.CountedPaginator(
        comments, COMMENTS_PAGE_SIZE, count=consultation.comments_shown
    )
    page = paging.page_or_404(paginator, request.GET.get("page"))
    return render(
        request,
        "glossary/consultation/detail.html",
        {
            "consultation": consultation,
            "question": shown(consultation, "question"),
            "summary": shown(consultation, "summary"),
            "open": consultation.is_open(today()),
            "version": content,
            "published": published,
            "title_term": _title(content or version, published) if content or published else None,
            "definitions": _definitions(content) if content else [],
            "diff": diff,
            "compare_to": compare_to,
            "page": page,
            "form": form,
            "sent": request.GET.get("sent") == "1",
            "published_now": version.state in HISTORY_STATES,
        },
        status=status,
    )


def _definitions(version: ConceptVersion) -> list[tuple[str, str]]:
    from glossary.core.choices import Language

    return [(language, version.translated("definition", language)) for language in Language]


def _take_comment(request: HttpRequest, consultation: Consultation, form: CommentForm) -> int:
    """Take the posted comment: 303 when taken, else the status of the page that shows why
    (with everything typed kept in the form)."""
    if not consultation.is_open(today()):
        form.is_valid()
        form.add_error(None, _("This consultation no longer takes comments."))
        return 409
    if not form.is_valid():
        return 400
    wait = form_throttle.wait(COMMENT_SCOPE, request)
    if wait is not None:
        minutes = form_throttle.in_minutes(wait)
        form.add_error(
            None,
            _(
                "Too many comments from your address in the last hour. Your comment is kept "
                "below: send it again in %(minutes)d minutes."
            )
            % {"minutes": minutes},
        )
        return 429
    data = form.cleaned_data
    try:
        services.comment_submit(
            consultation=consultation,
            name=data["name"],
            email=data["email"],
            side=data["side"],
            text=data["text"],
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return 400
    except WorkflowError as exc:
        form.add_error(None, exc.message)
        return 409
    form_throttle.record(COMMENT_SCOPE, request)
    return 303


class OpenConsultationsFeed(_GlossaryFeed):
    """Consultations taking comments, newest first."""

    def validators(self, request: HttpRequest) -> tuple[str, datetime | None]:
        # Opening and closing move the publication stamp; a closing date passing does not, so
        # the day is part of the ETag.
        etag, last = feed_validators(request)
        return etag[:-1] + "-" + today().isoformat() + '"', last

    def title(self) -> str:
        return _("AI Glossary: open consultations")

    def subtitle(self) -> str:
        return _("Revisions of the glossary open for public comment.")

    def link(self) -> str:
        return reverse("glossary:consultations")

    def feed_url(self) -> str:
        return reverse("glossary:feed_consultations")

    def items(self, obj: Scope) -> list[Item]:
        consultations = (
            Consultation.objects.open_on(today())
            .select_related("version__concept")
            .order_by("-opened_at", "-id")[:FEED_ITEMS]
        )
        return [
            Item(c, _tag(obj.authority, c.opened_at, f"consultations/{c.pk}"))
            for c in consultations
        ]

    def item_title(self, item: Item) -> str:
        consultation: Consultation = item.entry
        concept = consultation.version.concept
        # A concept never published is named only on the consultation's own page.
        name = concept.uid if concept.public_version_id else _("A new concept")
        return _("Open for comment until %(date)s: %(concept)s") % {
            "date": consultation.closes_on.isoformat(),
            "concept": name,
        }

    def item_description(self, item: Item) -> str:
        return escape(shown(item.entry, "question").text)

    def item_link(self, item: Item) -> str:
        return reverse("glossary:consultation", args=[item.entry.pk])

    def item_pubdate(self, item: Item) -> datetime:
        return item.entry.opened_at

    def item_updateddate(self, item: Item) -> datetime:
        return item.entry.opened_at
