"""Glossary files machine-translation engines import, each with the engine's language codes.

* ``deepl`` (TSV) and ``deepl-csv``: a DeepL glossary, English → Chinese (DeepL codes EN → ZH):
  one ``source<TAB>target`` line per English term (preferred, admitted, deprecated and superseded
  terms all map to the concept's preferred Simplified term), no header, each source once.
  ``deepl-csv`` adds DeepL's optional source and target language columns (``EN``, ``ZH``).
* ``google``: Google Cloud Translation equivalent term sets: a header of language codes
  ``en,zh-CN,zh-TW`` and ``description``, then one row of preferred terms per concept.
* ``amazon``: Amazon Translate custom terminology: header ``en,zh,zh-TW``, one row per concept.

Retired concepts and concepts without an English or a Simplified preferred term are left out.
These formats hold term pairs only; the release and date are in the file name, the
``X-Glossary-Release`` / ``X-Glossary-Date`` response headers, the line ``export_glossary`` prints
on stderr (and in Google's description).
"""

from __future__ import annotations

from collections.abc import Iterator

from glossary.core.choices import Language
from glossary.exchange.csv import iter_rows
from glossary.exchange.published import Export

#: Longest entry DeepL accepts, in UTF-8 bytes.
DEEPL_MAX_BYTES = 1024


def _fits_deepl(text: str) -> bool:
    return (
        bool(text)
        and len(text.encode("utf-8")) <= DEEPL_MAX_BYTES
        and not any(char in text for char in "\t\r\n")
    )


def deepl_pairs(export: Export) -> Iterator[tuple[str, str]]:
    for english, chinese in export.mt_pairs():
        if _fits_deepl(english) and _fits_deepl(chinese):
            yield english, chinese


def stream_deepl_tsv(export: Export) -> Iterator[bytes]:
    for english, chinese in deepl_pairs(export):
        yield f"{english}\t{chinese}\n".encode()


def stream_deepl_csv(export: Export) -> Iterator[bytes]:
    return iter_rows([english, chinese, "EN", "ZH"] for english, chinese in deepl_pairs(export))


def _preferred_rows(export: Export) -> Iterator[tuple[str, str, str, str]]:
    for record in export.records():
        if record.retired:
            continue
        english = record.preferred(Language.EN)
        simplified = record.preferred(Language.ZH_HANS)
        if english and simplified:
            yield record.uid, english, simplified, record.preferred(Language.ZH_HANT)


def stream_google(export: Export) -> Iterator[bytes]:
    export.history = False
    made = export.meta.release or export.meta.date.isoformat()

    def rows():
        yield ["en", "zh-CN", "zh-TW", "description"]
        for uid, english, simplified, traditional in _preferred_rows(export):
            yield [english, simplified, traditional, f"{uid} (AI Glossary {made})"]

    return iter_rows(rows())


def stream_amazon(export: Export) -> Iterator[bytes]:
    export.history = False

    def rows():
        yield ["en", "zh", "zh-TW"]
        for _uid, english, simplified, traditional in _preferred_rows(export):
            yield [english, simplified, traditional]

    return iter_rows(rows())
