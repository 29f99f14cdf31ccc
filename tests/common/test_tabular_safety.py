"""Cells of exported files: formulas are neutralised (OWASP), numbers stay numbers, refused
characters are replaced, and the reader restores exactly what was written (property tests)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metalloop.common.tabular import (
    FORMULA_STARTS,
    export_cell,
    format_csv,
    format_xlsx,
    is_plain_number,
    neutralise_formula,
    parse_csv,
    parse_xlsx,
    restore_formula_text,
)
from metalloop.core.text import first_refused_character, replace_refused_characters

ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=30)
NUMBERS = st.from_regex(r"\A[+-]?(\d{1,6}(\.\d{0,4})?|\.\d{1,4})([eE][+-]?\d{1,3})?\Z")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+SUM(A1:A3)", "'+SUM(A1:A3)"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("''+1", "'''+1"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("-1e-3", "-1e-3"),
        ("-.5", "-.5"),
        ("01067", "01067"),
        ("'quoted'", "'quoted'"),
        ("Stahl = Eisen", "Stahl = Eisen"),
        ("", ""),
    ],
)
def test_formula_cells_get_a_quote_and_numbers_and_plain_text_do_not(text, written):
    assert neutralise_formula(text) == written
    assert restore_formula_text(written) == text


@given(ANY_TEXT)
def test_an_exported_cell_is_never_a_formula_and_holds_no_refused_character(text):
    cell = export_cell(text)

    assert first_refused_character(cell) is None
    assert not cell.startswith(FORMULA_STARTS) or is_plain_number(cell)
    assert restore_formula_text(cell) == replace_refused_characters(text)


@given(NUMBERS)
def test_a_plain_number_is_written_as_it_is(number):
    assert export_cell(number) == number


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=150)
@given(
    st.lists(
        st.one_of(ANY_TEXT, st.sampled_from(["a\r\nb", "=1\r2", "'-x"])), min_size=1, max_size=4
    ).filter(
        lambda texts: all(
            replace_refused_characters(t) == replace_refused_characters(t).strip() for t in texts
        )
    ),
    st.sampled_from(["csv", "xlsx"]),
)
def test_a_written_table_reads_back_as_it_was_shown(texts, format):
    columns = ["id", *(f"c{n}" for n in range(len(texts)))]
    rows = [{"id": "1"} | {f"c{n}": text for n, text in enumerate(texts)}]

    if format == "csv":
        table = parse_csv(format_csv(columns, rows))
    else:
        table = parse_xlsx(format_xlsx(columns, rows))

    assert table.columns == columns
    assert [row.cells for row in table.rows] == [
        {"id": "1"} | {f"c{n}": shown(t, format) for n, t in enumerate(texts)}
    ]


def shown(text: str, format: str) -> str:
    """What a file gives back: refused characters replaced; XLSX is XML, which reads every
    line end as a line feed."""
    text = replace_refused_characters(text)
    return text if format == "csv" else text.replace("\r\n", "\n").replace("\r", "\n")


def test_a_leading_tab_or_carriage_return_survives_the_round_trip_behind_its_quote():
    rows = [{"a": "\t=1+1", "b": "\r@SUM(1)", "c": "-4.5"}]

    assert parse_csv(format_csv(["a", "b", "c"], rows)).rows[0].cells == rows[0]


def test_in_xlsx_a_leading_carriage_return_becomes_a_line_feed_and_stays_quoted():
    rows = [{"a": "\t=1+1", "b": "\r@SUM(1)", "c": "-4.5"}]

    cells = parse_xlsx(format_xlsx(["a", "b", "c"], rows)).rows[0].cells

    assert cells == {"a": "\t=1+1", "b": "'\n@SUM(1)", "c": "-4.5"}
