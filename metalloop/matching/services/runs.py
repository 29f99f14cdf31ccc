"""Matching runs: collect a network's listings, run the engine, store the proposals."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metalloop.common.audit import audit_record
from metalloop.common.errors import ApplicationError
from metalloop.common.models import AuditAction
from metalloop.core.matching.engine import MatchingProblem, MatchResult, match
from metalloop.core.matching.explain import explain
from metalloop.core.matching.listings import MatchingInputError, TimeWindow, horizon
from metalloop.core.matching.scoring import Objective as CoreObjective
from metalloop.exchange.models import Listing, Side
from metalloop.matching import adapters
from metalloop.matching.errors import ErrorCode
from metalloop.matching.models import (
    OPEN_STATUSES,
    MatchingRun,
    Objective,
    Proposal,
    ProposalInput,
    ProposalStatus,
    RunStatus,
)
from metalloop.matching.permissions import can_run_matching
from metalloop.matching.selectors import (
    Commitments,
    commitments,
    feedback_records,
    matching_inputs,
    matching_settings,
)
from metalloop.network.models import Network

Progress = Callable[[str, float], None]


def run_start(
    *,
    actor: Any,
    network: Network,
    objective: str = "",
    horizon_start: dt.date | None = None,
    horizon_months: int | None = None,
    progress: Progress | None = None,
    origin: str = "",
) -> MatchingRun:
    """Run matching for a network and store its proposals (replacing unreleased ones)."""
    if not can_run_matching(actor=actor, network=network):
        raise PermissionDenied(_("Only the network's facilitators run matching."))
    settings = matching_settings(network)
    chosen = objective or settings.objective
    if chosen not in Objective.values:
        raise ValidationError(
            {"objective": _("Choose co2, tonnes or score.")}, code=ErrorCode.RUN_INVALID
        )
    months = horizon_months or settings.horizon_months
    if not 1 <= months <= 36:
        raise ValidationError(
            {"horizon_months": _("The horizon must lie between 1 and 36 months.")},
            code=ErrorCode.RUN_INVALID,
        )
    # Not one transaction: the run is recorded first, so that its progress can be read while it
    # works and a failure stays on record; the proposals are stored in one transaction.
    run = MatchingRun.objects.create(
        network=network,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
        objective=chosen,
        horizon_start=horizon_start or timezone.localdate(),
        horizon_months=months,
    )
    try:
        _execute(
            run, settings_method=adapters.impact_method(settings), progress=progress, origin=origin
        )
    except (MatchingInputError, ValueError) as error:
        _fail(run, str(error))
        raise ApplicationError(
            _("The matching run failed: %(error)s") % {"error": error}, code=ErrorCode.RUN_FAILED
        ) from error
    except Exception as error:
        _fail(run, f"{type(error).__name__}: {error}")
        raise
    return run


def _fail(run: MatchingRun, message: str) -> None:
    MatchingRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error=message[:2000], finished_at=timezone.now()
    )
    run.refresh_from_db()


def _reporter(run: MatchingRun, progress: Progress | None) -> Progress:
    def report(step: str, share: float) -> None:
        MatchingRun.objects.filter(pk=run.pk).update(step=step, progress=min(max(share, 0), 1))
        if progress is not None:
            progress(step, share)

    return report


def _execute(
    run: MatchingRun, *, settings_method: Any, progress: Progress | None, origin: str
) -> None:
    started = time.perf_counter()
    report = _reporter(run, progress)
    report("loading", 0.02)
    period = horizon(run.horizon_start, run.horizon_months)
    listings, processors = matching_inputs(run.network)
    promised = commitments(run.network)
    offers, demands, by_key = _core_listings(listings, period, promised)
    core_processors = {}
    for processor in processors:
        converted = adapters.processor_of(processor, period)
        if converted is not None:
            core_processors[converted.key] = (converted, processor)
    parties, outcomes = feedback_records(run.network)
    problem = MatchingProblem(
        offers=[o for o, _ in offers.values()],
        demands=[d for d, _ in demands.values()],
        processors=[p for p, _ in core_processors.values()],
        period=period,
        method=settings_method,
        ancestors=adapters.ancestors(),
        objective=CoreObjective(run.objective),
        feedback=adapters.feedback_of(parties, outcomes),
        excluded=promised.excluded,
    )
    result = match(problem, lambda step, share: report(step, 0.05 + 0.85 * share))
    report("saving", 0.95)
    _store(run, problem, result, by_key, core_processors, time.perf_counter() - started, origin)
    report("done", 1.0)


def _core_listings(
    listings: Any, period: TimeWindow, promised: Commitments
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Listing]]:
    offers, demands, by_key = {}, {}, {}
    assert period.end is not None
    for listing in listings:
        if listing.available_until is not None and listing.available_until < period.start:
            continue
        by_key[str(listing.pk)] = listing
        if listing.side == Side.OFFER:
            committed = promised.offered.get(listing.pk, 0.0)
            offers[str(listing.pk)] = (adapters.offer_of(listing, period.end, committed), listing)
        else:
            committed = promised.wanted.get(listing.pk, 0.0)
            demands[str(listing.pk)] = (adapters.demand_of(listing, period.end, committed), listing)
    return offers, demands, by_key


@transaction.atomic
def _store(
    run: MatchingRun,
    problem: MatchingProblem,
    result: MatchResult,
    by_key: dict[str, Listing],
    processors: dict[str, Any],
    seconds: float,
    origin: str,
) -> None:
    Proposal.objects.filter(network=run.network, status__in=OPEN_STATUSES).exclude(run=run).update(
        status=ProposalStatus.SUPERSEDED
    )
    offers = {o.key: o for o in problem.offers}
    demands = {d.key: d for d in problem.demands}
    core_processors = {key: p for key, (p, _) in processors.items()}
    tonnes = co2 = 0.0
    for proposal in result.proposals:
        explanation = explain(
            proposal,
            offers=offers,
            demands=demands,
            processors=core_processors,
            method=problem.method,
            ancestors=problem.ancestors,
            period=problem.period,
        )
        record = Proposal.objects.create(
            run=run,
            network=run.network,
            kind=str(proposal.kind),
            demand=by_key[proposal.demand],
            processor=processors[proposal.processor][1] if proposal.processor else None,
            tonnes=Decimal(f"{proposal.tonnes:.3f}"),
            great_circle_km=proposal.great_circle_km,
            mode=proposal.mode,
            co2_t=proposal.co2,
            score=max(0.0, min(100.0, proposal.score)),
            verdict=proposal.verdict,
            dilution=proposal.dilution,
            explanation=explanation.as_dict(),
        )
        ProposalInput.objects.bulk_create(
            ProposalInput(
                proposal=record,
                offer=by_key[c.offer],
                tonnes=Decimal(f"{c.tonnes:.3f}"),
                great_circle_km=c.great_circle_km,
                mode=c.mode,
            )
            for c in proposal.inputs
            if c.tonnes >= 0.0005
        )
        tonnes += proposal.tonnes
        co2 += proposal.co2 or 0.0
    run.summary = {
        "offers": len(problem.offers),
        "demands": len(problem.demands),
        "processors": len(problem.processors),
        "candidates": result.candidates,
        "components": result.components,
        "proposals": len(result.proposals),
        "by_kind": {
            kind: sum(1 for p in result.proposals if p.kind == kind)
            for kind in ("direct", "chain", "aggregation")
        },
        "tonnes": round(tonnes, 3),
        "co2_t": round(co2, 3),
        "objective": result.objective,
        "repair_rounds": result.repair_rounds,
        "dropped_for_lot": result.dropped_for_lot,
        "solver_status": str(result.status),
        "seconds": round(seconds, 3),
    }
    run.status = RunStatus.DONE if result.status != "failed" else RunStatus.FAILED
    run.error = result.detail
    run.finished_at = timezone.now()
    run.progress = 1.0
    run.save()
    audit_record(
        actor=run.started_by,
        action=AuditAction.CREATE,
        instance=run,
        changes={"proposals": [None, len(result.proposals)]},
        network_ids=[run.network_id],
        origin=origin,
    )
