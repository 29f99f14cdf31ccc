"""The matching API: authorization matrices (nothing changes on refusal), the consent
workflow, outcomes and impact, with problem+json errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from metalloop.core.cloaking import Cell
from metalloop.core.geo import Coordinates, great_circle_km
from metalloop.matching.models import MatchingRun, ProposalStatus
from metalloop.reference.impact import load_impact_method
from tests.factories import crowd

pytestmark = pytest.mark.django_db


def _client(token_for, user):
    headers = token_for(user) if user else {}
    return Client(headers=headers)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("member", 403),
        ("other_member", 403),
        ("facilitator", 201),
        ("admin", 201),
    ],
)
def test_who_may_start_a_run(actors, token_for, network, offer, demand, who, status):
    client = _client(token_for, actors[who])
    answer = client.post(
        "/api/v1/matching/runs", {"network": network.slug}, content_type="application/json"
    )
    assert answer.status_code == status, answer.content
    if status == 201:
        body = answer.json()
        assert body["status"] == "done" and body["summary"]["proposals"] == 1
        assert client.get(f"/api/v1/matching/runs/{body['id']}").json()["progress"] == 1.0
    else:
        assert answer["Content-Type"].startswith("application/problem+json")
        assert not MatchingRun.objects.exists()


def test_members_see_no_proposals_before_release(token_for, member, proposal, facilitator):
    assert _client(token_for, member).get("/api/v1/proposals").json()["count"] == 0
    assert _client(token_for, facilitator).get("/api/v1/proposals").json()["count"] == 1
    assert _client(token_for, member).get(f"/api/v1/proposals/{proposal.pk}").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("member", 404), ("facilitator", 200)])  # 404: unseen
def test_only_facilitators_curate(actors, token_for, proposal, who, status):
    answer = _client(token_for, actors[who]).patch(
        f"/api/v1/proposals/{proposal.pk}", {"keep": False}, content_type="application/json"
    )
    assert answer.status_code == status
    proposal.refresh_from_db()
    assert proposal.status == (ProposalStatus.DROPPED if status == 200 else ProposalStatus.PROPOSED)


def test_release_and_the_consent_workflow_over_the_api(
    token_for,
    facilitator,
    member,
    other_member,
    outsider,
    run,
    proposal,
    organisation,
    other_organisation,
):
    fac, sup, rec = (_client(token_for, u) for u in (facilitator, member, other_member))
    kept = fac.patch(f"/api/v1/proposals/{proposal.pk}", {"keep": True},
                     content_type="application/json")  # fmt: skip
    assert kept.status_code == 200 and kept.json()["reviewed_at"] is not None
    release = f"/api/v1/matching/runs/{run.pk}/release"
    preview = fac.post(release, {}, content_type="application/json")
    assert preview.json() == {
        "confirmed": False,
        "proposals": [proposal.pk],
        "organisations": 2,
        "unreviewed": [],
        "not_kept": [],
        "released": [],
    }
    released = fac.post(release, {"confirm": True}, content_type="application/json")
    assert released.status_code == 200 and released.json()["confirmed"] is True
    assert released.json()["released"][0]["status"] == "released"
    seen = sup.get(f"/api/v1/proposals/{proposal.pk}").json()
    assert seen["demand"]["organisation"] is None and seen["identities_revealed"] is False
    assert other_organisation.name not in str(seen)
    assert _client(token_for, outsider).get(f"/api/v1/proposals/{proposal.pk}").status_code == 404
    refused = rec.post(f"/api/v1/proposals/{proposal.pk}/decline", {"reason": "nonsense"},
                       content_type="application/json")  # fmt: skip
    assert refused.status_code == 422
    assert refused["Content-Type"].startswith("application/problem+json")
    assert (
        sup.post(
            f"/api/v1/proposals/{proposal.pk}/interest", {}, content_type="application/json"
        ).status_code
        == 200
    )
    after = rec.post(
        f"/api/v1/proposals/{proposal.pk}/interest", {}, content_type="application/json"
    ).json()
    assert after["status"] == "introduced" and after["identities_revealed"] is True
    assert after["inputs"][0]["organisation"] == organisation.name
    outcome = sup.post(
        f"/api/v1/proposals/{proposal.pk}/outcome",
        {"result": "deal", "tonnes": "30", "settled_on": dt.date.today().isoformat()},
        content_type="application/json",
    )
    assert outcome.status_code == 201 and outcome.json()["status"] == "settled"
    again = sup.post(
        f"/api/v1/proposals/{proposal.pk}/outcome",
        {"result": "failed", "reason": "price"},
        content_type="application/json",
    )
    assert again.status_code == 409
    impact = fac.get(f"/api/v1/impact?network={proposal.network.slug}").json()
    assert impact["total"]["deals"] == 1 and impact["total"]["tonnes"] == 30
    assert impact["total"]["net"] > 0
    mine = sup.get(f"/api/v1/impact?network={proposal.network.slug}").json()
    assert mine["total"]["deals"] == 1
    theirs = (
        _client(token_for, outsider).get(f"/api/v1/impact?network={proposal.network.slug}").json()
    )
    assert theirs["total"]["deals"] == 0


def test_saved_searches_over_the_api(token_for, member, network):
    client = _client(token_for, member)
    bad = client.post(
        "/api/v1/saved-searches",
        {"network": network.slug, "name": "x", "filters": {"organisation": "acme"}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    made = client.post(
        "/api/v1/saved-searches",
        {
            "network": network.slug,
            "name": "Edelstahl",
            "filters": {"material": "MAT:steel-stainless"},
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    assert [s["name"] for s in client.get("/api/v1/saved-searches").json()] == ["Edelstahl"]
    assert client.delete(f"/api/v1/saved-searches/{made.json()['id']}").status_code == 204


def test_top_candidates_for_a_listing(
    token_for, member, outsider, offer, demand, other_organisation, network
):
    # Two members only: the anonymous demand is shown nowhere to the supplier (no cell holds
    # two organisations besides them), so it is no candidate it could judge.
    assert _client(token_for, member).get(f"/api/v1/matching/candidates/{offer.pk}").json() == []
    crowd(network)
    found = _client(token_for, member).get(f"/api/v1/matching/candidates/{offer.pk}").json()
    assert [c["listing_id"] for c in found] == [demand.pk]
    assert found[0]["organisation"] is None and other_organisation.name not in str(found)
    assert _client(token_for, outsider).get(f"/api/v1/matching/candidates/{offer.pk}").json() == []


def test_a_run_with_an_unknown_objective_is_refused_with_422(token_for, facilitator, network):
    answer = _client(token_for, facilitator).post(
        "/api/v1/matching/runs",
        {"network": network.slug, "objective": "profit"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "objective" in answer.json()["errors"]
    assert not MatchingRun.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("outsider", 404), ("facilitator", 403), ("admin", 403)],
)
@pytest.mark.parametrize(
    ("action", "payload"),
    [("interest", {}), ("decline", {"reason": "price"})],
)
def test_who_may_answer_a_proposal(
    actors, outsider, token_for, released, who, status, action, payload
):
    user = outsider if who == "outsider" else actors[who]
    answer = _client(token_for, user).post(
        f"/api/v1/proposals/{released.pk}/{action}", payload, content_type="application/json"
    )
    assert answer.status_code == status
    assert answer["Content-Type"].startswith("application/problem+json")
    released.refresh_from_db()
    assert released.status == ProposalStatus.RELEASED
    assert not released.parties.exclude(response="pending").exists()


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("outsider", 404)])
def test_who_may_record_an_outcome(
    actors, outsider, token_for, released, member, other_member, who, status
):
    from metalloop.matching.services import proposal_answer

    proposal_answer(actor=member, proposal=released, interested=True)
    proposal_answer(actor=other_member, proposal=released, interested=True)
    user = outsider if who == "outsider" else actors[who]
    answer = _client(token_for, user).post(
        f"/api/v1/proposals/{released.pk}/outcome",
        {"result": "deal", "tonnes": "5", "settled_on": dt.date.today().isoformat()},
        content_type="application/json",
    )
    assert answer.status_code == status
    released.refresh_from_db()
    assert released.status == ProposalStatus.INTRODUCED


def test_impact_is_refused_to_visitors(token_for, network):
    answer = Client().get(f"/api/v1/impact?network={network.slug}")
    assert answer.status_code == 401


def test_impact_per_organisation_for_facilitators_only(
    token_for, facilitator, member, other_member, released, organisation, other_organisation
):
    from metalloop.matching.services import outcome_record, proposal_answer

    proposal_answer(actor=member, proposal=released, interested=True)
    proposal_answer(actor=other_member, proposal=released, interested=True)
    outcome_record(
        actor=member, proposal=released, result="deal", tonnes=10, settled_on=dt.date.today()
    )
    slug = released.network.slug
    seen = _client(token_for, facilitator).get(f"/api/v1/impact?network={slug}").json()
    assert set(seen["by_organisation"]) == {organisation.name, other_organisation.name}
    assert seen["by_organisation"][organisation.name]["tonnes"] == 10
    assert (
        _client(token_for, member).get(f"/api/v1/impact?network={slug}").json()["by_organisation"]
        == {}
    )


def test_before_the_introduction_a_distance_to_a_party_shown_nowhere_is_its_limit(
    token_for, released, member, other_member
):
    # Two members only: neither is shown even an 80 km cell of the other, so the delivery is
    # taken as the demand's limit (250 km of road), freight and net CO2 worked out from it.
    method = load_impact_method()
    stored = released.explanation
    client = _client(token_for, other_member)
    body = client.get(f"/api/v1/proposals/{released.pk}").json()
    limit_km = 250 / method.detour.value
    assert (body["km"], body["km_approximate"], body["score"]) == (round(limit_km, 1), True, None)
    (leg,) = body["explanation"]["legs"]
    assert leg["great_circle_km"] == limit_km
    assert leg["freight_t"] == leg["tonnes"] * method.freight_per_tonne("road", limit_km)
    co2 = body["explanation"]["co2"]
    assert co2["net"] == co2["production_saved"] - leg["freight_t"]
    assert body["co2_t"] == co2["net"]
    assert (body["explanation"]["score"], body["explanation"]["score_parts"]) == (None, {})
    text = client.get(f"/api/v1/proposals/{released.pk}").content.decode()
    exact_km = stored["legs"][0]["great_circle_km"]
    assert f"{stored['legs'][0]['freight_t']}" not in text and f"{released.co2_t}" not in text
    assert f"{exact_km}" not in text and f"{round(exact_km, 1)}" not in text
    for user in (member, other_member):
        answer = _client(token_for, user).post(
            f"/api/v1/proposals/{released.pk}/interest", {}, content_type="application/json"
        )
        assert answer.status_code == 200
    after = client.get(f"/api/v1/proposals/{released.pk}").json()
    assert (after["km"], after["km_approximate"]) == (round(exact_km, 1), False)
    assert after["co2_t"] == pytest.approx(released.co2_t)


def test_before_the_introduction_distances_are_measured_to_the_centre_of_the_cell_shown(
    token_for, released, member, other_member, network, supplier_site, receiver_site
):
    crowd(network)
    method = load_impact_method()
    # The receiver in Bottrop sees the supplier's 10 km cell, and the supplier the receiver's.
    supplier_cell = Cell(1, 1, 514, 45)
    receiver_cell = Cell(1, 1, 515, 46)
    supplier = Coordinates(supplier_site.latitude, supplier_site.longitude)
    receiver = Coordinates(receiver_site.latitude, receiver_site.longitude)
    assert supplier_cell.contains(supplier) and receiver_cell.contains(receiver)
    seen = {
        user: _client(token_for, user).get(f"/api/v1/proposals/{released.pk}").json()
        for user in (member, other_member)
    }
    to_receiver = great_circle_km(supplier, receiver_cell.centre)
    to_supplier = great_circle_km(supplier_cell.centre, receiver)
    for user, km in ((member, to_receiver), (other_member, to_supplier)):
        assert seen[user]["km"] == round(km, 1)
        (leg,) = seen[user]["explanation"]["legs"]
        assert leg["great_circle_km"] == km
        assert leg["freight_t"] == leg["tonnes"] * method.freight_per_tonne("road", km)


def test_candidates_of_a_hidden_owner_are_judged_at_the_centre_of_its_cell(
    token_for, member, offer, demand, network, supplier_site
):
    crowd(network)
    (found,) = _client(token_for, member).get(f"/api/v1/matching/candidates/{offer.pk}").json()
    site = Coordinates(supplier_site.latitude, supplier_site.longitude)
    cell = Cell(1, 1, 515, 46)
    assert found["km"] == round(great_circle_km(site, cell.centre), 1)
    assert (found["km_nearest"], found["km_farthest"], found["cell_km"]) == (
        round(cell.nearest_km(site), 1),
        round(cell.farthest_km(site), 1),
        [10, 10],
    )
