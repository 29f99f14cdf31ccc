"""``POST /api/v1/organisations/import`` and ``/sites/import``: the registry's imports
through the API, with the rights of the token's user; nothing changes on a refusal."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metalloop.accounts.models import Organisation
from metalloop.common.models import AuditEvent
from metalloop.network.models import Site

pytestmark = pytest.mark.django_db


def post(client, path, headers, text):
    upload = SimpleUploadedFile("table.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(path, {"file": upload}, headers={"Accept-Language": "en", **headers})


def headers_of(actor, token_for):
    return token_for(actor) if actor is not None else {}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_member", 422),
        ("member", 422),
        ("facilitator", 200),
        ("admin", 200),
    ],
)
def test_organisations_import_authorization_matrix(
    client, actors, token_for, network, who, expected
):
    before = Organisation.objects.count()
    text = f"slug,name,kind,networks\nneue-huette,Neue Hütte GmbH,company,{network.slug}\n"

    response = post(
        client, "/api/v1/organisations/import", headers_of(actors[who], token_for), text
    )

    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}
        created = Organisation.objects.get(slug="neue-huette")
        assert list(created.memberships.values_list("network", flat=True)) == [network.pk]
        assert AuditEvent.objects.get(object_id=str(created.pk)).origin == "api"
        return
    assert response["Content-Type"] == "application/problem+json"
    assert Organisation.objects.count() == before
    assert not AuditEvent.objects.filter(object_type="accounts.organisation").exists()
    if expected == 422:
        assert response.json()["rows"] == [
            {"line": 2, "field": "", "message": "You may not add organisations to these networks."}
        ]


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
def test_sites_import_authorization_matrix(client, actors, token_for, organisation, who, expected):
    text = f"organisation,name,place,state\n{organisation.slug},Werk Ruhrort,Duisburg,NW\n"

    response = post(client, "/api/v1/sites/import", headers_of(actors[who], token_for), text)

    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}
        site = Site.objects.get()
        assert (site.organisation, site.place, site.state) == (organisation, "Duisburg", "NW")
        return
    assert not Site.objects.exists()
    assert not AuditEvent.objects.filter(object_type="network.site").exists()
    if expected == 422:
        assert response.json()["rows"][0]["message"] == (
            "You may not add sites to this organisation."
        )


def test_a_site_file_above_the_row_limit_is_refused_with_413(
    client, settings, member, token_for, organisation
):
    settings.IMPORT_MAX_ROWS = 1
    text = (
        "organisation,name,place,state\n"
        f"{organisation.slug},Werk,Duisburg,NW\n{organisation.slug},Lager,Essen,NW\n"
    )

    response = post(client, "/api/v1/sites/import", token_for(member), text)

    assert response.status_code == 413
    assert (response.json()["limit"], response.json()["maximum"]) == ("rows", 1)
    assert not Site.objects.exists()
