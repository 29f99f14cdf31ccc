"""The registry's import page: organisations or sites from a table, all rows or none, the
errors in a table by line, files above the limits refused with a form error."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metalloop.accounts.models import Organisation
from metalloop.network.models import Site

pytestmark = pytest.mark.django_db

PAGE = "/registry/import/"


def upload(text: str, name: str = "tabelle.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def test_the_page_needs_a_login_and_names_the_columns_and_limits(client, client_for, member):
    assert client.get(PAGE).status_code == 302
    page = client_for(member).get(PAGE)

    assert page.status_code == 200
    assert "slug, name, legal_form, kind" in page.text
    assert "organisation, name, kind, street" in page.text
    assert "Eine Datei darf bis zu 20.000 Zeilen und 16,0\xa0MB umfassen" in page.text


def test_a_facilitator_imports_organisations_and_a_member_their_sites(
    client_for, facilitator, member, network
):
    text = f"slug,name,kind,networks\nneue-huette,Neue Hütte GmbH,company,{network.slug}\n"
    page = client_for(facilitator).post(PAGE, {"entity": "organisations", "file": upload(text)})

    assert page.status_code == 200
    assert page.context["result"].created == 1
    assert "1 angelegt, 0 geändert, 0 unverändert." in page.text
    assert Organisation.objects.filter(slug="neue-huette").exists()

    sites = f"organisation,name,place,state\n{member.organisation.slug},Werk,Duisburg,NW\n"
    page = client_for(member).post(PAGE, {"entity": "sites", "file": upload(sites)})
    assert page.status_code == 200
    assert Site.objects.get().organisation == member.organisation


def test_a_refused_file_shows_its_errors_by_line_and_writes_nothing(
    client_for, member, other_organisation
):
    text = (
        "organisation,name,place,state\n"
        f"{member.organisation.slug},Werk,Duisburg,NW\n"
        f"{other_organisation.slug},Fremd,Essen,NW\n"
        f"{member.organisation.slug},Lager,Atlantis,NW\n"
    )
    page = client_for(member).post(PAGE, {"entity": "sites", "file": upload(text)})

    assert page.status_code == 400
    assert [(e.line, e.field) for e in page.context["rejected"].errors] == [
        (3, ""),
        (4, "place"),
    ]
    assert '<section id="import-errors" role="alert">' in page.text
    assert "Es wurde nichts importiert: 2 Zeilen mit Fehlern" in page.text
    assert not Site.objects.exists()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            ("IMPORT_MAX_BYTES", 40),
            "Die Datei ist zu groß ({size}\xa0Bytes); höchstens 40\xa0Bytes werden auf einmal "
            "importiert. Teilen Sie sie auf mehrere Dateien auf.",
        ),
        (
            ("IMPORT_MAX_ROWS", 1),
            "Die Tabelle hat mehr als 1 Zeilen; höchstens 1 Zeilen werden auf einmal "
            "importiert. Teilen Sie sie auf mehrere Dateien auf.",
        ),
    ],
)
def test_a_file_above_the_limits_is_a_form_error(client_for, settings, member, setting, message):
    setattr(settings, *setting)
    slug = member.organisation.slug
    text = f"organisation,name,place\n{slug},Werk,Duisburg\n{slug},Lager,Essen\n"

    page = client_for(member).post(PAGE, {"entity": "sites", "file": upload(text)})

    assert page.status_code == 400
    assert page.context["form"].errors["file"] == [message.format(size=len(text.encode()))]
    assert message.split("(")[0] in page.text
    assert not Site.objects.exists()
