"""Releasing proposals to their parties: one at a time, or several reviewed ones at once.

A release creates the parties of a proposal (the owners of its offers, its processor and its
demand) and tells every active user of each party, in the platform and by e-mail. Whom to tell
is taken from the parties the release has just created, never from a list loaded before: a
proposal read with its parties prefetched (as the board and the API read them) holds an empty
list from the time it was proposed.

A release of several proposals at once takes only proposals a facilitator has reviewed (kept or
released one by one); :func:`release_preview` says beforehand what it would do, and
:func:`proposals_release` does exactly that or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metalloop.accounts.models import User
from metalloop.accounts.services import notification_send
from metalloop.common.audit import audit_record, diff, snapshot
from metalloop.common.errors import ApplicationError
from metalloop.common.models import AuditAction
from metalloop.matching.errors import ErrorCode
from metalloop.matching.models import PartyRole, Proposal, ProposalParty, ProposalStatus
from metalloop.matching.permissions import can_curate_proposal
from metalloop.matching.selectors import users_of


def require_curator(actor: Any, proposal: Proposal) -> None:
    """Refuse anyone but the network's facilitators and admins."""
    if not can_curate_proposal(actor=actor, proposal=proposal):
        raise PermissionDenied(_("Only the network's facilitators curate proposals."))


def party_roles(proposal: Proposal) -> dict[int, str]:
    """The organisations a proposal concerns, each with its role (read from the database)."""
    roles: dict[int, str] = {}
    for organisation_id in proposal.inputs.values_list("offer__organisation_id", flat=True):
        roles.setdefault(organisation_id, PartyRole.SUPPLIER)
    if proposal.processor_id is not None:
        roles.setdefault(proposal.processor.organisation_id, PartyRole.PROCESSOR)  # type: ignore[union-attr]
    roles[proposal.demand.organisation_id] = PartyRole.RECEIVER
    return roles


@dataclass(frozen=True)
class ReleasePreview:
    """What releasing a selection of proposals at once would do.

    ``releasable`` are kept and reviewed, ``unreviewed`` kept but not reviewed by anyone (a
    release of several refuses them), ``not_kept`` dropped, released or closed already.
    ``organisation_ids`` are the distinct organisations the releasable ones would tell.
    """

    releasable: list[Proposal]
    unreviewed: list[Proposal] = field(default_factory=list)
    not_kept: list[Proposal] = field(default_factory=list)
    organisation_ids: frozenset[int] = frozenset()

    @property
    def organisations(self) -> int:
        return len(self.organisation_ids)

    @property
    def blocked(self) -> bool:
        """Whether the selection holds proposals a release of several must not take."""
        return bool(self.unreviewed or self.not_kept)

    def refuse_if_blocked(self) -> None:
        """Raise the ``ValidationError`` (on ``proposals``) a release of this selection gets."""
        if self.blocked:
            raise ValidationError({"proposals": _blocked_errors(self)})
        if not self.releasable:
            raise ValidationError(
                {
                    "proposals": ValidationError(
                        _("Choose the proposals to release."), code=ErrorCode.NOTHING_CHOSEN
                    )
                }
            )


def release_preview(
    *, actor: Any, proposals: Iterable[Proposal], reviewed_only: bool = True
) -> ReleasePreview:
    """Say which of the proposals a release would take and whom it would tell (a release of
    several takes reviewed ones only; ``reviewed_only=False`` for one released on its own)."""
    releasable, unreviewed, not_kept = [], [], []
    organisations: set[int] = set()
    for proposal in proposals:
        require_curator(actor, proposal)
        if proposal.status != ProposalStatus.PROPOSED:
            not_kept.append(proposal)
        elif reviewed_only and proposal.reviewed_at is None:
            unreviewed.append(proposal)
        else:
            releasable.append(proposal)
            organisations.update(party_roles(proposal))
    return ReleasePreview(releasable, unreviewed, not_kept, frozenset(organisations))


@dataclass(frozen=True)
class Released:
    """Proposals released in one go and the distinct organisations they told."""

    proposals: list[Proposal]
    organisation_ids: frozenset[int]

    @property
    def organisations(self) -> int:
        return len(self.organisation_ids)


@transaction.atomic
def proposal_release(*, actor: Any, proposal: Proposal, origin: str = "") -> Released:
    """Release one kept proposal to its parties and tell them; releasing it reviews it."""
    require_curator(actor, proposal)
    locked = _locked([proposal.pk])[proposal.pk]
    if locked.status != ProposalStatus.PROPOSED:
        raise ApplicationError(
            _("Only a kept proposal that has not been released can be released."),
            code=ErrorCode.WRONG_STATE,
        )
    told = _release(actor, locked, origin)
    _refresh(proposal, locked)
    return Released([proposal], frozenset(told))


@transaction.atomic
def proposals_release(*, actor: Any, proposals: Iterable[Proposal], origin: str = "") -> Released:
    """Release several reviewed, kept proposals at once and tell their parties; all or none."""
    chosen = list(proposals)
    for proposal in chosen:
        require_curator(actor, proposal)
    locked = _locked([p.pk for p in chosen])
    release_preview(actor=actor, proposals=[locked[p.pk] for p in chosen]).refuse_if_blocked()
    told: set[int] = set()
    for proposal in chosen:
        told.update(_release(actor, locked[proposal.pk], origin))
        _refresh(proposal, locked[proposal.pk])
    return Released(chosen, frozenset(told))


def _locked(ids: list[int]) -> dict[int, Proposal]:
    """The proposals as stored now, locked until the release commits (no double release)."""
    found = Proposal.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
    return {p.pk: p for p in found.select_related("network", "demand", "processor")}


def _blocked_errors(preview: ReleasePreview) -> list[ValidationError]:
    errors = []
    if preview.unreviewed:
        errors.append(
            ValidationError(
                ngettext(
                    "Proposal %(ids)s has not been reviewed; keep it on its page first, or "
                    "release it on its own.",
                    "Proposals %(ids)s have not been reviewed; keep them on their pages first, "
                    "or release them one at a time.",
                    len(preview.unreviewed),
                )
                % {"ids": _ids(preview.unreviewed)},
                code=ErrorCode.NOT_REVIEWED,
            )
        )
    if preview.not_kept:
        errors.append(
            ValidationError(
                ngettext(
                    "Proposal %(ids)s is not kept for release (dropped, released or closed).",
                    "Proposals %(ids)s are not kept for release (dropped, released or closed).",
                    len(preview.not_kept),
                )
                % {"ids": _ids(preview.not_kept)},
                code=ErrorCode.WRONG_STATE,
            )
        )
    return errors


def _ids(proposals: list[Proposal]) -> str:
    return ", ".join(f"#{p.pk}" for p in proposals)


def _release(actor: Any, proposal: Proposal, origin: str) -> list[int]:
    """Release one locked proposal: its parties, the audit record, the notices; return the
    organisations told."""
    before = _release_state(proposal)
    now = timezone.now()
    proposal.status = ProposalStatus.RELEASED
    proposal.released_at = now
    if proposal.reviewed_at is None:
        proposal.reviewed_at, proposal.reviewed_by = now, actor
    proposal.save(update_fields=["status", "released_at", "reviewed_at", "reviewed_by",
                                 "updated_at"])  # fmt: skip
    roles = party_roles(proposal)
    ProposalParty.objects.bulk_create(
        ProposalParty(proposal=proposal, organisation_id=organisation_id, role=role)
        for organisation_id, role in roles.items()
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=proposal,
        changes=diff(before, _release_state(proposal)),
        network_ids=[proposal.network_id],
        origin=origin,
    )
    _notify_released(proposal, list(roles))
    return list(roles)


def _release_state(proposal: Proposal) -> dict[str, Any]:
    return snapshot(proposal, ["status", "released_at", "reviewed_at", "reviewed_by_id"])


def _refresh(proposal: Proposal, stored: Proposal) -> None:
    """Bring the caller's copy up to date and drop the parties it may hold prefetched."""
    for name in ("status", "released_at", "reviewed_at", "reviewed_by_id", "updated_at"):
        setattr(proposal, name, getattr(stored, name))
    getattr(proposal, "_prefetched_objects_cache", {}).pop("parties", None)


def _notify_released(proposal: Proposal, organisation_ids: list[int]) -> None:
    def compose(user: User) -> tuple[str, str]:
        return (
            _("New proposal in the material exchange"),
            _(
                "The network's facilitator has released a proposal of %(tonnes)s t that "
                "concerns one of your listings. Please tell whether you are interested; the "
                "other parties learn who you are only when every party is interested."
            )
            % {"tonnes": formats.number_format(round(proposal.tonnes, 1), 1)},
        )

    notification_send(
        users=[user for org in organisation_ids for user in users_of(org)],
        kind="proposal_released",
        compose=compose,
        url=reverse("matching:proposal", args=[proposal.pk]),
    )
