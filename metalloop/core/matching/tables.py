"""Offers, demands and processors as column arrays: the form the candidate search needs.

A *source* supplies material (an offer, a processor's output, or a pool of small offers); a
*sink* takes it (a demand, or a processor's input). Each row keeps the index of the listing
it came from, so results can be told in the listings' terms again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from metalloop.core.geo import Coordinates
from metalloop.core.matching.chemistry import (
    DemandLimits,
    OfferChemistry,
    demand_limits,
    limit_elements,
    offer_chemistry,
)
from metalloop.core.matching.listings import (
    INTERVAL_DAYS,
    Demand,
    Form,
    LegalStatus,
    Offer,
    Processor,
    TimeWindow,
    TransportMode,
)
from metalloop.core.materials.composition import Composition
from metalloop.core.materials.specification import Specification

EPOCH = date(2000, 1, 1)
KEY_WIDTH = 1 << 24
"""Multiplier that packs a row and a small code into one integer key."""
_CODE_IDS: dict[str, int] = {}


def code_id(code: str) -> int:
    """A small integer standing for a code, the same for the life of the process."""
    return _CODE_IDS.setdefault(code, len(_CODE_IDS))


def has_key(keys: NDArray[np.int64], wanted: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Whether each of ``wanted`` is among the sorted ``keys``."""
    if len(keys) == 0:
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.asarray(keys[at] == wanted, dtype=bool)


OPEN_END = 1_000_000
"""Day number standing for an open end of a window."""
MODES = tuple(TransportMode)
FORMS = tuple(Form)


class SourceKind(IntEnum):
    OFFER = 0
    PROCESSED = 1
    POOL = 2


class SinkKind(IntEnum):
    DEMAND = 0
    PROCESSOR = 1


def day(value: date) -> int:
    """Days since 2000-01-01 [d]."""
    return (value - EPOCH).days


def unit_vectors(points: Sequence[Coordinates]) -> NDArray[np.float64]:
    """Points on the unit sphere, for chord-distance searches in a k-d tree."""
    lat = np.radians([p.latitude for p in points])
    lon = np.radians([p.longitude for p in points])
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def modes_mask(modes: frozenset[TransportMode]) -> int:
    return sum(1 << MODES.index(mode) for mode in modes)


@dataclass(frozen=True)
class Window:
    """Window arrays: first and last day (``OPEN_END`` when open), interval [d] (0 one-off)
    and amount per occurrence [t]."""

    start: NDArray[np.int64]
    end: NDArray[np.int64]
    interval: NDArray[np.float64]
    amount: NDArray[np.float64]


def window_arrays(
    windows: Sequence[TimeWindow], intervals: Sequence[str | None], amounts: Sequence[float]
) -> Window:
    return Window(
        np.array([day(w.start) for w in windows], dtype=np.int64),
        np.array([day(w.end) if w.end else OPEN_END for w in windows], dtype=np.int64),
        np.array([INTERVAL_DAYS[i] if i else 0.0 for i in intervals], dtype=float),
        np.asarray(amounts, dtype=float),
    )


def amount_between(
    window: Window, rows: NDArray[np.intp], start: NDArray[np.int64], end: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Quantity of ``rows`` that falls into ``[start, end]`` [t] (0 where they do not meet).

    Notes
    -----
    Vectorised twin of :meth:`metalloop.core.matching.listings.Flow.within`.
    """
    first = np.maximum(window.start[rows], start)
    last = np.minimum(window.end[rows], end)
    meets = last >= first
    interval = window.interval[rows]
    recurring = interval > 0
    days = (last - first + 1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        count = np.where(recurring, np.maximum(1, np.ceil(days / interval - 1e-9)), 1.0)
    return np.where(meets, window.amount[rows] * count, 0.0)


@dataclass(frozen=True)
class Sources:
    """Everything that supplies material, as arrays (one row per source).

    ``origin`` is the index of the offer, processor or pool; ``output`` which of a
    processor's outputs the row is (0 for offers and pools).
    """

    kind: NDArray[np.int8]
    origin: NDArray[np.intp]
    output: NDArray[np.intp]
    owner: NDArray[np.int64]
    material: tuple[str, ...]
    grades: tuple[frozenset[str], ...]
    legal: NDArray[np.int8]
    waste_code: tuple[str | None, ...]
    form: NDArray[np.int8]
    xyz: NDArray[np.float64]
    window: Window
    supply: NDArray[np.float64]
    modes: NDArray[np.int64]
    quality: NDArray[np.int8]
    reuse: NDArray[np.bool_]
    compositions: tuple[Composition | None, ...]

    def __len__(self) -> int:
        return len(self.kind)

    @cached_property
    def waste_code_ids(self) -> NDArray[np.int64]:
        """Each source's waste code as a small integer (-1 for none)."""
        return np.fromiter(
            (code_id(c) if c else -1 for c in self.waste_code), dtype=np.int64, count=len(self)
        )


@dataclass(frozen=True)
class Sinks:
    """Everything that takes material, as arrays (one row per sink)."""

    kind: NDArray[np.int8]
    origin: NDArray[np.intp]
    owner: NDArray[np.int64]
    materials: tuple[frozenset[str], ...]
    grades: tuple[frozenset[str], ...]
    forms: tuple[frozenset[Form], ...]
    permits: tuple[frozenset[str], ...]
    xyz: NDArray[np.float64]
    window: Window
    capacity: NDArray[np.float64]
    min_lot: NDArray[np.float64]
    min_quantity: NDArray[np.float64]
    max_km: NDArray[np.float64]
    modes: NDArray[np.int64]
    quality: NDArray[np.int8]
    r_strategy: tuple[str, ...]
    limits: tuple[Specification | None, ...]
    max_dilution: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.kind)

    @cached_property
    def permit_keys(self) -> NDArray[np.int64]:
        """Sorted keys ``row * KEY_WIDTH + code id`` of every waste code a sink may take."""
        keys = [row * KEY_WIDTH + code_id(c) for row, ps in enumerate(self.permits) for c in ps]
        return np.unique(np.asarray(keys, dtype=np.int64))

    @cached_property
    def form_keys(self) -> NDArray[np.int64]:
        """Sorted keys ``row * KEY_WIDTH + form index`` of the forms each sink names."""
        keys = [row * KEY_WIDTH + FORMS.index(f) for row, fs in enumerate(self.forms) for f in fs]
        return np.unique(np.asarray(keys, dtype=np.int64))

    @cached_property
    def any_form(self) -> NDArray[np.bool_]:
        """Sinks that name no form (they take any)."""
        return np.fromiter((not f for f in self.forms), dtype=bool, count=len(self))


def _ints(values: Sequence[int]) -> NDArray[np.int64]:
    return np.asarray(values, dtype=np.int64).reshape(len(values))


class OwnerIds:
    """Small integers for owner keys, so that "not with yourself" is an array comparison."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def __call__(self, owner: str) -> int:
        return self._ids.setdefault(owner, len(self._ids))


def source_table(
    offers: Sequence[Offer],
    processors: Sequence[Processor],
    period: TimeWindow,
    owners: OwnerIds,
) -> Sources:
    """Offers, then one row per output of each processor.

    An output row supplies the output's yield times what the processor can take in.
    """
    rows_o = list(offers)
    made = [(k, n, out) for k, p in enumerate(processors) for n, out in enumerate(p.outputs)]
    by = [processors[k] for k, _, _ in made]
    outputs = [out for _, _, out in made]
    capacities = [p.inputs.flow.within(period).tonnes for p in by]
    kind = [SourceKind.OFFER] * len(rows_o) + [SourceKind.PROCESSED] * len(made)
    return Sources(
        kind=np.asarray(kind, dtype=np.int8).reshape(len(kind)),
        origin=np.asarray(list(range(len(rows_o))) + [k for k, _, _ in made], dtype=np.intp),
        output=np.asarray([0] * len(rows_o) + [n for _, n, _ in made], dtype=np.intp),
        owner=_ints([owners(o.owner) for o in rows_o] + [owners(p.owner) for p in by]),
        material=tuple(o.material for o in rows_o) + tuple(out.material for out in outputs),
        grades=tuple(o.grades for o in rows_o) + tuple(out.grades for out in outputs),
        legal=np.asarray(
            [_legal(o.legal_status) for o in rows_o]
            + [_legal(out.legal_status) for out in outputs],
            dtype=np.int8,
        ).reshape(len(kind)),
        waste_code=tuple(o.waste_code for o in rows_o) + tuple(out.waste_code for out in outputs),
        form=np.asarray(
            [_form(o.form) for o in rows_o] + [_form(out.form) for out in outputs], dtype=np.int8
        ).reshape(len(kind)),
        xyz=unit_vectors([o.location for o in rows_o] + [p.inputs.location for p in by])
        if kind
        else np.zeros((0, 3)),
        window=window_arrays(
            [o.flow.window for o in rows_o] + [p.inputs.flow.window for p in by],
            [o.flow.interval for o in rows_o] + [p.inputs.flow.interval for p in by],
            [o.flow.amount.tonnes for o in rows_o]
            + [
                p.inputs.flow.amount.tonnes * out.yield_share
                for p, out in zip(by, outputs, strict=True)
            ],
        ),
        supply=np.asarray(
            [max(0.0, o.flow.within(period).tonnes - o.committed.tonnes) for o in rows_o]
            + [c * out.yield_share for c, out in zip(capacities, outputs, strict=True)],
            dtype=float,
        ).reshape(len(kind)),
        modes=_ints(
            [modes_mask(o.modes) for o in rows_o] + [modes_mask(p.inputs.modes) for p in by]
        ),
        quality=np.asarray(
            [o.data_quality for o in rows_o] + [p.inputs.data_quality for p in by],
            dtype=np.int8,
        ).reshape(len(kind)),
        reuse=np.asarray([o.reuse for o in rows_o] + [False] * len(made), dtype=bool).reshape(
            len(kind)
        ),
        compositions=tuple(o.composition for o in rows_o) + (None,) * len(made),
    )


def sink_table(
    demands: Sequence[Demand],
    processors: Sequence[Processor],
    period: TimeWindow,
    owners: OwnerIds,
) -> Sinks:
    """Demands, then one input row per processor."""
    rows = list(demands) + [p.inputs for p in processors]
    kind = [SinkKind.DEMAND] * len(demands) + [SinkKind.PROCESSOR] * len(processors)
    return Sinks(
        kind=np.asarray(kind, dtype=np.int8).reshape(len(kind)),
        origin=np.concatenate([np.arange(len(demands)), np.arange(len(processors))]).astype(
            np.intp
        ),
        owner=_ints([owners(d.owner) for d in demands] + [owners(p.owner) for p in processors]),
        materials=tuple(d.materials for d in rows),
        grades=tuple(d.grades for d in rows),
        forms=tuple(d.forms for d in rows),
        permits=tuple(d.permitted_waste_codes for d in rows),
        xyz=unit_vectors([d.location for d in rows]) if rows else np.zeros((0, 3)),
        window=window_arrays(
            [d.flow.window for d in rows],
            [d.flow.interval for d in rows],
            [d.flow.amount.tonnes for d in rows],
        ),
        capacity=np.asarray(
            [max(0.0, d.flow.within(period).tonnes - d.committed.tonnes) for d in rows],
            dtype=float,
        ).reshape(len(rows)),
        min_lot=np.asarray([d.min_lot.tonnes for d in rows], dtype=float).reshape(len(rows)),
        min_quantity=np.asarray([d.min_quantity.tonnes for d in rows], dtype=float).reshape(
            len(rows)
        ),
        max_km=np.asarray([d.max_distance_km for d in rows], dtype=float).reshape(len(rows)),
        modes=_ints([modes_mask(d.modes) for d in rows]),
        quality=np.asarray([d.data_quality for d in rows], dtype=np.int8).reshape(len(rows)),
        r_strategy=tuple(d.r_strategy for d in rows),
        limits=tuple(d.limits for d in rows),
        max_dilution=np.asarray([d.max_dilution for d in rows], dtype=float).reshape(len(rows)),
    )


def chemistry_tables(sources: Sources, sinks: Sinks) -> tuple[OfferChemistry, DemandLimits]:
    elements = limit_elements(sinks.limits)
    return (
        offer_chemistry(sources.compositions, elements),
        demand_limits(sinks.limits, list(sinks.max_dilution), elements),
    )


def _legal(status: LegalStatus) -> int:
    return tuple(LegalStatus).index(status)


def _form(form: Form | None) -> int:
    return -1 if form is None else FORMS.index(form)
