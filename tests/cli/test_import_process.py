"""Real import processes: killed with SIGKILL in the middle of their write they leave
nothing behind (SQLite and PostgreSQL), and while one checks its rows another process writes
to the same SQLite database without waiting for it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from metalloop.common import bulk
from metalloop.common.models import AuditEvent
from metalloop.exchange.models import Listing
from tests.cli.conftest import program_environment
from tests.exchange.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]
ROWS = 2 * bulk.STAGE_FROM_ROWS  # large enough to be staged, as large imports are
HEADER = "side,kind,title,material,legal_status,form,quantity,unit,available_from,transport_modes\n"


def listings_file(folder: Path, rows: int = ROWS) -> Path:
    path = folder / "listings.csv"
    path.write_text(
        HEADER
        + "".join(
            f"offer,scrap,Späne Los {n},MAT:steel-non-alloy,by_product,turnings,4,t,"
            f"{TODAY.isoformat()},road\n"
            for n in range(rows)
        ),
        encoding="utf-8",
    )
    return path


def probe(moment: str, *command: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.cli.import_probe", moment, *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(process: subprocess.Popen[str], marker: str, timeout: float = 240) -> str:
    """Read the process's output until a line starts with ``marker``."""
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith(marker):
            return line
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"no {marker!r} from the import: {process.communicate()[1][-2000:]}")


def import_listings(file: Path) -> tuple[str, ...]:
    return ("listings", "import", str(file), "--network", "probe-netz", "--as", "probe@example.org")


def counts(database: Path) -> tuple[int, int, str]:
    with closing(sqlite3.connect(database)) as db:
        listings = db.execute("SELECT COUNT(*) FROM exchange_listing").fetchone()[0]
        events = db.execute(
            "SELECT COUNT(*) FROM common_auditevent WHERE object_type = 'exchange.listing'"
        ).fetchone()[0]
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    return listings, events, integrity


@pytest.fixture
def sqlite_home(metalloop, tmp_path: Path) -> dict[str, str]:
    """The environment of a program on its own migrated SQLite file, with the probe's data."""
    env = program_environment(tmp_path / "var")
    setup = probe("setup", env=env)
    _, err = setup.communicate(timeout=240)
    assert setup.returncode == 0, err
    return env


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run")
def test_a_killed_import_leaves_nothing_behind_on_sqlite(sqlite_home, tmp_path: Path):
    database = tmp_path / "var" / "db.sqlite3"
    importing = probe("writing", *import_listings(listings_file(tmp_path)), env=sqlite_home)

    assert wait_for(importing, "WRITING").split() == ["WRITING", "exchange.Listing"]
    os.kill(importing.pid, signal.SIGKILL)
    importing.communicate(timeout=30)  # reaps it and closes its pipes

    assert importing.returncode == -signal.SIGKILL
    assert counts(database) == (0, 0, "ok")
    again = probe("none", *import_listings(listings_file(tmp_path)), env=sqlite_home)
    out, _err = again.communicate(timeout=600)
    assert (again.returncode, out) == (0, f"listings: {ROWS} created, 0 updated, 0 unchanged.\n")
    assert counts(database) == (ROWS, ROWS, "ok")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run")
def test_another_process_writes_while_an_import_checks_its_rows(
    sqlite_home, metalloop, tmp_path: Path
):
    go = tmp_path / "go"
    importing = probe(
        "checking",
        *import_listings(listings_file(tmp_path)),
        env=sqlite_home | {"PROBE_GO": str(go)},
    )
    wait_for(importing, "CHECKING")

    organisations = tmp_path / "organisations.csv"
    organisations.write_text("slug,name,kind\nzweite,Zweite GmbH,company\n", encoding="utf-8")
    started = time.monotonic()
    writer = metalloop("import", "organisations", str(organisations))
    go.touch()
    out, _err = importing.communicate(timeout=600)

    assert (writer.returncode, writer.stdout, writer.stderr) == (
        0, "organisations: 1 created, 0 updated, 0 unchanged.\n", ""
    )  # fmt: skip
    assert time.monotonic() - started < 60  # it did not wait for the import
    assert (importing.returncode, out) == (
        0,
        f"listings: {ROWS} created, 0 updated, 0 unchanged.\n",
    )
    assert counts(tmp_path / "var" / "db.sqlite3")[0] == ROWS


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run")
def test_a_killed_import_leaves_nothing_behind_on_postgresql(tmp_path: Path):
    from metalloop.accounts.models import User
    from metalloop.network import services
    from metalloop.network.models import Network

    network = Network.objects.create(name="Probe-Netz", slug="probe-netz", kind="alliance")
    organisation = services.organisation_create(
        actor=None, name="Probe GmbH", slug="probe-gmbh", kind="company", networks=[network.slug]
    )
    services.site_create(actor=None, organisation=organisation, name="Werk", place="Duisburg")
    User.objects.create_user("probe@example.org", organisation=organisation)
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = program_environment(tmp_path / "var") | {"METALLOOP_DATABASE_URL": url}
    (tmp_path / "var" / "cache").mkdir(parents=True, exist_ok=True)
    importing = probe("writing", *import_listings(listings_file(tmp_path)), env=env)

    wait_for(importing, "WRITING")
    os.kill(importing.pid, signal.SIGKILL)
    importing.communicate(timeout=30)  # reaps it and closes its pipes

    assert importing.returncode == -signal.SIGKILL
    assert Listing.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="exchange.listing").exists()
    again = probe("none", *import_listings(listings_file(tmp_path)), env=env)
    _out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert Listing.objects.count() == ROWS
