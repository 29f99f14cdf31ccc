"""Translate between the matching app's records and the core: listings and processors to
core offers, demands and processors; outcomes to the feedback the scores learn from; the
impact method with a network's own shares."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from metalloop.core.geo import Coordinates
from metalloop.core.impact.method import ImpactMethod
from metalloop.core.matching import listings as core
from metalloop.core.matching.scoring import Feedback
from metalloop.core.materials.composition import Composition, ShareRange
from metalloop.core.materials.specification import Limit, Specification
from metalloop.core.units import Mass, MassFraction
from metalloop.exchange.adapters import Position
from metalloop.exchange.models import Listing, ListingKind, Processor, Recurrence
from metalloop.matching.models import (
    NetworkMatching,
    Outcome,
    OutcomeResult,
    ProposalParty,
    Response,
)
from metalloop.materials.adapters import in_the_melt
from metalloop.reference.impact import load_impact_method

BASE_METALS = {
    "MAT:iron-steel": "Fe",
    "MAT:aluminium": "Al",
    "MAT:copper": "Cu",
    "MAT:nickel": "Ni",
    "MAT:zinc": "Zn",
    "MAT:lead": "Pb",
    "MAT:tin": "Sn",
}
"""Balance element by material family: what a buyer dilutes with."""


def impact_method(settings: NetworkMatching | None = None) -> ImpactMethod:
    """The impact method with the network's deadweight and attribution shares."""
    method = load_impact_method()
    if settings is None:
        return method
    return method.with_shares(
        deadweight=float(settings.deadweight_pct) / 100,
        attribution=float(settings.attribution_pct) / 100,
    )


def ancestors() -> Mapping[str, Sequence[str]]:
    return load_impact_method().ancestors


def base_metal(material: str) -> str:
    for code in (material, *ancestors().get(material, ())):
        if code in BASE_METALS:
            return BASE_METALS[code]
    return ""


def _flow(listing: Listing, quantity: Decimal, period_end: dt.date) -> core.Flow:
    interval = None if listing.recurrence == Recurrence.ONE_OFF else str(listing.recurrence)
    window = core.TimeWindow(listing.available_from, listing.available_until)
    return core.Flow(Mass.t(float(quantity)), window, interval)


def _location(site: object) -> Coordinates:
    return Coordinates(site.latitude, site.longitude)  # type: ignore[attr-defined]


def _modes(values: Iterable[str]) -> frozenset[core.TransportMode]:
    return frozenset(core.TransportMode(v) for v in values) or frozenset({core.TransportMode.ROAD})


def composition_of(listing: Listing) -> Composition | None:
    """An offer's analysed ranges (prefetched ``elements``), or ``None``."""
    rows = list(listing.elements.all())
    if not rows:
        return None
    shares = {}
    for row in rows:
        low = row.min_pct if row.min_pct is not None else row.max_pct
        high = row.max_pct if row.max_pct is not None else row.min_pct
        if low is None or high is None:
            continue
        shares[row.element] = ShareRange.wt_pct(float(low), float(high))
    return Composition(shares)


def limits_of(listing: Listing) -> Specification | None:
    """A demand's chemistry limits as an open specification, or ``None``."""
    rows = list(listing.elements.all())
    if not rows:
        return None
    limits = tuple(
        Limit(
            row.element,
            None if row.min_pct is None else MassFraction.wt_pct(float(row.min_pct)),
            None if row.max_pct is None else MassFraction.wt_pct(float(row.max_pct)),
        )
        for row in rows
    )
    spec = Specification(
        f"listing:{listing.pk}", base_metal(listing.material), limits, closed=False
    )
    # The receiver thins with the clean material of the base metal; the exchange does not
    # count on alloying additions (a demand takes the lot as it is or diluted).
    return in_the_melt(spec, alloying=False)


def offer_of(listing: Listing, period_end: dt.date, committed: float = 0.0) -> core.Offer:
    """The core's view of an offer (grades, elements and attachments prefetched), less the
    tonnes ``committed`` in earlier proposals."""
    return core.Offer(
        committed=Mass.t(committed),
        key=str(listing.pk),
        owner=str(listing.organisation_id),
        material=listing.material,
        flow=_flow(listing, listing.mass_t, period_end),
        location=_location(listing.site),
        grades=frozenset(g.code for g in listing.grades.all()),
        legal_status=core.LegalStatus(listing.legal_status),
        waste_code=listing.waste_code or None,
        composition=composition_of(listing),
        form=core.Form(listing.form) if listing.form else None,
        modes=_modes(listing.transport_modes),
        data_quality=int(listing.data_quality),
        reuse=listing.kind == ListingKind.USED_COMPONENT,
    )


def demand_of(listing: Listing, period_end: dt.date, committed: float = 0.0) -> core.Demand:
    """The core's view of a demand, less the tonnes ``committed`` to it earlier."""
    return core.Demand(
        committed=Mass.t(committed),
        key=str(listing.pk),
        owner=str(listing.organisation_id),
        materials=frozenset({listing.material}),
        flow=_flow(listing, listing.mass_t, period_end),
        location=_location(listing.site),
        max_distance_km=float(listing.max_distance_km or 100),
        grades=frozenset(g.code for g in listing.grades.all()),
        limits=limits_of(listing),
        max_dilution=float(listing.max_dilution_pct or 0) / 100,
        forms=frozenset(core.Form(f) for f in listing.accepted_forms),
        min_quantity=Mass.t(float(listing.min_mass_t or 0)),
        min_lot=Mass.t(float(listing.min_lot_t or 0)),
        r_strategy=listing.r_strategy or "R:8",
        permitted_waste_codes=frozenset(listing.permitted_waste_codes),
        modes=_modes(listing.transport_modes),
        data_quality=int(listing.data_quality),
    )


def as_seen[T: (core.Offer, core.Demand)](item: T, position: Position, *, revealed: bool) -> T:
    """``item`` as someone sees it who may not learn its owner (``revealed`` False): at the
    centre of the cell shown to them, with that cell, and under a name of its own instead of
    its organisation's, so that nothing learnt about the organisation (answers, deals) moves
    it up or down their list."""
    if revealed:
        return item
    assert position.point is not None, "a listing shown nowhere has no candidates"
    return dataclasses.replace(
        item, location=position.point, area=position.cell, owner=f"listing:{item.key}"
    )


def processor_of(processor: Processor, period: core.TimeWindow) -> core.Processor | None:
    """The core's view of a processor (inputs and outputs prefetched), its outputs by
    falling yield. ``None`` without inputs or outputs, or where the yields add up to more
    than 100 % (which the exchange refuses, but an edit in the admin could store)."""
    inputs = list(processor.inputs.all())
    outputs = sorted(processor.outputs.all(), key=lambda o: (-o.yield_pct, o.pk))
    if not inputs or not outputs or sum(o.yield_pct for o in outputs) > 100:
        return None
    grades = frozenset(i.grade for i in inputs if i.grade)
    open_to_any_grade = any(not i.grade for i in inputs)
    intake = core.Demand(
        key=f"processor:{processor.pk}",
        owner=str(processor.organisation_id),
        materials=frozenset(i.material for i in inputs),
        flow=core.Flow(Mass.t(float(processor.capacity_t_per_year)), period, "yearly"),
        location=_location(processor.site),
        max_distance_km=float(processor.max_distance_km or 100),
        grades=frozenset() if open_to_any_grade else grades,
        permitted_waste_codes=frozenset(processor.permitted_waste_codes)
        | frozenset(i.waste_code for i in inputs if i.waste_code),
        modes=_modes(processor.transport_modes),
    )
    return core.Processor(
        key=str(processor.pk),
        owner=str(processor.organisation_id),
        process=processor.process,
        inputs=intake,
        outputs=tuple(
            core.ProcessorOutput(
                material=out.material,
                yield_share=float(out.yield_pct) / 100,
                grades=frozenset({out.grade}) if out.grade else frozenset(),
                form=core.Form(out.form) if out.form else None,
                legal_status=core.LegalStatus(out.legal_status),
                waste_code=out.waste_code or None,
            )
            for out in outputs
        ),
    )


def feedback_of(parties: Iterable[ProposalParty], outcomes: Iterable[Outcome]) -> Feedback:
    """What the network learnt: answers and outcomes counted by receiver/material and by
    supplier/receiver pair.

    A receiver's or supplier's "interested" and a deal count as acceptance; a decline and a
    failed outcome as rejection.
    """
    counts: Counter[tuple[str, str, str, bool]] = Counter()
    for party in parties:
        if party.response == Response.PENDING:
            continue
        accepted = party.response == Response.INTERESTED
        for key in _keys(party.proposal):
            counts[(*key, accepted)] += 1
    for outcome in outcomes:
        accepted = outcome.result == OutcomeResult.DEAL
        for key in _keys(outcome.proposal):
            counts[(*key, accepted)] += 1
    merged: dict[tuple[str, str, str], tuple[int, int]] = {}
    for (kind, a, b, accepted), n in counts.items():
        yes, no = merged.get((kind, a, b), (0, 0))
        merged[(kind, a, b)] = (yes + n, no) if accepted else (yes, no + n)
    return Feedback(merged)


def _keys(proposal: object) -> list[tuple[str, str, str]]:
    demand = proposal.demand  # type: ignore[attr-defined]
    receiver = str(demand.organisation_id)
    keys = []
    for item in proposal.inputs.all():  # type: ignore[attr-defined]
        keys.append(("receiver", receiver, item.offer.material))
        keys.append(("pair", str(item.offer.organisation_id), receiver))
    return keys
