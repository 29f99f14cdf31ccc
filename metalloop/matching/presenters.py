"""What an actor sees of a proposal: the same data for pages, API and exports.

Before the introduction, a member sees the other parties' listings without their owners
(unless a listing is *named*), distances rounded to 10 km, and no sites; facilitators and
admins see everything; after the introduction the parties see each other.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from metalloop.exchange.adapters import label_of
from metalloop.exchange.models import Listing, Visibility
from metalloop.exchange.permissions import listing_reveals_owner, processor_reveals_owner
from metalloop.matching import labels
from metalloop.matching.models import Proposal, ProposalStatus
from metalloop.matching.permissions import (
    can_answer,
    can_curate_proposal,
    can_record_outcome,
    identities_revealed,
)

ROUND_KM = 10.0


def _km(value: float, exact: bool) -> float:
    return round(value, 1) if exact else max(ROUND_KM, round(value / ROUND_KM) * ROUND_KM)


def _listing_side(actor: Any, listing: Listing, revealed: bool) -> dict[str, Any]:
    own = getattr(actor, "organisation_id", None) == listing.organisation_id
    shows_owner = revealed or own or listing_reveals_owner(actor=actor, listing=listing)
    hidden_title = listing.visibility == Visibility.FACILITATOR and not (revealed or own)
    return {
        "listing_id": listing.pk,
        "title": "" if hidden_title else listing.title,
        "material": listing.material,
        "material_label": label_of(listing.material),
        "grades": [g.code for g in listing.grades.all()],
        "own": own,
        "organisation": listing.organisation.name if shows_owner else None,
        "place": listing.site.place if shows_owner else None,
    }


def proposal_view(*, actor: Any, proposal: Proposal) -> dict[str, Any]:
    """One proposal as the actor may see it."""
    curator = can_curate_proposal(actor=actor, proposal=proposal)
    revealed = curator or identities_revealed(actor=actor, proposal=proposal)
    my_party = next(
        (
            p
            for p in proposal.parties.all()
            if p.organisation_id == getattr(actor, "organisation_id", None)
        ),
        None,
    )
    inputs = [
        {
            **_listing_side(actor, item.offer, revealed),
            "tonnes": float(item.tonnes),
            "km": _km(item.great_circle_km, revealed),
            "mode": item.mode,
        }
        for item in proposal.inputs.all()
    ]
    processor = None
    if proposal.processor is not None:
        shown = revealed or processor_reveals_owner(actor=actor, processor=proposal.processor)
        processor = {
            "processor_id": proposal.processor.pk,
            "name": proposal.processor.name if shown else None,
            "process": proposal.processor.process,
            "organisation": proposal.processor.organisation.name if shown else None,
        }
    return {
        "id": proposal.pk,
        "run_id": proposal.run_id,
        "network": proposal.network.slug,
        "kind": proposal.kind,
        "status": proposal.status,
        "tonnes": float(proposal.tonnes),
        "km": _km(proposal.great_circle_km, revealed),
        "mode": proposal.mode,
        "co2_t": proposal.co2_t,
        "score": round(proposal.score, 1),
        "verdict": proposal.verdict,
        "dilution": proposal.dilution,
        "demand": _listing_side(actor, proposal.demand, revealed),
        "inputs": inputs,
        "processor": processor,
        "parties": [
            {
                "role": p.role,
                "response": p.response,
                "reason": p.reason,
                "own": p.organisation_id == getattr(actor, "organisation_id", None),
                "organisation": p.organisation.name if revealed else None,
            }
            for p in proposal.parties.all()
        ],
        "my_response": my_party.response if my_party else None,
        "identities_revealed": revealed,
        "explanation": explanation_for(proposal.explanation, exact=revealed),
        "note": proposal.note if curator else "",
        "can_curate": curator
        and proposal.status in (ProposalStatus.PROPOSED, ProposalStatus.DROPPED),
        "can_answer": can_answer(actor=actor, proposal=proposal),
        "can_record_outcome": can_record_outcome(actor=actor, proposal=proposal),
        "outcome": _outcome(proposal),
    }


def explanation_for(explanation: dict[str, Any], *, exact: bool) -> dict[str, Any]:
    """The stored explanation, with routes rounded and offers unnamed unless identities
    are revealed."""
    if exact:
        return explanation
    shown = copy.deepcopy(explanation)
    for leg in shown.get("legs", []):
        leg["great_circle_km"] = _km(leg["great_circle_km"], False)
        leg["road_km"] = _km(leg["road_km"], False)
        leg["origin"] = ""
    for line in shown.get("chemistry", []):
        line["origin"] = "…" if line.get("origin") else ""
    for rule in shown.get("rules", []):
        facts = rule.get("facts", {})
        for key in ("road_km", "great_circle_km"):
            if key in facts:
                facts[key] = _km(facts[key], False)
    return shown


def explanation_page(explanation: dict[str, Any]) -> dict[str, Any]:
    """The explanation in words of the active language, for the pages."""
    return {
        **explanation,
        "rule_rows": [
            {
                "label": str(labels.RULES.get(r["rule"], r["rule"])),
                "passed": r["passed"],
                "facts": labels.facts(r["rule"], r.get("facts", {})),
            }
            for r in explanation.get("rules", [])
        ],
        "verdict_label": labels.verdict(explanation.get("chemistry_verdict", "")),
        "lines": [
            {**line, "status_label": str(labels.LINE_STATUSES.get(line["status"], line["status"]))}
            for line in explanation.get("chemistry", [])
        ],
        "leg_rows": [
            {**leg, "mode_label": labels.mode(leg["mode"])} for leg in explanation.get("legs", [])
        ],
        "part_rows": [
            {"label": str(labels.SCORE_PARTS.get(name, name)), "value": value}
            for name, value in explanation.get("score_parts", {}).items()
        ],
    }


def proposal_page(*, actor: Any, proposal: Proposal) -> dict[str, Any]:
    """One proposal for the pages: the actor's view with labels in the active language."""
    view = proposal_view(actor=actor, proposal=proposal)
    view["explanation"] = explanation_page(view["explanation"])
    return _labelled(view)


def _labelled(view: dict[str, Any]) -> dict[str, Any]:
    view["kind_label"] = labels.kind(view["kind"])
    view["status_label"] = labels.status(view["status"])
    view["mode_label"] = labels.mode(view["mode"])
    view["verdict_label"] = labels.verdict(view["verdict"])
    for item in view["inputs"]:
        item["mode_label"] = labels.mode(item["mode"])
    for party in view["parties"]:
        party["role_label"] = labels.role(party["role"])
        party["response_label"] = labels.response(party["response"])
        party["reason_label"] = labels.reason(party["reason"])
    if view["outcome"]:
        view["outcome"]["result_label"] = labels.result(view["outcome"]["result"])
        view["outcome"]["reason_label"] = labels.reason(view["outcome"]["reason"])
        view["outcome"]["date_label"] = labels.day(view["outcome"]["settled_on"])
    return view


def _outcome(proposal: Proposal) -> dict[str, Any] | None:
    outcome = getattr(proposal, "outcome", None)
    if outcome is None:
        return None
    return {
        "result": outcome.result,
        "tonnes": float(outcome.tonnes) if outcome.tonnes is not None else None,
        "settled_on": outcome.settled_on.isoformat() if outcome.settled_on else None,
        "reason": outcome.reason,
        "co2_net_t": outcome.co2_net_t,
    }


def proposal_rows(*, actor: Any, proposals: Iterable[Proposal]) -> list[dict[str, Any]]:
    return [proposal_view(actor=actor, proposal=p) for p in proposals]


def proposal_page_rows(*, actor: Any, proposals: Iterable[Proposal]) -> list[dict[str, Any]]:
    """Proposals for the tables of the pages, with labels."""
    return [_labelled(proposal_view(actor=actor, proposal=p)) for p in proposals]


IMPACT_COLUMNS = [
    "proposal",
    "settled_on",
    "tonnes",
    "material",
    "r_strategy",
    "production_saved_t",
    "freight_t",
    "gross_t",
    "deadweight_share",
    "net_t",
    "attribution_share",
    "attributed_t",
    "primary_factor",
    "secondary_factor",
    "unconfirmed",
]


def impact_rows(deals: Iterable[Any]) -> list[dict[str, str]]:
    """One row per settled exchange, with the factors behind its figures (for export)."""
    rows = []
    for outcome in deals:
        impact = outcome.impact or {}
        known = bool(impact.get("known"))

        def figure(key: str, impact: dict[str, Any] = impact, known: bool = known) -> str:
            return f"{impact[key]:.4f}" if known and key in impact else ""

        rows.append(
            {
                "proposal": str(outcome.proposal_id),
                "settled_on": outcome.settled_on.isoformat() if outcome.settled_on else "",
                "tonnes": f"{outcome.tonnes:.3f}" if outcome.tonnes is not None else "",
                "material": impact.get("material", ""),
                "r_strategy": impact.get("r_strategy", ""),
                "production_saved_t": figure("production_saved"),
                "freight_t": f"{impact.get('freight', 0.0):.4f}",
                "gross_t": figure("gross"),
                "deadweight_share": str(impact.get("deadweight_share", "")),
                "net_t": figure("net"),
                "attribution_share": str(impact.get("attribution_share", "")),
                "attributed_t": figure("attributed"),
                "primary_factor": impact.get("primary_factor") or "",
                "secondary_factor": impact.get("secondary_factor") or "",
                "unconfirmed": "yes" if impact.get("unconfirmed") else "",
            }
        )
    return rows


def bars(series: dict[str, dict[str, float]], key: str) -> list[dict[str, Any]]:
    """Bars of a chart: label, value and height as a share of the largest (0–100)."""
    values = [(label, entry.get(key, 0.0)) for label, entry in series.items()]
    top = max((abs(v) for _, v in values), default=0.0) or 1.0
    drawn = []
    for k, (label, value) in enumerate(values):
        height = round(100 * max(value, 0.0) / top, 1)
        drawn.append(
            {"label": label, "value": value, "height": height, "x": k * 100 + 10, "y": 100 - height}
        )
    return drawn


def candidate_rows(*, actor: Any, candidates: Iterable[Any]) -> list[dict[str, Any]]:
    """Candidates for a listing: the other listing without its owner unless it may be shown,
    distances rounded to 10 km."""
    rows = []
    for candidate in candidates:
        side = _listing_side(actor, candidate.listing, revealed=False)
        rows.append(
            {
                **side,
                "score": round(candidate.score, 1),
                "km": _km(candidate.great_circle_km, False),
                "verdict": candidate.verdict,
                "co2_per_tonne": candidate.co2_per_tonne,
                "tonnes": float(candidate.listing.mass_t),
            }
        )
    return rows
