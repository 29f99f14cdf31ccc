"""``metalloop import organisations|sites``: upsert, all rows or none, errors by line."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from metalloop.accounts.models import Organisation
from metalloop.common.models import AuditEvent
from metalloop.network.adapters import gazetteer
from metalloop.network.models import CoordinateSource, Site
from tests.cli.conftest import fail_command, run_command
from tests.factories import OrganisationFactory, SiteFactory

pytestmark = pytest.mark.django_db

ORGANISATION_HEADER = (
    "slug,name,legal_form,kind,size_class,roles,competences,networks,website,description"
)
SITE_HEADER = "organisation,name,kind,street,postcode,place,state,latitude,longitude"


def write(tmp_path: Path, text: str, name: str = "data.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def write_xlsx(tmp_path: Path, rows: list[list[object]]) -> str:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    return str(path)


def organisation_facts(slug: str) -> dict[str, object]:
    organisation = Organisation.objects.get(slug=slug)
    return {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "kind": organisation.kind,
        "size_class": organisation.size_class,
        "website": organisation.website,
        "description": organisation.description,
        "roles": sorted(organisation.roles.values_list("code", flat=True)),
        "competences": sorted(organisation.competences.values_list("code", flat=True)),
        "networks": sorted(organisation.memberships.values_list("network__slug", flat=True)),
    }


def site_facts(site: Site) -> tuple[object, ...]:
    return (
        site.name,
        site.kind,
        site.street,
        site.postcode,
        site.place,
        site.state,
        site.latitude,
        site.longitude,
        site.coordinate_source,
        site.gazetteer_id,
    )


# --- organisations ----------------------------------------------------------------------------


def test_import_creates_organisations_from_a_comma_separated_file(tmp_path, network):
    path = write(
        tmp_path,
        f"{ORGANISATION_HEADER}\n"
        f"acme,Acme Metall,GmbH,company,small,recycling_remelting;collection,"
        f'shredding;briquetting,{network.slug},https://acme.example,"Schrott, Späne"\n'
        "beta-guss,Beta Guss,AG,company,medium,manufacturing,,,,\n",
    )

    out, err = run_command("import", "organisations", path)

    assert (out, err) == ("organisations: 2 created, 0 updated, 0 unchanged.\n", "")
    assert organisation_facts("acme") == {
        "name": "Acme Metall",
        "legal_form": "GmbH",
        "kind": "company",
        "size_class": "small",
        "website": "https://acme.example",
        "description": "Schrott, Späne",
        "roles": ["collection", "recycling_remelting"],
        "competences": ["briquetting", "shredding"],
        "networks": [network.slug],
    }
    assert organisation_facts("beta-guss")["roles"] == ["manufacturing"]
    events = AuditEvent.objects.filter(object_type="accounts.organisation")
    assert sorted(events.values_list("action", "origin", "actor")) == [
        ("create", "cli", None),
        ("create", "cli", None),
    ]


def test_import_reads_semicolons_and_a_byte_order_mark_as_german_excel_writes_them(
    tmp_path, network
):
    path = write(
        tmp_path,
        "\ufeffslug;name;kind;roles;networks;description\r\n"
        f'acme;Acme Metall;company;"recycling_remelting;collection";{network.slug};'
        "Schrott, Späne\r\n",
    )

    out, _ = run_command("import", "organisations", path)

    assert out == "organisations: 1 created, 0 updated, 0 unchanged.\n"
    facts = organisation_facts("acme")
    assert facts["roles"] == ["collection", "recycling_remelting"]
    assert facts["networks"] == [network.slug]
    assert facts["description"] == "Schrott, Späne"


def test_import_reads_organisations_from_a_workbook(tmp_path):
    path = write_xlsx(
        tmp_path,
        [
            ["slug", "name", "kind", "size_class", "competences"],
            ["acme", "Acme Metall", "company", "large", "shredding; briquetting"],
        ],
    )

    out, _ = run_command("import", "organisations", path)

    assert out == "organisations: 1 created, 0 updated, 0 unchanged.\n"
    assert organisation_facts("acme")["size_class"] == "large"
    assert organisation_facts("acme")["competences"] == ["briquetting", "shredding"]


def test_import_with_an_explicit_format_ignores_the_suffix(tmp_path):
    path = write(tmp_path, "slug,name,kind\nacme,Acme,company\n", name="organisations.txt")

    out, _ = run_command("import", "organisations", path, "--format", "csv")

    assert out == "organisations: 1 created, 0 updated, 0 unchanged.\n"


def test_import_updates_organisations_by_slug_and_creates_the_others(tmp_path, organisation):
    organisation.roles.set(["collection"])
    path = write(
        tmp_path,
        "slug,name,kind,roles\n"
        f"{organisation.slug},Neuer Name GmbH,company,manufacturing\n"
        "brand-new,Brand New,research_institute,\n",
    )

    out, _ = run_command("import", "organisations", path)

    assert out == "organisations: 1 created, 1 updated, 0 unchanged.\n"
    facts = organisation_facts(organisation.slug)
    assert (facts["name"], facts["roles"], facts["legal_form"]) == (
        "Neuer Name GmbH",
        ["manufacturing"],
        "GmbH",  # a column the file leaves out stays as it was
    )
    assert organisation_facts("brand-new")["kind"] == "research_institute"
    update = AuditEvent.objects.get(object_id=str(organisation.pk), action="update")
    assert update.changes == {
        "name": [organisation.name, "Neuer Name GmbH"],
        "roles": [["collection"], ["manufacturing"]],
    }


def test_import_without_a_slug_creates_an_organisation_with_a_slug_from_its_name(tmp_path):
    path = write(tmp_path, "slug,name,kind\n,Müller Recycling,company\n")

    run_command("import", "organisations", path)

    assert Organisation.objects.get(name="Müller Recycling").slug == "muller-recycling"


def test_one_bad_row_among_good_ones_writes_nothing_and_names_line_and_field(tmp_path):
    path = write(
        tmp_path,
        "slug,name,kind,roles\n"
        "good-one,Good One,company,\n"
        "bad-one,Bad One,factory,\n"
        "good-two,Good Two,company,\n"
        "bad-two,Bad Two,company,smelting\n",
    )

    message, err = fail_command("import", "organisations", path)

    assert message == "nothing was imported: 2 rows with errors"
    assert err == (
        "line 3, kind: Value 'factory' is not a valid choice.\n"
        "line 5, roles: Not a value-chain role: smelting.\n"
    )
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_error_of_a_row_is_reported_on_its_own_line(tmp_path):
    path = write(tmp_path, "slug,name,kind,website\nNot A Slug!,,company,no-url\n")

    message, err = fail_command("import", "organisations", path)

    assert message == "nothing was imported: 1 row with errors"
    assert err.splitlines() == [
        "line 2, name: This field cannot be blank.",
        "line 2, slug: Enter a valid “slug” consisting of letters, numbers, underscores or "
        "hyphens.",
        "line 2, website: Enter a valid URL.",
    ]


def test_an_unknown_column_and_a_missing_required_column_reject_the_file(tmp_path):
    path = write(tmp_path, "slug,name,colour\nacme,Acme,blue\n")

    message, err = fail_command("import", "organisations", path)

    assert message == "nothing was imported: 1 row with errors"
    assert err == (
        "line 1, colour: Unknown column; the columns are: slug, name, legal_form, kind, "
        "size_class, roles, competences, networks, website, description.\n"
        "line 1, kind: This column is missing; it is required.\n"
    )
    assert not Organisation.objects.exists()


def test_the_same_slug_twice_in_a_file_is_an_error(tmp_path):
    path = write(tmp_path, "slug,name,kind\nacme,Acme,company\nacme,Acme again,company\n")

    message, err = fail_command("import", "organisations", path)

    assert message == "nothing was imported: 1 row with errors"
    assert err == "line 3, slug: Line 2 describes the same record already.\n"
    assert not Organisation.objects.exists()


def test_import_as_a_member_refuses_new_organisations_row_by_row(tmp_path, member, network):
    path = write(
        tmp_path,
        f"slug,name,kind,networks\nacme,Acme,company,{network.slug}\nbeta,Beta,company,\n",
    )

    message, err = fail_command("import", "organisations", path, "--as", member.email)

    assert message == "nothing was imported: 2 rows with errors"
    assert err == (
        "line 2: You may not add organisations to these networks.\n"
        "line 3: You may not add organisations to these networks.\n"
    )
    assert list(Organisation.objects.all()) == [member.organisation]


def test_import_as_a_member_changes_their_own_organisation_in_their_name(
    tmp_path, member, other_organisation
):
    own = member.organisation
    path = write(tmp_path, f"slug,name,kind\n{own.slug},Umbenannt GmbH,company\n")

    out, _ = run_command("import", "organisations", path, "--as", member.email.upper())

    assert out == "organisations: 0 created, 1 updated, 0 unchanged.\n"
    own.refresh_from_db()
    assert own.name == "Umbenannt GmbH"
    assert AuditEvent.objects.get(action="update").actor == member

    other = write(tmp_path, f"slug,name,kind\n{other_organisation.slug},Fremd,company\n", "b.csv")
    message, err = fail_command("import", "organisations", other, "--as", member.email)
    assert (message, err) == (
        "nothing was imported: 1 row with errors",
        "line 2: You may not change this organisation.\n",
    )


def test_import_as_a_facilitator_adds_organisations_to_their_network(
    tmp_path, facilitator, network
):
    path = write(tmp_path, f"slug,name,kind,networks\nacme,Acme,company,{network.slug}\n")

    out, _ = run_command("import", "organisations", path, "--as", facilitator.email)

    assert out == "organisations: 1 created, 0 updated, 0 unchanged.\n"
    assert AuditEvent.objects.get(action="create").actor == facilitator


def test_import_as_an_unknown_user_fails_before_reading_the_file(tmp_path):
    message, _ = fail_command(
        "import", "organisations", str(tmp_path / "x.csv"), "--as", "nobody@example.org"
    )

    assert message == "No user has the e-mail address nobody@example.org."


def test_an_unreadable_file_fails_in_one_line(tmp_path):
    missing, _ = fail_command("import", "organisations", str(tmp_path / "missing.csv"))
    empty, _ = fail_command("import", "sites", write(tmp_path, "\n\n"))
    wide, _ = fail_command("import", "sites", write(tmp_path, "name\nA,B\n"))

    assert missing == f"Cannot read {tmp_path / 'missing.csv'}: No such file or directory."
    assert empty == "The table is empty: its first line must name the columns."
    assert wide == "Line 2 has 2 cells, but the header names only 1 columns."


# --- sites ------------------------------------------------------------------------------------


def test_import_creates_sites_located_by_the_gazetteer_or_by_given_coordinates(
    tmp_path, organisation
):
    slug = organisation.slug
    path = write(
        tmp_path,
        f"{SITE_HEADER}\n"
        f"{slug},Werk Duisburg,plant,Hafenstraße 1,47051,Duisburg,,,\n"
        f"{slug},Lager,yard,,,Essen,NW,,\n"
        f"{slug},Labor,lab,,,Dortmund,NW,51.5,7.45\n",
    )

    out, err = run_command("import", "sites", path)

    assert (out, err) == ("sites: 3 created, 0 updated, 0 unchanged.\n", "")
    essen = gazetteer().resolve("Essen", state="NW")
    sites = {site.name: site_facts(site) for site in organisation.sites.all()}
    assert sites == {
        "Werk Duisburg": (
            "Werk Duisburg",
            "plant",
            "Hafenstraße 1",
            "47051",
            "Duisburg",
            "NW",
            51.43247,
            6.76516,
            CoordinateSource.GAZETTEER,
            "geonames:2934691",
        ),
        "Lager": (
            "Lager",
            "yard",
            "",
            "",
            "Essen",
            "NW",
            essen.coordinates.latitude,
            essen.coordinates.longitude,
            CoordinateSource.GAZETTEER,
            essen.source_id,
        ),
        "Labor": ("Labor", "lab", "", "", "Dortmund", "NW", 51.5, 7.45, CoordinateSource.GIVEN, ""),
    }


def test_import_reads_sites_with_semicolons_and_decimal_commas(tmp_path, organisation):
    path = write(
        tmp_path,
        "organisation;name;place;state;latitude;longitude\n"
        f"{organisation.slug};Labor;Dortmund;NW;51,5;7,45\n",
    )

    out, _ = run_command("import", "sites", path)

    assert out == "sites: 1 created, 0 updated, 0 unchanged.\n"
    site = organisation.sites.get()
    assert (site.latitude, site.longitude, site.coordinate_source) == (51.5, 7.45, "given")


def test_import_reads_sites_from_a_workbook_with_numeric_cells(tmp_path, organisation):
    path = write_xlsx(
        tmp_path,
        [
            ["organisation", "name", "postcode", "place", "state", "latitude", "longitude"],
            [organisation.slug, "Werk", 47051, "Duisburg", None, None, None],
            [organisation.slug, "Labor", None, "Dortmund", "NW", 51.5, 7],
        ],
    )

    out, _ = run_command("import", "sites", path)

    assert out == "sites: 2 created, 0 updated, 0 unchanged.\n"
    facts = {site.name: site_facts(site) for site in organisation.sites.all()}
    assert facts["Werk"][3:7] == ("47051", "Duisburg", "NW", 51.43247)
    assert facts["Labor"][6:9] == (51.5, 7.0, "given")


def test_import_updates_sites_by_organisation_and_name(tmp_path, organisation):
    werk = SiteFactory(organisation=organisation, name="Werk", street="Alte Straße 1")
    path = write(
        tmp_path,
        "organisation,name,street,place\n"
        f"{organisation.slug},Werk,Neue Straße 2,Duisburg\n"
        f"{organisation.slug},Zweitwerk,,Siegen\n",
    )

    out, _ = run_command("import", "sites", path)

    assert out == "sites: 1 created, 1 updated, 0 unchanged.\n"
    werk.refresh_from_db()
    assert (werk.street, werk.latitude, werk.longitude) == ("Neue Straße 2", 51.43247, 6.76516)
    assert organisation.sites.get(name="Zweitwerk").state == "NW"


def test_an_unknown_place_is_reported_on_its_line(tmp_path, organisation):
    path = write(
        tmp_path,
        "organisation,name,place\n"
        f"{organisation.slug},Werk,Duisburg\n"
        f"{organisation.slug},Lager,Atlantis\n"
        f"{organisation.slug},Depot,Essen\n",
    )

    message, err = fail_command("import", "sites", path)

    assert message == "nothing was imported: 2 rows with errors"
    assert err == (
        "line 3, place: Atlantis is not in the gazetteer of German places. Check the spelling, "
        "or give the coordinates (latitude and longitude).\n"
        "line 4, place: There are 2 places called Essen (Niedersachsen, Nordrhein-Westfalen). "
        "Give the state or the postcode, or the coordinates.\n"
    )
    assert not Site.objects.exists()


def test_numbers_that_are_not_numbers_are_reported_precisely(tmp_path, organisation):
    path = write(
        tmp_path,
        "organisation,name,place,state,latitude,longitude\n"
        f"{organisation.slug},Werk,Duisburg,NW,51.4.3,nan\n"
        f"{organisation.slug},Lager,Duisburg,NW,51.4,\n"
        f"{organisation.slug},Depot,Duisburg,NW,95,7\n",
    )

    message, err = fail_command("import", "sites", path)

    assert message == "nothing was imported: 3 rows with errors"
    assert err.splitlines() == [
        "line 2, latitude: 51.4.3 is not a number; write degrees as a decimal number, "
        "e.g. 51.4325 or 51,4325.",
        "line 2, longitude: nan is not a number; write degrees as a decimal number, "
        "e.g. 51.4325 or 51,4325.",
        "line 3, latitude: Give both latitude and longitude, or neither.",
        "line 4, latitude: Latitude lies between -90 and 90, longitude between -180 and 180 "
        "degrees.",
    ]


def test_a_site_of_an_unknown_organisation_and_a_repeated_site_are_errors(tmp_path, organisation):
    path = write(
        tmp_path,
        "organisation,name,place\n"
        "nowhere,Werk,Duisburg\n"
        ",Werk,Duisburg\n"
        f"{organisation.slug},Werk,Duisburg\n"
        f"{organisation.slug},Werk,Siegen\n",
    )

    message, err = fail_command("import", "sites", path)

    assert message == "nothing was imported: 3 rows with errors"
    assert err.splitlines() == [
        "line 2, organisation: No organisation has the short name nowhere.",
        "line 3, organisation: Give the organisation's short name (slug).",
        "line 5, name: Line 4 describes the same record already.",
    ]


def test_sites_with_the_same_name_cannot_be_told_apart(tmp_path, organisation):
    SiteFactory.create_batch(2, organisation=organisation, name="Werk")
    path = write(tmp_path, f"organisation,name,place\n{organisation.slug},Werk,Duisburg\n")

    _, err = fail_command("import", "sites", path)

    assert err == (
        f"line 2, name: {organisation.slug} has several sites called Werk; rename them so "
        "that each name is used once.\n"
    )


def test_import_of_sites_as_a_member_is_limited_to_their_organisation(
    tmp_path, member, other_organisation
):
    own = member.organisation
    path = write(
        tmp_path,
        "organisation,name,place\n"
        f"{own.slug},Werk,Duisburg\n"
        f"{other_organisation.slug},Werk,Duisburg\n",
    )

    message, err = fail_command("import", "sites", path, "--as", member.email)

    assert (message, err) == (
        "nothing was imported: 1 row with errors",
        "line 3: You may not add sites to this organisation.\n",
    )
    assert not Site.objects.exists()


def test_an_organisation_file_is_not_a_site_file(tmp_path):
    path = write(tmp_path, "slug,name,kind\nacme,Acme,company\n")

    _, err = fail_command("import", "sites", path)

    assert err.splitlines() == [
        "line 1, slug: Unknown column; the columns are: organisation, name, kind, street, "
        "postcode, place, state, latitude, longitude.",
        "line 1, organisation: This column is missing; it is required.",
        "line 1, place: This column is missing; it is required.",
    ]


def test_an_unchanged_organisation_is_not_written(tmp_path):
    acme = OrganisationFactory(slug="acme", name="Acme", legal_form="", kind="company")
    before = acme.updated_at
    path = write(tmp_path, "slug,name,kind\nacme,Acme,company\n")

    out, _ = run_command("import", "organisations", path)

    acme.refresh_from_db()
    assert out == "organisations: 0 created, 0 updated, 1 unchanged.\n"
    assert acme.updated_at == before
    assert not AuditEvent.objects.exists()


def test_a_postcode_stored_as_a_number_gets_its_leading_zero_back(tmp_path, organisation):
    path = write_xlsx(
        tmp_path,
        [
            ["organisation", "name", "postcode", "place", "state"],
            [organisation.slug, "Lager Ost", 1067, "Dresden", "SN"],
        ],
    )

    run_command("import", "sites", path)

    assert organisation.sites.get(name="Lager Ost").postcode == "01067"


def test_a_file_above_the_row_limit_fails_in_one_line_and_writes_nothing(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 2
    path = write(tmp_path, "slug,name,kind\na,A,company\nb,B,company\nc,C,company\n")

    message, err = fail_command("import", "organisations", path)

    assert message == (
        "The table has more than 2 rows; at most 2 rows are imported at once. Split it into "
        "several files."
    )
    assert err == ""
    assert not Organisation.objects.exists()


def test_serve_gives_requests_time_to_check_the_largest_import(monkeypatch):
    from metalloop.network.management.commands.serve import Command

    monkeypatch.delenv("METALLOOP_REQUEST_TIMEOUT", raising=False)
    parser = Command().create_parser("metalloop", "serve")
    argv = Command._gunicorn_argv("gunicorn", vars(parser.parse_args([])))
    faster = Command._gunicorn_argv("gunicorn", vars(parser.parse_args(["--timeout", "60"])))

    assert argv[argv.index("--timeout") + 1] == "180"
    assert faster[faster.index("--timeout") + 1] == "60"
