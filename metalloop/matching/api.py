"""REST endpoints of matching: runs, proposals with the consent workflow, impact, searches."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from metalloop.accounts.auth import TokenAuth, actor_of
from metalloop.common.pagination import Page, PageIn, paginate
from metalloop.exchange.selectors import listing_get, network_by_slug
from metalloop.matching import presenters, selectors, services
from metalloop.matching.adapters import impact_method
from metalloop.matching.errors import ErrorCode
from metalloop.matching.schemas import (
    CandidateOut,
    CurateIn,
    DeclineIn,
    ImpactFilterIn,
    ImpactOut,
    InterestIn,
    OutcomeIn,
    ProposalFilterIn,
    ProposalOut,
    ProposalPage,
    ReleaseIn,
    ReleaseOut,
    RunOut,
    RunPage,
    RunStartIn,
    SavedSearchIn,
    SavedSearchOut,
)

router = Router(tags=["matching"], auth=[TokenAuth()])
PROBLEMS: dict[int, Any] = {401: dict, 403: dict, 404: dict, 409: dict, 422: dict}


def run_out(run: Any) -> dict[str, Any]:
    return {
        **{f: getattr(run, f) for f in RunOut.model_fields if f != "network"},
        "network": run.network.slug,
    }


@router.post(
    "/matching/runs", response={201: RunOut} | PROBLEMS, operation_id="matching_runs_start"
)
def runs_start(request: HttpRequest, payload: RunStartIn) -> Any:
    """Run matching for a network now (facilitators); answers with the finished run."""
    actor = actor_of(request)
    network = network_by_slug(actor=actor, slug=payload.network)
    run = services.run_start(
        actor=actor,
        network=network,
        objective=payload.objective,
        horizon_start=payload.horizon_start,
        horizon_months=payload.horizon_months,
        origin="api",
    )
    return Status(201, run_out(selectors.run_get(actor=actor, run_id=run.pk)))


@router.get("/matching/runs", response={200: RunPage} | PROBLEMS, operation_id="matching_runs_list")
def runs_list(request: HttpRequest, page: Query[PageIn]) -> Any:
    """The runs of the networks you facilitate, newest first."""
    found = paginate(selectors.run_list(actor=actor_of(request)), page)
    return {**found.__dict__, "items": [run_out(r) for r in found.items]}


@router.get(
    "/matching/runs/{run_id}", response={200: RunOut} | PROBLEMS, operation_id="matching_runs_get"
)
def runs_get(request: HttpRequest, run_id: int) -> Any:
    """Status, progress and summary of one run."""
    return run_out(selectors.run_get(actor=actor_of(request), run_id=run_id))


@router.post(
    "/matching/runs/{run_id}/release",
    response={200: ReleaseOut} | PROBLEMS,
    operation_id="matching_runs_release",
)
def runs_release(request: HttpRequest, run_id: int, payload: ReleaseIn) -> Any:
    """Release several reviewed proposals of a run at once; without confirm, only say what
    the release would do (how many proposals, how many organisations told)."""
    actor = actor_of(request)
    run = selectors.run_get(actor=actor, run_id=run_id)
    chosen = _chosen_of_run(actor, run, payload.proposals)
    preview = services.release_preview(actor=actor, proposals=chosen)
    if not payload.confirm:
        return _release_out(actor, preview.releasable, preview, confirmed=False)
    released = services.proposals_release(actor=actor, proposals=chosen, origin="api")
    return _release_out(actor, released.proposals, preview, confirmed=True)


def _chosen_of_run(actor: Any, run: Any, ids: list[int] | None) -> list[Any]:
    """The proposals of a run named by ``ids``, or its kept and reviewed ones; ids that are
    not the run's are refused."""
    found = selectors.proposal_list(actor=actor, run=run)
    if ids is None:
        return list(found.filter(status="proposed", reviewed_at__isnull=False))
    chosen = {p.pk: p for p in found.filter(pk__in=ids)}
    strangers = [i for i in dict.fromkeys(ids) if i not in chosen]
    if strangers:
        message = _("Not proposals of run #%(run)s: %(ids)s.") % {
            "run": run.pk,
            "ids": ", ".join(f"#{i}" for i in strangers),
        }
        raise ValidationError({"proposals": ValidationError(message, code=ErrorCode.NOT_OF_RUN)})
    return [chosen[i] for i in dict.fromkeys(ids)]


def _release_out(
    actor: Any, proposals: list[Any], preview: services.ReleasePreview, *, confirmed: bool
) -> dict[str, Any]:
    return {
        "confirmed": confirmed,
        "proposals": [p.pk for p in proposals],
        "organisations": preview.organisations,
        "unreviewed": [p.pk for p in preview.unreviewed],
        "not_kept": [p.pk for p in preview.not_kept],
        "released": [
            presenters.proposal_view(
                actor=actor, proposal=selectors.proposal_get(actor=actor, proposal_id=p.pk)
            )
            for p in proposals
        ]
        if confirmed
        else [],
    }


@router.get("/proposals", response={200: ProposalPage} | PROBLEMS, operation_id="proposals_list")
def proposals_list(
    request: HttpRequest, filters: Query[ProposalFilterIn], page: Query[PageIn]
) -> Any:
    """Your proposals: facilitators all of their networks', members those released to them."""
    actor = actor_of(request)
    network = network_by_slug(actor=actor, slug=filters.network) if filters.network else None
    run = selectors.run_get(actor=actor, run_id=filters.run) if filters.run else None
    found: Page = paginate(
        selectors.proposal_list(actor=actor, network=network, status=filters.status, run=run), page
    )
    return {**found.__dict__, "items": presenters.proposal_rows(actor=actor, proposals=found.items)}


@router.get(
    "/proposals/{proposal_id}", response={200: ProposalOut} | PROBLEMS, operation_id="proposals_get"
)
def proposals_get(request: HttpRequest, proposal_id: int) -> Any:
    """One proposal with its explanation (identities only after the introduction)."""
    actor = actor_of(request)
    return presenters.proposal_view(
        actor=actor, proposal=selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    )


@router.patch(
    "/proposals/{proposal_id}",
    response={200: ProposalOut} | PROBLEMS,
    operation_id="proposals_curate",
)
def proposals_curate(request: HttpRequest, proposal_id: int, payload: CurateIn) -> Any:
    """Keep or drop a proposal before its release (facilitators)."""
    actor = actor_of(request)
    proposal = selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    services.proposal_curate(
        actor=actor, proposal=proposal, keep=payload.keep, note=payload.note, origin="api"
    )
    return presenters.proposal_view(
        actor=actor, proposal=selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    )


@router.post(
    "/proposals/{proposal_id}/release",
    response={200: ProposalOut} | PROBLEMS,
    operation_id="proposals_release",
)
def proposals_release(request: HttpRequest, proposal_id: int) -> Any:
    """Release one kept proposal to its parties and tell them (facilitators)."""
    actor = actor_of(request)
    proposal = selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    services.proposal_release(actor=actor, proposal=proposal, origin="api")
    return presenters.proposal_view(
        actor=actor, proposal=selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    )


@router.post(
    "/proposals/{proposal_id}/interest",
    response={200: ProposalOut} | PROBLEMS,
    operation_id="proposals_interest",
)
def proposals_interest(request: HttpRequest, proposal_id: int, payload: InterestIn) -> Any:
    """Say your organisation is interested; when every party is, all are introduced."""
    actor = actor_of(request)
    proposal = selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    services.proposal_answer(
        actor=actor, proposal=proposal, interested=True, comment=payload.comment, origin="api"
    )
    return presenters.proposal_view(
        actor=actor, proposal=selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    )


@router.post(
    "/proposals/{proposal_id}/decline",
    response={200: ProposalOut} | PROBLEMS,
    operation_id="proposals_decline",
)
def proposals_decline(request: HttpRequest, proposal_id: int, payload: DeclineIn) -> Any:
    """Decline a proposal with a reason (it ranks similar proposals lower later)."""
    actor = actor_of(request)
    proposal = selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    services.proposal_answer(
        actor=actor,
        proposal=proposal,
        interested=False,
        reason=payload.reason,
        comment=payload.comment,
        origin="api",
    )
    return presenters.proposal_view(
        actor=actor, proposal=selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    )


@router.post(
    "/proposals/{proposal_id}/outcome",
    response={201: ProposalOut} | PROBLEMS,
    operation_id="proposals_outcome",
)
def proposals_outcome(request: HttpRequest, proposal_id: int, payload: OutcomeIn) -> Any:
    """Record the deal (tonnes, date) or why it failed, after the introduction."""
    actor = actor_of(request)
    proposal = selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    services.outcome_record(actor=actor, proposal=proposal, origin="api", **payload.dict())
    found = selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    return Status(201, presenters.proposal_view(actor=actor, proposal=found))


@router.get(
    "/matching/candidates/{listing_id}",
    response={200: list[CandidateOut]} | PROBLEMS,
    operation_id="matching_candidates",
)
def candidates(request: HttpRequest, listing_id: int, limit: int = 10) -> Any:
    """The best partners for your listing at present (owners and facilitators), best first."""
    actor = actor_of(request)
    listing = listing_get(actor=actor, listing_id=listing_id)
    found = selectors.listing_candidates(actor=actor, listing=listing, limit=min(max(limit, 1), 50))
    return presenters.candidate_rows(actor=actor, candidates=found)


@router.get("/impact", response={200: ImpactOut} | PROBLEMS, operation_id="impact_get")
def impact_get(request: HttpRequest, filters: Query[ImpactFilterIn]) -> Any:
    """Tonnes and CO2 of settled exchanges (facilitators: the network; members: their own)."""
    actor = actor_of(request)
    network = network_by_slug(actor=actor, slug=filters.network)
    summary = selectors.impact_summary(
        actor=actor,
        filters=selectors.ImpactFilters(
            network, filters.since, filters.until, filters.organisation
        ),
    )
    method = impact_method(selectors.matching_settings(network))
    return {
        "network": network.slug,
        "deadweight_share": method.deadweight,
        "attribution_share": method.attribution,
        "method": "docs/impact-method.md",
        "total": summary["total"],
        "by_month": summary["by_month"],
        "by_material": summary["by_material"],
        "by_organisation": summary["by_organisation"],
        "deals": [
            {
                "proposal": o.proposal_id,
                "settled_on": o.settled_on,
                "tonnes": float(o.tonnes or 0),
                "material": o.impact.get("material", ""),
                "net_t": o.co2_net_t,
                "known": bool(o.impact.get("known")),
            }
            for o in summary["deals"]
        ],
    }


@router.get(
    "/saved-searches",
    response={200: list[SavedSearchOut]} | PROBLEMS,
    operation_id="saved_searches_list",
)
def saved_searches_list(request: HttpRequest) -> Any:
    """Your saved searches."""
    return [_search_out(s) for s in selectors.saved_search_list(actor=actor_of(request))]


@router.post(
    "/saved-searches",
    response={201: SavedSearchOut} | PROBLEMS,
    operation_id="saved_searches_create",
)
def saved_searches_create(request: HttpRequest, payload: SavedSearchIn) -> Any:
    """Save a search; new listings that fit it are notified to you."""
    actor = actor_of(request)
    network = network_by_slug(actor=actor, slug=payload.network)
    search = services.saved_search_create(
        actor=actor,
        network=network,
        name=payload.name,
        filters=payload.filters,
        email=payload.email,
    )
    return Status(201, _search_out(search))


@router.delete(
    "/saved-searches/{search_id}",
    response={204: None} | PROBLEMS,
    operation_id="saved_searches_delete",
)
def saved_searches_delete(request: HttpRequest, search_id: int) -> Any:
    """Delete one of your saved searches."""
    actor = actor_of(request)
    services.saved_search_delete(
        actor=actor, search=selectors.saved_search_get(actor=actor, search_id=search_id)
    )
    return Status(204, None)


def _search_out(search: Any) -> dict[str, Any]:
    return {
        "id": search.pk,
        "network": search.network.slug,
        "name": search.name,
        "filters": search.filters,
        "email": search.email,
    }
