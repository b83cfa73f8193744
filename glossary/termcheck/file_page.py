"""The term check page's file upload: check a bilingual file, see its report, download it.

The form posts to ``check/file/``, which answers with the check page, the report below the
upload form (the first ``PAGE_ROWS`` segments with a problem; the downloads hold them all) and
links to the report as CSV, XLSX and HTML. The report is kept in the cache for ``KEEP_SECONDS``
under a random token, which the download links name. Errors are shown beside the form, and
nothing is checked. Checks are throttled like those of the text form.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from glossary.termcheck import files, service
from glossary.termcheck.authorities import said
from glossary.termcheck.file_form import FileCheckForm, limits_context
from glossary.termcheck.page import DETECT, CheckForm, _throttled

#: Segments with a problem shown on the page; the downloads hold them all.
PAGE_ROWS = 500
#: How long a report can be downloaded after the check.
KEEP_SECONDS = 3600
_CACHE_PREFIX = "termcheck:file-report:"


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    # The text form of the same page, empty, beside the file form.
    context.setdefault(
        "form", CheckForm(initial={"source_language": DETECT, "target_language": DETECT})
    )
    context.update(limits_context())
    return render(request, "glossary/check.html", context, status=status)


@require_POST
def check_file_page(request: HttpRequest) -> HttpResponse:
    """Check an uploaded file: the check page with the report, or with the form's errors."""
    wait = _throttled(request)
    if wait is not None:
        response = _page(request, {"file_form": FileCheckForm(), "retry_after": wait}, 429)
        response["Retry-After"] = str(wait)
        return response
    form = FileCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, {"file_form": form}, 400)
    upload = form.cleaned_data["file"]
    try:
        files.check_size(upload.size or 0)
        report = service.check_file(
            upload.read(),
            upload.name or "file",
            source_language=form.cleaned_data["source_language"] or None,
            target_language=form.cleaned_data["target_language"] or None,
        )
    except files.FileRefused as exc:
        form.add_error("file", exc.message)
        status = 413 if exc.code in {"too_large", "too_many_segments", "segment_too_long"} else 400
        return _page(request, {"file_form": form}, status)
    token = secrets.token_urlsafe(18)
    cache.set(_CACHE_PREFIX + token, report, KEEP_SECONDS)
    return _page(
        request,
        {
            "file_form": FileCheckForm(),
            "file_report": report,
            "file_totals": report.totals(),
            # Each concept and problem with the authorities that give the unpreferred terms
            # the translations use ("recommended by …"), as the downloads name them.
            "file_concepts": [
                (concept, said(report.authorities_of(concept))) for concept in report.concepts
            ],
            "file_rows": [
                (
                    segment,
                    [
                        (problem, said(report.authorities_of(problem)))
                        for problem in segment.problems
                    ],
                )
                for segment in report.flagged[:PAGE_ROWS]
            ],
            "file_rows_hidden": max(0, len(report.flagged) - PAGE_ROWS),
            "file_downloads": [
                (fmt.upper(), reverse("check:file-report", args=[token, fmt]))
                for fmt in files.REPORTS
            ],
        },
    )


@require_GET
def file_report(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """A report made by the page, as CSV, XLSX or HTML, while it is kept."""
    report = cache.get(_CACHE_PREFIX + token) if fmt in files.REPORTS else None
    if report is None:
        raise Http404("No such report, or it has expired.")
    response = HttpResponse(files.render(report, fmt), content_type=files.REPORTS[fmt][0])
    response["Content-Disposition"] = f'attachment; filename="{files.filename(report, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
