"""The route and the CO2 account of a proposal, as its explanation shows them.

A chain's feed transport is shared among the processor's outputs by mass, so that the
proposals of all outputs count it once between them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from metalloop.core.impact.method import ImpactMethod
from metalloop.core.matching.listings import Demand, Processor, ProcessorOutput
from metalloop.core.matching.run import Proposal, ProposalKind


@dataclass(frozen=True, slots=True)
class LegExplanation:
    """A transport leg: from which offer (or the processor/pool) and how [km, t].

    ``charged_share`` is the part of the leg's freight charged to this delivery: 1, except
    for the feed of a processor with several outputs, whose freight the outputs share by
    mass; ``freight_t`` is already multiplied by it [t CO2e].
    """

    origin: str
    tonnes: float
    great_circle_km: float
    road_km: float
    mode: str
    freight_factor: str
    freight_t: float
    charged_share: float = 1.0


@dataclass(frozen=True, slots=True)
class Co2Account:
    """How the proposal's CO2 figure came about [t CO2e, t CO2e/t]."""

    known: bool
    material: str
    r_strategy: str
    primary_factor: str | None
    primary_value: float | None
    secondary_factor: str | None
    secondary_value: float | None
    saving_per_tonne: float | None
    production_saved: float | None
    freight: float
    net: float | None
    unconfirmed: bool


def feed_share(processor: Processor | None, output: ProcessorOutput | None) -> float:
    """The part of a chain's feed transport charged to ``output``: its yield over the sum of
    the processor's yields (mass allocation); 1 outside chains."""
    if processor is None or output is None:
        return 1.0
    return output.yield_share / sum(o.yield_share for o in processor.outputs)


def route_legs(
    proposal: Proposal, method: ImpactMethod, feed_share: float
) -> tuple[LegExplanation, ...]:
    """The proposal's transport legs: each input to the pool or processor (charged at
    ``feed_share``), then the delivery to the demand."""
    legs: list[LegExplanation] = []
    if proposal.kind is not ProposalKind.DIRECT:
        legs.extend(
            _leg(c.offer, c.tonnes, c.great_circle_km, c.mode, method, feed_share)
            for c in proposal.inputs
        )
    origin = proposal.processor or ("pool" if proposal.kind is ProposalKind.AGGREGATION else "")
    origin = origin or proposal.inputs[0].offer
    legs.append(_leg(origin, proposal.tonnes, proposal.great_circle_km, proposal.mode, method))
    return tuple(legs)


def _leg(
    origin: str, tonnes: float, km: float, mode: str, method: ImpactMethod, charged: float = 1.0
) -> LegExplanation:
    factor = method.freight[mode]
    return LegExplanation(
        origin,
        tonnes,
        km,
        method.road_km(km),
        mode,
        factor.code,
        charged * tonnes * method.freight_per_tonne(mode, km),
        charged,
    )


def legs_over(
    legs: Sequence[LegExplanation], great_circle_km: Sequence[float], method: ImpactMethod
) -> tuple[LegExplanation, ...]:
    """The same legs over other great-circle distances [km], their road distance and freight
    worked out anew (for a party who may not learn the exact route before the introduction).
    """
    return tuple(
        _leg(leg.origin, leg.tonnes, km, leg.mode, method, leg.charged_share)
        for leg, km in zip(legs, great_circle_km, strict=True)
    )


def account_over(account: Co2Account, legs: Sequence[LegExplanation]) -> Co2Account:
    """The CO2 account with the freight of ``legs`` instead of its own (see
    :func:`legs_over`)."""
    freight = sum(leg.freight_t for leg in legs)
    net = None if account.production_saved is None else account.production_saved - freight
    return replace(account, freight=freight, net=net)


def co2_account(
    proposal: Proposal,
    material: str,
    demand: Demand,
    method: ImpactMethod,
    ancestors: Mapping[str, Sequence[str]],
    legs: tuple[LegExplanation, ...],
) -> Co2Account:
    """The CO2 account: production avoided by the substitution, less the legs' freight."""
    substitution = method.substitution_for(material, ancestors.get(material, ()))
    freight = sum(leg.freight_t for leg in legs)
    if substitution is None:
        return Co2Account(
            False,
            material,
            demand.r_strategy,
            None,
            None,
            None,
            None,
            None,
            None,
            freight,
            None,
            False,
        )
    saving = substitution.saving_per_tonne(demand.r_strategy)
    production = saving * proposal.tonnes
    factors = [
        substitution.primary,
        substitution.secondary,
        *(method.freight[leg.mode] for leg in legs),
    ]
    return Co2Account(
        True,
        material,
        demand.r_strategy,
        substitution.primary.code,
        substitution.primary.value,
        substitution.secondary.code,
        substitution.secondary.value,
        saving,
        production,
        freight,
        production - freight,
        any(not f.confirmed or f.confidence == "estimate" for f in factors),
    )
