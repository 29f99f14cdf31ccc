"""Gains and scores of candidate pairs.

The *gain* per tonne is what the allocation maximises: net CO2 saved by default, or tonnes,
or the score. The *score* (0–100) ranks proposals for people: it weighs the R-strategy,
the CO2 saved per tonne, how well the quantities fit, the data quality, and the network's
experience with similar proposals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from metalloop.core.impact.method import (
    RECYCLING_STRATEGIES,
    REUSE_STRATEGIES,
    ImpactMethod,
)
from metalloop.core.matching.tables import MODES

UNKNOWN_SAVING_WEIGHT = 1e-3
"""Objective weight per tonne of a material without a sourced substitution factor
[t CO2e/t, objective only]: such tonnes still move when nothing better competes for them, but
no report ever counts a saving for them."""
DISTANCE_TIE_BREAK = 1e-7
"""Objective preference for shorter routes where the gain is otherwise equal [1/(t·km)]."""
SCORE_WEIGHTS = {
    "r_strategy": 0.25,
    "co2": 0.25,
    "quantity": 0.15,
    "quality": 0.15,
    "feedback": 0.2,
}
"""Weights of the score's parts; they add up to 1."""
CO2_FULL_MARKS = 5.0
"""Net saving per tonne that earns the full CO2 part of the score [t CO2e/t]."""


class Objective(StrEnum):
    CO2 = "co2"
    TONNES = "tonnes"
    SCORE = "score"


@dataclass(frozen=True)
class Feedback:
    """What the network learnt from earlier proposals.

    ``counts`` maps a similarity key to (interested or settled, declined or failed). Keys are
    ``("receiver", receiver_owner, material)`` and ``("pair", supplier_owner,
    receiver_owner)``.
    """

    counts: Mapping[tuple[str, str, str], tuple[int, int]] = field(default_factory=dict)

    def acceptance(self, supplier: str, receiver: str, material: str) -> float:
        """Estimated chance of acceptance, 0.5 without experience.

        Notes
        -----
        Laplace's rule of succession, :math:`(a + 1) / (a + d + 2)`, over the counts of both
        keys together.
        """
        accepted = declined = 0
        for key in (("receiver", receiver, material), ("pair", supplier, receiver)):
            a, d = self.counts.get(key, (0, 0))
            accepted += a
            declined += d
        return (accepted + 1) / (accepted + declined + 2)


HIERARCHY_LEVELS = {"product": 1, "recycling": 2, "recovery": 3}
"""Levels of the waste hierarchy (Directive 2008/98/EC, Article 4(1)) a use belongs to:
keeping the product or its parts (R0–R7: reuse, repair, refurbish, remanufacture, repurpose
and the strategies before them) before recycling (R8) before other recovery (R9)."""


def hierarchy_level(code: str) -> int:
    """The waste-hierarchy level of an R-strategy code: 1 product, 2 recycling, 3 recovery.

    The groups are those of the CO2 accounting (``REUSE_STRATEGIES``,
    ``RECYCLING_STRATEGIES``); any other code (R9 or unreadable) counts as recovery.
    """
    if code in REUSE_STRATEGIES:
        return HIERARCHY_LEVELS["product"]
    if code in RECYCLING_STRATEGIES:
        return HIERARCHY_LEVELS["recycling"]
    return HIERARCHY_LEVELS["recovery"]


def r_priority(code: str) -> float:
    """R0 refuse 1.0 … R9 recover 0.1."""
    try:
        number = int(code.split(":", 1)[1])
    except (IndexError, ValueError):
        return 0.0
    return (10 - min(max(number, 0), 9)) / 10


def saving_per_tonne(
    method: ImpactMethod, material: str, r_strategy: str, ancestors: Sequence[str] = ()
) -> tuple[float, bool]:
    """Production emission avoided per tonne [t CO2e/t] and whether a factor is known."""
    substitution = method.substitution_for(material, ancestors)
    if substitution is None:
        return 0.0, False
    return substitution.saving_per_tonne(r_strategy), True


def freight_per_tonne(
    method: ImpactMethod, mode: NDArray[np.int8], great_circle_km: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Freight emission per tonne over each route [t CO2e/t]."""
    factor = np.array([method.freight[m].value if m in method.freight else np.nan for m in MODES])
    return factor[mode] * great_circle_km * method.detour.value


@dataclass(frozen=True)
class Delivery:
    """Gains of arcs that deliver to a demand: ``net`` CO2 per tonne [t CO2e/t], ``known``
    whether the material's substitution is sourced."""

    net: NDArray[np.float64]
    known: NDArray[np.bool_]
    saving: NDArray[np.float64]
    freight: NDArray[np.float64]


def objective_gain(
    objective: Objective,
    result: Delivery,
    great_circle_km: NDArray[np.float64],
    score: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Gain per tonne on delivering arcs for the chosen objective."""
    tie = DISTANCE_TIE_BREAK * great_circle_km
    if objective is Objective.TONNES:
        return 1.0 - tie
    if objective is Objective.SCORE:
        return score / 100.0 - tie
    return np.where(result.known, result.net, UNKNOWN_SAVING_WEIGHT - tie)


@dataclass(frozen=True)
class PairTerms:
    """Per pair: the CO2 terms, the score's parts and the score."""

    delivery: Delivery
    parts: dict[str, NDArray[np.float64]]
    score: NDArray[np.float64]


def _codes(values: Sequence[str]) -> tuple[list[str], NDArray[np.intp]]:
    """Distinct codes (sorted) and the index of each value among them."""
    distinct = sorted(set(values))
    position = {code: k for k, code in enumerate(distinct)}
    return distinct, np.fromiter((position[v] for v in values), dtype=np.intp, count=len(values))


def pair_terms(
    *,
    method: ImpactMethod,
    ancestors: Mapping[str, Sequence[str]],
    feedback: Feedback,
    owner_names: Sequence[str],
    source_material: Sequence[str],
    source_owner: NDArray[np.int64],
    source_supply: NDArray[np.float64],
    source_quality: NDArray[np.int8],
    sink_strategy: Sequence[str],
    sink_owner: NDArray[np.int64],
    sink_capacity: NDArray[np.float64],
    pair_source: NDArray[np.intp],
    pair_sink: NDArray[np.intp],
    mode: NDArray[np.int8],
    great_circle_km: NDArray[np.float64],
) -> PairTerms:
    r"""Gains and scores of many pairs at once.

    Work per distinct material, R-strategy and owner triple, not per pair: a million pairs
    share a few hundred of each.

    Notes
    -----
    Score :math:`100\,(0.25\,r + 0.25\,c + 0.15\,q + 0.15\,d + 0.2\,f)` with the
    R-strategy priority :math:`r`, the net saving :math:`c` as a share of ``CO2_FULL_MARKS``
    (0 when no factor is known), the quantity fit :math:`q = \min(S, D) / \max(S, D)`, the
    offer's data-quality level :math:`d` / 4 and the acceptance estimate :math:`f`.
    """
    materials, material_of_source = _codes(source_material)
    strategies, strategy_of_sink = _codes(sink_strategy)
    m = material_of_source[pair_source]
    r = strategy_of_sink[pair_sink]
    combo = m * max(len(strategies), 1) + r
    unique, inverse = np.unique(combo, return_inverse=True)
    saving = np.empty(len(unique))
    known = np.empty(len(unique), dtype=bool)
    for k, value in enumerate(unique.tolist()):
        material = materials[value // max(len(strategies), 1)]
        strategy = strategies[value % max(len(strategies), 1)]
        saving[k], known[k] = saving_per_tonne(
            method, material, strategy, ancestors.get(material, ())
        )
    freight = freight_per_tonne(method, mode, great_circle_km)
    result = Delivery(saving[inverse] - freight, known[inverse], saving[inverse], freight)
    acceptance = _acceptance(
        feedback, owner_names, materials, source_owner[pair_source], sink_owner[pair_sink], m
    )
    priority = np.array([r_priority(code) for code in strategies], dtype=float)
    offered, wanted = source_supply[pair_source], sink_capacity[pair_sink]
    with np.errstate(invalid="ignore", divide="ignore"):
        fit = np.nan_to_num(np.minimum(offered, wanted) / np.maximum(offered, wanted))
    parts = {
        "r_strategy": priority[r] if len(priority) else np.zeros(len(pair_source)),
        "co2": np.where(result.known, np.clip(result.net / CO2_FULL_MARKS, 0.0, 1.0), 0.0),
        "quantity": fit,
        "quality": source_quality[pair_source].astype(float) / 4.0,
        "feedback": acceptance,
    }
    score = 100.0 * sum(SCORE_WEIGHTS[name] * value for name, value in parts.items())
    return PairTerms(result, parts, np.asarray(score, dtype=float))


def _acceptance(
    feedback: Feedback,
    owner_names: Sequence[str],
    materials: Sequence[str],
    supplier: NDArray[np.int64],
    receiver: NDArray[np.int64],
    material: NDArray[np.intp],
) -> NDArray[np.float64]:
    if not feedback.counts:
        return np.full(len(supplier), 0.5)
    triples = np.column_stack((supplier, receiver, material))
    unique, inverse = np.unique(triples, axis=0, return_inverse=True)

    def name(owner: int) -> str:
        return owner_names[owner] if 0 <= owner < len(owner_names) else ""

    values = np.array(
        [feedback.acceptance(name(s), name(t), materials[k]) for s, t, k in unique.tolist()]
    )
    return values[inverse.reshape(-1)]
