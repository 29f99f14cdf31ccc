"""Minimum lots and quantities around the linear programme: repair rounds."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from metalloop.core.matching.allocation import (
    FLOW_EPSILON,
    Allocation,
    FlowProblem,
    SolverCache,
    allocate,
)
from metalloop.core.matching.candidates import lot_quantity
from metalloop.core.matching.run import Network
from metalloop.core.matching.tables import SinkKind, SourceKind

MAX_REPAIR_ROUNDS = 5


def allocate_with_lots(network: Network, problem: FlowProblem) -> tuple[Allocation, int, int]:
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
            # promises below a minimum. What stays is feasible: supply, capacity and output
            # rows are upper bounds, and pools pass on less in proportion.
            allocation = _without(allocation, short, problem, network)
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
            problem.arc_level,
        )
        changed = np.zeros(problem.arcs, dtype=bool)
        changed[rows] = True
        allocation = allocate(problem, previous=allocation, changed=changed, cache=cache)
    return allocation, rounds, dropped


def _short_arcs(
    network: Network, flow: NDArray[np.float64], is_demand: NDArray[np.bool_]
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


def _without(
    allocation: Allocation, short: NDArray[np.bool_], problem: FlowProblem, network: Network
) -> Allocation:
    """The allocation with the short arcs' flow removed, each pool's members cut to what
    the pool still passes on, and the objective recounted."""
    flow = allocation.flow.copy()
    flow[: len(short)][short] = 0.0
    pairs, members = network.pairs, network.members
    if len(members.member):
        rows = len(network.sources)
        passed = np.bincount(pairs.source, weights=flow[: len(pairs)], minlength=rows)
        member_flow = flow[len(pairs) : len(pairs) + len(members.member)]
        joined = np.bincount(members.pool, weights=member_flow, minlength=rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            kept = np.where(joined > 0, np.minimum(passed / joined, 1.0), 0.0)
        member_flow *= kept[members.pool]
    return replace(allocation, flow=flow, objective=float(flow @ problem.arc_gain))


def _pools_short(network: Network, flow: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Pool arcs whose members, as used, do not gather the demand's minimum lot: each member
    contributes at most what it gathers within the accumulation period."""
    pairs, members, sources = network.pairs, network.members, network.sources
    short = np.zeros(len(pairs), dtype=bool)
    if len(members.member) == 0:
        return short
    used = flow[len(pairs) : len(pairs) + len(members.member)]
    gathered = np.minimum(used, lot_quantity(sources.window, members.member))
    by_pool = np.bincount(members.pool, weights=gathered, minlength=len(sources))
    from_pool = sources.kind[pairs.source] == SourceKind.POOL
    need = network.sinks.min_lot[pairs.sink]
    short[from_pool] = by_pool[pairs.source[from_pool]] < need[from_pool] - 1e-6
    return short
