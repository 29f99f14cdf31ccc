"""Places and distances: places of the gazetteer for a radius search, great-circle
distances and positions coarsened to a grid cell that holds sites of several organisations."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from metalloop.core.geo import Coordinates, GeoError, PlaceAmbiguous, PlaceUnknown, great_circle_km
from metalloop.exchange.errors import ErrorCode
from metalloop.network.adapters import gazetteer
from metalloop.network.models import State
from metalloop.network.selectors import site_list

POSTCODE = re.compile(r"^(?P<postcode>\d{5})(?:\s+(?P<name>.+))?$")


@dataclass(frozen=True)
class Origin:
    """The point a radius search starts from."""

    latitude: float
    longitude: float
    label: str


def resolve_place(text: str) -> Origin:
    """A town (``Duisburg``), a postcode (``47119``) or both (``47119 Duisburg``), offline.

    A postcode alone is located at the registry's sites with that postcode (the gazetteer
    knows places, not postcode areas). Raises ``ValidationError`` on ``place``.
    """
    text = " ".join(text.split())
    match = POSTCODE.match(text)
    if match and not match["name"]:
        return _postcode_origin(match["postcode"])
    name, postcode = (match["name"], match["postcode"]) if match else (text, "")
    try:
        place = gazetteer().resolve(name, postcode=postcode)
    except PlaceAmbiguous as ambiguous:
        states = ", ".join(sorted({dict(State.choices)[p.state] for p in ambiguous.candidates}))
        message = (
            _(
                "There are %(count)d places called %(place)s in %(states)s; give a larger town "
                "nearby instead."
            )
            if postcode
            else _(
                "There are %(count)d places called %(place)s (%(states)s); add the postcode, "
                "e.g. 47119 Duisburg."
            )
        )
        raise _place_error(
            message % {"count": len(ambiguous.candidates), "place": name, "states": states},
            ErrorCode.PLACE_AMBIGUOUS,
        ) from ambiguous
    except (PlaceUnknown, GeoError) as unknown:
        raise _place_error(
            _("%(place)s is not in the gazetteer of German places; check the spelling.")
            % {"place": name},
            ErrorCode.PLACE_UNKNOWN,
        ) from unknown
    return Origin(place.coordinates.latitude, place.coordinates.longitude, place.name)


def _postcode_origin(postcode: str) -> Origin:
    points = [(s.latitude, s.longitude) for s in site_list(actor=None).filter(postcode=postcode)]
    if not points:
        raise _place_error(
            _(
                "The postcode %(postcode)s cannot be located offline; give the town as well, "
                "e.g. %(postcode)s Duisburg."
            )
            % {"postcode": postcode},
            ErrorCode.PLACE_UNKNOWN,
        )
    latitude = sum(p[0] for p in points) / len(points)
    longitude = sum(p[1] for p in points) / len(points)
    return Origin(latitude, longitude, postcode)


def _place_error(message: str, code: str) -> ValidationError:
    return ValidationError({"place": ValidationError(message, code=code)})


def distance_km(origin: Origin, latitude: float, longitude: float) -> float:
    """Great-circle distance [km] from ``origin`` to a point."""
    return great_circle_km(
        Coordinates(origin.latitude, origin.longitude), Coordinates(latitude, longitude)
    )


CELL_LATITUDE_DEG = 0.1
CELL_LONGITUDE_DEG = 0.15
"""The base grid anonymous positions are coarsened to: about 11 km × 10 km in Germany."""
CELL_LEVELS = (1, 2, 4, 8)
"""Cell sizes tried, in multiples of the base cell (about 10, 20, 40 and 80 km)."""
CROWD = 3
"""Fewest organisations of the network with a site in an anonymous listing's cell: a cell
with fewer would point at its owner through the member registry, which lists every site."""


def coarse_point(latitude: float, longitude: float, level: int = 1) -> tuple[float, float]:
    """The centre of the grid cell of ``level`` a point lies in."""
    height, width = CELL_LATITUDE_DEG * level, CELL_LONGITUDE_DEG * level
    return (
        round((math.floor(latitude / height) + 0.5) * height, 4),
        round((math.floor(longitude / width) + 0.5) * width, 4),
    )


def _cell(latitude: float, longitude: float, level: int) -> tuple[int, int, int]:
    height, width = CELL_LATITUDE_DEG * level, CELL_LONGITUDE_DEG * level
    return level, math.floor(latitude / height), math.floor(longitude / width)


@dataclass(frozen=True)
class Area:
    """Where an anonymous listing is shown: the centre of a cell [deg] and the cell's size."""

    latitude: float
    longitude: float
    level: int

    @property
    def size_deg(self) -> tuple[float, float]:
        return CELL_LATITUDE_DEG * self.level, CELL_LONGITUDE_DEG * self.level


@dataclass(frozen=True)
class Crowds:
    """The organisations with a site in each cell of each level, for one network."""

    members: Mapping[tuple[int, int, int], frozenset[int]]

    def area(self, latitude: float, longitude: float) -> Area | None:
        """The smallest cell around the point that holds sites of at least ``CROWD``
        organisations; ``None`` where even the largest does not (show no position then)."""
        for level in CELL_LEVELS:
            if len(self.members.get(_cell(latitude, longitude, level), ())) >= CROWD:
                return Area(*coarse_point(latitude, longitude, level), level)
        return None


def crowds_of(sites: Iterable[tuple[int, float, float]]) -> Crowds:
    """Crowds from ``(organisation id, latitude, longitude)`` of a network's sites."""
    members: dict[tuple[int, int, int], set[int]] = {}
    for organisation, latitude, longitude in sites:
        for level in CELL_LEVELS:
            members.setdefault(_cell(latitude, longitude, level), set()).add(organisation)
    return Crowds({cell: frozenset(orgs) for cell, orgs in members.items()})


def bounding_box(origin: Origin, radius_km: float) -> Mapping[str, float]:
    """Latitude and longitude bounds [deg] that hold every point within ``radius_km``."""
    # An anonymous listing is measured at its cell's centre, up to half the largest cell away.
    dlat = radius_km / 111.0 + CELL_LATITUDE_DEG * max(CELL_LEVELS)
    dlon = radius_km / (111.0 * max(0.1, math.cos(math.radians(origin.latitude)))) + (
        CELL_LONGITUDE_DEG * max(CELL_LEVELS)
    )
    return {
        "latitude__gte": origin.latitude - dlat,
        "latitude__lte": origin.latitude + dlat,
        "longitude__gte": origin.longitude - dlon,
        "longitude__lte": origin.longitude + dlon,
    }
