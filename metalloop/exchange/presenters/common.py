"""Pieces every presenter of the exchange uses: labels in the active language, codes,
quality levels, sites and positions (exact, or coarsened to a crowded cell, or hidden)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from metalloop.exchange import adapters
from metalloop.exchange.models import (
    QUALITY_MEANINGS,
    Listing,
    Processor,
    QualityLevel,
)
from metalloop.network.models import Site


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@functools.lru_cache(maxsize=4096)
def _label(choices: Any, value: str, language: str) -> str:
    return str(dict(choices.choices).get(value, value))


def label(choices: Any, value: str) -> str:
    """The label of a choice in the active language (cached: ``get_FOO_display`` translates
    the whole list of choices each time, which costs a map of 500 markers a fifth of a second)."""
    return _label(choices, value, get_language() or "de") if value else ""


def labels_text(choices: Any, values: Iterable[str]) -> str:
    return ", ".join(label(choices, value) for value in values)


def code_out(code: str) -> dict[str, str] | None:
    return {"code": code, "name": adapters.label_of(code)} if code else None


def quality_out(level: QualityLevel) -> dict[str, Any]:
    return {"level": int(level), "label": str(level.label), "meaning": str(QUALITY_MEANINGS[level])}


def position_of(
    actor: Any, record: Listing | Processor, *, revealed: bool, crowds: adapters.Crowds
) -> adapters.Position:
    """Where ``actor`` is shown the site of a listing or processor: the site where the owner
    may be known, else the cell chosen for this viewer (its own organisation's sites do not
    count, see :mod:`metalloop.core.cloaking`)."""
    return adapters.published_position(
        record.site.latitude,
        record.site.longitude,
        owner=record.organisation_id,
        viewer=getattr(actor, "organisation_id", None),
        revealed=revealed,
        crowds=crowds,
    )


def location_out(position: adapters.Position, site: Site) -> dict[str, Any]:
    """A position as the API and the pages show it: the site with its state; a cell's centre,
    size and bounds (no state: a cell may cross a border, and the state would narrow it);
    or nothing at all ("hidden")."""
    cell = position.cell
    if position.point is None:
        return {"latitude": None, "longitude": None, "precision": "hidden", "state": "",
                "cell_deg": None, "cell_km": None, "bounds": None}  # fmt: skip
    return {
        "latitude": round(position.point.latitude, 5),
        "longitude": round(position.point.longitude, 5),
        "precision": position.precision,
        "state": "" if cell else site.state,
        "cell_deg": list(cell.size_deg) if cell else None,
        "cell_km": list(cell.size_km) if cell else None,
        "bounds": [round(edge, 5) for edge in cell.bounds] if cell else None,
    }


def distances_out(
    position: adapters.Position, origin: adapters.Origin | None
) -> dict[str, float | None]:
    """Distance [km, to 0.1] from a search's place to the site, or to the nearest and the
    farthest point of the cell (what a radius search compares is the nearest)."""
    if origin is None or position.point is None:
        return {"distance_km": None, "distance_max_km": None}
    nearest = position.nearest_km(origin.coordinates)
    farthest = position.farthest_km(origin.coordinates)
    assert nearest is not None
    assert farthest is not None
    return {"distance_km": round(nearest, 1), "distance_max_km": round(farthest, 1)}


def site_out(site: Site) -> dict[str, Any]:
    return {
        "id": site.pk,
        "name": site.name,
        "street": site.street,
        "postcode": site.postcode,
        "place": site.place,
        "state": site.state,
    }
