"""Pools: several small offers near each other, gathered into one lot for one buyer.

A buyer's minimum lot often exceeds what one small supplier gathers in a quarter. For each
demand, the offers that would fit it but for the lot are clustered by place (single linkage
within ``POOL_RADIUS_KM``); a cluster of two or more whose lots together reach the minimum
becomes a pool: a source of its own at the members' mass-weighted centre, serving that
demand only. Every member fits the demand on its own, so every mix of them does (limits are
linear in the shares; the dilution a mix needs is at most the largest a member needs). The
allocation decides how much of each member goes into the pool (membership arcs) and how much
the pool delivers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from metalloop.core.impact.method import ImpactMethod
from metalloop.core.matching.candidates import (
    MAX_ACCUMULATION_DAYS,
    Pairs,
    cheapest_mode,
    chord,
    great_circle,
    lot_quantity,
)
from metalloop.core.matching.chemistry import DOES_NOT_FIT, NOT_ANALYSED
from metalloop.core.matching.tables import Sinks, SourceKind, Sources, Window

POOL_RADIUS_KM = 40.0
"""Members of a pool lie within this great-circle distance of one another, by a chain of
neighbours [km]: a collection round of one truck."""


@dataclass(frozen=True)
class PoolMembers:
    """Membership arcs: ``member`` offer rows, the ``pool`` source row each joins, the
    distance to the pool's centre [km] and what the member can give the pool's buyer [t]."""

    member: NDArray[np.intp]
    pool: NDArray[np.intp]
    great_circle_km: NDArray[np.float64]
    capacity: NDArray[np.float64]


@dataclass(frozen=True)
class Pool:
    """One pool: the demand it serves and the candidate pairs (rows of ``pairs``) of its
    members with that demand."""

    sink: int
    pair_rows: tuple[int, ...]


def pool_groups(sources: Sources, sinks: Sinks, pairs: Pairs) -> list[Pool]:
    """Pools worth forming, in a stable order (by demand, then first member)."""
    short = np.flatnonzero(pairs.lot_short & (sources.kind[pairs.source] == SourceKind.OFFER))
    by_sink: dict[int, list[int]] = defaultdict(list)
    for row in short.tolist():
        by_sink[int(pairs.sink[row])].append(row)
    pools = []
    for sink in sorted(by_sink):
        rows = np.asarray(by_sink[sink], dtype=np.intp)
        if rows.size < 2:
            continue
        for cluster in _clusters(sources.xyz[pairs.source[rows]]):
            members = rows[cluster]
            lots = np.minimum(
                lot_quantity(sources.window, pairs.source[members]), pairs.capacity[members]
            )
            if members.size >= 2 and lots.sum() >= sinks.min_lot[sink] - 1e-9:
                pools.append(Pool(sink, tuple(sorted(members.tolist()))))
    return pools


def _clusters(xyz: NDArray[np.float64]) -> list[NDArray[np.intp]]:
    close = cKDTree(xyz).query_pairs(chord(POOL_RADIUS_KM), output_type="ndarray")
    graph = coo_array((np.ones(len(close)), (close[:, 0], close[:, 1])), shape=(len(xyz), len(xyz)))
    count, label = connected_components(graph, directed=False)
    return [np.flatnonzero(label == k) for k in range(count)]


def pool_sources(
    sources: Sources,
    sinks: Sinks,
    pairs: Pairs,
    pools: list[Pool],
    method: ImpactMethod,
    first_owner: int,
) -> tuple[Sources, PoolMembers, Pairs]:
    """Sources standing for the pools (to append after ``sources``), their membership arcs,
    and each pool's pair with its demand.

    Pool owners are fresh negative ids below ``first_owner``, so a pool never counts as the
    buyer's own material.
    """
    base = len(sources)
    rows: list[dict[str, object]] = []
    member, pool_row, member_km, member_cap = [], [], [], []
    pair_parts: dict[str, list[object]] = defaultdict(list)
    for k, pool in enumerate(pools):
        chosen = np.asarray(pool.pair_rows, dtype=np.intp)
        idx = pairs.source[chosen]
        mass = pairs.capacity[chosen]
        centre = (sources.xyz[idx] * mass[:, None]).sum(axis=0)
        centre = centre / np.linalg.norm(centre)
        modes = int(np.bitwise_and.reduce(sources.modes[idx])) & int(sinks.modes[pool.sink])
        rows.append(
            {
                "xyz": centre,
                "owner": first_owner - 1 - k,
                "supply": float(mass.sum()),
                "lot": float(np.minimum(lot_quantity(sources.window, idx), mass).sum()),
                "start": int(sources.window.start[idx].min()),
                "end": int(sources.window.end[idx].max()),
                "modes": modes or 1,
                "quality": int(sources.quality[idx].min()),
                "reuse": bool(sources.reuse[idx].all()),
                "template": int(idx[0]),
            }
        )
        member.extend(idx.tolist())
        pool_row.extend([base + k] * len(idx))
        member_km.extend(great_circle(np.linalg.norm(sources.xyz[idx] - centre, axis=1)).tolist())
        member_cap.extend(mass.tolist())
        verdicts = pairs.verdict[chosen]
        pair_parts["source"].append(base + k)
        pair_parts["sink"].append(pool.sink)
        pair_parts["km"].append(float(great_circle(np.linalg.norm(sinks.xyz[pool.sink] - centre))))
        pair_parts["modes"].append(modes or 1)
        pair_parts["capacity"].append(min(float(mass.sum()), float(sinks.capacity[pool.sink])))
        pair_parts["verdict"].append(_worst(verdicts))
        pair_parts["dilution"].append(float(pairs.dilution[chosen].max()))
    pool_pairs = Pairs(
        source=np.asarray(pair_parts["source"], dtype=np.intp),
        sink=np.asarray(pair_parts["sink"], dtype=np.intp),
        great_circle_km=np.asarray(pair_parts["km"], dtype=float),
        mode=cheapest_mode(np.asarray(pair_parts["modes"], dtype=np.int64), method),
        capacity=np.asarray(pair_parts["capacity"], dtype=float),
        verdict=np.asarray(pair_parts["verdict"], dtype=np.int8),
        dilution=np.asarray(pair_parts["dilution"], dtype=float),
        lot_short=np.zeros(len(pools), dtype=bool),
    )
    members = PoolMembers(
        np.asarray(member, dtype=np.intp),
        np.asarray(pool_row, dtype=np.intp),
        np.asarray(member_km, dtype=float),
        np.asarray(member_cap, dtype=float),
    )
    return _as_sources(sources, rows), members, pool_pairs


def _worst(verdicts: NDArray[np.int8]) -> int:
    """The pool's verdict: not analysed if any member is, else the worst of the members'."""
    if (verdicts == NOT_ANALYSED).any():
        return NOT_ANALYSED
    return min(int(verdicts.max()), DOES_NOT_FIT - 1)


def _as_sources(sources: Sources, rows: list[dict[str, object]]) -> Sources:
    count = len(rows)
    template = [int(r["template"]) for r in rows]  # type: ignore[call-overload]
    supply = np.asarray([r["supply"] for r in rows], dtype=float).reshape(count)
    lots = np.asarray([r["lot"] for r in rows], dtype=float).reshape(count)
    return Sources(
        kind=np.full(count, SourceKind.POOL, dtype=np.int8),
        origin=np.arange(count, dtype=np.intp),
        output=np.zeros(count, dtype=np.intp),
        owner=np.asarray([r["owner"] for r in rows], dtype=np.int64).reshape(count),
        material=tuple(sources.material[t] for t in template),
        grades=tuple(sources.grades[t] for t in template),
        legal=sources.legal[template] if count else np.zeros(0, np.int8),
        waste_code=tuple(sources.waste_code[t] for t in template),
        form=sources.form[template] if count else np.zeros(0, np.int8),
        xyz=np.asarray([r["xyz"] for r in rows], dtype=float).reshape(count, 3),
        window=Window(
            np.asarray([r["start"] for r in rows], dtype=np.int64).reshape(count),
            np.asarray([r["end"] for r in rows], dtype=np.int64).reshape(count),
            np.full(count, MAX_ACCUMULATION_DAYS),
            lots,
        ),
        supply=supply,
        modes=np.asarray([r["modes"] for r in rows], dtype=np.int64).reshape(count),
        quality=np.asarray([r["quality"] for r in rows], dtype=np.int8).reshape(count),
        reuse=np.asarray([r["reuse"] for r in rows], dtype=bool).reshape(count),
        compositions=(None,) * count,
    )


def concat_sources(first: Sources, second: Sources) -> Sources:
    """Rows of ``first`` followed by rows of ``second``."""
    return Sources(
        kind=np.concatenate([first.kind, second.kind]),
        origin=np.concatenate([first.origin, second.origin]),
        output=np.concatenate([first.output, second.output]),
        owner=np.concatenate([first.owner, second.owner]),
        material=first.material + second.material,
        grades=first.grades + second.grades,
        legal=np.concatenate([first.legal, second.legal]),
        waste_code=first.waste_code + second.waste_code,
        form=np.concatenate([first.form, second.form]),
        xyz=np.concatenate([first.xyz, second.xyz]),
        window=Window(
            np.concatenate([first.window.start, second.window.start]),
            np.concatenate([first.window.end, second.window.end]),
            np.concatenate([first.window.interval, second.window.interval]),
            np.concatenate([first.window.amount, second.window.amount]),
        ),
        supply=np.concatenate([first.supply, second.supply]),
        modes=np.concatenate([first.modes, second.modes]),
        quality=np.concatenate([first.quality, second.quality]),
        reuse=np.concatenate([first.reuse, second.reuse]),
        compositions=first.compositions + second.compositions,
    )
