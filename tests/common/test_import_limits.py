"""Import limits: a file above the size or row limit is refused before it is parsed in full."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from metalloop.common.imports import import_limits, read_import_file, read_import_upload
from metalloop.common.tabular import TableError, TableTooLarge, parse_csv, parse_xlsx, read_table


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_rows(count: int, *, tail: str = "") -> str:
    return "name,place\n" + "".join(f"Acme {n},Duisburg\n" for n in range(count)) + tail


def workbook_rows(count: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "place"])
    for n in range(count):
        sheet.append([f"Acme {n}", "Duisburg"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_table_with_exactly_the_most_rows_is_read_whole():
    assert len(parse_csv(csv_rows(5), max_rows=5).rows) == 5
    assert len(parse_xlsx(workbook_rows(5), max_rows=5).rows) == 5


def test_one_row_more_is_refused_with_the_limit_named():
    with pytest.raises(TableTooLarge) as csv_error:
        parse_csv(csv_rows(6), max_rows=5)
    with pytest.raises(TableTooLarge) as xlsx_error:
        parse_xlsx(workbook_rows(6), max_rows=5)

    message = (
        "The table has more than 5 rows; at most 5 rows are imported at once. Split it into "
        "several files."
    )
    assert str(csv_error.value) == str(xlsx_error.value) == message
    assert (csv_error.value.limit, csv_error.value.maximum) == ("rows", 5)


def test_reading_stops_at_the_limit_before_the_rest_is_parsed():
    # Line 8 has a cell too many: read in full, the table is refused for it; with a limit
    # of five rows the reading stops before.
    broken_tail = "Acme,Duisburg,NW\n"
    with pytest.raises(TableError, match="Line 8 has 3 cells"):
        parse_csv(csv_rows(6, tail=broken_tail))
    with pytest.raises(TableTooLarge):
        parse_csv(csv_rows(6, tail=broken_tail), max_rows=5)


def test_empty_rows_do_not_count():
    assert len(parse_csv("name,place\n\n\n , \nAcme,Essen\n\n", max_rows=1).rows) == 1


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(tmp_path: Path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"name\n" + b"x" * 2000)

    with pytest.raises(TableTooLarge) as error:
        read_table(path, max_bytes=1024)

    assert str(error.value) == (
        "The file is too large (2.0\xa0KB); at most 1.0\xa0KB are imported at once. Split it "
        "into several files."
    )
    assert (error.value.limit, error.value.maximum) == ("bytes", 1024)


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 50_000_000)

    with pytest.raises(TableTooLarge) as error:
        parse_xlsx(buffer.getvalue())

    assert str(error.value) == (
        "The workbook unpacks to 47.7\xa0MB; that is more than a table of its size holds."
    )


def test_the_settings_set_the_limits_of_files_and_uploads(settings, tmp_path: Path):
    settings.IMPORT_MAX_BYTES = 100
    settings.IMPORT_MAX_ROWS = 2
    path = tmp_path / "sites.csv"
    path.write_text(csv_rows(3), encoding="utf-8")
    small = tmp_path / "small.csv"
    small.write_text(csv_rows(2), encoding="utf-8")

    assert (import_limits().max_bytes, import_limits().max_rows) == (100, 2)
    assert len(read_import_file(small).rows) == 2
    with pytest.raises(TableTooLarge, match="more than 2 rows"):
        read_import_file(path)
    upload = SimpleUploadedFile("sites.csv", b"name\n" + b"x" * 200)
    with pytest.raises(TableTooLarge, match="too large \\(205\xa0bytes\\)"):
        read_import_upload(upload)
    settings.IMPORT_MAX_BYTES = 1_000_000
    with pytest.raises(TableTooLarge, match="more than 2 rows"):
        read_import_upload(SimpleUploadedFile("sites.xlsx", workbook_rows(3)))


def test_the_default_limits_take_a_network_of_twenty_thousand_listings(settings):
    assert import_limits().max_rows == 20_000
    assert import_limits().max_bytes == 16 * 1024 * 1024


def test_the_refusal_reads_in_german(settings):
    settings.IMPORT_MAX_ROWS = 20_000
    with translation.override("de"), pytest.raises(TableTooLarge) as error:
        parse_csv(csv_rows(3), max_rows=2)
    assert str(error.value) == (
        "Die Tabelle hat mehr als 2 Zeilen; höchstens 2 Zeilen werden auf einmal importiert. "
        "Teilen Sie sie auf mehrere Dateien auf."
    )
