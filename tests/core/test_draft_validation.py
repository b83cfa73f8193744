"""A draft's content is refused with the model's own messages, however it is checked.

``validate_draft`` judges plainly valid content on its values and builds model instances only
when something may be wrong (a large import validates thousands of drafts); here every variant
is also cleaned the way the models clean it, and both must say the same.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from glossary.core.choices import Language, TermStatus
from glossary.core.models import Concept, ConceptVersion, Term
from glossary.core.services import TermData, validate_draft
from tests import factories

RLO = "\u202e"


def _model_errors(data) -> dict[str, list[str]]:
    """What the models' full_clean says of a draft's own fields and of each of its terms."""
    errors: dict[str, list[str]] = {}
    candidate = ConceptVersion(
        agreement=data.agreement,
        maturity=data.maturity,
        first_attested=data.first_attested,
        **data.texts,
    )
    try:
        candidate.full_clean(
            exclude=["concept", "number", "author", "based_on"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for index, term in enumerate(data.terms, start=1):
        names = ("language", "text", "status", "term_type", "part_of_speech")
        names += ("geographic_usage", "context", "note", "source")
        try:
            Term(**{name: getattr(term, name) for name in names}).full_clean(
                exclude=["version"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors.setdefault("terms", []).extend(
                f"Term {index} ({key}): {message}"
                for key, messages in exc.message_dict.items()
                for message in messages
            )
    return errors


def _service_errors(data) -> dict[str, list[str]]:
    version = ConceptVersion(concept=Concept(uid="checked"), number=1)
    try:
        validate_draft(version, data)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _with_term(data, **changes):
    terms = list(data.terms)
    terms[0] = dataclasses.replace(terms[0], **changes)
    return dataclasses.replace(data, terms=terms)


VARIANTS = {
    "complete": lambda d: d,
    "unknown status": lambda d: _with_term(d, status="favourite"),
    "unknown language": lambda d: _with_term(d, language="fr"),
    "blank region allowed": lambda d: _with_term(d, geographic_usage=""),
    "unknown region": lambda d: _with_term(d, geographic_usage="mars"),
    "empty term": lambda d: _with_term(d, text=""),
    "blank term": lambda d: _with_term(d, text="   "),
    "term too long": lambda d: _with_term(d, text="x" * 301),
    "control character in a term": lambda d: _with_term(d, text="gen\x00AI"),
    "reversed term": lambda d: _with_term(d, text=f"gen{RLO}erative"),
    "control character in a context": lambda d: _with_term(d, context="a\x0bb"),
    "line breaks in a note": lambda d: _with_term(d, note="one\ntwo\tthree"),
    "term citing a source": lambda d: _with_term(d, source=factories.source()),
    "unknown agreement": lambda d: dataclasses.replace(d, agreement="maybe"),
    "unknown maturity": lambda d: dataclasses.replace(d, maturity="ancient"),
    "first attested": lambda d: dataclasses.replace(d, first_attested="2023-05"),
    "bad first attested": lambda d: dataclasses.replace(d, first_attested="May 2023"),
    "control character in a definition": lambda d: dataclasses.replace(
        d, texts={**d.texts, "definition_en": "bad\x07bell"}
    ),
    "empty definition": lambda d: dataclasses.replace(d, texts={**d.texts, "note_en": ""}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_the_service_says_what_the_models_say(variant):
    data = VARIANTS[variant](factories.complete_data())
    expected = _model_errors(data)
    found = _service_errors(data)
    assert {key: found.get(key, []) for key in expected} == expected
    assert set(found) <= set(expected) | {"terms"}
    assert bool(found) == bool(expected)


@pytest.mark.django_db
def test_a_term_the_models_refuse_is_never_waved_through():
    data = factories.complete_data()
    data.terms.append(
        TermData(language=Language.EN, text="\u200bhidden", status=TermStatus.ADMITTED)
    )
    assert _model_errors(data)["terms"]
    assert _service_errors(data)["terms"] == _model_errors(data)["terms"]
