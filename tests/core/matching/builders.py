"""Small, readable builders for matching tests (no Django)."""

from __future__ import annotations

from datetime import date

import numpy as np

from metalloop.core.geo import Coordinates
from metalloop.core.impact.method import Factor, ImpactMethod, Substitution
from metalloop.core.matching.engine import MatchingProblem
from metalloop.core.matching.listings import (
    Demand,
    Flow,
    LegalStatus,
    Offer,
    Processor,
    TimeWindow,
    horizon,
)
from metalloop.core.units import Mass

YEAR = TimeWindow(date(2026, 1, 1), date(2026, 12, 31))
PERIOD = horizon(date(2026, 1, 1))
DUISBURG = Coordinates(51.4325, 6.7652)
ESSEN = Coordinates(51.4556, 7.0116)
DORTMUND = Coordinates(51.5136, 7.4653)
MUNICH = Coordinates(48.1372, 11.5756)
ANCESTORS = {
    "MAT:steel-non-alloy": ("MAT:iron-steel",),
    "MAT:steel-stainless": ("MAT:iron-steel",),
    "MAT:steel-stainless-austenitic": ("MAT:steel-stainless", "MAT:iron-steel"),
    "MAT:aluminium-wrought-6xxx": ("MAT:aluminium-wrought", "MAT:aluminium"),
    "MAT:aluminium-wrought": ("MAT:aluminium",),
}
METHOD = ImpactMethod(
    substitutions={
        "MAT:iron-steel": Substitution(
            "MAT:iron-steel", Factor("EF:steel-primary", 2.3), Factor("EF:steel-eaf", 0.7)
        ),
        "MAT:aluminium": Substitution(
            "MAT:aluminium", Factor("EF:al-primary", 6.8), Factor("EF:al-recycled", 0.34)
        ),
    },
    freight={
        "road": Factor("EF:road", 112e-6),
        "rail": Factor("EF:rail", 18e-6),
        "inland_waterway": Factor("EF:iww", 34e-6),
        "sea": Factor("EF:sea", 5.4e-6),
    },
    detour=Factor("detour", 1.3),
    ancestors=ANCESTORS,
)


def offer(key: str, tonnes: float = 100.0, **terms: object) -> Offer:
    terms.setdefault("owner", f"owner-{key}")
    terms.setdefault("material", "MAT:steel-non-alloy")
    terms.setdefault("location", DUISBURG)
    terms.setdefault("legal_status", LegalStatus.BY_PRODUCT)
    interval = terms.pop("interval", None)
    window = terms.pop("window", YEAR)
    return Offer(key=key, flow=Flow(Mass.t(tonnes), window, interval), **terms)  # type: ignore[arg-type]


def demand(key: str, tonnes: float = 100.0, **terms: object) -> Demand:
    terms.setdefault("owner", f"owner-{key}")
    terms.setdefault("materials", frozenset({"MAT:iron-steel"}))
    terms.setdefault("location", DORTMUND)
    terms.setdefault("max_distance_km", 150.0)
    interval = terms.pop("interval", None)
    window = terms.pop("window", YEAR)
    return Demand(key=key, flow=Flow(Mass.t(tonnes), window, interval), **terms)  # type: ignore[arg-type]


def problem(
    offers: list[Offer],
    demands: list[Demand],
    processors: list[Processor] | None = None,
    **terms: object,
) -> MatchingProblem:
    return MatchingProblem(
        offers,
        demands,
        processors or [],
        PERIOD,
        METHOD,
        ANCESTORS,
        **terms,  # type: ignore[arg-type]
    )


def random_problem(seed: int, offers: int = 12, demands: int = 10) -> MatchingProblem:
    """A small random network over the Ruhr with two materials and mixed terms."""
    rng = np.random.default_rng(seed)
    materials = [
        "MAT:steel-non-alloy",
        "MAT:steel-stainless-austenitic",
        "MAT:aluminium-wrought-6xxx",
    ]
    accepted = ["MAT:iron-steel", "MAT:steel-stainless", "MAT:aluminium"]

    def place() -> Coordinates:
        return Coordinates(float(rng.uniform(50.8, 52.0)), float(rng.uniform(6.3, 8.2)))

    made_offers = [
        offer(
            f"o{k}",
            float(np.round(rng.lognormal(3, 1), 3)),
            owner=f"org{rng.integers(0, 6)}",
            material=materials[int(rng.integers(0, 3))],
            location=place(),
            interval=[None, "monthly"][int(rng.integers(0, 2))],
        )
        for k in range(offers)
    ]
    made_demands = [
        demand(
            f"d{k}",
            float(np.round(rng.lognormal(3.5, 1), 3)),
            owner=f"org{rng.integers(0, 6)}",
            materials=frozenset({accepted[int(rng.integers(0, 3))]}),
            location=place(),
            max_distance_km=float(rng.uniform(30, 200)),
            min_lot=Mass.t(float(rng.choice([0.0, 5.0, 20.0]))),
        )
        for k in range(demands)
    ]
    return problem(made_offers, made_demands)
