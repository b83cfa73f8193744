"""Refuses requests carrying control characters, before anything reads them.

NUL and the other control characters have no place in an address, a query or a form a person
fills in, and PostgreSQL cannot even store NUL: a lookup with one fails deep inside the database
driver. This middleware sits near the top of ``MIDDLEWARE`` and answers 400 when one is found in

* the decoded path;
* any key or value of the query string;
* any field name or value of a POSTed form, urlencoded or multipart (not the uploaded files,
  whose content the importers check and whose names Django cleans), outside the API.

Tab, line feed and carriage return are allowed in form values, where free text (a definition, a
text to check) holds them; never in the path or a query value. The rule is
``glossary.language.control_character``. API bodies (JSON, and the forms the token exchange takes)
are checked where DRF parses them, by ``glossary.api.parsers``: parsing them here would read
every body twice, refuse an oversized one before the view can answer it with its own 413, and
hide a body type the view does not take (DRF would no longer answer 415).

Under ``/api/`` the answer is the API's error body, ``{"code": "invalid_character", "detail":
…}``; elsewhere a readable page. Both are in the language the request asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from glossary.language import RefusedCharacter, control_character, shown_safely

API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
CODE = "invalid_character"


class ControlCharacterMiddleware:
    """Answers 400 to a request whose path, query or form holds a control character."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        found = refused_input(request)
        if found is not None:
            return refusal(request, found)
        return self.get_response(request)


@dataclass(frozen=True)
class Refused:
    """Where a control character was found: the path, a query parameter or a form field."""

    place: Literal["path", "query", "form"]
    character: RefusedCharacter
    name: str = ""

    def message(self) -> str:
        character = str(self.character)
        if self.place == "path":
            return _(
                "The address holds %(character)s, a control character, which no address may hold."
            ) % {"character": character}
        if self.place == "query":
            return _(
                "The query parameter “%(name)s” holds %(character)s, a control character, which "
                "no query value may hold."
            ) % {"name": shown_safely(self.name), "character": character}
        return _(
            "The form field “%(name)s” holds %(character)s, a control character, which is not "
            "allowed there."
        ) % {"name": shown_safely(self.name), "character": character}


def refused_input(request: HttpRequest) -> Refused | None:
    """The first control character in the request's path, query or form, or None."""
    found = control_character(request.path)
    if found is not None:
        return Refused("path", found)
    problem = _first(request.GET.lists(), line_breaks=False)
    if problem is not None:
        return Refused("query", problem[1], problem[0])
    if (
        request.method == "POST"
        and request.content_type in FORM_TYPES
        and not request.path.startswith(API_PREFIX)
        and not _view_checks_form(request)
    ):
        problem = _first(request.POST.lists(), line_breaks=True)
        if problem is not None:
            return Refused("form", problem[1], problem[0])
    return None


def _first(
    pairs: Iterable[tuple[str, list[str]]], *, line_breaks: bool
) -> tuple[str, RefusedCharacter] | None:
    """The first name, or value under a name, holding a control character."""
    for name, values in pairs:
        found = control_character(name)
        for value in values:
            if found is not None:
                break
            found = control_character(value, line_breaks=line_breaks)
        if found is not None:
            return name, found
    return None


def refusal(request: HttpRequest, refused: Refused) -> HttpResponseBase:
    """The 400 answer, in the request's language: the API's error body under /api/, else a page."""
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        if request.path.startswith(API_PREFIX):
            response: HttpResponseBase = JsonResponse(
                {"code": CODE, "detail": refused.message()}, status=400
            )
        else:
            response = render(request, "400.html", {"message": refused.message()}, status=400)
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language, Cookie"
    return response


# Forms that refuse control characters themselves ---------------------------------------------
#
# A public form a person types a long text into (a consultation comment) answers a control
# character beside the field, with the text kept in the form, rather than with this page, which
# would lose the typing. Its view says so with ``checks_own_form``; the path and the query are
# still checked here.

CHECKS_OWN_FORM = "glossary_checks_own_form"


def checks_own_form(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Mark a view whose form refuses control characters itself, field by field."""
    setattr(view, CHECKS_OWN_FORM, True)
    return view


def refuse_in_fields(form: Any, *, line_breaks: Iterable[str] = ()) -> None:
    """Add an error beside each field of a bound form whose raw value holds a control character.

    For the forms of views marked with ``checks_own_form``: the fields in ``line_breaks`` are
    free text and may hold tab, line feed and carriage return; no field may hold any other.
    """
    allowed = set(line_breaks)
    for name in form.fields:
        for raw in (
            form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name, "")]
        ):
            found = control_character(str(raw), line_breaks=name in allowed)
            if found is not None:
                form.add_error(
                    name,
                    _("%(character)s, a control character, is not allowed in this field.")
                    % {"character": str(found)},
                )
                break


def _view_checks_form(request: HttpRequest) -> bool:
    """Whether the view at this path is marked with ``checks_own_form``."""
    path = request.path_info
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return False
    return bool(getattr(match.func, CHECKS_OWN_FORM, False))
