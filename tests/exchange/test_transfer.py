"""Import and export of listings: all rows or none, errors by line and column, round trips."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metalloop.common.models import AuditEvent
from metalloop.common.tabular import parse_csv, parse_xlsx
from metalloop.exchange import services
from metalloop.exchange.models import Listing
from metalloop.exchange.services.transfer import LISTING_COLUMNS
from tests.exchange.conftest import demand_values
from tests.factories import SiteFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = (
    "side,kind,title,material,grades,legal_status,waste_code,form,quantity,unit,"
    "available_from,transport_modes,chemistry,min_quantity,r_strategy,permitted_waste_codes\n"
)


def table(*rows):
    return parse_csv(HEADER + "".join(row + "\n" for row in rows))


def errors_of(rejected):
    return [(e.line, e.field, e.message) for e in rejected.value.errors]


def test_rows_create_offers_and_demands_for_the_actors_organisation(member, network, site):
    result = services.listings_import(
        actor=member,
        network=network,
        table=table(
            "offer,scrap,Späne 1.4301,MAT:steel-stainless-austenitic,1.4301|DESS:CrNi,waste,"
            'AVV:120101,turnings,8,t,2026-03-01,road|rail,"Cr=18,1;Ni=8,0-8,5",,,',
            "demand,scrap,Suchen CrNi,MAT:steel-stainless,DESS:CrNi,waste,,turnings,500,t,"
            "01.03.2026,road,Cr>=16;Cu<=0.5,20,R:8,AVV:120101|AVV:170405",
        ),
        origin="web",
    )
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    offer, demand = Listing.objects.order_by("pk")
    assert (offer.organisation, offer.site) == (member.organisation, site)
    assert [g.code for g in offer.grades.all()] == ["DESS:CrNi", "EN10088:1.4301"]
    assert offer.transport_modes == ["road", "rail"]
    assert [(e.element, str(e.min_pct), str(e.max_pct)) for e in offer.elements.all()] == [
        ("Cr", "18.10000", "18.10000"),
        ("Ni", "8.00000", "8.50000"),
    ]
    assert demand.available_from.isoformat() == "2026-03-01"
    assert demand.permitted_waste_codes == ["AVV:120101", "AVV:170405"]
    assert [(e.element, e.max_pct) for e in demand.elements.all()] == [
        ("Cr", None),
        ("Cu", Decimal("0.50000")),
    ]
    assert set(AuditEvent.objects.values_list("origin", flat=True)) == {"web"}


def test_any_bad_row_rejects_the_whole_file_with_every_error_by_line(member, network, site):
    good = "offer,scrap,Gut,MAT:steel-non-alloy,EU27:E8,by_product,,sheet,5,t,2026-03-01,road,,,,"
    with pytest.raises(services.ImportRejected) as rejected:
        services.listings_import(
            actor=member,
            network=network,
            table=table(
                good,
                "offer,scrap,Späne,MAT:steel-non-alloy,,waste,,turnings,viel,t,2026-02-30,road,"
                "Cr=9-8,,,",
                "offer,scrap,Kaputt,MAT:nope,EU27:E99,by_product,,sheet,0,t,2026-03-01,zeppelin,"
                "Xx=1,,,",
                "offer,scrap,Grenzwerte,MAT:steel-non-alloy,,by_product,,sheet,5,t,2026-03-01,road,"
                "Ni=8;Ni=9,,,",
            ),
        )
    assert errors_of(rejected) == [
        (3, "quantity", "viel is not a number."),
        (3, "available_from", "2026-02-30 is not a date; write 2026-03-31 or 31.03.2026."),
        (
            4,
            "material",
            "MAT:nope is not a material of the knowledge base (e.g. MAT:steel-stainless).",
        ),
        (
            4,
            "transport_modes",
            "Not a choice: zeppelin. Choose from road, rail, inland_waterway, sea.",
        ),
        (4, "quantity", "A quantity must be greater than zero."),
        (4, "grades", "Not a scrap grade or alloy of the knowledge base: EU27:E99."),
        (4, "chemistry", "Xx is not a chemical element symbol (write e.g. Cr, Ni, Mo)."),
        (5, "chemistry", "Ni is given more than once; give each element once."),
    ]
    assert rejected.value.message == "nothing was imported: 3 rows with errors"
    assert not Listing.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_chemistry_range_with_its_minimum_above_its_maximum_names_the_element(
    member, network, site
):
    with pytest.raises(services.ImportRejected) as rejected:
        services.listings_import(
            actor=member,
            network=network,
            table=table(
                "offer,scrap,Späne,MAT:steel-non-alloy,,by_product,,turnings,4,t,2026-03-01,road,"
                "Cr=9-8,,,"
            ),
        )
    assert errors_of(rejected) == [
        (2, "chemistry", "Cr: the minimum 9 wt-% lies above the maximum 8 wt-%.")
    ]


def test_the_header_must_hold_the_required_and_only_known_columns(member, network):
    with pytest.raises(services.ImportRejected) as rejected:
        services.listings_import(
            actor=member, network=network, table=parse_csv("title,colour\nA,blue\n")
        )
    fields = [e.field for e in rejected.value.errors]
    assert fields[0] == "colour"
    assert set(fields[1:]) == {
        "side", "kind", "material", "legal_status", "form", "quantity", "unit",
        "available_from", "transport_modes",
    }  # fmt: skip


def test_a_site_is_named_when_the_organisation_has_several(member, network, site):
    SiteFactory(organisation=member.organisation, name="Lager Süd")
    row = "offer,scrap,Späne,MAT:steel-non-alloy,,by_product,,sheet,5,t,2026-03-01,road,,,,"
    with pytest.raises(services.ImportRejected) as rejected:
        services.listings_import(actor=member, network=network, table=table(row))
    assert rejected.value.errors[0].field == "site"
    assert "Lager Süd" in rejected.value.errors[0].message


def test_a_member_may_not_import_for_another_organisation(member, network, other_site):
    text = (
        "organisation,site," + HEADER
        + f"{other_site.organisation.slug},{other_site.name},offer,scrap,Fremd,"
        "MAT:steel-non-alloy,,by_product,,sheet,5,t,2026-03-01,road,,,,\n"
    )  # fmt: skip
    with pytest.raises(services.ImportRejected) as rejected:
        services.listings_import(actor=member, network=network, table=parse_csv(text))
    assert rejected.value.errors[0].field == "organisation"
    assert not Listing.objects.exists()


def test_the_export_imports_again_unchanged_as_csv_and_xlsx(
    facilitator, network, site, other_site, make_listing
):
    make_listing(site)
    make_listing(other_site, visibility="named", title="Zweites Angebot")
    services.listing_create(actor=None, network=network, site=site, **demand_values())
    for format, parse in (
        ("csv", lambda c: parse_csv(c.decode("utf-8-sig"))),
        ("xlsx", parse_xlsx),
    ):
        exported = services.listings_export(actor=facilitator, network=network, format=format)
        parsed = parse(exported.content)
        assert parsed.columns == LISTING_COLUMNS
        result = services.listings_import(actor=facilitator, network=network, table=parsed)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 3), format
    assert AuditEvent.objects.filter(action="update").count() == 0


def test_a_members_export_leaves_out_hidden_owners_and_still_imports_unchanged(
    other_member, network, site, make_listing
):
    make_listing(site)
    exported = services.listings_export(actor=other_member, network=network)
    parsed = parse_csv(exported.content.decode("utf-8-sig"))
    assert [(r.cells["organisation"], r.cells["site"]) for r in parsed.rows] == [("", "")]
    result = services.listings_import(actor=other_member, network=network, table=parsed)
    assert result.unchanged == 1


def test_changed_rows_update_their_listing_by_id(member, network, site, make_listing):
    listing = make_listing(site)
    exported = services.listings_export(actor=member, network=network)
    text = exported.content.decode("utf-8-sig").replace('"12.5","t"', '"14","t"')
    text = text.replace("Cr=18.1;Ni=8-8.5", "Cr=18.2;Ni=8-8.5")
    result = services.listings_import(actor=member, network=network, table=parse_csv(text))
    assert (result.created, result.updated) == (0, 1)
    listing.refresh_from_db()
    assert str(listing.quantity) == "14.000"
    assert str(listing.elements.get(element="Cr").min_pct) == "18.20000"
    event = AuditEvent.objects.get(action="update")
    assert set(event.changes) == {"quantity", "elements"}


def test_an_unknown_or_foreign_id_is_refused_without_saying_more(member, network, site):
    row = "99999,offer,scrap,Späne,MAT:steel-non-alloy,,by_product,,sheet,5,t,2026-03-01,road,,,,"
    with pytest.raises(services.ImportRejected) as rejected:
        services.listings_import(
            actor=member, network=network, table=parse_csv("id," + HEADER + row)
        )
    assert errors_of(rejected) == [(2, "id", "No listing of this network has the id 99999.")]
