"""Matching runs on small networks with known answers, and the properties of every run."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from metalloop.core.matching.allocation import allocate
from metalloop.core.matching.candidates import SearchContext, admissible, find_pairs
from metalloop.core.matching.engine import (
    ProposalKind,
    build_network,
    flow_problem_of,
    match,
)
from metalloop.core.matching.listings import (
    Flow,
    Form,
    LegalStatus,
    MatchingInputError,
    Processor,
    ProcessorOutput,
    TimeWindow,
    TransportMode,
)
from metalloop.core.matching.scoring import Feedback, Objective
from metalloop.core.matching.tables import (
    OwnerIds,
    chemistry_tables,
    day,
    sink_table,
    source_table,
)
from metalloop.core.materials.composition import Composition, ShareRange
from metalloop.core.materials.specification import Limit, Specification
from metalloop.core.units import Mass, MassFraction

from .builders import (
    ANCESTORS,
    DORTMUND,
    DUISBURG,
    ESSEN,
    METHOD,
    MUNICH,
    PERIOD,
    demand,
    offer,
    problem,
    random_problem,
)


def test_a_direct_match_moves_what_both_sides_allow_and_counts_its_co2() -> None:
    result = match(problem([offer("o1", 100)], [demand("d1", 80)]))
    (proposal,) = result.proposals
    assert proposal.kind is ProposalKind.DIRECT
    assert proposal.tonnes == pytest.approx(80)
    road_km = proposal.great_circle_km * 1.3
    assert proposal.co2 == pytest.approx(80 * (2.3 - 0.7 - 112e-6 * road_km))
    assert proposal.mode == "road"


def test_nothing_matches_across_the_rules() -> None:
    steel = [offer("o1")]
    assert not match(problem(steel, [demand("far", location=MUNICH)])).proposals
    assert not match(
        problem(steel, [demand("al", materials=frozenset({"MAT:aluminium"}))])
    ).proposals
    assert not match(problem([offer("own", owner="same")], [demand("d", owner="same")])).proposals
    later = TimeWindow(date(2027, 3, 1), date(2027, 6, 1))
    assert not match(problem(steel, [demand("late", window=later)])).proposals
    waste = [offer("w", legal_status=LegalStatus.WASTE, waste_code="AVV:170405")]
    assert not match(problem(waste, [demand("no-permit")])).proposals
    permitted = demand("permit", permitted_waste_codes=frozenset({"AVV:170405"}))
    assert match(problem(waste, [permitted])).proposals
    turnings = [offer("t", form=Form.TURNINGS)]
    assert not match(problem(turnings, [demand("sheet", forms=frozenset({Form.SHEET}))])).proposals


def test_the_cheapest_common_transport_mode_is_chosen() -> None:
    both = frozenset({TransportMode.ROAD, TransportMode.RAIL})
    result = match(problem([offer("o", modes=both)], [demand("d", modes=both)]))
    assert result.proposals[0].mode == "rail"


def test_chemistry_decides_and_dilution_is_bounded_by_the_buyer() -> None:
    analysed = offer(
        "o",
        material="MAT:steel-stainless-austenitic",
        composition=Composition({"Cu": ShareRange.wt_pct(0.5)}),
    )
    limits = Specification("d", "Fe", (Limit("Cu", high=MassFraction.wt_pct(0.3)),), closed=False)
    strict = demand("strict", limits=limits)
    lenient = demand("lenient", limits=limits, max_dilution=0.5)
    assert not match(problem([analysed], [strict])).proposals
    (proposal,) = match(problem([analysed], [lenient])).proposals
    assert proposal.verdict == "fits_after_dilution"
    assert proposal.dilution == pytest.approx(0.4)


def test_a_chain_through_a_processor_delivers_the_yield() -> None:
    turnings = offer("turnings", 50, form=Form.TURNINGS)
    foundry = demand("foundry", 100, forms=frozenset({Form.BRIQUETTES}))
    briquetting = Processor(
        key="press",
        owner="press-co",
        process="briquetting",
        inputs=demand("press-in", 40, location=ESSEN, owner="press-co"),
        outputs=(ProcessorOutput("MAT:steel-non-alloy", 0.9, form=Form.BRIQUETTES),),
    )
    result = match(problem([turnings], [foundry], [briquetting]))
    (proposal,) = result.proposals
    assert proposal.kind is ProposalKind.CHAIN
    assert proposal.processor == "press"
    assert proposal.tonnes == pytest.approx(36)  # capacity 40 t in, 90 % out
    assert proposal.inputs[0].offer == "turnings"
    assert proposal.inputs[0].tonnes == pytest.approx(40)


def test_small_offers_are_pooled_to_reach_a_minimum_lot() -> None:
    small = [offer("a", 3, location=DUISBURG), offer("b", 4, location=ESSEN)]
    mill = demand("mill", 50, min_lot=Mass.t(6))
    (proposal,) = match(problem(small, [mill])).proposals
    assert proposal.kind is ProposalKind.AGGREGATION
    assert proposal.tonnes == pytest.approx(7)
    assert {c.offer for c in proposal.inputs} == {"a", "b"}


def test_deliveries_below_the_minimum_lot_are_repaired_away() -> None:
    # Two demands share one offer; the LP would split it, leaving one below its lot.
    result = match(
        problem(
            [offer("o", 30)],
            [
                demand("near", 20, location=ESSEN, min_lot=Mass.t(15)),
                demand("far", 25, min_lot=Mass.t(15)),
            ],
        )
    )
    for proposal in result.proposals:
        assert proposal.tonnes >= 15 - 1e-6


def test_declines_lower_the_score_of_similar_proposals() -> None:
    base = match(problem([offer("o", owner="S")], [demand("d", owner="R")]))
    learnt = Feedback({("pair", "S", "R"): (0, 4)})
    after = match(problem([offer("o", owner="S")], [demand("d", owner="R")], feedback=learnt))
    assert after.proposals[0].score < base.proposals[0].score
    assert after.proposals[0].score_parts["feedback"] == pytest.approx(1 / 6)


def test_recurring_quantities_count_per_interval_within_the_horizon() -> None:
    flow = Flow(Mass.t(5), TimeWindow(date(2026, 1, 1), date(2026, 6, 30)), "monthly")
    assert flow.within(PERIOD).tonnes == pytest.approx(30)
    with pytest.raises(MatchingInputError):
        Flow(Mass.t(0), PERIOD)


def _dense_objective(prob: object) -> float:
    """The same allocation as one LP without decomposition, solved by scipy's HiGHS."""
    network = build_network(prob)  # type: ignore[arg-type]
    flow_problem = flow_problem_of(network)
    matrix = flow_problem.matrix()
    equality = flow_problem.row_is_balance
    result = linprog(
        -flow_problem.arc_gain,
        A_ub=matrix[~equality] if (~equality).any() else None,
        b_ub=flow_problem.row_upper[~equality] if (~equality).any() else None,
        A_eq=matrix[equality] if equality.any() else None,
        b_eq=np.zeros(int(equality.sum())) if equality.any() else None,
        bounds=list(zip(np.zeros(flow_problem.arcs), flow_problem.arc_upper, strict=True)),
        method="highs",
    )
    return -float(result.fun) if flow_problem.arcs else 0.0


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_the_decomposed_allocation_equals_one_lp_over_everything(seed: int) -> None:
    prob = random_problem(seed)
    network = build_network(prob)
    allocation = allocate(flow_problem_of(network))
    assert allocation.objective == pytest.approx(_dense_objective(prob), rel=1e-6, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_allocations_respect_every_supply_and_capacity(seed: int) -> None:
    prob = random_problem(seed)
    result = match(prob)
    given_out: dict[str, float] = {}
    taken: dict[str, float] = {}
    for proposal in result.proposals:
        taken[proposal.demand] = taken.get(proposal.demand, 0.0) + proposal.tonnes
        for contribution in proposal.inputs:
            given_out[contribution.offer] = (
                given_out.get(contribution.offer, 0.0) + contribution.tonnes
            )
    supply = {o.key: o.flow.within(PERIOD).tonnes for o in prob.offers}
    wanted = {d.key: d.flow.within(PERIOD).tonnes for d in prob.demands}
    assert all(t <= supply[k] + 1e-6 for k, t in given_out.items())
    assert all(t <= wanted[k] + 1e-6 for k, t in taken.items())


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_listings(seed: int, shuffle: object) -> None:
    prob = random_problem(seed)
    offers, demands = list(prob.offers), list(prob.demands)
    shuffle.shuffle(offers)  # type: ignore[attr-defined]
    shuffle.shuffle(demands)  # type: ignore[attr-defined]
    again = problem(offers, demands)
    assert match(again).objective == pytest.approx(match(prob).objective, rel=1e-7, abs=1e-9)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_the_sparse_search_finds_every_admissible_pair(seed: int) -> None:
    prob = random_problem(seed, offers=15, demands=15)
    owners = OwnerIds()
    sources = source_table(prob.offers, [], prob.period, owners)
    sinks = sink_table(prob.demands, [], prob.period, owners)
    assert prob.period.end is not None
    context = SearchContext(ANCESTORS, METHOD, day(prob.period.start), day(prob.period.end))
    tables = chemistry_tables(sources, sinks)
    found = find_pairs(sources, sinks, context, tables)
    src, snk = np.meshgrid(np.arange(len(sources)), np.arange(len(sinks)), indexing="ij")
    src, snk = src.ravel(), snk.ravel()
    km = np.array(
        [
            _great_circle(prob.offers[i].location, prob.demands[j].location)
            for i, j in zip(src, snk, strict=True)
        ]
    )
    brute = admissible(sources, sinks, context, tables, src, snk, km)
    compatible = {
        (int(i), int(j))
        for i, j in zip(brute.source, brute.sink, strict=True)
        if {prob.offers[i].material, *ANCESTORS.get(prob.offers[i].material, ())}
        & prob.demands[j].materials
    }
    assert set(zip(found.source.tolist(), found.sink.tolist(), strict=True)) == compatible


def _great_circle(a: object, b: object) -> float:
    from metalloop.core.geo import great_circle_km

    return great_circle_km(a, b)  # type: ignore[arg-type]


def test_the_tonnes_objective_moves_material_without_a_known_factor() -> None:
    zinc = offer("zn", material="MAT:zinc")
    smelter = demand("smelter", materials=frozenset({"MAT:zinc"}))
    (by_co2,) = match(problem([zinc], [smelter])).proposals
    assert by_co2.co2 is None  # no sourced factor: never a figure
    (by_tonnes,) = match(problem([zinc], [smelter], objective=Objective.TONNES)).proposals
    assert by_tonnes.tonnes == pytest.approx(100)


def test_a_run_reports_its_progress_in_order() -> None:
    steps: list[tuple[str, float]] = []
    match(problem([offer("o")], [demand("d")]), lambda step, share: steps.append((step, share)))
    shares = [share for _, share in steps]
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert DORTMUND != DUISBURG


def test_recurring_small_streams_reach_a_lot_only_together() -> None:
    monthly = [
        offer(f"s{k}", 2, interval="monthly", location=loc)
        for k, loc in enumerate([DUISBURG, ESSEN, DUISBURG, ESSEN])
    ]
    truckloads = demand("eaf", 200, min_lot=Mass.t(24))
    alone = match(problem(monthly[:1], [truckloads]))
    assert not alone.proposals  # 2 t a month gather 6 t in a quarter: below 24 t
    (proposal,) = match(problem(monthly, [truckloads])).proposals
    assert proposal.kind is ProposalKind.AGGREGATION
    assert proposal.tonnes == pytest.approx(4 * 2 * 12)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_no_delivery_stays_below_its_minimum_lot(seed: int) -> None:
    prob = random_problem(seed, offers=20, demands=12)
    lots = {d.key: d.min_lot.tonnes for d in prob.demands}
    for proposal in match(prob).proposals:
        assert proposal.tonnes >= lots[proposal.demand] - 1e-6


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_resolving_only_changed_components_gives_the_full_optimum(seed: int) -> None:
    from dataclasses import replace

    network = build_network(random_problem(seed, offers=20, demands=15))
    problem = flow_problem_of(network)
    cache: dict = {}
    first = allocate(problem, cache=cache)
    used = np.flatnonzero(first.flow > 0)
    if used.size == 0:
        return
    changed = np.zeros(problem.arcs, dtype=bool)
    changed[used[:: max(1, used.size // 2)]] = True
    narrower = replace(problem, arc_upper=np.where(changed, 0.0, problem.arc_upper))
    again = allocate(narrower, previous=first, changed=changed, cache=cache)
    assert again.objective == pytest.approx(allocate(narrower).objective, rel=1e-9, abs=1e-9)
