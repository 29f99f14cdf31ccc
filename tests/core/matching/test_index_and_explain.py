"""Single-listing queries agree with the full search; explanations show their working."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metalloop.core.matching.engine import build_network, match
from metalloop.core.matching.explain import explain
from metalloop.core.matching.index import ListingIndex
from metalloop.core.materials.composition import Composition, ShareRange
from metalloop.core.materials.specification import Limit, Specification
from metalloop.core.units import MassFraction

from .builders import ANCESTORS, METHOD, PERIOD, demand, offer, problem, random_problem


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_the_index_finds_the_pairs_a_full_search_admits(seed: int) -> None:
    prob = random_problem(seed)
    network = build_network(prob)
    direct = {
        (
            prob.offers[int(network.sources.origin[i])].key,
            prob.demands[int(network.sinks.origin[j])].key,
        )
        for i, j in zip(network.pairs.source, network.pairs.sink, strict=True)
        if network.sources.kind[i] == 0 and network.sinks.kind[j] == 0
    }
    for new in prob.offers:
        others = [o for o in prob.offers if o.key != new.key]
        index = ListingIndex(
            others, prob.demands, period=PERIOD, method=METHOD, ancestors=ANCESTORS
        )
        found = {(new.key, c.key) for c in index.demands_for(new, limit=1000)}
        assert found == {pair for pair in direct if pair[0] == new.key}
    for new_demand in prob.demands:
        index = ListingIndex(prob.offers, [], period=PERIOD, method=METHOD, ancestors=ANCESTORS)
        found = {(c.key, new_demand.key) for c in index.offers_for(new_demand, limit=1000)}
        assert found == {pair for pair in direct if pair[1] == new_demand.key}


def test_candidates_come_best_first_and_limited() -> None:
    demands = [demand(f"d{k}", 10 * (k + 1)) for k in range(15)]
    index = ListingIndex([], demands, period=PERIOD, method=METHOD, ancestors=ANCESTORS)
    found = index.demands_for(offer("o", 100))
    assert len(found) == 10
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert found[0].key == "d9"  # 100 t wanted: the best quantity fit


def test_an_explanation_lists_rules_chemistry_route_and_co2() -> None:
    analysed = offer(
        "o",
        material="MAT:steel-stainless-austenitic",
        composition=Composition({"Cu": ShareRange.wt_pct(0.2), "Cr": ShareRange.wt_pct(18.1)}),
    )
    limits = Specification("d", "Fe", (Limit("Cu", high=MassFraction.wt_pct(0.3)),), closed=False)
    wanted = demand("d", limits=limits)
    prob = problem([analysed], [wanted])
    (proposal,) = match(prob).proposals
    text = explain(
        proposal,
        offers={"o": analysed},
        demands={"d": wanted},
        processors={},
        method=METHOD,
        ancestors=ANCESTORS,
        period=PERIOD,
    ).as_dict()
    assert all(rule["passed"] for rule in text["rules"])
    assert {rule["rule"] for rule in text["rules"]} >= {"material", "distance", "legal_status"}
    (cu,) = text["chemistry"]
    assert cu["subject"] == "Cu" and cu["headroom_pct"] == pytest.approx(0.1)
    assert text["chemistry_verdict"] == "fits"
    assert text["co2"]["primary_factor"] == "EF:steel-primary"
    assert text["co2"]["net"] == pytest.approx(proposal.co2)
    (leg,) = text["legs"]
    assert leg["road_km"] == pytest.approx(leg["great_circle_km"] * 1.3)
