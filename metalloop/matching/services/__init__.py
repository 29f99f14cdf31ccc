"""Writes of the matching app: runs, curation and release, answers, outcomes, searches."""

from metalloop.matching.services.outcomes import outcome_record
from metalloop.matching.services.proposals import proposal_answer, proposal_curate
from metalloop.matching.services.releases import (
    Released,
    ReleasePreview,
    proposal_release,
    proposals_release,
    release_preview,
)
from metalloop.matching.services.runs import run_start
from metalloop.matching.services.searches import (
    matching_settings_update,
    saved_search_create,
    saved_search_delete,
    saved_searches_notify,
)

__all__ = [
    "ReleasePreview",
    "Released",
    "matching_settings_update",
    "outcome_record",
    "proposal_answer",
    "proposal_curate",
    "proposal_release",
    "proposals_release",
    "release_preview",
    "run_start",
    "saved_search_create",
    "saved_search_delete",
    "saved_searches_notify",
]
