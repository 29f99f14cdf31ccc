"""Reads of the matching app, scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from metalloop.accounts.models import User
from metalloop.accounts.permissions import is_admin
from metalloop.core.geo import Coordinates
from metalloop.core.matching.index import Candidate, ListingIndex
from metalloop.core.matching.listings import Demand, Offer, horizon
from metalloop.exchange.adapters import Position, published_position
from metalloop.exchange.models import Listing, ListingStatus, Processor, ProcessorStatus
from metalloop.exchange.permissions import can_edit_listing
from metalloop.exchange.selectors import (
    ListingFilters,
    listing_list,
    network_crowds,
    revealed_listing_ids,
)
from metalloop.matching import adapters
from metalloop.matching.models import (
    MatchingRun,
    NetworkMatching,
    Outcome,
    Proposal,
    ProposalInput,
    ProposalParty,
    ProposalStatus,
    SavedSearch,
)
from metalloop.matching.permissions import can_run_matching, proposals_visible_q
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


def _proposal_queryset() -> QuerySet[Proposal]:
    offers = Listing.objects.select_related("organisation", "site").prefetch_related("grades")
    return Proposal.objects.select_related(
        "network",
        "run",
        "demand__organisation",
        "demand__site",
        "processor__organisation",
        "processor__site",
        "outcome",
    ).prefetch_related(
        "demand__grades",
        Prefetch("inputs__offer", queryset=offers),
        Prefetch("parties", queryset=ProposalParty.objects.select_related("organisation")),
    )


def proposal_list(
    *, actor: Any, network: Network | None = None, status: str = "", run: MatchingRun | None = None
) -> QuerySet[Proposal]:
    """Proposals the actor may see: those it curates best first, the others newest first.

    A proposal's score is worked out from exact sites, so only its curators may see the
    order it gives; a party's list follows the release (see docs/architecture.md).
    """
    proposals = _proposal_queryset().filter(proposals_visible_q(actor=actor)).distinct()
    if network is not None:
        proposals = proposals.filter(network=network)
    if run is not None:
        proposals = proposals.filter(run=run)
    if status:
        proposals = proposals.filter(status=status)
    if is_admin(actor):
        rank: Any = F("score")
    else:
        curated = Q(network_id__in=managed_network_ids(actor))
        rank = Case(When(curated, then=F("score")), default=Value(None), output_field=FloatField())
    return proposals.annotate(curator_rank=rank).order_by(
        F("curator_rank").desc(nulls_last=True),
        F("released_at").desc(nulls_last=True),
        "-pk",
    )


def inbox_list(*, actor: Any) -> QuerySet[Proposal]:
    """Proposals released to the actor's organisation (and their later states), best first."""
    return proposal_list(actor=actor).filter(
        status__in=[
            ProposalStatus.RELEASED,
            ProposalStatus.DECLINED,
            ProposalStatus.INTRODUCED,
            ProposalStatus.SETTLED,
            ProposalStatus.FAILED,
        ]
    )


def proposal_get(*, actor: Any, proposal_id: int) -> Proposal:
    proposal = proposal_list(actor=actor).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404(_("No such proposal."))
    return proposal


def proposals_of_listing(*, actor: Any, listing: Listing) -> QuerySet[Proposal]:
    """Visible proposals in which a listing takes part (as demand or as offer)."""
    return proposal_list(actor=actor).filter(
        pk__in=Proposal.objects.filter(demand=listing)
        .values("pk")
        .union(Proposal.objects.filter(inputs__offer=listing).values("pk"))
    )


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


def acceptance_by_reason(*, actor: Any, network: Network) -> dict[str, Any]:
    """Answers of the parties in a network: interested, declined by reason, pending."""
    if not can_run_matching(actor=actor, network=network):
        raise Http404(_("No such network."))
    parties = ProposalParty.objects.filter(proposal__network=network)
    by_response = dict(parties.values_list("response").annotate(n=Count("pk")))
    reasons = parties.filter(response="declined").values("reason").annotate(n=Count("pk"))
    failed = Outcome.objects.filter(proposal__network=network, result="failed")
    failed_reasons = failed.values("reason").annotate(n=Count("pk"))
    return {
        "responses": by_response,
        "declined_by_reason": {r["reason"]: r["n"] for r in reasons},
        "failed_by_reason": {r["reason"]: r["n"] for r in failed_reasons},
        "settled": Proposal.objects.filter(network=network, status=ProposalStatus.SETTLED).count(),
    }


def saved_search_list(*, actor: Any) -> QuerySet[SavedSearch]:
    if not getattr(actor, "is_authenticated", False):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=actor).select_related("network")


def saved_search_get(*, actor: Any, search_id: int) -> SavedSearch:
    found = saved_search_list(actor=actor).filter(pk=search_id).first()
    if found is None:
        raise Http404(_("No such saved search."))
    return found


def users_of(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(organisation_id=organisation_id, is_active=True)


def facilitators_of(network: Network) -> QuerySet[User]:
    return network.facilitators.filter(is_active=True)


@dataclass(frozen=True)
class ImpactFilters:
    """Which settled exchanges to count: a network, a period of deal dates, optionally one
    organisation (as supplier, processor or receiver)."""

    network: Network
    since: Any = None
    until: Any = None
    organisation_id: int | None = None


def deals(*, actor: Any, filters: ImpactFilters) -> QuerySet[Outcome]:
    """Settled exchanges the actor may count: a facilitator all of the network's, a member
    only those of its own organisation."""
    found = Outcome.objects.filter(result="deal", proposal__network=filters.network).select_related(
        "proposal__demand", "proposal__network"
    )
    if filters.since:
        found = found.filter(settled_on__gte=filters.since)
    if filters.until:
        found = found.filter(settled_on__lte=filters.until)
    organisation = filters.organisation_id
    if not can_run_matching(actor=actor, network=filters.network):
        organisation = getattr(actor, "organisation_id", None)
        if organisation is None:
            return found.none()
    if organisation is not None:
        found = found.filter(proposal__parties__organisation_id=organisation).distinct()
    return found.order_by("settled_on", "pk")


def impact_summary(*, actor: Any, filters: ImpactFilters) -> dict[str, Any]:
    """Tonnes and CO2 of settled exchanges, in total, per month and per material; each deal
    counted once however many parties it has."""
    rows = list(deals(actor=actor, filters=filters))
    months: dict[str, dict[str, float]] = {}
    materials: dict[str, dict[str, float]] = {}
    total = {
        "deals": 0,
        "tonnes": 0.0,
        "gross": 0.0,
        "net": 0.0,
        "attributed": 0.0,
        "tonnes_without_factor": 0.0,
        "unconfirmed_deals": 0,
    }
    for outcome in rows:
        impact = outcome.impact or {}
        tonnes = float(outcome.tonnes or 0)
        total["deals"] += 1
        total["tonnes"] += tonnes
        if impact.get("known"):
            for key in ("gross", "net", "attributed"):
                total[key] += float(impact.get(key, 0.0))
        else:
            total["tonnes_without_factor"] += tonnes
        total["unconfirmed_deals"] += 1 if impact.get("unconfirmed") else 0
        month = outcome.settled_on.strftime("%Y-%m") if outcome.settled_on else "?"
        for bucket, key in ((months, month), (materials, impact.get("material", "?"))):
            entry = bucket.setdefault(key, {"tonnes": 0.0, "net": 0.0})
            entry["tonnes"] += tonnes
            entry["net"] += float(impact.get("net", 0.0)) if impact.get("known") else 0.0
    return {
        "total": total,
        "by_month": dict(sorted(months.items())),
        "by_material": dict(sorted(materials.items(), key=lambda kv: -kv[1]["tonnes"])),
        "by_organisation": _by_organisation(actor, filters.network, rows),
        "deals": rows,
    }


def _by_organisation(
    actor: Any, network: Network, rows: list[Outcome]
) -> dict[str, dict[str, float]]:
    """Per organisation taking part (supplier, processor or receiver): its deals, tonnes and
    net CO2. Facilitators only; an organisation's figures overlap with its partners', so
    these rows are not to be added up."""
    if not can_run_matching(actor=actor, network=network) or not rows:
        return {}
    parties = ProposalParty.objects.filter(proposal__outcome__in=rows).select_related(
        "organisation", "proposal__outcome"
    )
    found: dict[str, dict[str, float]] = {}
    for party in parties:
        outcome = party.proposal.outcome
        impact = outcome.impact or {}
        entry = found.setdefault(party.organisation.name, {"deals": 0, "tonnes": 0.0, "net": 0.0})
        entry["deals"] += 1
        entry["tonnes"] += float(outcome.tonnes or 0)
        entry["net"] += float(impact.get("net", 0.0)) if impact.get("known") else 0.0
    return dict(sorted(found.items(), key=lambda kv: (-kv[1]["tonnes"], kv[0])))


@dataclass(frozen=True)
class ListingCandidate:
    """A listing that fits another, with what its owner may be shown: the score (0–100),
    the great-circle distance [km] the figures are worked out from (to the site, or to the
    centre of the cell shown), the nearest and farthest distance [km] (equal for a site),
    the height and width of the cell [km] (None for a site), the chemistry verdict and the
    net CO2 per tonne [t CO2e/t]."""

    listing: Listing
    score: float
    great_circle_km: float
    nearest_km: float
    farthest_km: float
    cell_km: tuple[int, int] | None
    verdict: str
    co2_per_tonne: float | None


def listing_candidates(*, actor: Any, listing: Listing, limit: int = 10) -> list[ListingCandidate]:
    """The best partners for a listing among the listings the actor may see (for the
    listing's owner and the facilitators), without running the allocation.

    A partner whose owner the actor may not learn is judged by the cell the actor is shown
    instead of its site (see ``exchange.adapters.published_position``): its distance limit
    by the cell's nearest point, its figures at the cell's centre, and under a name of its
    own; one shown nowhere is left out.
    """

    if not can_edit_listing(actor=actor, listing=listing):
        return []
    period = horizon(timezone.localdate(), matching_settings(listing.network).horizon_months)
    assert period.end is not None
    visible = [
        other
        for other in listing_list(actor=actor, filters=ListingFilters(network=listing.network.slug))
        if other.pk != listing.pk and other.side != listing.side
    ]
    revealed = revealed_listing_ids(actor=actor, listings=[o.pk for o in visible])
    crowds = network_crowds([listing.network_id])[listing.network_id]
    viewer = getattr(actor, "organisation_id", None)
    positions = {
        o.pk: published_position(
            o.site.latitude,
            o.site.longitude,
            owner=o.organisation_id,
            viewer=viewer,
            revealed=o.pk in revealed,
            crowds=crowds,
        )
        for o in visible
    }
    others = [o for o in visible if positions[o.pk].point is not None]
    parties, outcomes = feedback_records(listing.network)
    feedback = adapters.feedback_of(parties, outcomes)
    method = adapters.impact_method(matching_settings(listing.network))
    by_key = {str(o.pk): o for o in others}

    def seen[T: (Offer, Demand)](item: T, other: Listing) -> T:
        return adapters.as_seen(item, positions[other.pk], revealed=other.pk in revealed)

    if listing.side == "offer":
        index = ListingIndex(
            [],
            [seen(adapters.demand_of(o, period.end), o) for o in others],
            period=period,
            method=method,
            ancestors=adapters.ancestors(),
            feedback=feedback,
        )
        found = index.demands_for(adapters.offer_of(listing, period.end), limit)
    else:
        index = ListingIndex(
            [seen(adapters.offer_of(o, period.end), o) for o in others],
            [],
            period=period,
            method=method,
            ancestors=adapters.ancestors(),
            feedback=feedback,
        )
        found = index.offers_for(adapters.demand_of(listing, period.end), limit)
    origin = Coordinates(listing.site.latitude, listing.site.longitude)
    return [_candidate(by_key[c.key], c, positions[int(c.key)], origin) for c in found]


def _candidate(
    listing: Listing, found: Candidate, at: Position, origin: Coordinates
) -> ListingCandidate:
    nearest, farthest = at.nearest_km(origin), at.farthest_km(origin)
    assert nearest is not None
    assert farthest is not None
    return ListingCandidate(
        listing=listing,
        score=found.score,
        great_circle_km=found.great_circle_km,
        nearest_km=nearest,
        farthest_km=farthest,
        cell_km=at.cell.size_km if at.cell else None,
        verdict=found.verdict,
        co2_per_tonne=found.co2_per_tonne,
    )


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
