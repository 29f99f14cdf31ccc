"""A matching run: candidates, gains, the allocation, lot repairs, and proposals.

``match`` is the one entry point the matching app and the benchmark call. It takes the
listings as core objects and returns proposals that name listings by their keys.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from metalloop.core.matching.allocation import (
    FlowProblem,
)
from metalloop.core.matching.candidates import (
    Pairs,
    SearchContext,
    concat_pairs,
    find_pairs,
)
from metalloop.core.matching.lots import allocate_with_lots
from metalloop.core.matching.pools import PoolMembers, concat_sources, pool_groups, pool_sources
from metalloop.core.matching.proposals import proposals_of
from metalloop.core.matching.run import (
    Contribution,
    MatchingProblem,
    MatchResult,
    Network,
    Proposal,
    ProposalKind,
)
from metalloop.core.matching.scoring import (
    Objective,
    freight_per_tonne,
    objective_gain,
    pair_terms,
)
from metalloop.core.matching.tables import (
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

__all__ = [
    "Contribution",
    "MatchResult",
    "MatchingProblem",
    "Network",
    "Proposal",
    "ProposalKind",
    "allocate_with_lots",
    "build_network",
    "flow_problem_of",
    "match",
    "proposals_of",
]

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


def build_network(problem: MatchingProblem, progress: Progress = _silent) -> Network:
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
) -> Network:
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
    return Network(
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


def flow_problem_of(network: Network) -> FlowProblem:
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


def _yields(network: Network) -> NDArray[np.float64]:
    return np.array([p.output.yield_share for p in network.problem.processors], dtype=float)


def _processor_output_rows(sources: Sources) -> NDArray[np.int64]:
    rows = np.flatnonzero(sources.kind == SourceKind.PROCESSED)
    by_processor = np.full(len(rows), -1, dtype=np.int64)
    by_processor[sources.origin[rows]] = rows
    return by_processor


def _member_freight(network: Network) -> NDArray[np.float64]:
    members = network.members
    if network.problem.objective is not Objective.CO2:
        return 1e-7 * members.great_circle_km
    road = network.problem.method.freight["road"].value * network.problem.method.detour.value
    return road * members.great_circle_km
