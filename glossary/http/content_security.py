"""The Content-Security-Policy of every response, chosen by where it is served.

django-csp's middleware writes the header; this subclass only picks which policy applies when a
view did not name one with django-csp's decorators: the first entry of
``GLOSSARY_CSP_PATH_POLICIES`` whose prefix starts the path (the admin, the API and its
documentation page), else the site's own ``CONTENT_SECURITY_POLICY``. Every policy enforces;
none is report-only.
"""

from __future__ import annotations

from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def path_policy(path: str) -> dict[str, Any] | None:
    """The directives for a path, or None where the site's default policy applies."""
    for prefix, policy in getattr(settings, "GLOSSARY_CSP_PATH_POLICIES", ()):
        if path.startswith(prefix):
            return default_config(policy["DIRECTIVES"])
    return None


class PathPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with a policy per part of the site."""

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:
            parts.config = path_policy(request.path_info)
        return parts
