"""Saved searches and notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metalloop.accounts.selectors import notification_list
from metalloop.accounts.services import notification_mark_read
from metalloop.common.forms import add_service_errors
from metalloop.exchange.selectors import exchange_networks, network_by_slug
from metalloop.matching import selectors, services
from metalloop.matching.forms import (
    SavedSearchForm,
)


@login_required
def saved_searches(request: HttpRequest) -> HttpResponse:
    """List the member's saved searches and save a new one."""
    networks = [(n.slug, n.name) for n in exchange_networks(actor=request.user)]
    form = SavedSearchForm(request.POST or None, networks=networks, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_create(
                actor=request.user,
                network=network_by_slug(actor=request.user, slug=form.cleaned_data["network"]),
                name=form.cleaned_data["name"],
                filters=form.filters(),
                email=form.cleaned_data["email"],
            )
            messages.success(
                request, _("Search saved. You will be told of new listings that fit it.")
            )
            return redirect("matching:saved_searches")
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError):
                add_service_errors(form, error)
            else:
                form.add_error(None, str(error))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "matching/saved_searches.html",
        {"form": form, "searches": selectors.saved_search_list(actor=request.user)},
        status=status,
    )


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, search_id: int) -> HttpResponse:
    search = selectors.saved_search_get(actor=request.user, search_id=search_id)
    services.saved_search_delete(actor=request.user, search=search)
    messages.success(request, _("Saved search deleted."))
    return redirect("matching:saved_searches")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The member's notifications; opening the page marks them read."""
    found = list(notification_list(actor=request.user)[:100])
    unread = [n.pk for n in found if n.read_at is None]
    page = render(
        request, "matching/notifications.html", {"notifications": found, "unread": unread}
    )
    for note in found:
        if note.read_at is None:
            notification_mark_read(actor=request.user, notification=note)
    return page
