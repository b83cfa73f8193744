"""How the public site presents the glossary: languages, translated fields with fallback, labels.

Interface languages are Django's codes (``en``, ``zh-hans``, ``zh-hant``); text carries BCP 47
tags (``en``, ``zh-Hans``, ``zh-Hant``) in its ``lang`` attributes, so that browsers pick the
right glyphs and screen readers the right voice.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django import template
from django.conf import settings
from django.db import models
from django.urls import reverse, translate_url
from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, override, pgettext
from modeltranslation.utils import build_localized_fieldname, resolution_order

from glossary.core.choices import (
    Agreement,
    Jurisdiction,
    Language,
    Maturity,
    PartOfSpeech,
    Region,
    RelationKind,
    ReleaseChange,
    Side,
    TermStatus,
    TermType,
    VersionState,
    interface_language,
)
from glossary.language import pinyin_reading
from glossary.language.codes import BCP47
from glossary.language.detect import chinese_variant, detect

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
    "side": Side,
}


#: Term fields that are flags: the diff gives them as "yes" or nothing.
_FLAGS = frozenset({"in_sense_only", "machine_converted"})


def html_lang() -> str:
    """The BCP 47 tag of the interface language, for ``<html lang>``."""
    return BCP47[interface_language()]


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


def translated(obj: Any, field: str) -> Shown:
    """``{% translated version "us_usage" as text %}``: see :func:`shown`."""
    return shown(obj, field)


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
    named = _in_label_order(preferred_terms(version), language)
    return named[0] if named else None


def reader_terms(version: Any) -> list[Any]:
    """The version's preferred terms in the reader's order (their language first), skipping a
    Traditional term written exactly like the Simplified one."""
    if version is None:
        return []
    return _distinct(_in_label_order(preferred_terms(version)))


def preferred_terms(version: Any) -> dict[str, Any]:
    """A version's preferred term in each language that has one (``ConceptVersion.preferred``
    for every language, from prefetched terms, in one pass)."""
    found: dict[str, Any] = {}
    for term in version.terms.all():
        if term.status == TermStatus.PREFERRED:
            found.setdefault(term.language, term)
    return found


def _in_label_order(preferred: dict[str, Any], language: str | None = None) -> list[Any]:
    return [
        preferred[code]
        for code in _LABEL_ORDER[language or interface_language()]
        if code in preferred
    ]


def _distinct(terms: list[Any]) -> list[Any]:
    """The terms, each text once (a Traditional term written like the Simplified one)."""
    seen: set[str] = set()
    distinct = []
    for term in terms:
        if term.text not in seen:
            distinct.append(term)
            seen.add(term.text)
    return distinct


def label(version: Any) -> Any:
    """``{{ version|label }}``: see :func:`label_term`."""
    return label_term(version)


def choice_label(value: Any, field: str) -> str:
    """The translated label of a stored choice value (``"deprecated"|choice_label:"status"``)."""
    if field in _FLAGS:
        return str(pgettext("a flag that is set", "yes")) if value else ""
    choices = _CHOICES.get(field)
    if choices is None or value in (None, ""):
        return str(value or "")
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def field_label(name: str) -> str:
    """The translated name of a version or term field, as the diff names them."""
    from glossary.core.models import ConceptVersion, Term

    if name == "source":
        return pgettext("citation", "source")
    for model in (ConceptVersion, Term):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001, S112 - FieldDoesNotExist: try the next model
            continue
    return name


def language_name(code: str) -> str:
    """The translated name of a term language (BCP 47)."""
    return choice_label(code, "language")


# --- Text in two scripts ----------------------------------------------------------------------
#
# Free text often quotes the other language: an English note names the Chinese term
# ("Word-for-word calque of 大模型"), a Chinese usage note the English one ("feedback 大陆译
# “反馈”"). The text as a whole takes the language the one detector reads
# (glossary.language.detect), and each run of the other script gets a span of its own, so that it
# is drawn with the right font and read with the right voice.

# The Han ranges of glossary.language (with 〇, a digit in Chinese dates).
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af"
# CJK symbols and punctuation (《》「」、。) and the full-width forms written inside Chinese.
_CJK_MARKS = "\u3000-\u3006\u3008-\u303f\uff01-\uff65"
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"

_LATIN_CHAR_RE = re.compile(f"[{_LATIN}]")

# A Han run may open and close with Chinese punctuation (《互聯網信息服務算法推薦管理規定》)
# and hold digits between characters (训练10轮); it never ends on an opening bracket, which
# belongs to what follows (人工智能（AI）).
_HAN_RUN_RE = re.compile(f"[{_CJK_MARKS}]*[{_HAN}](?:[{_HAN}{_CJK_MARKS}]|[0-9]+(?=[{_HAN}]))*")
_CJK_OPENING = "（《「『〈【〔〖［｛"
# A Latin run: words joined by the spaces and marks found inside names (large language model,
# GPT-4, general-purpose AI, TCP/IP). One letter alone (X光, k折) stays part of the Chinese.
_LATIN_RUN_RE = re.compile(f"[{_LATIN}][{_LATIN}0-9]*(?:[-'’ ./&+][{_LATIN}0-9]+)*")


def chinese_tag(text: str) -> str:
    """zh-Hant if folding the text to Simplified changes it (it is Traditional), else zh-Hans."""
    return chinese_variant(text)


def guess_language(text: str) -> str:
    """A BCP 47 tag for text stored without one: the language detector's, English for none."""
    return detect(text or "") or Language.EN.value


def script_runs(text: str, language: str) -> list[tuple[str, str | None]]:
    """Text in ``language`` cut into pieces, each with the tag of a run of the other script, or
    None: runs of Han in English text, Latin runs of two letters or more in Chinese text."""
    runs: list[tuple[int, str]]
    if str(language).lower().startswith("zh"):
        runs = [
            (m.start(), m[0])
            for m in _LATIN_RUN_RE.finditer(text)
            if len(_LATIN_CHAR_RE.findall(m[0])) > 1
        ]
    else:
        runs = [(m.start(), m[0].rstrip(_CJK_OPENING)) for m in _HAN_RUN_RE.finditer(text)]
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for start, run in runs:
        if start > position:
            pieces.append((text[position:start], None))
        tag = Language.EN.value if _LATIN_CHAR_RE.match(run) else chinese_tag(run)
        pieces.append((run, tag))
        position = start + len(run)
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def lang_spans(text: Any, language: str | None = None) -> SafeString:
    """``{{ note|lang_spans:"en" }}``: the text escaped, each run of the other script in a
    ``<span lang>`` of its own. Without a language, the text's own is guessed."""
    if isinstance(text, SafeData):
        return text  # markup already: cutting it into runs could split a tag
    text = str(text or "")
    language = str(language or "") or guess_language(text)
    html = "".join(
        format_html('<span lang="{}">{}</span>', tag, piece) if tag else escape(piece)
        for piece, tag in script_runs(text, language)
    )
    return mark_safe(html)  # noqa: S308 - every piece is escaped above


def lang_text(text: Any, language: str | None = None) -> SafeString:
    """``{{ reason|lang_text }}``: a span in the text's language (given or guessed) holding
    :func:`lang_spans`; nothing for empty text."""
    text = str(text or "").strip()
    if not text:
        return mark_safe("")  # noqa: S308 - empty
    language = str(language or "") or guess_language(text)
    return format_html('<span lang="{}">{}</span>', language, lang_spans(text, language))


def text_lang(text: str) -> str:
    """``lang="{{ notes|text_lang }}"``: see :func:`guess_language`."""
    return guess_language(str(text or ""))


def lang_or_guess(language: str, text: str) -> str:
    """A stored language tag if there is one, else a guess from the text itself."""
    return str(language) if language else guess_language(str(text or ""))


def parenthetical(*parts: Any) -> SafeString:
    """``{% parenthetical language status %}``: "(Simplified Chinese, preferred)" in English,
    "（简体中文，首选）" with full-width marks in Chinese. Empty parts are left out."""
    shown_parts = [conditional_escape(part) for part in parts if str(part or "").strip()]
    if not shown_parts:
        return mark_safe("")  # noqa: S308 - empty
    separator = conditional_escape(pgettext("between items in parentheses", ", "))
    text = escape(pgettext("parenthetical note", "(%(text)s)")) % {
        "text": separator.join(shown_parts)
    }
    return mark_safe(text)  # noqa: S308 - the format and every part are escaped above


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
    """``zhi4`` -> ``zhì``, ``nv3`` -> ``nǚ``: digits of glossary.language.pinyin as tone marks."""
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


def partial_date(value: Any) -> str:
    """``{{ version.first_attested|partial_date }}``: a year, a year and month, or a date
    (2023, 2023-05, 2023-05-04) as the interface language writes it: "May 2023" in English,
    "2023年5月" in Chinese, and a year alone with 年 after it in Chinese ("2023年")."""
    text = str(value or "").strip()
    parts = text.split("-")
    try:
        numbers = [int(part) for part in parts]
        if len(numbers) == 3:
            return date_format(datetime.date(*numbers), "DATE_FORMAT")
        if len(numbers) == 2:
            return date_format(datetime.date(numbers[0], numbers[1], 1), "YEAR_MONTH_FORMAT")
    except ValueError:
        return text
    if len(parts) == 1 and text.isdigit() and interface_language() != "en":
        return pgettext("a year alone", "%(year)s") % {"year": text}
    return text


def pinyin_marks(text: str) -> str:
    """Hanyu pinyin with tone marks, one syllable per space: 生成式 -> shēng chéng shì; Latin
    words stay as the term writes them (生成式AI -> shēng chéng shì AI)."""
    return " ".join(
        tone_marks(part) if is_syllable else part
        for part, is_syllable in pinyin_reading(str(text or ""))
    )


def jsonld(data: Any) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` block, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None)
    for char, replacement in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, replacement)
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


def language_alternates(context: template.Context) -> list[Alternate]:
    """``{% language_alternates as languages %}`` for the switcher and hreflang links."""
    return alternates(context.get("request"))


def absolute(context: template.Context, url: str) -> str:
    """An absolute URL on this site, for permalinks, hreflang, feeds and JSON-LD."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


def term_html(term: Any, fallback: str = "") -> SafeString:
    """A term as HTML carrying its language, to be placed inside a translated sentence."""
    if term is None:
        return format_html("{}", fallback)
    return format_html('<span lang="{}">{}</span>', term.language, term.text)


def term_span(term: Any, css: str = "") -> SafeString:
    """A term as a span carrying its language: ``<span lang="zh-Hant">人工智慧</span>``."""
    if term is None:
        return mark_safe("")  # noqa: S308 - empty
    if css:
        return format_html('<span lang="{}" class="{}">{}</span>', term.language, css, term.text)
    return format_html('<span lang="{}">{}</span>', term.language, term.text)


# --- Lists and search results -----------------------------------------------------------------


def concept_urls() -> Callable[[str], str]:
    """``reverse("glossary:concept", args=[uid])`` for the many concepts of a list, the route
    reversed once: an identifier is a slug, which a URL never escapes."""
    head, tail = reverse("glossary:concept", args=["uid0marker"]).rsplit("uid0marker", 1)
    return lambda uid: f"{head}{uid}{tail}"


class ListTerm(NamedTuple):
    """A preferred term as a list entry or a search result shows it."""

    text: str
    language: str


@dataclass(frozen=True)
class Result:
    """A search hit as the search page shows it, every word of it looked up here: a page of 50
    hits written by the template from the concepts themselves cost three times as much."""

    uid: str
    url: str
    lead: Any  # the term that names the concept (``label_term``), or None
    badge: str  # "retired", an agreement other than agreed, or empty
    badge_label: str
    terms: list[Any]  # ``reader_terms``
    match_label: str  # how the term matched (empty for a definition's match)
    term: Any  # the term that matched, or None
    term_note: SafeString  # "(English, preferred)"
    use_instead: str
    definition: Shown
    definition_text: str  # the definition, cut at 220 characters


def search_results(hits: list[Any]) -> list[Result]:
    """The search page's rows for ``hits`` (``glossary.search.ranking.SearchHit``)."""
    matched = {
        "prefix": gettext("Begins with your search:"),
        "contains": gettext("Contains your search:"),
        "pinyin": gettext("Pinyin match:"),
        "typo": gettext("Close to your search:"),
    }
    exact = gettext("Exact match:")
    concept_url = concept_urls()
    notes: dict[tuple[str, str], SafeString] = {}
    results = []
    for hit in hits:
        version = hit.version
        named = _in_label_order(
            {language: ListTerm(text, language) for language, text in hit.preferred.items()}
        )
        if hit.is_retired:
            badge, badge_label = "retired", gettext("retired")
        elif version.agreement != Agreement.AGREED:
            badge, badge_label = version.agreement, choice_label(version.agreement, "agreement")
        else:
            badge, badge_label = "", ""
        note = SafeString("")
        if hit.term is not None:
            key = (hit.term.language, hit.term.status)
            if key not in notes:
                notes[key] = parenthetical(
                    language_name(hit.term.language),
                    choice_label(hit.term.status, "status").lower(),
                )
            note = notes[key]
        definition = shown(version, "definition")
        results.append(
            Result(
                uid=hit.uid,
                url=concept_url(hit.uid),
                lead=named[0] if named else None,
                badge=badge,
                badge_label=badge_label,
                terms=_distinct(named),
                match_label=matched.get(hit.match, exact) if hit.term is not None else "",
                term=hit.term,
                term_note=note,
                use_instead=hit.use_instead,
                definition=definition,
                definition_text=Truncator(definition.text).chars(220),
            )
        )
    return results
