from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from metalloop.accounts.models import User
from metalloop.accounts.throttling import lockout_message


class LoginForm(AuthenticationForm):
    """E-mail and password; while logins are paused (see throttling.py) it says until when."""

    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )

    error_messages = {
        "invalid_login": _("E-mail address or password is wrong."),
        "inactive": _("This account is inactive."),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            if self.request is None or not getattr(self.request, "axes_locked_out", False):
                raise
            email = (self.cleaned_data.get("username") or "").strip().lower()
            raise ValidationError(lockout_message(self.request, email), code="throttled") from None


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use the token, e.g. “ERP export”."),
    )


class PasswordSetRequestForm(PasswordResetForm):
    """Ask for a link to set a new password, by e-mail.

    Unlike Django's form it also serves accounts that never had a password (created by an
    administrator or at the command line): the link is how such users set their first one.
    """

    email = forms.EmailField(label=_("E-mail address"), max_length=254)

    def get_users(self, email: str) -> Iterator[User]:
        yield from User.objects.filter(email=email.strip().lower(), is_active=True)

    def save(self, **options: Any) -> None:  # type: ignore[override]
        # Links point at the platform's public address, never at the Host a request sent.
        public = urlsplit(settings.PUBLIC_BASE_URL)
        options.update(domain_override=public.netloc, use_https=public.scheme == "https")
        super().save(**options)
