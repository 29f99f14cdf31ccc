"""The organisations endpoints, with an authorization matrix per write."""

from __future__ import annotations

import json

import pytest

from metalloop.accounts.models import Organisation
from metalloop.common.models import AuditEvent
from metalloop.network.models import Competence
from tests.factories import OrganisationFactory, SiteFactory

pytestmark = pytest.mark.django_db


def send(client, method, path, headers=None, body=None):
    return getattr(client, method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers=headers or {},
    )


def headers_of(actor, token_for):
    return token_for(actor) if actor is not None else {}


def test_list_is_paginated_with_the_total_count(client, organisation):
    OrganisationFactory.create_batch(4)
    response = client.get("/api/v1/organisations?page_size=2&page=2")
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 5
    assert body["page"] == 2
    assert body["pages"] == 3
    assert len(body["items"]) == 2


def test_list_filters_by_role_competence_network_and_place(client, organisation, network):
    organisation.roles.set(["recycling_remelting"])
    Competence.objects.get(code="briquetting").organisations.add(organisation)
    SiteFactory(organisation=organisation, place="Goslar", postcode="38640", state="NI")
    OrganisationFactory(name="Unbeteiligt AG")

    def slugs(query):
        return [o["slug"] for o in client.get(f"/api/v1/organisations?{query}").json()["items"]]

    assert slugs("role=recycling_remelting") == [organisation.slug]
    assert slugs("competence=briquetting") == [organisation.slug]
    assert slugs(f"network={network.slug}") == [organisation.slug]
    assert slugs("place=gosl") == [organisation.slug]
    assert slugs("place=386") == [organisation.slug]
    names = [o["name"] for o in client.get("/api/v1/organisations?q=unbeteiligt").json()["items"]]
    assert names == ["Unbeteiligt AG"]


def test_read_one_returns_404_problem_for_a_missing_id(client):
    response = client.get("/api/v1/organisations/999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("who", "network_given", "expected"),
    [
        ("anonymous", True, 401),
        ("other_member", True, 403),
        ("member", True, 403),
        ("facilitator", True, 201),
        ("facilitator", False, 403),
        ("admin", False, 201),
    ],
)
def test_create_authorization_matrix(
    client, actors, token_for, network, who, network_given, expected
):
    headers = headers_of(actors[who], token_for)
    before_orgs, before_events = Organisation.objects.count(), AuditEvent.objects.count()
    body = {"name": "Neue Hütte GmbH", "kind": "company", "roles": ["smelting_refining"]}
    if network_given:
        body["networks"] = [network.slug]
    response = send(client, "post", "/api/v1/organisations", headers, body)
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["name"] == "Neue Hütte GmbH"
        assert response.json()["roles"] == ["smelting_refining"]
        assert Organisation.objects.count() == before_orgs + 1
        assert AuditEvent.objects.filter(action="create", origin="api").count() == 1
    else:
        assert response["Content-Type"] == "application/problem+json"
        assert Organisation.objects.count() == before_orgs
        assert AuditEvent.objects.count() == before_events


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
def test_update_authorization_matrix(client, actors, token_for, organisation, who, expected):
    path = f"/api/v1/organisations/{organisation.pk}"
    response = send(
        client, "patch", path, headers_of(actors[who], token_for), {"website": "https://x.example"}
    )
    assert response.status_code == expected, response.content
    organisation.refresh_from_db()
    if expected == 200:
        assert organisation.website == "https://x.example"
        event = AuditEvent.objects.get(action="update", object_id=str(organisation.pk))
        assert event.changes == {"website": ["", "https://x.example"]}
    else:
        assert organisation.website == ""
        assert not AuditEvent.objects.filter(action="update").exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 403),
        ("member", 403),
        ("facilitator", 204),
        ("admin", 204),
    ],
)
def test_delete_authorization_matrix(client, actors, token_for, network, who, expected):
    target = OrganisationFactory()
    network.memberships.create(organisation=target)
    response = send(
        client, "delete", f"/api/v1/organisations/{target.pk}", headers_of(actors[who], token_for)
    )
    assert response.status_code == expected, response.content
    assert Organisation.objects.filter(pk=target.pk).exists() == (expected != 204)


def test_a_write_without_a_token_is_refused_with_401_and_changes_nothing(client, organisation):
    before = Organisation.objects.count()
    response = send(client, "post", "/api/v1/organisations", body={"name": "X", "kind": "company"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metalloop"'
    assert Organisation.objects.count() == before


def test_a_revoked_or_malformed_token_is_refused(client, admin_user, token_for):
    from metalloop.accounts.models import ApiToken

    headers = token_for(admin_user)
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    body = {"name": "X", "kind": "company"}
    assert send(client, "post", "/api/v1/organisations", headers, body).status_code == 401
    bad = {"Authorization": "Bearer mlp_nonsense"}
    assert send(client, "post", "/api/v1/organisations", bad, body).status_code == 401


def test_an_organisation_without_a_name_is_refused_with_422_and_a_field_error(
    client, admin_user, token_for
):
    before = Organisation.objects.count()
    response = send(
        client, "post", "/api/v1/organisations", token_for(admin_user), {"kind": "company"}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "name" in response.json()["errors"]
    empty = send(
        client,
        "post",
        "/api/v1/organisations",
        token_for(admin_user),
        {"name": " ", "kind": "company"},
    )
    assert empty.status_code == 422
    assert "name" in empty.json()["errors"]
    assert Organisation.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "A", "kind": "spaceship"}, "kind"),
        ({"name": "A", "kind": "company", "roles": ["mining_on_mars"]}, "roles"),
        ({"name": "A", "kind": "company", "competences": ["nope"]}, "competences"),
        ({"name": "A", "kind": "company", "networks": ["nope"]}, "networks"),
        ({"name": "A", "kind": "company", "website": "not a url"}, "website"),
        ({"name": "A", "kind": "company", "size_class": "giant"}, "size_class"),
    ],
)
def test_invalid_fields_are_refused_with_field_errors_and_nothing_is_written(
    client, admin_user, token_for, body, field
):
    before = Organisation.objects.count()
    response = send(client, "post", "/api/v1/organisations", token_for(admin_user), body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert Organisation.objects.count() == before


def test_delete_refused_while_users_belong_to_the_organisation(
    client, member, admin_user, token_for
):
    response = send(
        client, "delete", f"/api/v1/organisations/{member.organisation_id}", token_for(admin_user)
    )
    assert response.status_code == 409
    assert Organisation.objects.filter(pk=member.organisation_id).exists()


def test_api_errors_speak_german_by_default_and_english_on_request(client, admin_user, token_for):
    headers = token_for(admin_user)
    german = send(client, "post", "/api/v1/organisations", headers, {"name": "", "kind": "company"})
    assert german.json()["title"] == "Die Eingabe ist ungültig."
    english = send(
        client,
        "post",
        "/api/v1/organisations",
        {**headers, "Accept-Language": "en"},
        {"name": "", "kind": "company"},
    )
    assert english.json()["title"] == "The input is not valid."
    assert english.json()["errors"]["name"] == ["This field cannot be blank."]
