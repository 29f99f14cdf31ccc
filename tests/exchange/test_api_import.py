"""``POST /api/v1/listings/import``: the same import as the pages and the CLI, with the
limits as 413 and rejected rows as 422 problem+json; nothing changes on a refusal."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metalloop.common.models import AuditEvent
from metalloop.exchange.models import Listing
from tests.exchange.conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PATH = "/api/v1/listings/import"
HEADER = "organisation,site,side,kind,title,material,legal_status,form,quantity,unit,available_from,transport_modes\n"


def row(organisation, site, title="Späne sortenrein", quantity="4") -> str:
    return (
        f"{organisation.slug},{site.name},offer,scrap,{title},MAT:steel-non-alloy,by_product,"
        f"turnings,{quantity},t,{TODAY.isoformat()},road\n"
    )


def upload(text: str, name: str = "listen.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def post(client, headers, network, text, name="listen.csv"):
    return client.post(
        PATH,
        {"network": network.slug, "file": upload(text, name)},
        headers={"Accept-Language": "en", **headers},
    )


def unchanged(response, listings=0, events=0):
    assert response["Content-Type"] == "application/problem+json"
    assert Listing.objects.count() == listings
    assert AuditEvent.objects.filter(object_type="exchange.listing").count() == events


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 422),
        ("member", 200),
        ("facilitator", 200),
        ("admin", 200),
    ],
)
def test_import_authorization_matrix(
    client, actors, token_for, network, organisation, site, who, expected
):
    actor = actors[who]
    headers = token_for(actor) if actor is not None else {}

    response = post(client, headers, network, HEADER + row(organisation, site))

    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}
        listing = Listing.objects.get()
        assert (listing.organisation, listing.site) == (organisation, site)
        assert AuditEvent.objects.get(object_type="exchange.listing").origin == "api"
        return
    unchanged(response)
    if expected == 422:
        body = response.json()
        assert (body["status"], body["code"]) == (422, "import_rejected")
        assert body["title"] == "nothing was imported: 1 row with errors"
        assert body["rows"] == [
            {
                "line": 2,
                "field": "organisation",
                "message": f"You may not place listings for an organisation called "
                f"{organisation.slug}.",
            }
        ]


def test_every_bad_row_is_named_with_its_line_and_column(
    client, member, token_for, network, organisation, site
):
    text = HEADER + row(organisation, site) + row(organisation, site, quantity="viel")

    response = post(client, token_for(member), network, text)

    assert response.status_code == 422
    assert response.json()["rows"] == [
        {"line": 3, "field": "quantity", "message": "viel is not a number."}
    ]
    unchanged(response)


@pytest.mark.parametrize(
    ("setting", "limit", "text", "detail"),
    [
        (
            "IMPORT_MAX_BYTES",
            100,
            "x" * 150,
            "The file is too large (150\xa0bytes); at most 100\xa0bytes are imported at once. "
            "Split it into several files.",
        ),
        (
            "IMPORT_MAX_ROWS",
            1,
            None,
            "The table has more than 1 rows; at most 1 rows are imported at once. Split it "
            "into several files.",
        ),
    ],
)
def test_a_file_above_the_limits_is_refused_with_413(
    client, settings, member, token_for, network, organisation, site, setting, limit, text, detail
):
    setattr(settings, setting, limit)
    text = text or HEADER + row(organisation, site) + row(organisation, site, title="Zweite")

    response = post(client, token_for(member), network, text)

    assert response.status_code == 413
    body = response.json()
    assert (body["title"], body["detail"]) == ("The table is too large.", detail)
    assert (body["limit"], body["maximum"]) == (setting.rsplit("_", 1)[1].lower(), limit)
    unchanged(response)


def test_an_unreadable_file_and_an_unknown_network_are_422(
    client, member, token_for, network, organisation, site
):
    broken = post(client, token_for(member), network, "no workbook", name="listen.xlsx")
    network.slug = "unbekannt"
    foreign = post(client, token_for(member), network, HEADER + row(organisation, site))

    assert broken.status_code == foreign.status_code == 422
    assert broken.json()["errors"] == {"file": ["The file is not an XLSX workbook."]}
    assert list(foreign.json()["errors"]) == ["network"]
    unchanged(foreign)
