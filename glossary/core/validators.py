"""Validators of what a term or an identifier may hold, for the models, forms and the API.

The rule itself is ``glossary.language.term_character`` (no control, direction-changing or invisible
character); these wrap it in a ``ValidationError`` whose message names the character, e.g.
"U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in a term." They are plain functions used by the
models' ``clean()``, the admin's forms and the API's serializers, never as field validators, so
that no migration refers to this module.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from glossary.language import RefusedCharacter, term_character

#: The message for each kind of value; ``%(character)s`` is "U+202E RIGHT-TO-LEFT OVERRIDE".
MESSAGES = {
    "term": _(
        "%(character)s is not allowed in a term: terms may not hold control, invisible or "
        "direction-changing characters."
    ),
    "identifier": _(
        "%(character)s is not allowed in an identifier: identifiers may not hold control, "
        "invisible or direction-changing characters."
    ),
}
CODE = "refused_character"


def refusal(found: RefusedCharacter, what: str = "term") -> ValidationError:
    """The error for a refused character found in a term or an identifier."""
    return ValidationError(MESSAGES[what], code=CODE, params={"character": str(found)})


def validate_term(value: str) -> None:
    """Refuse a term holding a control, direction-changing or invisible character."""
    found = term_character(value or "")
    if found is not None:
        raise refusal(found, "term")


def validate_identifier(value: str) -> None:
    """The same for an identifier: a concept's uid, a source or domain key, a release name."""
    found = term_character(value or "")
    if found is not None:
        raise refusal(found, "identifier")
