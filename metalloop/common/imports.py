"""All-or-nothing imports of tables: check every row first, then write them all at once.

An app describes its table (:class:`TableSpec`), how one row is checked (a planner: it reads
what it needs, calls the same validation functions as the app's services, and returns a
:class:`RowPlan` without writing anything) and how the planned writes are made (a writer
that saves them with bulk operations and records them in the audit trail).
:func:`table_import` plans every row outside any transaction, collecting every error by line
and column; only when the whole file is valid does it open one transaction and call the
writer, so the database's write lock (SQLite locks the whole file) is held only for the bulk
writes. Any error rolls everything back with :class:`ImportRejected`.

Files are refused above the limits of the settings ``IMPORT_MAX_BYTES`` and
``IMPORT_MAX_ROWS`` before they are parsed in full (:func:`read_import_file`,
:func:`read_import_upload`).
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metalloop.common.bulk import BulkWrite
from metalloop.common.errors import ApplicationError, validation_messages
from metalloop.common.tabular import (
    Table,
    TableRow,
    parse_table,
    read_table,
    too_many_bytes,
)
from metalloop.common.text import refused_character_error

HEADER_LINE = 1
logger = logging.getLogger(__name__)


class RowOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowError:
    """What is wrong with one cell (or one row, when ``field`` is empty) of an import."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if self.field:
            return _("line %(line)d, %(field)s: %(message)s") % asdict(self)
        return _("line %(line)d: %(message)s") % asdict(self)


class ImportRejected(ApplicationError):
    """Some rows of an import are invalid; nothing was written. ``errors`` lists them all."""

    def __init__(self, errors: list[RowError]) -> None:
        lines = len({error.line for error in errors})
        message = ngettext(
            "nothing was imported: %(count)d row with errors",
            "nothing was imported: %(count)d rows with errors",
            lines,
        ) % {"count": lines}
        super().__init__(
            message, code="import_rejected", extra={"errors": [asdict(e) for e in errors]}
        )
        self.errors = errors


class RowRejected(Exception):
    """One row of an import failed; raised by planners for errors found before (or instead
    of) a validation function of the services."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    """How many records an import created, updated, and found unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class TableSpec:
    """The columns a table may have, those it must have, and those naming one record."""

    columns: list[str]
    required: tuple[str, ...]
    key: tuple[str, ...]


@dataclass(frozen=True)
class RowPlan:
    """What one valid row will do: its outcome and the prepared write (none if unchanged)."""

    outcome: RowOutcome
    write: Any = None


@dataclass(frozen=True)
class PlannedRow:
    """A row of the file with the write planned for it."""

    row: TableRow
    write: Any


RowPlanner = Callable[[TableRow], RowPlan]
Planner = Callable[[Table], RowPlanner]
"""Given the whole table, return the function that plans one row (a planner may look up
what all rows name at once before it plans the first)."""
Writer = Callable[[Sequence[PlannedRow]], BulkWrite]
"""Prepare the writes of every planned row (outside any transaction); the import makes them
by calling the result inside its transaction."""


def table_import(*, table: Table, spec: TableSpec, plan: Planner, write: Writer) -> ImportResult:
    """Check every row without writing; when all are valid, write them in one transaction."""
    header_errors = _header_errors(table.columns, spec)
    if header_errors:
        raise ImportRejected(header_errors)
    started = time.perf_counter()
    plans, errors = _plan_all(table, spec, plan)
    if errors:
        raise ImportRejected(errors)
    checked = time.perf_counter()
    writes = [PlannedRow(row, plan.write) for row, plan in plans if plan.write is not None]
    make_writes = write(writes) if writes else None
    prepared = time.perf_counter()
    if make_writes is not None:
        _write_all(make_writes)
    logger.info(
        "import of %d rows: checked in %.2f s, writes prepared in %.2f s, written in %.2f s",
        len(table.rows),
        checked - started,
        prepared - checked,
        time.perf_counter() - prepared,
    )
    outcomes = [plan.outcome for _row, plan in plans]
    return ImportResult(**{outcome.value: outcomes.count(outcome) for outcome in RowOutcome})


def _plan_all(
    table: Table, spec: TableSpec, plan: Planner
) -> tuple[list[tuple[TableRow, RowPlan]], list[RowError]]:
    errors: list[RowError] = []
    clean: list[TableRow] = []
    for row in table.rows:
        harmful = _harmful_cells(row)
        errors.extend(harmful)
        if not harmful:
            clean.append(row)
    first_lines = _first_lines(clean, spec.key)
    plan_row = plan(Table(columns=table.columns, rows=clean))  # looks up what the rows name
    plans: list[tuple[TableRow, RowPlan]] = []
    for row in clean:
        try:
            _refuse_repetition(row, first_lines, spec.key)
            plans.append((row, plan_one(row, plan_row)))
        except RowRejected as rejected:
            errors.extend(rejected.errors)
    errors.sort(key=lambda error: error.line)
    return plans, errors


def _write_all(write: BulkWrite) -> None:
    try:
        with _no_garbage_collection(), _checkpoint_after(), transaction.atomic():
            write()
    except IntegrityError as conflict:
        # Another write between the check and this transaction (a record the file names was
        # deleted, or the same name was taken): the database refused, and nothing was written.
        raise ApplicationError(
            _(
                "The stored data changed while the file was being checked; nothing was "
                "imported. Import the file again."
            ),
            code="import_conflict",
        ) from conflict
    finally:
        write.discard()


@contextmanager
def _checkpoint_after() -> Iterator[None]:
    """On SQLite, copy the write-ahead log into the database after the commit, not in it.

    With its default automatic checkpoint the COMMIT of a large write would also copy the
    log's pages (tens of MB) before it returns; the lock is free by then, but the import
    would wait. A passive checkpoint right after does the same without blocking anyone.
    """
    if connection.vendor != "sqlite" or not connection.get_autocommit():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        pages = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {pages}")
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """Keep Python's cycle collector from pausing the write while it holds the lock.

    The checked rows of a large file are millions of objects; a full collection that the
    write's few allocations happen to trigger would scan them all, holding every other
    writer back for nothing (the write creates no garbage cycles worth collecting now).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan_one(row: TableRow, plan_row: RowPlanner) -> RowPlan:
    """Plan one row; every error of the services becomes an error of its line."""
    try:
        return plan_row(row)
    except ValidationError as invalid:
        raise RowRejected(
            [
                RowError(row.line, "" if field == "__all__" else field, message)
                for field, messages in validation_messages(invalid).items()
                for message in messages
            ]
        ) from invalid
    except (PermissionDenied, ApplicationError) as refused:
        message = str(getattr(refused, "message", refused))
        raise RowRejected([RowError(row.line, "", message)]) from refused


def chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``size``, for lookups by many ids (``pk__in``) within the
    parameter limits of the databases."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def refuse_stale(rows: Sequence[PlannedRow], stale: Callable[[Any], bool]) -> None:
    """Reject the import when records its rows change were changed since they were checked.

    Called by writers inside the transaction: the rows were checked against what was stored
    then, and writing them now would silently undo the other person's change.
    """
    lines = [planned.row.line for planned in rows if stale(planned.write)]
    if lines:
        message = _(
            "Someone else changed this record while the file was being checked; import the "
            "file again."
        )
        raise ImportRejected([RowError(line, "", message) for line in lines])


def _harmful_cells(row: TableRow) -> list[RowError]:
    """Control characters in any cell, refused before a cell is looked up or stored
    (PostgreSQL cannot even compare with a text holding U+0000); the fields check line
    breaks."""
    return [
        RowError(row.line, column, error.messages[0])
        for column, text in row.cells.items()
        if (error := refused_character_error(text, single_line=False)) is not None
    ]


def _header_errors(columns: list[str], spec: TableSpec) -> list[RowError]:
    known = ", ".join(spec.columns)
    unknown = [
        RowError(
            HEADER_LINE, column, _("Unknown column; the columns are: %(known)s.") % {"known": known}
        )
        for column in columns
        if column not in spec.columns
    ]
    missing = [
        RowError(HEADER_LINE, column, _("This column is missing; it is required."))
        for column in spec.required
        if column not in columns
    ]
    return unknown + missing


def _key_of(row: TableRow, key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(row.cells.get(column, "") for column in key)


def _first_lines(rows: list[TableRow], key: tuple[str, ...]) -> dict[tuple[str, ...], int]:
    first: dict[tuple[str, ...], int] = {}
    for row in rows:
        first.setdefault(_key_of(row, key), row.line)
    return first


def _refuse_repetition(
    row: TableRow, first_lines: dict[tuple[str, ...], int], key: tuple[str, ...]
) -> None:
    value = _key_of(row, key)
    first_line = first_lines[value]
    if all(value) and first_line != row.line:
        message = _("Line %(line)d describes the same record already.") % {"line": first_line}
        raise RowRejected([RowError(row.line, key[-1], message)])


# --- reading files within the limits ------------------------------------------------------------


@dataclass(frozen=True)
class ImportLimits:
    """The largest file [bytes] and the most rows under its header an import takes."""

    max_bytes: int
    max_rows: int


def import_limits() -> ImportLimits:
    """The limits of the settings (``METALLOOP_IMPORT_MAX_BYTES``, ``_MAX_ROWS``)."""
    return ImportLimits(max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS)


def read_import_file(path: Path, format: str | None = None) -> Table:
    """Read a table to import from a file; refuse it above the limits before parsing it."""
    limits = import_limits()
    return read_table(path, format, max_bytes=limits.max_bytes, max_rows=limits.max_rows)


def read_import_upload(upload: Any, format: str | None = None) -> Table:
    """Read an uploaded table to import (XLSX by ``format`` or a name ending in .xlsx, else
    CSV); refuse it above the limits before reading it."""
    limits = import_limits()
    if upload.size > limits.max_bytes:
        raise too_many_bytes(upload.size, limits.max_bytes)
    chosen = format or ("xlsx" if (upload.name or "").lower().endswith(".xlsx") else "csv")
    return parse_table(upload.read(), chosen, max_rows=limits.max_rows)
