"""The API documentation page, rendered on the server from the OpenAPI schema.

Nothing is fetched at run time (no Swagger UI or Redoc from a CDN): the schema that
``/api/v1/schema/`` serves is generated here too and turned into plain HTML, endpoint by endpoint
with their parameters, request bodies and responses, then every schema with its fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from rest_framework.settings import api_settings

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class TypePart:
    """A piece of a type's description; ``anchor`` links to a schema on the page."""

    text: str
    anchor: str = ""


@dataclass
class FieldDoc:
    name: str
    type: list[TypePart]
    required: bool
    description: str
    values: list[str] = field(default_factory=list)


@dataclass
class ResponseDoc:
    status: str
    description: str
    type: list[TypePart]


@dataclass
class OperationDoc:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    authenticated: bool
    parameters: list[FieldDoc]
    body: list[TypePart]
    responses: list[ResponseDoc]


@dataclass
class SectionDoc:
    name: str
    description: str
    operations: list[OperationDoc]


@dataclass
class SchemaDoc:
    name: str
    anchor: str
    description: str
    fields: list[FieldDoc]
    values: list[str] = field(default_factory=list)
    output: bool = False  # only read-only fields: a response, whose fields are always present


def inline_code(text: str) -> str:
    """Plain text with `backticks` shown as code, safe to put in the page."""
    return mark_safe(_CODE.sub(r"<code>\1</code>", str(escape(text))))  # noqa: S308 - escaped


_CODE = re.compile(r"`([^`]+)`")


def schema_anchor(name: str) -> str:
    return f"schema-{name}"


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _unwrap(schema: dict[str, Any]) -> dict[str, Any]:
    """A property written as ``allOf: [$ref]`` (to carry a description) is that reference."""
    all_of = schema.get("allOf")
    if all_of and len(all_of) == 1:
        return {**all_of[0], **{k: v for k, v in schema.items() if k != "allOf"}}
    return schema


def type_parts(schema: dict[str, Any] | None) -> list[TypePart]:
    """A readable type: ``string (date-time)``, ``array of Term``, ``Concept or null``…"""
    if not schema:
        return [TypePart("—")]
    schema = _unwrap(schema)
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        parts = [TypePart(name, schema_anchor(name))]
    elif "oneOf" in schema or "anyOf" in schema:
        parts = []
        options = [o for o in schema.get("oneOf", schema.get("anyOf")) if o]
        for index, option in enumerate(options):
            if index:
                parts.append(TypePart(" or "))
            parts.extend(type_parts(option))
    elif schema.get("type") == "array":
        parts = [TypePart("array of "), *type_parts(schema.get("items"))]
    elif schema.get("type") == "object" and "additionalProperties" in schema:
        parts = [TypePart("object of "), *type_parts(schema["additionalProperties"] or {})]
    else:
        label = schema.get("type", "any")
        if schema.get("format"):
            label += f" ({schema['format']})"
        parts = [TypePart(label)]
    if schema.get("nullable"):
        parts.append(TypePart(" or null"))
    return parts


def _values(schema: dict[str, Any]) -> list[str]:
    schema = _unwrap(schema)
    values = [str(v) for v in schema.get("enum", []) if v is not None]
    return ['""' if v == "" else v for v in values]


def _fields(schema: dict[str, Any]) -> list[FieldDoc]:
    required = set(schema.get("required", []))
    return [
        FieldDoc(
            name=name,
            type=type_parts(prop),
            required=name in required,
            description=inline_code(_unwrap(prop).get("description", "")),
            values=_values(prop),
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def _body_type(content: dict[str, Any] | None) -> list[TypePart]:
    if not content:
        return []
    media = content.get("application/json") or next(iter(content.values()), {})
    return type_parts(media.get("schema"))


def build(schema: dict[str, Any]) -> dict[str, Any]:
    """The page's content: sections of operations (by tag), then every schema."""
    tags = {tag["name"]: tag.get("description", "") for tag in schema.get("tags", [])}
    sections: dict[str, SectionDoc] = {}
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["API"])[0]
            section = sections.setdefault(tag, SectionDoc(tag, tags.get(tag, ""), []))
            security = operation.get("security", schema.get("security", []))
            parameters = [
                FieldDoc(
                    name=f"{p['name']} ({p['in']})",
                    type=type_parts(p.get("schema")),
                    required=bool(p.get("required")),
                    description=inline_code(p.get("description", "")),
                    values=_values(p.get("schema", {})),
                )
                for p in operation.get("parameters", [])
            ]
            responses = [
                ResponseDoc(
                    status=code,
                    description=inline_code(response.get("description", "")),
                    type=_body_type(response.get("content")),
                )
                for code, response in operation.get("responses", {}).items()
            ]
            section.operations.append(
                OperationDoc(
                    anchor=operation.get("operationId", f"{method}-{path}"),
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=inline_code(operation.get("description", "")),
                    authenticated=bool(security) and {} not in security,
                    parameters=parameters,
                    body=_body_type(operation.get("requestBody", {}).get("content")),
                    responses=responses,
                )
            )
    ordered = [sections[name] for name in tags if name in sections]
    ordered += [section for name, section in sections.items() if name not in tags]
    schemas = [
        SchemaDoc(
            name=name,
            anchor=schema_anchor(name),
            description=inline_code(component.get("description", "")),
            fields=_fields(component),
            values=_values(component),
            output=bool(component.get("properties"))
            and all(_unwrap(p).get("readOnly") for p in component["properties"].values()),
        )
        for name, component in sorted(schema.get("components", {}).get("schemas", {}).items())
    ]
    return {
        "title": schema.get("info", {}).get("title", ""),
        "version": schema.get("info", {}).get("version", ""),
        "description": schema.get("info", {}).get("description", ""),
        "sections": ordered,
        "schemas": schemas,
    }


@lru_cache(maxsize=8)
def _page_content(language: str) -> dict[str, Any]:
    """The schema depends only on the code and the language of its descriptions: once each."""
    with translation.override(language):
        return build(SchemaGenerator().get_schema(request=None, public=True))


@require_safe
def documentation(request: HttpRequest) -> HttpResponse:
    """Every endpoint, parameter and field of the API, with their descriptions."""
    content = _page_content(translation.get_language() or "en")
    base_url = request.build_absolute_uri(reverse("api:concepts")).removesuffix("concepts/")
    return render(
        request,
        "api/docs.html",
        {
            **content,
            "base_url": base_url,
            "schema_url": reverse("api:schema"),
            "anon_rate": api_settings.DEFAULT_THROTTLE_RATES.get("anon") or "∞",
            "token_hours": settings.GLOSSARY_TOKEN_LIFETIME_HOURS,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )
