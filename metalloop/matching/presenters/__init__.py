"""What an actor sees of the matching app's records (split by subject; import from here):
proposals (:mod:`.proposals`) with their routes as a party sees them (:mod:`.routes`), a
listing's candidates (:mod:`.candidates`), and settled exchanges for exports and charts
(:mod:`.impact`)."""

from metalloop.matching.presenters.candidates import candidate_rows
from metalloop.matching.presenters.impact import (
    IMPACT_COLUMNS,
    bars,
    factor_sources,
    impact_rows,
    method_sources,
)
from metalloop.matching.presenters.proposals import (
    explanation_page,
    listing_side,
    proposal_page,
    proposal_page_rows,
    proposal_rows,
    proposal_view,
)
from metalloop.matching.presenters.routes import SeenRoute, explanation_over, seen_route

__all__ = [
    "IMPACT_COLUMNS",
    "SeenRoute",
    "bars",
    "candidate_rows",
    "explanation_over",
    "explanation_page",
    "factor_sources",
    "impact_rows",
    "listing_side",
    "method_sources",
    "proposal_page",
    "proposal_page_rows",
    "proposal_rows",
    "proposal_view",
    "seen_route",
]
