"""The chemistry rows of the listing form: one element with its minimum and maximum each."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from metalloop.exchange import adapters
from metalloop.exchange.forms._common import EMPTY, set_choices


class ElementRowForm(forms.Form):
    element = forms.ChoiceField(label=_("Element"), required=False)
    min_pct = forms.DecimalField(
        label=_("min [wt-%]"), max_digits=9, decimal_places=5, required=False
    )
    max_pct = forms.DecimalField(
        label=_("max [wt-%]"), max_digits=9, decimal_places=5, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["element"], EMPTY + [(s, s) for s in adapters.element_symbols()])


ElementFormSet = forms.formset_factory(ElementRowForm, extra=4)


def filled_element_rows(formset: forms.BaseFormSet[Any]) -> list[forms.Form]:
    """The chemistry rows a person filled in and the form could read, in page order (the
    positions the services' row errors refer to)."""
    return [
        row
        for row in formset.forms
        if row.is_valid()
        and (
            row.cleaned_data.get("element")
            or row.cleaned_data.get("min_pct") is not None
            or row.cleaned_data.get("max_pct") is not None
        )
    ]


def element_rows(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    """The filled chemistry rows as the services take them."""
    return [row.cleaned_data for row in filled_element_rows(formset)]


def describe_row_errors(formset: forms.BaseFormSet[Any]) -> None:
    """Point the controls of each chemistry row with errors at the row's messages (shown in
    the table row below it), for screen readers."""
    for row in formset.forms:
        if row.errors:
            for field in row.fields.values():
                field.widget.attrs |= {
                    "aria-invalid": "true",
                    "aria-describedby": f"{row.prefix}-errors",
                }


def element_initial(listing: Any) -> list[dict[str, Any]]:
    return [
        {"element": e.element, "min_pct": e.min_pct, "max_pct": e.max_pct}
        for e in listing.elements.all()
    ]
