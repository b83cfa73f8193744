"""Template helpers of the public site: languages, translated fields with fallback, labels.

Interface languages are Django's codes (``en``, ``zh-hans``, ``zh-hant``); text carries BCP 47
tags (``en``, ``zh-Hans``, ``zh-Hant``) in its ``lang`` attributes, so that browsers pick the
right glyphs and screen readers the right voice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.db import models
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override, pgettext
from modeltranslation.utils import build_localized_fieldname, resolution_order

from glossary.choices import (
    Agreement,
    Jurisdiction,
    Language,
    Maturity,
    PartOfSpeech,
    Region,
    RelationKind,
    ReleaseChange,
    TermStatus,
    TermType,
    VersionState,
)
from glossary.text import has_han, pinyin, to_simplified

register = template.Library()

#: Interface language (Django's code) -> the BCP 47 tag of text in that language.
BCP47 = {
    "en": Language.EN.value,
    "zh-hans": Language.ZH_HANS.value,
    "zh-hant": Language.ZH_HANT.value,
}

#: Each language's own name, shown in the language switcher whatever the interface language.
ENDONYMS = {"en": "English", "zh-hans": "简体中文", "zh-hant": "繁體中文"}

#: Term languages in the order a reader of each interface language looks for a label.
_LABEL_ORDER = {
    "en": (Language.EN, Language.ZH_HANS, Language.ZH_HANT),
    "zh-hans": (Language.ZH_HANS, Language.ZH_HANT, Language.EN),
    "zh-hant": (Language.ZH_HANT, Language.ZH_HANS, Language.EN),
}

_CHOICES: dict[str, type[models.TextChoices]] = {
    "status": TermStatus,
    "term_type": TermType,
    "part_of_speech": PartOfSpeech,
    "geographic_usage": Region,
    "agreement": Agreement,
    "maturity": Maturity,
    "change": ReleaseChange,
    "state": VersionState,
    "language": Language,
    "quote_language": Language,
    "jurisdiction": Jurisdiction,
    "kind": RelationKind,
}


def interface_language() -> str:
    """The active interface language, always one of settings.LANGUAGES."""
    code = (get_language() or settings.LANGUAGE_CODE).lower()
    return code if code in BCP47 else settings.LANGUAGE_CODE


@register.simple_tag
def html_lang() -> str:
    """The BCP 47 tag of the interface language, for ``<html lang>``."""
    return BCP47[interface_language()]


@register.filter
def bcp47(code: str) -> str:
    """Django's language code (zh-hant) as a BCP 47 tag (zh-Hant)."""
    return BCP47.get(str(code).lower(), str(code))


@dataclass(frozen=True)
class Shown:
    """A translated field as shown: the text, the language it is really in, and whether it is a
    fallback from another language because this one is not yet translated."""

    text: str
    lang: str
    fallback: bool
    unreviewed: bool = False  # Traditional text converted by machine, not reviewed yet

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def shown(obj: Any, field: str, language: str | None = None) -> Shown:
    """The value of a translated field for the interface language, falling back in the order of
    settings.MODELTRANSLATION_FALLBACK_LANGUAGES, and saying which language was shown."""
    language = language or interface_language()
    for code in resolution_order(language):
        name = build_localized_fieldname(field, code)
        value = (getattr(obj, name, "") or "").strip()
        if value:
            unreviewed = name in (getattr(obj, "machine_converted_fields", None) or ())
            return Shown(value, BCP47.get(code, code), code != language, unreviewed)
    return Shown("", BCP47.get(language, language), False)


@register.simple_tag
def translated(obj: Any, field: str) -> Shown:
    """``{% translated version "us_usage" as text %}``: see :func:`shown`."""
    return shown(obj, field)


@register.filter
def preferred(version: Any, language: str) -> Any:
    """The version's preferred term in a term language (BCP 47), from prefetched terms."""
    if version is None:
        return None
    return version.preferred(language)


def label_term(version: Any, language: str | None = None) -> Any:
    """The term that names a version for a reader: the preferred term of the interface
    language, else of the other script, else English."""
    if version is None:
        return None
    for code in _LABEL_ORDER[language or interface_language()]:
        term = version.preferred(code)
        if term is not None:
            return term
    return None


@register.filter
def reader_terms(version: Any) -> list[Any]:
    """The version's preferred terms in the reader's order (their language first), skipping a
    Traditional term written exactly like the Simplified one."""
    if version is None:
        return []
    terms, seen = [], set()
    for code in _LABEL_ORDER[interface_language()]:
        term = version.preferred(code)
        if term is not None and term.text not in seen:
            terms.append(term)
            seen.add(term.text)
    return terms


@register.filter
def label(version: Any) -> Any:
    """``{{ version|label }}``: see :func:`label_term`."""
    return label_term(version)


@register.filter
def choice_label(value: Any, field: str) -> str:
    """The translated label of a stored choice value (``"deprecated"|choice_label:"status"``)."""
    choices = _CHOICES.get(field)
    if choices is None or value in (None, ""):
        return str(value or "")
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@register.filter
def field_label(name: str) -> str:
    """The translated name of a version or term field, as the diff names them."""
    from glossary.models import ConceptVersion, Term

    if name == "source":
        return pgettext("citation", "source")
    for model in (ConceptVersion, Term):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001, S112 - FieldDoesNotExist: try the next model
            continue
    return name


@register.filter
def language_name(code: str) -> str:
    """The translated name of a term language (BCP 47)."""
    return choice_label(code, "language")


def guess_language(text: str) -> str:
    """A BCP 47 tag for text stored without one (release notes, a retirement reason)."""
    if not has_han(text or ""):
        return Language.EN.value
    return Language.ZH_HANS.value if to_simplified(text) == text else Language.ZH_HANT.value


@register.filter
def text_lang(text: str) -> str:
    """``lang="{{ notes|text_lang }}"``: see :func:`guess_language`."""
    return guess_language(str(text or ""))


@register.filter
def lang_or_guess(language: str, text: str) -> str:
    """A stored language tag if there is one, else a guess from the text itself."""
    return str(language) if language else guess_language(str(text or ""))


_TONE_MARKS = {
    "a": "āáǎàa",
    "e": "ēéěèe",
    "i": "īíǐìi",
    "o": "ōóǒòo",
    "u": "ūúǔùu",
    "ü": "ǖǘǚǜü",
}
_SYLLABLE = re.compile(r"^([a-zü]+)([1-5])$")


def tone_marks(syllable: str) -> str:
    """``zhi4`` -> ``zhì``, ``nv3`` -> ``nǚ``: digits of glossary.text.pinyin as tone marks."""
    match = _SYLLABLE.match(syllable.replace("v", "ü"))
    if not match:
        return syllable
    letters, tone = match.group(1), int(match.group(2))
    # The mark goes on a or e if there is one, on the o of "ou", else on the last vowel.
    if "a" in letters:
        index = letters.index("a")
    elif "e" in letters:
        index = letters.index("e")
    elif "ou" in letters:
        index = letters.index("o")
    else:
        vowels = [i for i, char in enumerate(letters) if char in _TONE_MARKS]
        if not vowels:
            return letters
        index = vowels[-1]
    marked = _TONE_MARKS[letters[index]][tone - 1]
    return letters[:index] + marked + letters[index + 1 :]


@register.filter
def pinyin_marks(text: str) -> str:
    """Hanyu pinyin with tone marks, one syllable per space: 生成式 -> shēng chéng shì."""
    return " ".join(tone_marks(part) for part in pinyin(str(text or ""), tones=True).split())


@register.filter
def jsonld(data: Any) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` block, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return mark_safe(text)  # noqa: S308 - the only markup characters are escaped above


@dataclass(frozen=True)
class Alternate:
    code: str
    lang: str
    name: str
    url: str
    current: bool


def alternates(request: Any) -> list[Alternate]:
    """The current page in each interface language (same path, same query)."""
    current = interface_language()
    path = request.get_full_path() if request is not None else "/"
    result = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            # Not a page of the site (a 404): offer that language's home page instead.
            with override(code):
                url = reverse("glossary:home")
        result.append(Alternate(code, BCP47[code], ENDONYMS[code], url, code == current))
    return result


@register.simple_tag(takes_context=True)
def language_alternates(context: template.Context) -> list[Alternate]:
    """``{% language_alternates as languages %}`` for the switcher and hreflang links."""
    return alternates(context.get("request"))


@register.simple_tag(takes_context=True)
def absolute(context: template.Context, url: str) -> str:
    """An absolute URL on this site, for permalinks, hreflang, feeds and JSON-LD."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


@register.filter
def term_html(term: Any, fallback: str = "") -> SafeString:
    """A term as HTML carrying its language, to be placed inside a translated sentence."""
    if term is None:
        return format_html("{}", fallback)
    return format_html('<span lang="{}">{}</span>', term.language, term.text)


@register.simple_tag
def term_span(term: Any, css: str = "") -> SafeString:
    """A term as a span carrying its language: ``<span lang="zh-Hant">人工智慧</span>``."""
    if term is None:
        return mark_safe("")  # noqa: S308 - empty
    if css:
        return format_html('<span lang="{}" class="{}">{}</span>', term.language, css, term.text)
    return format_html('<span lang="{}">{}</span>', term.language, term.text)
