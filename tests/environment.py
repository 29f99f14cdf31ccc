"""Prepare the environment before Django's settings load (loaded with ``-p`` by pytest).

``--postgres`` runs the database tests against the PostgreSQL server on 127.0.0.1:5432
(or METALLOOP_TEST_POSTGRES_URL); when it does not answer, every test is skipped with the
reason printed.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from urllib.parse import urlsplit

import pytest

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/metalloop"

os.environ.setdefault("METALLOOP_SECRET_KEY", "test-secret-key-used-by-the-test-suite-only")
os.environ.setdefault("METALLOOP_DEBUG", "0")
os.environ.setdefault("METALLOOP_DATABASE_URL", "sqlite:///:memory:")
if "METALLOOP_MEDIA_DIR" not in os.environ:
    # Uploaded files of the tests (and of the demo they load) never land in var/.
    MEDIA_DIR = tempfile.mkdtemp(prefix="metalloop-test-media-")
    os.environ["METALLOOP_MEDIA_DIR"] = MEDIA_DIR
    atexit.register(shutil.rmtree, MEDIA_DIR, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        action="store_true",
        help="run the database tests against PostgreSQL (METALLOOP_TEST_POSTGRES_URL)",
    )


def postgres_unreachable_reason(url: str) -> str:
    """Return why PostgreSQL at ``url`` cannot be used, or "" when it answers."""
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 5432), timeout=2
        ):
            return ""
    except OSError as error:
        return f"PostgreSQL does not answer at {parts.hostname}:{parts.port or 5432} ({error})"


POSTGRES_SKIP_REASON = ""


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> None:
    global POSTGRES_SKIP_REASON
    if "--postgres" not in args:
        return
    url = os.environ.get("METALLOOP_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    POSTGRES_SKIP_REASON = postgres_unreachable_reason(url)
    if not POSTGRES_SKIP_REASON:
        os.environ["METALLOOP_DATABASE_URL"] = url


def pytest_report_header(config: pytest.Config) -> str:
    if not config.getoption("--postgres"):
        return "database: SQLite (in memory)"
    if POSTGRES_SKIP_REASON:
        return f"database: PostgreSQL skipped: {POSTGRES_SKIP_REASON}"
    return f"database: PostgreSQL at {os.environ['METALLOOP_DATABASE_URL']}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--postgres") and POSTGRES_SKIP_REASON:
        marker = pytest.mark.skip(reason=POSTGRES_SKIP_REASON)
        for item in items:
            item.add_marker(marker)
