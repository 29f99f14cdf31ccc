"""Forms of the matching pages: they check the shape of input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from metalloop.matching.models import Objective, OutcomeResult, Reason


class RunForm(forms.Form):
    objective = forms.ChoiceField(label=_("Objective"), choices=Objective.choices)
    horizon_months = forms.IntegerField(label=_("Horizon [months]"), min_value=1, max_value=36)


class CurateForm(forms.Form):
    keep = forms.BooleanField(
        label=_("Keep"),
        required=False,
        help_text=_("Kept and reviewed proposals can be released together from the board."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class DeclineForm(forms.Form):
    """Why the organisation declines: chosen by the person (nothing is preselected)."""

    reason = forms.ChoiceField(
        label=_("Why do you decline?"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you decline.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you choose “other”."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "id_decline_%s")  # the interest form has a comment too
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class InterestForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OutcomeForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=OutcomeResult.choices)
    tonnes = forms.DecimalField(
        label=_("Tonnes delivered"), required=False, max_digits=14, decimal_places=3
    )
    settled_on = forms.DateField(
        label=_("Date of the deal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.ChoiceField(
        label=_("Why it failed"), required=False, choices=[("", "—"), *Reason.choices]
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SettingsForm(forms.Form):
    objective = forms.ChoiceField(label=_("Default objective"), choices=Objective.choices)
    horizon_months = forms.IntegerField(label=_("Horizon [months]"), min_value=1, max_value=36)
    deadweight_pct = forms.DecimalField(
        label=_("Deadweight [%]"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    attribution_pct = forms.DecimalField(
        label=_("Attribution [%]"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )


class SavedSearchForm(forms.Form):
    network = forms.ChoiceField(label=_("Network"))
    name = forms.CharField(label=_("Name"), max_length=100)
    side = forms.ChoiceField(
        label=_("Offer or demand"),
        required=False,
        choices=[("", "—"), ("offer", _("offer")), ("demand", _("demand"))],
    )
    material = forms.CharField(label=_("Material code"), required=False, max_length=60)
    grade = forms.CharField(label=_("Grade or alloy"), required=False, max_length=60)
    place = forms.CharField(label=_("Place"), required=False, max_length=120)
    radius_km = forms.FloatField(
        label=_("Radius [km]"), required=False, min_value=1, max_value=2000
    )
    email = forms.BooleanField(label=_("Also by e-mail"), required=False, initial=True)

    def __init__(self, *args: object, networks: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["network"].choices = networks  # type: ignore[attr-defined]

    def filters(self) -> dict[str, object]:
        keys = ("side", "material", "grade", "place", "radius_km")
        return {k: self.cleaned_data[k] for k in keys if self.cleaned_data.get(k) not in (None, "")}
