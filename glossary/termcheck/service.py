"""A check against the published glossary, and what to tell a person when it is refused."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext

from glossary.core.choices import Language
from glossary.language.codes import Language as LanguageCode
from glossary.termcheck import authorities
from glossary.termcheck.engine import CheckResult, LanguageMismatch, extract, restore
from glossary.termcheck.files import FileReport, read_file
from glossary.termcheck.files import check_file as check_segments
from glossary.termcheck.index import current_checker


def check(
    source: str,
    source_language: str,
    target: str | None = None,
    target_language: str | None = None,
    *,
    markup: str = "plain",
) -> CheckResult:
    """Check a text (and its translation) against the published glossary.

    Without ``target`` (or with an empty one), report the deprecated and superseded terms of the
    source with the preferred term to use instead. Both texts are written in ``markup`` (plain,
    markdown, html or xliff): the text a reader sees is checked, and the occurrences are placed
    in the texts as given. Raises ``ValueError`` on an unknown language or format, a target
    without its language, or the same language on both sides, its subclass ``MarkupError`` on a
    text that is not what its format says, and its subclass ``LanguageMismatch`` when a text is
    plainly in another script than its language (languages left to detection come from
    ``resolve_languages``, over the ``extract``-ed texts).
    """
    checked_source = extract(source, markup)
    checked_target = extract(target, markup) if target is not None else None
    result = current_checker().check(
        checked_source.text,
        source_language,
        checked_target.text if checked_target is not None else None,
        target_language,
    )
    return restore(result, checked_source, checked_target)


def check_file(
    data: bytes,
    name: str,
    *,
    source_language: LanguageCode | None = None,
    target_language: LanguageCode | None = None,
) -> FileReport:
    """Check a translator's bilingual file (XLIFF, TMX, PO, CSV, XLSX) against the glossary.

    Languages given override those the file states. Raises ``FileRefused`` for a file that
    cannot be read, is over a limit, or has no target language (stated or given); nothing is
    checked then.
    """
    bilingual = read_file(
        data, name, source_language=source_language, target_language=target_language
    )
    checker = current_checker()
    report = check_segments(checker, bilingual, name=name, glossary=checker.key)
    # The authorities of the unpreferred terms the whole file uses: one query, or none.
    return dataclasses.replace(report, mentions=authorities.mentions_of(report.unpreferred_pairs()))


def language_name(language: str) -> str:
    """The language's name in the interface language (the Language choices' own label)."""
    return str(Language(language).label) if language in Language.values else language


def mismatch_message(error: LanguageMismatch) -> str:
    """What to tell a person about a language mismatch, in the interface language."""
    names = {"detected": language_name(error.detected), "declared": language_name(error.declared)}
    if error.role == "target":
        message = gettext(
            "The translation looks like %(detected)s, but its language was given as "
            "%(declared)s. Correct the language, or have it detected from the text."
        )
    else:
        message = gettext(
            "The text looks like %(detected)s, but its language was given as %(declared)s. "
            "Correct the language, or have it detected from the text."
        )
    return message % names
