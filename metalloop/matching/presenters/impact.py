"""Settled exchanges for the impact export and the charts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from metalloop.core.impact.method import ImpactMethod
from metalloop.materials.presenters import provenance_out, reference_provenance
from metalloop.reference.impact import load_detour_provenance

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


def factor_sources(codes: Iterable[str | None]) -> list[dict[str, Any]]:
    """The knowledge-base entries behind factor codes, each once, with source and confidence."""
    shown = []
    for code in dict.fromkeys(c for c in codes if c):
        found = reference_provenance(code)
        if found is not None:
            shown.append(found)
    return shown


def method_sources(method: ImpactMethod) -> dict[str, Any]:
    """Where every figure of the method comes from: the factors and the detour factor."""
    codes = [c for s in method.substitutions.values() for c in (s.primary.code, s.secondary.code)]
    codes += [factor.code for factor in method.freight.values()]
    return {"factors": factor_sources(codes), "detour": provenance_out(load_detour_provenance())}
