"""The facilitator's board: run matching, review, release, the network's settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metalloop.common.errors import ApplicationError
from metalloop.matching import labels, presenters, selectors, services
from metalloop.matching.forms import (
    RunForm,
    SettingsForm,
)
from metalloop.matching.permissions import can_run_matching
from metalloop.matching.views._common import network_or_404


def _facilitated(request: HttpRequest, slug: str) -> Any:
    """The network the actor facilitates, else 404 (also for a network it is no member of)."""
    network = network_or_404(request, slug)
    if not can_run_matching(actor=request.user, network=network):
        raise Http404(_("No such network."))
    return network


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """The facilitator's matching board: run, review, choose and release, see outcomes."""
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
    """Release the chosen reviewed proposals together: first a page that says how many
    proposals and organisations, then (``confirm``) the release."""
    network = _facilitated(request, slug)
    chosen = _chosen(request, network)
    if request.POST.get("confirm") != "yes":
        preview = services.release_preview(actor=request.user, proposals=chosen)
        context = {
            "network": network,
            "preview": preview,
            "rows": presenters.proposal_page_rows(actor=request.user, proposals=preview.releasable),
        }
        return render(request, "matching/release_confirm.html", context)
    try:
        released = services.proposals_release(actor=request.user, proposals=chosen, origin="web")
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, labels.released(len(released.proposals), released.organisations))
    return redirect("matching:board", slug=slug)


def _chosen(request: HttpRequest, network: Any) -> list[Any]:
    """The network's proposals ticked on the board, in the order shown."""
    ids = [int(v) for v in request.POST.getlist("proposal") if v.isdigit() and len(v) < 19]
    found = selectors.proposal_list(actor=request.user, network=network).filter(pk__in=ids)
    return list(found)


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
