"""Translate between the registry's models and the core: the gazetteer of places."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from metalloop.core.geo import (
    Coordinates,
    CoordinatesInvalid,
    Gazetteer,
    GeoError,
    Place,
    PlaceAmbiguous,
    PlaceUnknown,
)
from metalloop.network.errors import ErrorCode
from metalloop.network.models import CoordinateSource, State
from metalloop.reference.gazetteer import load_gazetteer


def gazetteer() -> Gazetteer:
    """The offline gazetteer, loaded once per process (cached under var/cache)."""
    return load_gazetteer(settings.VAR_DIR / "cache")


@dataclass(frozen=True)
class ResolvedLocation:
    latitude: float
    longitude: float
    state: str
    source: str
    gazetteer_id: str


def resolve_location(
    *, place: str, state: str, postcode: str, latitude: float | None, longitude: float | None
) -> ResolvedLocation:
    """Coordinates for a site: as given, else the place centre from the gazetteer.

    Raises ``ValidationError`` on the field at fault, with a message that says what to do.
    """
    if (latitude is None) != (longitude is None):
        raise ValidationError(
            {"latitude": _("Give both latitude and longitude, or neither.")},
            code=ErrorCode.COORDINATES_INCOMPLETE,
        )
    if latitude is not None and longitude is not None:
        return _given_location(latitude=latitude, longitude=longitude, state=state)
    try:
        found = gazetteer().resolve(place, state=state, postcode=postcode)
    except PlaceAmbiguous as ambiguous:
        raise ValidationError(
            {"place": _ambiguous_message(place, ambiguous.candidates)},
            code=ErrorCode.PLACE_AMBIGUOUS,
        ) from ambiguous
    except PlaceUnknown as unknown:
        where = dict(State.choices).get(state, "")
        message = (
            _("%(place)s is not in the gazetteer of German places (in %(state)s).")
            if where
            else _("%(place)s is not in the gazetteer of German places.")
        ) % {"place": place, "state": where}
        hint = _("Check the spelling, or give the coordinates (latitude and longitude).")
        raise ValidationError(
            {"place": f"{message} {hint}"}, code=ErrorCode.PLACE_UNKNOWN
        ) from unknown
    except GeoError as invalid:
        raise ValidationError(
            {"postcode": _("A German postcode has five digits.")}, code="postcode_invalid"
        ) from invalid
    return ResolvedLocation(
        latitude=found.coordinates.latitude,
        longitude=found.coordinates.longitude,
        state=found.state,
        source=CoordinateSource.GAZETTEER,
        gazetteer_id=found.source_id,
    )


def _given_location(*, latitude: float, longitude: float, state: str) -> ResolvedLocation:
    try:
        Coordinates(latitude=latitude, longitude=longitude)
    except CoordinatesInvalid as invalid:
        raise ValidationError(
            {
                "latitude": _(
                    "Latitude lies between -90 and 90, longitude between -180 and 180 degrees."
                )
            },
            code="coordinates_invalid",
        ) from invalid
    if not state:
        raise ValidationError(
            {"state": _("Give the state when you give coordinates.")}, code=ErrorCode.STATE_REQUIRED
        )
    return ResolvedLocation(latitude, longitude, state, CoordinateSource.GIVEN, "")


def _ambiguous_message(place: str, candidates: tuple[Place, ...]) -> str:
    states = ", ".join(sorted({dict(State.choices).get(p.state, p.state) for p in candidates}))
    return _(
        "There are %(count)d places called %(place)s (%(states)s). Give the state or the "
        "postcode, or the coordinates."
    ) % {"count": len(candidates), "place": place, "states": states}
