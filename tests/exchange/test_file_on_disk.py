"""An import reads its file from the disk a piece at a time and finds what its bytes give."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import translation

from glossary.core.models import Concept
from glossary.exchange import formats, safety
from glossary.exchange import published as snapshot
from glossary.exchange.safety import FileOnDisk, ImportRefused
from tests.exchange.glossaries import rich_glossary


class Undo(Exception):
    """Raised to roll back what a block wrote."""


def whole_check(data: bytes) -> None:
    """The check of the file's text made whole, as the readers of bytes make it."""
    safety.refuse_control_characters(safety.require_utf8(data))


def refusal(check, data) -> tuple[str, str] | None:
    try:
        check(data)
    except ImportRefused as exc:
        return exc.code, exc.message
    return None


LONG_LINE = "名" * 40 + "x" * 9

TEXTS = {
    "mixed scripts, four-byte characters and a byte-order mark": (
        "\ufeffen,zh_hans\n𠀀 model,模型𠀁\r\nagent,智能体\n".encode()
    ),
    "a byte that is not UTF-8 after several pieces": (
        (LONG_LINE + "\n" + LONG_LINE).encode() + b"\xe9" + b"tail\n"
    ),
    "a character cut off at the end of the file": "模型\n智能".encode()[:-1],
    "a four-byte character cut off at the end": "ab𠀀".encode()[:-2],
    "a continuation byte with nothing before it": b"ab\x80cd",
    "a control character on a line that began pieces before": (
        (LONG_LINE + "\n" + LONG_LINE + "\x07rest\n").encode()
    ),
    "a control character on the first line, pieces in": (LONG_LINE + "\x00").encode(),
    "a control character after a carriage return": "模型\r\x0b智能\n".encode(),
}


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 7, 64])
@pytest.mark.parametrize("case", list(TEXTS))
def test_a_file_on_disk_is_checked_piece_by_piece_as_its_bytes_are(
    case, piece, tmp_path, monkeypatch
):
    data = TEXTS[case]
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    monkeypatch.setattr(safety, "CHUNK", piece)
    assert refusal(safety.check_text, FileOnDisk(path)) == refusal(whole_check, data)
    assert refusal(safety.check_text, data) == refusal(whole_check, data)


def test_the_piecewise_check_names_the_byte_offset_and_line(tmp_path, monkeypatch):
    path = tmp_path / "file.csv"
    path.write_bytes(TEXTS["a byte that is not UTF-8 after several pieces"])
    monkeypatch.setattr(safety, "CHUNK", 16)
    with pytest.raises(ImportRefused, match=r"byte 0xE9 at offset 259 \(line 2\)"):
        safety.check_text(FileOnDisk(path))


@pytest.fixture
def exported(editor, reviewer_us, reviewer_cn, administrator) -> dict[str, bytes]:
    """The rich glossary in each format the importer reads, then rolled back."""
    try:
        with transaction.atomic():
            rich_glossary(editor, [reviewer_us, reviewer_cn], administrator)
            files = {
                name: b"".join(formats.stream(formats.EXPORTS[name], snapshot.prepare()))
                for name in ("tbx", "tbx2008", "csv", "xlsx")
            }
            raise Undo
    except Undo:
        pass
    assert not Concept.objects.exists()
    return files


def read_all(data) -> tuple:
    parsed = formats.stream_read(data)
    entries = list(parsed.entries)
    return parsed.format, entries, parsed.sources, parsed.domains, parsed.warnings


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["tbx", "tbx2008", "csv", "xlsx"])
def test_a_file_read_from_the_disk_gives_what_its_bytes_give(name, exported, tmp_path, monkeypatch):
    data = exported[name]
    if name == "tbx":
        data = b"\xef\xbb\xbf" + data  # a byte-order mark, as some editors save
    path = tmp_path / f"glossary.{name}"
    path.write_bytes(data)
    monkeypatch.setattr(safety, "CHUNK", 4096)
    from_bytes = read_all(data)
    assert from_bytes[1], "the file has entries"
    assert read_all(FileOnDisk(path)) == from_bytes


REAL_LISTS = sorted((Path(__file__).resolve().parents[1] / "data" / "lists").glob("*.csv"))


@pytest.mark.parametrize("path", REAL_LISTS, ids=lambda path: path.name)
def test_real_term_lists_read_from_the_disk_in_small_pieces_give_what_their_bytes_give(
    path, monkeypatch
):
    # Real lists (their licences beside them), cut into pieces that split their characters;
    # one holds a backspace, refused alike.
    monkeypatch.setattr(safety, "CHUNK", 7)
    data = path.read_bytes()
    refused = refusal(whole_check, data)
    if refused is not None:
        # Refused as the check of the whole text refuses it, naming the same place.
        assert refusal(read_all, FileOnDisk(path)) == refused
        return
    expected = read_all(data)
    assert expected[1], "the list has entries"
    assert read_all(FileOnDisk(path)) == expected


def test_a_file_that_changes_while_it_is_read_is_refused(tmp_path):
    path = tmp_path / "glossary.csv"
    path.write_bytes("en,zh_hans\nmodel,模型\n".encode())
    parsed = formats.stream_read(FileOnDisk(path))
    assert len(list(parsed.entries)) == 1
    with path.open("ab") as handle:
        handle.write("agent,智能体\n".encode())
    with pytest.raises(ImportRefused, match="changed on disk") as refused:
        list(parsed.entries)
    assert refused.value.code == "changed"
    # Only the time of its last change differs: refused too.
    path.write_bytes("en,zh_hans\nmodel,模型\n".encode())
    parsed = formats.stream_read(FileOnDisk(path))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with pytest.raises(ImportRefused, match="changed on disk"):
        list(parsed.entries)
    # Said in the reader's language, as every refusal is.
    with translation.override("zh-hans"), pytest.raises(ImportRefused, match="磁盘上发生了变化"):
        list(parsed.entries)


def _workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["en", "zh_hans"])
    sheet.append(["model", "模型"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_that_changes_while_it_is_read_is_refused(tmp_path):
    # A workbook is opened as every file is, so the same check holds for it.
    path = tmp_path / "glossary.xlsx"
    path.write_bytes(_workbook())
    parsed = formats.stream_read(FileOnDisk(path))
    assert parsed.format == "xlsx" and len(list(parsed.entries)) == 1
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with pytest.raises(ImportRefused, match="changed on disk"):
        list(parsed.entries)
