"""Login, logout and the user's personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metalloop.accounts import selectors, services
from metalloop.accounts.forms import LoginForm, PasswordSetRequestForm, TokenCreateForm
from metalloop.common.http import client_ip_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    """Send a link to set a new password; the page never tells whether the address is known."""

    form_class = PasswordSetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        """Send the link unless the throttle holds it back; the answer is the same either way."""
        admitted = services.password_reset_admit(
            email=form.cleaned_data["email"], client_ip=client_ip_of(self.request)
        )
        if admitted:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        response = super().form_valid(form)
        services.password_set_record(user=form.user, origin="web")
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's API tokens and create a new one."""
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created = services.token_create(
                actor=request.user, name=form.cleaned_data["name"], origin="web"
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            form = TokenCreateForm()
    context = {"form": form, "created": created, "tokens": selectors.token_list(actor=request.user)}
    return render(request, "accounts/tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's tokens."""
    token = selectors.token_get(actor=request.user, token_id=token_id)
    services.token_revoke(actor=request.user, token=token, origin="web")
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
