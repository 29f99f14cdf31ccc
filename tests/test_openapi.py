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
