"""Pages of the import and export of listings as tables (CSV or XLSX)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from metalloop.common.forms import add_service_errors
from metalloop.common.tabular import TableError, parse_csv, parse_xlsx
from metalloop.exchange import selectors, services
from metalloop.exchange.forms import ImportForm
from metalloop.exchange.views._common import network_choices


@login_required
def listing_import(request: HttpRequest) -> HttpResponse:
    """Import listings from a CSV or XLSX table; all rows or none, errors by line."""
    form = ImportForm(
        request.POST or None, request.FILES or None, networks=network_choices(request.user)
    )
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
