"""What a matching run takes and gives: the problem, proposals and the result, and the
network of tables, pairs and arcs a run works on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from metalloop.core.impact.method import ImpactMethod
from metalloop.core.matching.allocation import (
    Status,
)
from metalloop.core.matching.candidates import Pairs
from metalloop.core.matching.listings import Demand, Offer, Processor, TimeWindow
from metalloop.core.matching.pools import PoolMembers
from metalloop.core.matching.scoring import Feedback, Objective
from metalloop.core.matching.tables import Sinks, Sources


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
    A chain names its ``processor``, which of its ``output`` s it delivers and that
    output's ``yield_share``.
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
    output: int | None = None


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
class Network:
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
