"""The term check page: paste a text and its translation, see the glossary's terms in both.

Server-rendered and readable without JavaScript: the form posts back to the same page, which
shows the two texts side by side with every recognised term in a ``<mark>`` (with the text's
``lang``), and the list of findings below them, one per concept, each naming its concept by its
preferred term in the interface language and each way the texts write it once. Every occurrence
is marked once, so the page grows with the texts. Each text's language is detected from its
script unless chosen; a language chosen for a text plainly in another script is refused beside
the field. Checks from anonymous clients are throttled by the API's throttle (same rate, same
reading of the client's address, same allowance); over it, the page answers 429 with the form
and how long to wait.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from glossary.api.throttling import AnonymousThrottle
from glossary.core.models import Term
from glossary.language.codes import Language
from glossary.language.detect import term_language
from glossary.site.presentation import BCP47, choice_label, interface_language
from glossary.termcheck import authorities, engine, service
from glossary.termcheck.file_form import FileCheckForm, limits_context

#: "" lets the page read the language from the text's script.
DETECT = ""
LANGUAGE_CHOICES = [
    (DETECT, _("Detect from the text")),
    ("en", _("English")),
    ("zh-Hans", _("Simplified Chinese")),
    ("zh-Hant", _("Traditional Chinese")),
]

#: How each verdict reads in the list of findings.
VERDICT_LABELS = {
    "preferred": _("Preferred term used"),
    "admitted": _("Admitted term used"),
    "deprecated": _("Deprecated term used"),
    "superseded": _("Superseded term used"),
    "missing": _("No glossary term used"),
    "retired": _("Concept retired"),
}
#: The sign beside each verdict (the colour alone must not carry it), and whether the finding
#: asks for a change.
VERDICT_ICONS = {
    "preferred": "✓",
    "admitted": "✓",
    "deprecated": "✗",
    "superseded": "↻",
    "missing": "?",
    "retired": "⊘",
}
#: The legend above the findings: each verdict with its sign and what to do about it.
VERDICT_HELP = {
    "preferred": _("The agreed term: nothing to do."),
    "admitted": _("An accepted alternative: may stay."),
    "deprecated": _("A term to avoid: replace it with the term given."),
    "superseded": _("An outdated term: replace it with the current one."),
    "missing": _("No glossary term for this concept: check the translation."),
    "retired": _("The concept was retired from the glossary."),
}
#: How a single text's findings read (only deprecated and superseded terms are reported).
SINGLE_LABELS = {
    "deprecated": _("Deprecated term"),
    "superseded": _("Superseded term"),
}


#: What the texts may be written in.
MARKUP_CHOICES = [
    ("plain", _("Plain text")),
    ("markdown", _("Markdown")),
    ("html", _("HTML")),
    ("xliff", _("XLIFF segment (inline codes)")),
]


class CheckForm(forms.Form):
    markup = forms.ChoiceField(
        label=_("Format of the texts"),
        choices=MARKUP_CHOICES,
        required=False,
        initial="plain",
        help_text=_(
            "Markup is left out of the check (code is never checked); terms are marked where "
            "they are in the texts as written."
        ),
    )
    source_language = forms.ChoiceField(
        label=_("Language of the text"), choices=LANGUAGE_CHOICES, required=False
    )
    source = forms.CharField(
        label=_("Text to check"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60}),
        strip=False,
        max_length=engine.MAX_TEXT_LENGTH,
        error_messages={"required": _("Paste the text to check.")},
    )
    target_language = forms.ChoiceField(
        label=_("Language of the translation"), choices=LANGUAGE_CHOICES, required=False
    )
    target = forms.CharField(
        label=_("Its translation (optional)"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60}),
        strip=False,
        required=False,
        max_length=engine.MAX_TEXT_LENGTH,
        help_text=_(
            "Without a translation, the text is checked for deprecated and superseded terms."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            # The browser keeps the limit too, and says so before anything is sent.
            self.fields[name].widget.attrs["maxlength"] = engine.MAX_TEXT_LENGTH

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns the form's cleaned_data
        if self.errors or "source" not in cleaned:
            return cleaned
        markup = cleaned.get("markup") or "plain"
        cleaned["markup"] = markup
        texts: dict[str, str] = {}
        for name in ("source", "target"):
            try:
                texts[name] = engine.extract(cleaned.get(name) or "", markup).text
            except engine.MarkupError as refused:
                self.add_error(
                    name,
                    _("The text is not in the format given: %(reason)s") % {"reason": str(refused)},
                )
                return cleaned
        # Languages are read from the text a reader sees, without its markup.
        source = texts["source"]
        target = texts["target"] if (cleaned.get("target") or "").strip() else ""
        given: dict[str, str | None] = {
            "source": cleaned.get("source_language") or None,
            "target": cleaned.get("target_language") or None,
        }
        source_language, target_language = engine.resolve_languages(
            source,
            given["source"],
            target,
            given["target"],
            chinese=_chinese_preference(),
        )
        cleaned["source_language"] = source_language
        cleaned["target_language"] = target_language
        checks: tuple[tuple[Literal["source", "target"], str, str | None], ...] = (
            ("source", source, given["source"]),
            ("target", target if target_language else "", given["target"]),
        )
        for role, text, language in checks:
            if not language or not text:
                continue
            detected = engine.mismatch(text, language)
            if detected is not None:
                error = engine.LanguageMismatch(role, language, detected)
                self.add_error(f"{role}_language", service.mismatch_message(error))
        if target_language is not None and target_language == source_language:
            self.add_error(
                "target_language", _("The translation must be in another language than the text.")
            )
        return cleaned


@dataclass(frozen=True)
class Mark:
    """A recognised term in a text, with what the page says about it."""

    span: engine.Span
    css: str
    #: The finding's row it links to.
    anchor: str
    title: str
    #: The first occurrence of a finding's concept has an id, for its row to link back to.
    mark_id: str = ""


@dataclass(frozen=True)
class Phrase:
    """A term or a bit of text, with the ``lang`` it is shown with."""

    text: str
    lang: str
    folded: bool = False
    #: How many times it occurs (a finding lists each spelling once).
    count: int = 1
    #: For a term of the text to replace: its status and the preferred term to use instead.
    status: str = "preferred"
    replacement: Phrase | None = None
    #: For a deprecated or superseded term: why, as the glossary notes it.
    reason: str = ""


@dataclass(frozen=True)
class Row:
    """A finding as the page lists it."""

    number: int
    finding: engine.Finding
    label: str
    #: The concept, named by its preferred term in the interface language (its uid without one).
    concept: Phrase
    #: Each way the concept is written in the text, once, with how often.
    source: tuple[Phrase, ...]
    expected: Phrase | None
    #: Each way the translation renders it, once, with how often.
    target: tuple[Phrase, ...]
    icon: str = ""

    @property
    def needs_attention(self) -> bool:
        return self.finding.is_problem


def phrase_lang(text: str, language: str) -> str:
    """The ``lang`` of a term: English for pure Latin text (GPT-4 in a Chinese term list)."""
    return term_language(text, language)


def _phrase(
    text: str | None, concept: engine.GlossaryConcept | None, language: str
) -> Phrase | None:
    """A preferred term of a concept in a language, with the language it really has."""
    if not text:
        return None
    term = concept.preferred_term(language) if concept is not None else None
    return Phrase(text, phrase_lang(text, term.language if term is not None else language))


def _spellings(
    spans: tuple[engine.Span, ...],
    language: str,
    concept: engine.GlossaryConcept | None,
    reasons: dict[tuple[str, str], str] | None = None,
) -> tuple[Phrase, ...]:
    """The distinct ways a concept is written in a text, in order, each with its count."""
    counts: dict[tuple[str, str, bool, str | None, str], int] = {}
    for span in spans:
        key = (span.text, span.status, span.match == "folded", span.replacement, span.term)
        counts[key] = counts.get(key, 0) + 1
    return tuple(
        Phrase(
            text,
            phrase_lang(text, language),
            folded=folded,
            count=count,
            status=status,
            replacement=_phrase(replacement, concept, language),
            reason=(reasons or {}).get((concept.uid, term), "") if concept is not None else "",
        )
        for (text, status, folded, replacement, term), count in counts.items()
    )


def _row(
    number: int,
    finding: engine.Finding,
    label: str,
    result: engine.CheckResult,
    reasons: dict[tuple[str, str], str],
) -> Row:
    concept = result.concepts.get(finding.concept)
    named = concept.preferred_term(BCP47[interface_language()]) if concept is not None else None
    checked = result.target_language or result.source_language
    return Row(
        number=number,
        finding=finding,
        label=label,
        concept=(
            Phrase(named.text, phrase_lang(named.text, named.language))
            if named is not None
            else Phrase(finding.concept, "")
        ),
        source=_spellings(finding.source, result.source_language, concept, reasons),
        expected=_phrase(finding.expected, concept, checked),
        target=_spellings(finding.target, result.target_language or "", concept, reasons),
        icon=VERDICT_ICONS.get(finding.verdict, ""),
    )


def deprecation_reasons(result: engine.CheckResult) -> dict[tuple[str, str], str]:
    """Why each deprecated or superseded term the texts use is so, by (concept, term): one
    query over the terms found, none when no such term is found."""
    pairs = {
        (finding.concept, span.term)
        for finding in result.findings
        for span in (*finding.source, *finding.target)
        if span.status in engine.FLAGGED_STATUSES
    }
    return Term.objects.notes_of_public_terms(pairs, engine.FLAGGED_STATUSES)


def authority_reasons(result: engine.CheckResult) -> dict[tuple[str, str], str]:
    """For each term a translation uses that the glossary does not prefer, the authorities
    whose rendering it is ("recommended by …"), by (concept, term): one query, none when every
    term used is preferred."""
    return {key: authorities.said(found) for key, found in authorities.of_result(result).items()}


def highlighted(text: str, marks: list[Mark]) -> SafeString:
    """A text as HTML, each marked span in a ``<mark>`` linking to its finding.

    Written here rather than in the template: a text at the limit may hold ten thousand terms,
    and a template loop over them would cost most of the request.
    """
    parts: list[str] = []
    position = 0
    titles: dict[str, str] = {}
    for mark in sorted(marks, key=lambda mark: mark.span.start):
        span = mark.span
        if span.start < position:
            continue  # another concept's term over the same words: the first mark stands
        if span.start > position:
            parts.append(escape(text[position : span.start]))
        title = titles.get(mark.title)
        if title is None:
            title = titles[mark.title] = escape(mark.title)
        mark_id = f' id="{mark.mark_id}"' if mark.mark_id else ""
        parts.append(
            f'<mark class="{mark.css}"{mark_id} title="{title}"><a href="#{mark.anchor}">'
            f"{escape(text[span.start : span.end])}</a></mark>"
        )
        position = span.end
    if position < len(text):
        parts.append(escape(text[position:]))
    # Every part is escaped above.
    return mark_safe("".join(parts))


def _chinese_preference() -> Language:
    """The script a Chinese text that reads the same in both is taken for: the interface's."""
    return "zh-Hant" if interface_language() == "zh-hant" else "zh-Hans"


def _throttled(request: HttpRequest) -> int | None:
    """Seconds to wait when this client has used up its allowance of checks, else None.

    The API's throttle for anonymous clients, with its rate and its reading of the client's
    address: a check from the page counts against the same allowance as one through the API.
    """
    throttle = AnonymousThrottle()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return None
    wait = throttle.wait()
    return max(1, math.ceil(wait)) if wait is not None else 1


@require_http_methods(["GET", "HEAD", "POST"])
def check_page(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the form again, with both texts highlighted and the findings."""
    # The file upload form, below the text form, posts to the file check (file_page).
    context: dict[str, Any] = {"file_form": FileCheckForm(), **limits_context()}
    if request.method != "POST":
        context["form"] = CheckForm(
            initial={"markup": "plain", "source_language": DETECT, "target_language": DETECT}
        )
        return render(request, "glossary/check.html", context)
    wait = _throttled(request)
    if wait is not None:
        # The texts stay in the form (unchecked), to send again later.
        context["form"] = CheckForm(
            initial={name: request.POST.get(name, "") for name in CheckForm.base_fields}
        )
        context["retry_after"] = wait
        response = render(request, "glossary/check.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    form = CheckForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "glossary/check.html", context, status=400)
    data = form.cleaned_data
    target = data["target"] if data["target"].strip() else None
    result = service.check(
        data["source"],
        data["source_language"],
        target,
        data["target_language"],
        markup=data["markup"],
    )
    labels = SINGLE_LABELS if target is None else VERDICT_LABELS
    reasons = deprecation_reasons(result)
    for key, said in authority_reasons(result).items():
        reasons[key] = f"{reasons[key]}; {said}" if reasons.get(key) else said
    rows = [
        _row(number, finding, str(labels.get(finding.verdict, finding.verdict)), result, reasons)
        for number, finding in enumerate(result.findings, start=1)
    ]
    # Every occurrence is marked once, linking to its finding's row; the first of each finding
    # is where the row's number links back to.
    source_marks = []
    target_marks = []
    for row in rows:
        anchor = f"finding-{row.number}"
        css = f"term-check verdict-{row.finding.verdict}"
        for position, span in enumerate(row.finding.source):
            mark_id = f"source-{anchor}" if position == 0 else ""
            source_marks.append(Mark(span, css, anchor, row.label, mark_id))
        for span in row.finding.target:
            target_marks.append(
                Mark(
                    span,
                    f"term-check status-{span.status}",
                    anchor,
                    choice_label(span.status, "status"),
                )
            )
    context.update(
        {
            "result": result,
            "rows": rows,
            "single": target is None,
            "source_html": highlighted(data["source"], source_marks),
            "target_html": highlighted(target, target_marks) if target is not None else "",
            "source_lang": result.source_language,
            "target_lang": result.target_language,
            "problems": len(result.problems),
            "legend": [
                (verdict, VERDICT_ICONS[verdict], labels[verdict], VERDICT_HELP[verdict])
                for verdict in labels
            ],
        }
    )
    return render(request, "glossary/check.html", context)
