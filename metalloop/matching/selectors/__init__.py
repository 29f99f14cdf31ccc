"""Reads of the matching app, scoped to the actor: one module per subject, every read
available from here."""

from metalloop.matching.selectors.candidates import ListingCandidate, listing_candidates
from metalloop.matching.selectors.impact import ImpactFilters, deals, impact_summary
from metalloop.matching.selectors.proposals import (
    acceptance_by_reason,
    facilitators_of,
    inbox_list,
    proposal_get,
    proposal_list,
    proposals_of_listing,
    saved_search_get,
    saved_search_list,
    users_of,
)
from metalloop.matching.selectors.runs import (
    Commitments,
    commitments,
    feedback_records,
    matching_inputs,
    matching_settings,
    run_get,
    run_list,
)

__all__ = [
    "Commitments",
    "ImpactFilters",
    "ListingCandidate",
    "acceptance_by_reason",
    "commitments",
    "deals",
    "facilitators_of",
    "feedback_records",
    "impact_summary",
    "inbox_list",
    "listing_candidates",
    "matching_inputs",
    "matching_settings",
    "proposal_get",
    "proposal_list",
    "proposals_of_listing",
    "run_get",
    "run_list",
    "saved_search_get",
    "saved_search_list",
    "users_of",
]
