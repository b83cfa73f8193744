"""Cross-origin use of the public API, without credentials.

Any web page may GET the published glossary (``Access-Control-Allow-Origin: *``), and read the
validators it needs for conditional requests and the release and date an export was made from.
It may also POST to the term check (``/api/v1/check/``), so that a browser-based CAT tool can
check a translation from its own page: the check is anonymous, writes nothing and is throttled
per address like every public read, and it takes JSON, so the preflight allows ``Content-Type``.

Nothing else is opened: no cookies or credentials cross origins (no
``Access-Control-Allow-Credentials``, and ``*`` could not carry them anyway); the editorial
endpoints and the token exchange keep the same-origin policy, so a preflight for a write
anywhere but the term check, and any preflight under ``/api/v1/drafts/`` or ``/api/v1/auth/``,
is answered by the view itself without CORS headers and the browser refuses the request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase

#: Where cross-origin reads are allowed, and the paths under it that stay same-origin.
API_PREFIX = "/api/v1/"
PRIVATE_PREFIXES = ("/api/v1/drafts/", "/api/v1/auth/")
#: Anonymous, credential-free endpoints that a page on another site may also POST to.
CROSS_ORIGIN_POSTS = frozenset({"/api/v1/check/"})

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOWED_REQUEST_HEADERS = (
    "Accept, Accept-Language, Content-Language, If-None-Match, If-Modified-Since"
)
#: What a cross-origin POST also sends: its JSON body's type.
POST_REQUEST_HEADERS = f"{ALLOWED_REQUEST_HEADERS}, Content-Type"
#: Response headers a page on another site may read: the validators, and what an export was made
#: from (the MT-engine formats cannot say it in the file).
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Retry-After, Content-Disposition, Content-Language, "
    "X-Glossary-Release, X-Glossary-Date"
)
PREFLIGHT_MAX_AGE = "86400"


class ApiCorsMiddleware:
    """Adds CORS headers to the public API's cross-origin requests and answers their preflights."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self._public(request.path):
            return self.get_response(request)
        methods = allowed_methods(request.path)
        requested = request.headers.get("Access-Control-Request-Method", "").upper()
        if request.method == "OPTIONS" and requested:
            if requested not in methods:
                # Not ours to allow: the view answers without CORS headers and the browser stops.
                return self.get_response(request)
            response: HttpResponseBase = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ", ".join(methods)
            response["Access-Control-Allow-Headers"] = (
                POST_REQUEST_HEADERS if "POST" in methods else ALLOWED_REQUEST_HEADERS
            )
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
            response["Access-Control-Allow-Origin"] = "*"
            return response
        response = self.get_response(request)
        if request.method in methods:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

    @staticmethod
    def _public(path: str) -> bool:
        return path.startswith(API_PREFIX) and not path.startswith(PRIVATE_PREFIXES)


def allowed_methods(path: str) -> tuple[str, ...]:
    """The methods a page on another site may use on a public API path."""
    return (*SAFE_METHODS, "POST") if path in CROSS_ORIGIN_POSTS else SAFE_METHODS
