"""Schemathesis against /api/v1/openapi.json: no request gets a 5xx, every answer keeps its schema.

Three runs, as the demo network's admin, as one of its members and anonymously, each with the
demo loaded so that operations find data. Requests go in-process through Django's WSGI handler
(schemathesis' werkzeug client), on SQLite and, in the second pass of `make test`, on
PostgreSQL. Every operation gets the coverage cases (the boundaries of each valid input) and
a bounded number of generated valid and invalid cases; generation is derandomized, so a run
is reproducible. The figures are printed at the end of the pytest run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, settings

from metalloop.accounts.models import ApiToken

# Generated cases per operation (valid and invalid), on top of the coverage cases.
MAX_EXAMPLES = 10
CHECKS = {
    "not_a_server_error": {"enabled": True},
    "status_code_conformance": {"enabled": True},
    "content_type_conformance": {"enabled": True},
    "response_schema_conformance": {"enabled": True},
    "max_response_time": 10.0,
}
ACTORS = ("admin", "member", "anonymous")


CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {"enabled": False, **CHECKS},
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
        # Boundary values of every valid input; invalid inputs (NUL characters, numbers out of
        # range, wrong types) come from the generated cases and tests/common/test_hostile_input.py.
        "phases": {"coverage": {"generation": {"mode": "positive"}}},
    }
)


@contextmanager
def connections_kept_open() -> Iterator[None]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


with connections_kept_open():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)


@pytest.fixture
def actor_headers(db, demo_tokens, actor) -> Iterator[dict[str, str]]:
    """The Authorization header of the actor, with Django's connection kept inside the test."""
    with connections_kept_open():
        yield {"Authorization": f"Bearer {demo_tokens[actor]}"} if actor in demo_tokens else {}


@pytest.fixture
def cases_sent(request, actor) -> Iterator[list[int]]:
    """Count the cases of one operation; the count goes to the figures printed at the end."""
    count = [0]
    yield count
    figures = {"database": connection.vendor, "actor": actor, "cases": count[0]}
    request.node.user_properties.append(("schemathesis", figures))


@pytest.mark.schemathesis
@pytest.mark.xdist_group("schemathesis")
@pytest.mark.parametrize("actor", ACTORS)
@schema.parametrize()
@settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, actor_headers, cases_sent):
    # A run may revoke its own token (DELETE /tokens/{id}); the next case runs as the same actor.
    ApiToken.objects.filter(name="demo actor").update(revoked_at=None)
    cases_sent[0] += 1
    # buffered: the client closes what the app answered (a FileResponse holds an open file).
    case.call_and_validate(headers=actor_headers, buffered=True)
