"""What every model's clean() refuses: control characters in text, refused characters in identifiers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from glossary.core.validators import validate_identifier
from glossary.language import control_character


def refuse_control_characters(instance: models.Model) -> None:
    """Refuse text fields holding a control character (tab and line breaks aside).

    Every entry point refuses them before this (requests, JSON bodies, imported files); this is
    the same rule where the data is, for anything that writes through the services directly.
    """
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        found = control_character(value, line_breaks=True) if isinstance(value, str) else None
        if found is not None:
            errors[field.name] = ValidationError(
                _("%(character)s, a control character, is not allowed in this field."),
                code="control_character",
                params={"character": str(found)},
            )
    if errors:
        raise ValidationError(errors)


def check_identifier(instance: models.Model, name: str) -> None:
    """Refuse an identifier field holding a control, invisible or direction-changing character."""
    try:
        validate_identifier(getattr(instance, name))
    except ValidationError as exc:
        raise ValidationError({name: exc}) from exc
