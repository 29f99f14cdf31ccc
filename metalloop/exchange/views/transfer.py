"""Pages of the import and export of listings as tables (CSV or XLSX)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from metalloop.common.forms import import_upload
from metalloop.common.imports import import_limits
from metalloop.common.tabular import Table
from metalloop.exchange import selectors, services
from metalloop.exchange.forms import ImportForm
from metalloop.exchange.views._common import network_choices


@login_required
def listing_import(request: HttpRequest) -> HttpResponse:
    """Import listings from a CSV or XLSX table; all rows or none, errors by line."""
    form = ImportForm(
        request.POST or None, request.FILES or None, networks=network_choices(request.user)
    )
    context: dict[str, Any] = {
        "form": form, "columns": services.LISTING_COLUMNS, "limits": import_limits()
    }  # fmt: skip
    if request.method == "POST" and form.is_valid():
        context |= import_upload(form, partial(_import, request.user, form.cleaned_data["network"]))
    failed = bool(form.errors or context.get("rejected"))
    return render(request, "exchange/import.html", context, status=400 if failed else 200)


def _import(actor: Any, network_slug: str, table: Table) -> services.ImportResult:
    network = selectors.network_by_slug(actor=actor, slug=network_slug)
    return services.listings_import(actor=actor, network=network, table=table, origin="web")


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
