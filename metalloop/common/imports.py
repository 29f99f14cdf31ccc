"""All-or-nothing imports of tables: a savepoint per row, every error by line and column.

An app describes its table (:class:`TableSpec`) and how one row is written (a function that
calls the app's services and returns a :class:`RowOutcome`); :func:`table_import` runs the
rows in one transaction, collects what the services refuse, and rolls everything back with
:class:`ImportRejected` when any row failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metalloop.common.errors import ApplicationError, validation_messages
from metalloop.common.tabular import Table, TableRow
from metalloop.common.text import refused_character_error

HEADER_LINE = 1


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
    """One row of an import failed; raised by row functions for errors found before a
    service is called."""

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


RowImporter = Callable[[TableRow], RowOutcome]


def table_import(*, table: Table, spec: TableSpec, import_row: RowImporter) -> ImportResult:
    """Import every row in its own savepoint; if any fails, roll back all and raise."""
    header_errors = _header_errors(table.columns, spec)
    if header_errors:
        raise ImportRejected(header_errors)
    outcomes: list[RowOutcome] = []
    errors: list[RowError] = []
    first_lines = _first_lines(table.rows, spec.key)
    with transaction.atomic():
        for row in table.rows:
            try:
                _refuse_repetition(row, first_lines, spec.key)
                outcomes.append(_import_one(row, import_row))
            except RowRejected as rejected:
                errors.extend(rejected.errors)
        if errors:
            raise ImportRejected(errors)
    return ImportResult(**{outcome.value: outcomes.count(outcome) for outcome in RowOutcome})


def _import_one(row: TableRow, import_row: RowImporter) -> RowOutcome:
    _refuse_harmful_cells(row)
    try:
        with transaction.atomic():
            return import_row(row)
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


def _refuse_harmful_cells(row: TableRow) -> None:
    """Refuse control characters in any cell before a cell is looked up or stored (PostgreSQL
    cannot even compare with a text holding U+0000); the fields check line breaks."""
    errors = [
        RowError(row.line, column, error.messages[0])
        for column, text in row.cells.items()
        if (error := refused_character_error(text, single_line=False)) is not None
    ]
    if errors:
        raise RowRejected(errors)


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
