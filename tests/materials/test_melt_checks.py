"""The check names the diluent it assumes and says what alloying a shortfall needs, on the
API, the page and the command line, in German by default."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

# Shredded scrap with twice the copper EU-27 E3 allows; Sn within the limit.
COPPER_RICH = {"Cu": 0.5, "Sn": 0.005}
# An AlMg4,5Mn lot with magnesium below the 4.0 % minimum of EN AW-5083.
LOW_MAGNESIUM = {"Mg": 3.6, "Mn": 0.6, "Cr": 0.1, "Si": 0.2, "Fe": 0.3}


def check(client, specification, analysis, language="de"):
    return client.post(
        "/api/v1/reference/check",
        data=json.dumps({"specification": specification, "analysis": analysis}),
        content_type="application/json",
        headers={"Accept-Language": language},
    ).json()


def test_the_knowledge_base_has_one_sourced_diluent_per_main_base_metal(client):
    body = client.get("/api/v1/reference/diluents").json()
    found = {item["data"]["balance"]: item for item in body["items"]}
    assert set(found) >= {"Fe", "Al", "Cu"}
    assert found["Fe"]["code"] == "DIL:iron-hbi"
    assert found["Fe"]["data"]["analysis"]["Cu"] == [0.0, 0.002]
    assert all(item["source"]["document"] for item in found.values())


def test_dilution_is_worked_out_with_the_named_diluent(client):
    body = check(client, "EU27:E3", COPPER_RICH)
    assert body["verdict"] == "fits_after_dilution"
    assert body["max_share"] == pytest.approx((0.25 - 0.002) / (0.5 - 0.002))
    assert body["diluent"]["code"] == "DIL:iron-hbi"
    assert "höchstens 49,8 % des Einsatzes" in body["explanation"]
    assert "Heißbrikettierter Eisenschwamm (HBI) (DIL:iron-hbi)" in body["explanation"]
    english = check(client, "EU27:E3", COPPER_RICH, language="en")
    assert "Hot briquetted iron (HBI) (DIL:iron-hbi)" in english["explanation"]


def test_a_shortfall_of_magnesium_fits_after_alloying_with_the_addition(client):
    body = check(client, "EN573:AW-5083", LOW_MAGNESIUM)
    assert body["verdict"] == "fits_after_alloying"
    assert body["diluent"] is None
    (addition,) = body["additions"]
    assert addition["element"] == "Mg"
    assert addition["kg_per_t"] == pytest.approx(0.004 / 0.96 * 1000)
    assert "nach Legieren" in body["explanation"]
    assert "4,2 kg Mg" in body["explanation"]


def test_the_page_shows_the_alloying_verdict(client):
    page = client.get(
        "/reference/check/",
        {"specification": "EN573:AW-5083", "analysis": "Mg=3.6, Mn=0.6, Cr=0.1, Si=0.2, Fe=0.3"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "passt nach Legieren" in text
    assert "4,2 kg Mg" in text


def test_the_command_line_explains_dilution_and_alloying():
    diluted, alloyed = StringIO(), StringIO()
    call_command("ref", "check", "EU27:E3", analysis="Cu=0.5, Sn=0.005", stdout=diluted)
    call_command("ref", "check", "EN573:AW-5083", analysis="Mg=3.6,Mn=0.6,Cr=0.1", stdout=alloyed)
    assert "DIL:iron-hbi" in diluted.getvalue()
    assert "4,2 kg Mg" in alloyed.getvalue()


def test_classification_does_not_count_on_alloying(client):
    body = client.post(
        "/api/v1/reference/classify",
        data=json.dumps({"analysis": LOW_MAGNESIUM}),
        content_type="application/json",
    ).json()
    assert "EN573:AW-5083" not in [item["code"] for item in body["items"]]


def test_limits_and_analyses_are_written_as_german_readers_write_numbers(client):
    page = client.get(
        "/reference/check/",
        {"specification": "EN573:AW-5083", "analysis": "Mg=3.6, Mn=0.6, Cr=0.1, Si=0.2, Fe=0.3"},
    ).content.decode()
    assert "≤ 0,4 Gew.-%" in page and "4–4,9 Gew.-%" in page
    assert "<td>3,6</td>" in page and "-0,4" in page


def test_a_diluents_page_shows_its_analysis_in_words_and_german_numbers(client):
    page = client.get("/reference/entry/DIL:iron-hbi/").content.decode()
    assert "Cu ≤ 0,002 %, Ni ≤ 0,006 %" in page
    assert "{" not in page.split("<dd>", 1)[1].split("</dl>", 1)[0]
