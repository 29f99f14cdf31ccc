"""Translate between the exchange and the core: codes of the knowledge base, chemistry,
places of the gazetteer, distances and coarsened positions."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from metalloop.core.geo import Coordinates, GeoError, PlaceAmbiguous, PlaceUnknown, great_circle_km
from metalloop.core.materials.composition import (
    AnalysisError,
    Composition,
    ShareRange,
    analysis_from_mapping,
)
from metalloop.core.materials.entries import Entry, Graded, Kind, Material, WasteCode
from metalloop.exchange.codes import GRADE_KINDS, entry_of, knowledge
from metalloop.exchange.errors import ErrorCode
from metalloop.materials.adapters import analysis_message
from metalloop.network.adapters import gazetteer
from metalloop.network.models import State
from metalloop.network.selectors import site_list

# --- codes of the knowledge base ----------------------------------------------------------------


def name_of(code: str) -> str:
    """The name of a knowledge-base entry in the active language ("" for an unknown code)."""
    try:
        entry = knowledge().get(code)
    except KeyError:
        return ""
    return entry.name(get_language() or "de")


def label_of(code: str) -> str:
    """A grade or alloy by designation and code, any other entry by name and code."""
    try:
        entry = knowledge().get(code)
    except KeyError:
        return code
    if isinstance(entry, Graded) and entry.designation:
        return f"{entry.designation} – {entry.name(get_language() or 'de')}"
    return entry.name(get_language() or "de")


def material_descendants(code: str) -> set[str]:
    """The material and every material below it in the taxonomy."""
    materials = [m for m in knowledge().of_kind(Kind.MATERIALS) if isinstance(m, Material)]
    found = {code}
    grew = True
    while grew:
        below = {m.code for m in materials if m.parent in found} - found
        found |= below
        grew = bool(below)
    return found


def material_choices() -> list[tuple[str, str]]:
    """Materials in taxonomy order, indented by depth."""
    materials = [m for m in knowledge().of_kind(Kind.MATERIALS) if isinstance(m, Material)]
    children: dict[str, list[Material]] = {}
    for material in materials:
        children.setdefault(material.parent, []).append(material)
    language = get_language() or "de"
    choices: list[tuple[str, str]] = []

    def walk(parent: str, depth: int) -> None:
        for material in children.get(parent, []):
            choices.append((material.code, "\u2003" * depth + material.name(language)))
            walk(material.code, depth + 1)

    walk("", 0)
    return choices


def grade_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Scrap grades and alloys, grouped, as choices for a form."""
    return [
        (
            _("Scrap grades") if kind == Kind.SCRAP_GRADES else _("Alloys"),
            [(e.code, f"{e.code} · {label_of(e.code)}") for e in knowledge().of_kind(kind)],
        )
        for kind in GRADE_KINDS
    ]


def waste_code_choices() -> list[tuple[str, str]]:
    """The six-digit waste codes (hazardous ones marked with *)."""
    language = get_language() or "de"
    return [
        (e.code, f"{e.number}{'*' if e.hazardous else ''} · {e.name(language)}")
        for e in knowledge().of_kind(Kind.WASTE_CODES)
        if isinstance(e, WasteCode) and e.level == "entry"
    ]


def r_strategy_choices() -> list[tuple[str, str]]:
    language = get_language() or "de"
    return [
        (e.code, f"{e.code} · {e.name(language)}") for e in knowledge().of_kind(Kind.R_STRATEGIES)
    ]


def element_symbols() -> list[str]:
    return sorted(knowledge().element_symbols)


def normalised_grades(codes: Iterable[str]) -> list[str]:
    """Grades and alloys by their codes (aliases such as ``1.4301`` are resolved), each once.

    Raises ``ValidationError`` on ``grades`` naming every unknown code.
    """
    found: list[str] = []
    unknown: list[str] = []
    for raw in codes:
        text = raw.strip()
        if not text:
            continue
        entry = entry_of(text, GRADE_KINDS)
        if entry is None:
            unknown.append(text)
        elif entry.code not in found:
            found.append(entry.code)
    if unknown:
        raise ValidationError(
            {
                "grades": ValidationError(
                    _("Not a scrap grade or alloy of the knowledge base: %(codes)s.")
                    % {"codes": ", ".join(unknown)},
                    code=ErrorCode.GRADE_UNKNOWN,
                )
            }
        )
    return found


def entry_for(code: str) -> Entry | None:
    try:
        return knowledge().get(code)
    except KeyError:
        return None


# --- chemistry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementShare:
    """One element's share [wt-%]: an offer's analysed range, or a demand's limits."""

    element: str
    min_pct: Decimal | None
    max_pct: Decimal | None


def validated_elements(rows: Iterable[ElementShare], *, is_offer: bool) -> list[ElementShare]:
    """Check the chemistry of a listing with the core's rules; return it cleaned.

    An offer's single value is a point (minimum = maximum); a demand's minimum or maximum
    alone is a limit. Errors are keyed ``elements.<symbol>`` (or ``elements`` for the sum)
    so that forms and API clients can show them at the element.
    """
    symbols = knowledge().element_symbols
    errors: dict[str, ValidationError] = {}
    cleaned: list[ElementShare] = []
    for row in rows:
        element = row.element.strip()
        key = f"elements.{element}"
        low, high = row.min_pct, row.max_pct
        if is_offer and (low is None) != (high is None):
            low = high = low if low is not None else high
        if any(share.element == element for share in cleaned):
            errors[key] = ValidationError(
                _("%(element)s is given twice.") % {"element": element},
                code=ErrorCode.ANALYSIS_INVALID,
            )
            continue
        if low is None and high is None:
            errors[key] = ValidationError(
                _("%(element)s: give a minimum, a maximum or both.") % {"element": element},
                code=ErrorCode.ANALYSIS_INVALID,
            )
            continue
        try:
            analysis_from_mapping({element: _bounds(low, high)}, symbols)
        except AnalysisError as invalid:
            code = (
                ErrorCode.ELEMENT_UNKNOWN
                if invalid.reason == "unknown_element"
                else ErrorCode.ANALYSIS_INVALID
            )
            errors[key] = ValidationError(analysis_message(invalid), code=code)
            continue
        cleaned.append(ElementShare(element, low, high))
    if not errors and cleaned:
        try:
            analysis_from_mapping(
                {s.element: _bounds(s.min_pct, s.max_pct) for s in cleaned}, symbols
            )
        except AnalysisError as invalid:
            errors["elements"] = ValidationError(
                analysis_message(invalid), code=ErrorCode.ANALYSIS_INVALID
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _bounds(low: Decimal | None, high: Decimal | None) -> list[float]:
    return [float(low if low is not None else 0), float(high if high is not None else 100)]


def composition_of(shares: Iterable[Any]) -> Composition:
    """The core composition of a listing's chemistry (an open bound counts as 0 or 100 %)."""
    return Composition(
        {
            share.element: ShareRange.wt_pct(*_bounds(share.min_pct, share.max_pct))
            for share in shares
        }
    )


CHEMISTRY_PART = re.compile(
    r"^\s*(?P<element>[A-Za-z]{1,3})\s*(?P<op><=|>=|<|>|=)\s*(?P<value>[^<>=]*?)\s*$"
)


def parse_chemistry(text: str) -> list[ElementShare]:
    """Parse ``"Cr=18.1;Ni=8.0-8.5;Cu<=0.3;Mn>=0.5"`` [wt-%] (the import and export cell).

    Parts are separated by ";" (then decimal commas work) or, without any ";", by ",". A
    value is a point, a range ``low-high`` (or ``low..high``), or a limit ``<=`` / ``>=``.
    Raises ``ValidationError`` on ``chemistry``.
    """
    separator = ";" if ";" in text else ","
    shares: list[ElementShare] = []
    for part in (p.strip() for p in text.split(separator)):
        if not part:
            continue
        match = CHEMISTRY_PART.match(part)
        if match is None:
            raise _chemistry_error(
                _("%(part)s: write each element as Symbol=value, e.g. Cr=18.1.") % {"part": part}
            )
        element, op, value = match["element"], match["op"], match["value"]
        low: Decimal | None
        high: Decimal | None
        if op == "=":
            low, high = _range_of(element, value, decimal_comma=separator == ";")
        else:
            number = _decimal(element, value, decimal_comma=separator == ";")
            low, high = (None, number) if op.startswith("<") else (number, None)
        shares.append(ElementShare(element, low, high))
    return shares


def _range_of(element: str, text: str, *, decimal_comma: bool) -> tuple[Decimal, Decimal]:
    for separator in ("..", "–"):
        if separator in text:
            low, high = text.split(separator, 1)
            return (
                _decimal(element, low, decimal_comma=decimal_comma),
                _decimal(element, high, decimal_comma=decimal_comma),
            )
    if "-" in text[1:]:
        cut = text.index("-", 1)
        return (
            _decimal(element, text[:cut], decimal_comma=decimal_comma),
            _decimal(element, text[cut + 1 :], decimal_comma=decimal_comma),
        )
    value = _decimal(element, text, decimal_comma=decimal_comma)
    return value, value


def _decimal(element: str, text: str, *, decimal_comma: bool) -> Decimal:
    cleaned = text.strip().replace(",", ".") if decimal_comma else text.strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise _chemistry_error(
            _("%(element)s: %(value)s is not a number.") % {"element": element, "value": text}
        )
    return value


def _chemistry_error(message: str) -> ValidationError:
    return ValidationError({"chemistry": ValidationError(message, code=ErrorCode.ANALYSIS_INVALID)})


def format_chemistry(shares: Iterable[Any]) -> str:
    """The chemistry as one cell, the inverse of :func:`parse_chemistry`."""
    parts = []
    for share in shares:
        low, high = share.min_pct, share.max_pct
        if low is not None and high is not None:
            value = _text(low) if low == high else f"{_text(low)}-{_text(high)}"
            parts.append(f"{share.element}={value}")
        elif high is not None:
            parts.append(f"{share.element}<={_text(high)}")
        else:
            parts.append(f"{share.element}>={_text(low)}")
    return ";".join(parts)


def _text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimal_text(value: Decimal | None) -> str:
    """A decimal without trailing zeros ("" for none)."""
    return "" if value is None else _text(value)


# --- places and distances ----------------------------------------------------------------------

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
