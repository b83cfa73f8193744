"""The term check page: paste a text and its translation, see the glossary's terms in both.

Server-rendered and readable without JavaScript: the form posts back to the same page, which
shows the two texts side by side with every recognised term in a ``<mark>`` (with the text's
``lang``), and the list of findings below them, each naming its concept by its preferred term in
the interface language. Each text's language is detected from its script unless chosen; a
language chosen for a text plainly in another script is refused beside the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from glossary import check as engine
from glossary.templatetags.glossary_site import BCP47, interface_language
from glossary.text import script_of

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
#: How a single text's findings read (only deprecated and superseded terms are reported).
SINGLE_LABELS = {
    "deprecated": _("Deprecated term"),
    "superseded": _("Superseded term"),
}


class CheckForm(forms.Form):
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
        if self.errors or "source" not in cleaned:
            return cleaned
        source = cleaned["source"]
        target = cleaned.get("target") or ""
        given = {
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
        for role, text, language in (
            ("source", source, given["source"]),
            ("target", target if target_language else "", given["target"]),
        ):
            detected = engine.mismatch(text, language) if language and text else None
            if detected is not None:
                error = engine.LanguageMismatch(role, language, detected)
                self.add_error(f"{role}_language", engine.mismatch_message(error))
        if target_language is not None and target_language == source_language:
            self.add_error(
                "target_language", _("The translation must be in another language than the text.")
            )
        return cleaned


@dataclass(frozen=True)
class Piece:
    """A run of a text: plain, or a recognised term (``span``) with what to say about it."""

    text: str
    span: engine.Span | None = None
    css: str = ""
    anchor: str = ""
    title: str = ""


@dataclass(frozen=True)
class Phrase:
    """A term or a bit of text, with the ``lang`` it is shown with."""

    text: str
    lang: str
    folded: bool = False


@dataclass(frozen=True)
class Row:
    """A finding as the page lists it."""

    number: int
    finding: engine.Finding
    label: str
    #: The concept, named by its preferred term in the interface language (its uid without one).
    concept: Phrase
    source: Phrase
    replacement: Phrase | None
    expected: Phrase | None
    target: tuple[Phrase, ...]


def phrase_lang(text: str, language: str) -> str:
    """The ``lang`` of a term: English for pure Latin text (GPT-4 in a Chinese term list)."""
    return "en" if script_of(text) == "latin" else language


def _phrase(
    text: str | None, concept: engine.GlossaryConcept | None, language: str
) -> Phrase | None:
    """A preferred term of a concept in a language, with the language it really has."""
    if not text:
        return None
    term = concept.preferred_term(language) if concept is not None else None
    return Phrase(text, phrase_lang(text, term.language if term is not None else language))


def _row(
    number: int,
    finding: engine.Finding,
    label: str,
    result: engine.CheckResult,
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
        source=Phrase(
            finding.source.text, phrase_lang(finding.source.text, result.source_language)
        ),
        replacement=_phrase(finding.source.replacement, concept, result.source_language),
        expected=_phrase(finding.expected, concept, checked),
        target=tuple(
            Phrase(
                span.text,
                phrase_lang(span.text, result.target_language or ""),
                folded=span.match == "folded",
            )
            for span in finding.target
        ),
    )


def _pieces(text: str, marks: list[tuple[engine.Span, str, str, str]]) -> list[Piece]:
    """Cut a text at the marked spans (which never overlap), keeping everything in between."""
    pieces: list[Piece] = []
    position = 0
    for span, css, anchor, title in sorted(marks, key=lambda mark: mark[0].start):
        if span.start < position:
            continue
        if span.start > position:
            pieces.append(Piece(text[position : span.start]))
        pieces.append(Piece(text[span.start : span.end], span, css, anchor, title))
        position = span.end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces


def _chinese_preference() -> str:
    """The script a Chinese text that reads the same in both is taken for: the interface's."""
    return "zh-Hant" if interface_language() == "zh-hant" else "zh-Hans"


@require_http_methods(["GET", "HEAD", "POST"])
def check_page(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the form again, with both texts highlighted and the findings."""
    context: dict[str, Any] = {
        "max_length": number_format(engine.MAX_TEXT_LENGTH, force_grouping=True)
    }
    if request.method != "POST":
        context["form"] = CheckForm(initial={"source_language": DETECT, "target_language": DETECT})
        return render(request, "glossary/check.html", context)
    form = CheckForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "glossary/check.html", context, status=400)
    data = form.cleaned_data
    target = data["target"] if data["target"].strip() else None
    result = engine.check(data["source"], data["source_language"], target, data["target_language"])
    labels = SINGLE_LABELS if target is None else VERDICT_LABELS
    rows = [
        _row(number, finding, str(labels.get(finding.verdict, finding.verdict)), result)
        for number, finding in enumerate(result.findings, start=1)
    ]
    source_marks = [
        (
            row.finding.source,
            f"term-check verdict-{row.finding.verdict}",
            f"finding-{row.number}",
            row.label,
        )
        for row in rows
    ]
    target_marks = []
    seen: set[tuple[int, int]] = set()
    for row in rows:
        for span in row.finding.target:
            if (span.start, span.end) not in seen:
                seen.add((span.start, span.end))
                target_marks.append(
                    (span, f"term-check status-{span.status}", f"finding-{row.number}", row.label)
                )
    context.update(
        {
            "result": result,
            "rows": rows,
            "single": target is None,
            "source_pieces": _pieces(data["source"], source_marks),
            "target_pieces": _pieces(target, target_marks) if target is not None else [],
            "source_lang": result.source_language,
            "target_lang": result.target_language,
            "problems": len(result.problems),
        }
    )
    return render(request, "glossary/check.html", context)
