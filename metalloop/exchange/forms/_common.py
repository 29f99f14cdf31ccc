"""Helpers shared by the exchange's forms."""

from __future__ import annotations

from typing import Any

from django import forms

EMPTY = [("", "—")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def set_choices(field: forms.Field, choices: Any) -> None:
    """Give a choice field its choices (filled when the form is built, in its language)."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
