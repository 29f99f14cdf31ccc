"""Reads of the matching app: the deals and their impact, scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    QuerySet,
)

from metalloop.matching.models import (
    Outcome,
    ProposalParty,
)
from metalloop.matching.permissions import can_run_matching
from metalloop.network.models import Network


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
