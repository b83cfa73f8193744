"""The demonstration corpus shipped in fixtures/radar: loaded into an empty corpus only.

``manifest.yaml`` lists the documents: {file, title, origin, url, date, language, pair (the
other side's file, or null), licence}. Loading stores every document and rebuilds the
candidates in one transaction; a corpus that already has documents is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from glossary.core.choices import Language
from glossary.core.models import CorpusDocument
from glossary.radar import services as radar


def directory() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "radar"


_LANGUAGES = {
    "en": Language.EN,
    "zh": Language.ZH_HANS,
    "zh-cn": Language.ZH_HANS,
    "zh-hans": Language.ZH_HANS,
    "zh-tw": Language.ZH_HANT,
    "zh-hk": Language.ZH_HANT,
    "zh-hant": Language.ZH_HANT,
}


@dataclass
class Loaded:
    documents: int
    candidates: int
    skipped: bool


def _entries(manifest: Any) -> list[dict[str, Any]]:
    if isinstance(manifest, dict):
        manifest = manifest.get("documents", [])
    return [entry for entry in manifest or [] if isinstance(entry, dict) and entry.get("file")]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for size, suffix in ((10, ""), (7, "-01"), (4, "-01-01")):
        if len(text) == size:
            try:
                return dt.date.fromisoformat(text + suffix)
            except ValueError:
                return None
    return None


@transaction.atomic
def load(path: Path | None = None) -> Loaded:
    """Load the manifest's documents into an empty corpus and rebuild the candidates."""
    path = path or directory()
    if CorpusDocument.objects.exists():
        return Loaded(documents=0, candidates=0, skipped=True)
    entries = _entries(yaml.safe_load((path / "manifest.yaml").read_text(encoding="utf-8")))
    stored: dict[str, CorpusDocument] = {}
    for entry in entries:
        name = str(entry["file"])
        partner = stored.get(str(entry.get("pair") or ""))
        language = _LANGUAGES.get(str(entry.get("language") or "").strip().lower(), "")
        stored[name] = radar.document_add(
            data=(path / name).read_bytes(),
            filename=Path(name).name,
            title=str(entry.get("title") or name),
            origin=str(entry.get("origin") or ""),
            url=str(entry.get("url") or ""),
            published=_date(entry.get("date")),
            language=language,
            partner=partner,
            licence=str(entry.get("licence") or entry.get("license") or ""),
            user=None,
        )
    count = radar.candidates_rebuild()
    return Loaded(documents=len(stored), candidates=count, skipped=False)
