"""Reading uploaded files into text: PDF, DOCX, HTML and plain text, and the files refused."""

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

from glossary.radar import extract
from glossary.radar.extract import ExtractionError


def pdf_with_text(text: str, *, password: str = "") -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_text_and_language():
    found = extract.extract(pdf_with_text("Frontier models need evaluations."), filename="a.pdf")
    assert "Frontier models need evaluations." in found.text
    assert (found.format, found.language, found.pages) == ("pdf", "en", 1)


def test_an_encrypted_pdf_is_refused():
    with pytest.raises(ExtractionError) as refused:
        extract.extract(pdf_with_text("secret", password="pw"), filename="a.pdf")
    assert refused.value.code == "encrypted"


def test_a_broken_pdf_is_refused():
    with pytest.raises(ExtractionError) as refused:
        extract.extract(b"%PDF-1.4\nnot really a pdf", filename="a.pdf")
    assert refused.value.code == "broken"


def test_too_many_pages(monkeypatch):
    monkeypatch.setattr(extract, "MAX_PAGES", 0)
    with pytest.raises(ExtractionError) as refused:
        extract.extract(pdf_with_text("one page"), filename="a.pdf")
    assert refused.value.code == "too_many_pages"


def test_docx_paragraphs_and_tables():
    import docx

    document = docx.Document()
    document.add_paragraph("生成式人工智能服务应当标识合成内容。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "深度合成"
    table.rows[0].cells[1].text = "数字水印"
    out = io.BytesIO()
    document.save(out)
    found = extract.extract(out.getvalue(), filename="rules.docx")
    assert "生成式人工智能服务应当标识合成内容。" in found.text
    assert "深度合成 | 数字水印" in found.text
    assert found.language == "zh-Hans"


def test_a_broken_docx_is_refused():
    with pytest.raises(ExtractionError) as refused:
        extract.extract(b"PK\x03\x04 broken zip", filename="a.docx")
    assert refused.value.code == "broken"


def test_html_without_scripts_styles_or_head():
    page = (
        b"<html><head><title>Head</title><style>p{}</style></head><body>"
        b"<h1>Title</h1><p>Red teaming of models.</p><script>var x = 1;</script></body></html>"
    )
    found = extract.extract(page, content_type="text/html; charset=utf-8")
    assert found.text == "Title\n\nRed teaming of models."


def test_plain_text_utf8_and_gb18030():
    assert extract.extract("前沿模型".encode(), filename="a.txt").text == "前沿模型"
    found = extract.extract("繁體的前沿模型".encode("gb18030"), filename="a.txt")
    assert found.text == "繁體的前沿模型"
    assert found.language == "zh-Hant"


def test_files_refused_before_reading(monkeypatch):
    for data, name, code in [
        (b"  \n", "a.txt", "empty"),
        (b"\x00\x01binary", "a.bin", "unknown_format"),
        (b"... --- ...", "a.txt", "no_text"),
    ]:
        with pytest.raises(ExtractionError) as refused:
            extract.extract(data, filename=name)
        assert refused.value.code == code
    monkeypatch.setattr(extract, "MAX_BYTES", 10)
    with pytest.raises(ExtractionError) as refused:
        extract.extract(b"x" * 11, filename="a.txt")
    assert refused.value.code == "too_large"


def test_control_characters_are_removed():
    assert extract.tidy("a\x0cb\r\n\n\n\nc\x00") == "a b\n\nc"
