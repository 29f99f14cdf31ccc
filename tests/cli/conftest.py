"""Fixtures of the command-line tests: commands called in process, and the real program."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from metalloop.network.adapters import gazetteer

METALLOOP = Path(sys.executable).parent / "metalloop"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


def run_command(*args: str, **options: object) -> tuple[str, str]:
    """Call a management command in process; return what it wrote to stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def fail_command(*args: str, **options: object) -> tuple[str, str]:
    """Call a command that must fail; return its one-line error and what it wrote to stderr."""
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(*args, stdout=StringIO(), stderr=err, **options)
    return str(failure.value), err.getvalue()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with every migration applied, made once by the real program."""
    home = tmp_path_factory.mktemp("metalloop-template")
    result = subprocess.run(
        [METALLOOP, "migrate", "--verbosity", "0"],
        env=program_environment(home),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    database = home / "db.sqlite3"
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one file to copy
    return database


def program_environment(home: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("METALLOOP_")}
    environment.update(
        METALLOOP_DATABASE_URL=f"sqlite:///{home / 'db.sqlite3'}",
        METALLOOP_SECRET_KEY="test",
        METALLOOP_VAR_DIR=str(home),
        METALLOOP_LANGUAGE="en",
    )
    return environment


Program = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def metalloop(tmp_path: Path, migrated_database: Path) -> Program:
    """Run the installed ``metalloop`` program against a fresh copy of the migrated database."""
    home = tmp_path / "var"
    (home / "cache").mkdir(parents=True)
    shutil.copy(migrated_database, home / "db.sqlite3")
    gazetteer()  # fills the gazetteer cache of the test process, which the program reuses
    for cached in (Path(settings.VAR_DIR) / "cache").glob("gazetteer-*.json"):
        shutil.copy(cached, home / "cache" / cached.name)

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [METALLOOP, *args],
            env=program_environment(home),
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )

    return run
