"""The candidate search: which source may supply which sink, and on what terms.

Candidates are found sparsely. Blocking by material and grade keeps apart what can never
match; within a block, a k-d tree over the sites finds the pairs within the farthest
distance any sink of the block accepts. The remaining rules (owner, distance, permits,
form, transport mode, time windows, lot size, chemistry) are array filters over those pairs.
Every pair the rules admit is kept, so the allocation over the candidates is the allocation
over all pairs. Sinks are searched in buckets of their distance limits and sources in
chunks, and the rules run chunk by chunk, so memory holds the admissible pairs, not all
near ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from metalloop.core.geo import EARTH_RADIUS_KM
from metalloop.core.impact.method import ImpactMethod
from metalloop.core.matching.chemistry import (
    DemandLimits,
    OfferChemistry,
    screen,
)
from metalloop.core.matching.listings import LegalStatus
from metalloop.core.matching.tables import (
    KEY_WIDTH,
    MODES,
    SinkKind,
    Sinks,
    SourceKind,
    Sources,
    Window,
    amount_between,
    has_key,
)

WASTE = tuple(LegalStatus).index(LegalStatus.WASTE)
MAX_ACCUMULATION_DAYS = 91.0
"""Longest a supplier is assumed to gather a recurring stream into one delivery [d] (a
quarter): a buyer's minimum lot must be reached within it, or by pooling with others."""


def lot_quantity(window: Window, rows: NDArray[np.intp]) -> NDArray[np.float64]:
    """What one delivery from each source can hold [t]: a one-off lot whole, a recurring
    stream what gathers within ``MAX_ACCUMULATION_DAYS``."""
    interval = window.interval[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        count = np.where(
            interval > 0, np.maximum(1.0, np.ceil(MAX_ACCUMULATION_DAYS / interval - 1e-9)), 1.0
        )
    return np.asarray(window.amount[rows] * count, dtype=float)


@dataclass(frozen=True)
class Pairs:
    """Admissible source–sink pairs, one entry per pair.

    ``great_circle_km`` [km], ``mode`` index into ``MODES``, ``capacity`` what can pass in the
    common window [t], ``verdict``/``dilution`` the chemistry screen, ``lot_short`` whether
    the pair falls short of the sink's minimum lot (kept only for pooling).
    """

    source: NDArray[np.intp]
    sink: NDArray[np.intp]
    great_circle_km: NDArray[np.float64]
    mode: NDArray[np.int8]
    capacity: NDArray[np.float64]
    verdict: NDArray[np.int8]
    dilution: NDArray[np.float64]
    lot_short: NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.source)

    def take(self, rows: NDArray[np.intp] | NDArray[np.bool_]) -> Pairs:
        return Pairs(*(getattr(self, f.name)[rows] for f in fields(self)))


def empty_pairs() -> Pairs:
    return Pairs(
        np.zeros(0, np.intp),
        np.zeros(0, np.intp),
        np.zeros(0),
        np.zeros(0, np.int8),
        np.zeros(0),
        np.zeros(0, np.int8),
        np.zeros(0),
        np.zeros(0, bool),
    )


def concat_pairs(parts: Sequence[Pairs]) -> Pairs:
    if not parts:
        return empty_pairs()
    return Pairs(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Pairs)))


def source_keys(
    sources: Sources, ancestors: Mapping[str, Sequence[str]], rows: Iterable[int]
) -> dict[tuple[str, str], list[int]]:
    """Blocks of sources: by their material and every ancestor, and by each grade."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        material = sources.material[row]
        for code in (material, *ancestors.get(material, ())):
            blocks["m", code].append(row)
        for grade in sources.grades[row]:
            blocks["g", grade].append(row)
    return blocks


def sink_keys(sinks: Sinks) -> dict[tuple[str, str], list[int]]:
    """Blocks of sinks: by the grades they list, else by the materials they accept."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in range(len(sinks)):
        if sinks.grades[row]:
            for grade in sinks.grades[row]:
                blocks["g", grade].append(row)
        else:
            for material in sinks.materials[row]:
                blocks["m", material].append(row)
    return blocks


def chord(km: float) -> float:
    """Chord length on the unit sphere for a great-circle distance [km]."""
    return float(2.0 * np.sin(min(km / EARTH_RADIUS_KM, np.pi) / 2.0))


def great_circle(chords: NDArray[np.float64]) -> NDArray[np.float64]:
    """Great-circle distance [km] from chord lengths on the unit sphere."""
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chords / 2.0, 0.0, 1.0))


@dataclass(frozen=True)
class SearchContext:
    """What the search needs beyond the tables: the taxonomy and the impact method (detour
    factor and the freight factors that rank transport modes), and the period [d]."""

    ancestors: Mapping[str, Sequence[str]]
    method: ImpactMethod
    period_start: int
    period_end: int


RADIUS_BUCKETS_KM = (25.0, 50.0, 100.0, 200.0, 400.0, 800.0, 1600.0, 20_000.0)
"""Upper limits of the distance buckets sinks are searched in: a source meets each bucket's
sinks within that bucket's limit only, not within the farthest any sink of the block accepts."""
SOURCE_CHUNK = 20_000
"""Sources searched at a time, so that a dense block never holds all its pairs at once."""


def spatial_pairs(
    sources: Sources,
    sinks: Sinks,
    source_rows: Sequence[int],
    sink_rows: Sequence[int],
    detour: float,
) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]]:
    """Pairs of one block within each sink's own distance limit, chunk by chunk.

    Sinks are grouped in buckets by their limit, each bucket searched with a k-d tree up to
    its largest limit, and the pairs beyond a sink's own limit dropped at once.
    """
    src = np.asarray(source_rows, dtype=np.intp)
    snk = np.asarray(sink_rows, dtype=np.intp)
    reach = sinks.max_km[snk] / detour
    bucket = np.searchsorted(RADIUS_BUCKETS_KM, reach)
    for b in np.unique(bucket).tolist():
        members = snk[bucket == b]
        radius = chord(float(sinks.max_km[members].max()) / detour)
        tree = cKDTree(sinks.xyz[members])
        for start in range(0, len(src), SOURCE_CHUNK):
            part = src[start : start + SOURCE_CHUNK]
            found = cKDTree(sources.xyz[part]).sparse_distance_matrix(
                tree, radius, output_type="ndarray"
            )
            i, j = part[found["i"]], members[found["j"]]
            km = great_circle(found["v"])
            near = km * detour <= sinks.max_km[j] + 1e-9
            yield i[near], j[near], km[near]


def find_pairs(
    sources: Sources,
    sinks: Sinks,
    context: SearchContext,
    chemistry: tuple[OfferChemistry, DemandLimits],
    source_rows: Iterable[int] | None = None,
) -> Pairs:
    """Every admissible pair of the given sources (all by default) with any sink."""
    rows = range(len(sources)) if source_rows is None else source_rows
    by_source = source_keys(sources, context.ancestors, rows)
    by_sink = sink_keys(sinks)
    parts = []
    for key, src_rows in by_source.items():
        snk_rows = by_sink.get(key)
        if not snk_rows:
            continue
        detour = context.method.detour.value
        for s, t, km in spatial_pairs(sources, sinks, src_rows, snk_rows, detour):
            if len(s):
                parts.append(admissible(sources, sinks, context, chemistry, s, t, km))
    if not parts:
        return empty_pairs()
    return _unique(concat_pairs(parts), len(sinks))


def _unique(pairs: Pairs, sink_count: int) -> Pairs:
    """Each pair once (a pair can meet in several blocks: material and grade, ancestors)."""
    key = pairs.source.astype(np.int64) * max(sink_count, 1) + pairs.sink
    _, first = np.unique(key, return_index=True)
    return pairs.take(np.sort(first))


def admissible(
    sources: Sources,
    sinks: Sinks,
    context: SearchContext,
    chemistry: tuple[OfferChemistry, DemandLimits],
    src: NDArray[np.intp],
    snk: NDArray[np.intp],
    km: NDArray[np.float64],
    reach_km: NDArray[np.float64] | None = None,
) -> Pairs:
    """Apply every rule to the pairs found and work out their terms.

    ``km`` is the great-circle distance [km] the terms are worked out from; ``reach_km`` the
    one the distance limit is checked against (by default the same; the nearest point of a
    cell where only a cell may be shown, see :mod:`metalloop.core.matching.index`).
    """
    keep = _structural(sources, sinks, src, snk)
    reach = km if reach_km is None else reach_km
    keep &= reach * context.method.detour.value <= sinks.max_km[snk] + 1e-9
    keep &= _permitted(sources, sinks, src, snk)
    keep &= _form_accepted(sources, sinks, src, snk)
    common = sources.modes[src] & sinks.modes[snk]
    keep &= common != 0
    src, snk, km, common = src[keep], snk[keep], km[keep], common[keep]
    start = np.maximum(
        np.maximum(sources.window.start[src], sinks.window.start[snk]), context.period_start
    )
    end = np.minimum(np.minimum(sources.window.end[src], sinks.window.end[snk]), context.period_end)
    capacity = np.minimum(
        amount_between(sources.window, src, start, end),
        amount_between(sinks.window, snk, start, end),
    )
    capacity = np.minimum(capacity, np.minimum(sources.supply[src], sinks.capacity[snk]))
    keep = capacity > 1e-9
    src, snk, km, common, capacity = src[keep], snk[keep], km[keep], common[keep], capacity[keep]
    checked = screen(chemistry[0], chemistry[1], src, snk)
    keep = checked.admissible
    return Pairs(
        source=src[keep],
        sink=snk[keep],
        great_circle_km=km[keep],
        mode=cheapest_mode(common[keep], context.method),
        capacity=capacity[keep],
        verdict=checked.verdicts[keep],
        dilution=checked.dilution[keep],
        lot_short=np.minimum(capacity[keep], lot_quantity(sources.window, src[keep]))
        < sinks.min_lot[snk[keep]] - 1e-9,
    )


def _structural(
    sources: Sources, sinks: Sinks, src: NDArray[np.intp], snk: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Not with oneself; a processor's output and a pool go to demands only."""
    ok = sources.owner[src] != sinks.owner[snk]
    ok &= (sources.kind[src] == SourceKind.OFFER) | (sinks.kind[snk] == SinkKind.DEMAND)
    return np.asarray(ok, dtype=bool)


def _permitted(
    sources: Sources, sinks: Sinks, src: NDArray[np.intp], snk: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Waste only to a sink whose permits name its code."""
    code = sources.waste_code_ids[src]
    listed = (code >= 0) & has_key(sinks.permit_keys, snk.astype(np.int64) * KEY_WIDTH + code)
    return np.asarray((sources.legal[src] != WASTE) | listed, dtype=bool)


def _form_accepted(
    sources: Sources, sinks: Sinks, src: NDArray[np.intp], snk: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Sinks that name forms accept only those."""
    form = sources.form[src].astype(np.int64)
    named = (form >= 0) & has_key(sinks.form_keys, snk.astype(np.int64) * KEY_WIDTH + form)
    return np.asarray(sinks.any_form[snk] | named, dtype=bool)


def cheapest_mode(common: NDArray[np.int64], method: ImpactMethod) -> NDArray[np.int8]:
    """Per pair, the common transport mode with the lowest freight factor."""
    order = sorted(
        range(len(MODES)),
        key=lambda m: method.freight[MODES[m]].value if MODES[m] in method.freight else np.inf,
    )
    chosen = np.full(len(common), -1, dtype=np.int8)
    for m in reversed(order):
        if MODES[m] in method.freight:
            chosen = np.where(common & (1 << m), m, chosen).astype(np.int8)
    return chosen
