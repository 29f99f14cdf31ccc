"""Benchmark the imports: 20,000 listings, organisations and sites into a SQLite file.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_import.py [--rows N]`). Prints
JSON lines. Everything runs in-process against a temporary SQLite file database set up as a
deployment sets it up (WAL, immediate transactions), with the demo network loaded.

What is measured
----------------
- ``total``: the import service from the parsed table to its return [s];
- ``validation``: checking every row, with what the rows name looked up [s] (as the import
  logs it);
- ``prepare_writes``: converting the values for the database and staging them in temporary
  tables, still outside the write transaction [s];
- ``write_lock``: how long the import holds SQLite's write lock, measured from inside the
  database connection: the time from its ``BEGIN IMMEDIATE`` to the return of its
  ``COMMIT``. While it is held, every other writer waits (and fails after the busy timeout
  of 20 s).

The machine's load (1-minute average) is printed with every figure: on the shared 2-core
development machine other work slows every figure down.

The listings are the demo network's own (its export as the facilitator, 176 rows of every
kind: offers and demands, grades, chemistry, waste codes, several organisations and sites),
repeated with numbered titles up to the number of rows, and imported as the facilitator.
The organisations are numbered companies of the demo network; the sites put each of them at
a German place of the gazetteer.
"""

from __future__ import annotations

import argparse
import atexit
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WORKDIR = Path(tempfile.mkdtemp(prefix="metalloop-bench-import-"))
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)
os.environ.update(
    DJANGO_SETTINGS_MODULE="metalloop.settings",
    METALLOOP_SECRET_KEY="benchmark-only-secret-key-0123456789",  # noqa: S106 - throwaway
    METALLOOP_DATABASE_URL=f"sqlite:///{WORKDIR}/bench.sqlite3",
    METALLOOP_VAR_DIR=str(WORKDIR),
    METALLOOP_MEDIA_DIR=str(WORKDIR / "media"),
)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NETWORK = "landesforum-zirkulaere-wertschoepfung-nrw"
FACILITATOR = "facilitator@demo.metalloop.example"
PLACES = (
    ("Duisburg", "47051"), ("Essen", "45127"), ("Dortmund", "44135"), ("Bochum", "44787"),
    ("Gelsenkirchen", "45879"), ("Oberhausen", "46045"), ("Hagen", "58095"), ("Wuppertal", "42103"),
    ("Solingen", "42651"), ("Krefeld", "47798"), ("Bielefeld", "33602"), ("Siegen", "57072"),
)  # fmt: skip


def emit(name: str, value: float, unit: str, **extra: object) -> None:
    load = round(os.getloadavg()[0], 2)
    record = {"benchmark": name, "value": round(value, 3), "unit": unit, **extra, "load_1min": load}
    print(json.dumps(record), flush=True)


@dataclass
class WriteLockClock:
    """Times every write transaction of the connection, from BEGIN to COMMIT or ROLLBACK."""

    started: float = 0.0
    begun: tuple[float, float] | None = None
    transactions: list[tuple[float, float, float]] = field(default_factory=list)

    def begin(self) -> None:
        self.begun = (time.perf_counter(), time.process_time())

    def end(self) -> None:
        if self.begun is not None:
            wall, cpu = self.begun
            self.transactions.append(
                (wall - self.started, time.perf_counter() - wall, time.process_time() - cpu)
            )
            self.begun = None

    def longest(self) -> tuple[float, float, float]:
        """The start (since ``started``), the duration and the CPU time of this process in
        the longest transaction [s]."""
        return max(self.transactions, key=lambda t: t[1], default=(0.0, 0.0, 0.0))


@contextmanager
def write_lock_clock() -> Iterator[WriteLockClock]:
    """Watch the connection from inside: the ``BEGIN IMMEDIATE`` statement it executes (an
    execute wrapper sees it) and the return of its ``COMMIT`` or ``ROLLBACK`` (the
    connection's own methods, wrapped). Nothing per row is traced, so the clock costs
    nothing measurable."""
    from django.db import connection

    clock = WriteLockClock(started=time.perf_counter())

    def watch(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith("BEGIN"):
            clock.begin()
        return execute(sql, *args)

    def ending(method: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            try:
                return method()
            finally:
                clock.end()

        return run

    commit, rollback = connection._commit, connection._rollback
    connection._commit, connection._rollback = ending(commit), ending(rollback)
    try:
        with connection.execute_wrapper(watch):
            yield clock
    finally:
        connection._commit, connection._rollback = commit, rollback


class PhaseLog(logging.Handler):
    """Keeps the phases the import logs: checked, writes prepared, written [s]."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.phases: tuple[float, ...] = ()

    def emit(self, record: logging.LogRecord) -> None:
        self.phases = tuple(float(a) for a in record.args[1:])  # type: ignore[index]


def measure(name: str, run: Callable[[], Any], rows: int) -> Any:
    """Run one import and emit its total time, its validation and its write-lock time."""
    log = PhaseLog()
    logger = logging.getLogger("metalloop.common.imports")
    logger.addHandler(log)
    logger.setLevel(logging.INFO)
    try:
        with write_lock_clock() as clock:
            result = run()
            total = time.perf_counter() - clock.started
    finally:
        logger.removeHandler(log)
    _start, lock, cpu = clock.longest()
    checked, prepared, _written = log.phases
    emit(f"{name}.total", total, "s", rows=rows, result=vars(result))
    emit(f"{name}.validation", checked, "s", rows=rows)
    emit(f"{name}.prepare_writes", prepared, "s", rows=rows)
    emit(
        f"{name}.write_lock",
        lock,
        "s",
        rows=rows,
        target_s=2.0,
        cpu_s=round(cpu, 3),
        write_transactions=len(clock.transactions),
    )
    return result


def listing_table(rows: int) -> Any:
    """The demo network's listings, as the facilitator exports them, repeated to ``rows``."""
    from django.utils import timezone

    from metalloop.accounts.models import User
    from metalloop.common.tabular import Table, TableRow
    from metalloop.exchange.services import LISTING_COLUMNS, listing_export_rows
    from metalloop.network.models import Network

    facilitator = User.objects.get(email=FACILITATOR)
    network = Network.objects.get(slug=NETWORK)
    today = timezone.localdate().isoformat()
    templates = [
        row
        for row in listing_export_rows(actor=facilitator, network=network)
        if row["status"] == "active"
        and (not row["available_until"] or row["available_until"] >= today)
    ]
    columns = [c for c in LISTING_COLUMNS if c not in ("id", "status")]
    table_rows = []
    for number in range(rows):
        cells = {c: templates[number % len(templates)][c] for c in columns}
        cells["title"] = f"{cells['title'][:180]} (Los {number + 1})"
        table_rows.append(TableRow(line=number + 2, cells=cells))
    return facilitator, network, Table(columns=columns, rows=table_rows)


def bench_listings(rows: int) -> None:
    from metalloop.common.tabular import format_csv
    from metalloop.exchange.services import listings_import

    facilitator, network, table = listing_table(rows)
    size = len(format_csv(table.columns, [row.cells for row in table.rows]).encode())
    emit(f"import.listings_{rows}.file_size", size / 1_000_000, "MB (CSV)", rows=rows)
    run = lambda: listings_import(actor=facilitator, network=network, table=table)  # noqa: E731
    measure(f"import.listings_{rows}", run, rows)
    again = _exported(facilitator, network)
    rerun = lambda: listings_import(actor=facilitator, network=network, table=again)  # noqa: E731
    measure(f"import.listings_{rows}_unchanged_again", rerun, len(again.rows))


def _exported(facilitator: Any, network: Any) -> Any:
    """What is now stored, exported as a table: imported again, every row is unchanged."""
    from metalloop.common.tabular import Table, TableRow
    from metalloop.exchange.services import LISTING_COLUMNS, listing_export_rows

    exported = listing_export_rows(actor=facilitator, network=network)
    return Table(
        columns=LISTING_COLUMNS,
        rows=[TableRow(line=n + 2, cells=row) for n, row in enumerate(exported)],
    )


def bench_registry(rows: int) -> None:
    from metalloop.common.tabular import Table, TableRow
    from metalloop.network.services.transfer import organisations_import, sites_import

    organisations = Table(
        columns=["slug", "name", "kind", "roles", "networks"],
        rows=[
            TableRow(
                line=n + 2,
                cells={
                    "slug": f"bench-{n:05d}",
                    "name": f"Bench Metallverarbeitung {n:05d} GmbH",
                    "kind": "company",
                    "roles": "manufacturing;collection",
                    "networks": NETWORK,
                },
            )
            for n in range(rows)
        ],
    )
    measure(
        f"import.organisations_{rows}",
        lambda: organisations_import(actor=None, table=organisations),
        rows,
    )
    sites = Table(
        columns=["organisation", "name", "place", "postcode"],
        rows=[
            TableRow(
                line=n + 2,
                cells={
                    "organisation": f"bench-{n:05d}",
                    "name": "Werk",
                    "place": PLACES[n % len(PLACES)][0],
                    "postcode": PLACES[n % len(PLACES)][1],
                },
            )
            for n in range(rows)
        ],
    )
    measure(f"import.sites_{rows}", lambda: sites_import(actor=None, table=sites), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows per import (20000)")
    parser.add_argument(
        "--only", choices=("listings", "registry"), help="run one of the two benchmarks"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from metalloop.network.demo import demo_load

    call_command("migrate", verbosity=0)
    demo_load(if_empty=True)
    if args.only in (None, "listings"):
        bench_listings(args.rows)
    if args.only in (None, "registry"):
        bench_registry(args.rows)


if __name__ == "__main__":
    main()
