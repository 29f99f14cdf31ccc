"""What the matching engine knows of offers, demands and processors.

These are the core's views of the exchange's records: only what matching needs, validated,
immutable, with units. The exchange app's adapters build them from its models; the benchmark
builds them from its generator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from metalloop.core.cloaking import Cell
from metalloop.core.geo import Coordinates
from metalloop.core.materials.composition import Composition
from metalloop.core.materials.specification import Specification
from metalloop.core.units import Mass


class MatchingInputError(ValueError):
    """A listing the engine cannot work with (the interfaces validate before this)."""


class LegalStatus(StrEnum):
    """The legal status of a material under German waste law (KrWG)."""

    WASTE = "waste"
    BY_PRODUCT = "by_product"  # KrWG § 4
    END_OF_WASTE = "end_of_waste"  # KrWG § 5, Reg. (EU) 333/2011 and 715/2013
    PRODUCT = "product"  # used components for reuse or remanufacturing


class TransportMode(StrEnum):
    ROAD = "road"
    RAIL = "rail"
    INLAND_WATERWAY = "inland_waterway"
    SEA = "sea"


class Form(StrEnum):
    LUMPS = "lumps"
    SHEET = "sheet"
    TURNINGS = "turnings"
    BALES = "bales"
    SHREDDED = "shredded"
    BRIQUETTES = "briquettes"
    POWDER = "powder"
    SLUDGE = "sludge"
    GRANULES = "granules"
    COMPONENTS = "components"
    CABLE = "cable"
    MIXED = "mixed"


INTERVAL_DAYS = {"weekly": 7, "monthly": 365.25 / 12, "quarterly": 365.25 / 4, "yearly": 365.25}
"""Length of a recurrence interval [d]."""


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A period from ``start`` to ``end`` (both inclusive); ``end=None`` is open."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise MatchingInputError("a time window cannot end before it starts")

    def overlap(self, other: TimeWindow) -> TimeWindow | None:
        """The common part of two windows, or ``None`` when they do not meet."""
        start = max(self.start, other.start)
        ends = [e for e in (self.end, other.end) if e is not None]
        end = min(ends) if ends else None
        if end is not None and end < start:
            return None
        return TimeWindow(start, end)

    def days(self) -> float:
        """Length [d]; an open window counts as unbounded."""
        if self.end is None:
            return math.inf
        return float((self.end - self.start).days + 1)


@dataclass(frozen=True, slots=True)
class Flow:
    """A quantity offered or wanted: once, or per interval over a time window.

    Parameters
    ----------
    amount : Mass
        The quantity of the one-off lot, or per interval when recurring [t].
    window : TimeWindow
        When the material is available (offer) or wanted (demand).
    interval : str or None
        ``None`` for one-off; ``"weekly"``, ``"monthly"``, ``"quarterly"`` or ``"yearly"``.
    """

    amount: Mass
    window: TimeWindow
    interval: str | None = None

    def __post_init__(self) -> None:
        if self.amount.tonnes <= 0:
            raise MatchingInputError("a quantity must be above zero")
        if self.interval is not None and self.interval not in INTERVAL_DAYS:
            raise MatchingInputError(f"unknown interval {self.interval!r}")

    @property
    def recurring(self) -> bool:
        return self.interval is not None

    def within(self, period: TimeWindow) -> Mass:
        """The quantity that falls into ``period`` [t].

        Notes
        -----
        A one-off lot falls wholly into any period its window meets. A recurring flow
        contributes ``amount`` per started interval of the overlap, at least one.
        """
        common = self.window.overlap(period)
        if common is None:
            return Mass.t(0.0)
        if self.interval is None:
            return self.amount
        days = common.days()
        if math.isinf(days):
            raise MatchingInputError("a recurring quantity needs a bounded period")
        return self.amount * max(1, math.ceil(days / INTERVAL_DAYS[self.interval] - 1e-9))


@dataclass(frozen=True, slots=True)
class Offer:
    """An offered lot or stream of material, as matching sees it.

    Parameters
    ----------
    key : str
        Opaque identifier (the exchange's listing id).
    owner : str
        Opaque identifier of the owning organisation (never matched with itself).
    material : str
        Taxonomy code, e.g. ``"MAT:stainless-austenitic"``.
    grades : frozenset of str
        Scrap grade and alloy codes the material belongs to.
    legal_status : LegalStatus
    waste_code : str or None
        AVV code, required when the material is waste.
    composition : Composition or None
        The analysis, with ranges.
    form : Form or None
    flow : Flow
    location : Coordinates
    modes : frozenset of TransportMode
    data_quality : int
        1 declared, 2 classified, 3 analysed, 4 verified.
    reuse : bool
        A used component or product offered for reuse or remanufacturing.
    committed : Mass
        Already promised in proposals of earlier runs that are still open or settled [t];
        taken off what the horizon offers, so no tonne is promised twice.
    area : Cell or None
        Where the site may not be shown to the one the candidates are for: the cell shown
        instead (``location`` is then its centre). A distance limit is met when the nearest
        point of the cell is within it.
    """

    key: str
    owner: str
    material: str
    flow: Flow
    location: Coordinates
    grades: frozenset[str] = frozenset()
    legal_status: LegalStatus = LegalStatus.WASTE
    waste_code: str | None = None
    composition: Composition | None = None
    form: Form | None = None
    modes: frozenset[TransportMode] = frozenset({TransportMode.ROAD})
    data_quality: int = 1
    reuse: bool = False
    committed: Mass = field(default_factory=lambda: Mass.t(0.0))
    area: Cell | None = None

    def __post_init__(self) -> None:
        _check_common(self.key, self.modes, self.data_quality)
        if self.legal_status is LegalStatus.WASTE and not self.waste_code:
            raise MatchingInputError(f"offer {self.key}: waste needs a waste code")


@dataclass(frozen=True, slots=True)
class Demand:
    """A wanted material, as matching sees it.

    Parameters
    ----------
    key, owner : str
    materials : frozenset of str
        Acceptable taxonomy codes; an offer fits when its material is one of them or lies
        below one of them in the taxonomy.
    grades : frozenset of str
        Acceptable grade and alloy codes; empty accepts any grade of the materials.
    limits : Specification or None
        Chemistry limits (``closed=False``: elements it does not name do not matter).
    max_dilution : float
        Largest share of clean base metal the receiver can blend in to meet ``limits`` [-].
    forms : frozenset of Form
        Acceptable forms; empty accepts any.
    flow : Flow
        The wanted quantity (the maximum), once or per interval.
    min_quantity : Mass
        Least total worth taking over the run's horizon [t].
    min_lot : Mass
        Least quantity per delivery from one source [t].
    max_distance_km : float
        Farthest source, as road distance [km].
    r_strategy : str
        The intended use, a code of the R-ladder (``"R:3"`` reuse … ``"R:9"`` recover).
    permitted_waste_codes : frozenset of str
        Waste codes the receiver's permits allow; waste with other codes does not fit.
    committed : Mass
        Already promised to it in proposals of earlier runs [t], taken off what it wants.
    area : Cell or None
        As for :class:`Offer`: the cell shown instead of a site that may not be shown.
    """

    key: str
    owner: str
    materials: frozenset[str]
    flow: Flow
    location: Coordinates
    max_distance_km: float
    grades: frozenset[str] = frozenset()
    limits: Specification | None = None
    max_dilution: float = 0.0
    forms: frozenset[Form] = frozenset()
    min_quantity: Mass = field(default_factory=lambda: Mass.t(0.0))
    min_lot: Mass = field(default_factory=lambda: Mass.t(0.0))
    r_strategy: str = "R:8"
    permitted_waste_codes: frozenset[str] = frozenset()
    modes: frozenset[TransportMode] = frozenset({TransportMode.ROAD})
    data_quality: int = 1
    committed: Mass = field(default_factory=lambda: Mass.t(0.0))
    area: Cell | None = None

    def __post_init__(self) -> None:
        _check_common(self.key, self.modes, self.data_quality)
        if not self.materials:
            raise MatchingInputError(f"demand {self.key}: name at least one material")
        if not 0 < self.max_distance_km <= 20_000:
            raise MatchingInputError(f"demand {self.key}: the maximum distance is out of range")
        if not 0.0 <= self.max_dilution < 1.0:
            raise MatchingInputError(f"demand {self.key}: dilution must lie in [0, 1)")
        if self.min_lot.tonnes < 0 or self.min_quantity.tonnes < 0:
            raise MatchingInputError(f"demand {self.key}: minimum quantities cannot be negative")


@dataclass(frozen=True, slots=True)
class ProcessorOutput:
    """What a processor makes of its input: material, grade, form and legal status."""

    material: str
    yield_share: float
    grades: frozenset[str] = frozenset()
    form: Form | None = None
    legal_status: LegalStatus = LegalStatus.END_OF_WASTE
    waste_code: str | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.yield_share <= 1.0:
            raise MatchingInputError("a yield must lie in (0, 1]")


@dataclass(frozen=True, slots=True)
class Processor:
    """A sorting, briquetting, shredding, refining or remanufacturing step between two partners.

    Its input side behaves like a demand (materials, grades, forms, permits, distance), each
    of its outputs like an offer at the processor's site: every tonne taken in yields
    ``yield_share`` tonnes of every output at once (a shredder's ferrous and non-ferrous
    fractions), so the yields add up to at most 1. The flow of ``inputs`` is the capacity:
    what the processor can take in [t], once or per interval.
    """

    key: str
    owner: str
    process: str
    inputs: Demand
    outputs: tuple[ProcessorOutput, ...]

    def __post_init__(self) -> None:
        if not self.outputs:
            raise MatchingInputError(f"processor {self.key}: name at least one output")
        if sum(o.yield_share for o in self.outputs) > 1.0 + 1e-9:
            raise MatchingInputError(f"processor {self.key}: the yields add up to more than 100 %")


def _check_common(key: str, modes: frozenset[TransportMode], data_quality: int) -> None:
    if not key:
        raise MatchingInputError("every listing needs a key")
    if not modes:
        raise MatchingInputError(f"{key}: name at least one transport mode")
    if data_quality not in (1, 2, 3, 4):
        raise MatchingInputError(f"{key}: data quality is a level from 1 to 4")


def horizon(start: date, months: int = 12) -> TimeWindow:
    """The planning period of a matching run: ``months`` from ``start``."""
    if months < 1:
        raise MatchingInputError("the horizon must be at least one month")
    return TimeWindow(start, start + timedelta(days=round(months * 365.25 / 12) - 1))
