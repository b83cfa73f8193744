"""A client generated from the served schema by openapi-python-client works against the API.

The client is generated as a user would (``openapi-python-client generate --meta none``), in a
temporary folder, imported, and pointed at the WSGI application in-process (httpx's WSGI
transport). It must read every answer it is given with the schema's models: pages of concepts,
an error object for a concept that is not there, and a token for a username and password.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import httpx
import pytest

from tests import factories

pytestmark = pytest.mark.django_db

PACKAGE = "generated_glossary_client"
CONCEPTS = 12
PAGE_SIZE = 5


@pytest.fixture
def generated(tmp_path, client):
    """The generated package, imported from a temporary folder (and forgotten afterwards)."""
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    document = tmp_path / "schema.json"
    document.write_text(json.dumps(response.json()))
    bin_dir = os.path.dirname(sys.executable)
    # The generator formats its output with ruff, which is installed beside it; no network.
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    result = subprocess.run(
        [
            os.path.join(bin_dir, "openapi-python-client"),
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(tmp_path / PACKAGE),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # A warning means parts of the API were left out of the client.
    assert "Warning" not in result.stdout, result.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def module(package, name: str):
    return importlib.import_module(f"{package.__name__}.{name}")


def test_every_generated_module_imports(generated):
    root = os.path.dirname(generated.__file__)
    names = [
        os.path.relpath(os.path.join(folder, file), root)[:-3].replace(os.sep, ".")
        for folder, _dirs, files in os.walk(root)
        for file in files
        if file.endswith(".py") and file != "__init__.py"
    ]
    assert "api.editorial.auth_token" in names
    for name in names:
        module(generated, name)


def test_generated_client_pages_reads_errors_and_signs_in(
    generated, wsgi_app, editor, reviewer_us, reviewer_cn
):
    uids = sorted(f"concept-{i:02d}" for i in range(CONCEPTS))
    for i, uid in enumerate(uids):
        data = factories.complete_data(f"term {i}", f"术语{i}", f"術語{i}")
        factories.make_published(editor, [reviewer_us, reviewer_cn], uid=uid, data=data)
    factories.make_draft(editor, uid="unpublished-draft")
    transport = httpx.WSGITransport(app=wsgi_app)
    client = generated.Client(
        base_url="http://testserver",
        raise_on_unexpected_status=True,
        httpx_args={"transport": transport},
    )
    models = module(generated, "models")
    concepts_list = module(generated, "api.public_read.concepts_list")
    concept_retrieve = module(generated, "api.public_read.concept_retrieve")
    auth_token = module(generated, "api.editorial.auth_token")

    # Every published concept, page after page; more than one page, never the draft.
    seen, pages, page = [], 0, 1
    while True:
        result = concepts_list.sync(client=client, page=page, page_size=PAGE_SIZE)
        assert isinstance(result, models.PaginatedConceptList)
        assert result.count == CONCEPTS
        seen += [concept.uid for concept in result.results]
        pages += 1
        if not result.next_:
            break
        page += 1
    assert pages == 3
    assert seen == uids

    # Past the last page, and a concept that is not published: the error object, parsed.
    beyond = concepts_list.sync_detailed(client=client, page=pages + 1, page_size=PAGE_SIZE)
    assert beyond.status_code == 404
    assert isinstance(beyond.parsed, models.Error)
    missing = concept_retrieve.sync_detailed(client=client, uid="unpublished-draft")
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Error)
    assert missing.parsed.code == "not_found"
    assert "unpublished-draft" in missing.parsed.detail
    found = concept_retrieve.sync(client=client, uid=uids[0])
    assert isinstance(found, models.Concept)
    assert found.uid == uids[0]

    # A token for a username and password; a wrong password is an error object too.
    token = auth_token.sync(
        client=client, body=models.TokenRequest(username="editor", password="pw-editor")
    )
    assert isinstance(token, models.Token)
    assert token.token and token.expires.tzinfo is not None
    refused = auth_token.sync_detailed(
        client=client, body=models.TokenRequest(username="editor", password="wrong")
    )
    assert refused.status_code == 400
    assert isinstance(refused.parsed, models.Error)
    assert refused.parsed.code == "invalid"
    assert refused.parsed.errors is not generated.types.UNSET

    # The token opens the editorial endpoints to the generated authenticated client.
    signed_in = generated.AuthenticatedClient(
        base_url="http://testserver",
        token=token.token,
        prefix="Token",
        raise_on_unexpected_status=True,
        httpx_args={"transport": transport},
    )
    draft_retrieve = module(generated, "api.editorial.draft_retrieve")
    draft = draft_retrieve.sync(client=signed_in, uid="unpublished-draft")
    assert isinstance(draft, models.VersionEditorial)
    assert draft.uid == "unpublished-draft"
