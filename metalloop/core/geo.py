"""Places, coordinates and an offline gazetteer of German places.

The gazetteer resolves a place name (optionally narrowed by state or postcode) to
coordinates without any network call. Ambiguity is reported, never guessed away.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius [km] (IUGG mean radius R1)."""


class GeoError(ValueError):
    """A place could not be resolved; the message says why and what to do."""


class PlaceUnknown(GeoError):
    """No place of that name is known (in that state)."""


class PlaceAmbiguous(GeoError):
    """Several places carry that name; the candidates are attached."""

    def __init__(self, message: str, candidates: tuple[Place, ...]) -> None:
        super().__init__(message)
        self.candidates = candidates


class CoordinatesInvalid(GeoError):
    """Latitude or longitude outside their ranges."""


@dataclass(frozen=True, slots=True)
class Coordinates:
    """A point on the WGS 84 ellipsoid.

    Parameters
    ----------
    latitude : float
        Latitude [deg], -90 to 90.
    longitude : float
        Longitude [deg], -180 to 180.
    """

    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.latitude) and -90.0 <= self.latitude <= 90.0):
            raise CoordinatesInvalid(f"latitude {self.latitude} is outside -90..90 degrees")
        if not (math.isfinite(self.longitude) and -180.0 <= self.longitude <= 180.0):
            raise CoordinatesInvalid(f"longitude {self.longitude} is outside -180..180 degrees")


@dataclass(frozen=True, slots=True)
class Place:
    """A named place of the gazetteer.

    Parameters
    ----------
    name : str
        Official name, e.g. ``"Goslar"``.
    state : str
        Code of the German state (``"NW"``, ``"NI"``, ...).
    coordinates : Coordinates
        Location of the place centre [deg].
    population : int
        Inhabitants [-] as given by the source (0 when unknown).
    source_id : str
        Identifier in the source data set, e.g. ``"geonames:2920101"``.
    """

    name: str
    state: str
    coordinates: Coordinates
    population: int = 0
    source_id: str = ""


def _index_by_folded_name(places: Iterable[Place]) -> dict[str, tuple[Place, ...]]:
    index: dict[str, list[Place]] = {}
    for place in places:
        index.setdefault(fold_name(place.name), []).append(place)
    return {
        key: tuple(sorted(group, key=lambda p: (-p.population, p.state)))
        for key, group in index.items()
    }


def fold_name(name: str) -> str:
    """Fold a place name for lookup: case, accents, umlaut spellings and spacing.

    ``"Mülheim an der Ruhr"``, ``"muelheim an der ruhr"`` and ``"MULHEIM AN DER RUHR"``
    fold to the same key.
    """
    text = name.strip().casefold().replace("ß", "ss")
    for digraph, vowel in (("ae", "a"), ("oe", "o"), ("ue", "u")):
        text = text.replace(digraph, vowel)
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(letters.replace("-", " ").replace(".", " ").split())


def great_circle_km(a: Coordinates, b: Coordinates) -> float:
    """Great-circle distance between two points [km].

    Notes
    -----
    Haversine formula on a sphere of radius :data:`EARTH_RADIUS_KM`; the error against
    the ellipsoid stays below 0.5 %, well inside what road distances differ anyway.
    """
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dphi = phi2 - phi1
    dlmb = math.radians(b.longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class PostcodeRange:
    """An inclusive range of five-digit German postcodes lying in one state."""

    first: str
    last: str
    state: str

    def contains(self, postcode: str) -> bool:
        """Tell whether ``postcode`` lies in this range."""
        return self.first <= postcode <= self.last


def normalise_postcode(postcode: str) -> str:
    """Return a five-digit German postcode or raise :class:`GeoError`."""
    digits = postcode.strip().removeprefix("D-").removeprefix("DE-")
    if len(digits) != 5 or not digits.isdigit():
        raise GeoError(f"postcode {postcode!r} is not a five-digit German postcode")
    return digits


@dataclass(frozen=True)
class Gazetteer:
    """An index of places by folded name, with postcode ranges to narrow by state.

    Parameters
    ----------
    places : tuple of Place
        All places of the data set, under their official names.
    aliases : tuple of Place
        The same places under other names (``"Mülheim an der Ruhr"`` for ``"Mülheim"``);
        consulted only when no official name matches.
    postcode_ranges : tuple of PostcodeRange
        Postcode ranges and the state each lies in.
    state_names : Mapping of str to str
        State code to its name, for messages.
    """

    places: tuple[Place, ...]
    aliases: tuple[Place, ...] = ()
    postcode_ranges: tuple[PostcodeRange, ...] = ()
    state_names: Mapping[str, str] = field(default_factory=dict)
    _by_name: dict[str, tuple[Place, ...]] = field(init=False, repr=False, compare=False)
    _by_alias: dict[str, tuple[Place, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", _index_by_folded_name(self.places))
        object.__setattr__(self, "_by_alias", _index_by_folded_name(self.aliases))

    def __len__(self) -> int:
        return len(self.places)

    def states_for_postcode(self, postcode: str) -> frozenset[str]:
        """Return the states whose postcode ranges contain ``postcode``."""
        code = normalise_postcode(postcode)
        return frozenset(r.state for r in self.postcode_ranges if r.contains(code))

    def candidates(self, name: str) -> tuple[Place, ...]:
        """Return every place named ``name`` (folded comparison), most populous first."""
        key = fold_name(name)
        return self._by_name.get(key) or self._dedupe(self._by_alias.get(key, ()))

    @staticmethod
    def _dedupe(places: tuple[Place, ...]) -> tuple[Place, ...]:
        seen: dict[str, Place] = {}
        for place in places:
            seen.setdefault(place.source_id, place)
        return tuple(seen.values())

    def resolve(self, name: str, *, state: str = "", postcode: str = "") -> Place:
        """Resolve a place name to exactly one place.

        Parameters
        ----------
        name : str
            Place name as written on an address.
        state : str, optional
            State code that narrows the search.
        postcode : str, optional
            Five-digit postcode; narrows the search to the state(s) it lies in.

        Raises
        ------
        PlaceUnknown
            When no place of that name lies in the given state or postcode area.
        PlaceAmbiguous
            When more than one place remains; the candidates are attached.
        """
        found = self.candidates(name)
        where = ""
        if state:
            found = tuple(p for p in found if p.state == state)
            where = f" in {self.state_names.get(state, state)}"
        if postcode and len(found) > 1:
            # Postcode zones follow the post's delivery areas, not state borders, so the
            # postcode only breaks ties and never rules out the one place of a name.
            states = self.states_for_postcode(postcode)
            found = tuple(p for p in found if p.state in states) or found
        if not found:
            raise PlaceUnknown(
                f"the place {name.strip()!r} is not in the gazetteer{where}; "
                "check the spelling or give the coordinates"
            )
        if len(found) > 1:
            where_found = ", ".join(sorted({self.state_names.get(p.state, p.state) for p in found}))
            raise PlaceAmbiguous(
                f"{len(found)} places are called {name.strip()!r} ({where_found}); "
                "give the state or the postcode, or the coordinates",
                found,
            )
        return found[0]

    def search(self, prefix: str, *, limit: int = 10) -> tuple[Place, ...]:
        """Return places whose folded name starts with ``prefix``, most populous first."""
        key = fold_name(prefix)
        if not key:
            return ()
        hits: Iterable[Place] = (
            place
            for name, group in self._by_name.items()
            if name.startswith(key)
            for place in group
        )
        return tuple(sorted(hits, key=lambda p: (-p.population, p.name))[:limit])
