"""A proposal's route as a party sees it before the introduction.

The run works on exact sites. A party who may not yet learn who and where the others are
sees every leg measured between the positions it is shown: its own site, a site whose owner
it may learn, the centre of the cell shown instead of a hidden site, or, where even no cell
may be shown, the leg's limit (the receiving end's maximum distance). Freight and net CO2
are worked out anew from those distances by the core (``accounting.legs_over``), so that no
figure a party sees depends on where in its cell another party's site lies.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from metalloop.core.geo import Coordinates, great_circle_km
from metalloop.core.impact.method import ImpactMethod
from metalloop.core.matching.accounting import (
    Co2Account,
    LegExplanation,
    account_over,
    legs_over,
)
from metalloop.core.matching.pools import POOL_RADIUS_KM
from metalloop.exchange.adapters import Crowds, Position, published_position
from metalloop.matching.models import Proposal
from metalloop.reference.impact import load_impact_method


@dataclass(frozen=True)
class SeenRoute:
    """The great-circle distance [km] of each leg of a proposal as one party sees it, in the
    order of the explanation's legs, and whether any end of them was shown as a cell or not
    at all (the figures are then approximate)."""

    leg_km: tuple[float, ...]
    approximate: bool

    @property
    def delivery_km(self) -> float:
        return self.leg_km[-1]


def _position(actor: Any, record: Any, *, revealed: bool, crowds: Crowds) -> Position:
    return published_position(
        record.site.latitude,
        record.site.longitude,
        owner=record.organisation_id,
        viewer=getattr(actor, "organisation_id", None),
        revealed=revealed,
        crowds=crowds,
    )


def seen_route(
    *,
    actor: Any,
    proposal: Proposal,
    listings_shown: Mapping[int, bool],
    processor_shown: bool,
    crowds: Crowds,
    detour: float,
) -> SeenRoute:
    """The proposal's legs measured between the positions ``actor`` is shown
    (``listings_shown``: per listing, whether its owner and site may be shown)."""
    inputs = list(proposal.inputs.all())
    offers = {
        str(item.offer.pk): _position(
            actor, item.offer, revealed=listings_shown[item.offer.pk], crowds=crowds
        )
        for item in inputs
    }
    demand = _position(
        actor, proposal.demand, revealed=listings_shown[proposal.demand.pk], crowds=crowds
    )
    processor = (
        _position(actor, proposal.processor, revealed=processor_shown, crowds=crowds)
        if proposal.processor is not None
        else None
    )
    pool = _pool_point([(offers[str(i.offer.pk)], float(i.tonnes)) for i in inputs])
    legs = proposal.explanation.get("legs", [])
    distances = []
    for k, leg in enumerate(legs):
        if k < len(legs) - 1:  # an input to the processor or the pool
            start = offers[leg["origin"]].point
            end, limit = (
                (processor.point, (proposal.processor.max_distance_km or 100) / detour)  # type: ignore[union-attr]
                if processor is not None
                else (pool, POOL_RADIUS_KM)
            )
        else:  # the delivery to the demand
            start = (
                processor.point
                if processor is not None
                else pool
                if leg["origin"] == "pool"
                else offers[leg["origin"]].point
            )
            end, limit = demand.point, (proposal.demand.max_distance_km or 100) / detour
        distances.append(_km(start, end, float(limit)))
    seen = [*offers.values(), demand, *([processor] if processor else [])]
    approximate = any(p.precision != "site" for p in seen)
    return SeenRoute(tuple(distances), approximate)


def _km(start: Coordinates | None, end: Coordinates | None, unknown_km: float) -> float:
    """Between two shown points; ``unknown_km`` where either is shown nowhere."""
    if start is None or end is None:
        return unknown_km
    return great_circle_km(start, end)


def _pool_point(members: Sequence[tuple[Position, float]]) -> Coordinates | None:
    """Where a pool gathers, as the viewer sees it: the tonne-weighted centre of its members'
    shown positions (the run takes the same centre of the exact sites)."""
    known = [(p.point, tonnes) for p, tonnes in members if p.point is not None]
    if not known:
        return None
    x = y = z = 0.0
    for point, tonnes in known:
        lat, lon = math.radians(point.latitude), math.radians(point.longitude)
        x += tonnes * math.cos(lat) * math.cos(lon)
        y += tonnes * math.cos(lat) * math.sin(lon)
        z += tonnes * math.sin(lat)
    return Coordinates(
        math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))
    )


def explanation_over(
    explanation: dict[str, Any], route: SeenRoute, method: ImpactMethod | None = None
) -> dict[str, Any]:
    """The stored explanation with the legs of ``route``: road distances, freight and the
    CO2 account worked out anew, the route's origins and the score (worked out from exact
    distances) left out."""
    method = method or load_impact_method()
    shown = copy.deepcopy(explanation)
    legs = legs_over([LegExplanation(**leg) for leg in shown.get("legs", [])], route.leg_km, method)
    shown["legs"] = [{**asdict(leg), "origin": ""} for leg in legs]
    if shown.get("co2"):
        shown["co2"] = asdict(account_over(Co2Account(**shown["co2"]), legs))
    for line in shown.get("chemistry", []):
        line["origin"] = "…" if line.get("origin") else ""
    for rule in shown.get("rules", []):
        if rule.get("rule") == "distance":
            facts = rule.setdefault("facts", {})
            facts["great_circle_km"] = route.delivery_km
            facts["road_km"] = method.road_km(route.delivery_km)
    shown["score"] = None
    shown["score_parts"] = {}
    return shown
