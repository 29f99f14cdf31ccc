"""The OpenAPI document tells the truth about errors: every problem answer an operation can
give is listed with the ``Problem`` schema and the application/problem+json type.

Statuses that follow from the shape of an operation are added here, once, so that no new
operation can forget them; statuses that follow from its rules (403, 404, 409) are declared
on the operation with ``problems(...)``.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from metalloop.common.problems import PROBLEM_CONTENT_TYPE, Problem

PROBLEM_REF = "#/components/schemas/Problem"
DESCRIPTIONS = {
    400: "The request cannot be read: a NUL character (U+0000) in its path, query, cookies "
    "or body, a body that is not strict JSON, or too many form fields.",
    401: "No valid API token: send Authorization: Bearer <token>.",
    403: "The token's user may not do this.",
    404: "Not found, or not visible to the token's user.",
    409: "A rule of the platform refuses this in the present state ('code' says which).",
    413: "The request body is larger than the platform accepts.",
    422: "The input is not valid: messages and codes per field in 'errors' and 'codes'.",
}


class DocumentedProblemsAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists the problem answers of every operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_problems(schema)
        return schema


def document_problems(schema: dict[str, Any]) -> None:
    """List each operation's problem answers with the Problem schema, in place."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
        Problem.model_json_schema()
    )
    for operations in schema["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            for status in sorted(problem_statuses(operation)):
                responses[status] = {
                    "description": DESCRIPTIONS[status],
                    "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
                }


def problem_statuses(operation: dict[str, Any]) -> set[int]:
    """The problem statuses declared on ``operation`` and those its shape implies."""
    statuses = {int(status) for status in operation["responses"] if int(status) >= 400}
    statuses.add(400)  # the input guard reads every request
    if operation.get("security"):
        statuses.add(401)
    if "requestBody" in operation:
        statuses.update((413, 422))
    if any(can_be_invalid(parameter["schema"]) for parameter in operation.get("parameters", [])):
        statuses.add(422)
    return statuses


def can_be_invalid(schema: dict[str, Any]) -> bool:
    """Tell whether a parameter's value can fail validation (anything but a plain string)."""
    plain = schema.get("type") == "string" and not (
        {"enum", "pattern", "format", "maxLength", "minLength"} & schema.keys()
    )
    return not plain
