"""Curation (the facilitator's review) and the parties' answers; the introduction when all
agree. Releases are in :mod:`.releases`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from metalloop.accounts.models import User
from metalloop.accounts.services import notification_send
from metalloop.common.audit import audit_record, diff, snapshot
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
from metalloop.matching.permissions import can_answer
from metalloop.matching.selectors import facilitators_of, users_of
from metalloop.matching.services.releases import require_curator


@transaction.atomic
def proposal_curate(
    *, actor: Any, proposal: Proposal, keep: bool, note: str = "", origin: str = ""
) -> Proposal:
    """Keep or drop a proposal before release, with an optional note; either reviews it."""
    require_curator(actor, proposal)
    if proposal.status not in (ProposalStatus.PROPOSED, ProposalStatus.DROPPED):
        raise ApplicationError(
            _("Only proposals that have not been released can be curated."),
            code=ErrorCode.WRONG_STATE,
        )
    before = _review_state(proposal)
    proposal.status = ProposalStatus.PROPOSED if keep else ProposalStatus.DROPPED
    proposal.note = note.strip()
    proposal.reviewed_at, proposal.reviewed_by = timezone.now(), actor
    proposal.full_clean()
    proposal.save(update_fields=["status", "note", "reviewed_at", "reviewed_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=proposal,
        changes=diff(before, _review_state(proposal)),
        network_ids=[proposal.network_id],
        origin=origin,
    )
    return proposal


def _review_state(proposal: Proposal) -> dict[str, Any]:
    return snapshot(proposal, ["status", "note", "reviewed_at", "reviewed_by_id"])


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
    if not interested:
        _check_decline(reason, comment)
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


def _check_decline(reason: str, comment: str) -> None:
    """A decline states the reason the person chose; "other" says it in words."""
    if reason not in Reason.values:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Choose why you decline: one of %(reasons)s.")
                    % {"reasons": ", ".join(Reason.values)},
                    code=ErrorCode.REASON_REQUIRED,
                )
            }
        )
    if reason == Reason.OTHER and not comment.strip():
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Say in a few words why you decline."), code=ErrorCode.REASON_TEXT_REQUIRED
                )
            }
        )


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
    parties = list(ProposalParty.objects.filter(proposal=proposal).select_related("organisation"))

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
            % {
                "id": proposal.pk,
                "tonnes": formats.number_format(round(proposal.tonnes, 1), 1),
                "parties": "\n".join(lines),
            },
        )

    users = [u for p in parties for u in users_of(p.organisation_id)]
    users += list(facilitators_of(proposal.network))
    notification_send(
        users=users,
        kind="introduction",
        compose=compose,
        url=reverse("matching:proposal", args=[proposal.pk]),
    )
