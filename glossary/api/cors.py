"""Cross-origin reads of the public API, without credentials.

Any web page may GET the published glossary (``Access-Control-Allow-Origin: *``), and read the
validators it needs for conditional requests and the release and date an export was made from.
Nothing else is opened: no cookies or credentials cross origins, writes and the editorial
endpoints keep the same-origin policy, and a preflight for anything but a read gets no CORS
headers, so the browser refuses it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase

#: Where cross-origin reads are allowed, and the paths under it that stay same-origin.
API_PREFIX = "/api/v1/"
PRIVATE_PREFIXES = ("/api/v1/drafts/", "/api/v1/auth/")

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOWED_REQUEST_HEADERS = (
    "Accept, Accept-Language, Content-Language, If-None-Match, If-Modified-Since"
)
#: Response headers a page on another site may read: the validators, and what an export was made
#: from (the MT-engine formats cannot say it in the file).
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Retry-After, Content-Disposition, Content-Language, "
    "X-Glossary-Release, X-Glossary-Date"
)
PREFLIGHT_MAX_AGE = "86400"


class ApiCorsMiddleware:
    """Adds CORS headers to reads of the public API and answers their preflight requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self._public(request.path):
            return self.get_response(request)
        requested = request.headers.get("Access-Control-Request-Method", "").upper()
        if request.method == "OPTIONS" and requested:
            if requested not in SAFE_METHODS:
                # Not ours to allow: the view answers without CORS headers and the browser stops.
                return self.get_response(request)
            response: HttpResponseBase = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ", ".join(SAFE_METHODS)
            response["Access-Control-Allow-Headers"] = ALLOWED_REQUEST_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
            response["Access-Control-Allow-Origin"] = "*"
            return response
        response = self.get_response(request)
        if request.method in SAFE_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

    @staticmethod
    def _public(path: str) -> bool:
        return path.startswith(API_PREFIX) and not path.startswith(PRIVATE_PREFIXES)
