"""Forms of listings: the search filters, the offer and demand form, attachments, imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from metalloop.exchange import adapters
from metalloop.exchange.forms._common import DATE, EMPTY, set_choices
from metalloop.exchange.forms.chemistry import filled_element_rows
from metalloop.exchange.models import (
    DEMAND_ONLY_FIELDS,
    MAX_DILUTION_PCT,
    MAX_DISTANCE_KM,
    AnalysisMethod,
    AttachmentKind,
    LegalStatus,
    ListingKind,
    ListingStatus,
    Logistics,
    MaterialForm,
    QuantityUnit,
    Recurrence,
    Side,
    TransportMode,
    Visibility,
)

DEFAULT_RADIUS_KM = 50
PAGE_ORDER = (
    "network", "site", "kind", "form", "title", "description", "material", "grades", "size",
    "legal_status", "waste_code", "quantity", "unit", "unit_mass_kg", "min_quantity", "min_lot_t",
    "recurrence", "available_from", "available_until", "logistics", "price_eur_per_t",
    "max_distance_km", "transport_modes", "analysis_method", "analysis_date", "r_strategy",
    "max_dilution_pct", "accepted_forms", "permitted_waste_codes", "visibility", "status",
)  # fmt: skip
"""The fields of the listing form in the order the page shows them (the error summary's)."""
CHEMISTRY_AFTER = "transport_modes"
"""The chemistry rows follow this field on the page."""


class ListingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    side = forms.ChoiceField(label=_("Offer or demand"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    material = forms.ChoiceField(label=_("Material"), required=False)
    grade = forms.ChoiceField(label=_("Grade or alloy"), required=False)
    place = forms.CharField(
        label=_("Place or postcode"),
        required=False,
        help_text=_("e.g. Duisburg or 47119 Duisburg"),
    )
    radius_km = forms.IntegerField(
        label=_("Radius [km]"), required=False, min_value=1, max_value=MAX_DISTANCE_KM
    )
    network = forms.ChoiceField(label=_("Network"), required=False)

    def __init__(self, *args: Any, networks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["side"], EMPTY + list(Side.choices))
        set_choices(self.fields["kind"], EMPTY + list(ListingKind.choices))
        set_choices(self.fields["material"], EMPTY + adapters.material_choices())
        set_choices(self.fields["grade"], EMPTY + adapters.grade_choices())
        set_choices(self.fields["network"], EMPTY + networks)

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid value filters nothing rather than failing."""
        self.is_valid()
        found = {name: value for name, value in self.cleaned_data.items() if value}
        if found.get("place") and "radius_km" not in found:
            found["radius_km"] = DEFAULT_RADIUS_KM
        if "radius_km" in found and not found.get("place"):
            del found["radius_km"]
        return found


class ListingForm(forms.Form):
    """An offer or a demand; the demand-only fields are left out for offers."""

    field_order = PAGE_ORDER

    network = forms.ChoiceField(label=_("Network"))
    site = forms.TypedChoiceField(label=_("Site"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=ListingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    material = forms.ChoiceField(label=_("Material"))
    grades = forms.MultipleChoiceField(
        label=_("Grades and alloys"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("An offer: what it is. A demand: what it accepts. Ctrl-click for several."),
    )
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices)
    waste_code = forms.ChoiceField(label=_("Waste code (AVV)"), required=False)
    form = forms.ChoiceField(label=_("Form"), choices=MaterialForm.choices)
    size = forms.CharField(label=_("Size"), max_length=200, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=3)
    unit = forms.ChoiceField(label=_("Unit"), choices=QuantityUnit.choices)
    unit_mass_kg = forms.DecimalField(
        label=_("Mass per piece [kg]"), max_digits=12, decimal_places=3, required=False
    )
    recurrence = forms.ChoiceField(
        label=_("Recurrence"),
        choices=Recurrence.choices,
        help_text=_("For a recurring listing the quantity is per interval."),
    )
    available_from = forms.DateField(label=_("Available from"), widget=DATE)
    available_until = forms.DateField(label=_("Available until"), widget=DATE, required=False)
    logistics = forms.ChoiceField(label=_("Logistics"), choices=Logistics.choices)
    transport_modes = forms.MultipleChoiceField(
        label=_("Transport modes"),
        choices=TransportMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    price_eur_per_t = forms.DecimalField(
        label=_("Price indication [EUR/t]"),
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=_("Negative: the owner pays for taking the material."),
    )
    analysis_method = forms.ChoiceField(
        label=_("Analysis method"), choices=EMPTY + list(AnalysisMethod.choices), required=False
    )
    analysis_date = forms.DateField(label=_("Analysis date"), widget=DATE, required=False)
    min_quantity = forms.DecimalField(
        label=_("Minimum quantity"), max_digits=12, decimal_places=3, required=False
    )
    min_lot_t = forms.DecimalField(
        label=_("Minimum lot per delivery [t]"), max_digits=12, decimal_places=3, required=False
    )
    max_distance_km = forms.IntegerField(
        label=_("Maximum distance [km]"), min_value=1, max_value=MAX_DISTANCE_KM, required=False
    )
    r_strategy = forms.ChoiceField(label=_("Intended R-strategy"), required=False)
    max_dilution_pct = forms.DecimalField(
        label=_("Maximum dilution [%]"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=MAX_DILUTION_PCT,
        required=False,
        help_text=_("How much clean material you can blend in."),
    )
    accepted_forms = forms.MultipleChoiceField(
        label=_("Accepted forms"),
        choices=MaterialForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: any form."),
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
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, label) for s, label in ListingStatus.choices if s != ListingStatus.EXPIRED],
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        side: str,
        networks: list[tuple[str, str]],
        sites: list[tuple[int, str]],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.side = side
        set_choices(self.fields["network"], networks)
        set_choices(self.fields["site"], sites)
        set_choices(self.fields["material"], EMPTY + adapters.material_choices())
        set_choices(self.fields["grades"], adapters.grade_choices())
        set_choices(self.fields["waste_code"], EMPTY + adapters.waste_code_choices())
        set_choices(self.fields["r_strategy"], EMPTY + adapters.r_strategy_choices())
        set_choices(self.fields["permitted_waste_codes"], adapters.waste_code_choices())
        if side == Side.OFFER:
            for name in DEMAND_ONLY_FIELDS:
                del self.fields[name]
        else:
            del self.fields["analysis_method"], self.fields["analysis_date"]
        if editing:
            del self.fields["network"]
            self._offer_current_status()
        else:
            del self.fields["status"]

    def _offer_current_status(self) -> None:
        """An expired listing's form shows "expired" (it is no choice to make), so that saving
        other changes keeps it expired rather than sending the first choice."""
        current = self.initial.get("status")
        if current == ListingStatus.EXPIRED:
            field = self.fields["status"]
            set_choices(field, [(current, ListingStatus(current).label), *field.choices])  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        """The cleaned values as the services take them (empty choices become ""); a status
        left as it was is no change."""
        values = dict(self.cleaned_data)
        values.pop("network", None)
        values.pop("site", None)
        if values.get("status") in ("", None, self.initial.get("status")):
            values.pop("status", None)
        return values


def add_listing_errors(
    form: forms.Form, formset: forms.BaseFormSet[Any], error: ValidationError
) -> None:
    """Show a service's errors where they belong: at the field (unless the field shows an
    error of its own already), on each chemistry row an element error names (the rows passed
    to the service, see ``filled_element_rows``), above the chemistry (``elements``), or above
    the form."""
    rows = filled_element_rows(formset)
    unreadable = set(form.errors)
    for field, errors in _error_lists(error).items():
        for invalid in errors:
            for message in invalid.messages:
                if field in form.fields:
                    if field not in unreadable:
                        form.add_error(field, message)
                elif isinstance(invalid, adapters.ElementRowError) and invalid.rows:
                    for index in invalid.rows:
                        rows[index].add_error(None, message)
                elif field.startswith("elements"):
                    formset.non_form_errors().append(message)
                else:
                    form.add_error(None, message)


def _error_lists(error: ValidationError) -> dict[str, list[ValidationError]]:
    if hasattr(error, "error_dict"):
        return {
            (name if name != NON_FIELD_ERRORS else "__all__"): list(errors)
            for name, errors in error.error_dict.items()
        }
    return {"__all__": list(error.error_list)}


@dataclass(frozen=True)
class SummaryEntry:
    """One error in the summary at the top of a form: the control to jump to (its id; empty
    for an error of the whole form), what it is called, and the message."""

    target: str
    label: str
    message: str


def listing_error_summary(form: forms.Form, formset: forms.BaseFormSet[Any]) -> list[SummaryEntry]:
    """Every error of the listing form, in the order of the page."""
    entries = [SummaryEntry("", "", str(m)) for m in form.non_field_errors()]
    for name in form.fields:
        field = form[name]
        target = field.id_for_label or f"{field.auto_id}_0"  # a group: its first box
        label = str(field.label)
        entries.extend(SummaryEntry(target, label, str(m)) for m in field.errors)
        if name == CHEMISTRY_AFTER:
            entries.extend(_chemistry_entries(formset))
    return entries


def _chemistry_entries(formset: forms.BaseFormSet[Any]) -> list[SummaryEntry]:
    chemistry = str(_("Chemistry"))
    entries = [SummaryEntry("chemistry", chemistry, str(m)) for m in formset.non_form_errors()]
    for number, row in enumerate(formset.forms, start=1):
        label = str(_("Chemistry, row %(n)s") % {"n": number})
        target = row["element"].id_for_label
        entries.extend(SummaryEntry(target, label, str(m)) for m in row.non_field_errors())
        entries.extend(
            SummaryEntry(target, label, f"{row[name].label}: {m}")
            for name in row.fields
            for m in row[name].errors
        )
    return entries


def listing_initial(listing: Any) -> dict[str, Any]:
    fields = [name for name in ListingForm.base_fields if name not in ("network", "grades")]
    initial = {name: getattr(listing, name) for name in fields if name != "site"}
    initial["site"] = listing.site_id
    initial["grades"] = [g.code for g in listing.grades.all()]
    return initial


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG, JPEG, CSV or XLSX."))
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)


class ImportForm(forms.Form):
    network = forms.ChoiceField(label=_("Network"))
    file = forms.FileField(label=_("Table (CSV or XLSX)"))

    def __init__(self, *args: Any, networks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["network"], networks)
