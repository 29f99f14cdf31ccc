"""The organisation and site exports (the operator's command line) never fail on stored data
and never write a formula cell, in both formats; their files import again unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from metalloop.accounts.models import Organisation
from metalloop.common.tabular import read_table
from metalloop.network.models import Site
from metalloop.network.services.transfer import ORGANISATION_COLUMNS, SITE_COLUMNS
from tests.cli.conftest import run_command
from tests.common.export_checks import FORMULA, assert_safe, harmful_text
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def poisoned(organisation):
    Organisation.objects.filter(pk=organisation.pk).update(
        name="=cmd|' /C calc'!A0", description=harmful_text(), legal_form="-GmbH"
    )
    site = SiteFactory(organisation=organisation, name="@Lager", place="Duisburg")
    Site.objects.filter(pk=site.pk).update(
        street=FORMULA + "\x07", latitude=-12.5, coordinate_source="given"
    )
    return organisation


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_poisoned_organisation_exports_safely_and_imports_back_unchanged(
    tmp_path: Path, poisoned, format
):
    path = tmp_path / f"organisations.{format}"

    run_command("export", "organisations", "-o", str(path))

    rows = assert_safe(path.read_bytes(), format)
    row = dict(zip(ORGANISATION_COLUMNS, rows[1], strict=True))
    nul = "\ufffd" if connection.vendor == "sqlite" else ""
    assert (row["name"], row["legal_form"], row["description"]) == (
        "'=cmd|' /C calc'!A0",
        "'-GmbH",
        f"Sp\ufffdä{nul}ne\ufffd\ufffd[2J\ufffdabc\ufffd\ufffd",
    )
    cells = read_table(path).rows[0].cells
    assert (cells["name"], cells["legal_form"]) == ("=cmd|' /C calc'!A0", "-GmbH")


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_poisoned_site_exports_safely_and_a_negative_number_stays_a_number(
    tmp_path: Path, poisoned, format
):
    path = tmp_path / f"sites.{format}"

    run_command("export", "sites", "-o", str(path))

    rows = assert_safe(path.read_bytes(), format)
    row = dict(zip(SITE_COLUMNS, rows[1], strict=True))
    assert (row["name"], row["street"], row["latitude"]) == (
        "'@Lager",
        "'" + FORMULA + "\ufffd",
        "-12.5",
    )


def test_the_csv_on_standard_output_is_safe_too(poisoned):
    out, _ = run_command("export", "organisations")

    rows = assert_safe(out.encode(), "csv")
    assert rows[1][ORGANISATION_COLUMNS.index("name")] == "'=cmd|' /C calc'!A0"
