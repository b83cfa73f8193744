"""Content-Security-Policy on every kind of response, and no inline code left in the templates.

The browser tests fail on any violation of these policies (``new_context`` in conftest); this file
pins the policies themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import path, reverse

from config import urls as project_urls
from glossary.core import services
from glossary.core.models import ConceptVersion
from glossary.core.services import DraftData

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db

STRICT_SITE = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
NOTHING = {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}


def policy(response) -> dict[str, list[str]]:
    """The enforced policy of a response, directive by directive."""
    assert "Content-Security-Policy-Report-Only" not in response
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response!r}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_no_unsafe_script(directives: dict[str, list[str]]) -> None:
    for name in ("default-src", "script-src", "script-src-elem", "script-src-attr"):
        assert not any(v.startswith("'unsafe-") for v in directives.get(name, [])), directives


@pytest.fixture
def glossary(published, editor, reviewer_us, reviewer_cn, administrator):
    """generative-ai in two published versions, the first in release 2025.1."""
    services.release_cut(name="2025.1", notes="First edition.", user=administrator)
    draft = services.draft_start(concept=published.concept, user=editor)
    data = DraftData.from_version(ConceptVersion.objects.with_content().get(pk=draft.pk))
    data.texts["definition_en"] = "AI models that produce novel content from prompts."
    services.draft_update(version=draft, user=editor, data=data, expected_revision=draft.revision)
    services.version_submit(version=draft, user=editor)
    for reviewer in (reviewer_us, reviewer_cn):
        services.version_approve(version=draft, user=reviewer)
    return published.concept


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="pw-root")


def site_pages(uid: str) -> list[str]:
    return [
        "/en/",
        "/zh-hant/",
        "/en/browse/",
        "/en/browse/en/g/",
        "/en/domains/generative-ai/",
        f"/en/concepts/{uid}/",
        f"/en/concepts/{uid}/history/",
        f"/en/concepts/{uid}/compare/?from=1&to=2",
        f"/en/concepts/{uid}/versions/1/",
        "/en/releases/",
        "/en/releases/2025.1/",
        f"/en/releases/2025.1/concepts/{uid}/",
        "/en/search/?q=generative",
        "/zh-hans/search/?q=生成式",
        "/en/check/",
        "/en/feeds/changes/",
        "/en/feeds/releases/",
        "/sitemap.xml",
        "/api/v1/docs/",
        "/static/glossary/site.css",
    ]


def test_every_public_page_feed_and_sitemap_has_the_strict_site_policy(client, glossary):
    for url in site_pages(glossary.uid):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == STRICT_SITE, url
        # Served again from the page cache, the page keeps its policy.
        assert policy(client.get(url)) == STRICT_SITE, url


def test_the_check_page_result_and_a_404_have_the_strict_site_policy(client, glossary):
    response = client.post(
        "/en/check/",
        {
            "source_language": "en",
            "source": "generative AI",
            "target_language": "zh-Hans",
            "target": "生成式人工智能",
        },
    )
    assert response.status_code == 200
    assert "<mark" in response.content.decode()
    assert policy(response) == STRICT_SITE
    missing = client.get("/en/concepts/nowhere/")
    assert missing.status_code == 404
    assert policy(missing) == STRICT_SITE
    assert policy(client.get("/no-such-page/")) == STRICT_SITE


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    *project_urls.urlpatterns,
    *i18n_patterns(path("boom/", _boom), prefix_default_language=True),
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_has_the_strict_site_policy_and_its_own_stylesheet(client):
    client.raise_request_exception = False
    response = client.get("/en/boom/")
    assert response.status_code == 500
    assert policy(response) == STRICT_SITE
    assert '<link rel="stylesheet" href="/static/glossary/error.css">' in response.content.decode()
    assert client.get("/static/glossary/error.css").status_code == 200


@pytest.mark.parametrize(
    "method, url, data",
    [
        ("get", "/api/v1/concepts/", None),
        ("get", "/api/v1/concepts/generative-ai/", None),
        ("get", "/api/v1/concepts/nowhere/", None),
        ("get", "/api/v1/releases/2025.1/", None),
        ("get", "/api/v1/domains/", None),
        ("get", "/api/v1/schema/", None),
        ("get", "/api/v1/export/tbx/", None),
        ("get", "/api/v1/export/csv/?release=2025.1", None),
        ("post", "/api/v1/check/", {"source": "generative AI", "source_language": "en"}),
        ("options", "/api/v1/concepts/", None),
    ],
)
def test_api_responses_and_downloads_may_load_nothing(client, glossary, method, url, data):
    if data is None:
        response = getattr(client, method)(url)
    else:
        response = client.post(url, data, content_type="application/json")
    assert response.status_code in (200, 404), response.status_code
    assert policy(response) == NOTHING, url


def test_a_cross_origin_preflight_has_the_api_policy(client):
    response = client.options(
        "/api/v1/concepts/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 204
    assert policy(response) == NOTHING


def test_the_api_docs_page_loads_only_its_own_stylesheet(client):
    response = client.get(reverse("api:docs"))
    html = response.content.decode()
    assert policy(response) == STRICT_SITE
    assert '<link rel="stylesheet" href="/static/glossary/api-docs.css">' in html
    # Nothing from another site: every src and href is on this one or a fragment.
    for address in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert address.startswith(("/", "#")), address


def test_every_admin_screen_has_a_policy_without_unsafe_inline(client, glossary, superuser):
    anonymous = client.get("/admin/login/")
    assert anonymous.status_code == 200
    assert policy(anonymous) == STRICT_SITE
    client.force_login(superuser)
    version = glossary.versions.get(number=1)
    for url in (
        "/admin/",
        "/admin/glossary/concept/",
        f"/admin/glossary/concept/{glossary.pk}/change/",
        "/admin/glossary/conceptversion/",
        f"/admin/glossary/conceptversion/{version.pk}/change/",
        "/admin/glossary/source/add/",
        "/admin/auth/user/",
        f"/admin/auth/user/{superuser.pk}/change/",
        "/admin/jsi18n/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        assert_no_unsafe_script(directives)
        assert directives == STRICT_SITE, url


INLINE_CODE = [
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"""\sstyle\s*=\s*["'{]""", re.I), "a style attribute"),
    (re.compile(r"""\son[a-z]+\s*=\s*["'{]""", re.I), "an on… event handler attribute"),
    (re.compile(r"""["']\s*javascript:""", re.I), "a javascript: address"),
    # A <script> element runs only if it has no src and a JavaScript type (JSON-LD is data).
    (
        re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")", re.I),
        "an inline script",
    ),
]


def test_no_template_or_python_made_html_needs_unsafe_inline():
    files = [
        *(ROOT / "templates").rglob("*.html"),
        *(ROOT / "glossary").rglob("*.html"),
        *(ROOT / "glossary" / "templatetags").glob("*.py"),
        *(ROOT / "glossary").glob("admin*.py"),
        *(ROOT / "glossary").glob("views*.py"),
        *(ROOT / "glossary").glob("feeds.py"),
    ]
    assert len(files) > 30
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in files
        for pattern, what in INLINE_CODE
        if pattern.search(path.read_text())
    ]
    assert not found, found


@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_redirect_to_https_carries_the_policy_too(client):
    response = client.get("/en/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert policy(response) == STRICT_SITE
