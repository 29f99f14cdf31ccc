"""Read and write tables as CSV or XLSX: a header row naming the columns, then the rows.

CSV is read as UTF-8 (a byte order mark is tolerated) with the delimiter sniffed between
"," and ";" (German Excel writes ";"); XLSX is read from the first sheet. Every cell comes
back as a stripped string, and every row knows its line in the file (the header is line 1)
so that errors can point at it.

Readers take optional limits: a file above ``max_bytes`` is refused before it is read, and
one with more than ``max_rows`` rows under its header as soon as the row after the last
allowed one is reached (:class:`TableTooLarge`), so that an oversized file is never parsed
in full. A workbook is streamed row by row for the same reason.

Every file written here is safe to open in a spreadsheet (the OWASP guidance on CSV
injection, https://owasp.org/www-community/attacks/CSV_Injection):

- a cell that a spreadsheet would take for a formula (it begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) is written with a single quote in front, ``'=1+1``;
  also a cell that begins with quotes followed by one of those, so that the reader can take
  exactly the added quote off again (:func:`restore_formula_text`) and an export imports
  again unchanged;
- a number stays a number: a cell that is a plain decimal number (``-12.5``, ``+3``,
  ``1e-3``) cannot be a formula and is written as it is. Numbers are told apart by their
  text, not by their column, so that no export has to declare its columns and no text that
  happens to be a number is quoted;
- every CSV cell is enclosed in double quotes, so that a spreadsheet that splits lines at
  another delimiter (German Excel splits at ";") cannot start a new cell inside one;
- a character stored text may not hold (:mod:`metalloop.core.text`; text stored before the
  rule, or written around the services) is shown as U+FFFD, so that a file can always be
  written: XLSX cannot hold most control characters at all.

XLSX cells are written as text, never as formulas or numbers (a postcode such as 01067 must
keep its zero). XLSX is XML, which reads every line end as a line feed: a carriage return
comes back from an XLSX file as a line feed (CSV keeps it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from metalloop.core.text import replace_refused_characters

FORMATS = ("csv", "xlsx")
DELIMITERS = (",", ";")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""
FORMULA_QUOTE = "'"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_plain_number(text: str) -> bool:
    """Tell whether ``text`` is a plain decimal number, such as ``-12.5`` or ``1e-3``."""
    return _NUMBER.fullmatch(text) is not None


def _reads_as_formula(text: str) -> bool:
    return text.lstrip(FORMULA_QUOTE).startswith(FORMULA_STARTS)


def neutralise_formula(text: str) -> str:
    """Return ``text`` as a spreadsheet shows it as text: quoted where it reads as a formula."""
    if _reads_as_formula(text) and not is_plain_number(text):
        return FORMULA_QUOTE + text
    return text


def restore_formula_text(text: str) -> str:
    """Take off the quote :func:`neutralise_formula` added (its exact inverse on its output)."""
    if text.startswith(FORMULA_QUOTE) and _reads_as_formula(text):
        return text[len(FORMULA_QUOTE) :]
    return text


def export_cell(value: str) -> str:
    """Return a cell as a file shows it: refused characters replaced, formulas quoted."""
    return neutralise_formula(replace_refused_characters(value))


XLSX_EXPANSION = 20
"""How many times its size a workbook may unpack to: XLSX is a zip archive, and a small
archive could unpack to gigabytes of XML. Spreadsheet XML compresses about tenfold."""


class TableError(ValueError):
    """A table could not be read or written; the message is one line for the person."""


class TableTooLarge(TableError):
    """A table is above the size or row limit; nothing of it was parsed beyond the limit."""

    def __init__(self, message: str, *, limit: str, maximum: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.maximum = maximum


def too_many_bytes(size: int, max_bytes: int) -> TableTooLarge:
    """The refusal of a file of ``size`` bytes above ``max_bytes``."""
    return TableTooLarge(
        _(
            "The file is too large (%(size)s); at most %(limit)s are imported at once. "
            "Split it into several files."
        )
        % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        limit="bytes",
        maximum=max_bytes,
    )


def _too_many_rows(max_rows: int) -> TableTooLarge:
    return TableTooLarge(
        _(
            "The table has more than %(limit)s rows; at most %(limit)s rows are imported at "
            "once. Split it into several files."
        )
        % {"limit": number_format(max_rows, force_grouping=True)},
        limit="rows",
        maximum=max_rows,
    )


@dataclass(frozen=True)
class TableRow:
    """One row of a table: its line in the file and its cells by column name."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Table:
    """A header and the rows under it (empty rows are left out)."""

    columns: list[str]
    rows: list[TableRow]


def table_format(path: Path, format: str | None = None) -> str:
    """Return the format to use for ``path``: the given one, else the one its suffix names."""
    chosen = (format or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        if format:
            raise TableError(
                _("Unknown table format %(format)s: use csv or xlsx.") % {"format": format}
            )
        raise TableError(
            _("Cannot tell the format of %(path)s from its name: give the format (csv or xlsx).")
            % {"path": path}
        )
    return chosen


def read_table(
    path: Path,
    format: str | None = None,
    *,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> Table:
    """Read a CSV or XLSX table; the format comes from the suffix when not given."""
    chosen = table_format(path, format)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise too_many_bytes(size, max_bytes)
        data = path.read_bytes()
    except OSError as error:
        raise TableError(
            _("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": error.strerror}
        ) from error
    if chosen == "xlsx":
        return parse_xlsx(data, max_rows=max_rows)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(
            _("%(path)s is not UTF-8 text (byte %(position)d): save it as “CSV UTF-8”.")
            % {"path": path, "position": error.start + 1}
        ) from error
    return parse_csv(text, max_rows=max_rows)


def parse_table(data: bytes, format: str, *, max_rows: int | None = None) -> Table:
    """Parse the bytes of an uploaded CSV or XLSX table (``format`` is csv or xlsx)."""
    if format == "xlsx":
        return parse_xlsx(data, max_rows=max_rows)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(_("The file is not UTF-8 text: save it as “CSV UTF-8”.")) from error
    return parse_csv(text, max_rows=max_rows)


def parse_csv(text: str, *, max_rows: int | None = None) -> Table:
    """Parse CSV text whose first non-empty line is the header."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    records = []
    previous_end = 0
    filled = _RowCounter(max_rows)
    try:
        for cells in reader:
            filled.count(cells)
            records.append((previous_end + 1, cells))
            previous_end = reader.line_num
    except csv.Error as error:
        raise TableError(
            _("Line %(line)d cannot be read as CSV: %(reason)s.")
            % {"line": previous_end + 1, "reason": error}
        ) from error
    return _table_from_records(records)


class _RowCounter:
    """Counts the filled rows of a table as they are read and stops at the row limit."""

    def __init__(self, max_rows: int | None) -> None:
        # The header is a filled row too; the limit counts the rows under it.
        self.allowed = None if max_rows is None else max_rows + 1
        self.filled = 0

    def count(self, cells: Iterable[Any]) -> None:
        if self.allowed is None or not any(_cell_text(cell) for cell in cells):
            return
        self.filled += 1
        if self.filled > self.allowed:
            raise _too_many_rows(self.allowed - 1)


def _sniff_delimiter(text: str) -> str:
    header = next((line for line in _first_lines(text) if line.strip()), "").rstrip("\r")
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])


def _first_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one by one, without splitting all of a large text at once."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield text[start:end]
        start = end + 1


def parse_xlsx(data: bytes, *, max_rows: int | None = None) -> Table:
    """Parse the first sheet of an XLSX workbook whose first non-empty row is the header."""
    unreadable = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError)
    try:
        _refuse_zip_bomb(data)
    except TableError:
        raise
    except unreadable as error:
        raise TableError(_("The file is not an XLSX workbook.")) from error
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation, conditional formats);
            # they do not matter for the values, and the person could do nothing about them.
            warnings.simplefilter("ignore", UserWarning)
            # Read-only mode streams the rows, so a row limit stops reading at the limit.
            workbook = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except unreadable as error:
        raise TableError(_("The file is not an XLSX workbook.")) from error
    try:
        filled = _RowCounter(max_rows)
        records = []
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            filled.count(values)
            records.append((number, [_cell_text(value) for value in values]))
    except TableError:
        raise
    except unreadable as error:
        raise TableError(_("The file is not an XLSX workbook.")) from error
    finally:
        workbook.close()
    return _table_from_records(records)


def _refuse_zip_bomb(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to far more than a table of its size holds."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > XLSX_EXPANSION * max(len(data), 1_000_000):
        raise TableTooLarge(
            _("The workbook unpacks to %(size)s; that is more than a table of its size holds.")
            % {"size": filesizeformat(unpacked)},
            limit="bytes",
            maximum=XLSX_EXPANSION * len(data),
        )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _table_from_records(records: list[tuple[int, list[str]]]) -> Table:
    filled = [
        (line, [restore_formula_text(cell.strip()) for cell in cells])
        for line, cells in records
        if any(cell.strip() for cell in cells)
    ]
    if not filled:
        raise TableError(_("The table is empty: its first line must name the columns."))
    (header_line, header), body = filled[0], filled[1:]
    columns = _columns(header_line, header)
    rows = [TableRow(line, _cells(line, columns, values)) for line, values in body]
    return Table(columns=columns, rows=rows)


def _columns(line: int, header: list[str]) -> list[str]:
    while header and not header[-1]:
        header = header[:-1]
    for position, name in enumerate(header, start=1):
        if not name:
            raise TableError(
                _("Line %(line)d: column %(position)d has no name in the header.")
                % {"line": line, "position": position}
            )
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise TableError(
            _("Line %(line)d: the header names these columns more than once: %(names)s.")
            % {"line": line, "names": ", ".join(duplicates)}
        )
    return header


def _cells(line: int, columns: list[str], values: list[str]) -> dict[str, str]:
    extra = values[len(columns) :]
    if any(extra):
        raise TableError(
            _("Line %(line)d has %(count)d cells, but the header names only %(columns)d columns.")
            % {"line": line, "count": len(values), "columns": len(columns)}
        )
    padded = values + [""] * (len(columns) - len(values))
    return dict(zip(columns, padded, strict=False))


def format_csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    """Return the rows as CSV text (comma-separated, every cell quoted, a header line first)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for values in _export_lines(columns, rows):
        writer.writerow(values)
    return buffer.getvalue()


def _export_lines(columns: list[str], rows: list[dict[str, str]]) -> list[list[str]]:
    """The header and the rows' cells in column order, each as a file shows it."""
    lines = [columns, *([row.get(column, "") for column in columns] for row in rows)]
    return [[export_cell(value) for value in values] for values in lines]


def write_table(
    path: Path, columns: list[str], rows: list[dict[str, str]], format: str | None = None
) -> None:
    """Write the rows as CSV (UTF-8 with a byte order mark, for Excel) or XLSX."""
    chosen = table_format(path, format)
    try:
        if chosen == "xlsx":
            _write_xlsx(path, columns, rows)
        else:
            path.write_text(format_csv(columns, rows), encoding="utf-8-sig", newline="")
    except OSError as error:
        raise TableError(
            _("Cannot write %(path)s: %(reason)s.") % {"path": path, "reason": error.strerror}
        ) from error


def _write_xlsx(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    _workbook(columns, rows).save(path)


def format_xlsx(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    """Return the rows as an XLSX workbook (one sheet, a header row first)."""
    buffer = io.BytesIO()
    _workbook(columns, rows).save(buffer)
    return buffer.getvalue()


def _workbook(columns: list[str], rows: list[dict[str, str]]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for number, values in enumerate(_export_lines(columns, rows), start=1):
        for position, value in enumerate(values, start=1):
            if value:
                cell = sheet.cell(row=number, column=position, value=value)
                # Text stays text: a cell starting with "=" must never become a formula.
                cell.data_type = "s"
    return workbook
