from enum import StrEnum


class ErrorCode(StrEnum):
    EMAIL_TAKEN = "email_taken"
    ORGANISATION_REQUIRED = "organisation_required"
    ROLE_INVALID = "role_invalid"
    TOKEN_NAME_REQUIRED = "token_name_required"  # noqa: S105 - an error code
    LOGIN_THROTTLED = "login_throttled"
    USER_UNKNOWN = "user_unknown"
