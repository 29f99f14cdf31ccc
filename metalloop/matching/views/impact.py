"""The impact dashboard and its export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from metalloop.common.tabular import format_csv, format_xlsx
from metalloop.matching import presenters, selectors
from metalloop.matching.adapters import impact_method
from metalloop.matching.permissions import can_run_matching
from metalloop.matching.views._common import network_or_404


def _impact_filters(request: HttpRequest, network: Any) -> selectors.ImpactFilters:
    since = parse_date(request.GET.get("since", "") or "") if request.GET.get("since") else None
    until = parse_date(request.GET.get("until", "") or "") if request.GET.get("until") else None
    return selectors.ImpactFilters(network, since, until)


@login_required
def impact(request: HttpRequest, slug: str) -> HttpResponse:
    """Tonnes and CO2 of settled exchanges with the method and its shares."""
    network = network_or_404(request, slug)
    summary = selectors.impact_summary(
        actor=request.user, filters=_impact_filters(request, network)
    )
    method = impact_method(selectors.matching_settings(network))
    return render(
        request,
        "matching/impact.html",
        {
            "network": network,
            "summary": summary,
            "method": method,
            "sources": presenters.method_sources(method),
            "deadweight_pct": round(method.deadweight * 100, 2),
            "attribution_pct": round(method.attribution * 100, 2),
            "tonnes_bars": presenters.bars(summary["by_month"], "tonnes"),
            "co2_bars": presenters.bars(summary["by_month"], "net"),
            "material_bars": presenters.bars(summary["by_material"], "tonnes"),
            "rows": presenters.impact_rows(summary["deals"]),
            "facilitates": can_run_matching(actor=request.user, network=network),
            "since": request.GET.get("since", ""),
            "until": request.GET.get("until", ""),
        },
    )


@login_required
def impact_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The settled exchanges with their CO2 account, as CSV or XLSX."""
    network = network_or_404(request, slug)
    summary = selectors.impact_summary(
        actor=request.user, filters=_impact_filters(request, network)
    )
    rows = presenters.impact_rows(summary["deals"])
    if fmt == "csv":
        response = HttpResponse(
            format_csv(presenters.IMPACT_COLUMNS, rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            format_xlsx(presenters.IMPACT_COLUMNS, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404(_("Export as csv or xlsx."))
    response["Content-Disposition"] = f'attachment; filename="impact-{network.slug}.{fmt}"'
    return response
