"""Forms of the registry pages: they check the shape of input; services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from metalloop.accounts.models import OrganisationKind, SizeClass, ValueChainRole
from metalloop.network.models import Competence, SiteKind, State

EMPTY = [("", "—")]


def competence_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in Competence.objects.all()]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=_("Value-chain role"), required=False, choices=EMPTY + list(ValueChainRole.choices)
    )
    competence = forms.ChoiceField(
        label=_("Competence"), required=False, choices=lambda: EMPTY + competence_choices()
    )
    network = forms.ChoiceField(label=_("Network"), required=False)
    place = forms.CharField(label=_("Place or postcode"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=EMPTY + list(OrganisationKind.choices)
    )

    def __init__(self, *args: Any, networks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network_field = self.fields["network"]
        assert isinstance(network_field, forms.ChoiceField)
        network_field.choices = EMPTY + networks

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid choice filters nothing rather than failing."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_form = forms.CharField(label=_("Legal form"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=OrganisationKind.choices)
    size_class = forms.ChoiceField(
        label=_("Size class"), choices=EMPTY + list(SizeClass.choices), required=False
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    roles = forms.MultipleChoiceField(
        label=_("Value-chain roles"),
        choices=ValueChainRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    competences = forms.MultipleChoiceField(
        label=_("Competences"),
        choices=competence_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=SiteKind.choices)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("A German postcode has five digits.")},
    )
    place = forms.CharField(label=_("Place"), max_length=120)
    state = forms.ChoiceField(label=_("State"), choices=EMPTY + list(State.choices), required=False)
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Only if the place is not found."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )


class RegistryImportForm(forms.Form):
    entity = forms.ChoiceField(
        label=_("The table describes"),
        choices=[("organisations", _("organisations")), ("sites", _("sites"))],
    )
    file = forms.FileField(label=_("Table (CSV or XLSX)"))
