"""Imports stream: a batch at a time, the same result whatever the batch, never all entries held."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from django.db import transaction

from glossary.core.models import Concept, ConceptVersion
from glossary.exchange import formats, importer
from glossary.exchange import published as snapshot
from glossary.exchange.records import Entries, ImportEntry, ImportFile
from tests.exchange.glossaries import rich_glossary

pytestmark = pytest.mark.django_db


class Undo(Exception):
    """Raised to roll back what a block wrote."""


def simple_csv(*rows: str) -> bytes:
    return ("en,zh_hans,zh_hant,definition_en,definition_zh,source\n" + "\n".join(rows)).encode()


def glossary_state() -> list[tuple]:
    """Every concept as the glossary holds it: its versions' states and content."""
    found = []
    for concept in Concept.objects.order_by("uid"):
        versions = ConceptVersion.objects.filter(concept=concept).order_by("number")
        found.append(
            (
                concept.uid,
                [(v.number, v.state, snapshot.record_of(v).content_key()) for v in versions],
            )
        )
    return found


def outcome(data: bytes, user, batch_size: int, **options) -> tuple[list[tuple], list, str]:
    """The report and the glossary an import leaves, rolled back afterwards."""
    try:
        with transaction.atomic():
            report = importer.import_file(
                formats.stream_read(data), user=user, batch_size=batch_size, **options
            )
            entries = [(e.where, e.uid, e.status, e.messages, e.skipped) for e in report.entries]
            result = (entries, glossary_state(), report.summary())
            raise Undo
    except Undo:
        pass
    return result


@pytest.fixture
def exported_tbx(editor, reviewer_us, reviewer_cn, administrator) -> bytes:
    """The rich glossary as TBX (relations between its concepts, both ways), then rolled back."""
    try:
        with transaction.atomic():
            rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)
            data = b"".join(formats.stream(formats.EXPORTS["tbx"], snapshot.prepare()))
            raise Undo
    except Undo:
        pass
    assert not Concept.objects.exists()
    return data


def test_batches_of_two_give_what_one_batch_gives_with_relations(
    exported_tbx, administrator, reviewer_us, reviewer_cn
):
    # A bootstrap publishes each draft once its relations (to later entries too) are written.
    publish = importer.PublishPlan(reviewers=[reviewer_us, reviewer_cn])
    whole = outcome(exported_tbx, administrator, 1000, publish=publish)
    assert whole[0] and all(status == "created" for _w, _u, status, _m, _s in whole[0])
    assert any(record[2][7] for _uid, versions in whole[1] for record in versions), (
        "the file has relations"
    )
    assert outcome(exported_tbx, administrator, 2, publish=publish) == whole
    assert outcome(exported_tbx, administrator, 1, publish=publish) == whole


def test_batches_of_two_give_what_one_batch_gives_with_repeats(editor):
    data = simple_csv(
        "transformer,变换器,,,,Paper p. 3",
        "attention,注意力,,,,",
        "token,词元,,,,",
        "embedding,嵌入,,,,",
        "Transformer,变换器,變換器,A network.,,",  # merged into line 2, three batches later
        "attention,关注,,,,",  # a different translation: a conflict with line 3
        "token,词元,詞元,,,Paper p. 9",  # merged into line 4
    )
    whole = outcome(data, editor, 1000, skip_problems=True)
    assert outcome(data, editor, 2, skip_problems=True) == whole
    entries = {where: (status, messages) for where, _uid, status, messages, _s in whole[0]}
    assert entries["line 6"] == ("unchanged", ["It repeats line 2 and was merged into it."])
    assert entries["line 7"][0] == "conflict"
    assert entries["line 7"][1][0].startswith("It repeats line 3 with a different translation")
    assert entries["line 2"][1] == ["line 6 repeats this entry and was merged into it."]
    (transformer,) = [versions for uid, versions in whole[1] if uid == "transformer"]
    terms = transformer[0][2][5]
    assert [term[1] for term in terms] == ["transformer", "变换器", "變換器"]


def test_an_id_repeated_in_a_later_batch_is_still_an_error(exported_tbx, editor):
    entries = exported_tbx.split(b"<conceptEntry")
    first = entries[1].split(b"</conceptEntry>")[0]
    # The first entry again, at the end of the body.
    data = exported_tbx.replace(b"</body>", b"<conceptEntry" + first + b"</conceptEntry></body>")
    report, _glossary, summary = outcome(data, editor, 2)
    where, _uid, status, messages, _skipped = report[-1]
    assert status == "error" and "is in the file twice (also conceptEntry" in messages[0]
    assert "Nothing was written" in summary
    assert outcome(data, editor, 1000)[0] == report


def test_the_importer_holds_about_one_batch_of_entries(editor):
    """The reader's entries are walked lazily and let go of, batch by batch."""
    rows = [f"term number {n},术语{n},,,," for n in range(40)]
    parsed = formats.stream_read(simple_csv(*rows))
    made: list[weakref.ref[ImportEntry]] = []
    walked: list[int] = []

    def walk(entries) -> Iterator[ImportEntry]:
        walked.append(0)
        for entry in entries:
            walked[-1] += 1
            made.append(weakref.ref(entry))
            yield entry

    source = parsed.entries
    counted = ImportFile(
        format=parsed.format,
        entries=Entries(lambda: walk(source)),
        sources=parsed.sources,
        domains=parsed.domains,
    )
    alive: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> None:
        gc.collect()
        alive.append((done, walked[-1], sum(ref() is not None for ref in made)))

    report = importer.import_file(counted, user=editor, batch_size=5, progress=progress)
    assert report.committed and report.counts()["created"] == 40
    # Once to survey the file, once to import it.
    assert walked == [40, 40]
    during = [(done, read, held) for done, read, held in alive if 0 < done < 40]
    assert during
    for done, read, held in during:
        # The second walk is read only as far as the batches done, and holds one batch at most.
        assert read == done
        assert held <= 5
    assert len(report.entries) == 40
