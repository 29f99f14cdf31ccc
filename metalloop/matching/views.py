"""Pages of matching: the facilitator's board, the member's inbox, a proposal, the impact
dashboard, saved searches and notifications. Thin views over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metalloop.accounts.selectors import notification_list
from metalloop.accounts.services import notification_mark_read
from metalloop.common.errors import ApplicationError
from metalloop.common.forms import add_service_errors
from metalloop.common.tabular import format_csv, format_xlsx
from metalloop.exchange.selectors import exchange_networks, network_by_slug
from metalloop.matching import presenters, selectors, services
from metalloop.matching.adapters import impact_method
from metalloop.matching.forms import (
    CurateForm,
    DeclineForm,
    InterestForm,
    OutcomeForm,
    RunForm,
    SavedSearchForm,
    SettingsForm,
)
from metalloop.matching.permissions import can_run_matching


def _network_of(request: HttpRequest, slug: str) -> Any:
    """The network named in the page's address among the user's; any other is missing."""
    try:
        return network_by_slug(actor=request.user, slug=slug)
    except ValidationError as unknown:
        raise Http404(_("No such network.")) from unknown


def _facilitated(request: HttpRequest, slug: str) -> Any:
    network = _network_of(request, slug)
    if not can_run_matching(actor=request.user, network=network):
        raise Http404(_("No such network."))
    return network


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """The facilitator's matching board: run, review, curate, release, see outcomes."""
    network = _facilitated(request, slug)
    settings = selectors.matching_settings(network)
    runs = list(selectors.run_list(actor=request.user, network=network)[:10])
    status = request.GET.get("status", "")
    latest = runs[0] if runs else None
    proposals = (
        selectors.proposal_list(actor=request.user, network=network, run=latest, status=status)
        if latest
        else []
    )
    return render(
        request,
        "matching/board.html",
        {
            "network": network,
            "runs": runs,
            "latest": latest,
            "status": status,
            "rows": presenters.proposal_page_rows(
                actor=request.user, proposals=list(proposals)[:200]
            ),
            "run_form": RunForm(
                initial={"objective": settings.objective, "horizon_months": settings.horizon_months}
            ),
            "settings_form": SettingsForm(
                initial={
                    "objective": settings.objective,
                    "horizon_months": settings.horizon_months,
                    "deadweight_pct": settings.deadweight_pct,
                    "attribution_pct": settings.attribution_pct,
                }
            ),
            "acceptance": selectors.acceptance_by_reason(actor=request.user, network=network),
        },
    )


@login_required
@require_POST
def run_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Run matching now and show the board with the new proposals."""
    network = _facilitated(request, slug)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = services.run_start(actor=request.user, network=network, **form.cleaned_data)
            messages.success(
                request,
                _("Matching finished: %(n)s proposals.") % {"n": run.summary.get("proposals", 0)},
            )
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Check the objective and the horizon."))
    return redirect("matching:board", slug=slug)


@login_required
@require_POST
def release(request: HttpRequest, slug: str) -> HttpResponse:
    """Release every kept proposal of the latest run."""
    network = _facilitated(request, slug)
    latest = selectors.run_list(actor=request.user, network=network).first()
    if latest is None:
        raise Http404(_("No matching run yet."))
    chosen = list(selectors.proposal_list(actor=request.user, run=latest, status="proposed"))
    released = services.proposals_release(actor=request.user, proposals=chosen)
    messages.success(request, _("%(n)s proposals released.") % {"n": len(released)})
    return redirect("matching:board", slug=slug)


@login_required
@require_POST
def settings_update(request: HttpRequest, slug: str) -> HttpResponse:
    network = _facilitated(request, slug)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            services.matching_settings_update(
                actor=request.user, network=network, **form.cleaned_data
            )
            messages.success(request, _("Matching settings saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(
            request, _("Check the settings: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect("matching:board", slug=slug)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The proposals released to the member's organisation."""
    proposals = selectors.inbox_list(actor=request.user)
    facilitated = [
        n
        for n in exchange_networks(actor=request.user)
        if can_run_matching(actor=request.user, network=n)
    ]
    return render(
        request,
        "matching/inbox.html",
        {
            "rows": presenters.proposal_page_rows(
                actor=request.user, proposals=list(proposals[:200])
            ),
            "facilitated": facilitated,
        },
    )


def _proposal_page(request: HttpRequest, proposal: Any, **forms: Any) -> HttpResponse:
    view = presenters.proposal_page(actor=request.user, proposal=proposal)
    return render(
        request,
        "matching/proposal.html",
        {
            "p": view,
            "interest_form": forms.get("interest_form") or InterestForm(),
            "decline_form": forms.get("decline_form") or DeclineForm(),
            "outcome_form": forms.get("outcome_form") or OutcomeForm(),
            "curate_form": CurateForm(
                initial={"keep": view["status"] == "proposed", "note": view["note"]}
            ),
        },
        status=forms.get("status", 200),
    )


@login_required
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get(actor=request.user, proposal_id=proposal_id)
    return _proposal_page(request, proposal)


@login_required
@require_POST
def proposal_answer(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Interested, or declined with a reason."""
    proposal = selectors.proposal_get(actor=request.user, proposal_id=proposal_id)
    interested = request.POST.get("answer") == "interested"
    form = InterestForm(request.POST) if interested else DeclineForm(request.POST)
    key = "interest_form" if interested else "decline_form"
    if not form.is_valid():
        return _proposal_page(request, proposal, **{key: form, "status": 422})
    try:
        services.proposal_answer(
            actor=request.user, proposal=proposal, interested=interested, **form.cleaned_data
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _proposal_page(request, proposal, **{key: form, "status": 422})
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, getattr(error, "message", str(error)))
    return redirect("matching:proposal", proposal_id=proposal_id)


@login_required
@require_POST
def proposal_curate(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get(actor=request.user, proposal_id=proposal_id)
    form = CurateForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_curate(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("matching:board", slug=proposal.network.slug)


@login_required
@require_POST
def proposal_outcome(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get(actor=request.user, proposal_id=proposal_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, outcome_form=form, status=422)
    try:
        services.outcome_record(actor=request.user, proposal=proposal, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return _proposal_page(request, proposal, outcome_form=form, status=422)
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, getattr(error, "message", str(error)))
    return redirect("matching:proposal", proposal_id=proposal_id)


def _impact_filters(request: HttpRequest, network: Any) -> selectors.ImpactFilters:
    since = parse_date(request.GET.get("since", "") or "") if request.GET.get("since") else None
    until = parse_date(request.GET.get("until", "") or "") if request.GET.get("until") else None
    return selectors.ImpactFilters(network, since, until)


@login_required
def impact(request: HttpRequest, slug: str) -> HttpResponse:
    """Tonnes and CO2 of settled exchanges with the method and its shares."""
    network = _network_of(request, slug)
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
    network = _network_of(request, slug)
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
