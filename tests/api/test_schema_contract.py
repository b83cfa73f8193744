"""Schemathesis against the API in-process: every answer matches the schema it serves.

Cases are generated from ``/api/v1/schema/`` for every operation, sent to the WSGI application
(no port, inside the test's transaction) anonymously and with an editor's token, and each answer
is checked by Schemathesis: no server error, a documented status, a documented content type, a
body that matches the documented schema, and the documented headers. The run is bounded: a few
examples per operation and a time budget.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.conf import settings
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from glossary.core import services
from glossary.exchange import formats
from tests import factories

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES = 15
#: Seconds for each of the three runs; the test's whole budget is three times this.
BUDGET = 25
#: Path parameters that name what the glossary has.
KNOWN = {"uid": "generative-ai", "name": "2025.1", "number": 1}


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn, administrator):
    """Published concepts, a release, a new concept's draft and a published one's."""
    reviewers = [reviewer_us, reviewer_cn]
    published = factories.make_published(editor, reviewers, uid="generative-ai")
    factories.make_published(
        editor, reviewers, uid="neural-network", data=factories.complete_data("neural network")
    )
    services.release_cut(name="2025.1", user=administrator)
    factories.make_draft(editor, "unpublished")
    services.draft_start(concept=published.concept, user=editor)


@pytest.fixture
def schema(wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)


def checker(operation, headers: dict[str, str], known: bool, stop: float, failures: list[str]):
    """A Hypothesis test of one operation until ``stop``, adding what fails to ``failures``."""
    names = {parameter.name for parameter in operation.path_parameters}
    fixed = {name: value for name, value in KNOWN.items() if name in names} if known else {}

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=fixed or None))
    def check(case) -> None:
        if time.monotonic() <= stop:
            case.call_and_validate(headers=headers, checks=CHECKS)

    def checked() -> None:
        try:
            check()
        # Schemathesis raises its failures as a group (not an Exception): report them together.
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}: {exc}")

    return checked


def run(schema, headers: dict[str, str], *, known: bool) -> list[str]:
    """Every operation, a bounded number of cases each; the failures, described.

    With ``known``, the path names the concept and the release the glossary has (so that the
    answers are mostly successes and refusals of the workflow); else Schemathesis makes them up.
    """
    failures: list[str] = []
    deadline = time.monotonic() + BUDGET
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    per_operation = BUDGET / len(operations)
    for operation in operations:
        stop = min(deadline, time.monotonic() + per_operation)
        checker(operation, headers, known, stop, failures)()
    return failures


@override_settings(
    REST_FRAMEWORK={
        **settings.REST_FRAMEWORK,
        # The throttles would answer most cases with a (documented) 429 and hide the rest.
        "DEFAULT_THROTTLE_RATES": {"anon": None, "token": None},
    }
)
def test_anonymous_and_editor_answers_match_the_schema(schema, glossary, editor):
    token = services.api_token_issue(user=editor).key
    failures = run(schema, {}, known=False)
    failures += run(schema, {}, known=True)
    failures += run(schema, {"Authorization": f"Token {token}"}, known=True)
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)


@pytest.mark.parametrize(
    "path",
    ["/api/", "/api/v1/", "/api/v1/nothing-here/", "/api/v2/concepts/", "/api/v1/concepts/a b/"],
)
def test_unknown_addresses_under_api_answer_the_api_json_404(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "not_found"
    assert set(body) == {"code", "detail"}
    assert "/api/v1/docs/" in body["detail"]
    assert "端点" in body["detail"]  # in the request's language, as every API error


def test_unknown_pages_elsewhere_stay_pages(client):
    response = client.get("/en/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_each_export_is_documented_with_the_type_it_is_sent_as(client, glossary):
    schema = client.get("/api/v1/schema/?format=json").json()
    responses = schema["paths"]["/api/v1/export/{fmt}/"]["get"]["responses"]
    documented = set(responses["200"]["content"])
    assert "application/octet-stream" not in documented
    for name, export_format in formats.EXPORTS.items():
        # Asked for by its own type, as a client reading the schema would.
        media_type = export_format.content_type.split(";")[0]
        response = client.get(f"/api/v1/export/{name}/", HTTP_ACCEPT=media_type)
        assert response.status_code == 200, name
        assert response["Content-Type"].split(";")[0] == media_type
        assert media_type in documented, name
    assert "406" not in responses
    assert responses["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
