"""One error vocabulary for services, mapped once per interface."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _


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


def too_much_data_message(error: Exception) -> str:
    """Say which of Django's request limits a request broke, for the person who sent it."""
    if isinstance(error, RequestDataTooBig):
        return _(
            "The request sent more than %(size)s of form data; files count separately. "
            "Send less text at once."
        ) % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    if isinstance(error, TooManyFieldsSent):
        return _("The request sent more than %(count)s fields; send fewer at once.") % {
            "count": number_format(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, force_grouping=True)
        }
    if isinstance(error, TooManyFilesSent):
        return _("The request sent more than %(count)s files; send fewer at once.") % {
            "count": number_format(settings.DATA_UPLOAD_MAX_NUMBER_FILES, force_grouping=True)
        }
    return _("The request could not be read.")
