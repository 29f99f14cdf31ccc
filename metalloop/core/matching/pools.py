"""Pools: several small offers of the same material near each other, gathered into one lot.

A buyer's minimum lot often exceeds what one small supplier has. Offers that fall short of
some sink's minimum lot and share material, grades, form, legal status and waste code are
gathered per cell of about 55 km × 55 km; a pool of two or more becomes a source of its own
at the members' mass-weighted centre, with the chemistry envelope of its members. The
allocation decides how much of each member goes into the pool (membership arcs) and where
the pool goes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from metalloop.core.matching.candidates import Pairs, great_circle
from metalloop.core.matching.tables import SourceKind, Sources, Window
from metalloop.core.materials.composition import AnalysisError, Composition, ShareRange

CELL_DEGREES = (0.5, 0.75)
"""Pool cell size in latitude and longitude [°], about 55 km × 55 km in Germany."""


@dataclass(frozen=True)
class PoolMembers:
    """Membership arcs: ``member`` offer rows, the ``pool`` source row each joins, the
    distance to the pool's centre [km] and the member's supply [t]."""

    member: NDArray[np.intp]
    pool: NDArray[np.intp]
    great_circle_km: NDArray[np.float64]
    capacity: NDArray[np.float64]


def _cell(xyz: NDArray[np.float64]) -> tuple[int, int]:
    lat = np.degrees(np.arcsin(np.clip(xyz[2], -1.0, 1.0)))
    lon = np.degrees(np.arctan2(xyz[1], xyz[0]))
    return int(lat // CELL_DEGREES[0]), int(lon // CELL_DEGREES[1])


def _signature(sources: Sources, row: int) -> tuple[object, ...]:
    return (
        sources.material[row],
        sources.grades[row],
        int(sources.form[row]),
        int(sources.legal[row]),
        sources.waste_code[row],
        _cell(sources.xyz[row]),
    )


def pool_groups(sources: Sources, pairs: Pairs) -> list[list[int]]:
    """Groups of two or more offers that could pool, each sorted, in a stable order."""
    short = np.unique(pairs.source[pairs.lot_short])
    short = short[sources.kind[short] == SourceKind.OFFER]
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for row in short.tolist():
        groups[_signature(sources, row)].append(row)
    return [sorted(rows) for rows in groups.values() if len(rows) >= 2]


def pool_sources(
    sources: Sources, groups: list[list[int]], first_owner: int
) -> tuple[Sources, PoolMembers]:
    """Sources standing for the pools (appended after ``sources``) and their membership arcs.

    Pool owners are fresh negative ids below ``first_owner``, so a pool never counts as the
    buyer's own material.
    """
    base = len(sources)
    rows: list[dict[str, object]] = []
    member, pool, km, capacity = [], [], [], []
    for k, group in enumerate(groups):
        idx = np.asarray(group, dtype=np.intp)
        mass = sources.supply[idx]
        centre = (sources.xyz[idx] * mass[:, None]).sum(axis=0)
        centre = centre / np.linalg.norm(centre)
        rows.append(
            {
                "xyz": centre,
                "owner": first_owner - 1 - k,
                "supply": float(mass.sum()),
                "start": int(sources.window.start[idx].min()),
                "end": int(sources.window.end[idx].max()),
                "modes": int(np.bitwise_and.reduce(sources.modes[idx])),
                "quality": int(sources.quality[idx].min()),
                "reuse": bool(sources.reuse[idx].all()),
                "composition": _envelope([sources.compositions[i] for i in group]),
                "template": group[0],
            }
        )
        member.extend(group)
        pool.extend([base + k] * len(group))
        km.extend(great_circle(np.linalg.norm(sources.xyz[idx] - centre, axis=1)).tolist())
        capacity.extend(mass.tolist())
    return _as_sources(sources, rows), PoolMembers(
        np.asarray(member, dtype=np.intp),
        np.asarray(pool, dtype=np.intp),
        np.asarray(km, dtype=float),
        np.asarray(capacity, dtype=float),
    )


def _envelope(compositions: list[Composition | None]) -> Composition | None:
    """The range every mix of the members lies in: per element the lowest low and the highest
    high. ``None`` unless all members were analysed for the same elements, since the
    allocation may take any share of each member."""
    if any(c is None for c in compositions):
        return None
    known = [c for c in compositions if c is not None]
    elements = {c.elements for c in known}
    if len(elements) != 1:
        return None
    shares = {
        e: ShareRange(min(c[e].low for c in known), max(c[e].high for c in known))
        for e in known[0].elements
    }
    try:
        return Composition(shares)
    except AnalysisError:
        return None


def _as_sources(sources: Sources, rows: list[dict[str, object]]) -> Sources:
    count = len(rows)
    template = [int(r["template"]) for r in rows]  # type: ignore[call-overload]
    supply = np.asarray([r["supply"] for r in rows], dtype=float).reshape(count)
    return Sources(
        kind=np.full(count, SourceKind.POOL, dtype=np.int8),
        origin=np.arange(count, dtype=np.intp),
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
            np.zeros(count),
            supply,
        ),
        supply=supply,
        modes=np.asarray([r["modes"] for r in rows], dtype=np.int64).reshape(count),
        quality=np.asarray([r["quality"] for r in rows], dtype=np.int8).reshape(count),
        reuse=np.asarray([r["reuse"] for r in rows], dtype=bool).reshape(count),
        compositions=tuple(r["composition"] for r in rows),  # type: ignore[misc]
    )


def concat_sources(first: Sources, second: Sources) -> Sources:
    """Rows of ``first`` followed by rows of ``second``."""
    return Sources(
        kind=np.concatenate([first.kind, second.kind]),
        origin=np.concatenate([first.origin, second.origin]),
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
