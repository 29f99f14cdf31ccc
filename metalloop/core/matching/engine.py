"""A matching run: candidates, gains, the allocation, lot repairs, and proposals.

``match`` is the one entry point the matching app and the benchmark call. It takes the
listings as core objects and returns proposals that name listings by their keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
    hierarchy_level,
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
    """Rows: one per source, one per sink, then each processor's throughput and links.

    Arcs: the pairs, then the pool memberships, then each processor's processing columns.

    Notes
    -----
    A processor :math:`p` with outputs :math:`k = 0 … K-1` (yields :math:`y_k`) processes
    :math:`z_p` tonnes: its input arcs sum to :math:`z_p` (the throughput row, a balance),
    and each output row holds :math:`\\sum out(o_k) - y_k z_p \\le 0`: every tonne in yields
    each output at once, and an output nobody takes does not stop the others. An arc names
    at most three rows, so :math:`z_p` is carried by a chain of :math:`K` columns held equal
    by :math:`K - 1` link rows (balances): column :math:`k` has +1 in the throughput row
    (:math:`k = 0`) or link :math:`k`, :math:`-y_k` in output row :math:`o_k`, and -1 in link
    :math:`k + 1` (:math:`k < K - 1`).
    """
    sources, sinks, pairs, members = network.sources, network.sinks, network.pairs, network.members
    processors = network.problem.processors
    n_src, n_snk = len(sources), len(sinks)
    pool = sources.kind == SourceKind.POOL
    throughput_row = n_src + n_snk + np.arange(len(processors), dtype=np.int64)
    processing = _processing_columns(network, throughput_row)
    n_rows = n_src + n_snk + len(processors) + processing.links
    row_upper = np.zeros(n_rows)
    row_upper[:n_src] = np.where(sources.kind == SourceKind.OFFER, sources.supply, 0.0)
    row_upper[n_src : n_src + n_snk] = sinks.capacity
    row_is_balance = np.ones(n_rows, dtype=bool)
    row_is_balance[:n_src] = pool
    row_is_balance[n_src : n_src + n_snk] = False
    p, m = len(pairs), len(members.member)
    rows = np.full((p + m, 3), -1, dtype=np.int64)
    coef = np.zeros((p + m, 3))
    rows[:p, 0], coef[:p, 0] = pairs.source, 1.0
    rows[:p, 1], coef[:p, 1] = n_src + pairs.sink, 1.0
    into = sinks.kind[pairs.sink] == SinkKind.PROCESSOR
    rows[:p, 2][into] = throughput_row[sinks.origin[pairs.sink[into]]]
    coef[:p, 2][into] = -1.0
    rows[p:, 0], coef[p:, 0] = members.member, 1.0
    rows[p:, 1], coef[p:, 1] = members.pool, -1.0
    return FlowProblem(
        row_upper,
        row_is_balance,
        np.concatenate([rows, processing.rows]),
        np.concatenate([coef, processing.coefficients]),
        np.concatenate([pairs.capacity, members.capacity, processing.upper]),
        np.concatenate([network.gain, -_member_freight(network), np.zeros(len(processing.upper))]),
        np.concatenate([_use_level(network), np.zeros(m + len(processing.upper), dtype=np.int8)]),
    )


def _use_level(network: Network) -> NDArray[np.int8]:
    """Per pair, the waste-hierarchy level of the demand it delivers to; 0 into a processor."""
    sinks, pairs = network.sinks, network.pairs
    levels = np.array([hierarchy_level(code) for code in sinks.r_strategy], dtype=np.int8)
    to_demand = sinks.kind[pairs.sink] == SinkKind.DEMAND
    return np.where(to_demand, levels[pairs.sink], 0).astype(np.int8)


@dataclass(frozen=True)
class _Processing:
    """The processing columns of all processors, and how many link rows they need."""

    rows: NDArray[np.int64]
    coefficients: NDArray[np.float64]
    upper: NDArray[np.float64]
    links: int


def _processing_columns(network: Network, throughput_row: NDArray[np.int64]) -> _Processing:
    """One column per processor output, bounded by the processor's capacity [t].

    Relies on ``source_table`` listing a processor's output rows together and in order, so
    that output ``n`` > 0 enters through the link the previous output opened.
    """
    sources, sinks = network.sources, network.sinks
    first_link = int(throughput_row[-1]) + 1 if len(throughput_row) else 0
    capacity = np.zeros(len(throughput_row))
    takes = sinks.kind == SinkKind.PROCESSOR
    capacity[sinks.origin[takes]] = sinks.capacity[takes]
    rows: list[list[int]] = []
    coefficients: list[list[float]] = []
    upper: list[float] = []
    links = 0
    for row in np.flatnonzero(sources.kind == SourceKind.PROCESSED).tolist():
        k, n = int(sources.origin[row]), int(sources.output[row])
        outputs = network.problem.processors[k].outputs
        entry = int(throughput_row[k]) if n == 0 else first_link + links - 1
        last = n == len(outputs) - 1
        if not last:
            links += 1
        rows.append([entry, row, -1 if last else first_link + links - 1])
        coefficients.append([1.0, -outputs[n].yield_share, 0.0 if last else -1.0])
        upper.append(float(capacity[k]))
    return _Processing(
        np.asarray(rows, dtype=np.int64).reshape(len(rows), 3),
        np.asarray(coefficients, dtype=float).reshape(len(rows), 3),
        np.asarray(upper, dtype=float),
        links,
    )


def _member_freight(network: Network) -> NDArray[np.float64]:
    members = network.members
    if network.problem.objective is not Objective.CO2:
        return 1e-7 * members.great_circle_km
    road = network.problem.method.freight["road"].value * network.problem.method.detour.value
    return road * members.great_circle_km
