"""Organisations, sites and curated records refuse control characters on every path: the API
(422 naming the field), the forms, the command-line import (line and column) and the admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from metalloop.accounts.models import Organisation
from metalloop.common.models import AuditEvent
from metalloop.network.models import Barrier, Site
from tests.cli.conftest import fail_command
from tests.factories import TopicTableFactory
from tests.network.test_api_organisations import send

pytestmark = pytest.mark.django_db

GERMAN = "Der Text enthält ein Steuerzeichen (U+0007) an Stelle 5; bitte entfernen Sie es."
ENGLISH = "The text holds a control character (U+0007) at position 5; remove it."
ESCAPE = "The text holds a control character (U+001B) at position 1; remove it."


def refused(response, field, message):
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["errors"], body["codes"]) == ({field: [message]}, {field: ["refused_character"]})


def test_the_api_refuses_new_and_changed_organisations_with_a_control_character(
    client, token_for, facilitator, member, network
):
    organisation = member.organisation
    admin_headers = token_for(facilitator) | {"Accept-Language": "en"}
    member_headers = token_for(member) | {"Accept-Language": "en"}
    organisations, events = Organisation.objects.count(), AuditEvent.objects.count()

    new = send(
        client,
        "post",
        "/api/v1/organisations",
        admin_headers,
        {"name": "Neue\x07Hütte", "kind": "company", "networks": [network.slug]},
    )
    change = send(
        client,
        "patch",
        f"/api/v1/organisations/{organisation.pk}",
        member_headers,
        {"description": "\x1b[2J Schrott"},
    )

    refused(new, "name", ENGLISH)
    refused(change, "description", ESCAPE)
    organisation.refresh_from_db()
    assert organisation.description == ""
    assert (Organisation.objects.count(), AuditEvent.objects.count()) == (organisations, events)


def test_the_api_refuses_sites_with_a_control_character_or_a_line_break(client, token_for, member):
    headers = token_for(member) | {"Accept-Language": "en"}
    events = AuditEvent.objects.count()
    body = {
        "organisation": member.organisation.pk,
        "name": "Lager",
        "place": "Duisburg",
        "street": "Hafen\x07str. 1",
    }

    new = send(client, "post", "/api/v1/sites", headers, body)
    site = send(client, "post", "/api/v1/sites", headers, body | {"street": "Hafenstr. 1"})
    change = send(
        client, "patch", f"/api/v1/sites/{site.json()['id']}", headers, {"name": "La\nger"}
    )

    refused(new, "street", ENGLISH.replace("position 5", "position 6"))
    refused(
        change, "name", "This field is a single line: remove the line break or tab at position 3."
    )
    assert list(Site.objects.values_list("name", "street")) == [("Lager", "Hafenstr. 1")]
    assert AuditEvent.objects.count() == events + 1


def test_the_edit_form_shows_the_refusal_at_the_field(client_for, member):
    organisation = member.organisation

    response = client_for(member).post(
        f"/organisations/{organisation.slug}/edit/",
        {"name": "Acme\x07 Metall", "kind": "company", "description": "gut"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [GERMAN]
    organisation.refresh_from_db()
    assert (organisation.name.startswith("Testmetall"), organisation.description) == (True, "")


def test_the_site_form_shows_the_refusal_at_the_field(client_for, member):
    response = client_for(member).post(
        f"/organisations/{member.organisation.slug}/sites/new/",
        {"name": "Lage\x07r", "kind": "yard", "place": "Goslar", "postcode": "38640"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [GERMAN]
    assert not Site.objects.exists()


def test_the_command_line_import_names_line_and_column_also_for_a_looked_up_cell(
    tmp_path: Path, network
):
    path = tmp_path / "organisations.csv"
    path.write_text(
        "slug,name,kind,networks,description\n"
        f"acme,Acme\x07 Metall,company,{network.slug},gut\n"
        "beta,Beta Guss,company,netz\x00werk,\x1bhallo\n",
        encoding="utf-8",
    )

    with translation.override("en"):
        message, err = fail_command("import", "organisations", str(path))

    assert message == "nothing was imported: 2 rows with errors"
    assert err.splitlines() == [
        f"line 2, name: {ENGLISH}",
        "line 3, networks: The text holds a control character (U+0000) at position 5; remove it.",
        f"line 3, description: {ESCAPE}",
    ]
    assert not Organisation.objects.filter(slug__in=["acme", "beta"]).exists()


def test_the_admin_refuses_a_control_character_at_the_field(client_for, facilitator, network):
    table = TopicTableFactory(network=network)
    barrier = Barrier.objects.create(
        topic_table=table, title="Abfallende unklar", description="-", category="legal"
    )

    response = client_for(facilitator).post(
        f"/admin/network/barrier/{barrier.pk}/change/",
        {
            "topic_table": table.pk,
            "title": "Abfallende unklar",
            "description": "Kriterien\u202e fehlen",
            "category": "legal",
            "status": "identified",
            "addressee": "Acme\x07 NRW",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["addressee"] == [GERMAN]
    assert errors["description"] == [
        "Der Text enthält ein Zeichen, das die Schreibrichtung umkehrt (U+202E), an Stelle 10; "
        "es kann einen Text anders aussehen lassen, als er lautet. Bitte entfernen Sie es."
    ]
    barrier.refresh_from_db()
    assert (barrier.description, barrier.addressee) == ("-", "")
