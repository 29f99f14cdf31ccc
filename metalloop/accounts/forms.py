from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from metalloop.accounts.selectors import login_is_throttled
from metalloop.common.http import client_ip_of


class LoginForm(AuthenticationForm):
    """E-mail and password; refuses while too many attempts failed (without telling which)."""

    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )

    error_messages = {
        "invalid_login": _("E-mail address or password is wrong."),
        "inactive": _("This account is inactive."),
        "throttled": _("Too many failed logins. Wait a quarter of an hour and try again."),
    }

    def clean(self) -> dict[str, Any]:
        email = (self.cleaned_data.get("username") or "").lower()
        if email and login_is_throttled(email=email, client_ip=client_ip_of(self.request)):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except PermissionDenied as throttled:
            raise ValidationError(self.error_messages["throttled"], code="throttled") from throttled


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use the token, e.g. “ERP export”."),
    )
