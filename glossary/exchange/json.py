"""JSON: the whole record of each concept, streamed as one document.

``{"glossary": {...what it was made from...}, "concepts": [...], "sources": [...],
"domains": [...]}``. Each concept names every language explicitly (``en``, ``zh-Hans``,
``zh-Hant``), as the API does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields

from glossary.exchange.published import Export
from glossary.exchange.records import (
    GLOSSARY_TITLE,
    LANGUAGES,
    TEXT_FIELDS,
    ConceptRecord,
    SourceRecord,
)

#: One encoder for the whole file (``json.dumps`` with options makes one per call).
_dump = json.JSONEncoder(ensure_ascii=False).encode
#: A source's fields, in order (its fields are all text: no need for ``asdict``'s deep copy).
_SOURCE_FIELDS = [field.name for field in fields(SourceRecord)]


def concept_object(record: ConceptRecord) -> dict:
    return {
        "id": record.uid,
        "status": "retired" if record.retired else "published",
        "retirement_reason": record.retirement_reason,
        "domains": record.domains,
        "agreement": record.agreement,
        "maturity": record.maturity,
        "first_attested": record.first_attested,
        **{
            name: {language: record.text(name, language) for language in LANGUAGES}
            for name in TEXT_FIELDS
        },
        "machine_converted_fields": record.machine_converted_fields,
        "terms": {
            language: [
                {
                    "text": t.text,
                    "status": t.status,
                    "type": t.term_type,
                    "part_of_speech": t.part_of_speech,
                    "geographic_usage": t.geographic_usage,
                    "context": t.context,
                    "note": t.note,
                    "source": t.source,
                    "machine_converted": t.machine_converted,
                    "in_sense_only": t.in_sense_only,
                }
                for t in record.terms_in(language)
            ]
            for language in LANGUAGES
        },
        "citations": [
            {
                "source": c.source,
                "locator": c.locator,
                "quote": c.quote,
                "quote_language": c.quote_language,
            }
            for c in record.citations
        ],
        "relations": [{"kind": r.kind, "concept": r.target} for r in record.relations],
        "renderings": [
            {
                "authority": r.authority,
                "authority_name": r.authority_names,
                "authority_kind": r.authority_kind,
                "jurisdiction": r.jurisdiction,
                "terms": r.terms,
                "status": r.status,
                "definition": r.definition,
                "definition_language": r.definition_language,
                "locator": r.locator,
                "date": r.date,
            }
            for r in record.renderings
        ],
        "history": [
            {"action": h.action, "date": h.date, "by": h.responsibility} for h in record.history
        ],
    }


def stream(export: Export) -> Iterator[bytes]:
    meta = {
        "title": GLOSSARY_TITLE,
        "made_from": export.meta.describe(),
        "release": export.meta.release or None,
        "date": export.meta.date.isoformat(),
        "domain": export.meta.domain or None,
    }
    yield ('{"glossary": ' + _dump(meta) + ', "concepts": [').encode()
    domain_keys: set[str] = set()
    for index, record in enumerate(export.records()):
        domain_keys.update(record.domains)
        yield (("," if index else "") + "\n  " + _dump(concept_object(record))).encode()
    # The sources are read a page at a time too: the list is written an item at a time.
    yield b'\n], "sources": ['
    for index, source in enumerate(export.cited_sources()):
        item = {name: getattr(source, name) for name in _SOURCE_FIELDS}
        yield ((", " if index else "") + _dump(item)).encode()
    yield b"]"
    yield b', "domains": '
    yield _dump([{"key": d.key, "names": d.names} for d in export.domains(domain_keys)]).encode()
    yield b"}\n"
