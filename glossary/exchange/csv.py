"""CSV: one row per concept, for tools (plain UTF-8) and for spreadsheets (BOM, injection-safe).

Columns (``COLUMNS``): the concept id, its status (published / retired), subject fields, the
terms of each language by status, every translated text, what in Traditional Chinese is an
unreviewed machine conversion, agreement state, maturity, first attestation, citations,
relations, the retirement reason, and the release and date the file was made from. Lists inside
a cell are separated by `` | `` (a ``|`` or ``\\`` inside a value is escaped with ``\\``).
Citations are ``source-key: locator``; relations ``kind: concept-id``; authorities' renderings
(``renderings``) ``authority-key: en=term; zh-Hans=term (status, date)`` (see
``rendering_value``); the unreviewed
conversions (``zh_hant_unreviewed``) ``term: 生成式人工智慧`` for a zh-Hant term and
``field: definition_zh_hant`` for a zh-Hant text column. A file without that column (made before
it existed) leaves the glossary's marks as they are on import.

Term details (type, part of speech, usage, context, note, source) and citation quotes are not in
the CSV; an import of a CSV into a glossary that has them keeps them for the terms and citations
that are still there. TBX is the lossless format.

The reader also takes the simple layout ``en,zh_hans,zh_hant,definition_en,definition_zh,source``
(term lists such as the ones in ../shared/data), whose rows add to a concept instead of
replacing it.

A cut-off file must never pass for a shorter one: every row has as many cells as the first row
(else the row is an error), and a file that ends inside a quoted cell or with a short last row is
refused whole as truncated (see ``read_rows``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from glossary.core.choices import (
    Agreement,
    Language,
    Maturity,
    RelationKind,
    RenderingStatus,
    TermStatus,
    TermType,
)
from glossary.core.models import uid_validator
from glossary.exchange.published import Export
from glossary.exchange.records import (
    LANGUAGES,
    TEXT_FIELDS,
    CitationRecord,
    ConceptRecord,
    Entries,
    ExportMeta,
    ImportEntry,
    ImportFile,
    RelationRecord,
    RenderingRecord,
    SourceRecord,
    TermRecord,
    clean_term,
    clean_text,
    source_key,
    text_key,
)
from glossary.exchange.safety import (
    FileData,
    ImportRefused,
    check_size,
    check_text,
    open_data,
    size_of,
    tail_of,
)
from glossary.language import has_han, to_simplified

SUFFIX: dict[str, str] = {
    Language.EN: "en",
    Language.ZH_HANS: "zh_hans",
    Language.ZH_HANT: "zh_hant",
}
STATUSES: tuple[str, ...] = (
    TermStatus.PREFERRED,
    TermStatus.ADMITTED,
    TermStatus.DEPRECATED,
    TermStatus.SUPERSEDED,
)
TERM_COLUMNS = [f"{SUFFIX[lang]}_{status}" for lang in LANGUAGES for status in STATUSES]
TEXT_COLUMNS = [f"{name}_{SUFFIX[lang]}" for name in TEXT_FIELDS for lang in LANGUAGES]
#: The zh-Hant text columns, in the order the unreviewed cell lists them.
TRADITIONAL_TEXT_COLUMNS = [f"{name}_{SUFFIX[Language.ZH_HANT]}" for name in TEXT_FIELDS]
#: Which zh-Hant terms and texts are unreviewed machine conversions (OpenCC).
UNREVIEWED = "zh_hant_unreviewed"
UNREVIEWED_TERM = "term"
UNREVIEWED_FIELD = "field"
#: The authorities' renderings: ``authority-key: en=term; zh-Hans=term (status, date)``.
RENDERINGS = "renderings"
COLUMNS = [
    "id",
    "status",
    "domains",
    *TERM_COLUMNS,
    *TEXT_COLUMNS,
    UNREVIEWED,
    "agreement",
    "maturity",
    "first_attested",
    "sources",
    "related",
    RENDERINGS,
    "retirement_reason",
    "glossary_release",
    "glossary_date",
]
#: Our columns an import needs (the release and date are information only; files made before
#: the unreviewed or the renderings column existed are still read).
REQUIRED = [column for column in COLUMNS[:-2] if column not in (UNREVIEWED, RENDERINGS)]
SIMPLE_COLUMNS = ["en", "zh_hans", "zh_hant", "definition_en", "definition_zh", "source"]
SIMPLE_REQUIRED = ["en", "zh_hans"]
SEPARATOR = " | "
#: Cells a spreadsheet would run as a formula (OWASP CSV injection): =, +, -, @, tab, CR.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def join(values: Iterable[str]) -> str:
    return SEPARATOR.join(v.replace("\\", "\\\\").replace("|", "\\|") for v in values)


def split(cell: str) -> list[str]:
    """The values of a list cell (inverse of ``join``)."""
    return _split_at(cell, "|")


def _split_at(text: str, separator: str) -> list[str]:
    """The non-empty parts of ``text``, split at each ``separator`` not escaped by a backslash."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading ' before anything that starts a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def unreviewed_cell(record: ConceptRecord) -> str:
    """The ``zh_hant_unreviewed`` cell: ``term: TEXT`` and ``field: COLUMN`` entries."""
    flagged = set(record.machine_converted_fields)
    return join(
        [
            *(
                f"{UNREVIEWED_TERM}: {term.text}"
                for term in record.terms_in(Language.ZH_HANT)
                if term.machine_converted
            ),
            *(
                f"{UNREVIEWED_FIELD}: {column}"
                for column in TRADITIONAL_TEXT_COLUMNS
                if column in flagged and record.texts.get(column)
            ),
        ]
    )


def rendering_value(rendering: RenderingRecord) -> str:
    """An authority's rendering as a value of the renderings cell:
    ``cn-foreign-terms-2024: en=large language model; zh-Hans=大型语言模型 (recommended, 2024-12)``.

    A ``;`` or ``\\`` inside a term is escaped with ``\\``. The quoted definition and its locator
    are not in the CSV (TBX carries them); an import keeps the glossary's.
    """
    terms = "; ".join(
        f"{str(language)}={_escape_terms(rendering.terms[language])}"
        for language in LANGUAGES
        if rendering.terms.get(language)
    )
    said = f"{rendering.status}, {rendering.date}" if rendering.date else rendering.status
    return f"{rendering.authority}: {terms} ({said})"


def _escape_terms(term: str) -> str:
    return term.replace("\\", "\\\\").replace(";", "\\;")


#: A value of the renderings cell: the authority's key, its terms, then (status[, date]).
_RENDERING = re.compile(
    r"^(?P<authority>[^:\s]+)\s*:\s*(?P<terms>.*?)\s*\((?P<status>[^,()]*)(?:,\s*(?P<date>[^()]*))?\)$",
    re.S,
)
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_LANGUAGE_TAGS = {str(language): language for language in LANGUAGES}


def _split_terms(text: str) -> list[str]:
    """The ``language=term`` parts of a rendering, split at each unescaped ``;``."""
    return _split_at(text, ";")


def read_renderings(cell: str, record: ConceptRecord) -> list[str]:
    """Put the renderings a cell names into ``record``; the errors, if any, naming each value."""
    errors = []
    for value in split(cell):
        found = _RENDERING.match(value.strip())
        if found is None:
            errors.append(
                _(
                    "The rendering “%(value)s” is not written as authority-key: en=term; "
                    "zh-Hans=term; zh-Hant=term (status, date)."
                )
                % {"value": value}
            )
            continue
        status, date = found["status"].strip(), (found["date"] or "").strip()
        problems = []
        if status not in RenderingStatus.values:
            problems.append(
                _("Unknown rendering status %(status)s in “%(value)s” (use %(choices)s).")
                % {
                    "status": status or "—",
                    "value": value,
                    "choices": ", ".join(RenderingStatus.values),
                }
            )
        if date and not _PARTIAL_DATE.match(date):
            problems.append(
                _(
                    "The date %(date)s of the rendering “%(value)s” is not 2024, 2024-12 or 2024-12-27."
                )
                % {"date": date, "value": value}
            )
        terms: dict[str, str] = {}
        for part in _split_terms(found["terms"]):
            tag, _sep, term = part.partition("=")
            language = _LANGUAGE_TAGS.get(tag.strip())
            if language is None or not clean_term(term):
                problems.append(
                    _(
                        "“%(part)s” in the rendering “%(value)s” is not a language (en, zh-Hans or "
                        "zh-Hant), = and a term."
                    )
                    % {"part": part, "value": value}
                )
                continue
            terms[language] = clean_term(term)
        if not terms and not problems:
            problems.append(_("The rendering “%(value)s” gives no term.") % {"value": value})
        if problems:
            errors.extend(problems)
            continue
        record.renderings.append(
            RenderingRecord(
                authority=found["authority"],
                status=status,
                terms=terms,
                date=date,
                described=False,
            )
        )
    return errors


#: The column of each language and status of a term, and the text each text column holds.
_TERM_COLUMN = {
    (language, status): f"{SUFFIX[language]}_{status}"
    for language in LANGUAGES
    for status in STATUSES
}
_TEXT_KEY = {
    f"{name}_{SUFFIX[language]}": text_key(name, language)
    for name in TEXT_FIELDS
    for language in LANGUAGES
}


def row_of(record: ConceptRecord, meta: ExportMeta) -> list[str]:
    """One concept as the row of ``COLUMNS``."""
    terms: dict[str, list[str]] = {}
    for term in record.terms:
        column = _TERM_COLUMN.get((term.language, term.status))
        if column is not None:
            terms.setdefault(column, []).append(term.text)
    texts = record.texts
    values: dict[str, str] = {
        "id": record.uid,
        "status": "retired" if record.retired else "published",
        "domains": join(record.domains),
        **{column: join(found) for column, found in terms.items()},
        **{column: texts.get(key) or "" for column, key in _TEXT_KEY.items()},
        UNREVIEWED: unreviewed_cell(record),
        "agreement": record.agreement,
        "maturity": record.maturity,
        "first_attested": record.first_attested,
        "sources": join(
            f"{c.source}: {c.locator}" if c.locator else c.source for c in record.citations
        ),
        "related": join(f"{r.kind}: {r.target}" for r in record.relations),
        RENDERINGS: join(rendering_value(r) for r in record.renderings),
        "retirement_reason": record.retirement_reason,
        "glossary_release": meta.release,
        "glossary_date": meta.date.isoformat(),
    }
    return [values.get(column, "") for column in COLUMNS]


#: Characters handed on at a time: large enough to make few writes, small enough to stream.
CHUNK = 64 * 1024


def iter_rows(rows: Iterable[list[str]], *, spreadsheet: bool = False) -> Iterator[bytes]:
    """CSV bytes, some rows at a time (RFC 4180 quoting, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if spreadsheet:
        yield "\ufeff".encode()
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row] if spreadsheet else row)
        if buffer.tell() >= CHUNK:
            yield _take(buffer)
    if buffer.tell():
        yield _take(buffer)


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def stream(export: Export, *, spreadsheet: bool = False) -> Iterator[bytes]:
    """The glossary as CSV: a header row, then one row per concept."""
    rows = (row_of(record, export.meta) for record in export.records())
    return iter_rows(_prepend(COLUMNS, rows), spreadsheet=spreadsheet)


def _prepend(first: list[str], rest: Iterable[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest


# Reading -------------------------------------------------------------------------------------


def unneutralise(value: str) -> str:
    """Undo ``neutralise``: a spreadsheet export's leading ' before a formula character."""
    return (
        value[1:] if value.startswith("'") and value[1:2] in _FORMULA_START and value[1:] else value
    )


def read(data: bytes, fmt: str = "csv") -> ImportFile:
    """Read our CSV or the simple six-column layout; refuse a file that looks truncated."""
    return materialise(stream_read(data, fmt))


def materialise(result: ImportFile) -> ImportFile:
    """A read file with its entries in a list (read once, now): for files that are small."""
    result.entries = list(result.entries)
    return result


def stream_read(data: FileData, fmt: str = "csv") -> ImportFile:
    """The file checked whole (size, UTF-8, control characters), its entries read as walked.

    Each walk over ``entries`` reads the rows again from ``data`` (its bytes, or the file on
    disk), a row at a time; a file that turns out truncated is refused (``ImportRefused``)
    when a walk reaches its end.
    """
    check_size(size_of(data))
    check_text(data)
    ended = tail_of(data, 1).endswith((b"\n", b"\r"))
    result = ImportFile(format=fmt)
    result.entries = Entries(lambda: table_entries(_csv_rows(data), result, last_row_ended=ended))
    return result


def _csv_rows(data: FileData) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, cells) of each row, refusing a file cut inside a quoted cell."""
    with io.TextIOWrapper(open_data(data), encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text, strict=True)
        start = 1  # the physical line a record starts on (a quoted cell may span lines)
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            # The csv module says so only when the input ends inside a quoted cell.
            if "end of data" in str(exc):
                raise ImportRefused(
                    "truncated",
                    _(
                        "The file ends inside a quoted cell of the row that starts on line "
                        "%(line)d: it looks truncated (or a quote on that line is never "
                        "closed). Export or download it again."
                    )
                    % {"line": start},
                ) from exc
            raise ImportRefused(
                "bad_csv",
                _("The CSV cannot be read at line %(line)d: %(error)s")
                % {"line": reader.line_num, "error": exc},
            ) from exc


def _has_content(cells: list[str]) -> bool:
    return any(cell.strip() for cell in cells)


def read_rows(
    rows: Iterable[tuple[int, list[str]]],
    fmt: str,
    *,
    what: str = "",
    sparse: bool = False,
    last_row_ended: bool = True,
) -> ImportFile:
    """Entries from a table whose first row names the columns, read now (see ``table_entries``)."""
    result = ImportFile(format=fmt)
    result.entries = list(
        table_entries(rows, result, what=what, sparse=sparse, last_row_ended=last_row_ended)
    )
    return result


def table_entries(
    rows: Iterable[tuple[int, list[str]]],
    result: ImportFile,
    *,
    what: str = "",
    sparse: bool = False,
    last_row_ended: bool = True,
) -> Iterator[ImportEntry]:
    """Entries from a table whose first row names the columns (CSV or a worksheet), a row at
    a time; the sources the simple layout names go into ``result``.

    ``rows`` are (line number, cells). In a CSV every row has as many cells as the first row:
    a row with more or fewer is an error naming both counts, and the whole file is refused as
    truncated when its last row is short in our layout, or short and not followed by a line
    break in the simple layout (``last_row_ended``: whether a line break or a blank row follows
    the last row of ``rows``). The simple layout may leave out trailing cells of optional
    columns (everything but ``SIMPLE_REQUIRED``), since its rows only add to a concept.
    A worksheet (``sparse``) stores no empty cells, so its short rows are padded; a value beyond
    the named columns is an error there too.
    """
    walk = iter(rows)
    first = next(((line, cells) for line, cells in walk if _has_content(cells)), None)
    if first is None:
        raise ImportRefused("empty", _("The file is empty."))
    header = [cell.strip().lstrip("\ufeff") for cell in first[1]]
    if sparse:
        while header and not header[-1]:
            header.pop()
    ours = "id" in header or any(column in header for column in TERM_COLUMNS)
    required = REQUIRED if ours else SIMPLE_REQUIRED
    missing = [column for column in required if column not in header]
    if missing:
        if not ours and not any(column in header for column in SIMPLE_COLUMNS):
            raise ImportRefused(
                "missing_columns",
                _(
                    "This is not a glossary table: the first row must name our columns "
                    "(%(ours)s, …) or the simple ones (%(simple)s)."
                )
                % {"ours": ", ".join(COLUMNS[:5]), "simple": ", ".join(SIMPLE_COLUMNS)},
            )
        raise ImportRefused(
            "missing_columns",
            _("Columns missing from the first row: %(columns)s.") % {"columns": ", ".join(missing)},
        )
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    if duplicated:
        raise ImportRefused(
            "duplicate_columns",
            _("Columns named twice in the first row: %(columns)s.")
            % {"columns": ", ".join(duplicated)},
        )
    width = len(header)
    index = {column: position for position, column in enumerate(header)}
    last: tuple[int, list[str]] | None = None
    # Whether anything (a blank row) follows the last row with content.
    blank_after = False
    for line, row in walk:
        if not _has_content(row):
            blank_after = True
            continue
        blank_after = False
        last = (line, row)
        where = what + (_("line %(number)d") % {"number": line})
        if sparse:
            while row and not row[-1].strip():
                row = row[:-1]
        short = header[len(row) :]
        if len(row) > width or (
            short and not sparse and (ours or any(c in SIMPLE_REQUIRED for c in short))
        ):
            yield _misshapen(row, width, line, where, ours, index)
            continue
        cells = {
            column: unneutralise(row[position].strip()) if position < len(row) else ""
            for column, position in index.items()
        }
        if ours:
            yield _read_ours(cells, where)
        else:
            yield _read_simple(cells, where, result)
    if not sparse and last is not None:
        line, last_cells = last
        ended = blank_after or last_row_ended
        if len(last_cells) < width and (ours or not ended):
            raise ImportRefused(
                "truncated",
                ngettext(
                    "The last row (line %(line)d) has %(cells)d cell, but the first row has "
                    "%(columns)d: the file looks truncated. Export or download it again.",
                    "The last row (line %(line)d) has %(cells)d cells, but the first row has "
                    "%(columns)d: the file looks truncated. Export or download it again.",
                    len(last_cells),
                )
                % {"line": line, "cells": len(last_cells), "columns": width},
            )


def _misshapen(
    row: list[str], width: int, line: int, where: str, ours: bool, index: dict[str, int]
) -> ImportEntry:
    """A row whose cells do not line up with the columns: nothing of it is read."""
    uid = row[index["id"]].strip() if ours and index["id"] < len(row) else ""
    return ImportEntry(
        where=f"{where} ({uid})" if uid else where,
        record=None,
        has_uid=ours,
        errors=[
            ngettext(
                "Line %(line)d has %(cells)d cell, but the first row has %(columns)d, so its "
                "cells cannot be matched to the columns; nothing of it is read.",
                "Line %(line)d has %(cells)d cells, but the first row has %(columns)d, so its "
                "cells cannot be matched to the columns; nothing of it is read.",
                len(row),
            )
            % {"line": line, "cells": len(row), "columns": width}
        ],
    )


def _read_ours(cells: dict[str, str], where: str) -> ImportEntry:
    uid = cells["id"]
    entry = ImportEntry(
        where=f"{where} ({uid})" if uid else where,
        record=None,
        carries_details=False,
        carries_unreviewed=UNREVIEWED in cells,
        carries_renderings=RENDERINGS in cells,
    )
    try:
        uid_validator(uid)
    except Exception:
        entry.errors.append(
            _("The id %(uid)s is not valid: use lower-case letters, digits and hyphens.")
            % {"uid": uid or "—"}
        )
    record = ConceptRecord(uid=uid)
    for language in LANGUAGES:
        for status in STATUSES:
            for text in split(cells[f"{SUFFIX[language]}_{status}"]):
                record.terms.append(
                    TermRecord(language=language, text=clean_term(text), status=status)
                )
        for name in TEXT_FIELDS:
            value = cells[f"{name}_{SUFFIX[language]}"]
            if value:
                record.texts[text_key(name, language)] = value
    if UNREVIEWED in cells:
        entry.errors.extend(_read_unreviewed(cells[UNREVIEWED], record))
    record.domains = split(cells["domains"])
    record.agreement = cells["agreement"] or Agreement.NOT_ASSESSED
    if record.agreement not in Agreement.values:
        entry.errors.append(
            _("Unknown agreement state %(value)s (use %(choices)s).")
            % {"value": record.agreement, "choices": ", ".join(Agreement.values)}
        )
    record.maturity = cells["maturity"] or Maturity.NOT_ASSESSED
    if record.maturity not in Maturity.values:
        entry.errors.append(
            _("Unknown maturity %(value)s (use %(choices)s).")
            % {"value": record.maturity, "choices": ", ".join(Maturity.values)}
        )
    record.first_attested = cells["first_attested"]
    for value in split(cells["sources"]):
        key, _sep, locator = value.partition(":")
        record.citations.append(CitationRecord(source=key.strip(), locator=locator.strip()))
    for value in split(cells["related"]):
        kind, _sep, target = value.partition(":")
        kind, target = kind.strip(), target.strip()
        if kind not in RelationKind.values or not target:
            entry.errors.append(
                _("Relation %(value)s is not kind: concept-id (kinds: %(kinds)s).")
                % {"value": value, "kinds": ", ".join(RelationKind.values)}
            )
            continue
        record.relations.append(RelationRecord(kind=kind, target=target))
    if RENDERINGS in cells:
        entry.errors.extend(read_renderings(cells[RENDERINGS], record))
    status = cells["status"] or "published"
    if status == "retired":
        record.retirement_reason = cells["retirement_reason"] or "Retired."
    elif status != "published":
        entry.errors.append(
            _("Unknown status %(value)s (use published or retired).") % {"value": status}
        )
    if not record.terms:
        entry.errors.append(_("The row has no term."))
    entry.record = record
    return entry


def _read_unreviewed(cell: str, record: ConceptRecord) -> list[str]:
    """Mark the terms and texts the cell names as unreviewed; the errors, if any."""
    errors = []
    terms = {term.text: term for term in record.terms_in(Language.ZH_HANT)}
    for value in split(cell):
        kind, _sep, name = value.partition(":")
        kind, name = kind.strip(), name.strip()
        if kind == UNREVIEWED_TERM and clean_term(name) in terms:
            terms[clean_term(name)].machine_converted = True
        elif kind == UNREVIEWED_TERM:
            errors.append(
                _("%(column)s names %(term)s, which is not a Traditional Chinese term of the row.")
                % {"column": UNREVIEWED, "term": name or "—"}
            )
        elif kind == UNREVIEWED_FIELD and name in TRADITIONAL_TEXT_COLUMNS:
            if not record.texts.get(name):
                errors.append(
                    _("%(column)s names %(field)s, which is empty in the row.")
                    % {"column": UNREVIEWED, "field": name}
                )
            elif name not in record.machine_converted_fields:
                record.machine_converted_fields.append(name)
        else:
            errors.append(
                _(
                    "%(column)s holds %(value)s; write term: followed by a Traditional Chinese "
                    "term, or field: followed by one of %(fields)s."
                )
                % {
                    "column": UNREVIEWED,
                    "value": value,
                    "fields": ", ".join(TRADITIONAL_TEXT_COLUMNS),
                }
            )
    return errors


#: A citation's locator at its end: ``row 3``, ``p. 12``, ``item 96``, ``Art. 4``, ``§ 2``.
_LOCATOR = re.compile(
    r"^(?P<title>.+?)[\s,]+(?P<locator>(?:row|line|item|entry|no\.|p\.|pp\.|page|art\.|article|"
    r"sec\.|section|§|#)\s*\S+)$",
    re.I,
)
#: A row id of the list itself (``AITD-00003``): where in the list, not a document of its own.
_ROW_ID = re.compile(
    r"^(?:(?P<title>.+?)[\s,]+)?(?P<locator>(?P<prefix>[A-Z][A-Z0-9]*)[-_]\d{3,})$"
)
_URL = re.compile(r"https?://[^\s;,，；]+", re.I)
#: A part of a source cell that gives the term of a language or region (``zh-HK: 線程``): a
#: note on the terms, not a document.
_LANGUAGE_LABEL = re.compile(r"^(?:en|zh|zh[-_][a-z]{2,4})\s*[:=：]\s*(?P<value>.+)$", re.I | re.S)
#: A file path in a repository, perhaps at a commit (``zh-tw/cs-229-deep-learning.md@4e08817``):
#: where a list's collector took one language's text from, not a document it cites.
_FILE_PATH = re.compile(r"^(?!\w+://)[\w.-]+(?:/[\w.-]+)+(?:@[0-9a-f]{7,40})?$", re.I)
_BRACKETED = re.compile(r"^[(\[（【［].*[)\]）】］]$", re.S)
_OPENING, _CLOSING = "([（【［", ")]）】］"
_SLASH = re.compile(r"\s*[/／]\s*")
#: A term followed by an explanation in parentheses: ``查全率（召回率）``, ``ReLU (activation)``.
_EXPLAINED = re.compile(r"^(?P<term>[^()（）]+?)\s*[(（](?P<inside>[^()（）]+)[)）]$")
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z0-9.+#-]{2,12}$")


def _split_outside_brackets(cell: str, separators: str) -> list[str]:
    """The parts of a cell between separators that are not inside brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in cell:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING and depth:
            depth -= 1
        if char in separators and not depth:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _alternatives(value: str, *, slash: bool = True) -> list[str]:
    """The terms of a cell: alternatives joined by 、 ； ; or, between Chinese terms, by /.

    A / between Latin words is part of the term (``Performance/Watt``, ``A/B测试``). With
    ``slash`` false a / is never a separator: the row's English term joins its parts with
    one (``Bias/variance tradeoff``, 偏差/方差权衡), so the Chinese slash does the same.
    """
    parts: list[str] = []
    for part in _split_outside_brackets(value, "、；;"):
        pieces = _SLASH.split(part) if slash else [part]
        if len(pieces) > 1 and all(has_han(p) and not _unbalanced(p) for p in pieces):
            parts.extend(pieces)
        else:
            parts.append(part)
    return [clean_term(p) for p in parts if clean_term(p)]


#: A slash with a space on each side, or a full-width one: between English alternatives.
_SPACED_SLASH = re.compile(r"\s+/\s+|\s*／\s*")


def _english_alternatives(value: str) -> list[str]:
    """The English terms of a cell: alternatives joined by a slash set apart by spaces
    (``recall / sensitivity``), or by a full-width slash.

    A slash without spaces joins the parts of one term (``input/output``, ``TCP/IP``,
    ``A/B testing``, ``I/O``, ``Performance/Watt``, ``Bias/variance tradeoff``), so it is kept.
    A spaced slash between one-letter parts (``A / B``) is kept too.
    """
    pieces = [p for p in _SPACED_SLASH.split(value) if p.strip()]
    if len(pieces) < 2 or any(sum(c.isalnum() for c in p) < 2 or _unbalanced(p) for p in pieces):
        pieces = [value]
    return [clean_term(p) for p in pieces if clean_term(p)]


def _unbalanced(text: str) -> bool:
    return sum(text.count(c) for c in _OPENING) != sum(text.count(c) for c in _CLOSING)


def _read_term(
    text: str, language: str, status: str, record: ConceptRecord, entry: ImportEntry
) -> None:
    """Add a term of a simple row; an explanation in parentheses at its end is split off.

    Split off, it becomes the term's note, or, in English, an admitted abbreviation when it
    is one (``Rectified Linear Unit (ReLU)``). Parentheses anywhere else make the row an error:
    the term cannot be told from its explanation.
    """
    if not any(c in text for c in "()（）"):
        record.terms.append(TermRecord(language=language, text=text, status=status))
        return
    explained = _EXPLAINED.match(text)
    if explained is None:
        entry.errors.append(
            _(
                "The term “%(term)s” holds parentheses that are not an explanation at its end, "
                "so the term cannot be told from the explanation; write the explanation in a "
                "definition column."
            )
            % {"term": text}
        )
        return
    term, inside = clean_term(explained.group("term")), clean_text(explained.group("inside"))
    term_record = TermRecord(language=language, text=term, status=status)
    record.terms.append(term_record)
    if language == Language.EN and _ACRONYM.match(inside):
        if inside not in {t.text for t in record.terms_in(Language.EN)}:
            record.terms.append(
                TermRecord(
                    language=Language.EN,
                    text=inside,
                    status=TermStatus.ADMITTED,
                    term_type=TermType.ABBREVIATION,
                )
            )
        entry.warnings.append(
            _("“%(cell)s” was split: %(term)s is the term and %(inside)s its abbreviation.")
            % {"cell": text, "term": term, "inside": inside}
        )
        return
    term_record.note = inside
    entry.warnings.append(
        _(
            "“%(cell)s” was split: %(term)s is the term and “%(inside)s”, in parentheses, is "
            "kept as its note."
        )
        % {"cell": text, "term": term, "inside": inside}
    )


#: A term followed by its definition after a horizontal bar: ``Anchor boxes ― Anchor boxing is…``
#: (the CS229/CS230 cheat sheets' layout).
_HEADWORD = re.compile(r"^(?P<term>[^―]{1,150}?)\s*―\s*(?P<definition>\S.*)$", re.S)
#: The same in Chinese, whose translations write the bar as ―, --, —, -, or a colon.
_HEADWORD_ZH = re.compile(
    r"^(?P<term>[^―—–：:\-]{1,40}?)\s*(?:―|--|—|–|-|：|:)\s*(?P<definition>\S.*)$", re.S
)


def _headwords(cells: dict[str, str], entry: ImportEntry) -> dict[str, str]:
    """The cells of a row whose English reads ``term ― definition``, split into both.

    The definition goes to the definition columns, which must be empty; a Chinese cell that
    cannot be split the same way is taken as its definition, without a term.
    """
    found = _HEADWORD.match(cells.get("en", ""))
    if found is None or cells.get("definition_en") or cells.get("definition_zh"):
        return cells
    cells = {**cells, "en": found["term"], "definition_en": found["definition"]}
    for column in ("zh_hans", "zh_hant"):
        value = cells.get(column, "")
        split_zh = _HEADWORD_ZH.match(value)
        if split_zh is not None and has_han(split_zh["term"]):
            cells[column], cells[f"definition_{column}"] = split_zh["term"], split_zh["definition"]
        else:
            cells[column], cells[f"definition_{column}"] = "", value
    entry.warnings.append(
        _("The English cell was read as the term %(term)s followed by its definition.")
        % {"term": found["term"]}
    )
    return cells


def _read_simple(cells: dict[str, str], where: str, result: ImportFile) -> ImportEntry:
    entry = ImportEntry(where=where, record=None, has_uid=False, merge=True)
    record = ConceptRecord(uid="")
    cells = _headwords(cells, entry)
    english = _english_alternatives(cells.get("en", ""))
    if not english:
        entry.errors.append(_("The English term is empty."))
    elif len(english) > 1:
        entry.warnings.append(
            _("%(cell)s lists alternatives: %(first)s is taken as preferred, the rest as admitted.")
            % {"cell": cells["en"], "first": english[0]}
        )
    for position, text in enumerate(english):
        status = TermStatus.PREFERRED if position == 0 else TermStatus.ADMITTED
        _read_term(text, Language.EN, status, record, entry)
    for column, language in (("zh_hans", Language.ZH_HANS), ("zh_hant", Language.ZH_HANT)):
        value = cells.get(column, "")
        parts = _alternatives(value, slash=not any("/" in text for text in english))
        if len(parts) > 1:
            entry.warnings.append(
                _(
                    "%(cell)s lists alternatives: %(first)s is taken as preferred, the rest as admitted."
                )
                % {"cell": value, "first": parts[0]}
            )
        for position, text in enumerate(parts):
            status = TermStatus.PREFERRED if position == 0 else TermStatus.ADMITTED
            _read_term(text, language, status, record, entry)
        if cells.get(f"definition_{column}"):
            record.texts[text_key("definition", language)] = cells[f"definition_{column}"]
    if not record.terms_in(Language.ZH_HANS) and not record.terms_in(Language.ZH_HANT):
        entry.warnings.append(_("It has no Chinese term."))
    if cells.get("definition_en"):
        record.texts[text_key("definition", Language.EN)] = cells["definition_en"]
    chinese = cells.get("definition_zh", "")
    if chinese:
        # The simple layout does not say which script its Chinese definition is in.
        language = Language.ZH_HANS if to_simplified(chinese) == chinese else Language.ZH_HANT
        record.texts[text_key("definition", language)] = chinese
    _read_source_cell(cells.get("source", ""), record, entry, result)
    entry.record = record
    return entry


def _read_source_cell(
    cell: str, record: ConceptRecord, entry: ImportEntry, result: ImportFile
) -> None:
    """The citations of a simple row's source cell, and the abbreviations it names.

    Parts are separated by ``;`` outside brackets. A part in brackets, or one that labels a
    language or region (``zh-HK: 線程``, ``zh_hant = zh-TW``) or names the file a language's
    text was taken from (``zh-tw: zh-tw/cs-229-deep-learning.md@4e08817``), is a note, not a
    document: it is left out, with a warning. A locator or a row id of the list at the end of a part
    (``row 3``, ``AITD-00003``) is where in the source, so a list with row ids is one source.
    A URL in a part is the source's address, by which it is matched.
    """
    for part in _split_outside_brackets(cell, ";；"):
        label, _sep, value = part.partition(":")
        if _sep and label.strip().lower() in ("abbreviation", "acronym") and value.strip():
            kind = TermType.ACRONYM if label.strip().lower() == "acronym" else TermType.ABBREVIATION
            text = clean_term(value)
            if text and text not in {t.text for t in record.terms_in(Language.EN)}:
                record.terms.append(
                    TermRecord(
                        language=Language.EN, text=text, status=TermStatus.ADMITTED, term_type=kind
                    )
                )
            continue
        labelled = _LANGUAGE_LABEL.match(part)
        provenance = labelled is not None and (
            has_han(labelled["value"]) or _FILE_PATH.match(labelled["value"].strip()) is not None
        )
        if _BRACKETED.match(part) or "=" in part or provenance:
            entry.warnings.append(
                _("“%(part)s” in the source cell is not a citation; it was not read as a source.")
                % {"part": part}
            )
            continue
        url_match = _URL.search(part)
        url = url_match.group().rstrip(".)）") if url_match else ""
        rest = _URL.sub("", part).strip(" ,，:-") if url else part
        title, locator = rest, ""
        found = _LOCATOR.match(rest) or _ROW_ID.match(rest)
        if found is not None:
            title = (found.group("title") or "").strip(" ,")
            locator = found.group("locator")
            if not title and "prefix" in found.groupdict():
                title = found.group("prefix")
        title = title or url
        key = source_key(title)
        result.sources.setdefault(
            key, SourceRecord(key=key, title=title[:500], url=url[:500], keyed_by_title=True)
        )
        record.citations.append(CitationRecord(source=key, locator=locator))
