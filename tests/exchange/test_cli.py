"""``metalloop listings import|export|expire|sweep-files``: thin commands, one-line errors, exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from metalloop.exchange.models import Listing
from tests.cli.conftest import fail_command, metalloop, migrated_database, run_command  # noqa: F401 - fixtures
from tests.exchange.conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROWS = (
    "side,kind,title,material,legal_status,form,quantity,unit,available_from,transport_modes\n"
    "offer,scrap,Stanzabfälle,MAT:steel-non-alloy,by_product,sheet,25,t,2026-03-01,road\n"
)


def write(tmp_path: Path, text: str, name: str = "listings.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_creates_the_listings_as_the_named_user(tmp_path, member, network, site):
    out, _ = run_command(
        "listings", "import", write(tmp_path, ROWS), "--network", network.slug, "--as", member.email
    )
    assert out.strip() == "listings: 1 created, 0 updated, 0 unchanged."
    assert Listing.objects.get().created_by == member


def test_a_rejected_import_prints_every_error_and_one_line(tmp_path, member, network, site):
    header, row = ROWS.splitlines()
    text = "\n".join([header, row.replace("25,t", "-3,t"), row.replace("2026-03-01", "gestern")])
    error, stderr = fail_command(
        "listings", "import", write(tmp_path, text), "--network", network.slug, "--as", member.email
    )
    assert error == "nothing was imported: 2 rows with errors"
    assert stderr.splitlines() == [
        "line 2, quantity: A quantity must be greater than zero.",
        "line 3, available_from: gestern is not a date; write 2026-03-31 or 31.03.2026.",
    ]
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--network", "nowhere", "--as", "{member}"],
            "network: You take part in no network with the short name nowhere.",
        ),
        (
            ["--network", "{network}", "--as", "nobody@example.org"],
            "No user has the e-mail address nobody@example.org.",
        ),
    ],
)
def test_import_and_export_refuse_an_unknown_network_or_user(
    tmp_path, member, network, arguments, message
):
    filled = [a.format(member=member.email, network=network.slug) for a in arguments]
    for command in (["import", write(tmp_path, ROWS)], ["export"]):
        error, _ = fail_command("listings", *command, *filled)
        assert error == message


def test_export_writes_csv_to_stdout_and_xlsx_to_a_file(
    tmp_path, member, network, make_listing, site
):
    make_listing(site)
    out, _ = run_command("listings", "export", "--network", network.slug, "--as", member.email)
    assert out.splitlines()[0].startswith('"id","side","kind","title"')
    assert len(out.splitlines()) == 2
    error, _ = fail_command(
        "listings", "export", "--network", network.slug, "--as", member.email, "--format", "xlsx"
    )
    assert error == "XLSX goes to a file: give one with -o FILE."
    target = tmp_path / "listings.xlsx"
    out, _ = run_command(
        "listings", "export", "--network", network.slug, "--as", member.email, "-o", str(target)
    )
    assert out.strip() == f"1 listings written to {target}."
    sheet = load_workbook(target).active
    assert sheet.cell(row=2, column=4).value == "Drehspäne 1.4301, sortenrein"


def test_expire_marks_listings_past_their_end(make_listing, site):
    listing = make_listing(site, available_until=TODAY)
    Listing.objects.filter(pk=listing.pk).update(  # time passed since it was placed
        available_from=TODAY - dt.timedelta(days=20), available_until=TODAY - dt.timedelta(days=1)
    )
    out, _ = run_command("listings", "expire")
    assert out.strip() == "1 listings expired."
    assert Listing.objects.get().status == "expired"


def test_sweep_files_deletes_attachment_files_without_their_record(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "exchange" / "attachments"
    folder.mkdir(parents=True)
    (folder / "0123abcd.pdf").write_bytes(b"%PDF-1.4 left over")
    out, _ = run_command("listings", "sweep-files", "--older-than-hours", "0")
    assert out.splitlines() == ["exchange/attachments/0123abcd.pdf", "1 files deleted."]
    assert not any(folder.iterdir())
    error, _ = fail_command("listings", "sweep-files", "--older-than-hours", "-1")
    assert error == "--older-than-hours cannot be negative."


def test_the_real_program_exports_the_demo_and_fails_with_a_non_zero_exit(metalloop, tmp_path):  # noqa: F811
    assert metalloop("demo", "load").returncode == 0
    exported = metalloop(
        "listings",
        "export",
        "--network",
        "landesforum-zirkulaere-wertschoepfung-nrw",
        "--as",
        "member@demo.metalloop.example",
    )
    assert exported.returncode == 0, exported.stderr
    lines = exported.stdout.splitlines()
    assert len(lines) > 150
    missing = metalloop(
        "listings",
        "import",
        "nothing.csv",
        "--network",
        "landesforum-zirkulaere-wertschoepfung-nrw",
        "--as",
        "member@demo.metalloop.example",
    )
    assert missing.returncode != 0
    assert missing.stderr.strip().splitlines() == [
        "CommandError: Cannot read nothing.csv: No such file or directory."
    ]


def test_a_file_above_the_limits_fails_in_one_line_before_it_is_read(
    tmp_path, settings, member, network, site
):
    settings.IMPORT_MAX_ROWS = 1
    header, row = ROWS.splitlines()
    rows_error, _ = fail_command(
        "listings", "import", write(tmp_path, "\n".join([header, row, row])),
        "--network", network.slug, "--as", member.email,
    )  # fmt: skip
    settings.IMPORT_MAX_BYTES = 10
    bytes_error, _ = fail_command(
        "listings", "import", write(tmp_path, ROWS), "--network", network.slug, "--as", member.email
    )

    assert rows_error == (
        "The table has more than 1 rows; at most 1 rows are imported at once. Split it into "
        "several files."
    )
    assert bytes_error == (
        f"The file is too large ({len(ROWS.encode())}\xa0bytes); at most 10\xa0bytes are "
        "imported at once. Split it into several files."
    )
    assert not Listing.objects.exists()
