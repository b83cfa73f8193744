"""The files the glossary can be downloaded as, and which tool each is for.

The formats are those of the exports (``glossary.exchange.formats.EXPORTS``), in their order, so
that a format added there is offered here too; each gets a short name and one line on the tool
it is for (a format without one here is described by the export's own description).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from glossary.core.choices import Language
from glossary.exchange import formats

#: Short name of each format, and the tool it is for, by the export's name.
TOOLS: dict[str, tuple[object, object]] = {
    "tbx": (
        _("TBX-Basic"),
        _(
            "For CAT tools and term bases that read TBX (ISO 30042:2019): memoQ, Trados "
            "MultiTerm, Phrase, Smartcat. Holds everything, history included."
        ),
    ),
    "tbx2008": (
        _("TBX 2008 (martif)"),
        _("For older CAT tools and for translate-toolkit (tbx2po and the like)."),
    ),
    "csv": (
        _("CSV for tools"),
        _("For scripts, databases and tools that read plain UTF-8 CSV, one row per concept."),
    ),
    "csv-excel": (
        _("CSV for spreadsheets"),
        _(
            "For Excel, LibreOffice and Numbers: UTF-8 with a byte-order mark, so Chinese opens "
            "correctly by double-click; cells are safe from formulas."
        ),
    ),
    "xlsx": (
        _("Excel workbook"),
        _("For Excel and other spreadsheet programs; every cell is text."),
    ),
    "json": (
        _("JSON"),
        _("For developers: every field of every concept, as the API gives it."),
    ),
    "deepl": (
        _("DeepL glossary (TSV)"),
        _("For DeepL: upload as a glossary from English to Chinese in the web app."),
    ),
    "deepl-csv": (
        _("DeepL glossary (CSV)"),
        _("For the DeepL API's glossaries: English to Chinese, with language codes."),
    ),
    "omegat": (
        _("OmegaT glossary"),
        _(
            "For OmegaT: put the file in the project's glossary folder. One Chinese variant per "
            "file (Simplified unless you take the Traditional one), as OmegaT cannot tell them "
            "apart."
        ),
    ),
    "tmx": (
        _("TMX term pairs"),
        _(
            "For translation memories in any CAT tool: each preferred English term with its Chinese."
        ),
    ),
    "xlsx-terms": (
        _("Terms workbook"),
        _(
            "For memoQ, Phrase and Smartcat term base imports: one language per column, one term "
            "per cell, deprecated terms marked forbidden."
        ),
    ),
    "google": (
        _("Google Cloud Translation glossary"),
        _("For Google Cloud Translation: an equivalent term set in en, zh-CN and zh-TW."),
    ),
    "amazon": (
        _("Amazon Translate terminology"),
        _("For Amazon Translate: custom terminology in en, zh and zh-TW."),
    ),
}


@dataclass(frozen=True)
class Download:
    """One file: its format's name, short label, the tool it is for, and its address."""

    fmt: str
    label: object
    tool: object
    url: str
    #: The same file with one Chinese variant only: (label, address) for each.
    variants: tuple[tuple[object, str], ...] = ()


#: The one-variant files offered beside each format's file (the export's ``chinese``).
VARIANTS = ((Language.ZH_HANS, _("Simplified only")), (Language.ZH_HANT, _("Traditional only")))


def files(*, release: str = "", domain: str = "", variants: bool = False) -> list[Download]:
    """Every format's file of the published glossary, or of a release, or of one domain; with
    ``variants``, each also restricted to Simplified and to Traditional Chinese."""
    scope = {key: value for key, value in (("release", release), ("domain", domain)) if value}
    found = []
    for name, export in formats.EXPORTS.items():
        label, tool = TOOLS.get(name, (name, export.description))
        url = reverse("api:export", args=[name])
        one_variant = tuple(
            (variant_label, f"{url}?{urlencode({**scope, 'chinese': language})}")
            for language, variant_label in (VARIANTS if variants else ())
        )
        query = urlencode(scope)
        found.append(Download(name, label, tool, f"{url}?{query}" if query else url, one_variant))
    return found
