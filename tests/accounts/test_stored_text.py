"""Names of users and tokens refuse control characters: API, page and command line."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from metalloop.accounts.models import ApiToken, User
from tests.cli.conftest import fail_command

pytestmark = pytest.mark.django_db

ENGLISH = "The text holds a control character (U+001B) at position 4; remove it."
GERMAN = "Der Text enthält ein Steuerzeichen (U+001B) an Stelle 4; bitte entfernen Sie es."


def test_the_api_refuses_a_token_name_with_a_control_character(token_for, member):
    client = Client(headers=token_for(member) | {"Accept-Language": "en"})

    response = client.post(
        "/api/v1/tokens", {"name": "ERP\x1b[31m"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"name": [ENGLISH]}
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["test"]


def test_the_tokens_page_shows_the_refusal_at_the_name(client_for, member):
    response = client_for(member).post("/account/tokens/", {"name": "ERP\x1b[31m"})

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [GERMAN]
    assert not ApiToken.objects.exists()


def test_the_command_line_refuses_names_with_a_control_character(member):
    with translation.override("en"):
        user, _ = fail_command(
            "user", "create", "--email", "neu@example.org", "--role", "admin", "--name", "Ann\x1ba"
        )
        token, _ = fail_command("token", "create", "--user", member.email, "--name", "ERP\x1b[31m")

    assert user == f"full_name: {ENGLISH}"
    assert token == f"name: {ENGLISH}"
    assert not User.objects.filter(email="neu@example.org").exists()
    assert not ApiToken.objects.exists()
