"""Files for translators' CAT tools: an OmegaT glossary, TMX term pairs, a terms workbook.

Each holds the current (not retired) concepts, in English and one or both Chinese variants
(``ExportMeta.chinese``), with the language codes the tool expects (``ExportMeta.codes``; see
``glossary.exchange.variants``). Which file suits which tool is in docs/exchange.md.

* ``omegat``: OmegaT's tab-separated glossary (UTF-8, ``.utf8``): ``source<TAB>target<TAB>
  comment`` per line, lines starting with ``#`` are comments. OmegaT's glossary has no language
  column, so the file holds one Chinese variant (Simplified unless ``chinese=zh-Hant``). Every
  English term maps to the preferred Chinese term; the other Chinese terms follow the preferred
  English term. The comment says each pair's status and, for a deprecated or superseded term,
  which term to use instead (OmegaT has no "forbidden" mark of its own).
* ``tmx``: TMX 1.4b, one translation unit per preferred or admitted English term with the
  concept's preferred term in each Chinese variant the file holds. TMX cannot say "forbidden",
  so deprecated and superseded terms are left out.
* ``xlsx-terms``: one language per column and one term per cell, as memoQ, Phrase and
  Smartcat import a spreadsheet: ``Entry_ID`` groups the rows of a concept (its preferred terms
  on the first), each language has a column of terms, a ``…_Status`` column (``preferred``,
  ``admitted``, ``forbidden``) and a ``…_Note`` column (which term to use instead of a forbidden
  one; an unreviewed machine conversion).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from openpyxl import Workbook

from glossary.core.choices import Language, TermStatus
from glossary.exchange import variants
from glossary.exchange.published import Export
from glossary.exchange.records import GLOSSARY_TITLE, LANGUAGES, ConceptRecord, TermRecord
from glossary.exchange.tbx.categories import escape_attribute, escape_text, text_element
from glossary.exchange.xlsx import CHUNK, _cell

FORBIDDEN = (TermStatus.DEPRECATED, TermStatus.SUPERSEDED)
#: Status words in the files (they are data, not translated).
STATUS_WORDS: dict[str, str] = {
    TermStatus.PREFERRED: "preferred",
    TermStatus.ADMITTED: "admitted",
    TermStatus.DEPRECATED: "deprecated",
    TermStatus.SUPERSEDED: "superseded",
}
UNREVIEWED = "unreviewed machine conversion"


def _current(export: Export) -> Iterator[ConceptRecord]:
    export.history = False
    for record in export.records():
        if not record.retired:
            yield record


def _flat(text: str) -> str:
    """A cell of a tab-separated line: no tabs or line breaks."""
    return " ".join(text.split())


def single_variant(export: Export) -> str:
    """The one Chinese variant of a file that can hold only one (Simplified by default)."""
    chinese = export.meta.chinese
    return Language.ZH_HANS if chinese == variants.BOTH else chinese


def omegat_lines(record: ConceptRecord, language: str) -> Iterator[tuple[str, str, str]]:
    """(source, target, comment) of one concept in an OmegaT glossary."""
    english = record.terms_in(Language.EN)
    chinese = record.terms_in(language)
    preferred_en = record.preferred(Language.EN)
    preferred_zh = next((t for t in chinese if t.status == TermStatus.PREFERRED), None)
    if not preferred_en or preferred_zh is None:
        return
    for term in english:
        notes = [f"{language} preferred"]
        if term.status in FORBIDDEN:
            notes.insert(0, f"en {STATUS_WORDS[term.status]}: use instead {preferred_en}")
        elif term.status == TermStatus.ADMITTED:
            notes.insert(0, "en admitted")
        if preferred_zh.machine_converted:
            notes.append(UNREVIEWED)
        notes.append(f"id {record.uid}")
        yield term.text, preferred_zh.text, "; ".join(notes)
    for term in chinese:
        if term is preferred_zh:
            continue
        notes = [f"{language} {STATUS_WORDS[term.status]}"]
        if term.status in FORBIDDEN:
            notes[0] += f": do not use, use instead {preferred_zh.text}"
        if term.machine_converted:
            notes.append(UNREVIEWED)
        notes.append(f"id {record.uid}")
        yield preferred_en, term.text, "; ".join(notes)


def stream_omegat(export: Export) -> Iterator[bytes]:
    language = single_variant(export)
    yield f"# {export.meta.describe()}\n".encode()
    yield f"# English → {language}; comments: status, use instead, concept id\n".encode()
    lines: list[str] = []
    for record in _current(export):
        for source, target, comment in omegat_lines(record, language):
            lines.append(f"{_flat(source)}\t{_flat(target)}\t{_flat(comment)}\n")
        if len(lines) >= 500:
            yield "".join(lines).encode()
            lines.clear()
    if lines:
        yield "".join(lines).encode()


def _tmx_languages(export: Export) -> list[str]:
    return [lang for lang in LANGUAGES[1:] if variants.keeps(export.meta.chinese, lang)]


def _code(export: Export, language: str, default: str) -> str:
    return variants.code(export.meta.codes or default, language)


def stream_tmx(export: Export) -> Iterator[bytes]:
    languages = _tmx_languages(export)
    tool = escape_attribute(GLOSSARY_TITLE)
    yield (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<tmx version="1.4">\n'
        f'  <header creationtool="{tool}" creationtoolversion="1" datatype="plaintext" '
        'segtype="phrase" adminlang="en" srclang="en" o-tmf="glossary">\n'
        f"    {text_element('note', export.meta.describe())}\n"
        "  </header>\n  <body>\n"
    ).encode()
    units: list[str] = []
    for record in _current(export):
        targets = []
        for language in languages:
            term = _preferred(record, language)
            if term is not None:
                targets.append((_code(export, language, "cn-tw"), term))
        if not targets:
            continue
        english = [t for t in record.terms_in(Language.EN) if t.status not in FORBIDDEN]
        for index, term in enumerate(english, 1):
            tuid = escape_attribute(f"{record.uid}.{index}")
            tuvs = "".join(
                f'      <tuv xml:lang="{code}">'
                + (f'<prop type="x-status">{UNREVIEWED}</prop>' if target.machine_converted else "")
                + f"{text_element('seg', target.text)}</tuv>\n"
                for code, target in targets
            )
            units.append(
                f'    <tu tuid="{tuid}">\n'
                f'      <prop type="x-concept">{escape_text(record.uid)}</prop>\n'
                f'      <tuv xml:lang="en">{text_element("seg", term.text)}</tuv>\n'
                f"{tuvs}    </tu>\n"
            )
        if len(units) >= 500:
            yield "".join(units).encode()
            units.clear()
    units.append("  </body>\n</tmx>\n")
    yield "".join(units).encode()


def _preferred(record: ConceptRecord, language: str) -> TermRecord | None:
    for term in record.terms:
        if term.language == language and term.status == TermStatus.PREFERRED:
            return term
    return None


def _ordered(terms: list[TermRecord]) -> list[TermRecord]:
    order: list[str] = list(STATUS_WORDS)
    return sorted(terms, key=lambda t: order.index(t.status))


def terms_header(export: Export) -> list[str]:
    header = ["Entry_ID", "Entry_Subject"]
    for language in LANGUAGES:
        if variants.keeps(export.meta.chinese, language):
            code = _code(export, language, "cn-tw")
            header += [code, f"{code}_Status", f"{code}_Note"]
    return header


def terms_rows(record: ConceptRecord, export: Export) -> Iterator[list[str]]:
    languages = [lang for lang in LANGUAGES if variants.keeps(export.meta.chinese, lang)]
    columns = {lang: _ordered(record.terms_in(lang)) for lang in languages}
    preferred = {lang: record.preferred(lang) for lang in languages}
    for index in range(max((len(terms) for terms in columns.values()), default=0)):
        row = [record.uid, ", ".join(record.domains) if index == 0 else ""]
        for language in languages:
            terms = columns[language]
            if index >= len(terms):
                row += ["", "", ""]
                continue
            term = terms[index]
            forbidden = term.status in FORBIDDEN
            notes = []
            if forbidden and preferred[language]:
                notes.append(f"{STATUS_WORDS[term.status]}: use instead {preferred[language]}")
            if term.machine_converted:
                notes.append(UNREVIEWED)
            status = "forbidden" if forbidden else STATUS_WORDS[term.status]
            row += [term.text, status, "; ".join(notes)]
        yield row


def stream_xlsx_terms(export: Export) -> Iterator[bytes]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Terms")
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, value) for value in terms_header(export)])
    for record in _current(export):
        for row in terms_rows(record, export):
            sheet.append([_cell(sheet, value) for value in row])
    about = book.create_sheet("About")
    about.append([_cell(about, "made from"), _cell(about, export.meta.describe())])
    with tempfile.TemporaryFile() as handle:
        book.save(handle)
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            yield chunk
