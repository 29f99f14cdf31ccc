"""Explanations a person can check: why a proposal was made, and how its CO2 was computed.

An explanation lists each rule with its outcome and the figures it compared, the chemistry
per element (the exact specification check), the route, the tonnes, and the CO2 account
with the codes and values of every factor. It is plain data (``as_dict``) so that the
matching app can store it with the proposal and render it in either language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from metalloop.core.impact.method import ImpactMethod
from metalloop.core.matching.accounting import (
    Co2Account,
    LegExplanation,
    co2_account,
    feed_share,
    route_legs,
)
from metalloop.core.matching.engine import Proposal
from metalloop.core.matching.listings import (
    Demand,
    LegalStatus,
    Offer,
    Processor,
    ProcessorOutput,
    TimeWindow,
)
from metalloop.core.matching.scoring import SCORE_WEIGHTS
from metalloop.core.materials.specification import CheckResult, Specification, check


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """One rule: its name, whether it passed, and the figures it compared."""

    rule: str
    passed: bool
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ElementLine:
    """One line of the chemistry check [wt-%]."""

    subject: str
    limit: str
    value: str | None
    headroom_pct: float | None
    status: str
    origin: str = ""
    """The supplying offer's key when several share the delivery (a pool), else ``""``."""


@dataclass(frozen=True)
class Explanation:
    kind: str
    rules: tuple[RuleOutcome, ...]
    chemistry_verdict: str
    chemistry: tuple[ElementLine, ...]
    legs: tuple[LegExplanation, ...]
    tonnes: float
    co2: Co2Account
    score: float
    score_parts: Mapping[str, float]
    score_weights: Mapping[str, float]
    detour: float
    dilution: Mapping[str, Any] = field(default_factory=dict)
    """Where the delivery fits only after dilution: ``share_of_lot`` (largest share of the
    lot in the charge [-]), ``diluent`` (knowledge-base code, ``""`` for the pure base metal)
    and ``base`` (the base metal) of the supplier needing the most; else empty."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain(
    proposal: Proposal,
    *,
    offers: Mapping[str, Offer],
    demands: Mapping[str, Demand],
    processors: Mapping[str, Processor],
    method: ImpactMethod,
    ancestors: Mapping[str, Sequence[str]],
    period: TimeWindow,
) -> Explanation:
    """Explain ``proposal`` from the listings it names."""
    demand = demands[proposal.demand]
    suppliers = [offers[c.offer] for c in proposal.inputs]
    processor = processors[proposal.processor] if proposal.processor else None
    output = processor.outputs[proposal.output or 0] if processor else None
    delivered = _delivered_profile(suppliers, processor, output)
    rules = (
        *_rules(delivered, demand, proposal, method, ancestors, period),
        *(_processor_rules(suppliers, processor, output) if processor and output else ()),
    )
    lines, verdict, dilution = _chemistry_of(suppliers, processor, demand.limits)
    legs = route_legs(proposal, method, feed_share(processor, output))
    return Explanation(
        kind=str(proposal.kind),
        rules=tuple(rules),
        chemistry_verdict=verdict if demand.limits else "no_limits",
        chemistry=lines,
        legs=legs,
        tonnes=proposal.tonnes,
        co2=co2_account(proposal, delivered.material, demand, method, ancestors, legs),
        score=proposal.score,
        score_parts=dict(proposal.score_parts),
        score_weights=dict(SCORE_WEIGHTS),
        detour=method.detour.value,
        dilution=dilution,
    )


@dataclass(frozen=True)
class _Profile:
    """What arrives at the demand: material, grades, legal status, form, waste code."""

    material: str
    grades: frozenset[str]
    legal_status: LegalStatus
    waste_code: str | None
    form: str | None
    window: TimeWindow


def _delivered_profile(
    suppliers: list[Offer], processor: Processor | None, out: ProcessorOutput | None
) -> _Profile:
    if processor is not None and out is not None:
        return _Profile(
            out.material,
            out.grades,
            out.legal_status,
            out.waste_code,
            str(out.form) if out.form else None,
            processor.inputs.flow.window,
        )
    first = suppliers[0]
    start = min(o.flow.window.start for o in suppliers)
    ends = [o.flow.window.end for o in suppliers]
    end = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
    return _Profile(
        first.material,
        first.grades,
        first.legal_status,
        first.waste_code,
        str(first.form) if first.form else None,
        TimeWindow(start, end),
    )


def _rules(
    delivered: _Profile,
    demand: Demand,
    proposal: Proposal,
    method: ImpactMethod,
    ancestors: Mapping[str, Sequence[str]],
    period: TimeWindow,
) -> list[RuleOutcome]:
    lineage = {delivered.material, *ancestors.get(delivered.material, ())}
    grades = delivered.grades & demand.grades
    common = delivered.window.overlap(demand.flow.window)
    road_km = method.road_km(proposal.great_circle_km)
    waste = delivered.legal_status is LegalStatus.WASTE
    return [
        RuleOutcome(
            "material",
            bool(lineage & demand.materials) or bool(grades),
            {"offered": delivered.material, "accepted": sorted(demand.materials)},
        ),
        RuleOutcome(
            "grade",
            not demand.grades or bool(grades),
            {
                "offered": sorted(delivered.grades),
                "accepted": sorted(demand.grades),
                "matched": sorted(grades),
            },
        ),
        RuleOutcome(
            "legal_status",
            not waste or delivered.waste_code in demand.permitted_waste_codes,
            {
                "status": str(delivered.legal_status),
                "waste_code": delivered.waste_code,
                "permitted": waste and delivered.waste_code in demand.permitted_waste_codes,
            },
        ),
        RuleOutcome(
            "form",
            not demand.forms or delivered.form in {str(f) for f in demand.forms},
            {"offered": delivered.form, "accepted": sorted(str(f) for f in demand.forms)},
        ),
        RuleOutcome(
            "time_window",
            common is not None,
            {
                "from": str(common.start) if common else None,
                "until": str(common.end) if common and common.end else None,
                "horizon_until": str(period.end) if period.end else None,
            },
        ),
        RuleOutcome(
            "quantity",
            proposal.tonnes >= demand.min_lot.tonnes - 1e-6,
            {
                "delivered_t": proposal.tonnes,
                "wanted_t": demand.flow.within(period).tonnes,
                "min_lot_t": demand.min_lot.tonnes,
                "min_quantity_t": demand.min_quantity.tonnes,
            },
        ),
        RuleOutcome(
            "distance",
            road_km <= demand.max_distance_km + 1e-9,
            {
                "road_km": road_km,
                "great_circle_km": proposal.great_circle_km,
                "max_km": demand.max_distance_km,
            },
        ),
        RuleOutcome("transport", bool(proposal.mode), {"mode": proposal.mode}),
    ]


def _processor_rules(
    suppliers: list[Offer], processor: Processor, output: ProcessorOutput
) -> list[RuleOutcome]:
    """What the processor does: its process, the output delivered, its yield, and what else
    the same tonnes yield (co-products go to other buyers or nowhere)."""
    return [
        RuleOutcome(
            "processor",
            True,
            {
                "process": processor.process,
                "yield": output.yield_share,
                "inputs": [o.material for o in suppliers],
                "output": output.material,
                "co_products": [
                    {"material": o.material, "yield": o.yield_share}
                    for o in processor.outputs
                    if o is not output
                ],
            },
        )
    ]


_VERDICT_ORDER = ("fits", "fits_after_dilution", "not_analysed", "does_not_fit")


def _chemistry_of(
    suppliers: list[Offer], processor: Processor | None, limits: Specification | None
) -> tuple[tuple[ElementLine, ...], str, dict[str, Any]]:
    """The check of what is delivered: the single supplier's analysis, or each member's for a
    pool (the worst verdict counts, and the most dilution); a processor's output is not
    analysed."""
    if limits is None or not limits.limits:
        return (), "no_limits", {}
    if processor is not None:
        return (), "not_analysed", {}
    lines: list[ElementLine] = []
    verdicts = []
    dilution: dict[str, Any] = {}
    for supplier in suppliers:
        origin = supplier.key if len(suppliers) > 1 else ""
        if supplier.composition is None:
            verdicts.append("not_analysed")
            continue
        result = check(supplier.composition, limits)
        lines.extend(_lines_of(result, origin))
        verdicts.append(str(result.verdict))
        share = result.max_share
        if share is not None and share < dilution.get("share_of_lot", 1.0 + 1e-9):
            dilution = {"share_of_lot": share, "diluent": result.diluent, "base": limits.balance}
    verdict = max(verdicts, key=_VERDICT_ORDER.index)
    return tuple(lines), verdict, dilution if verdict == "fits_after_dilution" else {}


def _lines_of(result: CheckResult, origin: str) -> tuple[ElementLine, ...]:
    return tuple(
        ElementLine(
            line.subject,
            line.limit,
            str(line.value) if line.value else None,
            line.headroom.percent if line.headroom is not None else None,
            str(line.status),
            origin,
        )
        for line in result.lines
    )
