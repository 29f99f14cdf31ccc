from enum import StrEnum


class ErrorCode(StrEnum):
    SPECIFICATION_UNKNOWN = "specification_unknown"
    SPECIFICATION_WITHOUT_CHEMISTRY = "specification_without_chemistry"
    ANALYSIS_INVALID = "analysis_invalid"
