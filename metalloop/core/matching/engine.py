"""A matching run: candidates, gains, the allocation, lot repairs, and proposals.

``match`` is the one entry point the matching app and the benchmark call. It takes the
listings as core objects and returns proposals that name listings by their keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from metalloop.core.impact.method import ImpactMethod
from metalloop.core.matching.allocation import (
    FLOW_EPSILON,
    Allocation,
    FlowProblem,
    SolverCache,
    Status,
    allocate,
)
from metalloop.core.matching.candidates import (
    Pairs,
    SearchContext,
    concat_pairs,
    find_pairs,
    lot_quantity,
)
from metalloop.core.matching.listings import Demand, Offer, Processor, TimeWindow
from metalloop.core.matching.pools import PoolMembers, concat_sources, pool_groups, pool_sources
from metalloop.core.matching.scoring import (
    Feedback,
    Objective,
    freight_per_tonne,
    objective_gain,
    pair_terms,
)
from metalloop.core.matching.tables import (
    MODES,
    OwnerIds,
    SinkKind,
    Sinks,
    SourceKind,
    Sources,
    chemistry_tables,
    day,
    sink_table,
    source_table,
)

MAX_REPAIR_ROUNDS = 5


class ProposalKind(StrEnum):
    DIRECT = "direct"
    CHAIN = "chain"
    AGGREGATION = "aggregation"


@dataclass(frozen=True)
class MatchingProblem:
    """Listings of one network and the terms of the run.

    ``period`` is the horizon quantities are counted over; ``ancestors`` maps a material code
    to its ancestors in the taxonomy (nearest first).
    """

    offers: Sequence[Offer]
    demands: Sequence[Demand]
    processors: Sequence[Processor]
    period: TimeWindow
    method: ImpactMethod
    ancestors: Mapping[str, Sequence[str]]
    objective: Objective = Objective.CO2
    feedback: Feedback = field(default_factory=Feedback)
    excluded: frozenset[tuple[str, str]] = frozenset()
    """(offer key, demand key) pairs not to propose again (declined earlier)."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One supplying offer's part in a proposal: its key and tonnes [t]."""

    offer: str
    tonnes: float
    great_circle_km: float
    mode: str


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed delivery to one demand.

    ``inputs`` are the offers that supply it (one for a direct proposal, the members of a
    pool, or the inputs of a processor); ``tonnes`` is what reaches the demand [t];
    ``co2`` the net CO2 saved [t CO2e] (``None`` when no factor is known); ``score`` 0–100.
    """

    kind: ProposalKind
    demand: str
    inputs: tuple[Contribution, ...]
    tonnes: float
    great_circle_km: float
    mode: str
    co2: float | None
    score: float
    score_parts: Mapping[str, float]
    verdict: str
    dilution: float
    processor: str | None = None
    yield_share: float | None = None


@dataclass(frozen=True)
class MatchResult:
    proposals: tuple[Proposal, ...]
    status: Status
    objective: float
    candidates: int
    components: int
    repair_rounds: int
    dropped_for_lot: int
    detail: str = ""


@dataclass
class _Network:
    """The run's tables, pairs and arcs, kept together while the run is worked out."""

    problem: MatchingProblem
    sources: Sources
    sinks: Sinks
    pairs: Pairs
    members: PoolMembers
    owner_keys: list[str]
    gain: NDArray[np.float64]
    score: NDArray[np.float64]
    parts: dict[str, NDArray[np.float64]]
    net: NDArray[np.float64]
    known: NDArray[np.bool_]


Progress = Callable[[str, float], None]


def _silent(_step: str, _share: float) -> None:
    return None


def match(problem: MatchingProblem, progress: Progress = _silent) -> MatchResult:
    """Run matching for one network: the optimal allocation and its proposals."""
    network = build_network(problem, progress)
    progress("allocation", 0.6)
    flow_problem = flow_problem_of(network)
    allocation, rounds, dropped = allocate_with_lots(network, flow_problem)
    progress("proposals", 0.9)
    proposals = proposals_of(network, allocation.flow)
    progress("done", 1.0)
    return MatchResult(
        proposals=proposals,
        status=allocation.status,
        objective=allocation.objective,
        candidates=len(network.pairs),
        components=allocation.components,
        repair_rounds=rounds,
        dropped_for_lot=dropped,
        detail=allocation.detail,
    )


def build_network(problem: MatchingProblem, progress: Progress = _silent) -> _Network:
    """Tables, candidate pairs (with pools) and their gains and scores."""
    owners = OwnerIds()
    sources = source_table(problem.offers, problem.processors, problem.period, owners)
    sinks = sink_table(problem.demands, problem.processors, problem.period, owners)
    owner_keys = list(owners._ids)
    context = SearchContext(
        problem.ancestors,
        problem.method,
        day(problem.period.start),
        day(problem.period.end) if problem.period.end else 10**9,
    )
    progress("candidates", 0.1)
    pairs = find_pairs(sources, sinks, context, chemistry_tables(sources, sinks))
    progress("pools", 0.4)
    pools = pool_groups(sources, sinks, pairs)
    pool_rows, members, pool_pairs = pool_sources(
        sources, sinks, pairs, pools, problem.method, first_owner=0
    )
    if pools:
        sources = concat_sources(sources, pool_rows)
        pairs = _concat(pairs, pool_pairs)
    pairs = pairs.take(~pairs.lot_short & ~_excluded(problem, sources, sinks, pairs))
    return _score(problem, sources, sinks, pairs, members, owner_keys)


def _concat(first: Pairs, second: Pairs) -> Pairs:
    return concat_pairs([first, second])


def _excluded(
    problem: MatchingProblem, sources: Sources, sinks: Sinks, pairs: Pairs
) -> NDArray[np.bool_]:
    """Direct pairs the parties declined before."""
    excluded = np.zeros(len(pairs), dtype=bool)
    if not problem.excluded:
        return excluded
    direct = (sources.kind[pairs.source] == SourceKind.OFFER) & (
        sinks.kind[pairs.sink] == SinkKind.DEMAND
    )
    for k in np.flatnonzero(direct).tolist():
        offer = problem.offers[int(sources.origin[pairs.source[k]])].key
        demand = problem.demands[int(sinks.origin[pairs.sink[k]])].key
        excluded[k] = (offer, demand) in problem.excluded
    return excluded


def _score(
    problem: MatchingProblem,
    sources: Sources,
    sinks: Sinks,
    pairs: Pairs,
    members: PoolMembers,
    owner_keys: list[str],
) -> _Network:
    terms = pair_terms(
        method=problem.method,
        ancestors=problem.ancestors,
        feedback=problem.feedback,
        owner_names=owner_keys,
        source_material=sources.material,
        source_owner=sources.owner,
        source_supply=sources.supply,
        source_quality=sources.quality,
        sink_strategy=sinks.r_strategy,
        sink_owner=sinks.owner,
        sink_capacity=sinks.capacity,
        pair_source=pairs.source,
        pair_sink=pairs.sink,
        mode=pairs.mode,
        great_circle_km=pairs.great_circle_km,
    )
    result, parts, score = terms.delivery, terms.parts, terms.score
    to_demand = sinks.kind[pairs.sink] == SinkKind.DEMAND
    gain = objective_gain(problem.objective, result, pairs.great_circle_km, score)
    # Into a processor only the freight counts; the saving is earned on delivery.
    into_processor = ~to_demand
    gain = np.where(into_processor, -_freight(problem, pairs), gain)
    return _Network(
        problem,
        sources,
        sinks,
        pairs,
        members,
        owner_keys,
        gain,
        score,
        parts,
        result.net,
        result.known,
    )


def _freight(problem: MatchingProblem, pairs: Pairs) -> NDArray[np.float64]:
    if problem.objective is not Objective.CO2:
        return 1e-7 * pairs.great_circle_km
    return freight_per_tonne(problem.method, pairs.mode, pairs.great_circle_km)


def flow_problem_of(network: _Network) -> FlowProblem:
    """Rows: one per source, then one per sink; arcs: the pairs, then pool memberships."""
    sources, sinks, pairs, members = network.sources, network.sinks, network.pairs, network.members
    n_src = len(sources)
    balance = sources.kind != SourceKind.OFFER
    row_upper = np.concatenate([np.where(balance, 0.0, sources.supply), sinks.capacity])
    row_is_balance = np.concatenate([balance, np.zeros(len(sinks), dtype=bool)])
    processor_row = _processor_output_rows(sources)
    rows = np.full((len(pairs) + len(members.member), 3), -1, dtype=np.int64)
    coef = np.zeros((len(pairs) + len(members.member), 3))
    p = len(pairs)
    rows[:p, 0], coef[:p, 0] = pairs.source, 1.0
    rows[:p, 1], coef[:p, 1] = n_src + pairs.sink, 1.0
    into = sinks.kind[pairs.sink] == SinkKind.PROCESSOR
    proc = sinks.origin[pairs.sink[into]]
    rows[:p, 2][into] = processor_row[proc]
    coef[:p, 2][into] = -_yields(network)[proc]
    rows[p:, 0], coef[p:, 0] = members.member, 1.0
    rows[p:, 1], coef[p:, 1] = members.pool, -1.0
    upper = np.concatenate([pairs.capacity, members.capacity])
    gain = np.concatenate([network.gain, -_member_freight(network)])
    return FlowProblem(row_upper, row_is_balance, rows, coef, upper, gain)


def _yields(network: _Network) -> NDArray[np.float64]:
    return np.array([p.output.yield_share for p in network.problem.processors], dtype=float)


def _processor_output_rows(sources: Sources) -> NDArray[np.int64]:
    rows = np.flatnonzero(sources.kind == SourceKind.PROCESSED)
    by_processor = np.full(len(rows), -1, dtype=np.int64)
    by_processor[sources.origin[rows]] = rows
    return by_processor


def _member_freight(network: _Network) -> NDArray[np.float64]:
    members = network.members
    if network.problem.objective is not Objective.CO2:
        return 1e-7 * members.great_circle_km
    road = network.problem.method.freight["road"].value * network.problem.method.detour.value
    return road * members.great_circle_km


def allocate_with_lots(network: _Network, problem: FlowProblem) -> tuple[Allocation, int, int]:
    """Allocate, then drop deliveries below a demand's minimum lot or quantity and repeat.

    Notes
    -----
    The linear programme cannot say "nothing or at least the minimum lot". Each round
    removes the arcs that carry less than their demand's minimum lot, every arc into a
    demand that receives less than its minimum quantity in total, and every pool whose
    members' deliveries do not gather a lot within the accumulation period, then solves
    again. Each round's allocation is optimal over the arcs it keeps; after
    ``MAX_REPAIR_ROUNDS`` the deliveries still short are taken out of the result.
    """
    upper = problem.arc_upper.copy()
    dropped = 0
    cache: SolverCache = {}
    allocation = allocate(problem, cache=cache)
    rounds = 0
    is_demand = network.sinks.kind[network.pairs.sink] == SinkKind.DEMAND
    while True:
        short = _short_arcs(network, allocation.flow, is_demand)
        if not short.any():
            break
        if rounds == MAX_REPAIR_ROUNDS:
            # Out of rounds: take the short deliveries out of the result rather than keep
            # promises below a minimum. What stays is feasible (every row is an upper bound or
            # a balance the dropped arcs leave with less, never more, to pass on).
            allocation = _without(allocation, short, problem)
            dropped += int(short.sum())
            break
        rows = np.flatnonzero(short)
        upper[rows] = 0.0
        dropped += len(rows)
        rounds += 1
        problem = FlowProblem(
            problem.row_upper,
            problem.row_is_balance,
            problem.arc_rows,
            problem.arc_coefficients,
            upper.copy(),
            problem.arc_gain,
        )
        changed = np.zeros(problem.arcs, dtype=bool)
        changed[rows] = True
        allocation = allocate(problem, previous=allocation, changed=changed, cache=cache)
    return allocation, rounds, dropped


def _short_arcs(
    network: _Network, flow: NDArray[np.float64], is_demand: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Arcs into demands that carry less than the minimum lot, feed a demand that gets less
    than its minimum quantity, or come from a pool that does not gather a lot."""
    sinks, pairs = network.sinks, network.pairs
    used = flow[: len(pairs)]
    carrying = used > FLOW_EPSILON
    short = is_demand & carrying & (used < sinks.min_lot[pairs.sink] - 1e-6)
    inflow = np.bincount(pairs.sink, weights=used, minlength=len(sinks))
    starving = (inflow > FLOW_EPSILON) & (inflow < sinks.min_quantity - 1e-6)
    short |= is_demand & starving[pairs.sink] & carrying
    short |= _pools_short(network, flow) & carrying
    return np.asarray(short, dtype=bool)


def _without(allocation: Allocation, short: NDArray[np.bool_], problem: FlowProblem) -> Allocation:
    """The allocation with the short arcs' flow removed, and its objective recounted."""
    flow = allocation.flow.copy()
    flow[: len(short)][short] = 0.0
    return replace(allocation, flow=flow, objective=float(flow @ problem.arc_gain))


def _pools_short(network: _Network, flow: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Pool arcs whose members, as used, do not gather the demand's minimum lot: each member
    contributes at most what it gathers within the accumulation period."""
    pairs, members, sources = network.pairs, network.members, network.sources
    short = np.zeros(len(pairs), dtype=bool)
    if len(members.member) == 0:
        return short
    used = flow[len(pairs) :]
    gathered = np.minimum(used, lot_quantity(sources.window, members.member))
    by_pool = np.bincount(members.pool, weights=gathered, minlength=len(sources))
    from_pool = sources.kind[pairs.source] == SourceKind.POOL
    need = network.sinks.min_lot[pairs.sink]
    short[from_pool] = by_pool[pairs.source[from_pool]] < need[from_pool] - 1e-6
    return short


def proposals_of(network: _Network, flow: NDArray[np.float64]) -> tuple[Proposal, ...]:
    """Proposals from the arc flows, best score first."""
    sources, sinks, pairs = network.sources, network.sinks, network.pairs
    p = len(pairs)
    arc_flow = flow[:p]
    member_flow = flow[p:]
    processors = network.problem.processors
    offers = network.problem.offers
    demands = network.problem.demands
    inflow_by_source: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for feed in np.flatnonzero(arc_flow > FLOW_EPSILON).tolist():
        if sinks.kind[pairs.sink[feed]] == SinkKind.PROCESSOR:
            output_row = int(
                np.flatnonzero(
                    (sources.kind == SourceKind.PROCESSED)
                    & (sources.origin == sinks.origin[pairs.sink[feed]])
                )[0]
            )
            inflow_by_source[output_row].append((feed, float(arc_flow[feed])))
    for m in np.flatnonzero(member_flow > FLOW_EPSILON).tolist():
        inflow_by_source[int(network.members.pool[m])].append((-1 - m, float(member_flow[m])))
    outflow = np.bincount(pairs.source, weights=arc_flow, minlength=len(sources))
    proposals = []
    for arc in np.flatnonzero(arc_flow > FLOW_EPSILON).tolist():
        k = int(arc)
        j = pairs.sink[k]
        if sinks.kind[j] != SinkKind.DEMAND:
            continue
        i = int(pairs.source[k])
        tonnes = float(arc_flow[k])
        kind = {
            SourceKind.OFFER: ProposalKind.DIRECT,
            SourceKind.PROCESSED: ProposalKind.CHAIN,
            SourceKind.POOL: ProposalKind.AGGREGATION,
        }[SourceKind(int(sources.kind[i]))]
        share = tonnes / outflow[i] if outflow[i] > 0 else 0.0
        inputs = _inputs(network, kind, i, k, tonnes, share, inflow_by_source, offers)
        processor = processors[sources.origin[i]] if kind is ProposalKind.CHAIN else None
        co2 = _proposal_co2(network, k, tonnes, inputs, kind)
        proposals.append(
            Proposal(
                kind=kind,
                demand=demands[sinks.origin[j]].key,
                inputs=inputs,
                tonnes=tonnes,
                great_circle_km=float(pairs.great_circle_km[k]),
                mode=_mode_name(int(pairs.mode[k])),
                co2=co2,
                score=float(network.score[k]),
                score_parts={name: float(v[k]) for name, v in network.parts.items()},
                verdict=_verdict_name(int(pairs.verdict[k])),
                dilution=float(pairs.dilution[k]),
                processor=processor.key if processor else None,
                yield_share=processor.output.yield_share if processor else None,
            )
        )
    proposals.sort(
        key=lambda prop: (-prop.score, prop.demand, prop.inputs[0].offer if prop.inputs else "")
    )
    return tuple(proposals)


def _inputs(
    network: _Network,
    kind: ProposalKind,
    source: int,
    arc: int,
    tonnes: float,
    share: float,
    inflow_by_source: Mapping[int, list[tuple[int, float]]],
    offers: Sequence[Offer],
) -> tuple[Contribution, ...]:
    sources, pairs = network.sources, network.pairs
    if kind is ProposalKind.DIRECT:
        return (
            Contribution(
                offers[sources.origin[source]].key,
                tonnes,
                float(pairs.great_circle_km[arc]),
                _mode_name(int(pairs.mode[arc])),
            ),
        )
    contributions = []
    for feed, amount in inflow_by_source.get(source, []):
        if feed >= 0:
            offer_row = int(pairs.source[feed])
            km, mode = float(pairs.great_circle_km[feed]), _mode_name(int(pairs.mode[feed]))
        else:
            m = -1 - feed
            offer_row = int(network.members.member[m])
            km, mode = float(network.members.great_circle_km[m]), "road"
        contributions.append(
            Contribution(offers[sources.origin[offer_row]].key, amount * share, km, mode)
        )
    return tuple(sorted(contributions, key=lambda c: (-c.tonnes, c.offer)))


def _proposal_co2(
    network: _Network, arc: int, tonnes: float, inputs: tuple[Contribution, ...], kind: ProposalKind
) -> float | None:
    if not network.known[arc]:
        return None
    method = network.problem.method
    feed = 0.0
    if kind is not ProposalKind.DIRECT:
        feed = sum(c.tonnes * method.freight_per_tonne(c.mode, c.great_circle_km) for c in inputs)
    return float(network.net[arc]) * tonnes - feed


def _mode_name(index: int) -> str:
    return str(MODES[index]) if index >= 0 else ""


def _verdict_name(code: int) -> str:
    return ("fits", "fits_after_dilution", "does_not_fit", "not_analysed")[code]
