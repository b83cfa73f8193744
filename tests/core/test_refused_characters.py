"""Terms and identifiers refuse control, direction-changing and invisible characters, naming the
character, in the models and services, the admin, the API and imports; the duplicate check
compares terms in NFC; imported files holding a control character are refused whole."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from rest_framework.test import APIClient

from glossary import language as text
from glossary.core import services
from glossary.core.choices import Language, TermStatus
from glossary.core.models import Concept, ConceptVersion, Domain, Release, Source, Term
from glossary.core.services import TermData
from glossary.exchange import formats, importer
from glossary.exchange.records import ConceptRecord, ImportEntry, ImportFile, TermRecord
from glossary.exchange.safety import ImportRefused
from tests import factories
from tests.factories import admin_form_data

RLO = "\u202e"
#: Every character the brief names, with its name as messages show it.
REFUSED_IN_TERMS = {
    "\u061c": "U+061C ARABIC LETTER MARK",
    "\u200e": "U+200E LEFT-TO-RIGHT MARK",
    "\u200f": "U+200F RIGHT-TO-LEFT MARK",
    "\u202a": "U+202A LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "U+202B RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "U+202C POP DIRECTIONAL FORMATTING",
    "\u202d": "U+202D LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "\u2067": "U+2067 RIGHT-TO-LEFT ISOLATE",
    "\u2068": "U+2068 FIRST STRONG ISOLATE",
    "\u2069": "U+2069 POP DIRECTIONAL ISOLATE",
    "\u200b": "U+200B ZERO WIDTH SPACE",
    "\u200c": "U+200C ZERO WIDTH NON-JOINER",
    "\u200d": "U+200D ZERO WIDTH JOINER",
    "\u2060": "U+2060 WORD JOINER",
    "\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
    "\u00ad": "U+00AD SOFT HYPHEN",
    "\u2062": "U+2062 INVISIBLE TIMES",
    "\U000e0041": "U+E0041 TAG LATIN CAPITAL LETTER A",
    "\ufe0f": "U+FE0F VARIATION SELECTOR-16",
    "\x00": "U+0000 NULL",
    "\t": "U+0009 CHARACTER TABULATION",
    "\x85": "U+0085 CONTROL CHARACTER",
}


# The rule, in the text module ------------------------------------------------------------------


@pytest.mark.parametrize(("char", "name"), REFUSED_IN_TERMS.items())
def test_term_character_names_each_refused_character(char, name):
    found = text.term_character(f"gen{char}erative AI")
    assert found is not None
    assert (str(found), found.index) == (name, 3)


@pytest.mark.parametrize(
    "term",
    ["generative AI", "生成式人工智能", "冯·诺依曼", "Hopfield’s café", "C++", "α-β pruning"],
)
def test_ordinary_terms_pass(term):
    assert text.term_character(term) is None


def test_control_characters_allow_line_breaks_only_in_free_text():
    assert str(text.control_character("a\x00b")) == "U+0000 NULL"
    assert str(text.control_character("a\nb")) == "U+000A LINE FEED"
    assert text.control_character("a\r\n\tb", line_breaks=True) is None
    assert str(text.control_character("a\x0bb", line_breaks=True)) == "U+000B LINE TABULATION"
    assert str(text.control_character("\x7f", line_breaks=True)) == "U+007F DELETE"
    assert str(text.control_character("\ud800", line_breaks=True)) == "U+D800 SURROGATE"
    # Bidi controls are no control characters: a definition may hold them.
    assert text.control_character(RLO) is None


def test_terms_are_compared_and_stored_in_nfc():
    assert text.normalise_term(" cafe\u0301  au lait ") == "café au lait"
    assert text.shown_safely(f"gen{RLO}erative") == "gen<U+202E>erative"


# Models, services and the duplicate check --------------------------------------------------------


@pytest.mark.django_db
def test_the_reversed_term_is_refused_by_the_service(editor):
    data = factories.complete_data(en=f"gen{RLO}erative evil")
    with pytest.raises(ValidationError) as refused:
        factories.make_draft(editor, uid="generative-evil", data=data)
    assert any(
        "U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in a term" in message
        for message in refused.value.message_dict["terms"]
    )
    assert not Concept.objects.filter(uid="generative-evil").exists()


@pytest.mark.django_db
def test_identifiers_refuse_invisible_characters(editor, administrator):
    with pytest.raises(ValidationError) as refused:
        factories.make_draft(editor, uid="generative\u200b-ai")
    assert "U+200B ZERO WIDTH SPACE is not allowed in an identifier" in " ".join(
        refused.value.message_dict["uid"]
    )
    for model, field, value in (
        (Source, "key", "paper\u2066"),
        (Domain, "key", "\ufeffnlp"),
        (Release, "name", "2025.1\u200f"),
    ):
        with pytest.raises(ValidationError) as refused:
            model(**{field: value}).clean()
        assert "is not allowed in an identifier" in refused.value.message_dict[field][0]
    with pytest.raises(ValidationError, match="U\\+200F RIGHT-TO-LEFT MARK"):
        services.release_cut(name="2025.1\u200f", user=administrator)
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_a_copy_of_a_term_cannot_pass_the_duplicate_check(editor):
    composed = factories.complete_data(en="café network")
    composed.terms.append(TermData(language=Language.EN, text="cafe\u0301 network"))
    with pytest.raises(ValidationError, match="listed 2 times"):
        factories.make_draft(editor, uid="cafe-network", data=composed)
    hidden = factories.complete_data()
    hidden.terms.append(TermData(language=Language.EN, text="generative\u200b AI"))
    with pytest.raises(ValidationError, match="U\\+200B ZERO WIDTH SPACE"):
        factories.make_draft(editor, data=hidden)
    assert services.term_problems(
        [
            TermData(language=Language.EN, text="cafe\u0301", status=TermStatus.PREFERRED),
            TermData(language=Language.EN, text="café"),
        ]
    ) == ["The term “café” is listed 2 times in English."]


@pytest.mark.django_db
def test_terms_are_stored_in_nfc(editor):
    version = factories.make_draft(
        editor, uid="cafe", data=factories.complete_data(en="cafe\u0301 network")
    )
    assert version.terms.get(status="preferred", language="en").text == "café network"


# The admin -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_refuses_a_reversed_term_when_creating_a_concept(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/glossary/concept/add/",
        {"uid": "generative-evil", "term_en": f"gen{RLO}erative evil", "term_zh_hans": "生成式"},
    )
    assert response.status_code == 200
    assert "U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in a term" in response.content.decode()
    assert not Concept.objects.exists()


@pytest.mark.django_db
def test_the_admin_refuses_an_invisible_character_in_a_draft_term(client, editor, draft):
    client.force_login(editor)
    url = f"/admin/glossary/conceptversion/{draft.pk}/change/"
    data = admin_form_data(client.get(url))
    genai = next(key for key, value in data.items() if value == "GenAI")
    data[genai] = "Gen\u200dAI"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "U+200D ZERO WIDTH JOINER is not allowed in a term" in response.content.decode()
    assert set(Term.objects.filter(version=draft).values_list("text", flat=True)) >= {"GenAI"}


@pytest.mark.django_db
def test_the_admin_names_the_character_in_a_source_or_domain_key(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/admin/glossary/source/add/", {"key": f"paper{RLO}", "title": "A paper"}
    )
    assert response.status_code == 200
    assert "U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in an identifier" in (
        response.content.decode()
    )
    assert not Source.objects.filter(title="A paper").exists()
    response = client.post("/admin/glossary/domain/add/", {"key": "\u200bnlp", "name_en": "NLP"})
    assert response.status_code == 200
    assert "U+200B ZERO WIDTH SPACE is not allowed in an identifier" in response.content.decode()
    assert not Domain.objects.exists()


# The API -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_refuses_invisible_characters_in_terms_and_identifiers(editor, draft):
    api = APIClient()
    api.force_authenticate(editor)
    body = {
        "uid": "generative-evil",
        "terms": [{"language": "en", "text": f"gen{RLO}erative evil", "status": "preferred"}],
    }
    response = api.post("/api/v1/concepts/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["terms"] == {
        "0": {
            "text": [
                "U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in a term: terms may not hold "
                "control, invisible or direction-changing characters."
            ]
        }
    }
    response = api.post(
        "/api/v1/concepts/", {**body, "uid": "a\u2066b", "terms": []}, format="json"
    )
    assert response.status_code == 400
    assert "U+2066 LEFT-TO-RIGHT ISOLATE" in response.json()["errors"]["uid"][0]
    assert not Concept.objects.exclude(pk=draft.concept_id).exists()


# Imports -------------------------------------------------------------------------------------


def simple_csv(*rows: str) -> bytes:
    return ("en,zh_hans,zh_hant,definition_en,definition_zh,source\n" + "\n".join(rows)).encode()


@pytest.mark.django_db
def test_an_import_refuses_a_reversed_term_naming_the_character(editor):
    parsed = formats.read(simple_csv(f"gen{RLO}erative evil,生成式,,,,", "agent,智能体,,,,"))
    report = importer.import_file(parsed, user=editor)
    assert not report.committed
    first = report.entries[0]
    assert first.status == "error"
    assert first.messages == [
        "The English term “gen<U+202E>erative evil”: U+202E RIGHT-TO-LEFT OVERRIDE is not "
        "allowed in a term: terms may not hold control, invisible or direction-changing "
        "characters."
    ]
    assert not Concept.objects.exists()


TBX = (
    '<?xml version="1.0" encoding="UTF-8"?><tbx type="TBX-Basic" style="dca" '
    'xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>'
    '<conceptEntry id="{uid}"><langSec xml:lang="en"><termSec><term>{term}</term>'
    '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>'
    "</termSec></langSec></conceptEntry></body></text></tbx>"
)


@pytest.mark.django_db
def test_an_import_refuses_an_invisible_identifier(editor):
    record = ConceptRecord(
        uid="agent",
        domains=["nlp\u2060"],
        terms=[TermRecord(language="en", text="agent", status="preferred")],
    )
    parsed = ImportFile(format="tbx", entries=[ImportEntry(where="entry 1", record=record)])
    report = importer.import_file(parsed, user=editor)
    assert report.entries[0].status == "error"
    assert report.entries[0].messages == [
        "The identifier “nlp<U+2060>”: U+2060 WORD JOINER is not allowed in an identifier: "
        "identifiers may not hold control, invisible or direction-changing characters."
    ]
    assert not Concept.objects.exists() and not Domain.objects.exists()


NUL_CSV = simple_csv("agent,智能体,,,,", "trans\x00former,变换器,,,,")


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [False, True])
def test_the_command_refuses_a_csv_with_nul_naming_the_line(tmp_path, editor, dry_run):
    path = tmp_path / "nul.csv"
    path.write_bytes(NUL_CSV)
    options = ["--dry-run"] if dry_run else []
    with pytest.raises(CommandError) as refused:
        call_command("import_glossary", str(path), "--as-user", editor.username, *options)
    message = str(refused.value)
    assert "was refused, nothing changed" in message
    assert "U+0000 NULL at line 3, column 6" in message
    assert refused.value.returncode == 1  # as the command documents for a refused file
    assert not Concept.objects.exists()


def test_every_reader_refuses_control_characters():
    def refused(data: bytes, fmt: str = "") -> str:
        with pytest.raises(ImportRefused) as caught:
            formats.read(data, fmt)
        return caught.value.code

    assert refused(simple_csv("agent,智能体,,An\x1b agent.,,")) == "control_character"
    assert refused(TBX.format(uid="agent", term="ag\x00ent").encode()) == "control_character"
    assert refused(TBX.format(uid="agent", term="ag&#x1;ent").encode()) == "bad_xml"

    book = Workbook()
    sheet = book.active
    sheet.title = "Glossary"
    sheet.append(["en", "zh_hans"])
    sheet.append(["ag\x85ent", "智能体"])
    data = io.BytesIO()
    book.save(data)
    with pytest.raises(ImportRefused) as caught:
        formats.read(data.getvalue())
    assert caught.value.code == "control_character"
    assert "U+0085 CONTROL CHARACTER at sheet Glossary, cell A2" in caught.value.message

    # A NUL written into the worksheet's XML by hand: refused too, naming the cell.
    broken = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data.getvalue())) as source,
        zipfile.ZipFile(broken, "w") as target,
    ):
        for member in source.infolist():
            target.writestr(member, source.read(member).replace("\x85".encode(), b"\x00"))
    assert refused(broken.getvalue()) in ("control_character", "bad_xlsx")


@pytest.mark.django_db
def test_a_version_with_a_refused_term_is_never_written(editor):
    before = ConceptVersion.objects.count()
    with pytest.raises(ValidationError):
        services.concept_create(
            uid="x",
            user=editor,
            data=factories.complete_data(zh_hans="生成\u200c式"),
        )
    assert ConceptVersion.objects.count() == before


@pytest.mark.django_db
def test_the_services_refuse_control_characters_in_free_text_too(editor):
    data = factories.complete_data(definition_en="A model\x00 that generates.")
    with pytest.raises(ValidationError) as refused:
        factories.make_draft(editor, data=data)
    assert refused.value.message_dict["definition_en"] == [
        "U+0000 NULL, a control character, is not allowed in this field."
    ]
    lines = factories.complete_data(definition_en="A model\r\n\tthat generates.")
    assert factories.make_draft(editor, data=lines).definition_en == "A model\r\n\tthat generates."


@pytest.mark.django_db
def test_the_admin_import_page_refuses_a_csv_with_nul(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("nul.csv", NUL_CSV, content_type="text/csv")
    # The file is read by the preview's job; its page says why it was refused.
    response = client.post("/admin/glossary/concept/import/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "The file was refused, nothing changed" in response.content.decode()
    assert "U+0000 NULL at line 3, column 6" in response.content.decode()
    assert not Concept.objects.exists()
