"""The installed ``metalloop`` program: exit codes and output of each command family.

Each test runs the real program in a subprocess against its own copy of a migrated SQLite
file, so what is checked here is what an operator sees in a shell. Output is read as text
with universal newlines, so the CSV's "\r\n" arrives as "\n".
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from metalloop.accounts import tokens

PASSWORD = "Schrottplatz-im-Ruhrgebiet-2024"


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def stored_digest(tmp_path: Path, prefix: str) -> tuple[str, str | None]:
    """Read a token's digest and revocation straight from the program's database."""
    with closing(sqlite3.connect(tmp_path / "var" / "db.sqlite3")) as connection:
        return connection.execute(
            "SELECT digest, revoked_at FROM accounts_apitoken WHERE prefix = ?", (prefix,)
        ).fetchone()


def test_import_and_export_organisations_and_sites(metalloop, tmp_path):
    organisations = write(
        tmp_path,
        "organisations.csv",
        'slug;name;kind;roles\nacme;Acme Metall;company;"collection;manufacturing"\n',
    )
    sites = write(
        tmp_path,
        "sites.csv",
        "organisation,name,place,state,latitude,longitude\n"
        "acme,Werk,Duisburg,,,\n"
        "acme,Labor,Dortmund,NW,51.5,7.45\n",
    )

    imported = metalloop("import", "organisations", organisations)
    located = metalloop("import", "sites", sites)
    exported = metalloop("export", "sites")

    assert (imported.returncode, imported.stdout, imported.stderr) == (
        0,
        "organisations: 1 created, 0 updated, 0 unchanged.\n",
        "",
    )
    assert (located.returncode, located.stdout) == (
        0,
        "sites: 2 created, 0 updated, 0 unchanged.\n",
    )
    assert (exported.returncode, exported.stdout) == (
        0,
        '"organisation","name","kind","street","postcode","place","state","latitude","longitude"\n'
        '"acme","Labor","plant","","","Dortmund","NW","51.5","7.45"\n'
        '"acme","Werk","plant","","","Duisburg","NW","",""\n',
    )


def test_a_rejected_import_exits_non_zero_with_the_errors_by_line(metalloop, tmp_path):
    organisations = write(tmp_path, "organisations.csv", "slug,name,kind\nacme,Acme,company\n")
    sites = write(
        tmp_path,
        "sites.csv",
        "organisation,name,place\nacme,Werk,Duisburg\nacme,Lager,Atlantis\n",
    )
    metalloop("import", "organisations", organisations)

    rejected = metalloop("import", "sites", sites)
    afterwards = metalloop("export", "sites")

    assert (rejected.returncode, rejected.stdout, rejected.stderr) == (
        1,
        "",
        "line 3, place: Atlantis is not in the gazetteer of German places. Check the spelling, "
        "or give the coordinates (latitude and longitude).\n"
        "CommandError: nothing was imported: 1 row with errors\n",
    )
    assert afterwards.stdout == (
        '"organisation","name","kind","street","postcode","place","state","latitude","longitude"\n'
    )


def test_export_to_a_file_and_a_missing_file_to_import(metalloop, tmp_path):
    exported = metalloop("export", "organisations", "-o", str(tmp_path / "o.xlsx"))
    missing = metalloop("import", "organisations", str(tmp_path / "missing.csv"))

    assert (exported.returncode, exported.stdout) == (
        0,
        f"0 organisations written to {tmp_path / 'o.xlsx'}.\n",
    )
    assert (tmp_path / "o.xlsx").stat().st_size > 0
    assert (missing.returncode, missing.stderr) == (
        1,
        f"CommandError: Cannot read {tmp_path / 'missing.csv'}: No such file or directory.\n",
    )


def test_user_create_and_its_refusals(metalloop):
    created = metalloop(
        "user",
        "create",
        "--email",
        "admin@example.org",
        "--role",
        "admin",
        "--password-stdin",
        stdin=f"{PASSWORD}\n",
    )
    duplicate = metalloop("user", "create", "--email", "admin@example.org", "--role", "admin")
    weak = metalloop(
        "user", "create", "--email", "b@example.org", "--role", "admin", "--password", "kurz"
    )
    generated = metalloop("user", "create", "--email", "c@example.org", "--role", "admin")

    assert (created.returncode, created.stdout, created.stderr) == (
        0,
        "Created admin@example.org (admin).\n",
        "",
    )
    assert (duplicate.returncode, duplicate.stderr) == (
        1,
        "CommandError: email: A user with this e-mail address exists already.\n",
    )
    assert (weak.returncode, weak.stderr) == (
        1,
        "CommandError: password: This password is too short. It must contain at least 12 "
        "characters.\n",
    )
    assert generated.returncode == 0
    assert generated.stdout.startswith(
        "Created c@example.org (admin).\nPassword (shown only now): "
    )


def test_token_create_list_and_revoke(metalloop, tmp_path):
    metalloop("user", "create", "--email", "admin@example.org", "--role", "admin")

    created = metalloop("token", "create", "--user", "admin@example.org", "--name", "ERP")
    raw = created.stdout.removesuffix("\n")
    prefix = tokens.split_prefix(raw)
    listed = metalloop("token", "list", "--user", "admin@example.org")
    revoked = metalloop("token", "revoke", "--user", "admin@example.org", str(prefix))
    unknown = metalloop("token", "create", "--user", "nobody@example.org")

    assert created.returncode == 0
    assert prefix is not None
    assert stored_digest(tmp_path, prefix)[0] == tokens.digest_of(raw)
    assert listed.stdout.splitlines()[0] == "prefix\tname\tcreated\tlast used\trevoked"
    assert listed.stdout.splitlines()[1].startswith(f"{prefix}\tERP\t")
    assert (revoked.returncode, revoked.stdout) == (0, f"Revoked the token {prefix}.\n")
    assert stored_digest(tmp_path, prefix)[1] is not None
    assert (unknown.returncode, unknown.stdout, unknown.stderr) == (
        1,
        "",
        "CommandError: No user has the e-mail address nobody@example.org.\n",
    )
