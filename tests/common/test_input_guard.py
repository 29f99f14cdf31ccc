"""The input guard, the strict JSON parser and the bounds: exact answers to the edge cases."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from metalloop.common.json_parser import UnreadableJSON, parse_strict_json
from metalloop.common.pagination import MAX_PAGE
from metalloop.common.params import MAX_RECORD_ID, column_range
from metalloop.exchange.models import Listing
from metalloop.matching.models import MatchingRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_client() -> Client:
    return Client(headers={"Accept-Language": "en"})


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(member, token_for, english_client):
    # JSON "\\u0000" is the six characters \u0000; only "\u0000" is a NUL.
    body = json.dumps({"name": "\\u0000 in the manual"})
    assert "\\\\u0000" in body
    response = english_client.post(
        "/api/v1/tokens", data=body, content_type="application/json", headers=token_for(member)
    )
    assert response.status_code == 201
    assert response.json()["name"] == "\\u0000 in the manual"


def test_a_json_nul_escape_is_refused(member, token_for, english_client):
    response = english_client.post(
        "/api/v1/tokens",
        data=b'{"name": "a\\u0000b"}',
        content_type="application/json",
        headers=token_for(member),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body contains a NUL character (U+0000)."


def test_form_bodies_are_read_percent_decoded(client_for, member):
    client = client_for(member)
    refused = client.post("/account/tokens/", data="name=a%00b", content_type=FORM)
    assert refused.status_code == 400
    accepted = client.post("/account/tokens/", data="name=100%25+sure", content_type=FORM)
    assert accepted.status_code == 200


FORM = "application/x-www-form-urlencoded"


def test_a_cookie_holding_a_nul_is_refused(english_client):
    # The cookie parser turns the octal escape \000 of a quoted value into U+0000.
    response = english_client.get("/api/v1/health", HTTP_COOKIE='sessionid="\\000abcdefgh"')
    assert response.status_code == 400
    assert response.json()["detail"] == "A cookie contains a NUL character (U+0000)."


@pytest.mark.parametrize(
    "body",
    [b"NaN", b'{"a": -Infinity}', b"[1e999]", b'{"\\udfff": 1}', b'{"a": "\\ud800"}'],
)
def test_the_strict_parser_refuses_what_no_database_takes(body):
    with pytest.raises((UnreadableJSON, ValueError)):
        parse_strict_json(body)


def test_the_strict_parser_reads_ordinary_json():
    assert parse_strict_json(b'{"a": [1, 2.5, "\\u00fc", null]}') == {"a": [1, 2.5, "ü", None]}


def test_malformed_json_is_a_400_problem_in_the_language_of_the_request(member, token_for):
    response = Client().post(
        "/api/v1/tokens",
        data=b'{"name": ',
        content_type="application/json",
        headers=token_for(member),
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Der Inhalt der Anfrage ist kein gültiges JSON."


def test_ids_beyond_the_64_bit_range_are_422_and_within_it_404(english_client):
    beyond = english_client.get("/api/v1/organisations/99999999999999999999")
    assert beyond.status_code == 422
    assert list(beyond.json()["errors"]) == ["organisation_id"]
    largest = english_client.get(f"/api/v1/organisations/{MAX_RECORD_ID}")
    assert largest.status_code == 404


def test_page_numbers_are_bounded(english_client):
    assert english_client.get(f"/api/v1/organisations?page={MAX_PAGE + 1}").status_code == 422
    last = english_client.get(f"/api/v1/organisations?page={MAX_PAGE}")
    assert last.status_code == 200
    assert last.json()["items"] == []


def test_page_numbers_of_pages_fall_back_to_a_page_that_exists(client):
    for page in ("99999999999999999999", "-1", "1e400", "NaN"):
        assert client.get(f"/organisations/?page={page}").status_code == 200


def test_a_patch_may_leave_a_field_out_but_not_null_it(admin_user, token_for, organisation):
    headers = token_for(admin_user)
    url = f"/api/v1/organisations/{organisation.pk}"
    before = organisation.description
    refused = Client().patch(
        url, data={"description": None}, content_type="application/json", headers=headers
    )
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["description"]
    organisation.refresh_from_db()
    assert organisation.description == before
    kept = Client().patch(url, data={}, content_type="application/json", headers=headers)
    assert kept.status_code == 200


def test_column_ranges_follow_the_model_fields():
    quantity = column_range(Listing, "quantity")
    assert (quantity.ge, quantity.le) == (Decimal("-999999999.999"), Decimal("999999999.999"))
    distance = column_range(Listing, "max_distance_km")  # the rule (1 to 2000) stays with the model
    assert (distance.ge, distance.le) == (-(2**31), 2**31 - 1)
    with pytest.raises(ValueError, match=r"MatchingRun\.progress has no range"):
        column_range(MatchingRun, "progress")
