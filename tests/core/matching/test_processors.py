"""Chains through processors with several outputs: every tonne in yields each output."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from metalloop.core.geo import Coordinates, great_circle_km
from metalloop.core.matching.allocation import allocate
from metalloop.core.matching.engine import (
    MatchingProblem,
    ProposalKind,
    build_network,
    flow_problem_of,
    match,
)
from metalloop.core.matching.explain import explain
from metalloop.core.matching.listings import (
    Form,
    MatchingInputError,
    Processor,
    ProcessorOutput,
)
from metalloop.core.matching.tables import SinkKind, SourceKind

from .builders import (
    ANCESTORS,
    DORTMUND,
    DUISBURG,
    ESSEN,
    METHOD,
    PERIOD,
    demand,
    offer,
    problem,
    random_problem,
)

STEEL = ProcessorOutput("MAT:steel-non-alloy", 0.75, form=Form.SHREDDED)
ZORBA = ProcessorOutput("MAT:aluminium", 0.06, form=Form.SHREDDED)


def shredder(*outputs: ProcessorOutput, capacity: float = 100.0) -> Processor:
    intake = demand(
        "shredder-in",
        capacity,
        owner="shredder-co",
        location=ESSEN,
        forms=frozenset({Form.MIXED}),
    )
    return Processor("shredder", "shredder-co", "shredding", intake, outputs)


def mixed_scrap(tonnes: float = 100.0) -> object:
    return offer("mixed", tonnes, form=Form.MIXED, location=DUISBURG)


def steelworks() -> object:
    return demand("steelworks", 1000, forms=frozenset({Form.SHREDDED}), location=DORTMUND)


def remelter() -> object:
    return demand("remelter", 1000, materials=frozenset({"MAT:aluminium"}), location=DORTMUND)


def test_one_input_yields_both_fractions_to_two_buyers() -> None:
    prob = problem([mixed_scrap()], [steelworks(), remelter()], [shredder(STEEL, ZORBA)])
    result = match(prob)
    by_demand = {p.demand: p for p in result.proposals}
    assert set(by_demand) == {"steelworks", "remelter"}
    steel, zorba = by_demand["steelworks"], by_demand["remelter"]
    assert steel.kind is zorba.kind is ProposalKind.CHAIN
    assert steel.tonnes == pytest.approx(75.0)
    assert zorba.tonnes == pytest.approx(6.0)
    assert (steel.output, steel.yield_share) == (0, 0.75)
    assert (zorba.output, zorba.yield_share) == (1, 0.06)
    # Both deliveries come from the same 100 t processed once.
    assert steel.inputs[0].tonnes == pytest.approx(100.0)
    assert zorba.inputs[0].tonnes == pytest.approx(100.0)


def test_the_feed_transport_is_counted_once_across_the_outputs() -> None:
    prob = problem([mixed_scrap()], [steelworks(), remelter()], [shredder(STEEL, ZORBA)])
    steel, zorba = sorted(match(prob).proposals, key=lambda p: p.demand, reverse=True)
    feed_km = great_circle_km(DUISBURG, ESSEN)
    feed = 100.0 * METHOD.freight_per_tonne("road", feed_km)
    net = {
        p.demand: METHOD.substitution_for(m, ANCESTORS.get(m, ())).saving_per_tonne("R:8")  # type: ignore[union-attr]
        - METHOD.freight_per_tonne(p.mode, p.great_circle_km)
        for p, m in ((steel, "MAT:steel-non-alloy"), (zorba, "MAT:aluminium"))
    }
    assert steel.co2 is not None and zorba.co2 is not None
    delivered = net["steelworks"] * 75.0 + net["remelter"] * 6.0
    assert steel.co2 + zorba.co2 == pytest.approx(delivered - feed)
    # Shared by mass: 75 of the 81 t that leave the shredder are steel.
    assert net["steelworks"] * 75.0 - steel.co2 == pytest.approx(feed * 75 / 81)


def test_an_output_nobody_takes_does_not_stop_the_others() -> None:
    prob = problem([mixed_scrap()], [steelworks()], [shredder(STEEL, ZORBA)])
    (proposal,) = match(prob).proposals
    assert proposal.demand == "steelworks"
    assert proposal.tonnes == pytest.approx(75.0)


def test_the_capacity_limits_what_is_processed_for_every_output() -> None:
    prob = problem(
        [mixed_scrap(500)], [steelworks(), remelter()], [shredder(STEEL, ZORBA, capacity=40)]
    )
    tonnes = {p.demand: p.tonnes for p in match(prob).proposals}
    assert tonnes == pytest.approx({"steelworks": 30.0, "remelter": 2.4})


def test_the_yields_of_a_processor_add_up_to_at_most_one() -> None:
    intake = demand("in", 100, owner="p")
    with pytest.raises(MatchingInputError, match="more than 100 %"):
        Processor("p", "p", "shredding", intake, (STEEL, ProcessorOutput("MAT:aluminium", 0.3)))
    with pytest.raises(MatchingInputError, match="at least one output"):
        Processor("p", "p", "shredding", intake, ())


def test_the_explanation_names_the_output_and_its_co_products() -> None:
    machine = shredder(STEEL, ZORBA)
    scrap, buyer = mixed_scrap(), remelter()
    prob = problem([scrap], [buyer], [machine])
    (proposal,) = match(prob).proposals
    text = explain(
        proposal,
        offers={"mixed": scrap},  # type: ignore[dict-item]
        demands={"remelter": buyer},  # type: ignore[dict-item]
        processors={"shredder": machine},
        method=METHOD,
        ancestors=ANCESTORS,
        period=PERIOD,
    ).as_dict()
    (rule,) = [r for r in text["rules"] if r["rule"] == "processor"]
    assert rule["facts"]["output"] == "MAT:aluminium"
    assert rule["facts"]["yield"] == 0.06
    assert rule["facts"]["co_products"] == [{"material": "MAT:steel-non-alloy", "yield": 0.75}]
    feed, delivery = text["legs"]
    assert feed["charged_share"] == pytest.approx(0.06 / 0.81)
    assert delivery["charged_share"] == 1.0
    # The account on the page is the figure the run proposed.
    assert text["co2"]["net"] == pytest.approx(proposal.co2)


def _with_processors(seed: int) -> MatchingProblem:
    """A random network and two processors: one with two outputs, one with three."""
    base = random_problem(seed)
    rng = np.random.default_rng(seed + 1)
    place = Coordinates(float(rng.uniform(50.8, 52.0)), float(rng.uniform(6.3, 8.2)))
    two = Processor(
        "two",
        "proc-a",
        "shredding",
        demand("two-in", float(rng.uniform(20, 200)), owner="proc-a", location=place),
        (
            ProcessorOutput("MAT:steel-non-alloy", float(rng.uniform(0.6, 0.8))),
            ProcessorOutput("MAT:aluminium-wrought-6xxx", float(rng.uniform(0.05, 0.15))),
        ),
    )
    three = Processor(
        "three",
        "proc-b",
        "sorting",
        demand(
            "three-in",
            float(rng.uniform(20, 200)),
            owner="proc-b",
            materials=frozenset({"MAT:aluminium"}),
        ),
        (
            ProcessorOutput("MAT:aluminium-wrought-6xxx", 0.5),
            ProcessorOutput("MAT:steel-stainless-austenitic", 0.2),
            ProcessorOutput("MAT:steel-non-alloy", 0.1),
        ),
    )
    return problem(list(base.offers), list(base.demands), [two, three])


def _direct_formulation(prob: MatchingProblem) -> float:
    """The same network as an LP written out by hand: a throughput variable per processor,
    what enters it equal to the throughput, what leaves each output at most its yield times
    the throughput. Pools stay as the engine builds them (members join, the pool passes on)."""
    network = build_network(prob)
    built = flow_problem_of(network)
    sources, sinks, pairs = network.sources, network.sinks, network.pairs
    p, m = len(pairs), len(network.members.member)
    processors = prob.processors
    n_var = p + m + len(processors)
    rows_ub: list[np.ndarray] = []
    b_ub: list[float] = []
    rows_eq: list[np.ndarray] = []
    for i in range(len(sources)):
        row = np.zeros(n_var)
        row[:p][pairs.source == i] = 1.0
        row[p : p + m][network.members.member == i] = 1.0
        if sources.kind[i] == SourceKind.OFFER:
            rows_ub.append(row)
            b_ub.append(float(sources.supply[i]))
        elif sources.kind[i] == SourceKind.POOL:
            row[p : p + m][network.members.pool == i] = -1.0
            rows_eq.append(row)
        else:
            k, n = int(sources.origin[i]), int(sources.output[i])
            row[p + m + k] = -processors[k].outputs[n].yield_share
            rows_ub.append(row)
            b_ub.append(0.0)
    for j in range(len(sinks)):
        row = np.zeros(n_var)
        row[:p][pairs.sink == j] = 1.0
        rows_ub.append(row)
        b_ub.append(float(sinks.capacity[j]))
        if sinks.kind[j] == SinkKind.PROCESSOR:
            balance = row.copy()
            balance[p + m + int(sinks.origin[j])] = -1.0
            rows_eq.append(balance)
    gain = np.concatenate([built.arc_gain[: p + m], np.zeros(len(processors))])
    upper = np.concatenate([built.arc_upper[: p + m], np.full(len(processors), np.inf)])
    result = linprog(
        -gain,
        A_ub=np.array(rows_ub),
        b_ub=np.array(b_ub),
        A_eq=np.array(rows_eq) if rows_eq else None,
        b_eq=np.zeros(len(rows_eq)) if rows_eq else None,
        bounds=list(zip(np.zeros(n_var), upper, strict=True)),
        method="highs",
    )
    assert result.status == 0
    return -float(result.fun)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_the_processing_rows_equal_the_written_out_formulation(seed: int) -> None:
    prob = _with_processors(seed)
    allocation = allocate(flow_problem_of(build_network(prob)))
    assert allocation.objective == pytest.approx(_direct_formulation(prob), rel=1e-7, abs=1e-9)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_no_output_delivers_more_than_its_yield_of_what_was_processed(seed: int) -> None:
    prob = _with_processors(seed)
    result = match(prob)
    delivered: dict[tuple[str, int], float] = {}
    for proposal in result.proposals:
        if proposal.kind is not ProposalKind.CHAIN:
            continue
        assert proposal.processor is not None and proposal.output is not None
        key = (proposal.processor, proposal.output)
        delivered[key] = delivered.get(key, 0.0) + proposal.tonnes
        inputs = sum(c.tonnes for c in proposal.inputs)
        assert proposal.tonnes == pytest.approx(inputs * (proposal.yield_share or 0.0))
    by_key = {p.key: p for p in prob.processors}
    for (name, n), tonnes in delivered.items():
        capacity = by_key[name].inputs.flow.within(PERIOD).tonnes
        assert tonnes <= by_key[name].outputs[n].yield_share * capacity + 1e-6
