"""Control characters in requests: every address of the site, API, check, admin and exports, with
a NUL in its path and in its query, answers 400 (never 500) on SQLite and PostgreSQL alike; forms
and JSON bodies are refused the same way; and the term check's preflight follows the CORS policy
on every API endpoint that takes a POST."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from glossary.core.models import Concept
from glossary.termcheck.api import CheckView
from tests import factories

pytestmark = pytest.mark.django_db

#: The policy (glossary.api.cors): the term check alone takes cross-origin POSTs.
CROSS_ORIGIN_POSTS = {"/api/v1/check/"}

#: A value for each kind of path parameter the URLconf names.
SAMPLES = {
    "uid": "generative-ai",
    "key": "generative-ai",
    "name": "2024.1",
    "number": "1",
    "fmt": "tbx",
    "script": "en",
    "letter": "g",
    "object_id": "1",
    "pk": "1",
    "id": "1",
    "app_label": "glossary",
    "content_type_id": "1",
    "url": "glossary/concept/",
}
_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")


def _concrete(route: str) -> str:
    """A route or regex of the URLconf as an address, each parameter given its sample value."""

    def sample(match: re.Match) -> str:
        return SAMPLES.get(match.group(1) or match.group(2), "x")

    route = _PARAMETER.sub(sample, route)
    return route.replace("^", "").replace("$", "").replace("\\", "").replace("\\Z", "")


def every_route(patterns: list | None = None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """Each URL pattern of the project with its full route (language prefix /en/)."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found.extend(every_route(pattern.url_patterns, route))
        else:
            found.append((route, pattern))
    return found


ROUTES = sorted({"/" + _concrete(route) for route, _pattern in every_route()})


def with_nul_in_path(address: str) -> str:
    """The address with a NUL inside its last segment (or as its only segment)."""
    head, _slash, last = address.rstrip("/").rpartition("/")
    return f"{head}/{last or 'x'}%00a/"


def test_the_routes_cover_every_part_of_the_project():
    for expected in ("/en/search/", "/api/v1/check/", "/admin/", "/api/v1/export/tbx/"):
        assert expected in ROUTES
    assert "/en/concepts/generative-ai/" in ROUTES and "/en/check/" in ROUTES
    assert len(ROUTES) > 60  # the admin's own pages are there too


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_a_nul_in_any_path_or_query_is_refused_with_400(who, published, editor):
    client = Client(raise_request_exception=False)
    if who == "editor":
        client.force_login(editor)
    failures = []
    for address in ROUTES:
        for probe in (
            with_nul_in_path(address),
            f"{address}?q=a%00b",
            f"{address}?domain=generative-ai&release=a%00b",
            f"{address}?a%00b=1",
            f"{address}?next=%0d%0a",
        ):
            response = client.get(probe)
            if response.status_code != 400:
                failures.append((probe, response.status_code))
    assert failures == []


def test_the_refusal_says_why_in_the_api_shape_and_on_a_page(published):
    client = Client()
    api = client.get("/api/v1/concepts/?domain=a%00b")
    assert api.status_code == 400
    assert api.json() == {
        "code": "invalid_character",
        "detail": "The query parameter “domain” holds U+0000 NULL, a control character, which "
        "no query value may hold.",
    }
    path = client.get("/api/v1/releases/a%00b/")
    assert path.json()["detail"] == (
        "The address holds U+0000 NULL, a control character, which no address may hold."
    )
    page = client.get("/en/search/?q=a%00b")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    assert "U+0000 NULL" in page.content.decode()
    chinese = client.get("/zh-hans/search/?q=a%01b")
    assert chinese.status_code == 400
    assert 'lang="zh-Hans"' in chinese.content.decode()
    assert "U+0001 START OF HEADING" in chinese.content.decode()
    assert "控制字符" in chinese.content.decode()


def test_line_breaks_are_refused_in_a_query_but_not_in_free_text(published):
    client = Client()
    assert client.get("/en/search/?q=generative%0aAI").status_code == 400
    assert client.get("/en/search/?q=generative%20AI").status_code == 200
    text = {"source": "Generative AI\r\n\tis new.", "target": "生成式人工智能\n是新的。"}
    assert client.post("/en/check/", text).status_code == 200
    assert client.post("/api/v1/check/", text, content_type="application/json").status_code == 200


def test_form_fields_with_a_control_character_are_refused(editor, published):
    client = Client()
    login = client.post("/admin/login/", {"username": "editor\x00", "password": "pw-editor"})
    assert login.status_code == 400
    assert "The form field “username” holds U+0000 NULL" in login.content.decode()
    check = client.post("/en/check/", {"source": "generative\x1bAI"})
    assert check.status_code == 400
    assert "U+001B ESCAPE" in check.content.decode()

    client.force_login(editor)
    upload = SimpleUploadedFile(
        "terms.csv", b"en,zh_hans\nagent,\xe6\x99\xba\xe8\x83\xbd\xe4\xbd\x93\n"
    )
    multipart = client.post(
        "/admin/glossary/concept/import/", {"file": upload, "format": "csv\x07"}
    )
    assert multipart.status_code == 400
    assert "U+0007 BELL" in multipart.content.decode()
    assert Concept.objects.count() == 1


def api_post_routes() -> list[tuple[str, str]]:
    """(address, method) of every API endpoint that takes a POST or a PUT."""
    found = []
    for route, pattern in every_route():
        view = getattr(pattern.callback, "cls", None) or getattr(
            pattern.callback, "view_class", None
        )
        address = "/" + _concrete(route)
        if not address.startswith("/api/") or view is None:
            continue
        for method in ("post", "put"):
            if hasattr(view, method):
                found.append((address, method))
    return found


def test_every_api_write_is_found():
    posts = {address for address, method in api_post_routes() if method == "post"}
    assert {
        "/api/v1/check/",
        "/api/v1/concepts/",
        "/api/v1/auth/token/",
        "/api/v1/concepts/generative-ai/submit/",
        "/api/v1/concepts/generative-ai/review/",
    } <= posts
    assert ("/api/v1/drafts/generative-ai/", "put") in api_post_routes()


@pytest.mark.parametrize("body", ['{"source": "a\\u0000b"}', '{"x\\u0001": 1}', '["\\ud800"]'])
def test_json_with_a_control_character_is_refused_by_every_api_write(body, editor, published):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(editor)
    for address, method in api_post_routes():
        response = getattr(api, method)(
            address, body, content_type="application/json", HTTP_IF_MATCH='"v1-r1"'
        )
        assert response.status_code < 500, (address, method)
        if response.status_code == 400:
            assert response.json()["code"] == "invalid_character", (address, response.json())
    check = api.post("/api/v1/check/", body, content_type="application/json")
    assert check.status_code == 400 and check.json()["code"] == "invalid_character"


def test_json_names_where_the_character_is(editor, published):
    api = APIClient()
    api.force_authenticate(editor)
    body = json.dumps({"uid": "agent", "terms": [{"language": "en", "text": "ag\x02ent"}]})
    response = api.post("/api/v1/concepts/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "The value at terms[0].text holds U+0002 START OF TEXT, a control character, which is "
        "not allowed."
    )
    assert not Concept.objects.filter(uid="agent").exists()


def test_the_guard_sits_before_anything_reads_the_request(settings):
    middleware = settings.MIDDLEWARE
    guard = "glossary.http.input_guard.ControlCharacterMiddleware"
    assert middleware.index(guard) < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    # Only the security headers come first: they read nothing the client sent but the path.
    assert set(middleware[: middleware.index(guard)]) <= {
        "glossary.http.content_security.PathPolicyMiddleware",
        "django.middleware.security.SecurityMiddleware",
    }


# CORS preflight for every API endpoint that takes a POST --------------------------------------


def preflight(client, address: str, **headers: str):
    return client.options(
        address,
        HTTP_ORIGIN="https://cat.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
        **headers,
    )


def test_preflights_of_every_api_post_follow_the_policy(published, editor):
    client = APIClient(raise_request_exception=False)
    posts = [address for address, method in api_post_routes() if method == "post"]
    assert "/api/v1/check/" in posts
    for address in posts:
        response = preflight(client, address)
        assert response.status_code < 500, address
        if address in CROSS_ORIGIN_POSTS:
            assert response.status_code == 204
            assert response["Access-Control-Allow-Origin"] == "*"
            assert "POST" in response["Access-Control-Allow-Methods"]
            assert "Content-Type" in response["Access-Control-Allow-Headers"]
            assert not response.has_header("Access-Control-Allow-Credentials")
        else:
            assert not response.has_header("Access-Control-Allow-Origin"), address
            assert not response.has_header("Access-Control-Allow-Methods"), address
        # Without preflight headers, anonymous and signed in: an answer, never a 500.
        assert client.options(address).status_code < 500, address
    client.force_authenticate(editor)
    for address in posts:
        assert client.options(address).status_code < 500, address
        assert preflight(client, address).status_code < 500, address


def test_a_cross_origin_term_check_can_be_read(published):
    client = APIClient()
    response = client.post(
        "/api/v1/check/",
        {"source": "Generative AI is new.", "target": "生成式人工智能是新的。"},
        format="json",
        HTTP_ORIGIN="https://cat.example",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.has_header("Access-Control-Allow-Credentials")
    # The editorial writes stay same-origin.
    editorial = client.post(
        "/api/v1/concepts/", {}, format="json", HTTP_ORIGIN="https://cat.example"
    )
    assert not editorial.has_header("Access-Control-Allow-Origin")


def test_options_describe_what_the_term_check_takes():
    assert CheckView.serializer_class is not None
    body = APIClient().options("/api/v1/check/").json()
    assert set(body["actions"]["POST"]) >= {"source", "target"}


def test_factories_still_build_terms_without_characters_refused(editor):
    # The refused characters are refused, and nothing else: a Chinese term with a middle dot,
    # an English one with an apostrophe and accents.
    data = factories.complete_data(en="Hopfield’s café network", zh_hans="冯·诺依曼结构")
    version = factories.make_draft(editor, uid="hopfield", data=data)
    assert version.terms.get(language="en", status="preferred").text == "Hopfield’s café network"


def test_the_policy_module_states_the_same():
    from glossary.api import cors

    assert cors.CROSS_ORIGIN_POSTS == CROSS_ORIGIN_POSTS


def test_plain_options_on_every_api_address_is_answered(published, editor):
    client = APIClient(raise_request_exception=False)
    addresses = [address for address in ROUTES if address.startswith("/api/")]
    assert len(addresses) > 15
    for editor_signed_in in (False, True):
        if editor_signed_in:
            client.force_authenticate(editor)
        failures = [a for a in addresses if client.options(a).status_code >= 500]
        assert failures == []


def test_a_deeply_nested_json_body_is_a_parse_error(published):
    body = "[" * 100_000 + "]" * 100_000
    response = APIClient().post("/api/v1/check/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_api_form_bodies_are_checked_by_the_api_parsers(editor):
    client = Client()
    token = client.post("/api/v1/auth/token/", {"username": "editor\x01", "password": "x"})
    assert token.status_code == 400
    assert token.json() == {
        "code": "invalid_character",
        "detail": "The value at username holds U+0001 START OF HEADING, a control character, "
        "which is not allowed.",
    }
    urlencoded = client.post(
        "/api/v1/auth/token/",
        "username=editor%00&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert urlencoded.json()["code"] == "invalid_character"
    # A body type a view does not take is still answered 415.
    assert client.post("/api/v1/check/", {"source": "generative AI"}).status_code == 415
