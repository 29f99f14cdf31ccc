"""The exchange endpoints: authorization matrices, precise 422s, filters, pagination."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metalloop.common.models import AuditEvent
from metalloop.exchange import services
from metalloop.exchange.models import Listing, ListingAttachment, Processor
from tests.exchange.conftest import TODAY, demand_values, offer_values
from tests.factories import NetworkFactory, SiteFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def send(client, method, path, headers=None, body=None):
    return getattr(client, method)(
        path,
        data=json.dumps(body, default=str) if body is not None else None,
        content_type="application/json",
        headers=headers or {},
    )


def headers_of(actor, token_for):
    return token_for(actor) if actor is not None else {}


def listing_body(network, site, **overrides):
    values = offer_values(**overrides)
    return json.loads(json.dumps(values | {"network": network.slug, "site": site.pk}, default=str))


def processor_body(network, site, **overrides):
    body = {
        "network": network.slug,
        "site": site.pk,
        "name": "Kabelgranulierung",
        "process": "shredding",
        "capacity_t_per_year": 12000,
        "transport_modes": ["road"],
        "inputs": [{"material": "MAT:copper-unalloyed", "grade": "ISRI:Druid"}],
        "outputs": [
            {
                "material": "MAT:copper-unalloyed",
                "grade": "ISRI:Berry",
                "form": "granules",
                "legal_status": "end_of_waste",
                "yield_pct": 55,
            }
        ],
    }
    return body | overrides


def nothing_changed(before_listings, before_events, response):
    assert response["Content-Type"] == "application/problem+json"
    assert Listing.objects.count() == before_listings
    assert AuditEvent.objects.count() == before_events


# --- reads ----------------------------------------------------------------------------------------


def test_listings_are_not_public(client, anonymous_offer):
    for path in (
        "/api/v1/listings",
        f"/api/v1/listings/{anonymous_offer.pk}",
        "/api/v1/processors",
    ):
        response = client.get(path)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"


def test_the_list_is_paginated_with_the_total_count(client, token_for, member, make_listing, site):
    for n in range(5):
        make_listing(site, title=f"Angebot {n}")
    body = client.get("/api/v1/listings?page_size=2&page=3", headers=token_for(member)).json()
    assert (body["count"], body["page"], body["pages"], len(body["items"])) == (5, 3, 3, 1)
    assert body["items"][0]["title"] == "Angebot 0"


def test_the_list_filters_by_side_kind_material_grade_network_and_status(
    client, token_for, member, network, site, make_listing
):
    steel = make_listing(
        site,
        material="MAT:steel-non-alloy",
        grades=["EU27:E8"],
        kind="production_residue",
        elements=[],
        title="Stanzabfälle",
    )
    stainless = make_listing(site, title="Edelstahlspäne")
    demand = services.listing_create(actor=None, network=network, site=site, **demand_values())
    gone = make_listing(site, title="Zurückgezogen")
    services.listing_withdraw(actor=None, listing=gone)
    NetworkFactory()

    def ids(query):
        response = client.get(f"/api/v1/listings?{query}", headers=token_for(member))
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids("side=demand") == {demand.pk}
    assert ids("side=offer") == {steel.pk, stainless.pk}
    assert ids("kind=production_residue") == {steel.pk}
    assert ids("material=MAT:iron-steel") == {steel.pk, stainless.pk, demand.pk}
    assert ids("material=MAT:steel-stainless") == {stainless.pk, demand.pk}
    assert ids("grade=1.4301") == {stainless.pk}
    assert ids("grade=EU27:E8") == {steel.pk}
    assert ids(f"network={network.slug}") == {steel.pk, stainless.pk, demand.pk}
    assert ids("network=elsewhere") == set()
    assert ids("status=withdrawn") == {gone.pk}
    assert ids("status=") == {steel.pk, stainless.pk, demand.pk, gone.pk}


def test_the_list_filters_by_place_and_radius(client, token_for, member, network, make_listing):
    near = make_listing(SiteFactory(organisation=member.organisation, name="Duisburg"))
    far = make_listing(
        SiteFactory(
            organisation=member.organisation,
            name="Siegen",
            place="Siegen",
            postcode="57072",
            latitude=50.87481,
            longitude=8.02431,
        )
    )

    def found(query):
        body = client.get(f"/api/v1/listings?{query}", headers=token_for(member)).json()
        return {item["id"]: item["distance_km"] for item in body["items"]}

    assert found("place=Duisburg&radius_km=20") == {near.pk: 0.0}
    assert set(found("place=Siegen&radius_km=120")) == {near.pk, far.pk}
    assert found("place=57072&radius_km=5") == {far.pk: 0.0}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("place=Neuenkirchen&radius_km=10", "place", "There are 21 places called Neuenkirchen"),
        ("place=Atlantis&radius_km=10", "place", "Atlantis is not in the gazetteer"),
        ("radius_km=10", "radius_km", "Give a place and a radius together."),
        ("grade=EU27:E99", "grades", "Not a scrap grade or alloy"),
        ("radius_km=0", "radius_km", "greater than 0"),
    ],
)
def test_bad_filters_are_refused_with_422(client, token_for, member, query, field, message):
    response = client.get(
        f"/api/v1/listings?{query}", headers=token_for(member) | {"Accept-Language": "en"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][field][0].startswith(message) or message in str(
        response.json()["errors"][field]
    )


# --- create ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 403),
        ("member", 201),
        ("facilitator", 201),
        ("admin", 201),
    ],
)
def test_create_authorization_matrix(client, actors, token_for, network, site, who, expected):
    headers = headers_of(actors[who], token_for)
    before = (Listing.objects.count(), AuditEvent.objects.count())
    response = send(client, "post", "/api/v1/listings", headers, listing_body(network, site))
    if who == "other_member":
        # The site is not one the other member may use: refused like a foreign organisation.
        assert response.status_code == 422, response.content
        assert list(response.json()["errors"]) == ["site"]
        nothing_changed(*before, response)
        return
    assert response.status_code == expected, response.content
    if expected == 201:
        body = response.json()
        assert body["owner_revealed"] is True
        assert body["organisation"]["slug"] == site.organisation.slug
        assert body["data_quality"]["level"] == 3
        assert AuditEvent.objects.filter(action="create", origin="api").count() == 1
    else:
        nothing_changed(*before, response)


def test_a_member_cannot_place_a_listing_in_a_network_it_is_not_part_of(
    client, token_for, member, site
):
    other = NetworkFactory()
    response = send(
        client, "post", "/api/v1/listings", token_for(member), listing_body(other, site)
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["network"]
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"elements": [{"element": "Ni", "min_pct": 9, "max_pct": 8}]},
            {"elements.Ni": ["Ni: the minimum 9 wt-% lies above the maximum 8 wt-%."]},
        ),
        (
            {"elements": [{"element": "Cr", "min_pct": 101, "max_pct": 101}]},
            {"elements.Cr": ["Cr: a share cannot exceed 100 wt-% (101)."]},
        ),
        (
            {"elements": [{"element": "Cu", "min_pct": 60}, {"element": "Zn", "min_pct": 45}]},
            {"elements": ["The shares add up to 105 wt-%, more than 100 wt-%."]},
        ),
        (
            {"elements": [{"element": "Unobtainium", "min_pct": 1}]},
            {
                "elements.Unobtainium": [
                    "Unobtainium is not a chemical element symbol (write e.g. Cr, Ni, Mo)."
                ]
            },
        ),
        ({"quantity": 0}, {"quantity": ["A quantity must be greater than zero."]}),
        ({"quantity": -5}, {"quantity": ["A quantity must be greater than zero."]}),
        (
            {"available_from": "2026-05-01", "available_until": "2026-04-30"},
            {"available_until": ["The listing cannot end before it starts (2026-05-01)."]},
        ),
        (
            {"material": "MAT:kryptonite"},
            {
                "material": [
                    "MAT:kryptonite is not a material of the knowledge base (e.g. MAT:steel-stainless)."
                ]
            },
        ),
        (
            {"grades": ["EU27:E99"]},
            {"grades": ["Not a scrap grade or alloy of the knowledge base: EU27:E99."]},
        ),
        (
            {"waste_code": "AVV:999999"},
            {
                "waste_code": [
                    "AVV:999999 is not a six-digit waste code of the knowledge base (e.g. AVV:170405)."
                ]
            },
        ),
        (
            {"analysis_date": (TODAY + dt.timedelta(days=2)).isoformat()},
            {"analysis_date": ["The analysis date lies in the future."]},
        ),
        (
            {"transport_modes": []},
            {"transport_modes": ["Choose at least one transport mode."]},
        ),
    ],
)
def test_impossible_offers_are_refused_with_precise_field_messages(
    client, token_for, member, network, site, overrides, errors
):
    body = listing_body(network, site) | overrides
    response = send(
        client, "post", "/api/v1/listings", token_for(member) | {"Accept-Language": "en"}, body
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == errors
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"min_quantity": 600},
            {"min_quantity": ["The minimum quantity lies above the quantity (500 t)."]},
        ),
        (
            {"r_strategy": "R:12"},
            {"r_strategy": ["R:12 is not an R-strategy of the knowledge base (R:0 to R:9)."]},
        ),
        (
            {"permitted_waste_codes": ["AVV:170405", "AVV:12"]},
            {
                "permitted_waste_codes": [
                    "Not a six-digit waste code of the knowledge base: AVV:12."
                ]
            },
        ),
        (
            {"max_distance_km": 2500},
            {"max_distance_km": ["Ensure this value is less than or equal to 2000."]},
        ),
        (
            {"max_dilution_pct": 60},
            {"max_dilution_pct": ["Ensure this value is less than or equal to 50."]},
        ),
        (
            {"accepted_forms": ["liquid"]},
            {
                "accepted_forms": [
                    "Not a choice: liquid. Choose from lumps, sheet, turnings, bales, shredded, briquettes, powder, sludge, granules, components, cable, mixed."
                ]
            },
        ),
    ],
)
def test_impossible_demands_are_refused_with_precise_field_messages(
    client, token_for, member, network, site, overrides, errors
):
    body = (
        json.loads(
            json.dumps(demand_values() | {"network": network.slug, "site": site.pk}, default=str)
        )
        | overrides
    )
    response = send(
        client, "post", "/api/v1/listings", token_for(member) | {"Accept-Language": "en"}, body
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == errors


def test_a_malformed_body_is_refused_by_the_schema(client, token_for, member, network, site):
    body = listing_body(network, site) | {"quantity": "viel", "available_from": "morgen"}
    response = send(client, "post", "/api/v1/listings", token_for(member), body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"quantity", "available_from"}


# --- update, withdraw, verify -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 403),
        ("member", 200),
        ("facilitator", 200),
        ("admin", 200),
    ],
)
def test_update_authorization_matrix(client, actors, token_for, anonymous_offer, who, expected):
    headers = headers_of(actors[who], token_for)
    before = AuditEvent.objects.count()
    response = send(
        client,
        "patch",
        f"/api/v1/listings/{anonymous_offer.pk}",
        headers,
        {
            "title": "Drehspäne 1.4301, 14 t im Monat",
            "elements": [{"element": "Cr", "min_pct": 18.2}],
        },
    )
    assert response.status_code == expected, response.content
    anonymous_offer.refresh_from_db()
    if expected == 200:
        assert anonymous_offer.title == "Drehspäne 1.4301, 14 t im Monat"
        assert response.json()["elements"] == [{"element": "Cr", "min_pct": 18.2, "max_pct": None}]
        event = AuditEvent.objects.get(action="update")
        assert set(event.changes) == {"title", "elements"}
    else:
        assert anonymous_offer.title == "Drehspäne 1.4301, sortenrein"
        assert anonymous_offer.elements.count() == 2
        assert AuditEvent.objects.count() == before


def test_update_moves_to_another_own_site_but_never_to_a_foreign_one(
    client, token_for, member, anonymous_offer, other_site
):
    own = SiteFactory(organisation=member.organisation, name="Lager Süd")
    moved = send(
        client,
        "patch",
        f"/api/v1/listings/{anonymous_offer.pk}",
        token_for(member),
        {"site": own.pk},
    )
    assert moved.json()["site"]["name"] == "Lager Süd"
    foreign = send(
        client,
        "patch",
        f"/api/v1/listings/{anonymous_offer.pk}",
        token_for(member),
        {"site": other_site.pk},
    )
    assert foreign.status_code == 422
    assert Listing.objects.get().site == own


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 403),
        ("member", 204),
        ("facilitator", 204),
        ("admin", 204),
    ],
)
def test_withdraw_authorization_matrix(client, actors, token_for, anonymous_offer, who, expected):
    response = send(
        client,
        "delete",
        f"/api/v1/listings/{anonymous_offer.pk}",
        headers_of(actors[who], token_for),
    )
    assert response.status_code == expected, response.content
    anonymous_offer.refresh_from_db()
    assert anonymous_offer.status == ("withdrawn" if expected == 204 else "active")
    assert AuditEvent.objects.filter(action="update").exists() == (expected == 204)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 403),
        ("member", 403),
        ("facilitator", 200),
        ("admin", 200),
    ],
)
def test_verify_authorization_matrix(
    client, actors, token_for, member, anonymous_offer, who, expected
):
    services.attachment_add(
        actor=member,
        listing=anonymous_offer,
        file=SimpleUploadedFile("Zertifikat.pdf", PDF),
        kind="analysis_certificate",
    )
    response = send(
        client,
        "post",
        f"/api/v1/listings/{anonymous_offer.pk}/verification",
        headers_of(actors[who], token_for),
    )
    assert response.status_code == expected, response.content
    anonymous_offer.refresh_from_db()
    assert (anonymous_offer.verified_at is not None) == (expected == 200)
    if expected == 200:
        assert response.json()["data_quality"]["level"] == 4


def test_verifying_without_a_certificate_is_a_conflict(
    client, token_for, facilitator, anonymous_offer
):
    response = send(
        client,
        "post",
        f"/api/v1/listings/{anonymous_offer.pk}/verification",
        token_for(facilitator),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "certificate_required"


# --- attachments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 403),
        ("member", 201),
        ("facilitator", 201),
        ("admin", 201),
    ],
)
def test_attachment_upload_authorization_matrix(
    client, actors, token_for, anonymous_offer, who, expected
):
    response = client.post(
        f"/api/v1/listings/{anonymous_offer.pk}/attachments",
        {"file": SimpleUploadedFile("Analyse.pdf", PDF), "kind": "analysis_certificate"},
        headers=headers_of(actors[who], token_for),
    )
    assert response.status_code == expected, response.content
    assert ListingAttachment.objects.exists() == (expected == 201)
    if expected == 201:
        assert response.json()["name"] == "Analyse.pdf"
        assert response.json()["kind"] == "analysis_certificate"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 403),
        ("member", 200),
        ("facilitator", 200),
        ("admin", 200),
    ],
)
def test_attachment_list_and_download_authorization_matrix(
    client, actors, token_for, member, anonymous_offer, who, expected
):
    attachment = services.attachment_add(
        actor=member, listing=anonymous_offer, file=SimpleUploadedFile("Analyse.pdf", PDF)
    )
    headers = headers_of(actors[who], token_for)
    listed = client.get(f"/api/v1/listings/{anonymous_offer.pk}/attachments", headers=headers)
    download = client.get(
        f"/api/v1/listings/{anonymous_offer.pk}/attachments/{attachment.pk}", headers=headers
    )
    assert (listed.status_code, download.status_code) == (expected, expected)
    if expected == 200:
        assert [a["name"] for a in listed.json()] == ["Analyse.pdf"]
        assert b"".join(download.streaming_content) == PDF


def test_a_refused_upload_names_the_problem_and_stores_nothing(
    client, token_for, member, anonymous_offer
):
    response = client.post(
        f"/api/v1/listings/{anonymous_offer.pk}/attachments",
        {"file": SimpleUploadedFile("Analyse.pdf", b"not a pdf")},
        headers=token_for(member) | {"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "file": ["The content of the file is not PDF, as its name says."]
    }
    assert not ListingAttachment.objects.exists()


def test_attachments_are_removed_by_the_owner(
    client, token_for, member, other_member, anonymous_offer
):
    attachment = services.attachment_add(
        actor=member, listing=anonymous_offer, file=SimpleUploadedFile("Analyse.pdf", PDF)
    )
    path = f"/api/v1/listings/{anonymous_offer.pk}/attachments/{attachment.pk}"
    assert client.delete(path, headers=token_for(other_member)).status_code == 403
    assert client.delete(path, headers=token_for(member)).status_code == 204
    assert not ListingAttachment.objects.exists()


# --- processors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 422),
        ("member", 201),
        ("facilitator", 201),
        ("admin", 201),
    ],
)
def test_processor_create_authorization_matrix(
    client, actors, token_for, network, site, who, expected
):
    headers = headers_of(actors[who], token_for)
    before = AuditEvent.objects.count()
    response = send(
        client,
        "post",
        "/api/v1/processors",
        headers,
        processor_body(network, site),
    )
    assert response.status_code == expected, response.content
    assert Processor.objects.exists() == (expected == 201)
    if expected == 201:
        assert response.json()["outputs"][0]["yield_pct"] == 55
    else:
        assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("who", "patch", "delete"),
    [
        ("anonymous", 401, 401),
        ("other_member", 403, 403),
        ("member", 200, 204),
        ("facilitator", 200, 204),
        ("admin", 200, 204),
    ],
)
def test_processor_update_and_withdraw_authorization_matrix(
    client, actors, token_for, network, site, who, patch, delete
):
    processor = services.processor_create(
        actor=None,
        network=network,
        site=site,
        **{k: v for k, v in processor_body(network, site).items() if k not in ("network", "site")},
    )
    headers = headers_of(actors[who], token_for)
    changed = send(
        client,
        "patch",
        f"/api/v1/processors/{processor.pk}",
        headers,
        {"capacity_t_per_year": 9000},
    )
    withdrawn = send(client, "delete", f"/api/v1/processors/{processor.pk}", headers)
    assert (changed.status_code, withdrawn.status_code) == (patch, delete)
    processor.refresh_from_db()
    assert (processor.capacity_t_per_year == 9000) == (patch == 200)
    assert processor.status == ("withdrawn" if delete == 204 else "active")


def test_processors_are_listed_and_filtered_by_process_and_material(
    client, token_for, member, network, site
):
    services.processor_create(
        actor=None,
        network=network,
        site=site,
        **{k: v for k, v in processor_body(network, site).items() if k not in ("network", "site")},
    )

    def names(query):
        body = client.get(f"/api/v1/processors?{query}", headers=token_for(member)).json()
        return [item["name"] for item in body["items"]]

    assert names("") == ["Kabelgranulierung"]
    assert names("process=shredding&material=MAT:copper") == ["Kabelgranulierung"]
    assert names("process=refining") == []
    assert names("material=MAT:aluminium") == []


def test_an_impossible_processor_is_refused_with_row_messages(
    client, token_for, member, network, site
):
    body = processor_body(
        network,
        site,
        inputs=[],
        outputs=[
            {"material": "MAT:copper", "form": "granules", "legal_status": "waste", "yield_pct": 0}
        ],
    )
    response = send(
        client, "post", "/api/v1/processors", token_for(member) | {"Accept-Language": "en"}, body
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "inputs": ["Name at least one material the processor accepts."],
        "outputs.0.waste_code": ["Waste needs its waste code (AVV)."],
        "outputs.0.yield_pct": ["Ensure this value is greater than or equal to 0.01."],
    }
