"""How the matching app hooks into the exchange: consent reveals owners, new listings reach
saved searches, and a listing's page shows its proposals."""

from __future__ import annotations

from typing import Any

from metalloop.exchange.models import Listing, ListingStatus
from metalloop.exchange.panels import register_listing_panel
from metalloop.exchange.permissions import register_consent_checker
from metalloop.exchange.signals import listings_changed


def on_listings_changed(sender: Any, listings: list[Listing], created: bool, **kwargs: Any) -> None:
    """New active listings are matched against the saved searches of their networks."""
    new = [listing for listing in listings if listing.status == ListingStatus.ACTIVE]
    if not created or not new:
        return
    from metalloop.matching.services import saved_searches_notify

    saved_searches_notify(listings=new)


def listing_panel(*, request: Any, listing: Listing, actor: Any) -> dict[str, Any] | None:
    """The proposals a listing takes part in, as far as the actor may see them, and for its
    owner and the facilitators the best candidates at present."""
    from metalloop.matching.presenters import candidate_rows, proposal_page_rows
    from metalloop.matching.selectors import listing_candidates, proposals_of_listing

    proposals = list(proposals_of_listing(actor=actor, listing=listing)[:20])
    candidates = candidate_rows(
        actor=actor, candidates=listing_candidates(actor=actor, listing=listing)
    )
    if not proposals and not candidates:
        return None
    return {
        "template": "matching/_listing_panel.html",
        "proposal_rows": proposal_page_rows(actor=actor, proposals=proposals),
        "candidate_rows": candidates,
    }


def connect() -> None:
    from metalloop.matching.permissions import consented_listing_ids, consented_processor_ids

    register_consent_checker(consented_listing_ids, kind="listing")
    register_consent_checker(consented_processor_ids, kind="processor")
    register_listing_panel(listing_panel)
    listings_changed.connect(on_listings_changed, dispatch_uid="matching_saved_searches")
