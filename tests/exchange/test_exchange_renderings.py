"""Authorities' renderings in TBX: valid TBX-Basic, read back, and kept through a round trip."""

from __future__ import annotations

import pytest
from django.db import transaction

from glossary.core.models import Authority, Concept, Rendering
from glossary.exchange import importer, tbx
from glossary.exchange import published as snapshot
from tests import authorities_data, factories
from tests.exchange.test_exchange_tbx import DAY, export_bytes, validate

pytestmark = pytest.mark.django_db


def llm(editor, reviewers, administrator):
    authority = authorities_data.authority(administrator)
    return factories.make_published(
        editor,
        reviewers,
        "large-language-model",
        authorities_data.llm_data(
            authorities_data.recommended(
                authority,
                definition="具有大规模参数的语言模型。",
                definition_language="zh-Hans",
                locator="第12条",
            )
        ),
    )


def test_renderings_survive_a_tbx_round_trip(
    editor, administrator, reviewer_us, reviewer_cn, tmp_path
):
    reviewers = [reviewer_us, reviewer_cn]
    with transaction.atomic():
        llm(editor, reviewers, administrator)
        (before,) = snapshot.prepare(date=DAY).records()
        data = export_bytes("tbx")
        transaction.set_rollback(True)
    assert not Concept.objects.exists() and not Authority.objects.exists()
    assert "TBX v3 (TBX-Basic V4): valid" in validate(tmp_path, data)
    # Any tool shows it as a note naming the authority.
    assert "authorityRendering: " in data.decode() and "推荐使用外语词中文译名" in data.decode()
    parsed = tbx.read(data)
    (entry,) = parsed.entries
    assert entry.errors == []
    assert entry.record.renderings[0].key() == before.renderings[0].key()
    report = importer.import_file(
        parsed, user=administrator, publish=importer.PublishPlan(reviewers=reviewers)
    )
    assert report.committed and not report.has_problems, report.entries
    authority = Authority.objects.get()
    assert (authority.name_zh_hant, authority.kind, authority.jurisdiction) == (
        "推薦使用外語詞中文譯名",
        "list",
        "CN",
    )
    (after,) = snapshot.prepare(date=DAY).records()
    assert after.content_key() == before.content_key()
    assert export_bytes("tbx") == data
    # Imported again, nothing has changed: no new draft.
    again = importer.import_file(tbx.read(data), user=administrator)
    assert [e.status for e in again.entries] == ["unchanged"]


def test_a_file_without_renderings_keeps_the_glossarys(
    editor, administrator, reviewer_us, reviewer_cn
):
    reviewers = [reviewer_us, reviewer_cn]
    llm(editor, reviewers, administrator)
    data = export_bytes("tbx").decode()
    # Another tool's file: no rendering note, its own id, and a changed definition.
    start = data.index("<note>authorityRendering: ")
    end = data.index("</note>", start) + len("</note>")
    other = data[:start] + data[end:]
    other = other.replace("The concept of large language model.", "A model of language.")
    parsed = tbx.read(other.encode(), "tbx")
    for entry in parsed.entries:
        entry.carries_renderings = False
    report = importer.import_file(parsed, user=administrator)
    assert [e.status for e in report.entries] == ["updated"], report.entries
    draft = Concept.objects.get().versions.get(state="draft")
    assert [r.term_zh_hans for r in Rendering.objects.filter(version=draft)] == ["大型语言模型"]


@pytest.mark.parametrize(
    "note",
    [
        "authorityRendering: not json",
        'authorityRendering: {"status": "used"}',
        'authorityRendering: {"authority": "x", "status": "used", "terms": {"fr": "modèle"}}',
    ],
)
def test_a_malformed_rendering_note_is_an_error_of_its_entry(note):
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
<tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader>
<text><body><conceptEntry id="c1"><note>{note}</note>
<langSec xml:lang="en"><termSec><term>model</term></termSec></langSec>
</conceptEntry></body></text></tbx>""".encode()
    (entry,) = tbx.read(data).entries
    assert any("rendering" in error.lower() for error in entry.errors), entry.errors
