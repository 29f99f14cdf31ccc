"""The listings export never fails on stored data and never writes a formula cell: for every
role that can export, in both formats, through the page and the command line."""

from __future__ import annotations

import pytest

from metalloop.common.tabular import parse_csv, parse_xlsx
from metalloop.exchange.models import Listing
from metalloop.exchange.services.transfer import LISTING_COLUMNS
from tests.cli.conftest import run_command
from tests.common.export_checks import FORMULA, assert_safe, harmful_text

pytestmark = pytest.mark.django_db

REPLACED = "Sp\ufffdä{nul}ne\ufffd\ufffd[2J\ufffdabc\ufffd\ufffd"


def replaced(connection_vendor: str, prefix: str = "") -> str:
    return prefix + REPLACED.format(nul="\ufffd" if connection_vendor == "sqlite" else "")


@pytest.fixture
def poisoned(anonymous_offer, named_offer):
    """Two listings whose texts were written around the validation (an old version, the
    database console): formulas, control characters, a direction override."""
    Listing.objects.filter(pk=anonymous_offer.pk).update(
        title=FORMULA + "\x07", description=harmful_text("-"), size="@SUM(1+1)"
    )
    Listing.objects.filter(pk=named_offer.pk).update(title="+49 211 1234", size="\t=1+1")
    return anonymous_offer, named_offer


@pytest.mark.parametrize("who", ["member", "other_member", "facilitator", "admin"])
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_every_role_gets_a_safe_file_of_poisoned_listings(
    client_for, actors, network, poisoned, who, format
):
    from django.db import connection

    anonymous, named = poisoned
    response = client_for(actors[who]).get(
        f"/exchange/export/?network={network.slug}&format={format}"
    )

    assert response.status_code == 200
    rows = assert_safe(response.content, format)
    assert rows[0] == LISTING_COLUMNS
    by_id = {row[0]: dict(zip(LISTING_COLUMNS, row, strict=True)) for row in rows[1:]}
    first, second = by_id[str(anonymous.pk)], by_id[str(named.pk)]
    assert (first["title"], first["description"], first["size"]) == (
        "'" + FORMULA + "\ufffd",
        "'" + replaced(connection.vendor, "-"),
        "'@SUM(1+1)",
    )
    assert (second["title"], second["size"]) == ("'+49 211 1234", "'\t=1+1")
    assert first["quantity"] == "12.5"
    # The reader takes the added quotes off again: the texts come back as they were shown.
    table = (
        parse_xlsx(response.content)
        if format == "xlsx"
        else parse_csv(response.content.decode("utf-8-sig"))
    )
    back = {row.cells["id"]: row.cells for row in table.rows}
    assert back[str(anonymous.pk)]["title"] == FORMULA + "\ufffd"
    assert back[str(named.pk)]["title"] == "+49 211 1234"
    assert back[str(named.pk)]["size"] == "\t=1+1"


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_command_line_export_of_poisoned_listings_is_safe(
    tmp_path, member, network, poisoned, format
):
    path = tmp_path / f"listings.{format}"

    run_command(
        "listings", "export", "--network", network.slug, "--as", member.email, "-o", str(path)
    )

    rows = assert_safe(path.read_bytes(), format)
    assert {row[LISTING_COLUMNS.index("title")] for row in rows[1:]} == {
        "'" + FORMULA + "\ufffd",
        "'+49 211 1234",
    }
