"""Django's own request limits give a page or a problem that says what was too much."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def test_too_much_form_data_on_a_page_is_a_413_page_that_says_so(client_for, settings, member):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    client = client_for(member)

    page = client.post(
        "/exchange/import/",
        data="network=x&note=" + "x" * 200,
        content_type="application/x-www-form-urlencoded",
        headers={"Referer": "http://testserver/exchange/import/"},
    )

    assert page.status_code == 413
    assert "Die Anfrage wurde abgelehnt" in page.text
    assert (
        "Die Anfrage enthielt mehr als 100\xa0Bytes Formulardaten (Dateien zählen gesondert). "
        "Senden Sie weniger Text auf einmal." in page.text
    )
    assert 'href="http://testserver/exchange/import/"' in page.text


def test_too_many_fields_on_a_page_is_a_413_page_and_a_foreign_referer_no_link(
    client_for, settings, member
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    page = client_for(member).post(
        "/registry/import/",
        {f"field{n}": "x" for n in range(5)},
        headers={"Referer": "https://elsewhere.example/"},
    )

    assert page.status_code == 413
    assert "mehr als 3 Felder" in page.text
    assert "elsewhere.example" not in page.text


def test_too_much_json_in_the_api_is_a_413_problem(client, settings, member, token_for, network):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post(
        "/api/v1/listings",
        data=json.dumps({"network": network.slug, "title": "x" * 200}),
        content_type="application/json",
        headers={"Accept-Language": "en", **token_for(member)},
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "The request is too large."
    assert response.json()["detail"] == (
        "The request sent more than 100\xa0bytes of form data; files count separately. "
        "Send less text at once."
    )


def test_too_many_files_in_the_api_is_a_413_problem(client, settings, member, token_for, network):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    files = [SimpleUploadedFile(f"t{n}.csv", b"name\nx\n") for n in range(2)]
    response = client.post(
        "/api/v1/listings/import",
        {"network": network.slug, "file": files},
        headers={"Accept-Language": "en", **token_for(member)},
    )

    assert response.status_code == 413
    assert response.json()["title"] == "The request is too large."
    assert response.json()["detail"] == "The request sent more than 1 files; send fewer at once."
