"""POST /api/v1/check/file/: check a translator's bilingual file against the published glossary.

The file comes as multipart form data (field ``file``), with the languages when the file does
not state them (or states them wrongly) and the report's format: JSON by default, or the CSV,
XLSX or HTML report as an attachment. A file over the size limit is refused with 413
``too_large`` before it is read, one over the segment or segment-length limit with 413
``too_many_segments`` or ``segment_too_long`` before anything is checked; a file that cannot be
read, or has no target language, is refused with 400 and a code that says why.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response

from glossary.api.errors import ApiError
from glossary.api.parsers import MultiPartParser
from glossary.api.serializers import ErrorSerializer, OutputSerializer
from glossary.api.views import PUBLIC, ApiView
from glossary.termcheck import engine, files, service
from glossary.termcheck.api import LANGUAGE_CHOICES, AuthorityMentionSerializer

#: Refusals that are about the file's size, answered 413 rather than 400.
TOO_LARGE = frozenset({"too_large", "too_many_segments", "segment_too_long"})
#: Room for the multipart envelope and the other fields beside the file.
ENVELOPE_BYTES = 64 * 1024
REPORT_CHOICES = [("json", "json"), *((fmt, fmt) for fmt in files.REPORTS)]


class JsonOrFileNegotiation(DefaultContentNegotiation):
    """The answer is JSON or the report file, whatever ``Accept`` says; errors are JSON."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return (renderers[0], renderers[0].media_type)


class FileCheckInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=gettext_lazy(
            "The bilingual file: XLIFF 1.2 or 2.x (.xlf, .xliff), TMX 1.4, gettext PO, or CSV "
            "or XLSX with the source and target in two columns."
        ),
        error_messages={"required": gettext_lazy("Send the file to check in the field file.")},
    )
    source_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "The source language; overrides the file's. Left out, the file's, else read from "
            "the sources' script."
        ),
    )
    target_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "The target language; overrides the file's. Required when the file does not state "
            "it (CSV, XLSX, a PO file without a Language header)."
        ),
    )
    report = serializers.ChoiceField(
        choices=REPORT_CHOICES,
        default="json",
        help_text=gettext_lazy("json (the default), or the report as a csv, xlsx or html file."),
    )


class FileProblemSerializer(OutputSerializer):
    concept = serializers.CharField(help_text="The concept's identifier.")
    verdict = serializers.ChoiceField(
        choices=[(verdict, verdict) for verdict in files.PROBLEMS],
        help_text="deprecated, superseded (the translation's term), or missing (none used).",
    )
    source_terms = serializers.ListField(
        child=serializers.CharField(), help_text="How the source writes the concept."
    )
    target_terms = serializers.ListField(
        child=serializers.CharField(), help_text="The concept's terms the translation uses."
    )
    use = serializers.CharField(allow_null=True, help_text="The term to use.")
    authorities = AuthorityMentionSerializer(
        many=True,
        help_text="The authorities whose rendering of the concept a deprecated or superseded "
        "term of the translation is; empty otherwise.",
    )


class FileSegmentSerializer(OutputSerializer):
    segment = serializers.CharField(
        help_text="The segment's id (XLIFF unit, TMX tuid), or its number (its row in a table)."
    )
    source = serializers.CharField()  # type: ignore[assignment]  # stubs: Field.source
    target = serializers.CharField()
    problems = FileProblemSerializer(many=True)


class FileConceptSerializer(OutputSerializer):
    concept = serializers.CharField(help_text="The concept's identifier.")
    term = serializers.CharField(help_text="Its preferred term in the source language.")
    expected = serializers.CharField(
        allow_null=True, help_text="Its preferred term in the target language."
    )
    segments = serializers.IntegerField(help_text="Segments whose source names it.")
    occurrences = serializers.IntegerField(help_text="Its occurrences in the sources.")
    preferred = serializers.IntegerField()
    admitted = serializers.IntegerField()
    deprecated = serializers.IntegerField()
    superseded = serializers.IntegerField()
    missing = serializers.IntegerField()
    retired = serializers.IntegerField()
    problems = serializers.IntegerField(help_text="deprecated + superseded + missing.")
    authorities = AuthorityMentionSerializer(
        many=True,
        help_text="The authorities whose rendering of the concept a term the translations use "
        'is, where the glossary prefers another ("admitted; recommended by …"); empty '
        "otherwise.",
    )


class FileTotalsSerializer(OutputSerializer):
    segments = serializers.IntegerField(help_text="Segments read.")
    checked = serializers.IntegerField(help_text="Segments checked.")
    untranslated = serializers.IntegerField(help_text="Segments skipped: no translation.")
    mismatched = serializers.IntegerField(
        help_text="Segments skipped: a text plainly in another language than the file's."
    )
    segments_with_problems = serializers.IntegerField()
    problems = serializers.IntegerField()
    deprecated = serializers.IntegerField()
    superseded = serializers.IntegerField()
    missing = serializers.IntegerField()


class FileInfoSerializer(OutputSerializer):
    name = serializers.CharField()
    format = serializers.ChoiceField(choices=[(fmt, fmt) for fmt in files.FORMATS])
    source_language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    target_language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)


class FileReportSerializer(OutputSerializer):
    """The shape of ``FileReport.as_dict()``, which the view sends (for the schema)."""

    leading = ("file", "glossary", "totals", "concepts", "segments")

    file = FileInfoSerializer()
    glossary = serializers.CharField(help_text="Which state of the published glossary was used.")
    totals = FileTotalsSerializer()
    concepts = FileConceptSerializer(
        many=True, help_text="Each concept found, most problems first."
    )
    segments = FileSegmentSerializer(
        many=True, help_text="Each segment with a problem, in file order, with its problems."
    )


def refusal(error: files.FileRefused) -> ApiError:
    code = (
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        if error.code in TOO_LARGE
        else status.HTTP_400_BAD_REQUEST
    )
    return ApiError(code, error.code, error.message)


class FileCheckView(ApiView):
    """Check a bilingual file against the published glossary."""

    serializer_class = FileCheckInputSerializer
    parser_classes = [MultiPartParser]
    content_negotiation_class = JsonOrFileNegotiation

    @extend_schema(
        tags=[PUBLIC],
        summary="Check a translator's bilingual file against the glossary",
        description=(
            "Reads the file segment by segment (XLIFF 1.2 and 2.x, TMX 1.4, gettext PO, CSV or "
            "XLSX whose first row names the source and target columns, else whose first two "
            "columns are they) and checks each translated segment like `POST /api/v1/check/`. "
            "Untranslated segments are skipped and counted. The languages are the file's "
            "(XLIFF srcLang/trgLang or source-language/target-language, TMX xml:lang, PO "
            "Language, a table's header naming languages) unless given; a file without a "
            "target language, given or stated, is refused (400 `no_target_language`). The "
            "answer lists each segment with a problem (a deprecated, superseded or missing "
            "term in the translation), a summary per concept and totals; a concept or a problem "
            "names the authorities whose renderings the translation's unpreferred terms are; "
            "with `report`, the same as a CSV, XLSX or HTML file. Limits: the file at most "
            f"{files.limits.DEFAULT_MAX_BYTES // 1048576} MB and "
            f"{files.limits.DEFAULT_MAX_SEGMENTS:,} segments by default (settings "
            "GLOSSARY_CHECK_FILE_MAX_BYTES and GLOSSARY_CHECK_FILE_MAX_SEGMENTS), each text "
            f"of a segment at most {engine.MAX_TEXT_LENGTH:,} characters; over any of them the "
            "file is refused whole with 413."
        ),
        request={"multipart/form-data": FileCheckInputSerializer},
        responses={
            (200, "application/json"): FileReportSerializer,
            **{
                (200, content_type.split(";")[0]): OpenApiResponse(
                    OpenApiTypes.BINARY, description=f"The {fmt.upper()} report, as an attachment."
                )
                for fmt, (content_type, _extension) in files.REPORTS.items()
            },
            400: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "invalid (`errors` says why), or the file is refused: unknown_format, "
                    "bad_xml, wrong_root, bad_file, bad_table, bad_xlsx, not_utf8, "
                    "unsupported_language, ambiguous_target, no_target_language, same_language."
                ),
            ),
            413: OpenApiResponse(
                ErrorSerializer,
                description="too_large, too_many_segments or segment_too_long.",
            ),
            415: OpenApiResponse(ErrorSerializer, description="Not multipart form data."),
            429: OpenApiResponse(ErrorSerializer, description="Too many requests."),
        },
    )
    def post(self, request: Request) -> HttpResponseBase:
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            # Refused before the body is read: the envelope aside, it is the file's size.
            files.check_size(int(length) - ENVELOPE_BYTES if length.isdigit() else 0)
        except files.FileRefused as exc:
            raise refusal(exc) from exc
        data = FileCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        upload = params["file"]
        try:
            files.check_size(upload.size or 0)
            report = service.check_file(
                upload.read(),
                upload.name or "file",
                source_language=params.get("source_language"),
                target_language=params.get("target_language"),
            )
        except files.FileRefused as exc:
            raise refusal(exc) from exc
        fmt = params["report"]
        if fmt == "json":
            return Response(self.render(FileReportSerializer, report.as_dict()))
        response = HttpResponse(files.render(report, fmt), content_type=files.REPORTS[fmt][0])
        response["Content-Disposition"] = f'attachment; filename="{files.filename(report, fmt)}"'
        return response


check_file = FileCheckView.as_view()
