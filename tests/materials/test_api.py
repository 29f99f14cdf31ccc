"""The knowledge base over the API: lists, entries, check and classify, refusals with 422."""

from __future__ import annotations

import json

import pytest

from metalloop.core.materials.entries import Kind

pytestmark = pytest.mark.django_db

TURNINGS_1_4301 = {"Cr": 18.1, "Ni": 8.3, "C": 0.03}


def post(client, path, body, **headers):
    return client.post(
        path, data=json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("kind", [k.value for k in Kind])
def test_every_part_is_listed_with_sources(client, kind):
    body = client.get(f"/api/v1/reference/{kind}?page_size=200").json()
    assert body["count"] > 0, kind
    for item in body["items"]:
        assert item["source"]["document"] and item["source"]["edition"], item["code"]
        assert item["confidence"] in {"standard", "secondary", "estimate"}


def test_an_unknown_part_is_refused(client):
    assert client.get("/api/v1/reference/unicorns").status_code == 422


def test_search_and_read_one_entry(client):
    found = client.get("/api/v1/reference/alloys?q=X5CrNi18-10").json()
    assert "EN10088:1.4301" in [item["code"] for item in found["items"]]
    entry = client.get("/api/v1/reference/alloys/EN10088:1.4301").json()
    assert entry["data"]["composition"]["limits"]["Cr"] == [17.5, 19.5]
    assert client.get("/api/v1/reference/alloys/EN10088:9.9999").status_code == 404
    assert client.get("/api/v1/reference/waste-codes/EN10088:1.4301").status_code == 404


def test_1_4301_turnings_fit_1_4301_with_headroom(client):
    response = post(
        client,
        "/api/v1/reference/check",
        {"specification": "EN10088:1.4301", "analysis": TURNINGS_1_4301},
    )
    body = response.json()
    assert response.status_code == 200
    assert body["verdict"] == "fits"
    lines = {line["subject"]: line for line in body["lines"]}
    assert lines["Cr"]["headroom"] == pytest.approx(0.6)
    assert lines["Cr"]["value_min"] == pytest.approx(18.1)
    assert body["source"]["document"]


def test_1_4301_turnings_do_not_fit_1_4404_because_mo_is_missing(client):
    body = post(
        client,
        "/api/v1/reference/check",
        {"specification": "EN10088:1.4404", "analysis": TURNINGS_1_4301},
    ).json()
    assert body["verdict"] == "does_not_fit"
    assert "Mo" in body["failing"]
    assert {line["subject"]: line["status"] for line in body["lines"]}["Mo"] == "missing"


def test_check_accepts_text_and_aliases_and_explains_in_the_request_language(client):
    body = post(
        client,
        "/api/v1/reference/check",
        {"specification": "1.4301", "analysis": "Cr=18.1, Ni=8.3, C=0.03"},
        **{"Accept-Language": "en"},
    ).json()
    assert body["specification"] == "EN10088:1.4301"
    assert body["explanation"].startswith("The analysis fits X5CrNi18-10 (EN10088:1.4301).")


def test_classify_lists_1_4301_first_among_the_fitting_grades(client):
    body = post(client, "/api/v1/reference/classify", {"analysis": TURNINGS_1_4301}).json()
    codes = [item["code"] for item in body["items"]]
    assert "EN10088:1.4301" in codes
    assert "EN10088:1.4404" not in codes
    assert body["items"][0]["verdict"] == "fits"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"specification": "EN10088:9.9999", "analysis": TURNINGS_1_4301},
            "specification",
            "is not the code",
        ),
        (
            {"specification": "AVV:170405", "analysis": TURNINGS_1_4301},
            "specification",
            "is not an alloy or scrap grade",
        ),
        (
            {"specification": "EN10088:1.4301", "analysis": {"Cr": -1}},
            "analysis",
            "cannot be negative",
        ),
        (
            {"specification": "EN10088:1.4301", "analysis": {"Cr": 80, "Ni": 30}},
            "analysis",
            "more than 100 wt-%",
        ),
        (
            {"specification": "EN10088:1.4301", "analysis": {"Qq": 1}},
            "analysis",
            "not a chemical element symbol",
        ),
        (
            {"specification": "EN10088:1.4301", "analysis": {"Cr": [19, 17]}},
            "analysis",
            "lies above the maximum",
        ),
        ({"specification": "EN10088:1.4301", "analysis": "Cr=abc"}, "analysis", "is not a number"),
        ({"specification": "EN10088:1.4301"}, "analysis", ""),
    ],
)
def test_unknown_codes_and_impossible_analyses_are_refused_with_422(client, body, field, message):
    response = post(client, "/api/v1/reference/check", body, **{"Accept-Language": "en"})
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert field in errors
    assert message in " ".join(errors[field])


def test_classify_refuses_an_impossible_analysis(client):
    response = post(client, "/api/v1/reference/classify", {"analysis": {"Cr": -5}})
    assert response.status_code == 422
    assert "analysis" in response.json()["errors"]


def test_end_of_waste_check_of_aluminium_scrap(client):
    declarations: list[str] = []
    body = post(
        client,
        "/api/v1/reference/end-of-waste-check",
        {
            "rule": "EOW:333-2011-II",
            "foreign_materials_wt_pct": 7.0,
            "metal_yield_pct": 92.0,
            "declarations": declarations,
        },
    ).json()
    assert body["rule"] == "EOW:333-2011-II"
    assert body["outcome"] == "unknown"  # the declarations are still open
    foreign = [c for c in body["criteria"] if c["check"] == "max_share"]
    assert [c["outcome"] for c in foreign] == ["met"]
    all_declared = [c["attribute"] for c in body["criteria"] if c["check"] == "declaration"]
    met = post(
        client,
        "/api/v1/reference/end-of-waste-check",
        {"rule": "EOW:333-2011-II", "foreign_materials_wt_pct": 3.0, "declarations": all_declared},
    ).json()
    assert met["outcome"] == "met" and met["open_criteria"] == []
    failed = post(
        client,
        "/api/v1/reference/end-of-waste-check",
        {"rule": "EOW:333-2011-I", "foreign_materials_wt_pct": 2.5},
    )
    assert failed.json()["outcome"] == "not_met"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rule": "EN10088:1.4301"}, "rule"),
        ({"rule": "EOW:333-2011-I", "foreign_materials_wt_pct": 120}, "foreign_materials_wt_pct"),
        ({"rule": "EOW:333-2011-I", "declarations": ["free_beer"]}, "declarations"),
    ],
)
def test_end_of_waste_check_refuses_bad_input(client, body, field):
    response = post(client, "/api/v1/reference/end-of-waste-check", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_a_process_type_in_german_and_english(client):
    german = client.get("/api/v1/reference/process-types/PROC:cable-granulation").json()
    assert german["name"] == "Kabelzerlegung (Kabelgranulierung)"
    assert german["data"]["inputs"] == ["MAT:cable-scrap"]
    assert german["data"]["products"] == ["MAT:copper-unalloyed"]
    assert "MAT:plastics-cable" in german["data"]["co_products"]
    assert (german["data"]["r_strategy"], german["data"]["competence"]) == (
        "R:8",
        "scrap-preparation",
    )
    assert german["note"].startswith("Auf Trenntischen")
    assert "maintainer_note" not in json.dumps(german)
    english = client.get(
        "/api/v1/reference/process-types/PROC:cable-granulation",
        headers={"Accept-Language": "en"},
    ).json()
    assert english["name"] == "Cable granulation"
    assert english["note"].startswith("On separation tables")
    found = client.get("/api/v1/reference/process-types?q=Wälzoxid").json()
    assert [item["code"] for item in found["items"]] == ["PROC:waelz-kiln"]
