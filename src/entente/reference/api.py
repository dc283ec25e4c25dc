"""The HTTP API page: every operation of the OpenAPI document the server publishes, as that document has it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from entente.reference.words import cell, markdown, slug
from entente.server import create_app
from entente.vocabulary.definition import DEFAULT_UNION

METHODS = ("get", "put", "post", "patch", "delete")


def openapi() -> dict[str, Any]:
    """The OpenAPI document of the server, made for the bundled union in a store of its own that is then removed."""
    with tempfile.TemporaryDirectory(prefix="entente-reference-") as folder:
        app = create_app(str(Path(folder) / "reference.db"), DEFAULT_UNION)
        return app.openapi_schema.to_schema()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every operation, in the document's order."""
    return [(method.upper(), path, op) for path, item in document["paths"].items()
            for method, op in item.items() if method in METHODS]


def schema_words(schema: dict[str, Any]) -> str:
    """A schema as the page writes it: a shape's name, a list of them, or a JSON type."""
    if "$ref" in schema:
        return f"`{schema['$ref'].rsplit('/', 1)[1]}`"
    for key in ("oneOf", "anyOf"):
        if key in schema:
            parts = [schema_words(s) for s in schema[key] if s.get("type") != "null"]
            return " or ".join(dict.fromkeys(parts))
    kind = schema.get("type")
    if kind == "array":
        return f"list of {schema_words(schema.get('items', {}))}"
    if isinstance(kind, list):
        return " or ".join(k for k in kind if k != "null")
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    return {"string": "text", "integer": "whole number", "boolean": "true or false", "object": "JSON object",
            None: "any"}.get(kind, str(kind))


def _parameters(op: dict[str, Any]) -> list[str]:
    params = op.get("parameters", [])
    if not params:
        return []
    rows = ["| parameter | in | type | required | what it says |", "| --- | --- | --- | --- | --- |"]
    rows += [f"| `{p['name']}` | {p['in']} | {_value_words(p.get('schema', {}))} | {_required(p)} | "
             f"{cell(markdown(p.get('description', '')))} |" for p in params]
    return ["", *rows]


def _value_words(schema: dict[str, Any]) -> str:
    """A parameter's type, with the least and the most it may be."""
    bounds = [f"{word} {schema[key]:g}" for key, word in (("minimum", "at least"), ("maximum", "at most"))
              if key in schema]
    return ", ".join([schema_words(schema), *bounds])


def _required(parameter: dict[str, Any]) -> str:
    if parameter.get("required"):
        return "yes"
    default = parameter.get("schema", {}).get("default")
    return "no" if default is None else f"no (default `{default}`)"


def _responses(op: dict[str, Any]) -> list[str]:
    rows = ["| status | when | body |", "| --- | --- | --- |"]
    for status, answer in op.get("responses", {}).items():
        content = answer.get("content", {})
        body = "; ".join(f"{schema_words(c.get('schema', {}))} ({media})" for media, c in content.items()) or "none"
        rows.append(f"| {status} | {cell(answer.get('description', ''))} | {cell(body)} |")
    return ["", *rows]


def _body(op: dict[str, Any]) -> list[str]:
    body = op.get("requestBody")
    if not body:
        return []
    media = ", ".join(body.get("content", {}))
    return ["", f"Body ({media}): {', '.join(schema_words(c['schema']) for c in body['content'].values())}."]


def _kind(path: str) -> str:
    return path.rsplit("/", 1)[1]


def page(document: dict[str, Any] | None = None) -> str:
    """The HTTP API page."""
    document = document or openapi()
    ops = operations(document)
    writes = [(m, p, op) for m, p, op in ops if "record" in op.get("tags", [])]
    reads = [(m, p, op) for m, p, op in ops if (m, p, op) not in writes]
    out = [
        "# HTTP API",
        "",
        "Every operation of the API that `entente serve` answers, as its OpenAPI document (served at "
        "`/schema/openapi.json`, and as a page at `/schema/swagger`) describes it; [HTTP API](../api.md) shows them "
        "at work. Without a token a caller is the public; `Authorization: Bearer TOKEN` makes it the viewer the "
        "token stands for, who sees exactly what `entente --as` that viewer sees. Every read also takes "
        "`known_at`, to see the record as it stood at a record time, and answers with an `ETag` of what the viewer "
        "sees (`If-None-Match` with it gets 304).",
        "",
        "| operation | what it does |",
        "| --- | --- |",
        *(f"| [`{m} {p}`](#{slug(m + ' ' + p)}) | "
          f"{cell(markdown(op.get('description') or op.get('summary', '')).split(chr(10))[0])} |"
          for m, p, op in reads),
        *(f"| [`{m} {p}`](#recording-an-event) | records an entry of kind [`{_kind(p)}`](events.md#{_kind(p)}) |"
          for m, p, op in writes),
    ]
    for method, path, op in reads:
        out += ["", f"## `{method} {path}`", "", markdown(op.get("description") or op.get("summary", "")),
                *_parameters(op), *_responses(op)]
    if writes:
        first = writes[0][2]
        out += ["", "## Recording an event", "",
                "One operation for each kind of event, whose body is the event as its kind has it "
                "([Events](events.md)), without its `kind` (the address names it); without an `id` the server "
                "names the entry. Each takes the same headers and gives the same answers:",
                "",
                "| operation | body |",
                "| --- | --- |",
                *(f"| `{m} {p}` | {', '.join(schema_words(c['schema']) for c in op['requestBody']['content'].values())}"
                  f": [`{_kind(p)}`](events.md#{_kind(p)}) |" for m, p, op in writes),
                *_parameters(first), *_responses(first)]
    return "\n".join(out) + "\n"

