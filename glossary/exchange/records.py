"""What every exchange format reads and writes: plain records of concepts, sources and domains.

Records hold keys and uids rather than ORM objects, so writers need no database and readers can
describe a file before anything in it is matched against the glossary. A ``ConceptRecord``
carries everything ``glossary.core.services.DraftData`` holds, plus the concept's uid, its retirement
and its history (kept by an import that creates the concept, see ``HistoryRecord``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.text import slugify

from glossary.core.choices import (
    FIELD_SUFFIX,
    Agreement,
    Language,
    Maturity,
    TermStatus,
)
from glossary.core.fields import TEXT_FIELDS, TermFields
from glossary.language import normalise, normalise_term, pinyin

#: Languages in the order every file lists them.
LANGUAGES: tuple[str, ...] = (Language.EN, Language.ZH_HANS, Language.ZH_HANT)
#: Name of the product in file headers (not translated: it is part of the files).
GLOSSARY_TITLE = "AI Glossary (English, Simplified Chinese, Traditional Chinese)"


def text_key(name: str, language: str) -> str:
    """``definition`` + ``zh-Hans`` -> ``definition_zh_hans`` (the modeltranslation field)."""
    key = _TEXT_KEYS.get((name, language))
    return key if key is not None else f"{name}_{FIELD_SUFFIX[Language(language)]}"


#: ``text_key`` of every translated field, looked up: writers ask for it for every concept.
_TEXT_KEYS = {
    (name, str(language)): f"{name}_{suffix}"
    for name in TEXT_FIELDS
    for language, suffix in FIELD_SUFFIX.items()
}


def clean_text(value: object) -> str:
    """A text field as the services store it: stripped, never None."""
    return str(value or "").strip()


def clean_term(value: object) -> str:
    """A term as the services store it: NFC, inner whitespace collapsed."""
    return normalise_term(str(value or ""))


@dataclass
class TermRecord(TermFields):
    """A term as a file holds it: its own fields, the key of the source it cites, its mark."""

    source: str = ""  # Source.key
    machine_converted: bool = False
    #: For files that show the title next to the key (filled by exports, ignored by imports).
    source_title: str = ""

    def key(self) -> tuple:
        return (
            self.language,
            clean_term(self.text),
            self.status,
            self.term_type,
            self.part_of_speech,
            self.geographic_usage,
            clean_text(self.context),
            clean_text(self.note),
            self.source,
            bool(self.machine_converted),
            bool(self.in_sense_only),
        )


@dataclass
class CitationRecord:
    source: str  # Source.key
    locator: str = ""
    quote: str = ""
    quote_language: str = ""
    source_title: str = ""

    def key(self) -> tuple:
        return (self.source, clean_text(self.locator), clean_text(self.quote), self.quote_language)


@dataclass
class RenderingRecord:
    """An authority's rendering of the concept, with what a file says of the authority."""

    authority: str  # Authority.key
    status: str
    terms: dict[str, str] = field(default_factory=dict)  # BCP 47 tag -> term
    definition: str = ""
    definition_language: str = ""
    locator: str = ""
    date: str = ""
    authority_names: dict[str, str] = field(default_factory=dict)  # BCP 47 tag -> name
    authority_kind: str = ""
    jurisdiction: str = ""
    #: Whether the file describes the authority (our TBX does), so that an import may create it;
    #: a CSV or XLSX names it by key only, and an authority the glossary lacks is an error.
    described: bool = True

    def key(self) -> tuple:
        return (
            self.authority,
            self.status,
            tuple(clean_text(self.terms.get(language, "")) for language in LANGUAGES),
            clean_text(self.definition),
            self.definition_language if self.definition.strip() else "",
            clean_text(self.locator),
            clean_text(self.date),
        )


@dataclass
class RelationRecord:
    kind: str
    target: str  # Concept.uid
    #: Whether the target concept is in the same file (a TBX cross-reference can point at it).
    in_file: bool = True


@dataclass
class HistoryRecord:
    """One TBX transaction: the concept's creation, or the publication of a later version.

    The date is text, an ISO date or date-time exactly as the file wrote it, so that a history
    imported from a file is written back the same (ConceptVersion.imported_history).
    """

    action: str  # "creation" or "modification"
    date: str
    responsibility: str

    def as_dict(self) -> dict[str, str]:
        """The form ConceptVersion.imported_history stores."""
        return {"action": self.action, "date": self.date, "responsibility": self.responsibility}

    @classmethod
    def from_dict(cls, value: dict) -> HistoryRecord:
        return cls(
            action=value["action"], date=value["date"], responsibility=value["responsibility"]
        )


def history_date(value: str) -> str:
    """An ISO date or date-time from a file, stripped; "" if it is neither."""
    value = value.strip()
    try:
        (dt.date if len(value) == 10 else dt.datetime).fromisoformat(value)
    except ValueError:
        return ""
    return value


@dataclass
class ConceptRecord:
    uid: str
    texts: dict[str, str] = field(default_factory=dict)  # {"definition_en": ...}
    #: A file that says nothing of the assessment gives "not yet assessed", never a silent
    #: "agreed" or "established".
    agreement: str = Agreement.NOT_ASSESSED
    maturity: str = Maturity.NOT_ASSESSED
    first_attested: str = ""
    domains: list[str] = field(default_factory=list)  # Domain.key
    terms: list[TermRecord] = field(default_factory=list)
    citations: list[CitationRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    machine_converted_fields: list[str] = field(default_factory=list)
    retirement_reason: str = ""
    history: list[HistoryRecord] = field(default_factory=list)
    renderings: list[RenderingRecord] = field(default_factory=list)

    @property
    def retired(self) -> bool:
        return bool(self.retirement_reason.strip())

    def text(self, name: str, language: str) -> str:
        return self.texts.get(text_key(name, language), "") or ""

    def terms_in(self, language: str) -> list[TermRecord]:
        return [term for term in self.terms if term.language == language]

    def preferred(self, language: str) -> str:
        for term in self.terms:
            if term.language == language and term.status == TermStatus.PREFERRED:
                return term.text
        return ""

    def content_key(self) -> tuple:
        """What the concept says, comparable between the glossary and a file (history aside)."""
        ordered_terms = sorted(
            (term for term in self.terms), key=lambda t: LANGUAGES.index(t.language)
        )
        return (
            tuple(sorted((k, clean_text(v)) for k, v in self.texts.items() if clean_text(v))),
            self.agreement,
            self.maturity,
            clean_text(self.first_attested),
            tuple(sorted(set(self.domains))),
            tuple(term.key() for term in ordered_terms),
            tuple(citation.key() for citation in self.citations),
            tuple(sorted({(r.kind, r.target) for r in self.relations})),
            tuple(sorted(name for name in self.machine_converted_fields if self.texts.get(name))),
            tuple(rendering.key() for rendering in self.renderings),
            clean_text(self.retirement_reason),
        )


@dataclass
class SourceRecord:
    key: str
    title: str
    publisher: str = ""
    jurisdiction: str = ""
    published_on: str = ""  # ISO date or ""
    url: str = ""
    language: str = ""
    #: The key was made from the title (``source_key``), not named by the file: a source the
    #: glossary has under that key with another title is another source.
    keyed_by_title: bool = False


def source_key(title: str) -> str:
    """The key of a source a file names only by its title, for a title in any script.

    A Latin title gives its slug (``Paper`` → ``paper``). A title with other letters is
    spelt in Latin (Han in pinyin) and, since that spelling loses what sets homophones and
    unromanised scripts apart, followed by a digest of the title itself:
    ``生成式人工智能服务管理暂行办法`` → ``sheng-cheng-shi-…-ban-fa-1a2b3c``. No title gets the
    key of another by losing its letters.
    """
    title = normalise_term(title)
    plain = normalise(title)  # curly quotes and dashes as ASCII
    slug = slugify(plain)
    if plain.isascii() and slug:
        return slug[:100]
    spelt = slugify(pinyin(title) or "")[:92].strip("-") or "source"
    return f"{spelt}-{title_digest(title)}"


def title_digest(title: str) -> str:
    """Seven hex digits that tell a title from another whatever its script."""
    return hashlib.blake2b(normalise_term(title).encode(), digest_size=4).hexdigest()[:7]


@dataclass
class DomainRecord:
    key: str
    names: dict[str, str] = field(default_factory=dict)  # {"en": ..., "zh-Hans": ...}


@dataclass(frozen=True)
class ExportMeta:
    """What a file was made from: a release or the published glossary, on a date."""

    date: dt.date
    release: str = ""
    domain: str = ""
    #: ``both``, or the one Chinese variant the file holds (``glossary.exchange.variants``).
    chinese: str = "both"
    #: How the file writes language codes (``glossary.exchange.variants.CODES``); "" = its own.
    codes: str = ""
    #: Whether MT glossaries may hold unreviewed machine-converted Traditional terms.
    unreviewed: bool = False

    def describe(self) -> str:
        """One English sentence for file headers (files are data; they are not translated)."""
        what = f"release {self.release}" if self.release else "the published concepts (no release)"
        where = f", subject field {self.domain}" if self.domain else ""
        if self.chinese != "both":
            where += f", Chinese {self.chinese} only"
        return f"{GLOSSARY_TITLE}: made from {what}{where} on {self.date.isoformat()}."

    def filename(self, suffix: str) -> str:
        """A file name that states the release and date too, e.g. ai-glossary-2025.1-2025-03-01.tbx."""
        parts = ["ai-glossary", self.release or "published"]
        if self.domain:
            parts.append(self.domain)
        parts.append(self.date.isoformat())
        variant = f".{self.chinese}" if self.chinese != "both" else ""
        return "-".join(parts) + variant + suffix


@dataclass
class ImportEntry:
    """One concept as a file describes it, with what the reader found wrong or odd about it."""

    where: str  # "line 12", "conceptEntry generative-ai (line 40)"
    record: ConceptRecord | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The file names the concept's id (otherwise it is matched by its English term).
    has_uid: bool = True
    #: A partial row (the simple six-column CSV) adds to a concept instead of replacing it.
    merge: bool = False
    #: Whether the file holds term details (type, part of speech, usage, context, note,
    #: source) and citation quotes; where it does not, an update keeps the glossary's.
    carries_details: bool = True
    #: Whether the file says what authorities' renderings the concept has (our TBX does; a
    #: CSV, a spreadsheet or another tool's TBX entry without one does not): where not, an
    #: update keeps the glossary's.
    carries_renderings: bool = False
    #: Whether the file says which zh-Hant terms and texts are unreviewed machine conversions
    #: (a CSV/XLSX made before its zh_hant_unreviewed column does not); where not, keep ours.
    carries_unreviewed: bool = True
    #: Other lines of the file that repeat this entry and were merged into it.
    duplicates: list[str] = field(default_factory=list)


class Entries:
    """A file's entries, read again from the file each time they are walked: never all held."""

    def __init__(self, walk: Callable[[], Iterator[ImportEntry]]) -> None:
        self._walk = walk

    def __iter__(self) -> Iterator[ImportEntry]:
        return self._walk()


@dataclass
class ImportFile:
    """Everything a reader found in a file, before it is matched against the glossary.

    ``entries`` may be walked more than once: a list, or (a file read by a reader's
    ``stream_read``) an iterable that reads them from the file again on each walk, an entry at a
    time. Sources and subject fields the entries name are added as they are read.
    """

    format: str
    entries: Iterable[ImportEntry] = field(default_factory=list)
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    domains: dict[str, DomainRecord] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
