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


KM_PER_DEGREE_LATITUDE = 111.2
"""Length of one degree of latitude [km] (mean Earth radius 6371 km × π / 180)."""


def location_out(site: Site, *, revealed: bool, crowds: adapters.Crowds) -> dict[str, Any]:
    """The site where the owner may be known; else the centre of the smallest grid cell
    (about 10 to 80 km) that holds sites of several of the network's organisations; else no
    position and no state at all ("hidden": the owner would stand out even at 80 km)."""
    if revealed:
        return _location(site.latitude, site.longitude, "site", site.state)
    area = crowds.area(site.latitude, site.longitude)
    if area is None:
        return {"latitude": None, "longitude": None, "precision": "hidden", "state": "",
                "cell_deg": None, "cell_km": None}  # fmt: skip
    return _location(area.latitude, area.longitude, "area", site.state, area.size_deg)


def _location(
    latitude: float,
    longitude: float,
    precision: str,
    state: str,
    cell_deg: tuple[float, float] | None = None,
) -> dict[str, Any]:
    return {
        "latitude": round(latitude, 5),
        "longitude": round(longitude, 5),
        "precision": precision,
        "state": state,
        "cell_deg": list(cell_deg) if cell_deg else None,
        "cell_km": int(round(cell_deg[0] * KM_PER_DEGREE_LATITUDE, -1)) if cell_deg else None,
    }


def site_out(site: Site) -> dict[str, Any]:
    return {
        "id": site.pk,
        "name": site.name,
        "street": site.street,
        "postcode": site.postcode,
        "place": site.place,
        "state": site.state,
    }
