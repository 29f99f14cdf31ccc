"""``metalloop export organisations|sites``: files that import again without a change."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from metalloop.accounts.models import Organisation
from metalloop.common.models import AuditEvent
from metalloop.common.tabular import read_table
from metalloop.network.models import Competence, Site
from metalloop.network.services import site_create
from metalloop.network.services.transfer import ORGANISATION_COLUMNS, SITE_COLUMNS
from tests.cli.conftest import fail_command, run_command
from tests.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(organisation, network):
    """Two organisations with roles, competences, networks, and sites of both kinds."""
    organisation.roles.set(["collection", "recycling_remelting"])
    organisation.description = 'Schrott, "Späne";\r\nund Bleche'  # as a browser sends it
    organisation.website = "https://acme.example"
    organisation.size_class = "small"
    organisation.save()
    for code in ("shredding", "briquetting"):
        Competence.objects.get(code=code).organisations.add(organisation)
    NetworkFactory(slug="zweitnetz").memberships.create(organisation=organisation)
    other = OrganisationFactory(name="Beta Guss AG", slug="beta-guss", legal_form="AG")
    site_create(actor=None, organisation=organisation, name="Werk", place="Duisburg")
    site_create(
        actor=None,
        organisation=organisation,
        name="Labor",
        place="Dortmund",
        state="NW",
        postcode="44135",
        street="Rheinlanddamm 1",
        latitude=51.5,
        longitude=7.45,
    )
    site_create(actor=None, organisation=other, name="Gießerei", place="Essen", state="NW")
    return organisation, other


def stored_state() -> dict[str, object]:
    """Everything an import could change, timestamps included."""
    organisations = [
        (
            o.pk,
            o.slug,
            o.name,
            o.legal_form,
            o.kind,
            o.size_class,
            o.website,
            o.description,
            o.updated_at,
            sorted(o.roles.values_list("code", flat=True)),
            sorted(o.competences.values_list("code", flat=True)),
            sorted(o.memberships.values_list("network__slug", flat=True)),
        )
        for o in Organisation.objects.order_by("pk")
    ]
    sites = list(Site.objects.order_by("pk").values())
    return {"organisations": organisations, "sites": sites, "events": AuditEvent.objects.count()}


def quoted(cells: list[str]) -> str:
    """A CSV line as the exports write it: every cell in double quotes."""
    return ",".join(f'"{cell}"' for cell in cells)


def test_export_writes_organisations_as_csv_to_standard_output(registry, network):
    organisation, _other = registry

    out, _ = run_command("export", "organisations")

    assert out == (
        f"{quoted(ORGANISATION_COLUMNS)}\r\n"
        '"beta-guss","Beta Guss AG","AG","company","","","","","",""\r\n'
        f'"{organisation.slug}","{organisation.name}","GmbH","company","small",'
        '"collection;recycling_remelting","briquetting;shredding",'
        f'"{network.slug};zweitnetz","https://acme.example","Schrott, ""Späne"";\r\nund Bleche"\r\n'
    )


def test_export_writes_coordinates_only_where_they_were_given(registry):
    organisation, _other = registry

    out, _ = run_command("export", "sites")

    assert out.splitlines() == [
        quoted(SITE_COLUMNS),
        quoted(["beta-guss", "Gießerei", "plant", "", "", "Essen", "NW", "", ""]),
        quoted([organisation.slug, "Labor", "plant", "Rheinlanddamm 1", "44135"])
        + ',"Dortmund","NW","51.5","7.45"',
        quoted([organisation.slug, "Werk", "plant", "", "", "Duisburg", "NW", "", ""]),
    ]


def test_export_to_a_workbook(tmp_path: Path, registry):
    path = tmp_path / "organisations.xlsx"

    out, _ = run_command("export", "organisations", "-o", str(path))

    assert out == f"2 organisations written to {path}.\n"
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0]) == ORGANISATION_COLUMNS
    assert [row[0] for row in rows[1:]] == ["beta-guss", registry[0].slug]


def test_export_with_an_explicit_format_ignores_the_suffix(tmp_path: Path, registry):
    path = tmp_path / "sites.data"

    run_command("export", "sites", "--output", str(path), "--format", "xlsx")

    assert read_table(path, "xlsx").columns == SITE_COLUMNS


def test_export_refuses_a_workbook_on_standard_output_and_an_unknown_suffix(tmp_path: Path):
    to_stdout, _ = fail_command("export", "sites", "--format", "xlsx")
    unknown, _ = fail_command("export", "sites", "-o", str(tmp_path / "sites.ods"))

    assert to_stdout == "XLSX goes to a file: give one with -o FILE."
    assert unknown == (
        f"Cannot tell the format of {tmp_path / 'sites.ods'} from its name: give the format "
        "(csv or xlsx)."
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_exported_files_import_again_without_changing_anything(tmp_path: Path, registry, suffix):
    organisations, sites = tmp_path / f"organisations.{suffix}", tmp_path / f"sites.{suffix}"
    run_command("export", "organisations", "-o", str(organisations))
    run_command("export", "sites", "-o", str(sites))
    before = stored_state()

    organisations_out, _ = run_command("import", "organisations", str(organisations))
    sites_out, _ = run_command("import", "sites", str(sites))

    assert organisations_out == "organisations: 0 created, 0 updated, 2 unchanged.\n"
    assert sites_out == "sites: 0 created, 0 updated, 3 unchanged.\n"
    assert stored_state() == before


def test_exported_files_rebuild_the_registry_in_an_empty_database(tmp_path: Path, registry):
    organisations, sites = tmp_path / "organisations.csv", tmp_path / "sites.csv"
    run_command("export", "organisations", "-o", str(organisations))
    run_command("export", "sites", "-o", str(sites))
    exported = (run_command("export", "organisations")[0], run_command("export", "sites")[0])
    located = sorted(Site.objects.values_list("name", "latitude", "longitude", "gazetteer_id"))
    Organisation.objects.all().delete()

    run_command("import", "organisations", str(organisations))
    run_command("import", "sites", str(sites))

    assert (run_command("export", "organisations")[0], run_command("export", "sites")[0]) == (
        exported
    )
    assert (
        sorted(Site.objects.values_list("name", "latitude", "longitude", "gazetteer_id")) == located
    )
