"""The API's parsers: each refuses control characters in any string of the body it parses.

The rest of the site has its forms checked by ``glossary.http.input_guard`` before any view runs; an
API body is checked here, where it is parsed once (so the middleware leaves API bodies alone and
DRF still answers 415 to a type a view does not take), and a refusal is an ordinary API error:
400 ``invalid_character``, in the request's language, naming where in the body the character is.
Tab, line feed and carriage return are allowed in values (definitions and texts to check hold
them), never in keys; the serializers refuse them where a value is a term or an identifier.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status

from glossary.language import RefusedCharacter, control_character, shown_safely

CODE = "invalid_character"


class RefusedCharacterError(exceptions.APIException):
    """400 ``invalid_character``. (DRF loads the parsers early: nothing here imports a view.)"""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = CODE


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a body whose keys or strings hold a control character."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            # Python's json gives up on arrays nested thousands deep: a malformed body, not a 500.
            raise exceptions.ParseError(_("The JSON body is nested too deeply.")) from exc
        _refuse(data)
        return data


def _refuse(data: Any) -> None:
    """Raise the API's 400 when a key or string of the parsed body holds a control character."""
    found = refused_string(data)
    if found is not None:
        where, character = found
        raise RefusedCharacterError(
            _(
                "The value at %(where)s holds %(character)s, a control character, which is "
                "not allowed."
            )
            % {"where": where or _("the top of the body"), "character": character},
            CODE,
        )


class FormParser(parsers.FormParser):
    """DRF's form parser, refusing a field whose name or value holds a control character."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _refuse(_fields(data))
        return data


class MultiPartParser(parsers.MultiPartParser):
    """The same for multipart bodies (the fields; uploaded files are the importers' to check)."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        _refuse(_fields(parsed.data))
        return parsed


def _fields(data: Any) -> dict[str, Any]:
    """A form's fields as JSON would give them: a value, or a list where a name repeats."""
    return {name: values[0] if len(values) == 1 else values for name, values in data.lists()}


def refused_string(data: Any) -> tuple[str, RefusedCharacter] | None:
    """The first key or string of parsed JSON holding a control character, and where it is.

    ``where`` reads like ``terms[0].text``. Walked without recursion, so that a deeply nested
    body cannot exhaust the stack.
    """
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, str):
            found = control_character(value, line_breaks=True)
            if found is not None:
                return where, found
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                found = control_character(key)
                place = f"{where}.{shown_safely(key)}" if where else shown_safely(key)
                if found is not None:
                    return place, found
                pending.append((place, item))
        elif isinstance(value, list):
            pending.extend(
                (f"{where}[{index}]", item) for index, item in reversed(list(enumerate(value)))
            )
    return None
