from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from metalloop.common.errors import validation_messages


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation errors on the form's fields (or above the form)."""
    for field, messages in validation_messages(error).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
