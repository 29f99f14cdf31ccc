"""The best candidates for a listing, as its owner may see them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from metalloop.matching.presenters.proposals import listing_side
from metalloop.matching.selectors import ListingCandidate


def candidate_rows(*, actor: Any, candidates: Iterable[ListingCandidate]) -> list[dict[str, Any]]:
    """Candidates for a listing: the other listing without its owner unless it may be shown,
    with the distance [km, to 0.1] its figures are worked out from (to the site, or to the
    centre of the cell shown) and, for a cell, the nearest and farthest distance and its
    size (the distance limit is checked against the nearest)."""
    rows = []
    for candidate in candidates:
        side = listing_side(actor, candidate.listing, revealed=False)
        rows.append(
            {
                **side,
                "score": round(candidate.score, 1),
                "km": round(candidate.great_circle_km, 1),
                "km_nearest": round(candidate.nearest_km, 1),
                "km_farthest": round(candidate.farthest_km, 1),
                "cell_km": list(candidate.cell_km) if candidate.cell_km else None,
                "verdict": candidate.verdict,
                "co2_per_tonne": (
                    None if candidate.co2_per_tonne is None else round(candidate.co2_per_tonne, 3)
                ),
                "tonnes": float(candidate.listing.mass_t),
            }
        )
    return rows
