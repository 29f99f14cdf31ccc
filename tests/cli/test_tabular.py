"""Reading and writing tables: CSV as Excel writes it (",", ";", BOM) and XLSX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from metalloop.common.tabular import (
    Table,
    TableError,
    TableRow,
    format_csv,
    parse_csv,
    read_table,
    write_table,
)


def test_parse_csv_reads_a_comma_separated_table_with_line_numbers():
    table = parse_csv("name,place\nAcme,Duisburg\nBeta,Essen\n")

    assert table == Table(
        columns=["name", "place"],
        rows=[
            TableRow(line=2, cells={"name": "Acme", "place": "Duisburg"}),
            TableRow(line=3, cells={"name": "Beta", "place": "Essen"}),
        ],
    )


def test_parse_csv_sniffs_the_semicolon_and_tolerates_the_byte_order_mark():
    table = parse_csv('\ufeffname;roles\r\nAcme;"collection;manufacturing"\r\n')

    assert table.columns == ["name", "roles"]
    assert table.rows == [
        TableRow(line=2, cells={"name": "Acme", "roles": "collection;manufacturing"})
    ]


def test_parse_csv_keeps_commas_inside_cells_of_a_semicolon_table():
    table = parse_csv("name;description\nAcme;Schrott, Späne und Bleche\n")

    assert table.rows[0].cells == {"name": "Acme", "description": "Schrott, Späne und Bleche"}


def test_parse_csv_skips_empty_rows_and_counts_lines_of_multiline_cells():
    text = 'name,description\n\nAcme,"two\nlines"\n,\n  ,  \nBeta,one line\n'

    table = parse_csv(text)

    assert [(row.line, row.cells["name"]) for row in table.rows] == [(3, "Acme"), (7, "Beta")]
    assert table.rows[0].cells["description"] == "two\nlines"


def test_parse_csv_strips_cells_and_fills_short_rows():
    table = parse_csv("name, place ,state\n Acme ,Duisburg\n")

    assert table.columns == ["name", "place", "state"]
    assert table.rows[0].cells == {"name": "Acme", "place": "Duisburg", "state": ""}


def test_parse_csv_ignores_empty_trailing_cells_that_excel_writes():
    table = parse_csv("name;place;;\nAcme;Duisburg;;\n")

    assert table.columns == ["name", "place"]
    assert table.rows[0].cells == {"name": "Acme", "place": "Duisburg"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The table is empty: its first line must name the columns."),
        ("\n ; \n", "The table is empty: its first line must name the columns."),
        ("name,place,name\n", "Line 1: the header names these columns more than once: name."),
        ("name,,place\n", "Line 1: column 2 has no name in the header."),
        (
            "name,place\nAcme,Duisburg,NW\n",
            "Line 2 has 3 cells, but the header names only 2 columns.",
        ),
    ],
)
def test_parse_csv_refuses_a_malformed_table_in_one_line(text, message):
    with pytest.raises(TableError) as error:
        parse_csv(text)

    assert str(error.value) == message


def test_read_table_takes_the_format_from_the_suffix(tmp_path: Path):
    path = tmp_path / "sites.csv"
    path.write_bytes("\ufeffname;place\nAcme;Lüdenscheid\n".encode())

    assert read_table(path).rows[0].cells == {"name": "Acme", "place": "Lüdenscheid"}


def test_read_table_reads_the_first_sheet_of_a_workbook_as_text(tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["postcode", "latitude", "founded", "stamp", "member", "empty"])
    sheet.append([47051, 51.43247, dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 9, 30), True, None])
    sheet.append([None, None, None, None, None, None])
    sheet.append([1067.0, -6.5, dt.datetime(2024, 3, 2), None, False, " x "])
    workbook.create_sheet("ignored").append(["other"])
    path = tmp_path / "table.xlsx"
    workbook.save(path)

    table = read_table(path)

    assert table.columns == ["postcode", "latitude", "founded", "stamp", "member", "empty"]
    assert table.rows == [
        TableRow(
            line=2,
            cells={
                "postcode": "47051",
                "latitude": "51.43247",
                "founded": "2024-03-01",
                "stamp": "2024-03-01T09:30:00",
                "member": "true",
                "empty": "",
            },
        ),
        TableRow(
            line=4,
            cells={
                "postcode": "1067",
                "latitude": "-6.5",
                "founded": "2024-03-02",
                "stamp": "",
                "member": "false",
                "empty": "x",
            },
        ),
    ]


def test_read_table_with_an_explicit_format_ignores_the_suffix(tmp_path: Path):
    path = tmp_path / "export.txt"
    path.write_text("name\nAcme\n", encoding="utf-8")

    assert read_table(path, "csv").rows == [TableRow(line=2, cells={"name": "Acme"})]


def test_read_table_explains_what_it_cannot_read(tmp_path: Path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("name\nLüdenscheid\n".encode("latin-1"))
    not_a_workbook = tmp_path / "fake.xlsx"
    not_a_workbook.write_text("name\n", encoding="utf-8")

    messages = []
    for path, format in [
        (tmp_path / "missing.csv", None),
        (tmp_path / "table.ods", None),
        (tmp_path / "table.csv", "ods"),
        (latin1, None),
        (not_a_workbook, None),
    ]:
        with pytest.raises(TableError) as error:
            read_table(path, format)
        messages.append(str(error.value))

    assert messages == [
        f"Cannot read {tmp_path / 'missing.csv'}: No such file or directory.",
        f"Cannot tell the format of {tmp_path / 'table.ods'} from its name: give the format "
        "(csv or xlsx).",
        "Unknown table format ods: use csv or xlsx.",
        f"{latin1} is not UTF-8 text (byte 7): save it as “CSV UTF-8”.",
        "The file is not an XLSX workbook.",
    ]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_write_table_writes_what_read_table_reads_back(tmp_path: Path, suffix):
    columns = ["name", "postcode", "description"]
    rows = [
        {"name": "Acme", "postcode": "01067", "description": '=SUM(A1) "quoted"; and, more'},
        {"name": "Beta", "postcode": "", "description": "two\nlines"},
    ]
    path = tmp_path / f"table.{suffix}"

    write_table(path, columns, rows)

    assert read_table(path) == Table(
        columns=columns,
        rows=[TableRow(line=2, cells=rows[0]), TableRow(line=3, cells=rows[1])],
    )


def test_write_table_keeps_text_that_looks_like_a_formula_as_text_in_xlsx(tmp_path: Path):
    path = tmp_path / "table.xlsx"

    write_table(path, ["description"], [{"description": '=HYPERLINK("http://x")'}])

    cell = load_workbook(path).active["A2"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://x")', "s")
    assert read_table(path).rows[0].cells == {"description": '=HYPERLINK("http://x")'}


def test_write_table_writes_csv_with_a_byte_order_mark_for_excel(tmp_path: Path):
    path = tmp_path / "table.csv"

    write_table(path, ["name", "place"], [{"name": "Acme", "place": "Lüdenscheid"}])

    assert path.read_bytes() == '\ufeff"name","place"\r\n"Acme","Lüdenscheid"\r\n'.encode()


def test_format_csv_quotes_every_cell_so_no_delimiter_starts_a_cell():
    text = format_csv(["name", "roles"], [{"name": 'Acme "Metall"', "roles": "a;=b"}])

    assert text == '"name","roles"\r\n"Acme ""Metall""","a;=b"\r\n'
