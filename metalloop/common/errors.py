"""One error vocabulary for services, mapped once per interface."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ApplicationError(Exception):
    """A rule of the application refused the request (HTTP 409 in the API).

    Parameters
    ----------
    message : str
        A sentence for the person who made the request.
    code : str
        A stable machine-readable code.
    """

    def __init__(
        self, message: str, *, code: str = "conflict", extra: Mapping[str, Any] | None = None
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = dict(extra or {})


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    """Flatten a ``ValidationError`` into ``{field: [message, ...]}`` (``__all__`` for the rest)."""
    if hasattr(error, "error_dict"):
        return {
            (field if field != NON_FIELD_ERRORS else "__all__"): [
                str(message) for e in errors for message in e.messages
            ]
            for field, errors in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


def validation_codes(error: ValidationError) -> dict[str, list[str]]:
    """Return the error codes per field of a ``ValidationError``."""
    if hasattr(error, "error_dict"):
        return {
            (field if field != NON_FIELD_ERRORS else "__all__"): [
                e.code or "invalid" for e in errors
            ]
            for field, errors in error.error_dict.items()
        }
    return {"__all__": [e.code or "invalid" for e in error.error_list]}


def one_line(error: Exception) -> str:
    """Render any service error as one line for the command line."""
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in validation_messages(error).items()
        )
    return str(getattr(error, "message", error))
