from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CheckForm(forms.Form):
    specification = forms.CharField(
        label=_("Alloy or scrap grade"),
        max_length=80,
        help_text=_("Code or designation, e.g. EN10088:1.4301, 1.4404, EU27:E40, EN AW-6060."),
    )
    analysis = forms.CharField(
        label=_("Analysis (wt-%)"),
        max_length=2000,
        help_text=_(
            "Element=value, separated by commas; ranges as 8.0-10.5. With semicolons as "
            "separators, decimal commas work: Cr=18,1; Ni=8,3."
        ),
    )


class ClassifyForm(forms.Form):
    analysis = forms.CharField(label=_("Analysis (wt-%)"), max_length=2000)
