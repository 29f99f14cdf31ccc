"""Pages of listings: the search with its map, a listing, the offer and demand forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from metalloop.common.errors import ApplicationError
from metalloop.common.forms import add_service_errors
from metalloop.common.http import is_htmx
from metalloop.exchange import adapters, panels, presenters, selectors, services
from metalloop.exchange.forms import (
    AttachmentForm,
    ElementFormSet,
    ListingFilterForm,
    ListingForm,
    add_listing_errors,
    describe_row_errors,
    element_initial,
    element_rows,
    listing_error_summary,
    listing_initial,
)
from metalloop.exchange.models import Side
from metalloop.exchange.permissions import can_edit_listing
from metalloop.exchange.views._common import (
    PAGE_SIZE,
    network_choices,
    query_without_page,
    site_choices,
)

MAP_LIMIT = 500


@login_required
@vary_on_headers("HX-Request")
def listing_list(request: HttpRequest) -> HttpResponse:
    """Search offers and demands with filters and a map; htmx requests get the results only."""
    form = ListingFilterForm(request.GET, networks=network_choices(request.user))
    context = {"form": form, "query": query_without_page(request)}
    try:
        context |= _search(request, form.filters())
    except ValidationError as invalid:
        add_service_errors(form, invalid)
        context |= _search(request, {})
    template = "exchange/listing_list.html" + ("#results" if is_htmx(request) else "")
    return render(request, template, context, status=400 if form.errors else 200)


def _search(request: HttpRequest, filters: dict[str, Any]) -> dict[str, Any]:
    actor = request.user
    found = selectors.listing_list(actor=actor, filters=selectors.ListingFilters(**filters))
    origin = adapters.resolve_place(filters["place"]) if filters.get("place") else None
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    revealed = selectors.revealed_listing_ids(actor=actor, listings=found)
    return {
        "page": page,
        "items": presenters.listings_out(
            actor=actor, listings=page, revealed_ids=revealed, origin=origin
        ),
        "counts": selectors.listing_counts(found),
        "points": presenters.map_points(
            actor=actor, listings=found[:MAP_LIMIT], revealed_ids=revealed
        ),
        "origin": origin,
    }


@login_required
def listing_detail(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Show one listing; the owner only where the actor may learn it."""
    listing = selectors.listing_get(actor=request.user, listing_id=listing_id)
    out = presenters.listing_out(actor=request.user, listing=listing)
    context = {
        "listing": out,
        "points": presenters.map_points(
            actor=request.user,
            listings=[listing],
            revealed_ids={listing.pk} if out["owner_revealed"] else set(),
        ),
        "attachment_form": AttachmentForm() if out["can_edit"] else None,
        "panels": panels.listing_panels(request=request, listing=listing),
    }
    return render(request, "exchange/listing_detail.html", context)


@login_required
def listing_create(request: HttpRequest, side: str) -> HttpResponse:
    """Place an offer or a demand."""
    if side not in Side.values:
        raise Http404("no such side")
    networks, sites = network_choices(request.user), site_choices(request.user)
    form = ListingForm(request.POST or None, side=side, networks=networks, sites=sites)
    formset = ElementFormSet(request.POST or None, prefix="elements")
    if request.method == "POST":
        listing = _submitted(request, form, formset, side=side, listing=None)
        if listing is not None:
            messages.success(request, _("The listing is placed."))
            return redirect("exchange:listing_detail", listing_id=listing.pk)
    return _listing_form(request, form, formset, side=side, listing=None)


@login_required
def listing_edit(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Change a listing."""
    listing = selectors.listing_get(actor=request.user, listing_id=listing_id)
    if not can_edit_listing(actor=request.user, listing=listing):
        raise PermissionDenied
    form = ListingForm(
        request.POST or None,
        initial=listing_initial(listing),
        side=listing.side,
        networks=network_choices(request.user),
        sites=site_choices(request.user),
        editing=True,
    )
    formset = ElementFormSet(
        request.POST or None, prefix="elements", initial=element_initial(listing)
    )
    if request.method == "POST" and _submitted(
        request, form, formset, side=listing.side, listing=listing
    ):
        messages.success(request, _("The changes are saved."))
        return redirect("exchange:listing_detail", listing_id=listing.pk)
    return _listing_form(request, form, formset, side=listing.side, listing=listing)


def _submitted(
    request: HttpRequest, form: ListingForm, formset: Any, *, side: str, listing: Any
) -> Any:
    """Check the form's shape and the services' rules together, so that every error shows
    with the first submit; save when both pass. Return the listing saved, or None."""
    readable = form.is_valid() & formset.is_valid()  # both, whatever the first says
    placement = _placement(request, form)
    values = form.service_values()
    try:
        if not readable or form.errors:
            services.listing_check(
                actor=request.user,
                side=side,
                listing=listing,
                elements=element_rows(formset),
                unreadable=form.errors,
                **placement,
                **values,
            )
        elif listing is None:
            return services.listing_create(
                actor=request.user, side=side, elements=element_rows(formset), origin="web",
                **placement, **values,
            )  # fmt: skip
        else:
            return services.listing_update(
                actor=request.user, listing=listing, elements=element_rows(formset),
                origin="web", **placement, **values,
            )  # fmt: skip
    except ValidationError as invalid:
        add_listing_errors(form, formset, invalid)
    return None


def _placement(request: HttpRequest, form: ListingForm) -> dict[str, Any]:
    """The network and site the form names, where it could read them (records the actor may
    use; an unknown one is an error at its field)."""
    actor = request.user
    lookups: dict[str, Callable[[Any], Any]] = {
        "network": lambda slug: selectors.network_by_slug(actor=actor, slug=slug),
        "site": lambda pk: selectors.site_by_id(actor=actor, site_id=pk),
    }
    placement: dict[str, Any] = {}
    for name, lookup in lookups.items():
        if form.cleaned_data.get(name):
            try:
                placement[name] = lookup(form.cleaned_data[name])
            except ValidationError as unknown:
                add_service_errors(form, unknown)
    return placement


def _listing_form(
    request: HttpRequest, form: ListingForm, formset: Any, *, side: str, listing: Any
) -> HttpResponse:
    summary = listing_error_summary(form, formset) if form.is_bound else []
    describe_row_errors(formset)
    context = {
        "form": form,
        "formset": formset,
        "side": side,
        "listing": listing,
        "error_summary": summary,
    }
    return render(request, "exchange/listing_form.html", context, status=400 if summary else 200)


@login_required
@require_POST
def listing_withdraw(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Withdraw a listing."""
    listing = selectors.listing_get(actor=request.user, listing_id=listing_id)
    services.listing_withdraw(actor=request.user, listing=listing, origin="web")
    messages.success(request, _("The listing is withdrawn."))
    return redirect("exchange:listing_detail", listing_id=listing.pk)


@login_required
@require_POST
def listing_verify(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Record a facilitator's verification of an offer."""
    listing = selectors.listing_get(actor=request.user, listing_id=listing_id)
    try:
        services.listing_verify(actor=request.user, listing=listing, origin="web")
    except ApplicationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The listing is verified."))
    return redirect("exchange:listing_detail", listing_id=listing.pk)
