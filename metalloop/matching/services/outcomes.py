"""Outcomes of introduced proposals and their CO2 account (counted once per deal)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metalloop.common.audit import audit_record
from metalloop.common.errors import ApplicationError
from metalloop.common.models import AuditAction
from metalloop.core.impact.method import Leg, exchange_impact
from metalloop.matching import adapters
from metalloop.matching.errors import ErrorCode
from metalloop.matching.models import Outcome, OutcomeResult, Proposal, ProposalStatus, Reason
from metalloop.matching.permissions import can_record_outcome
from metalloop.matching.selectors import matching_settings


@transaction.atomic
def outcome_record(
    *,
    actor: Any,
    proposal: Proposal,
    result: str,
    tonnes: Decimal | None = None,
    settled_on: dt.date | None = None,
    reason: str = "",
    comment: str = "",
    origin: str = "",
) -> Outcome:
    """Record a deal (tonnes and date) or why it failed; account the deal's CO2 once."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not can_record_outcome(actor=actor, proposal=proposal):
        if hasattr(proposal, "outcome"):
            raise ApplicationError(
                _("The outcome of this proposal is already recorded."),
                code=ErrorCode.WRONG_STATE,
            )
        raise PermissionDenied(
            _("Outcomes are recorded by the parties or the facilitator after the introduction.")
        )
    _validate(result, tonnes, settled_on, reason, proposal)
    outcome = Outcome(
        proposal=proposal,
        result=result,
        tonnes=tonnes if result == OutcomeResult.DEAL else None,
        settled_on=settled_on if result == OutcomeResult.DEAL else None,
        reason=reason if result == OutcomeResult.FAILED else "",
        comment=comment.strip(),
        recorded_by=actor,
    )
    if result == OutcomeResult.DEAL:
        assert tonnes is not None
        outcome.impact = _impact(proposal, float(tonnes))
        outcome.co2_net_t = outcome.impact["net"] if outcome.impact["known"] else None
    outcome.full_clean()
    outcome.save()
    before = proposal.status
    proposal.status = (
        ProposalStatus.SETTLED if result == OutcomeResult.DEAL else ProposalStatus.FAILED
    )
    proposal.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=outcome,
        changes={"result": [None, result], "proposal_status": [before, proposal.status]},
        network_ids=[proposal.network_id],
        origin=origin,
    )
    return outcome


def _validate(
    result: str,
    tonnes: Decimal | None,
    settled_on: dt.date | None,
    reason: str,
    proposal: Proposal,
) -> None:
    errors: dict[str, str] = {}
    if result not in OutcomeResult.values:
        errors["result"] = _("Choose deal or no deal.")
    elif result == OutcomeResult.DEAL:
        if tonnes is None or tonnes <= 0:
            errors["tonnes"] = _("A deal moves more than 0 t.")
        elif tonnes > proposal.tonnes * 10:
            errors["tonnes"] = _(
                "That is more than ten times the proposed quantity; check the unit."
            )
        if settled_on is None:
            errors["settled_on"] = _("Give the date of the deal.")
        elif settled_on > timezone.localdate():
            errors["settled_on"] = _("The date of a deal cannot lie in the future.")
    elif reason not in Reason.values:
        errors["reason"] = _("Say why the deal failed.")
    if errors:
        raise ValidationError(errors, code=ErrorCode.OUTCOME_INVALID)


def _impact(proposal: Proposal, tonnes: float) -> dict[str, Any]:
    """The CO2 account of the deal with the network's shares, scaled from the proposal's
    route to the tonnes actually delivered."""
    method = adapters.impact_method(matching_settings(proposal.network))
    share = tonnes / float(proposal.tonnes)
    stored = proposal.explanation.get("legs", [])
    legs = [Leg(leg["mode"], leg["great_circle_km"]) for leg in stored]
    material = proposal.explanation.get("co2", {}).get("material") or proposal.demand.material
    # Tonnes charged per leg: a chain's feed is shared among the processor's outputs.
    feed_tonnes = [leg["tonnes"] * share * leg.get("charged_share", 1.0) for leg in stored]
    account = exchange_impact(
        method,
        tonnes=tonnes,
        material=material,
        r_strategy=proposal.demand.r_strategy or "R:8",
        legs=[],
    )
    freight = sum(
        t * method.freight_per_tonne(leg.mode, leg.great_circle_km)
        for t, leg in zip(feed_tonnes, legs, strict=True)
    )
    gross = account.production_saved - freight
    net = gross * (1 - method.deadweight)
    return {
        "known": account.known,
        "tonnes": tonnes,
        "material": material,
        "r_strategy": account.r_strategy,
        "production_saved": account.production_saved,
        "freight": freight,
        "gross": gross,
        "deadweight_share": method.deadweight,
        "net": net,
        "attribution_share": method.attribution,
        "attributed": net * method.attribution,
        "primary_factor": account.substitution.primary.code if account.substitution else None,
        "secondary_factor": account.substitution.secondary.code if account.substitution else None,
        "unconfirmed": account.unconfirmed,
        "legs": [
            {"mode": leg.mode, "great_circle_km": leg.great_circle_km, "tonnes": t}
            for t, leg in zip(feed_tonnes, legs, strict=True)
        ],
    }
