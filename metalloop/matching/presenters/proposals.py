"""What an actor sees of a proposal: the same data for pages, API and exports.

Before the introduction, a member sees the other parties' listings without their owners
(unless a listing is *named*) and no sites; facilitators and admins see everything; after the
introduction the parties see each other. Before it, every distance a party sees is measured
between the positions it is shown (its own site, the cell shown for a hidden site), and the
freight and net CO2 are worked out from those (:mod:`.routes`); the score, worked out from
exact sites, is for the curators only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from metalloop.exchange.adapters import Crowds, label_of
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
from metalloop.matching.presenters.impact import factor_sources
from metalloop.matching.presenters.routes import SeenRoute, explanation_over, seen_route
from metalloop.materials.presenters import diluent_name
from metalloop.reference.impact import load_impact_method


def _owner_shown(actor: Any, listing: Listing) -> bool:
    """Whether the actor may learn the listing's owner (its own organisation always)."""
    if getattr(actor, "organisation_id", None) == listing.organisation_id:
        return True
    return listing_reveals_owner(actor=actor, listing=listing)


def listing_side(
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
    operator_shown = revealed or (
        proposal.processor is not None
        and processor_reveals_owner(actor=actor, processor=proposal.processor)
    )
    route = None if revealed else _route(actor, proposal, owners_shown, operator_shown, crowds)
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
            **listing_side(actor, item.offer, revealed, owners_shown.get(item.offer.pk)),
            "tonnes": float(item.tonnes),
            "km": _input_km(proposal, item, route),
            "mode": item.mode,
        }
        for item in proposal.inputs.all()
    ]
    processor = None
    if proposal.processor is not None:
        processor = {
            "processor_id": proposal.processor.pk,
            "name": proposal.processor.name if operator_shown else None,
            "process": proposal.processor.process,
            "organisation": proposal.processor.organisation.name if operator_shown else None,
        }
    explanation = (
        proposal.explanation if route is None else explanation_over(proposal.explanation, route)
    )
    return {
        "id": proposal.pk,
        "run_id": proposal.run_id,
        "network": proposal.network.slug,
        "kind": proposal.kind,
        "status": proposal.status,
        "tonnes": float(proposal.tonnes),
        "km": round(proposal.great_circle_km if route is None else route.delivery_km, 1),
        "km_approximate": route is not None and route.approximate,
        "mode": proposal.mode,
        "co2_t": proposal.co2_t if route is None else explanation.get("co2", {}).get("net"),
        "score": round(proposal.score, 1) if curator else None,
        "verdict": proposal.verdict,
        "dilution": proposal.dilution,
        "demand": listing_side(
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


def _route(
    actor: Any,
    proposal: Proposal,
    owners_shown: dict[int, bool],
    operator_shown: bool,
    crowds: Crowds | None,
) -> SeenRoute:
    if crowds is None:
        crowds = network_crowds([proposal.network_id])[proposal.network_id]
    return seen_route(
        actor=actor,
        proposal=proposal,
        listings_shown=owners_shown,
        processor_shown=operator_shown,
        crowds=crowds,
        detour=load_impact_method().detour.value,
    )


def _input_km(proposal: Proposal, item: Any, route: SeenRoute | None) -> float:
    """The distance [km, to 0.1] an input travels: to the demand in a direct proposal, to
    the processor or the pool otherwise."""
    if route is None:
        return round(float(item.great_circle_km), 1)
    if proposal.kind == "direct":
        return round(route.delivery_km, 1)
    legs = proposal.explanation.get("legs", [])
    at = next(k for k, leg in enumerate(legs[:-1]) if leg["origin"] == str(item.offer_id))
    return round(route.leg_km[at], 1)


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
        "dilution_text": dilution_sentence(explanation.get("dilution") or {}),
        "lines": [
            {**line, "status_label": str(labels.LINE_STATUSES.get(line["status"], line["status"]))}
            for line in explanation.get("chemistry", [])
        ],
        "leg_rows": [
            {**leg, "mode_label": labels.mode(leg["mode"])} for leg in explanation.get("legs", [])
        ],
        "factor_rows": _factor_rows(explanation),
        "part_rows": [
            {"label": str(labels.SCORE_PARTS.get(name, name)), "value": value}
            for name, value in explanation.get("score_parts", {}).items()
        ],
    }


def dilution_sentence(dilution: dict[str, Any]) -> str:
    """What the receiver must thin the delivery with, and how far, in words."""
    if not dilution:
        return ""
    return _("The lot may make up at most %(share)s %% of the charge, the rest %(diluent)s.") % {
        "share": number_format(round(dilution["share_of_lot"] * 100, 1), 1),
        "diluent": diluent_name(dilution.get("diluent", ""), dilution.get("base", "")),
    }


def _factor_rows(explanation: dict[str, Any]) -> list[dict[str, Any]]:
    """The emission factors behind the CO2 figure, with source and confidence."""
    co2 = explanation.get("co2") or {}
    codes = [co2.get("primary_factor"), co2.get("secondary_factor")]
    codes += [leg.get("freight_factor") for leg in explanation.get("legs", [])]
    return factor_sources(codes)


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
