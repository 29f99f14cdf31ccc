"""Curation, release and the parties' answers; the introduction when all agree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from metalloop.accounts.models import User
from metalloop.accounts.services import notification_send
from metalloop.common.audit import audit_record
from metalloop.common.errors import ApplicationError
from metalloop.common.models import AuditAction
from metalloop.matching.errors import ErrorCode
from metalloop.matching.models import (
    PartyRole,
    Proposal,
    ProposalParty,
    ProposalStatus,
    Reason,
    Response,
)
from metalloop.matching.permissions import can_answer, can_curate_proposal
from metalloop.matching.selectors import facilitators_of, users_of


def _require_curator(actor: Any, proposal: Proposal) -> None:
    if not can_curate_proposal(actor=actor, proposal=proposal):
        raise PermissionDenied(_("Only the network's facilitators curate proposals."))


@transaction.atomic
def proposal_curate(
    *, actor: Any, proposal: Proposal, keep: bool, note: str = "", origin: str = ""
) -> Proposal:
    """Keep or drop a proposal before release, with an optional note."""
    _require_curator(actor, proposal)
    if proposal.status not in (ProposalStatus.PROPOSED, ProposalStatus.DROPPED):
        raise ApplicationError(
            _("Only proposals that have not been released can be curated."),
            code=ErrorCode.WRONG_STATE,
        )
    before = proposal.status
    proposal.status = ProposalStatus.PROPOSED if keep else ProposalStatus.DROPPED
    proposal.note = note.strip()
    proposal.full_clean()
    proposal.save(update_fields=["status", "note", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=proposal,
        changes={"status": [before, proposal.status]},
        network_ids=[proposal.network_id],
        origin=origin,
    )
    return proposal


def _parties_of(proposal: Proposal) -> list[tuple[int, str]]:
    parties: dict[int, str] = {}
    for item in proposal.inputs.select_related("offer"):
        parties.setdefault(item.offer.organisation_id, PartyRole.SUPPLIER)
    if proposal.processor_id is not None:
        parties.setdefault(proposal.processor.organisation_id, PartyRole.PROCESSOR)  # type: ignore[union-attr]
    parties[proposal.demand.organisation_id] = PartyRole.RECEIVER
    return list(parties.items())


@transaction.atomic
def proposals_release(
    *, actor: Any, proposals: Iterable[Proposal], origin: str = ""
) -> list[Proposal]:
    """Release kept proposals to their parties and tell them (without revealing anyone)."""
    released = []
    for proposal in proposals:
        _require_curator(actor, proposal)
        if proposal.status != ProposalStatus.PROPOSED:
            continue
        proposal.status = ProposalStatus.RELEASED
        proposal.released_at = timezone.now()
        proposal.save(update_fields=["status", "released_at", "updated_at"])
        for organisation_id, role in _parties_of(proposal):
            ProposalParty.objects.create(
                proposal=proposal, organisation_id=organisation_id, role=role
            )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=proposal,
            changes={"status": [ProposalStatus.PROPOSED, ProposalStatus.RELEASED]},
            network_ids=[proposal.network_id],
            origin=origin,
        )
        _notify_released(proposal)
        released.append(proposal)
    return released


def _party_users(proposal: Proposal) -> list[User]:
    return [u for party in proposal.parties.all() for u in users_of(party.organisation_id)]


def _notify_released(proposal: Proposal) -> None:
    def compose(user: User) -> tuple[str, str]:
        return (
            _("New proposal in the material exchange"),
            _(
                "The network's facilitator has released a proposal of %(tonnes)s t that "
                "concerns one of your listings. Please tell whether you are interested; the "
                "other parties learn who you are only when every party is interested."
            )
            % {"tonnes": f"{proposal.tonnes:.1f}"},
        )

    notification_send(
        users=_party_users(proposal),
        kind="proposal_released",
        compose=compose,
        url=reverse("matching:proposal", args=[proposal.pk]),
    )


@transaction.atomic
def proposal_answer(
    *,
    actor: Any,
    proposal: Proposal,
    interested: bool,
    reason: str = "",
    comment: str = "",
    origin: str = "",
) -> Proposal:
    """Record the actor's organisation's answer; introduce the parties when all agree."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not can_answer(actor=actor, proposal=proposal):
        organisation_id = getattr(actor, "organisation_id", None)
        if (
            organisation_id is not None
            and proposal.parties.filter(organisation_id=organisation_id).exists()
        ):
            raise ApplicationError(
                _("This proposal no longer takes answers."), code=ErrorCode.WRONG_STATE
            )
        raise PermissionDenied(_("Only the parties of a proposal answer it."))
    if not interested and reason not in Reason.values:
        raise ValidationError(
            {
                "reason": _("Say why you decline: %(reasons)s.")
                % {"reasons": ", ".join(Reason.values)}
            },
            code=ErrorCode.REASON_REQUIRED,
        )
    party = proposal.parties.get(organisation_id=actor.organisation_id)
    before = party.response
    party.response = Response.INTERESTED if interested else Response.DECLINED
    party.reason = "" if interested else reason
    party.comment = comment.strip()
    party.responded_at = timezone.now()
    party.responded_by = actor
    party.full_clean()
    party.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=party,
        changes={"response": [before, party.response], "reason": [None, party.reason]},
        network_ids=[proposal.network_id],
        origin=origin,
    )
    if not interested:
        _close(proposal, ProposalStatus.DECLINED)
        _notify_declined(proposal, party)
    elif not proposal.parties.exclude(response=Response.INTERESTED).exists():
        _close(proposal, ProposalStatus.INTRODUCED)
        _notify_introduced(proposal)
    return proposal


def _close(proposal: Proposal, status: str) -> None:
    proposal.status = status
    if status == ProposalStatus.INTRODUCED:
        proposal.introduced_at = timezone.now()
    proposal.save(update_fields=["status", "introduced_at", "updated_at"])


def _notify_declined(proposal: Proposal, party: ProposalParty) -> None:
    def compose(user: User) -> tuple[str, str]:
        return (
            _("A proposal was declined"),
            _("Proposal #%(id)s was declined by one party (reason: %(reason)s).")
            % {"id": proposal.pk, "reason": Reason(party.reason).label},
        )

    notification_send(
        users=facilitators_of(proposal.network),
        kind="proposal_declined",
        compose=compose,
        url=reverse("matching:proposal", args=[proposal.pk]),
    )


def _notify_introduced(proposal: Proposal) -> None:
    parties = list(proposal.parties.select_related("organisation"))

    def compose(user: User) -> tuple[str, str]:
        others = [p for p in parties if p.organisation_id != user.organisation_id]
        lines = []
        for other in others:
            contacts = ", ".join(
                f"{u.full_name or u.email} <{u.email}>" for u in users_of(other.organisation_id)
            )
            lines.append(
                _("%(role)s: %(name)s, contact: %(contacts)s")
                % {
                    "role": PartyRole(other.role).label,
                    "name": other.organisation.name,
                    "contacts": contacts or "—",
                }
            )
        return (
            _("Introduction: all parties are interested"),
            _(
                "Every party is interested in proposal #%(id)s (%(tonnes)s t). You may now "
                "contact each other:\n%(parties)s"
            )
            % {"id": proposal.pk, "tonnes": f"{proposal.tonnes:.1f}", "parties": "\n".join(lines)},
        )

    users = _party_users(proposal) + list(facilitators_of(proposal.network))
    notification_send(
        users=users,
        kind="introduction",
        compose=compose,
        url=reverse("matching:proposal", args=[proposal.pk]),
    )
