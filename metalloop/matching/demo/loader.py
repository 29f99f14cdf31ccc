"""Run matching over the demo listings and give the network a history.

Every organisation with listings gets a contact user without a password (so introductions
name a contact; the person can set a password by the e-mailed link). Then, per network with
listings, the demo facilitator (or the admin) runs matching, reviews (keeps) the proposals and
releases them together, and a fixed pattern of answers follows: some proposals are introduced
and settled or failed, some declined with a reason, the rest left open, so that the board, the
inbox, the impact dashboard and the effect of feedback can be seen at once. All through the
services, inside the demo's transaction; the pattern is deterministic.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from metalloop.accounts.models import Organisation, User
from metalloop.accounts.services import notifications_without_email, user_create
from metalloop.matching.models import Proposal, ProposalStatus, Reason
from metalloop.matching.permissions import can_run_matching
from metalloop.matching.services import (
    outcome_record,
    proposal_answer,
    proposal_curate,
    proposals_release,
    run_start,
)
from metalloop.network.models import Network

PATTERN = ("deal", "open", "decline", "deal", "introduce", "open", "failed", "decline", "open")
"""What happens to the n-th released proposal (by score), cyclically."""
DECLINE_REASONS = (Reason.QUALITY, Reason.DISTANCE, Reason.PRICE, Reason.QUANTITY, Reason.LEGAL)
ORIGIN = "demo"
KEPT_OPEN_FOR = "rheinhafen-schrott"
"""The demo member's organisation: its proposals stay open, for the member to answer."""


def _contacts() -> int:
    made = 0
    with_listings = Organisation.objects.filter(listings__isnull=False).distinct()
    for organisation in with_listings.filter(users__isnull=True):
        user_create(
            actor=None,
            email=f"kontakt@{organisation.slug}.demo.metalloop.example",
            password=None,
            organisation=organisation,
            full_name=f"Kontakt {organisation.name}"[:150],
            origin="demo",
        )
        made += 1
    return made


def _runner(network: Network) -> User | None:
    for user in User.objects.filter(role__in=["facilitator", "admin"]).order_by("role", "pk"):
        if can_run_matching(actor=user, network=network):
            return user
    return None


def _contact(organisation_id: int) -> User:
    return User.objects.filter(organisation_id=organisation_id).order_by("pk").first()  # type: ignore[return-value]


def _play(proposal: Proposal, step: str, n: int, runner: User) -> str:
    parties = list(proposal.parties.all())
    if step == "open" or any(p.organisation.slug == KEPT_OPEN_FOR for p in parties):
        return "open"
    if step == "decline":
        receiver = next(p for p in parties if p.role == "receiver")
        proposal_answer(
            actor=_contact(receiver.organisation_id),
            proposal=proposal,
            interested=False,
            reason=DECLINE_REASONS[n % len(DECLINE_REASONS)],
            origin=ORIGIN,
        )
        return "declined"
    for party in parties:
        proposal_answer(
            actor=_contact(party.organisation_id), proposal=proposal, interested=True, origin=ORIGIN
        )
    proposal.refresh_from_db()
    if step == "deal":
        outcome_record(
            actor=runner,
            proposal=proposal,
            result="deal",
            tonnes=(proposal.tonnes * Decimal("0.8")).quantize(Decimal("0.001")),
            settled_on=timezone.localdate() - dt.timedelta(days=(n * 17) % 300),
            origin=ORIGIN,
        )
        return "settled"
    if step == "failed":
        outcome_record(
            actor=runner, proposal=proposal, result="failed", reason=Reason.TIMING, origin=ORIGIN
        )
        return "failed"
    return "introduced"


def load() -> dict[str, int]:
    """Run, release and answer (notifications in the platform only); return what happened."""
    with notifications_without_email():
        return _load()


def _load() -> dict[str, int]:
    counts: Counter[str] = Counter()
    counts["contact users"] = _contacts()
    networks = Network.objects.filter(listings__isnull=False).distinct().order_by("pk")
    for network in networks:
        runner = _runner(network)
        if runner is None:
            continue
        run = run_start(actor=runner, network=network, origin=ORIGIN)
        counts["matching runs"] += 1
        proposals = list(
            run.proposals.filter(status=ProposalStatus.PROPOSED).order_by("-score", "pk")
        )
        if not proposals:
            continue
        for proposal in proposals:
            proposal_curate(actor=runner, proposal=proposal, keep=True, origin=ORIGIN)
        released = proposals_release(actor=runner, proposals=proposals, origin=ORIGIN).proposals
        counts["proposals"] += len(released)
        for n, proposal in enumerate(released):
            counts[_play(proposal, PATTERN[n % len(PATTERN)], n, runner)] += 1
    return dict(counts)
