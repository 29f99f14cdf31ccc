"""Places and distances: places of the gazetteer for a radius search, great-circle
distances and positions coarsened to a grid cell."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
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
"""The grid anonymous positions are coarsened to: about 11 km × 10 km in Germany."""


def coarse_point(latitude: float, longitude: float) -> tuple[float, float]:
    """The centre of the grid cell a point lies in: a position that does not show the site."""
    return (
        round((math.floor(latitude / CELL_LATITUDE_DEG) + 0.5) * CELL_LATITUDE_DEG, 4),
        round((math.floor(longitude / CELL_LONGITUDE_DEG) + 0.5) * CELL_LONGITUDE_DEG, 4),
    )


def bounding_box(origin: Origin, radius_km: float) -> Mapping[str, float]:
    """Latitude and longitude bounds [deg] that hold every point within ``radius_km``."""
    dlat = radius_km / 111.0 + CELL_LATITUDE_DEG
    dlon = radius_km / (111.0 * max(0.1, math.cos(math.radians(origin.latitude)))) + (
        CELL_LONGITUDE_DEG
    )
    return {
        "latitude__gte": origin.latitude - dlat,
        "latitude__lte": origin.latitude + dlat,
        "longitude__gte": origin.longitude - dlon,
        "longitude__lte": origin.longitude + dlon,
    }
