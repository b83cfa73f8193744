"""Glossary files machine-translation engines import, each with the engine's language codes.

* ``deepl`` (TSV) and ``deepl-csv``: a DeepL glossary, English → Chinese (DeepL codes EN → ZH):
  one ``source<TAB>target`` line per preferred or admitted English term, mapped to the
  concept's preferred term in one Chinese variant (Simplified, or Traditional with
  ``chinese=zh-Hant``: DeepL glossaries are not variant-specific, a ZH glossary serves
  ``target_lang=ZH-HANT`` as well), no header, each source once. Deprecated and superseded
  English terms are left out. ``deepl-csv`` adds DeepL's optional language columns (``EN``, ``ZH``).
* ``google``: Google Cloud Translation equivalent term sets: a header of language codes
  (``en,zh-CN,zh-TW`` by default) and ``description``, then one row of preferred terms per concept.
* ``amazon``: Amazon Translate custom terminology: header ``en,zh,zh-TW``, one row per concept.

Retired concepts and concepts without an English or a Simplified preferred term are left out;
an unreviewed machine-converted Traditional term is never written unless the export asks for
such terms (``unreviewed``), and a restricted export (``chinese``) has one Chinese column.
These formats hold term pairs only; the release and date are in the file name, the
``X-Glossary-Release`` / ``X-Glossary-Date`` response headers, the line ``export_glossary`` prints
on stderr (and in Google's description).
"""

from __future__ import annotations

from collections.abc import Iterator

from glossary.core.choices import Language, TermStatus
from glossary.exchange import variants
from glossary.exchange.csv import iter_rows
from glossary.exchange.published import Export
from glossary.exchange.records import LANGUAGES, ConceptRecord

#: Longest entry DeepL accepts, in UTF-8 bytes.
DEEPL_MAX_BYTES = 1024


def _fits_deepl(text: str) -> bool:
    return (
        bool(text)
        and len(text.encode("utf-8")) <= DEEPL_MAX_BYTES
        and not any(char in text for char in "\t\r\n")
    )


def deepl_target(export: Export) -> str:
    """The Chinese variant of a DeepL glossary: Simplified unless the export asks for one."""
    chinese = export.meta.chinese
    return Language.ZH_HANS if chinese == variants.BOTH else chinese


def deepl_pairs(export: Export) -> Iterator[tuple[str, str]]:
    for english, chinese in export.mt_pairs(deepl_target(export)):
        if _fits_deepl(english) and _fits_deepl(chinese):
            yield english, chinese


def stream_deepl_tsv(export: Export) -> Iterator[bytes]:
    for english, chinese in deepl_pairs(export):
        yield f"{english}\t{chinese}\n".encode()


def stream_deepl_csv(export: Export) -> Iterator[bytes]:
    return iter_rows([english, chinese, "EN", "ZH"] for english, chinese in deepl_pairs(export))


#: Amazon Translate's own codes: ``zh`` is Simplified Chinese, ``zh-TW`` Traditional.
AMAZON_CODES: dict[str, str] = {
    Language.EN: "en",
    Language.ZH_HANS: "zh",
    Language.ZH_HANT: "zh-TW",
}


def _languages(export: Export) -> list[str]:
    return [lang for lang in LANGUAGES[1:] if variants.keeps(export.meta.chinese, lang)]


def _preferred_rows(export: Export) -> Iterator[tuple[str, str, list[str]]]:
    """(uid, English, [preferred term per kept Chinese variant]) of each current concept.

    A Traditional term that is an unreviewed machine conversion is left empty unless the
    export asks for such terms; a concept with no Chinese term left is left out.
    """
    languages = _languages(export)
    for record in export.records():
        if record.retired:
            continue
        english = record.preferred(Language.EN)
        if not english or not record.preferred(Language.ZH_HANS):
            continue
        targets = [_target(record, language, export.meta.unreviewed) for language in languages]
        if any(targets):
            yield record.uid, english, targets


def _target(record: ConceptRecord, language: str, unreviewed: bool) -> str:
    for term in record.terms:
        if term.language == language and term.status == TermStatus.PREFERRED:
            return "" if term.machine_converted and not unreviewed else term.text
    return ""


def stream_google(export: Export) -> Iterator[bytes]:
    export.history = False
    made = export.meta.release or export.meta.date.isoformat()
    codes = export.meta.codes or "cn-tw"

    def rows():
        yield ["en", *(variants.code(codes, lang) for lang in _languages(export)), "description"]
        for uid, english, targets in _preferred_rows(export):
            yield [english, *targets, f"{uid} (AI Glossary {made})"]

    return iter_rows(rows())


def stream_amazon(export: Export) -> Iterator[bytes]:
    export.history = False
    codes = export.meta.codes

    def header(language: str) -> str:
        return variants.code(codes, language) if codes else AMAZON_CODES[language]

    def rows():
        yield ["en", *map(header, _languages(export))]
        for _uid, english, targets in _preferred_rows(export):
            yield [english, *targets]

    return iter_rows(rows())
