"""What an actor sees of a proposal: the same data for pages, API and exports.

Before the introduction, a member sees the other parties' listings without their owners
(unless a listing is *named*) and no sites; facilitators and admins see everything; after the
introduction the parties see each other. Distances are rounded to the size of the largest
cell the map shows for a counterpart (10 km at least, see ``exchange.adapters.Crowds``), and
every figure derived from a distance (freight, net CO2) is worked out from the rounded one:
a member knows its own site, so an exact distance and the counterpart's cell could point at
a single member's site.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from metalloop.exchange.adapters import CELL_LEVELS, Crowds, label_of
from metalloop.exchange.models import Listing, Visibility
from metalloop.exchange.permissions import listing_reveals_owner, processor_reveals_owner
from metalloop.exchange.selectors import network_crowds
from metalloop.matching import labels
from metalloop.matching.models import Proposal, ProposalStatus
from metalloop.matching.permissions import (
    can_answer,
    can_curate_proposal,
    can_record_outcome,
    identities_revealed,
)
from metalloop.network.models import Site

ROUND_KM = 10.0
"""Distances shown before the introduction are multiples of this [km] at least."""


def _km(value: float, step: float | None) -> float:
    """``value`` [km] to 0.1 km where exact (``step`` None), else to a multiple of ``step``."""
    return round(value, 1) if step is None else max(step, round(value / step) * step)


def _step_km(actor: Any, sites: Iterable[tuple[Site, bool]], crowds: Crowds) -> float:
    """The rounding step for distances between the actor and counterparts at ``sites`` (with
    whether each counterpart's owner is shown): the largest cell the map shows for a hidden
    one, the largest cell of all for one shown nowhere."""
    level = 1
    for site, shown in sites:
        if shown or site.organisation_id == getattr(actor, "organisation_id", None):
            continue
        area = crowds.area(site.latitude, site.longitude)
        level = max(level, area.level if area else max(CELL_LEVELS))
    return ROUND_KM * level


def _owner_shown(actor: Any, listing: Listing) -> bool:
    """Whether the actor may learn the listing's owner (its own organisation always)."""
    if getattr(actor, "organisation_id", None) == listing.organisation_id:
        return True
    return listing_reveals_owner(actor=actor, listing=listing)


def _listing_side(
    actor: Any, listing: Listing, revealed: bool, shown: bool | None = None
) -> dict[str, Any]:
    own = getattr(actor, "organisation_id", None) == listing.organisation_id
    shows_owner = revealed or own or (_owner_shown(actor, listing) if shown is None else shown)
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


def proposal_view(
    *, actor: Any, proposal: Proposal, crowds: Crowds | None = None
) -> dict[str, Any]:
    """One proposal as the actor may see it (``crowds``: the network's, when known)."""
    curator = can_curate_proposal(actor=actor, proposal=proposal)
    revealed = curator or identities_revealed(actor=actor, proposal=proposal)
    listings = (proposal.demand, *(item.offer for item in proposal.inputs.all()))
    owners_shown = {} if revealed else {x.pk: _owner_shown(actor, x) for x in listings}
    step = None if revealed else _proposal_step(actor, proposal, owners_shown, crowds)
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
            **_listing_side(actor, item.offer, revealed, owners_shown.get(item.offer.pk)),
            "tonnes": float(item.tonnes),
            "km": _km(item.great_circle_km, step),
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
    explanation = explanation_for(proposal.explanation, step=step)
    return {
        "id": proposal.pk,
        "run_id": proposal.run_id,
        "network": proposal.network.slug,
        "kind": proposal.kind,
        "status": proposal.status,
        "tonnes": float(proposal.tonnes),
        "km": _km(proposal.great_circle_km, step),
        "mode": proposal.mode,
        "co2_t": proposal.co2_t if step is None else explanation.get("co2", {}).get("net"),
        "score": round(proposal.score, 1),
        "verdict": proposal.verdict,
        "dilution": proposal.dilution,
        "demand": _listing_side(
            actor, proposal.demand, revealed, owners_shown.get(proposal.demand.pk)
        ),
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
        "explanation": explanation,
        "note": proposal.note if curator else "",
        "reviewed_at": proposal.reviewed_at if curator else None,
        "can_curate": curator
        and proposal.status in (ProposalStatus.PROPOSED, ProposalStatus.DROPPED),
        "can_release": curator and proposal.status == ProposalStatus.PROPOSED,
        "can_answer": can_answer(actor=actor, proposal=proposal),
        "can_record_outcome": can_record_outcome(actor=actor, proposal=proposal),
        "outcome": _outcome(proposal),
    }


def _proposal_step(
    actor: Any, proposal: Proposal, shown: dict[int, bool], crowds: Crowds | None
) -> float:
    """The rounding step [km] for this actor's view (``shown``: whose owners it may learn)."""
    if crowds is None:
        crowds = network_crowds([proposal.network_id])[proposal.network_id]
    sites = [
        (listing.site, shown[listing.pk])
        for listing in (proposal.demand, *(item.offer for item in proposal.inputs.all()))
    ]
    if proposal.processor is not None:
        operator_shown = processor_reveals_owner(actor=actor, processor=proposal.processor)
        sites.append((proposal.processor.site, operator_shown))
    return _step_km(actor, sites, crowds)


def explanation_for(explanation: dict[str, Any], *, step: float | None) -> dict[str, Any]:
    """The stored explanation as shown: exact where identities are revealed (``step`` None);
    else routes rounded to ``step`` [km], freight and net CO2 worked out from the rounded
    routes, and offers unnamed."""
    if step is None:
        return explanation
    shown = copy.deepcopy(explanation)
    for leg in shown.get("legs", []):
        exact = leg["great_circle_km"]
        leg["great_circle_km"] = _km(exact, step)
        leg["road_km"] = leg["great_circle_km"] * shown.get("detour", 1.0)
        # Freight is proportional to the distance: scale it, do not reveal the exact route.
        leg["freight_t"] = leg["freight_t"] * leg["great_circle_km"] / exact if exact else 0.0
        leg["origin"] = ""
    co2 = shown.get("co2")
    if co2:
        co2["freight"] = sum(leg["freight_t"] for leg in shown.get("legs", []))
        if co2.get("production_saved") is not None:
            co2["net"] = co2["production_saved"] - co2["freight"]
    for line in shown.get("chemistry", []):
        line["origin"] = "…" if line.get("origin") else ""
    for rule in shown.get("rules", []):
        facts = rule.get("facts", {})
        if "great_circle_km" in facts:
            facts["great_circle_km"] = _km(facts["great_circle_km"], step)
            if "road_km" in facts:
                facts["road_km"] = facts["great_circle_km"] * shown.get("detour", 1.0)
        elif "road_km" in facts:
            facts["road_km"] = _km(facts["road_km"], step)
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
    proposals = list(proposals)
    crowds = network_crowds({p.network_id for p in proposals})
    return [proposal_view(actor=actor, proposal=p, crowds=crowds[p.network_id]) for p in proposals]


def proposal_page_rows(*, actor: Any, proposals: Iterable[Proposal]) -> list[dict[str, Any]]:
    """Proposals for the tables of the pages, with labels."""
    return [_labelled(row) for row in proposal_rows(actor=actor, proposals=proposals)]


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
    """Candidates for a listing: the other listing without its owner unless it may be shown;
    where it may not, the distance rounded to its cell and the net CO2 per tonne to
    0.1 t CO2e/t (to the tenth, the freight in it no longer tells the distance)."""
    candidates = list(candidates)
    crowds = network_crowds({c.listing.network_id for c in candidates})
    rows = []
    for candidate in candidates:
        listing = candidate.listing
        side = _listing_side(actor, listing, revealed=False)
        shown = side["own"] or side["organisation"] is not None
        step = _step_km(actor, [(listing.site, shown)], crowds[listing.network_id])
        co2 = candidate.co2_per_tonne
        rows.append(
            {
                **side,
                "score": round(candidate.score, 1),
                "km": _km(candidate.great_circle_km, None if shown else step),
                "verdict": candidate.verdict,
                "co2_per_tonne": co2 if shown or co2 is None else round(co2, 1),
                "tonnes": float(listing.mass_t),
            }
        )
    return rows
