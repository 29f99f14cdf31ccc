"""The real gazetteer built from the installed packages (no network)."""

from __future__ import annotations

import pytest

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
