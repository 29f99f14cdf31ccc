"""Pages of matching: the facilitator's board, the member's inbox, a proposal, the impact
dashboard, saved searches and notifications. Thin views over selectors and services, split by
page; import them from here."""

from metalloop.matching.views.board import board, release, run_start, settings_update
from metalloop.matching.views.impact import impact, impact_export
from metalloop.matching.views.proposals import (
    inbox,
    proposal_answer,
    proposal_curate,
    proposal_detail,
    proposal_outcome,
    proposal_release,
)
from metalloop.matching.views.searches import notifications, saved_search_delete, saved_searches

__all__ = [
    "board",
    "impact",
    "impact_export",
    "inbox",
    "notifications",
    "proposal_answer",
    "proposal_curate",
    "proposal_detail",
    "proposal_outcome",
    "proposal_release",
    "release",
    "run_start",
    "saved_search_delete",
    "saved_searches",
    "settings_update",
]
