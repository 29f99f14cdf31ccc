"""Sites (CRUD with the gazetteer), networks and topic tables (read) over the API."""

from __future__ import annotations

import json

import pytest

from metalloop.common.models import AuditEvent
from metalloop.network.models import Site
from tests.factories import OrganisationFactory, SiteFactory, TopicTableFactory

pytestmark = pytest.mark.django_db


def post(client, path, body, headers):
    return client.post(
        path, data=json.dumps(body), content_type="application/json", headers=headers
    )


def headers_of(actor, token_for):
    return token_for(actor) if actor is not None else {}


def test_create_a_site_located_by_the_gazetteer(client, member, token_for):
    body = {
        "organisation": member.organisation_id,
        "name": "Werk",
        "place": "Mülheim an der Ruhr",
        "postcode": "45468",
    }
    response = post(client, "/api/v1/sites", body, token_for(member))
    assert response.status_code == 201, response.content
    site = response.json()
    assert (site["state"], site["coordinate_source"]) == ("NW", "gazetteer")
    assert (round(site["latitude"], 2), round(site["longitude"], 2)) == (51.43, 6.88)


def test_create_a_site_with_given_coordinates(client, member, token_for):
    body = {
        "organisation": member.organisation_id,
        "name": "Halde",
        "place": "Irgendwo im Harz",
        "state": "NI",
        "latitude": 51.8,
        "longitude": 10.4,
    }
    response = post(client, "/api/v1/sites", body, token_for(member))
    assert response.status_code == 201, response.content
    assert response.json()["coordinate_source"] == "given"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"place": "Atlantis"}, "place"),
        ({"place": "Essen"}, "place"),
        ({"place": "Goslar", "postcode": "3864"}, "postcode"),
        ({"place": "Goslar", "latitude": 51.9}, "latitude"),
        ({"place": "Goslar", "latitude": 95.0, "longitude": 10.0, "state": "NI"}, "latitude"),
        ({"place": "Goslar", "latitude": 51.9, "longitude": 10.4}, "state"),
        ({"place": "Goslar", "kind": "volcano"}, "kind"),
        ({"place": ""}, "place"),
    ],
)
def test_bad_site_input_is_refused_with_a_field_error_and_nothing_written(
    client, member, token_for, extra, field
):
    headers = token_for(member)
    events = AuditEvent.objects.count()
    body = {"organisation": member.organisation_id, "name": "Werk", **extra}
    response = post(client, "/api/v1/sites", body, headers)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert not Site.objects.exists()
    assert AuditEvent.objects.count() == events


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
def test_site_update_authorization_matrix(client, actors, token_for, organisation, who, expected):
    site = SiteFactory(organisation=organisation)
    response = client.patch(
        f"/api/v1/sites/{site.pk}",
        data=json.dumps({"name": "Neues Lager"}),
        content_type="application/json",
        headers=headers_of(actors[who], token_for),
    )
    assert response.status_code == expected, response.content
    site.refresh_from_db()
    assert (site.name == "Neues Lager") == (expected == 200)


def test_moving_a_site_locates_it_again(client, member, token_for):
    site = SiteFactory(organisation=member.organisation)
    response = client.patch(
        f"/api/v1/sites/{site.pk}",
        data=json.dumps({"place": "Goslar", "postcode": "38640", "state": ""}),
        content_type="application/json",
        headers=token_for(member),
    )
    assert response.status_code == 200, response.content
    assert (response.json()["state"], round(response.json()["latitude"], 1)) == ("NI", 51.9)


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
def test_site_delete_authorization_matrix(client, actors, token_for, organisation, who, expected):
    site = SiteFactory(organisation=organisation)
    response = client.delete(f"/api/v1/sites/{site.pk}", headers=headers_of(actors[who], token_for))
    assert response.status_code == expected
    assert Site.objects.filter(pk=site.pk).exists() == (expected != 204)


@pytest.mark.parametrize("who", ["anonymous", "other_member", "member", "facilitator", "admin"])
def test_site_create_for_a_foreign_organisation_matrix(
    client, actors, token_for, organisation, who
):
    body = {"organisation": organisation.pk, "name": "Werk", "place": "Goslar", "postcode": "38640"}
    response = post(client, "/api/v1/sites", body, headers_of(actors[who], token_for))
    expected = {
        "anonymous": 401,
        "other_member": 403,
        "member": 201,
        "facilitator": 201,
        "admin": 201,
    }[who]
    assert response.status_code == expected
    assert Site.objects.count() == (1 if expected == 201 else 0)


def test_sites_list_filters_and_paginates(client, organisation):
    SiteFactory(organisation=organisation, name="A", place="Duisburg")
    SiteFactory(
        organisation=OrganisationFactory(), name="B", place="Goslar", postcode="38640", state="NI"
    )
    body = client.get("/api/v1/sites?state=NI").json()
    assert (body["count"], [s["name"] for s in body["items"]]) == (1, ["B"])
    assert client.get(f"/api/v1/sites?organisation={organisation.slug}").json()["count"] == 1
    assert client.get("/api/v1/sites?page_size=500").status_code == 422


def test_networks_and_topic_tables_are_readable(client, network, organisation):
    table = TopicTableFactory(network=network)
    table.action_fields.create(name="Circular Design")
    networks = client.get("/api/v1/networks").json()
    assert networks["count"] == 1
    assert networks["items"][0]["members"] == [organisation.slug]
    assert networks["items"][0]["topic_tables"] == [table.pk]
    assert client.get(f"/api/v1/networks/{network.slug}").json()["member_count"] == 1
    tables = client.get(f"/api/v1/topic-tables?network={network.slug}").json()
    assert [t["name"] for t in tables["items"]] == [table.name]
    detail = client.get(f"/api/v1/topic-tables/{table.pk}").json()
    assert [f["name"] for f in detail["action_fields"]] == ["Circular Design"]
    assert client.get("/api/v1/topic-tables/999999").status_code == 404
    assert client.get("/api/v1/networks/nope").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_networks_and_topic_tables_cannot_be_written_over_the_api(
    client, network, admin_user, token_for, method
):
    response = getattr(client, method)(
        f"/api/v1/networks/{network.slug}", headers=token_for(admin_user)
    )
    assert response.status_code == 405


READ_ENDPOINTS = [
    "/api/v1/health",
    "/api/v1/organisations",
    "/api/v1/organisations/{organisation}",
    "/api/v1/sites",
    "/api/v1/sites/{site}",
    "/api/v1/networks",
    "/api/v1/networks/{network}",
    "/api/v1/topic-tables",
    "/api/v1/topic-tables/{table}",
]


@pytest.mark.parametrize("path", READ_ENDPOINTS)
@pytest.mark.parametrize("who", ["anonymous", "other_member", "member", "facilitator", "admin"])
def test_read_endpoints_are_open_to_everyone(
    client, actors, token_for, network, organisation, path, who
):
    site = SiteFactory(organisation=organisation)
    table = TopicTableFactory(network=network)
    url = path.format(
        organisation=organisation.pk, site=site.pk, network=network.slug, table=table.pk
    )
    assert client.get(url, headers=headers_of(actors[who], token_for)).status_code == 200


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 404),
        ("member", 204),
        ("facilitator", 404),
        ("admin", 404),
    ],
)
def test_token_revoke_matrix_only_the_owner_sees_a_token(
    client, actors, token_for, member, who, expected
):
    from metalloop.accounts.services import token_create

    token, _ = token_create(actor=member, name="ERP")
    response = client.delete(
        f"/api/v1/tokens/{token.pk}", headers=headers_of(actors[who], token_for)
    )
    assert response.status_code == expected
    token.refresh_from_db()
    assert (token.revoked_at is not None) == (expected == 204)
