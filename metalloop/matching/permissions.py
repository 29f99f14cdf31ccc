"""Who runs matching, who sees which proposal, who answers for whom, and what consent reveals.

Facilitators run matching for their networks, see and curate every proposal there, and
release them. A member sees the released proposals its organisation is a party to; the
other parties stay anonymous where their listing is, until every party has said it is
interested (the proposal is then *introduced*): from then on the parties learn each other's
identity. The consent checker registered with the exchange implements exactly that.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from metalloop.accounts.permissions import is_admin, is_authenticated
from metalloop.exchange.models import Listing, Processor
from metalloop.matching.models import Proposal, ProposalStatus
from metalloop.network.models import Network
from metalloop.network.permissions import managed_network_ids

REVEALED = (ProposalStatus.INTRODUCED, ProposalStatus.SETTLED, ProposalStatus.FAILED)
"""Proposal statuses after mutual consent."""
SEEN_BY_PARTIES = (ProposalStatus.RELEASED, ProposalStatus.DECLINED, *REVEALED)


def _managed(actor: Any) -> set[int]:
    """The networks the actor facilitates, looked up once per user object (one request)."""
    cached = getattr(actor, "_matching_managed_ids", None)
    if cached is None:
        cached = managed_network_ids(actor)
        if actor is not None and is_authenticated(actor):
            actor._matching_managed_ids = cached
    return cached


def can_run_matching(*, actor: Any, network: Network) -> bool:
    """Admins, and facilitators of the network."""
    return is_admin(actor) or network.pk in _managed(actor)


def can_curate_proposal(*, actor: Any, proposal: Proposal) -> bool:
    return can_run_matching(actor=actor, network=proposal.network)


def proposals_visible_q(*, actor: Any) -> Q:
    """Facilitators: all of their networks; members: released ones they are party to."""
    if not is_authenticated(actor):
        return Q(pk__in=[])
    if is_admin(actor):
        return Q()
    facilitated = Q(network_id__in=_managed(actor))
    if actor.organisation_id is None:
        return facilitated
    party = Q(parties__organisation_id=actor.organisation_id, status__in=SEEN_BY_PARTIES)
    return facilitated | party


def is_party(*, actor: Any, proposal: Proposal) -> bool:
    """Whether the actor's organisation takes part (uses prefetched parties)."""
    if not is_authenticated(actor) or actor.organisation_id is None:
        return False
    return any(p.organisation_id == actor.organisation_id for p in proposal.parties.all())


def can_answer(*, actor: Any, proposal: Proposal) -> bool:
    """A party's users answer for their organisation while the proposal is released."""
    return proposal.status == ProposalStatus.RELEASED and is_party(actor=actor, proposal=proposal)


def can_record_outcome(*, actor: Any, proposal: Proposal) -> bool:
    """After the introduction: the parties and the facilitators."""
    if proposal.status != ProposalStatus.INTRODUCED:
        return False
    return is_party(actor=actor, proposal=proposal) or can_curate_proposal(
        actor=actor, proposal=proposal
    )


def identities_revealed(*, actor: Any, proposal: Proposal) -> bool:
    """Whether the actor may see who the other parties are."""
    if can_curate_proposal(actor=actor, proposal=proposal):
        return True
    return proposal.status in REVEALED and is_party(actor=actor, proposal=proposal)


def consented_listing_ids(*, actor: Any) -> QuerySet[Any]:
    """Listings whose owner the actor learnt through an introduction (consent checker)."""
    if not is_authenticated(actor) or actor.organisation_id is None:
        return Listing.objects.none().values("pk")
    introduced = Proposal.objects.filter(
        status__in=REVEALED, parties__organisation_id=actor.organisation_id
    )
    return Listing.objects.filter(
        Q(proposals_as_demand__in=introduced) | Q(proposals_as_offer__proposal__in=introduced)
    ).values("pk")


def consented_processor_ids(*, actor: Any) -> QuerySet[Any]:
    if not is_authenticated(actor) or actor.organisation_id is None:
        return Processor.objects.none().values("pk")
    introduced = Proposal.objects.filter(
        status__in=REVEALED, parties__organisation_id=actor.organisation_id
    )
    return Processor.objects.filter(proposals__in=introduced).values("pk")
