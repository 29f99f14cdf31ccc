from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from metalloop.common.errors import ApplicationError, validation_messages
from metalloop.common.imports import ImportRejected, ImportResult, read_import_upload
from metalloop.common.tabular import TableError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation errors on the form's fields (or above the form)."""
    for field, messages in validation_messages(error).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def import_upload(
    form: forms.Form, run: Callable[..., ImportResult], *, field: str = "file"
) -> dict[str, Any]:
    """Import the table uploaded in ``form[field]`` with ``run(table=...)``; return what the
    page shows.

    The file is refused above the import limits before it is read. A result comes back as
    ``{"result": ...}``, a file with invalid rows as ``{"rejected": ...}`` (its table of
    errors); an unreadable or too large file, a conflict or a refusal become form errors.
    """
    try:
        return {"result": run(table=read_import_upload(form.cleaned_data[field]))}
    except ImportRejected as rejected:
        return {"rejected": rejected}
    except TableError as unreadable:
        form.add_error(field, str(unreadable))
    except ApplicationError as conflict:
        form.add_error(None, conflict.message)
    except PermissionDenied as refused:
        form.add_error(None, str(refused))
    except ValidationError as invalid:
        add_service_errors(form, invalid)
    return {}
