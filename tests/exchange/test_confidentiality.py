"""An anonymous listing never reveals its owner to another member (issue 4, §8).

One test per path: pages, API detail and list, filter counts, free-text search, export,
map data and radius search, error messages, attachments, processors — and the positive
control that the owner, the facilitator and (after consent) the other party do see it.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metalloop.core.cloaking import Cell
from metalloop.core.geo import Coordinates, great_circle_km
from metalloop.exchange import permissions, services
from metalloop.exchange.adapters import resolve_place
from metalloop.exchange.models import Listing
from tests.exchange.test_api import processor_body
from tests.exchange.test_services import PDF
from tests.factories import SiteFactory, crowd

pytestmark = pytest.mark.django_db


def secrets_of(listing):
    """Every text that would tell who placed the listing."""
    organisation, site = listing.organisation, listing.site
    return [
        organisation.name,
        organisation.slug,
        site.name,
        site.postcode,
        f"{site.latitude:.4f}",
        f"{site.longitude:.4f}",
        f"/organisations/{organisation.slug}/",
    ]


def assert_hidden(text, listing):
    leaked = [secret for secret in secrets_of(listing) if secret in text]
    assert leaked == [], f"the owner leaks: {leaked}"


def assert_shown(text, listing):
    assert listing.organisation.name in text


@pytest.fixture
def neighbours(network):
    crowd(network)


@pytest.fixture
def secret(anonymous_offer, member):
    """An anonymous offer with a creator and a certificate (both would name the owner)."""
    anonymous_offer.created_by = member
    anonymous_offer.save()
    services.attachment_add(
        actor=member,
        listing=anonymous_offer,
        file=SimpleUploadedFile("Zertifikat Testmetall.pdf", PDF),
        kind="analysis_certificate",
    )
    return anonymous_offer


# --- pages ----------------------------------------------------------------------------------------


def test_the_search_page_does_not_name_the_owner(client_for, other_member, member, secret):
    page = client_for(other_member).get("/exchange/")
    assert secret.title in page.text
    assert_hidden(page.text, secret)
    assert_shown(client_for(member).get("/exchange/").text, secret)


def test_the_listing_page_does_not_name_the_owner(client_for, other_member, member, secret):
    page = client_for(other_member).get(f"/exchange/listings/{secret.pk}/")
    assert page.status_code == 200
    assert_hidden(page.text, secret)
    assert member.email not in page.text
    assert "Zertifikat" not in page.text
    own = client_for(member).get(f"/exchange/listings/{secret.pk}/").text
    assert_shown(own, secret)
    assert "Zertifikat Testmetall.pdf" in own


def test_the_htmx_results_do_not_name_the_owner(client_for, other_member, secret):
    partial = client_for(other_member).get("/exchange/", headers={"HX-Request": "true"})
    assert_hidden(partial.text, secret)


# --- API ------------------------------------------------------------------------------------------


def test_the_api_detail_withholds_organisation_site_person_and_attachments(
    client, token_for, other_member, member, facilitator, secret, neighbours
):
    response = client.get(f"/api/v1/listings/{secret.pk}", headers=token_for(other_member))
    body = response.json()
    assert response.status_code == 200
    assert (body["owner_revealed"], body["organisation"], body["site"]) == (False, None, None)
    assert (body["created_by"], body["attachments"]) == (None, None)
    assert body["location"]["precision"] == "area"
    assert (body["location"]["latitude"], body["location"]["longitude"]) == (51.45, 6.825)
    assert_hidden(response.text, secret)
    for who in (member, facilitator):
        own = client.get(f"/api/v1/listings/{secret.pk}", headers=token_for(who)).json()
        assert own["organisation"]["slug"] == secret.organisation.slug
        assert own["created_by"]["email"] == member.email
        assert own["location"]["precision"] == "site"
        assert [a["name"] for a in own["attachments"]] == ["Zertifikat Testmetall.pdf"]


def test_the_api_list_withholds_the_owner(client, token_for, other_member, secret, named_offer):
    response = client.get("/api/v1/listings", headers=token_for(other_member))
    items = {item["id"]: item for item in response.json()["items"]}
    assert items[secret.pk]["organisation"] is None
    assert items[named_offer.pk]["organisation"]["slug"] == named_offer.organisation.slug
    anonymous_part = json.dumps(items[secret.pk])
    assert_hidden(anonymous_part, secret)


def test_filtering_by_organisation_neither_counts_nor_returns_anonymous_listings(
    client, token_for, other_member, member, secret, named_offer, facilitator_only_offer
):
    slug = secret.organisation.slug
    query = f"/api/v1/listings?organisation={slug}"
    seen = client.get(query, headers=token_for(other_member)).json()
    assert (seen["count"], [i["id"] for i in seen["items"]]) == (1, [named_offer.pk])
    own = client.get(query, headers=token_for(member)).json()
    assert own["count"] == 3


def test_searching_for_the_owner_name_finds_only_listings_that_show_their_owner(
    client, token_for, other_member, member, secret, named_offer
):
    name = secret.organisation.name
    seen = client.get(f"/api/v1/listings?q={name}", headers=token_for(other_member)).json()
    assert [i["id"] for i in seen["items"]] == [named_offer.pk]
    own = client.get(f"/api/v1/listings?q={name}", headers=token_for(member)).json()
    assert {i["id"] for i in own["items"]} == {named_offer.pk, secret.pk}


# --- export ---------------------------------------------------------------------------------------


def test_the_export_leaves_out_the_owner_of_anonymous_listings(
    client_for, other_member, member, network, secret, named_offer
):
    exported = client_for(other_member).get(f"/exchange/export/?network={network.slug}&format=csv")
    text = exported.content.decode("utf-8-sig")
    rows = {line.split(",")[0].strip('"'): line for line in text.splitlines()[1:]}
    assert set(rows) == {str(secret.pk), str(named_offer.pk)}
    assert_hidden(rows[str(secret.pk)], secret)
    assert named_offer.organisation.slug in rows[str(named_offer.pk)]
    own = client_for(member).get(f"/exchange/export/?network={network.slug}").content.decode()
    assert_shown(own.replace(secret.organisation.slug, secret.organisation.name), secret)


# --- map and radius -------------------------------------------------------------------------------


def test_map_markers_of_anonymous_listings_sit_at_the_centre_of_a_ten_kilometre_cell(
    client_for, other_member, secret, named_offer, neighbours
):
    page = client_for(other_member).get("/exchange/")
    points = {p["url"]: p for p in page.context["points"]}
    anonymous = points[f"/exchange/listings/{secret.pk}/"]
    named = points[f"/exchange/listings/{named_offer.pk}/"]
    assert (anonymous["lat"], anonymous["lon"], anonymous["precision"]) == (51.45, 6.825, "area")
    assert (named["lat"], named["lon"], named["precision"]) == (51.43247, 6.76516, "site")
    detail = client_for(other_member).get(f"/exchange/listings/{secret.pk}/")
    assert [(p["lat"], p["lon"]) for p in detail.context["points"]] == [(51.45, 6.825)]


def test_a_radius_search_measures_to_the_nearest_point_of_the_cell_so_it_cannot_locate_the_site(
    client, token_for, other_member, member, secret, neighbours
):
    # The site lies in Duisburg's centre, in the 10 km cell 51.4–51.5 N, 6.75–6.9 E; Moers
    # lies west of the cell, about 8.3 km from its edge and 9.5 km from the site.
    moers = resolve_place("Moers").coordinates
    cell = Cell(1, 1, 514, 45)
    nearest, farthest = cell.nearest_km(moers), cell.farthest_km(moers)

    def found(who, radius):
        query = f"/api/v1/listings?place=Moers&radius_km={radius}"
        items = client.get(query, headers=token_for(who)).json()["items"]
        return [(item["id"], item["distance_km"], item["distance_max_km"]) for item in items]

    exact = round(great_circle_km(moers, Coordinates(51.43247, 6.76516)), 1)
    assert found(member, 9) == []
    assert found(member, 10) == [(secret.pk, exact, exact)]
    assert found(other_member, 8) == []
    assert found(other_member, 9) == [(secret.pk, round(nearest, 1), round(farthest, 1))]
    assert 8 < nearest < 9 < exact < 10


def test_where_a_quarter_of_the_cell_is_too_sparse_the_larger_cell_is_shown(
    client, token_for, client_for, network, other_member, secret
):
    # Neighbours everywhere but in the two 10 km cells north of the owner's 10 km cell and of
    # its western neighbour: the northern half of their 20 km cell (51.4–51.6 N, 6.6–6.9 E)
    # is empty, so that cell is shown, wherever in it the site lies.
    crowd(network, skip={(515, 44), (515, 45)})
    body = client.get(f"/api/v1/listings/{secret.pk}", headers=token_for(other_member)).json()
    location = body["location"]
    assert (location["latitude"], location["longitude"]) == (51.5, 6.75)
    assert (location["precision"], location["cell_km"], location["state"]) == (
        "area",
        [20, 20],
        "",
    )
    assert location["cell_deg"] == pytest.approx([0.2, 0.3])
    assert location["bounds"] == pytest.approx([51.4, 6.6, 51.6, 6.9])
    detail = client_for(other_member).get(f"/exchange/listings/{secret.pk}/")
    assert "ein Gebiet von etwa 20 × 20 km" in detail.text
    assert [p["cell"] for p in detail.context["points"]] == [pytest.approx([0.2, 0.3])]


def test_the_viewers_own_sites_never_make_the_cell_smaller(
    client, token_for, network, other_member, secret
):
    # One neighbour everywhere, and the viewer's own organisation everywhere as well: the
    # viewer's sites do not count, so one other organisation is not enough for any cell.
    crowd(network, names=("Nachbar Eins GmbH",))
    for i in range(8):
        for j in range(8):
            cell = Cell(1, 1, 512 + i, 40 + j)
            SiteFactory(
                organisation=other_member.organisation,
                latitude=cell.centre.latitude,
                longitude=cell.centre.longitude,
            )
    body = client.get(f"/api/v1/listings/{secret.pk}", headers=token_for(other_member)).json()
    assert body["location"]["precision"] == "hidden"


def test_where_no_cell_holds_three_members_the_listing_is_shown_nowhere(
    client, token_for, client_for, other_member, secret
):
    # The owner is the only member with a site: no area can hide it, so no position, no
    # state, no marker, and a radius search cannot place it (its owner still finds it).
    body = client.get(f"/api/v1/listings/{secret.pk}", headers=token_for(other_member)).json()
    assert body["location"] == {
        "latitude": None, "longitude": None, "precision": "hidden", "state": "",
        "cell_deg": None, "cell_km": None, "bounds": None,
    }  # fmt: skip
    page = client_for(other_member).get("/exchange/")
    assert f"/exchange/listings/{secret.pk}/" not in {p["url"] for p in page.context["points"]}
    detail = client_for(other_member).get(f"/exchange/listings/{secret.pk}/")
    assert detail.context["points"] == []
    assert "zeigt die Karte es nicht" in detail.text
    assert_hidden(detail.text, secret)
    radius = "/api/v1/listings?place=Duisburg&radius_km=200"
    items = client.get(radius, headers=token_for(other_member)).json()["items"]
    assert secret.pk not in {item["id"] for item in items}
    own = client.get(radius, headers=token_for(secret.created_by)).json()["items"]
    assert secret.pk in {item["id"] for item in own}


# --- errors ---------------------------------------------------------------------------------------


def test_refusals_do_not_say_whose_listing_it_is(
    client, token_for, client_for, other_member, secret, facilitator_only_offer
):
    headers = token_for(other_member)
    attempts = [
        client.patch(
            f"/api/v1/listings/{secret.pk}",
            data=json.dumps({"title": "Meins"}),
            content_type="application/json",
            headers=headers,
        ),
        client.delete(f"/api/v1/listings/{secret.pk}", headers=headers),
        client.get(f"/api/v1/listings/{secret.pk}/attachments", headers=headers),
        client.get(f"/api/v1/listings/{facilitator_only_offer.pk}", headers=headers),
        client_for(other_member).get(f"/exchange/listings/{secret.pk}/edit/"),
    ]
    assert [r.status_code for r in attempts] == [403, 403, 403, 404, 403]
    for response in attempts:
        assert_hidden(response.content.decode(), secret)
    assert Listing.objects.get(pk=secret.pk).title == secret.title


def test_attachments_are_not_handed_out_to_other_members_even_of_named_listings(
    client_for, other_member, member, named_offer
):
    attachment = services.attachment_add(
        actor=member, listing=named_offer, file=SimpleUploadedFile("Analyse.pdf", PDF)
    )
    url = f"/exchange/listings/{named_offer.pk}/attachments/{attachment.pk}/"
    assert client_for(other_member).get(url).status_code == 403
    response = client_for(member).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="Analyse.pdf"'


def test_an_import_refusal_does_not_name_the_owner(other_member, network, secret):
    from metalloop.common.tabular import parse_csv

    table = parse_csv(
        "id,side,kind,title,material,legal_status,form,quantity,unit,available_from,"
        "transport_modes\n"
        f"{secret.pk},offer,scrap,Meins,MAT:steel-non-alloy,by_product,lumps,1,t,2026-01-01,road\n"
    )
    with pytest.raises(services.ImportRejected) as rejected:
        services.listings_import(actor=other_member, network=network, table=table)
    assert_hidden(str(rejected.value.errors), secret)


# --- processors and consent ----------------------------------------------------------------------


def test_an_anonymous_processor_does_not_name_its_owner(
    client, token_for, member, other_member, network, site
):
    created = client.post(
        "/api/v1/processors",
        data=json.dumps(processor_body(network, site)),
        content_type="application/json",
        headers=token_for(member),
    ).json()
    seen = client.get(f"/api/v1/processors/{created['id']}", headers=token_for(other_member))
    assert (seen.json()["organisation"], seen.json()["site"]) == (None, None)
    assert site.organisation.name not in seen.text
    assert site.name not in seen.text


def test_after_consent_the_other_party_learns_the_owner(client, token_for, other_member, secret):
    def consented(*, actor):
        return [secret.pk] if actor == other_member else []

    permissions.register_consent_checker(consented)
    try:
        body = client.get(f"/api/v1/listings/{secret.pk}", headers=token_for(other_member)).json()
    finally:
        permissions.unregister_consent_checker(consented)
    assert body["organisation"]["slug"] == secret.organisation.slug
    assert body["attachments"] is None  # documents stay with the owner and the facilitators
