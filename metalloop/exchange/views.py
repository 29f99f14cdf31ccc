"""Pages of the exchange: thin views over selectors, services and presenters.

Every page needs a login: listings are for the members of a network, not the public.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from metalloop.common.errors import ApplicationError
from metalloop.common.forms import add_service_errors
from metalloop.common.http import is_htmx
from metalloop.common.tabular import TableError, parse_csv, parse_xlsx
from metalloop.exchange import adapters, panels, presenters, selectors, services
from metalloop.exchange.forms import (
    AttachmentForm,
    ElementFormSet,
    ImportForm,
    InputFormSet,
    ListingFilterForm,
    ListingForm,
    OutputFormSet,
    ProcessorFilterForm,
    ProcessorForm,
    add_listing_errors,
    add_processor_errors,
    element_initial,
    element_rows,
    filled_rows,
    input_initial,
    listing_initial,
    output_initial,
    processor_initial,
)
from metalloop.exchange.models import Side
from metalloop.exchange.permissions import can_edit_listing, can_edit_processor

PAGE_SIZE = 25
MAP_LIMIT = 500


def _networks(actor: Any) -> list[tuple[str, str]]:
    return [(n.slug, n.name) for n in selectors.exchange_networks(actor=actor)]


def _sites(actor: Any) -> list[tuple[int, str]]:
    return [
        (s.pk, f"{s.organisation.name}: {s.name}, {s.place}")
        for s in selectors.usable_sites(actor=actor)
    ]


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@vary_on_headers("HX-Request")
def listing_list(request: HttpRequest) -> HttpResponse:
    """Search offers and demands with filters and a map; htmx requests get the results only."""
    form = ListingFilterForm(request.GET, networks=_networks(request.user))
    context = {"form": form, "query": _query_without_page(request)}
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
    form = ListingForm(
        request.POST or None,
        side=side,
        networks=_networks(request.user),
        sites=_sites(request.user),
    )
    formset = ElementFormSet(request.POST or None, prefix="elements")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            listing = services.listing_create(
                actor=request.user,
                network=selectors.network_by_slug(
                    actor=request.user, slug=form.cleaned_data["network"]
                ),
                site=selectors.site_by_id(actor=request.user, site_id=form.cleaned_data["site"]),
                side=side,
                elements=element_rows(formset),
                origin="web",
                **form.service_values(),
            )
        except ValidationError as invalid:
            add_listing_errors(form, formset, invalid)
        else:
            messages.success(request, _("The listing is placed."))
            return redirect("exchange:listing_detail", listing_id=listing.pk)
    return _listing_form(request, form, formset, side=side, listing=None)


def _listing_form(
    request: HttpRequest, form: ListingForm, formset: Any, *, side: str, listing: Any
) -> HttpResponse:
    invalid = bool(form.errors or any(f.errors for f in formset.forms) or formset.non_form_errors())
    context = {"form": form, "formset": formset, "side": side, "listing": listing}
    return render(request, "exchange/listing_form.html", context, status=400 if invalid else 200)


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
        networks=_networks(request.user),
        sites=_sites(request.user),
        editing=True,
    )
    formset = ElementFormSet(
        request.POST or None, prefix="elements", initial=element_initial(listing)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.listing_update(
                actor=request.user,
                listing=listing,
                site=selectors.site_by_id(actor=request.user, site_id=form.cleaned_data["site"]),
                elements=element_rows(formset),
                origin="web",
                **form.service_values(),
            )
        except ValidationError as invalid:
            add_listing_errors(form, formset, invalid)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("exchange:listing_detail", listing_id=listing.pk)
    return _listing_form(request, form, formset, side=listing.side, listing=listing)


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


@login_required
@require_POST
def attachment_upload(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Attach a document to a listing."""
    listing = selectors.listing_get(actor=request.user, listing_id=listing_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user, listing=listing, origin="web", **form.cleaned_data
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
    if form.errors:
        for message in (m for errors in form.errors.values() for m in errors):
            messages.error(request, str(message))
    else:
        messages.success(request, _("The file is attached."))
    return redirect("exchange:listing_detail", listing_id=listing.pk)


@login_required
def attachment_download(
    request: HttpRequest, listing_id: int, attachment_id: int
) -> HttpResponseBase:
    """Hand out an attachment to the owner, the facilitators and admins."""
    attachment = selectors.attachment_get(
        actor=request.user, listing_id=listing_id, attachment_id=attachment_id
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, listing_id: int, attachment_id: int) -> HttpResponse:
    """Remove an attachment."""
    attachment = selectors.attachment_get(
        actor=request.user, listing_id=listing_id, attachment_id=attachment_id
    )
    services.attachment_delete(actor=request.user, attachment=attachment, origin="web")
    messages.success(request, _("The attachment is removed."))
    return redirect("exchange:listing_detail", listing_id=listing_id)


@login_required
def listing_import(request: HttpRequest) -> HttpResponse:
    """Import listings from a CSV or XLSX table; all rows or none, errors by line."""
    form = ImportForm(request.POST or None, request.FILES or None, networks=_networks(request.user))
    context: dict[str, Any] = {"form": form, "columns": services.LISTING_COLUMNS}
    if request.method == "POST" and form.is_valid():
        try:
            network = selectors.network_by_slug(
                actor=request.user, slug=form.cleaned_data["network"]
            )
            table = _read_upload(form.cleaned_data["file"])
            context["result"] = services.listings_import(
                actor=request.user, network=network, table=table, origin="web"
            )
        except services.ImportRejected as rejected:
            context["rejected"] = rejected
        except TableError as unreadable:
            form.add_error("file", str(unreadable))
        except ValidationError as invalid:
            add_service_errors(form, invalid)
    failed = bool(form.errors or context.get("rejected"))
    return render(request, "exchange/import.html", context, status=400 if failed else 200)


def _read_upload(upload: Any) -> Any:
    data = upload.read()
    if upload.name.lower().endswith(".xlsx"):
        return parse_xlsx(data)
    try:
        return parse_csv(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise TableError(_("The file is not UTF-8 text: save it as “CSV UTF-8”.")) from error


@login_required
def listing_export(request: HttpRequest) -> HttpResponse:
    """Download the listings of a network the actor sees, as CSV or XLSX."""
    try:
        network = selectors.network_by_slug(actor=request.user, slug=request.GET.get("network", ""))
    except ValidationError as unknown:
        raise Http404("no such network") from unknown
    export = services.listings_export(
        actor=request.user, network=network, format=request.GET.get("format", "csv")
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


# --- processors ----------------------------------------------------------------------------------


@login_required
@vary_on_headers("HX-Request")
def processor_list(request: HttpRequest) -> HttpResponse:
    """List processors with filters; htmx requests get the results only."""
    form = ProcessorFilterForm(request.GET, networks=_networks(request.user))
    found = selectors.processor_list(
        actor=request.user, filters=selectors.ProcessorFilters(**form.filters())
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    revealed = selectors.revealed_processor_ids(actor=request.user, processors=found)
    items = [
        presenters.processor_out(actor=request.user, processor=p, revealed=p.pk in revealed)
        for p in page
    ]
    template = "exchange/processor_list.html" + ("#results" if is_htmx(request) else "")
    context = {"form": form, "page": page, "items": items, "query": _query_without_page(request)}
    return render(request, template, context)


@login_required
def processor_detail(request: HttpRequest, processor_id: int) -> HttpResponse:
    """Show one processor with its inputs and outputs."""
    processor = selectors.processor_get(actor=request.user, processor_id=processor_id)
    out = presenters.processor_out(actor=request.user, processor=processor)
    return render(request, "exchange/processor_detail.html", {"processor": out})


@login_required
def processor_create(request: HttpRequest) -> HttpResponse:
    """Declare a processing capability."""
    form = ProcessorForm(
        request.POST or None, networks=_networks(request.user), sites=_sites(request.user)
    )
    inputs = InputFormSet(request.POST or None, prefix="inputs")
    outputs = OutputFormSet(request.POST or None, prefix="outputs")
    if request.method == "POST" and form.is_valid() and inputs.is_valid() and outputs.is_valid():
        try:
            processor = services.processor_create(
                actor=request.user,
                network=selectors.network_by_slug(
                    actor=request.user, slug=form.cleaned_data["network"]
                ),
                site=selectors.site_by_id(actor=request.user, site_id=form.cleaned_data["site"]),
                inputs=filled_rows(inputs),
                outputs=filled_rows(outputs),
                origin="web",
                **form.service_values(),
            )
        except ValidationError as invalid:
            add_processor_errors(form, inputs, outputs, invalid)
        else:
            messages.success(request, _("The processor is declared."))
            return redirect("exchange:processor_detail", processor_id=processor.pk)
    return _processor_form(request, form, inputs, outputs, processor=None)


def _processor_form(
    request: HttpRequest, form: ProcessorForm, inputs: Any, outputs: Any, *, processor: Any
) -> HttpResponse:
    sets = (inputs, outputs)
    invalid = bool(
        form.errors
        or any(f.errors for s in sets for f in s.forms)
        or any(s.non_form_errors() for s in sets)
    )
    context = {"form": form, "inputs": inputs, "outputs": outputs, "processor": processor}
    return render(request, "exchange/processor_form.html", context, status=400 if invalid else 200)


@login_required
def processor_edit(request: HttpRequest, processor_id: int) -> HttpResponse:
    """Change a processor."""
    processor = selectors.processor_get(actor=request.user, processor_id=processor_id)
    if not can_edit_processor(actor=request.user, processor=processor):
        raise PermissionDenied
    form = ProcessorForm(
        request.POST or None,
        initial=processor_initial(processor),
        networks=_networks(request.user),
        sites=_sites(request.user),
        editing=True,
    )
    inputs = InputFormSet(request.POST or None, prefix="inputs", initial=input_initial(processor))
    outputs = OutputFormSet(
        request.POST or None, prefix="outputs", initial=output_initial(processor)
    )
    if request.method == "POST" and form.is_valid() and inputs.is_valid() and outputs.is_valid():
        try:
            services.processor_update(
                actor=request.user,
                processor=processor,
                site=selectors.site_by_id(actor=request.user, site_id=form.cleaned_data["site"]),
                inputs=filled_rows(inputs),
                outputs=filled_rows(outputs),
                origin="web",
                **form.service_values(),
            )
        except ValidationError as invalid:
            add_processor_errors(form, inputs, outputs, invalid)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("exchange:processor_detail", processor_id=processor.pk)
    return _processor_form(request, form, inputs, outputs, processor=processor)


@login_required
@require_POST
def processor_withdraw(request: HttpRequest, processor_id: int) -> HttpResponse:
    """Withdraw a processor."""
    processor = selectors.processor_get(actor=request.user, processor_id=processor_id)
    services.processor_withdraw(actor=request.user, processor=processor, origin="web")
    messages.success(request, _("The processor is withdrawn."))
    return redirect("exchange:processor_detail", processor_id=processor.pk)
