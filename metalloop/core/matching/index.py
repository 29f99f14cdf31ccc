"""Top candidates for one new listing, against an index of the network's listings.

When a member enters an offer, the platform shows at once the demands it could serve best
(and vice versa), without running the whole allocation. The index keeps, per block of
material or grade, a k-d tree over the sites; a query touches only the blocks of the new
listing and the sites within the farthest accepted distance, then applies the same rules
and score as a full run.

A listing whose site the asker may not learn comes with the cell shown instead
(``Offer.area``/``Demand.area``, its ``location`` the cell's centre): its distance limit is
checked against the nearest point of the cell and its figures are worked out at the centre,
so that nothing in the answer depends on where in the cell the site lies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from metalloop.core.cloaking import Cell
from metalloop.core.geo import Coordinates, great_circle_km
from metalloop.core.impact.method import ImpactMethod
from metalloop.core.matching.candidates import (
    Pairs,
    SearchContext,
    admissible,
    chord,
    great_circle,
    sink_keys,
    source_keys,
)
from metalloop.core.matching.chemistry import (
    demand_limits,
    limit_elements,
    offer_chemistry,
)
from metalloop.core.matching.listings import Demand, Offer, TimeWindow
from metalloop.core.matching.scoring import Feedback, hierarchy_level, pair_terms
from metalloop.core.matching.tables import (
    OwnerIds,
    Sinks,
    Sources,
    Window,
    day,
    sink_table,
    source_table,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A listing that could match the new one: its key, score (0–100), great-circle
    distance [km], chemistry verdict and net CO2 per tonne [t CO2e/t] (``None`` unknown)."""

    key: str
    score: float
    great_circle_km: float
    verdict: str
    co2_per_tonne: float | None


@dataclass
class _Block:
    rows: NDArray[np.intp]
    tree: cKDTree


class ListingIndex:
    """The network's offers and demands, indexed for single-listing queries."""

    def __init__(
        self,
        offers: Sequence[Offer],
        demands: Sequence[Demand],
        *,
        period: TimeWindow,
        method: ImpactMethod,
        ancestors: Mapping[str, Sequence[str]],
        feedback: Feedback | None = None,
    ) -> None:
        self.offers, self.demands = list(offers), list(demands)
        self.owners = OwnerIds()
        self.period = period
        self.sources = source_table(self.offers, [], period, self.owners)
        self.sinks = sink_table(self.demands, [], period, self.owners)
        self.context = SearchContext(
            ancestors, method, day(period.start), day(period.end) if period.end else 10**9
        )
        self.feedback = feedback or Feedback()
        self.elements = limit_elements(self.sinks.limits)
        self._limits = demand_limits(
            self.sinks.limits, list(self.sinks.max_dilution), self.elements
        )
        self._source_blocks = _blocks(
            source_keys(self.sources, ancestors, range(len(self.sources))), self.sources.xyz
        )
        self._sink_blocks = _blocks(sink_keys(self.sinks), self.sinks.xyz)
        self._sink_reach = {
            key: float(self.sinks.max_km[b.rows].max()) for key, b in self._sink_blocks.items()
        }
        self._offer_areas = [o.area for o in self.offers]
        self._demand_areas = [d.area for d in self.demands]
        # A cell's nearest point lies at most half its diagonal from its centre: searched
        # that much farther, no listing shown as a cell is missed.
        self._slack_km = max(
            (_half_diagonal_km(a) for a in (*self._offer_areas, *self._demand_areas) if a),
            default=0.0,
        )

    def demands_for(self, offer: Offer, limit: int = 10) -> list[Candidate]:
        """The best demands for a new ``offer``, best first."""
        new = source_table([offer], [], self.period, self.owners)
        keys = source_keys(new, self.context.ancestors, [0])
        rows = self._near(self._sink_blocks, keys, new.xyz[0], self._sink_reach)
        if rows.size == 0:
            return []
        km = _km(new.xyz[0], self.sinks.xyz[rows])
        reach = _reach_km(offer.location, km, [self._demand_areas[r] for r in rows.tolist()])
        within = reach * self.context.method.detour.value <= self.sinks.max_km[rows] + 1e-9
        rows, km, reach = rows[within], km[within], reach[within]
        near = _rows_of(self.sinks, rows)
        chemistry = (offer_chemistry(new.compositions, self.elements), self._limits.take(rows))
        local = np.arange(rows.size, dtype=np.intp)
        src = np.zeros(rows.size, dtype=np.intp)
        pairs = admissible(new, near, self.context, chemistry, src, local, km, reach)
        pairs = pairs.take(~pairs.lot_short)
        keys_out = [self.demands[int(rows[j])].key for j in pairs.sink]
        return self._ranked(new, near, pairs, keys_out, limit)

    def offers_for(self, demand: Demand, limit: int = 10) -> list[Candidate]:
        """The best offers for a new ``demand``, best first."""
        new = sink_table([demand], [], self.period, self.owners)
        keys = sink_keys(new)
        reach = {key: float(new.max_km[0]) for key in keys}
        rows = self._near(self._source_blocks, keys, new.xyz[0], reach)
        if rows.size == 0:
            return []
        near = _rows_of(self.sources, rows)
        local = np.arange(rows.size, dtype=np.intp)
        snk = np.zeros(rows.size, dtype=np.intp)
        km = _km(new.xyz[0], near.xyz)
        limit_km = _reach_km(demand.location, km, [self._offer_areas[r] for r in rows.tolist()])
        elements = limit_elements(new.limits)
        chemistry = (
            offer_chemistry(near.compositions, elements),
            demand_limits(new.limits, list(new.max_dilution), elements),
        )
        pairs = admissible(near, new, self.context, chemistry, local, snk, km, limit_km)
        pairs = pairs.take(~pairs.lot_short)
        keys_out = [self.offers[int(rows[i])].key for i in pairs.source]
        return self._ranked(near, new, pairs, keys_out, limit)

    def _near(
        self,
        blocks: Mapping[tuple[str, str], _Block],
        keys: Mapping[tuple[str, str], list[int]],
        xyz: NDArray[np.float64],
        reach: Mapping[tuple[str, str], float],
    ) -> NDArray[np.intp]:
        found = []
        detour = self.context.method.detour.value
        for key in keys:
            block = blocks.get(key)
            if block is None:
                continue
            hits = block.tree.query_ball_point(xyz, chord(reach[key] / detour + self._slack_km))
            found.append(block.rows[np.asarray(hits, dtype=np.intp)])
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.intp)

    def _ranked(
        self, sources: Sources, sinks: Sinks, pairs: Pairs, keys: list[str], limit: int
    ) -> list[Candidate]:
        if len(pairs) == 0:
            return []
        terms = pair_terms(
            method=self.context.method,
            ancestors=self.context.ancestors,
            feedback=self.feedback,
            owner_names=list(self.owners._ids),
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
        result, score = terms.delivery, terms.score
        # The waste hierarchy first (reuse and remanufacturing before recycling before
        # recovery), then the score; the key keeps equal ranks stable.
        level = np.array([hierarchy_level(code) for code in sinks.r_strategy], dtype=np.int8)
        order = np.lexsort((np.array(keys), -score, level[pairs.sink]))[:limit]
        verdicts = ("fits", "fits_after_dilution", "does_not_fit", "not_analysed")
        return [
            Candidate(
                keys[k],
                float(score[k]),
                float(pairs.great_circle_km[k]),
                verdicts[int(pairs.verdict[k])],
                float(result.net[k]) if result.known[k] else None,
            )
            for k in order.tolist()
        ]


def _blocks(
    keys: Mapping[tuple[str, str], list[int]], xyz: NDArray[np.float64]
) -> dict[tuple[str, str], _Block]:
    blocks = {}
    for key, rows in keys.items():
        idx = np.asarray(rows, dtype=np.intp)
        blocks[key] = _Block(idx, cKDTree(xyz[idx]))
    return blocks


def _km(point: NDArray[np.float64], others: NDArray[np.float64]) -> NDArray[np.float64]:
    return great_circle(np.linalg.norm(others - point, axis=1))


def _reach_km(
    point: Coordinates, km: NDArray[np.float64], areas: Sequence[Cell | None]
) -> NDArray[np.float64]:
    """The distances [km] limits are checked against: ``km`` to a site, the distance to the
    nearest point of the cell where only a cell may be shown."""
    if not any(areas):
        return km
    return np.fromiter(
        (a.nearest_km(point) if a else k for a, k in zip(areas, km.tolist(), strict=True)),
        dtype=float,
        count=len(areas),
    )


def _half_diagonal_km(cell: Cell) -> float:
    south, west, north, east = cell.bounds
    return great_circle_km(Coordinates(south, west), Coordinates(north, east)) / 2


def _rows_of[T: (Sources, Sinks)](table: T, rows: NDArray[np.intp]) -> T:
    """The rows ``rows`` of a source or sink table, in that order (every field, so that a
    field added to the tables cannot be forgotten here)."""
    picked = rows.tolist()

    def take(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            return value[rows]
        if isinstance(value, Window):
            return Window(*(take(getattr(value, f.name)) for f in fields(Window)))
        return tuple(value[r] for r in picked)

    return type(table)(**{f.name: take(getattr(table, f.name)) for f in fields(table)})
