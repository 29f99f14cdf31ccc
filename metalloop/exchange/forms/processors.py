"""Forms of processors: the filters, the processor form and its input and output rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from metalloop.common.errors import validation_messages
from metalloop.exchange import adapters
from metalloop.exchange.forms._common import EMPTY, set_choices
from metalloop.exchange.models import (
    MAX_DISTANCE_KM,
    LegalStatus,
    MaterialForm,
    ProcessKind,
    TransportMode,
    Visibility,
)


class ProcessorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    process = forms.ChoiceField(label=_("Process"), required=False)
    material = forms.ChoiceField(label=_("Material"), required=False)
    network = forms.ChoiceField(label=_("Network"), required=False)

    def __init__(self, *args: Any, networks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["process"], EMPTY + list(ProcessKind.choices))
        set_choices(self.fields["material"], EMPTY + adapters.material_choices())
        set_choices(self.fields["network"], EMPTY + networks)

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class ProcessorForm(forms.Form):
    network = forms.ChoiceField(label=_("Network"))
    site = forms.TypedChoiceField(label=_("Site"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=200)
    process = forms.ChoiceField(label=_("Process"), choices=ProcessKind.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    capacity_t_per_year = forms.DecimalField(
        label=_("Capacity [t/year]"), max_digits=12, decimal_places=3
    )
    max_distance_km = forms.IntegerField(
        label=_("Maximum distance [km]"), min_value=1, max_value=MAX_DISTANCE_KM, required=False
    )
    transport_modes = forms.MultipleChoiceField(
        label=_("Transport modes"),
        choices=TransportMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    permitted_waste_codes = forms.MultipleChoiceField(
        label=_("Waste codes your permit covers"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.ANONYMOUS,
    )

    def __init__(
        self,
        *args: Any,
        networks: list[tuple[str, str]],
        sites: list[tuple[int, str]],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["network"], networks)
        set_choices(self.fields["site"], sites)
        set_choices(self.fields["permitted_waste_codes"], adapters.waste_code_choices())
        if editing:
            del self.fields["network"]

    def service_values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values.pop("network", None)
        values.pop("site", None)
        return values


class ProcessorInputForm(forms.Form):
    material = forms.ChoiceField(label=_("Material"), required=False)
    grade = forms.ChoiceField(label=_("Grade or alloy"), required=False)
    waste_code = forms.ChoiceField(label=_("Waste code"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["material"], EMPTY + adapters.material_choices())
        set_choices(self.fields["grade"], EMPTY + adapters.grade_choices())
        set_choices(self.fields["waste_code"], EMPTY + adapters.waste_code_choices())


class ProcessorOutputForm(forms.Form):
    material = forms.ChoiceField(label=_("Material"), required=False)
    grade = forms.ChoiceField(label=_("Grade or alloy"), required=False)
    form = forms.ChoiceField(
        label=_("Form"), choices=EMPTY + list(MaterialForm.choices), required=False
    )
    legal_status = forms.ChoiceField(
        label=_("Legal status"), choices=EMPTY + list(LegalStatus.choices), required=False
    )
    waste_code = forms.ChoiceField(label=_("Waste code"), required=False)
    yield_pct = forms.DecimalField(
        label=_("Yield [%]"), max_digits=5, decimal_places=2, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["material"], EMPTY + adapters.material_choices())
        set_choices(self.fields["grade"], EMPTY + adapters.grade_choices())
        set_choices(self.fields["waste_code"], EMPTY + adapters.waste_code_choices())


def processor_initial(processor: Any) -> dict[str, Any]:
    fields = [name for name in ProcessorForm.base_fields if name not in ("network", "site")]
    return {name: getattr(processor, name) for name in fields} | {"site": processor.site_id}


def input_initial(processor: Any) -> list[dict[str, Any]]:
    return [
        {"material": r.material, "grade": r.grade, "waste_code": r.waste_code}
        for r in processor.inputs.all()
    ]


def output_initial(processor: Any) -> list[dict[str, Any]]:
    return [
        {
            "material": r.material,
            "grade": r.grade,
            "form": r.form,
            "legal_status": r.legal_status,
            "waste_code": r.waste_code,
            "yield_pct": r.yield_pct,
        }
        for r in processor.outputs.all()
    ]


# The bound caps the rows Django builds from a posted TOTAL_FORMS (else up to 2000, each with
# a choice of every material, are rendered: minutes of work for one request).
MAX_MATERIAL_ROWS = 10
InputFormSet = forms.formset_factory(
    ProcessorInputForm, extra=2, max_num=MAX_MATERIAL_ROWS, absolute_max=MAX_MATERIAL_ROWS
)
OutputFormSet = forms.formset_factory(
    ProcessorOutputForm, extra=2, max_num=MAX_MATERIAL_ROWS, absolute_max=MAX_MATERIAL_ROWS
)


def filled_rows(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    """The rows of a valid formset that hold anything."""
    return [dict(row.cleaned_data) for row in formset.forms if _holds_anything(row)]


def _holds_anything(row: forms.Form) -> bool:
    """Whether a row was filled in: any value but empty (a 0 counts, as the service sees it)."""
    return any(value not in (None, "") for value in row.cleaned_data.values())


def add_processor_errors(
    form: forms.Form,
    inputs: forms.BaseFormSet[Any],
    outputs: forms.BaseFormSet[Any],
    error: ValidationError,
) -> None:
    """Show a service's errors at the field, at the input or output row, or above the form."""
    filled = {
        "inputs": [r for r in inputs.forms if r.is_valid() and _holds_anything(r)],
        "outputs": [r for r in outputs.forms if r.is_valid() and _holds_anything(r)],
    }
    sets = {"inputs": inputs, "outputs": outputs}
    for field, messages in validation_messages(error).items():
        part, _sep, rest = field.partition(".")
        for message in messages:
            if field in form.fields:
                form.add_error(field, message)
            elif part in sets and rest:
                index, _sep, name = rest.partition(".")
                rows = filled[part]
                row = rows[int(index)] if index.isdigit() and int(index) < len(rows) else None
                if row is not None and name in row.fields:
                    row.add_error(name, message)
                elif row is not None:
                    row.add_error(None, message)
                else:
                    sets[part].non_form_errors().append(message)
            elif part in sets:
                sets[part].non_form_errors().append(message)
            else:
                form.add_error(None, message)
