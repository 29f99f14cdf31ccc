"""Reads of the matching app: a network's settings, runs, the inputs and feedback of a run,
and what earlier proposals already commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Prefetch,
    QuerySet,
    Sum,
)
from django.http import Http404
from django.utils.translation import gettext as _

from metalloop.exchange.models import Listing, ListingStatus, Processor, ProcessorStatus
from metalloop.matching.models import (
    MatchingRun,
    NetworkMatching,
    Outcome,
    Proposal,
    ProposalInput,
    ProposalParty,
    ProposalStatus,
)
from metalloop.network.models import Network
from metalloop.network.permissions import managed_network_ids


def matching_settings(network: Network) -> NetworkMatching:
    """The network's matching settings (the defaults until a facilitator changes them)."""
    found = NetworkMatching.objects.filter(network=network).first()
    return found or NetworkMatching(network=network)


def run_list(*, actor: Any, network: Network | None = None) -> QuerySet[MatchingRun]:
    """Runs of the networks the actor facilitates."""
    runs = MatchingRun.objects.select_related("network", "started_by")
    if not getattr(actor, "is_authenticated", False):
        return runs.none()
    if getattr(actor, "role", "") != "admin":
        runs = runs.filter(network_id__in=managed_network_ids(actor))
    return runs.filter(network=network) if network else runs


def run_get(*, actor: Any, run_id: int) -> MatchingRun:
    run = run_list(actor=actor).filter(pk=run_id).first()
    if run is None:
        raise Http404(_("No such matching run."))
    return run


def matching_inputs(network: Network) -> tuple[QuerySet[Listing], QuerySet[Processor]]:
    """Everything a run matches: the network's active listings and processors (no actor:
    the engine sees all; what people see of its results is scoped separately)."""
    listings = (
        Listing.objects.filter(network=network, status=ListingStatus.ACTIVE)
        .select_related("site")
        .prefetch_related("grades", "elements", "attachments")
    )
    processors = (
        Processor.objects.filter(network=network, status=ProcessorStatus.ACTIVE)
        .select_related("site")
        .prefetch_related("inputs", "outputs")
    )
    return listings, processors


def feedback_records(network: Network) -> tuple[QuerySet[ProposalParty], QuerySet[Outcome]]:
    """Answers and outcomes of the network, for the scores to learn from."""
    offers = Prefetch(
        "proposal__inputs__offer", queryset=Listing.objects.only("material", "organisation_id")
    )
    parties = (
        ProposalParty.objects.filter(proposal__network=network)
        .select_related("proposal__demand")
        .prefetch_related(offers)
    )
    outcomes = (
        Outcome.objects.filter(proposal__network=network)
        .select_related("proposal__demand")
        .prefetch_related(offers)
    )
    return parties, outcomes


@dataclass(frozen=True)
class Commitments:
    """What earlier runs promised: tonnes per offer and per demand in proposals that are
    released, introduced or settled, and the direct pairs that were declined or failed."""

    offered: dict[int, float]
    wanted: dict[int, float]
    excluded: frozenset[tuple[str, str]]


def commitments(network: Network) -> Commitments:

    open_statuses = [ProposalStatus.RELEASED, ProposalStatus.INTRODUCED, ProposalStatus.SETTLED]
    offered = dict(
        ProposalInput.objects.filter(proposal__network=network, proposal__status__in=open_statuses)
        .values_list("offer_id")
        .annotate(t=Sum("tonnes"))
    )
    wanted = dict(
        Proposal.objects.filter(network=network, status__in=open_statuses)
        .values_list("demand_id")
        .annotate(t=Sum("tonnes"))
    )
    closed = ProposalInput.objects.filter(
        proposal__network=network,
        proposal__kind="direct",
        proposal__status__in=[ProposalStatus.DECLINED, ProposalStatus.FAILED],
    ).values_list("offer_id", "proposal__demand_id")
    return Commitments(
        {k: float(v) for k, v in offered.items()},
        {k: float(v) for k, v in wanted.items()},
        frozenset((str(o), str(d)) for o, d in closed),
    )
