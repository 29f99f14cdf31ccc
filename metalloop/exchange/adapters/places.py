"""Places and distances: places of the gazetteer for a radius search, great-circle
distances, and the positions a viewer is shown of sites it may not learn (a cell of the
grid of :mod:`metalloop.core.cloaking`)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from metalloop.core.cloaking import (
    CELL_LATITUDE_DEG,
    CELL_LONGITUDE_DEG,
    SHAPES,
    Cell,
    Crowds,
)
from metalloop.core.cloaking import crowds_of as core_crowds_of
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

    @property
    def coordinates(self) -> Coordinates:
        return Coordinates(self.latitude, self.longitude)


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


@dataclass(frozen=True)
class Position:
    """Where a viewer is shown a site: exactly (``cell`` None), as a cell of the grid
    (``point`` its centre), or nowhere (``point`` None: even the largest cell would point
    at the owner). Every figure shown about the site is computed from this alone."""

    point: Coordinates | None
    cell: Cell | None = None

    @property
    def precision(self) -> str:
        if self.point is None:
            return "hidden"
        return "site" if self.cell is None else "area"

    def nearest_km(self, origin: Coordinates) -> float | None:
        """Distance [km] from ``origin`` to the site, or to the nearest point of the cell:
        the distance limits and radius searches are checked against."""
        if self.point is None:
            return None
        return self.cell.nearest_km(origin) if self.cell else great_circle_km(origin, self.point)

    def farthest_km(self, origin: Coordinates) -> float | None:
        """Distance [km] from ``origin`` to the site, or to the farthest corner of the cell."""
        if self.point is None:
            return None
        return self.cell.farthest_km(origin) if self.cell else great_circle_km(origin, self.point)


def published_position(
    latitude: float,
    longitude: float,
    *,
    owner: int,
    viewer: int | None,
    revealed: bool,
    crowds: Crowds,
) -> Position:
    """The position of a site of ``owner`` as ``viewer`` (an organisation, or None) is
    shown it: the site where the owner may be known, else its cell (see
    :mod:`metalloop.core.cloaking`)."""
    site = Coordinates(latitude, longitude)
    if revealed:
        return Position(site)
    unseen = {owner} if viewer is None else {owner, viewer}
    cell = crowds.cloak(site, unseen=unseen)
    return Position(cell.centre if cell else None, cell)


def crowds_of(sites: Iterable[tuple[int, float, float]]) -> Crowds:
    """Crowds from ``(organisation id, latitude, longitude)`` of a network's sites."""
    return core_crowds_of((organisation, Coordinates(lat, lon)) for organisation, lat, lon in sites)


def bounding_box(origin: Origin, radius_km: float) -> Mapping[str, float]:
    """Latitude and longitude bounds [deg] that hold every point within ``radius_km``."""
    # A hidden site counts as within reach when its cell does: the cell may lie up to one
    # largest cell beyond the radius.
    rows, columns = SHAPES[0]
    dlat = radius_km / 111.0 + CELL_LATITUDE_DEG * rows
    dlon = radius_km / (111.0 * max(0.1, math.cos(math.radians(origin.latitude)))) + (
        CELL_LONGITUDE_DEG * columns
    )
    return {
        "latitude__gte": origin.latitude - dlat,
        "latitude__lte": origin.latitude + dlat,
        "longitude__gte": origin.longitude - dlon,
        "longitude__lte": origin.longitude + dlon,
    }
