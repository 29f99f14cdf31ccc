"""Error codes of the matching app (the ``code`` of ValidationError and ApplicationError)."""

from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_FACILITATOR = "not_facilitator"
    RUN_FAILED = "run_failed"
    RUN_INVALID = "run_invalid"
    RUN_BUSY = "run_busy"
    NOT_A_PARTY = "not_a_party"
    WRONG_STATE = "wrong_state"
    REASON_REQUIRED = "reason_required"
    REASON_TEXT_REQUIRED = "reason_text_required"
    NOT_REVIEWED = "not_reviewed"
    NOTHING_CHOSEN = "nothing_chosen"
    NOT_OF_RUN = "not_of_run"
    OUTCOME_INVALID = "outcome_invalid"
    FILTER_INVALID = "filter_invalid"
