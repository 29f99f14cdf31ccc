"""Places, coordinates and an offline gazetteer of German places.

The gazetteer resolves a place name (optionally narrowed by state or postcode) to
coordinates without any network call. Ambiguity is reported, never guessed away.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from metalloop.core.place_names import fold_name as fold_name
from metalloop.core.place_names import place_key, short_form, skeleton, split_qualifier

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


def _identity(place: Place) -> object:
    return place.source_id or (place.name, place.state, place.coordinates)


def _by_population(places: Iterable[Place]) -> tuple[Place, ...]:
    """The places once each, most populous first."""
    unique: dict[object, Place] = {}
    for place in places:
        unique.setdefault(_identity(place), place)
    return tuple(sorted(unique.values(), key=lambda p: (-p.population, p.state, p.name)))


def _index(pairs: Iterable[tuple[str, Place]]) -> dict[str, tuple[Place, ...]]:
    grouped: dict[str, list[Place]] = {}
    for key, place in pairs:
        if key:
            grouped.setdefault(key, []).append(place)
    return {key: tuple(group) for key, group in grouped.items()}


@dataclass(frozen=True)
class Gazetteer:
    """An index of places by their names, with postcode ranges to narrow by state.

    Parameters
    ----------
    places : tuple of Place
        All places of the data set, under their official names.
    aliases : tuple of Place
        The same places under other names (``"Mülheim an der Ruhr"`` for ``"Mülheim"``),
        with the ``source_id`` of the place they name.
    postcode_ranges : tuple of PostcodeRange
        Postcode ranges and the state each lies in.
    state_names : Mapping of str to str
        State code to its name, for messages; names and codes also work as qualifiers
        (``"Stolberg, Nordrhein-Westfalen"``, ``"Stolberg NW"``).
    state_aliases : Mapping of str to str
        Other writings of a state (folded) to its code, e.g. ``"nrw"`` to ``"NW"``.
    regions : Mapping of str to frozenset of str
        Regions and rivers of official name suffixes (folded, written out) to the states
        they lie in, e.g. ``"rheinland"`` to ``{"NW", "RP"}``.
    abbreviations : Mapping of str to str
        Abbreviations in place names (folded) to the words they stand for, e.g.
        ``"rhld"`` to ``"rheinland"``, ``"st"`` to ``"sankt"``.

    Notes
    -----
    A name is looked up in this order: the official names and short forms (the official
    name without its suffix, ``"Halle"`` for ``"Halle (Saale)"``); other names; the name without
    connecting words and with abbreviations written out (``"Neustadt a.d. Weinstraße"``);
    then as a place name followed by a state (``"Stolberg NRW"``) or by a region or river
    that only one of the places of that name lies in or is named after
    (``"Weiden in der Oberpfalz"``). A name that several places carry resolves only when
    one of them carries it as its official name and is at least as populous as every
    other; otherwise :class:`PlaceAmbiguous` lists them, most populous first.
    """

    places: tuple[Place, ...]
    aliases: tuple[Place, ...] = ()
    postcode_ranges: tuple[PostcodeRange, ...] = ()
    state_names: Mapping[str, str] = field(default_factory=dict)
    state_aliases: Mapping[str, str] = field(default_factory=dict)
    regions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    _official: dict[str, tuple[Place, ...]] = field(init=False, repr=False, compare=False)
    _alias: dict[str, tuple[Place, ...]] = field(init=False, repr=False, compare=False)
    _short: dict[str, tuple[Place, ...]] = field(init=False, repr=False, compare=False)
    _skeletons: dict[str, tuple[Place, ...]] = field(init=False, repr=False, compare=False)
    _words: dict[object, frozenset[str]] = field(init=False, repr=False, compare=False)
    _states: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        official_of = {p.source_id: p for p in self.places if p.source_id}
        written = [(p.name, p) for p in self.places] + [
            (a.name, official_of.get(a.source_id, a)) for a in self.aliases
        ]
        suffix_words = frozenset(self.regions)
        alias: list[tuple[str, Place]] = []
        short: list[tuple[str, Place]] = []
        skeletons: list[tuple[str, Place]] = []
        words: dict[object, set[str]] = {}
        for name, place in written:
            key = place_key(name)
            if name != place.name:
                alias.append((key, place))
            else:
                short.append((short_form(name, suffix_words, self.abbreviations), place))
            bare = skeleton(key, self.abbreviations)
            skeletons.append((bare, place))
            words.setdefault(_identity(place), set()).update(bare.split())
        states = {place_key(name): code for code, name in self.state_names.items()}
        states.update({code.casefold(): code for code in self.state_names})
        states.update({place_key(alias): code for alias, code in self.state_aliases.items()})
        object.__setattr__(self, "_official", _index((place_key(p.name), p) for p in self.places))
        object.__setattr__(self, "_alias", _index(alias))
        object.__setattr__(self, "_short", _index(short))
        object.__setattr__(self, "_skeletons", _index(skeletons))
        object.__setattr__(self, "_words", {k: frozenset(v) for k, v in words.items()})
        object.__setattr__(self, "_states", states)

    def __len__(self) -> int:
        return len(self.places)

    def states_for_postcode(self, postcode: str) -> frozenset[str]:
        """Return the states whose postcode ranges contain ``postcode``."""
        code = normalise_postcode(postcode)
        return frozenset(r.state for r in self.postcode_ranges if r.contains(code))

    def candidates(self, name: str) -> tuple[Place, ...]:
        """Return every place ``name`` may mean (official, other and short names), most
        populous first."""
        official, other = self._tiers(place_key(name))
        return _by_population(official + other)

    def _tiers(self, key: str) -> tuple[tuple[Place, ...], tuple[Place, ...]]:
        """The places with this official name, and those with this short name (or, when no
        official name matches, this other name)."""
        official = self._official.get(key, ())
        other = self._short.get(key, ()) + (() if official else self._alias.get(key, ()))
        if not official and not other:
            other = self._skeletons.get(skeleton(key, self.abbreviations), ())
        return official, other

    def resolve(self, name: str, *, state: str = "", postcode: str = "") -> Place:
        """Resolve a place name to exactly one place.

        Parameters
        ----------
        name : str
            Place name as written on an address, in its official form (``"Halle (Saale)"``),
            abbreviated (``"Neustadt a.d. Weinstraße"``), short (``"Halle"``) or followed by
            the state (``"Stolberg, Nordrhein-Westfalen"``, ``"Stolberg NRW"``).
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
        found = self._find(name, place_key(name), state, postcode)
        if found is None:
            where = f" in {self.state_names.get(state, state)}" if state else ""
            raise PlaceUnknown(
                f"the place {name.strip()!r} is not in the gazetteer{where}; "
                "check the spelling or give the coordinates"
            )
        return found

    def _find(self, name: str, key: str, state: str, postcode: str) -> Place | None:
        official, other = self._tiers(key)
        found = self._choose(name, official, other, state, postcode)
        if found is not None:
            return found
        for base, qualifier in split_qualifier(key):
            qualified_state = self._states.get(qualifier)
            if qualified_state:
                if state and qualified_state != state:
                    continue
                official, other = self._tiers(base)
                found = self._choose(name, official, other, qualified_state, postcode)
            else:
                found = self._qualified(name, base, qualifier, state, postcode)
            if found is not None:
                return found
        return None

    def _qualified(
        self, name: str, base: str, qualifier: str, state: str, postcode: str
    ) -> Place | None:
        """The place called ``base`` that lies in the region or is named after the river
        or region ``qualifier``."""
        official, other = self._tiers(base)
        words = skeleton(qualifier, self.abbreviations)
        states = self.regions.get(words, frozenset())
        kept = tuple(
            p
            for p in _by_population(official + other)
            if (not state or p.state == state)
            and (p.state in states or set(words.split()) <= self._words.get(_identity(p), set()))
        )
        return self._choose(name, (), kept, "", postcode)

    def _choose(
        self,
        name: str,
        official: tuple[Place, ...],
        other: tuple[Place, ...],
        state: str,
        postcode: str,
    ) -> Place | None:
        if state:
            official = tuple(p for p in official if p.state == state)
            other = tuple(p for p in other if p.state == state)
        official = _by_population(official)
        seen = {_identity(p) for p in official}
        other = _by_population(p for p in other if _identity(p) not in seen)
        if postcode and len(official) + len(other) > 1:
            # Postcode zones follow the post's delivery areas, not state borders, so the
            # postcode only breaks ties and never rules out the one place of a name.
            states = self.states_for_postcode(postcode)
            narrowed = (
                tuple(p for p in official if p.state in states),
                tuple(p for p in other if p.state in states),
            )
            if narrowed[0] or narrowed[1]:
                official, other = narrowed
        if len(official) == 1 and all(p.population <= official[0].population for p in other):
            return official[0]
        found = _by_population(official + other)
        if len(found) > 1:
            where_found = ", ".join(sorted({self.state_names.get(p.state, p.state) for p in found}))
            raise PlaceAmbiguous(
                f"{len(found)} places are called {name.strip()!r} ({where_found}); "
                "give the state or the postcode, or the coordinates",
                found,
            )
        return found[0] if found else None

    def search(self, prefix: str, *, limit: int = 10) -> tuple[Place, ...]:
        """Return places whose official name starts with ``prefix``, most populous first."""
        key = place_key(prefix)
        if not key:
            return ()
        hits: Iterable[Place] = (
            place
            for name, group in self._official.items()
            if name.startswith(key)
            for place in group
        )
        return tuple(sorted(hits, key=lambda p: (-p.population, p.name))[:limit])
