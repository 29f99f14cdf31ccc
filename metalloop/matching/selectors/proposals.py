"""Reads of the matching app: proposals, the inbox, answers by reason, saved searches and
the people to notify, scoped to the actor."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils.translation import gettext as _

from metalloop.accounts.models import User
from metalloop.accounts.permissions import is_admin
from metalloop.exchange.models import Listing
from metalloop.matching.models import (
    MatchingRun,
    Outcome,
    Proposal,
    ProposalParty,
    ProposalStatus,
    SavedSearch,
)
from metalloop.matching.permissions import can_run_matching, proposals_visible_q
from metalloop.network.models import Network
from metalloop.network.permissions import managed_network_ids


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
