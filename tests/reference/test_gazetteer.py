"""The real gazetteer built from the installed packages (no network)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from metalloop.core.geo import PlaceAmbiguous, PlaceUnknown
from metalloop.reference.gazetteer import (
    GEONAMES_ADMIN1_TO_STATE,
    build_gazetteer,
    load_gazetteer,
    read_german_places,
)


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory):
    return load_gazetteer(tmp_path_factory.mktemp("cache"))


def test_it_holds_the_german_places(gazetteer):
    assert len(gazetteer) > 10_000
    assert {p.state for p in gazetteer.places} == set(GEONAMES_ADMIN1_TO_STATE.values())


@pytest.mark.parametrize(
    ("name", "state", "postcode", "expected_state", "lat", "lon"),
    [
        ("Duisburg", "", "", "NW", 51.43, 6.77),
        ("Goslar", "", "", "NI", 51.9, 10.43),
        ("Clausthal-Zellerfeld", "", "", "NI", 51.81, 10.34),
        ("Wernigerode", "", "", "ST", 51.84, 10.78),
        ("Mülheim an der Ruhr", "", "", "NW", 51.43, 6.88),
        ("Essen", "NW", "", "NW", 51.46, 7.01),
        ("Essen", "", "45127", "NW", 51.46, 7.01),
        ("Hagen", "", "58095", "NW", 51.36, 7.47),
    ],
)
def test_real_places_resolve(gazetteer, name, state, postcode, expected_state, lat, lon):
    place = gazetteer.resolve(name, state=state, postcode=postcode)
    assert place.state == expected_state
    assert (round(place.coordinates.latitude, 2), round(place.coordinates.longitude, 2)) == (
        lat,
        lon,
    )


def test_the_cache_gives_the_same_gazetteer(tmp_path):
    first = read_german_places(tmp_path)
    assert list(tmp_path.glob("gazetteer-de-*.json"))
    second = read_german_places(tmp_path)
    assert first == second
    assert len(build_gazetteer(second, ()).places) == len(first)


def _place_names() -> list[dict[str, str]]:
    path = Path(__file__).parent / "data" / "place_names.csv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.DictReader(lines, delimiter=";"))


PLACE_NAMES = _place_names()


def test_the_list_of_place_names_is_long_enough():
    assert len(PLACE_NAMES) >= 50


@pytest.mark.parametrize(
    "row", PLACE_NAMES, ids=[f"{r['written']}|{r['state']}|{r['postcode']}" for r in PLACE_NAMES]
)
def test_official_short_and_qualified_names_resolve(gazetteer, row):
    """Official forms with suffixes, short forms and names with a state: the place found,
    or, for a name several places carry, the choice offered instead of a guess."""
    resolve = {"name": row["written"], "state": row["state"], "postcode": row["postcode"]}
    if row["ambiguous_states"]:
        with pytest.raises(PlaceAmbiguous) as ambiguous:
            gazetteer.resolve(resolve.pop("name"), **resolve)
        states = {p.state for p in ambiguous.value.candidates}
        assert states == set(row["ambiguous_states"].split())
    elif not row["expected_state"]:
        with pytest.raises(PlaceUnknown):
            gazetteer.resolve(resolve.pop("name"), **resolve)
    else:
        place = gazetteer.resolve(resolve.pop("name"), **resolve)
        assert place.state == row["expected_state"]
        assert place.coordinates.latitude == pytest.approx(float(row["lat"]), abs=0.05)
        assert place.coordinates.longitude == pytest.approx(float(row["lon"]), abs=0.05)
