"""The API contract: the OpenAPI document is snapshotted so every change shows in review.

After an intended change: METALLOOP_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_openapi.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from metalloop.api import api

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def current_schema() -> str:
    return (
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), indent=2, sort_keys=True) + "\n"
    )


def test_openapi_document_matches_the_snapshot():
    schema = current_schema()
    if os.environ.get("METALLOOP_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(schema, encoding="utf-8")
    assert schema == SNAPSHOT.read_text(encoding="utf-8"), (
        "API contract changed: update the snapshot"
    )


def test_every_operation_has_a_stable_operation_id():
    paths = json.loads(current_schema())["paths"]
    ids = [op["operationId"] for path in paths.values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert "organisations_list" in ids and "health_get" in ids


@pytest.mark.django_db
def test_openapi_document_and_interactive_docs_are_served(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower()


def operations() -> list[tuple[str, str, dict]]:
    document = json.loads(current_schema())
    return [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_error_answer_is_documented_as_problem_json():
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, method, operation in operations():
        errors = {s: r for s, r in operation["responses"].items() if int(s) >= 400}
        assert "400" in errors, (method, path)
        assert ("401" in errors) == ("security" in operation), (method, path)
        assert ("413" in errors) == ("requestBody" in operation), (method, path)
        for status, response in errors.items():
            assert response["content"] == problem, (method, path, status)


def test_the_problem_schema_names_every_member_of_a_problem():
    schema = json.loads(current_schema())["components"]["schemas"]["Problem"]
    assert set(schema["properties"]) == {
        "type", "title", "status", "detail", "instance", "errors", "codes", "code",
    }  # fmt: skip
    assert schema["required"] == ["title", "status", "instance"]


def integer_schemas(schema: dict, components: dict, where: str, seen: set[str]):
    """Yield (where, schema) for every integer in a schema, following references once."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name not in seen:
            seen.add(name)
            yield from integer_schemas(components[name], components, f"{where}>{name}", seen)
        return
    if schema.get("type") == "integer":
        yield where, schema
    for key in ("anyOf", "allOf", "oneOf"):
        for part in schema.get(key, []):
            yield from integer_schemas(part, components, where, seen)
    for name, part in schema.get("properties", {}).items():
        yield from integer_schemas(part, components, f"{where}.{name}", seen)
    if isinstance(schema.get("items"), dict):
        yield from integer_schemas(schema["items"], components, f"{where}[]", seen)


def test_every_integer_the_api_reads_is_bounded():
    """No id, page or count can be larger than the databases take (2^63 - 1 at most)."""
    components = json.loads(current_schema())["components"]["schemas"]
    unbounded = []
    for path, method, operation in operations():
        inputs = [(p["name"], p["schema"]) for p in operation.get("parameters", [])]
        for content in operation.get("requestBody", {}).get("content", {}).values():
            inputs.append(("body", content["schema"]))
        for name, schema in inputs:
            for where, integer in integer_schemas(schema, components, name, set()):
                if "minimum" not in integer or integer.get("maximum", 2**63) > 2**63 - 1:
                    unbounded.append(f"{method} {path} {where}")
    assert unbounded == []
