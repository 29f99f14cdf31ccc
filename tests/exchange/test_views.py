"""The exchange pages: login, filters with htmx partials, forms with bad input, uploads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metalloop.common.models import AuditEvent
from metalloop.exchange import panels
from metalloop.exchange.models import Listing, ListingAttachment, Processor
from tests.exchange.conftest import TODAY
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def offer_form(site, network, **overrides):
    data = {
        "network": network.slug,
        "site": site.pk,
        "kind": "scrap",
        "title": "Drehspäne 1.4301",
        "material": "MAT:steel-stainless-austenitic",
        "grades": ["EN10088:1.4301"],
        "legal_status": "waste",
        "waste_code": "AVV:120101",
        "form": "turnings",
        "quantity": "8",
        "unit": "t",
        "recurrence": "monthly",
        "available_from": TODAY.isoformat(),
        "logistics": "pick_up",
        "transport_modes": ["road"],
        "visibility": "anonymous",
        "analysis_method": "xrf",
        "analysis_date": TODAY.isoformat(),
        "elements-TOTAL_FORMS": "4",
        "elements-INITIAL_FORMS": "0",
        "elements-0-element": "Cr",
        "elements-0-min_pct": "18.1",
        "elements-0-max_pct": "18.1",
        "elements-1-element": "Ni",
        "elements-1-min_pct": "8.0",
        "elements-1-max_pct": "8.5",
    }
    return data | overrides


@pytest.mark.parametrize(
    "path",
    [
        "/exchange/",
        "/exchange/listings/new/offer/",
        "/exchange/processors/",
        "/exchange/processors/new/",
        "/exchange/import/",
    ],
)
def test_every_page_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_the_navigation_offers_the_exchange_in_german_and_english(client_for, member):
    client = client_for(member)
    assert ">Börse</a>" in client.get("/").text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/exchange/")
    assert ">Exchange</a>" in page.text
    assert "Exchange: offers and demands" in page.text


def test_the_search_filters_and_answers_htmx_with_the_results_only(
    client_for, member, network, site, make_listing
):
    steel = make_listing(
        site, title="Stanzabfälle", material="MAT:steel-non-alloy", grades=["EU27:E8"], elements=[]
    )
    make_listing(site, title="Edelstahlspäne")
    client = client_for(member)
    full = client.get("/exchange/?material=MAT:steel-non-alloy")
    assert [item["id"] for item in full.context["items"]] == [steel.pk]
    assert full.context["counts"] == {"offer": 1, "demand": 0}
    assert "<form" in full.text
    assert '<div class="map" id="map"' in full.text
    partial = client.get("/exchange/?grade=EU27:E8", headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<section id="results"')
    assert "Stanzabfälle" in partial.text
    assert "Edelstahlspäne" not in partial.text
    assert '<script id="result-points"' in partial.text
    assert "HX-Request" in partial["Vary"]


def test_a_place_without_radius_searches_fifty_kilometres_and_a_bad_place_is_explained(
    client_for, member, site, make_listing
):
    make_listing(site)
    client = client_for(member)
    near = client.get("/exchange/?place=Duisburg")
    assert near.status_code == 200
    assert near.context["page"].paginator.count == 1
    assert "Entfernungen von Duisburg" in near.text
    bad = client.get("/exchange/?place=Neuenkirchen")
    assert bad.status_code == 400
    assert "Neuenkirchen" in bad.text
    assert bad.context["page"].paginator.count == 1  # the results without the bad filter


def test_the_listing_page_shows_chemistry_quality_and_the_extension_point(
    client_for, member, anonymous_offer
):
    def panel(*, request, listing, actor):
        assert (listing, actor) == (anonymous_offer, member)
        return {"template": "exchange/_quality.html", "note": "Vorschläge"}

    panels.register_listing_panel(panel)
    try:
        page = client_for(member).get(f"/exchange/listings/{anonymous_offer.pk}/")
    finally:
        panels.LISTING_PANELS.remove(panel)
    assert page.status_code == 200
    assert "Datenqualität 3: analysiert" in page.text
    assert "<td>Ni</td>" in page.text
    assert page.context["panels"] == [{"template": "exchange/_quality.html", "note": "Vorschläge"}]
    assert 'id="proposals"' in page.text
    without = client_for(member).get(f"/exchange/listings/{anonymous_offer.pk}/")
    assert 'id="proposals"' not in without.text


def test_a_missing_listing_is_a_404(client_for, member):
    assert client_for(member).get("/exchange/listings/999999/").status_code == 404


def test_the_offer_form_places_a_listing_with_chemistry(client_for, member, network, site):
    response = client_for(member).post("/exchange/listings/new/offer/", offer_form(site, network))
    assert response.status_code == 302, response.context and response.context["form"].errors
    listing = Listing.objects.get()
    assert response["Location"] == f"/exchange/listings/{listing.pk}/"
    assert [(e.element, str(e.min_pct), str(e.max_pct)) for e in listing.elements.all()] == [
        ("Cr", "18.10000", "18.10000"),
        ("Ni", "8.00000", "8.50000"),
    ]
    assert AuditEvent.objects.get(action="create").origin == "web"


def test_min_above_max_is_shown_at_the_chemistry_row_and_nothing_is_saved(
    client_for, member, network, site
):
    data = offer_form(site, network, **{"elements-1-min_pct": "9", "elements-1-max_pct": "8"})
    response = client_for(member).post("/exchange/listings/new/offer/", data)
    assert response.status_code == 400
    row = response.context["formset"].forms[1]
    assert row.non_field_errors() == ["Ni: Das Minimum 9 Gew.-% liegt über dem Maximum 8 Gew.-%."]
    assert 'class="row-errors"' in response.text
    assert not Listing.objects.exists()


def test_impossible_quantities_and_dates_are_shown_at_their_fields_with_the_first_submit(
    client_for, member, network, site
):
    data = offer_form(
        site,
        network,
        quantity="0",
        available_until="2000-01-01",
        material="",
        **{"elements-0-element": "Cr", "elements-0-min_pct": "120", "elements-0-max_pct": "120"},
    )
    response = client_for(member).post("/exchange/listings/new/offer/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"material", "quantity", "available_until"}
    assert response.context["formset"].forms[0].non_field_errors()
    assert not Listing.objects.exists()


def test_the_demand_form_has_the_demand_fields_and_the_offer_form_not(client_for, member):
    client = client_for(member)
    offer = client.get("/exchange/listings/new/offer/").context["form"]
    demand = client.get("/exchange/listings/new/demand/").context["form"]
    assert "min_lot_t" not in offer.fields and "analysis_method" in offer.fields
    assert {"min_lot_t", "r_strategy", "permitted_waste_codes"} <= set(demand.fields)
    assert "analysis_method" not in demand.fields
    assert client.get("/exchange/listings/new/swap/").status_code == 404


def test_the_edit_form_is_filled_and_saves(client_for, member, anonymous_offer, network, site):
    client = client_for(member)
    page = client.get(f"/exchange/listings/{anonymous_offer.pk}/edit/")
    assert page.context["form"]["title"].value() == anonymous_offer.title
    assert page.context["formset"].forms[0]["element"].value() == "Cr"
    data = offer_form(
        site, network, title="Neu", status="fulfilled", **{"elements-INITIAL_FORMS": "2"}
    )
    del data["network"]
    response = client.post(f"/exchange/listings/{anonymous_offer.pk}/edit/", data)
    assert response.status_code == 302
    anonymous_offer.refresh_from_db()
    assert (anonymous_offer.title, anonymous_offer.status) == ("Neu", "fulfilled")


def test_another_member_may_not_open_the_edit_form(client_for, other_member, anonymous_offer):
    assert (
        client_for(other_member).get(f"/exchange/listings/{anonymous_offer.pk}/edit/").status_code
        == 403
    )


def test_withdraw_and_verify_buttons(client_for, member, facilitator, anonymous_offer):
    page = client_for(facilitator).post(
        f"/exchange/listings/{anonymous_offer.pk}/verify/", follow=True
    )
    assert "Analysenzertifikat" in page.text  # the refusal explains what is missing
    assert Listing.objects.get().verified_at is None
    client_for(member).post(f"/exchange/listings/{anonymous_offer.pk}/withdraw/")
    assert Listing.objects.get().status == "withdrawn"


def test_attachments_are_uploaded_and_refused_through_the_page(client_for, member, anonymous_offer):
    client = client_for(member)
    url = f"/exchange/listings/{anonymous_offer.pk}/attachments/"
    ok = client.post(
        url,
        {"file": SimpleUploadedFile("Analyse.pdf", PDF), "kind": "analysis_certificate"},
        follow=True,
    )
    assert "Die Datei ist angehängt." in ok.text
    bad = client.post(
        url, {"file": SimpleUploadedFile("Analyse.exe", b"MZ"), "kind": "other"}, follow=True
    )
    assert ListingAttachment.objects.count() == 1
    assert "PDF, PNG, JPEG, CSV" in bad.text
    attachment = ListingAttachment.objects.get()
    client.post(f"/exchange/listings/{anonymous_offer.pk}/attachments/{attachment.pk}/delete/")
    assert not ListingAttachment.objects.exists()


def test_the_processor_form_declares_and_reports_rows(client_for, member, network, site):
    data = {
        "network": network.slug,
        "site": site.pk,
        "name": "Brikettierpresse",
        "process": "briquetting",
        "capacity_t_per_year": "24000",
        "transport_modes": ["road"],
        "visibility": "named",
        "inputs-TOTAL_FORMS": "2",
        "inputs-INITIAL_FORMS": "0",
        "inputs-0-material": "MAT:steel-non-alloy",
        "inputs-0-grade": "EU27:E5M",
        "outputs-TOTAL_FORMS": "2",
        "outputs-INITIAL_FORMS": "0",
        "outputs-0-material": "MAT:steel-non-alloy",
        "outputs-0-form": "briquettes",
        "outputs-0-legal_status": "end_of_waste",
        "outputs-0-yield_pct": "150",
    }
    client = client_for(member)
    refused = client.post("/exchange/processors/new/", data)
    assert refused.status_code == 400
    assert refused.context["outputs"].forms[0].errors["yield_pct"]
    assert not Processor.objects.exists()
    data["outputs-0-yield_pct"] = "93"
    data |= {
        "outputs-1-material": "MAT:aluminium",
        "outputs-1-form": "shredded",
        "outputs-1-legal_status": "waste",
        "outputs-1-waste_code": "AVV:191203",
        "outputs-1-yield_pct": "10",
    }
    too_much = client.post("/exchange/processors/new/", data)
    assert too_much.status_code == 400
    assert "ergeben zusammen 103 %" in too_much.text
    assert not Processor.objects.exists()
    data["outputs-1-yield_pct"] = "5"
    created = client.post("/exchange/processors/new/", data)
    assert created.status_code == 302
    processor = Processor.objects.get()
    detail = client.get(f"/exchange/processors/{processor.pk}/")
    assert "Brikettierpresse" in detail.text
    listing = client.get(
        "/exchange/processors/?process=briquetting", headers={"HX-Request": "true"}
    )
    assert listing.text.lstrip().startswith('<section id="results"')
    edit = client.get(f"/exchange/processors/{processor.pk}/edit/")
    assert edit.context["inputs"].forms[0]["grade"].value() == "EU27:E5M"
    client.post(f"/exchange/processors/{processor.pk}/withdraw/")
    assert Processor.objects.get().status == "withdrawn"


def test_the_import_page_reports_errors_by_line_and_imports_a_good_file(
    client_for, member, network, site
):
    header = "side,kind,title,material,legal_status,form,quantity,unit,available_from,transport_modes,chemistry\n"
    bad = (
        header
        + "offer,scrap,Späne,MAT:steel-non-alloy,by_product,turnings,-1,t,2026-01-01,road,Cr=5-4\n"
    )
    client = client_for(member)
    page = client.post(
        "/exchange/import/",
        {"network": network.slug, "file": SimpleUploadedFile("listen.csv", bad.encode())},
    )
    assert page.status_code == 400
    assert [(e.line, e.field) for e in page.context["rejected"].errors] == [
        (2, "quantity"),
        (2, "chemistry"),
    ]
    assert "Zeile" in page.text or "Line" in page.text
    good = (
        header
        + "offer,scrap,Späne,MAT:steel-non-alloy,by_product,turnings,4,t,2026-01-01,road,Cr=0.1\n"
    )
    page = client.post(
        "/exchange/import/",
        {"network": network.slug, "file": SimpleUploadedFile("listen.csv", good.encode())},
    )
    assert page.status_code == 200
    assert page.context["result"].created == 1
    assert Listing.objects.get().site == site


def test_the_import_page_refuses_an_unreadable_file(client_for, member, network):
    page = client_for(member).post(
        "/exchange/import/",
        {"network": network.slug, "file": SimpleUploadedFile("listen.xlsx", b"no workbook")},
    )
    assert page.status_code == 400
    assert page.context["form"].errors["file"]


def test_the_export_downloads_csv_and_xlsx(client_for, member, network, anonymous_offer):
    client = client_for(member)
    csv = client.get(f"/exchange/export/?network={network.slug}&format=csv")
    assert csv["Content-Type"] == "text/csv"
    assert csv.content.startswith('\ufeff"id","side","kind"'.encode())
    xlsx = client.get(f"/exchange/export/?network={network.slug}&format=xlsx")
    assert xlsx.content[:2] == b"PK"
    assert "attachment; filename=" in xlsx["Content-Disposition"]
    assert client.get("/exchange/export/?network=nowhere").status_code == 404


def test_deleting_a_site_with_listings_is_refused_on_the_registry_page(
    client_for, member, site, anonymous_offer
):
    page = client_for(member).post(f"/sites/{site.pk}/delete/", follow=True)
    assert "hängen noch Angebote, Gesuche oder Verarbeiter" in page.text
    assert SiteFactory._meta.model.objects.filter(pk=site.pk).exists()


def test_the_import_page_refuses_a_file_above_the_row_limit(
    client_for, settings, member, network, site
):
    settings.IMPORT_MAX_ROWS = 1
    header = (
        "side,kind,title,material,legal_status,form,quantity,unit,available_from,transport_modes\n"
    )
    row = "offer,scrap,Späne,MAT:steel-non-alloy,by_product,turnings,4,t,2026-01-01,road\n"
    client = client_for(member)

    form = client.get("/exchange/import/")
    page = client.post(
        "/exchange/import/",
        {"network": network.slug, "file": SimpleUploadedFile("l.csv", (header + row * 2).encode())},
    )

    assert "Eine Datei darf bis zu 1 Zeilen und 16,0\xa0MB umfassen" in form.text
    assert page.status_code == 400
    assert page.context["form"].errors["file"] == [
        "Die Tabelle hat mehr als 1 Zeilen; höchstens 1 Zeilen werden auf einmal importiert. "
        "Teilen Sie sie auf mehrere Dateien auf."
    ]
    assert not Listing.objects.exists()
