"""The member's inbox and a proposal's page: answers, curation, release, outcomes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metalloop.common.errors import ApplicationError
from metalloop.common.forms import add_service_errors
from metalloop.exchange.selectors import exchange_networks
from metalloop.matching import labels, presenters, selectors, services
from metalloop.matching.forms import (
    CurateForm,
    DeclineForm,
    InterestForm,
    OutcomeForm,
)
from metalloop.matching.permissions import can_run_matching


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
            "curate_form": forms.get("curate_form")
            or CurateForm(initial={"keep": view["status"] == "proposed", "note": view["note"]}),
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
    if not form.is_valid():
        return _proposal_page(request, proposal, curate_form=form, status=422)
    try:
        services.proposal_curate(actor=request.user, proposal=proposal, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return _proposal_page(request, proposal, curate_form=form, status=422)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Review saved."))
    return _back(request, proposal)


@login_required
@require_POST
def proposal_release(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Release one kept proposal to its parties (from its page or its row on the board)."""
    proposal = selectors.proposal_get(actor=request.user, proposal_id=proposal_id)
    try:
        released = services.proposal_release(actor=request.user, proposal=proposal, origin="web")
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, labels.released(len(released.proposals), released.organisations))
    return _back(request, proposal)


def _back(request: HttpRequest, proposal: Any) -> HttpResponse:
    """To the page the form was sent from (``next``), else to the board."""
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
