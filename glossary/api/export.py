"""GET /api/v1/export/<format>/?release=R&domain=D: the glossary as a file, streamed.

The file is written while it is sent (``StreamingHttpResponse``): the published versions, or a
release's, read a batch at a time, so memory does not grow with the glossary. An unknown format,
release or subject field answers 404 with the API's error shape.

Downloads answer conditional requests as the rest of the public API does (see
``glossary.api.conditional``): a published export's validators change with each publication, a
release export's never. A matching ``If-None-Match`` or a recent enough ``If-Modified-Since``
gets a 304 after a query or two, before a single concept is read. The weak ETag leaves out the
date a published export states (today's): the same concepts on another day are the same
glossary. A release export may be kept a day without asking, a published one five minutes.

Where the whole published glossary's files are built by a job after each publication
(``glossary.exchange.export_files``), a download of it is redirected to the current build's
file, which never changes and may be cached for a year; only between a publication and the end
of its build is the file written while it is sent.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseBase, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response

from glossary.api import conditional
from glossary.api.serializers import ErrorSerializer
from glossary.api.views import (
    CONDITIONAL_HEADERS,
    NOT_MODIFIED,
    PUBLIC,
    ApiView,
    error_responses,
)
from glossary.exchange import export_files, formats, variants
from glossary.exchange import published as snapshot

#: Release exports never change (a release is frozen); the published glossary does.
RELEASE_MAX_AGE = 24 * 3600
PUBLISHED_MAX_AGE = 300
#: A built file's address names its build: what it holds never changes.
FILE_MAX_AGE = 365 * 24 * 3600


class VariantQuerySerializer(serializers.Serializer):
    """The Chinese variant and language codes of a file: one declaration for the export and for
    the stored files it redirects to, in the schema and in the checks."""

    chinese = serializers.ChoiceField(
        choices=list(variants.CHINESE),
        required=False,
        default=variants.BOTH,
        help_text=(
            "Only one Chinese variant (`zh-Hans` or `zh-Hant`), or `both`. The OmegaT and DeepL "
            "files hold one variant: Simplified unless `zh-Hant` is asked for."
        ),
    )
    codes = serializers.ChoiceField(
        choices=list(variants.CODES),
        required=False,
        help_text=(
            "The language codes the file writes: `script` (zh-Hans, zh-Hant), `cn-tw` (zh-CN, "
            "zh-TW), `cn-hk` (zh-CN, zh-HK), or `zh` (plain zh; only with `chinese` zh-Hans "
            "or zh-Hant). By default each format's own: `script` for TBX, `cn-tw` for TMX, the "
            "terms workbook and Google, Amazon's `zh`/`zh-TW`."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            variants.check(attrs.get("chinese", variants.BOTH), attrs.get("codes", ""))
        except variants.VariantError as exc:
            raise serializers.ValidationError({"codes": [exc.message]}) from exc
        return attrs


class ExportQuerySerializer(VariantQuerySerializer):
    release = serializers.RegexField(
        r"^\d{4}\.\d{1,3}$", required=False, help_text="A release name, e.g. 2025.1."
    )
    domain = serializers.SlugField(required=False, help_text="A subject field key.")
    unreviewed = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Let the MT-engine glossaries (DeepL, Google, Amazon) hold Traditional terms that "
            "are unreviewed machine conversions; they are left out by default."
        ),
    )


class FileNegotiation(BaseContentNegotiation):
    """The file is sent in its format's type whatever ``Accept`` says (``Accept: text/csv`` for
    the CSV is no reason to refuse it); errors are JSON, as everywhere in the API."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0]

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return (renderers[0], renderers[0].media_type)


def media_types() -> list[str]:
    """The types the export formats are sent as, each once (without parameters such as charset)."""
    return list(dict.fromkeys(fmt.content_type.split(";")[0] for fmt in formats.EXPORTS.values()))


class ExportView(ApiView):
    """The glossary as a TBX, CSV, XLSX, JSON or MT-engine glossary file."""

    content_negotiation_class = FileNegotiation

    @extend_schema(
        tags=[PUBLIC],
        summary="Download the glossary as a file",
        description=(
            "Formats: "
            + "; ".join(f"`{name}`: {fmt.description}" for name, fmt in formats.EXPORTS.items())
            + ". The published concepts by default, or those of `release`; `domain` keeps one "
            "subject field. Never drafts, nor links to concepts that are not published (or, for "
            "a release, not in it). The file states the release and date it was made "
            "from, as do the `X-Glossary-Release` and `X-Glossary-Date` headers (the MT-engine "
            "formats can hold them only in the file name). Conditional requests "
            "(`If-None-Match`, `If-Modified-Since`) are answered 304 while nothing was published "
            "since; a release export never changes."
        ),
        parameters=[
            OpenApiParameter(
                "fmt",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(formats.EXPORTS),
                description="The file format.",
            ),
            ExportQuerySerializer,
            *CONDITIONAL_HEADERS,
        ],
        responses={
            **{
                (200, media_type): OpenApiResponse(
                    # The JSON export is a JSON document; every other format is a file.
                    response=OpenApiTypes.OBJECT
                    if media_type == "application/json"
                    else OpenApiTypes.BINARY,
                    description=(
                        "The file, as an attachment, of the format's type: "
                        + "; ".join(
                            f"`{name}`: {fmt.content_type}" for name, fmt in formats.EXPORTS.items()
                        )
                        + "."
                    ),
                )
                for media_type in media_types()
            },
            **NOT_MODIFIED,
            **error_responses(400),
            404: OpenApiResponse(
                response=ErrorSerializer,
                description=(
                    "unknown_format (`formats` lists those there are), unknown_release or "
                    "unknown_domain."
                ),
            ),
        },
    )
    def get(self, request: Request, fmt: str) -> HttpResponseBase:
        export_format = formats.EXPORTS.get(fmt)
        if export_format is None:
            return Response(
                {
                    "code": "unknown_format",
                    "detail": _("There is no export format “%(format)s”; use one of %(formats)s.")
                    % {"format": fmt, "formats": ", ".join(formats.EXPORTS)},
                    "formats": list(formats.EXPORTS),
                },
                status=404,
            )
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            export = snapshot.prepare(
                release=query.validated_data.get("release", ""),
                domain=query.validated_data.get("domain", ""),
                chinese=query.validated_data["chinese"],
                codes=query.validated_data.get("codes", ""),
                unreviewed=query.validated_data["unreviewed"],
            )
        except snapshot.ExportError as exc:
            return Response({"code": exc.code, "detail": exc.message}, status=404)
        if export.release is not None:
            stamp, max_age = conditional.release_stamp(export.release), RELEASE_MAX_AGE
        else:
            stamp, max_age = conditional.publication_stamp(), PUBLISHED_MAX_AGE
        answered = conditional.not_modified(request, stamp, max_age=max_age)
        if answered is not None:
            return answered
        meta = export.meta
        if export.release is None and not meta.domain and not meta.unreviewed:
            stored = export_files.current_file(fmt, meta.chinese, meta.codes)
            if stored is not None:
                # Not kept by caches: the next publication points it at another file.
                address = reverse("api:export-file", args=[fmt, stored.job]) + _variant_query(
                    meta.chinese, meta.codes
                )
                redirect = HttpResponseRedirect(address)
                redirect["X-Glossary-Release"] = "published"
                redirect["X-Glossary-Date"] = stored.date.isoformat()
                return conditional.apply(redirect, request, stamp)
        # The file is written only while it is sent, and never for a HEAD.
        content = formats.stream(export_format, export) if request.method != "HEAD" else iter(())
        response = StreamingHttpResponse(content, content_type=export_format.content_type)
        filename = export.meta.filename(export_format.suffix)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Glossary-Release"] = export.meta.release or "published"
        response["X-Glossary-Date"] = export.meta.date.isoformat()
        return conditional.apply(response, request, stamp, max_age=max_age)


def _variant_query(chinese: str, codes: str) -> str:
    """The query string that names a file's Chinese variant and codes ("" for the default)."""
    query = {"chinese": chinese} if chinese != variants.BOTH else {}
    if codes:
        query["codes"] = codes
    return "?" + urlencode(query) if query else ""


class ExportFileView(ApiView):
    """One file of a build of the whole published glossary, as the export redirects to it."""

    content_negotiation_class = FileNegotiation

    @extend_schema(
        tags=[PUBLIC],
        summary="A stored file of the published glossary",
        description=(
            "Where `/export/<fmt>/` redirects while the glossary's files built after the last "
            "publication are current. The address names its build, so the file never changes; "
            "a build two publications old is deleted, and its address then redirects to "
            "`/export/<fmt>/` again."
        ),
        parameters=[
            OpenApiParameter(
                "fmt",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(formats.EXPORTS),
                description="The file format.",
            ),
            OpenApiParameter(
                "build",
                {"type": "integer", "minimum": 0},
                OpenApiParameter.PATH,
                description="The build.",
            ),
            VariantQuerySerializer,
        ],
        responses={
            **{
                (200, media_type): OpenApiResponse(
                    response=OpenApiTypes.BINARY, description="The file, as an attachment."
                )
                for media_type in media_types()
            },
            302: OpenApiResponse(description="The build's files were deleted: ask the export."),
            404: OpenApiResponse(
                response=ErrorSerializer,
                description=(
                    "unknown_format, unknown_chinese, unknown_codes or ambiguous_codes, or "
                    "not_found for an address that names no build."
                ),
            ),
        },
    )
    def get(self, request: Request, fmt: str, build: int) -> HttpResponseBase:
        export_format = formats.EXPORTS.get(fmt)
        if export_format is None:
            return Response(
                {"code": "unknown_format", "detail": _("There is no such file.")}, status=404
            )
        chinese = request.query_params.get("chinese", variants.BOTH)
        codes = request.query_params.get("codes", "")
        try:
            variants.check(chinese, codes)
        except variants.VariantError as exc:
            return Response({"code": exc.code, "detail": exc.message}, status=404)
        query = _variant_query(chinese, codes)
        stored = export_files.build_file(build, export_files.file_key(fmt, chinese, codes))
        if stored is None:
            # A file of an older build, deleted since: what the export gives now.
            return HttpResponseRedirect(reverse("api:export", args=[fmt]) + query)
        response = FileResponse(
            default_storage.open(stored.path, "rb"),
            as_attachment=True,
            filename=stored.filename,
            content_type=export_format.content_type,
        )
        response["X-Glossary-Release"] = "published"
        response["X-Glossary-Date"] = stored.date.isoformat()
        response["Cache-Control"] = f"public, max-age={FILE_MAX_AGE}, immutable"
        return response


export = ExportView.as_view()
export_file = ExportFileView.as_view()
