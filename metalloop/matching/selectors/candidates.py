"""Reads of the matching app: one listing's best candidates, judged as the actor may see
the other listings (cells for anonymous ones)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from metalloop.core.geo import Coordinates
from metalloop.core.matching.index import Candidate, ListingIndex
from metalloop.core.matching.listings import Demand, Offer, horizon
from metalloop.exchange.adapters import Position, published_position
from metalloop.exchange.models import Listing
from metalloop.exchange.permissions import can_edit_listing
from metalloop.exchange.selectors import (
    ListingFilters,
    listing_list,
    network_crowds,
    revealed_listing_ids,
)
from metalloop.matching import adapters
from metalloop.matching.selectors.runs import feedback_records, matching_settings


@dataclass(frozen=True)
class ListingCandidate:
    """A listing that fits another, with what its owner may be shown: the score (0–100),
    the great-circle distance [km] the figures are worked out from (to the site, or to the
    centre of the cell shown), the nearest and farthest distance [km] (equal for a site),
    the height and width of the cell [km] (None for a site), the chemistry verdict and the
    net CO2 per tonne [t CO2e/t]."""

    listing: Listing
    score: float
    great_circle_km: float
    nearest_km: float
    farthest_km: float
    cell_km: tuple[int, int] | None
    verdict: str
    co2_per_tonne: float | None


def listing_candidates(*, actor: Any, listing: Listing, limit: int = 10) -> list[ListingCandidate]:
    """The best partners for a listing among the listings the actor may see (for the
    listing's owner and the facilitators), without running the allocation.

    A partner whose owner the actor may not learn is judged by the cell the actor is shown
    instead of its site (see ``exchange.adapters.published_position``): its distance limit
    by the cell's nearest point, its figures at the cell's centre, and under a name of its
    own; one shown nowhere is left out.
    """

    if not can_edit_listing(actor=actor, listing=listing):
        return []
    period = horizon(timezone.localdate(), matching_settings(listing.network).horizon_months)
    assert period.end is not None
    visible = [
        other
        for other in listing_list(actor=actor, filters=ListingFilters(network=listing.network.slug))
        if other.pk != listing.pk and other.side != listing.side
    ]
    revealed = revealed_listing_ids(actor=actor, listings=[o.pk for o in visible])
    crowds = network_crowds([listing.network_id])[listing.network_id]
    viewer = getattr(actor, "organisation_id", None)
    positions = {
        o.pk: published_position(
            o.site.latitude,
            o.site.longitude,
            owner=o.organisation_id,
            viewer=viewer,
            revealed=o.pk in revealed,
            crowds=crowds,
        )
        for o in visible
    }
    others = [o for o in visible if positions[o.pk].point is not None]
    parties, outcomes = feedback_records(listing.network)
    feedback = adapters.feedback_of(parties, outcomes)
    method = adapters.impact_method(matching_settings(listing.network))
    by_key = {str(o.pk): o for o in others}

    def seen[T: (Offer, Demand)](item: T, other: Listing) -> T:
        return adapters.as_seen(item, positions[other.pk], revealed=other.pk in revealed)

    if listing.side == "offer":
        index = ListingIndex(
            [],
            [seen(adapters.demand_of(o, period.end), o) for o in others],
            period=period,
            method=method,
            ancestors=adapters.ancestors(),
            feedback=feedback,
        )
        found = index.demands_for(adapters.offer_of(listing, period.end), limit)
    else:
        index = ListingIndex(
            [seen(adapters.offer_of(o, period.end), o) for o in others],
            [],
            period=period,
            method=method,
            ancestors=adapters.ancestors(),
            feedback=feedback,
        )
        found = index.offers_for(adapters.demand_of(listing, period.end), limit)
    origin = Coordinates(listing.site.latitude, listing.site.longitude)
    return [_candidate(by_key[c.key], c, positions[int(c.key)], origin) for c in found]


def _candidate(
    listing: Listing, found: Candidate, at: Position, origin: Coordinates
) -> ListingCandidate:
    nearest, farthest = at.nearest_km(origin), at.farthest_km(origin)
    assert nearest is not None
    assert farthest is not None
    return ListingCandidate(
        listing=listing,
        score=found.score,
        great_circle_km=found.great_circle_km,
        nearest_km=nearest,
        farthest_km=farthest,
        cell_km=at.cell.size_km if at.cell else None,
        verdict=found.verdict,
        co2_per_tonne=found.co2_per_tonne,
    )
