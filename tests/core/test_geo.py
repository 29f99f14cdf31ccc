"""The pure geo core: name folding, distances, the gazetteer's resolution rules."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metalloop.core.geo import (
    Coordinates,
    CoordinatesInvalid,
    Gazetteer,
    GeoError,
    Place,
    PlaceAmbiguous,
    PlaceUnknown,
    PostcodeRange,
    fold_name,
    great_circle_km,
)
from metalloop.core.place_names import place_key, short_form, skeleton

GOSLAR = Place("Goslar", "NI", Coordinates(51.90425, 10.42766), 43560, "geonames:2918840")
ESSEN_NW = Place("Essen", "NW", Coordinates(51.45657, 7.01228), 593085, "geonames:2928810")
ESSEN_NI = Place("Essen", "NI", Coordinates(52.69, 7.93), 8185, "geonames:2928809")
MUELHEIM = Place("Mülheim", "NW", Coordinates(51.42, 6.88), 173050, "geonames:2867543")
MUELHEIM_ALIAS = Place(
    "Mülheim an der Ruhr", "NW", Coordinates(51.42, 6.88), 173050, "geonames:2867543"
)
GAZETTEER = Gazetteer(
    places=(GOSLAR, ESSEN_NW, ESSEN_NI, MUELHEIM),
    aliases=(MUELHEIM_ALIAS,),
    postcode_ranges=(
        PostcodeRange("40001", "48432", "NW"),
        PostcodeRange("37697", "38479", "NI"),
        PostcodeRange("49001", "49459", "NI"),
    ),
    state_names={"NW": "Nordrhein-Westfalen", "NI": "Niedersachsen"},
)


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Mülheim an der Ruhr", "mulheim an der ruhr"),
        ("MUELHEIM AN DER RUHR", "mulheim an der ruhr"),
        ("  Clausthal-Zellerfeld ", "clausthal zellerfeld"),
        ("Großenkneten", "grossenkneten"),
    ],
)
def test_fold_name(written, folded):
    assert fold_name(written) == folded


def test_resolve_a_unique_name_ignoring_case_and_umlaut_spelling():
    assert GAZETTEER.resolve("goslar") is GOSLAR
    assert GAZETTEER.resolve("Muelheim") is MUELHEIM


def test_resolve_falls_back_to_alternative_names():
    assert GAZETTEER.resolve("Mülheim an der Ruhr").source_id == MUELHEIM.source_id


def test_an_ambiguous_name_needs_state_or_postcode():
    with pytest.raises(PlaceAmbiguous) as ambiguous:
        GAZETTEER.resolve("Essen")
    assert {p.state for p in ambiguous.value.candidates} == {"NW", "NI"}
    assert "Niedersachsen, Nordrhein-Westfalen" in str(ambiguous.value)
    assert GAZETTEER.resolve("Essen", state="NI") is ESSEN_NI
    assert GAZETTEER.resolve("Essen", postcode="45127") is ESSEN_NW


def test_a_postcode_never_rules_out_the_only_place_of_a_name():
    # Postcode zones cross state borders; a unique name stays resolvable.
    assert GAZETTEER.resolve("Goslar", postcode="45127") is GOSLAR


def test_unknown_places_and_bad_postcodes_raise_clear_errors():
    with pytest.raises(PlaceUnknown, match="give the coordinates"):
        GAZETTEER.resolve("Atlantis")
    with pytest.raises(PlaceUnknown, match="in Nordrhein-Westfalen"):
        GAZETTEER.resolve("Goslar", state="NW")
    with pytest.raises(GeoError, match="five-digit"):
        GAZETTEER.resolve("Essen", postcode="451")


def test_search_by_prefix_lists_the_most_populous_first():
    assert [p.state for p in GAZETTEER.search("ess")] == ["NW", "NI"]
    assert GAZETTEER.search("") == ()


@pytest.mark.parametrize(("lat", "lon"), [(91, 0), (-91, 0), (0, 181), (float("nan"), 0)])
def test_coordinates_are_range_checked(lat, lon):
    with pytest.raises(CoordinatesInvalid):
        Coordinates(lat, lon)


def test_great_circle_distance_duisburg_goslar():
    duisburg = Coordinates(51.43247, 6.76516)
    # Flat-earth check: 3.66 deg lon x 111.2 km x cos(51.7 deg) = 252.6 km east, 0.47 deg x
    # 111.2 km = 52.5 km north, together 258.0 km; the haversine gives 257.9 km.
    assert great_circle_km(duisburg, GOSLAR.coordinates) == pytest.approx(257.9, abs=0.1)


coordinates = st.builds(
    Coordinates,
    latitude=st.floats(min_value=-90, max_value=90, allow_nan=False),
    longitude=st.floats(min_value=-180, max_value=180, allow_nan=False),
)


@given(coordinates, coordinates)
def test_distance_is_symmetric_non_negative_and_bounded(a, b):
    d = great_circle_km(a, b)
    assert d == pytest.approx(great_circle_km(b, a), abs=1e-6)
    assert 0 <= d <= math.pi * 6371.0088 + 1e-6


@given(coordinates)
def test_distance_to_itself_is_zero(a):
    assert great_circle_km(a, a) == pytest.approx(0, abs=1e-6)


HALLE_SAALE = Place("Halle (Saale)", "ST", Coordinates(51.48, 11.98), 237865, "geonames:2911522")
HALLE_WESTF = Place("Halle", "NW", Coordinates(52.06, 8.36), 21393, "geonames:2911520")
STOLBERG_NW = Place("Stolberg", "NW", Coordinates(50.77, 6.23), 57684, "geonames:2826595")
STOLBERG_ST = Place("Stolberg", "ST", Coordinates(51.57, 10.96), 1401, "geonames:2826596")
FREIBURG = Place("Freiburg", "BW", Coordinates(48.0, 7.85), 237460, "geonames:2925177")
FREIBURG_ELBE = Place("Freiburg/Elbe", "NI", Coordinates(53.83, 9.29), 1870, "geonames:2925179")
NAMED = Gazetteer(
    places=(HALLE_SAALE, HALLE_WESTF, STOLBERG_NW, STOLBERG_ST, FREIBURG, FREIBURG_ELBE),
    aliases=(
        Place("Halle (Westf.)", "NW", HALLE_WESTF.coordinates, 21393, HALLE_WESTF.source_id),
    ),
    state_names={
        "NW": "Nordrhein-Westfalen", "ST": "Sachsen-Anhalt", "BW": "Baden-Württemberg",
        "NI": "Niedersachsen",
    },
    state_aliases={"NRW": "NW"},
    regions={"rheinland": frozenset({"NW", "RP"}), "harz": frozenset({"NI", "ST", "TH"})},
    abbreviations={"rhld": "rheinland", "westf": "westfalen"},
)  # fmt: skip


def test_a_short_form_is_a_candidate_beside_the_official_name():
    # "Halle" is the official name of Halle (Westf.) and the short form of Halle (Saale):
    # neither is picked silently.
    with pytest.raises(PlaceAmbiguous) as ambiguous:
        NAMED.resolve("Halle")
    assert ambiguous.value.candidates == (HALLE_SAALE, HALLE_WESTF)
    assert NAMED.resolve("Halle", state="ST") is HALLE_SAALE


def test_the_official_name_wins_when_its_place_is_the_most_populous():
    # "Freiburg" is also the short form of Freiburg/Elbe, a far smaller place.
    assert NAMED.candidates("Freiburg") == (FREIBURG, FREIBURG_ELBE)
    assert NAMED.resolve("Freiburg") is FREIBURG
    assert NAMED.resolve("Freiburg/Elbe") is FREIBURG_ELBE


@pytest.mark.parametrize(
    ("written", "place"),
    [
        ("Halle/Saale", HALLE_SAALE),
        ("Halle an der Saale", HALLE_SAALE),
        ("Halle (Westf)", HALLE_WESTF),
        ("Stolberg (Rhld.)", STOLBERG_NW),
        ("Stolberg (Harz)", STOLBERG_ST),
        ("Stolberg, Nordrhein-Westfalen", STOLBERG_NW),
        ("Stolberg NRW", STOLBERG_NW),
        ("Stolberg NW", STOLBERG_NW),
        ("Stolberg (Sachsen-Anhalt)", STOLBERG_ST),
    ],
)
def test_suffixes_and_states_choose_among_places_of_a_name(written, place):
    assert NAMED.resolve(written) is place


def test_a_qualifier_never_makes_a_place_out_of_an_unknown_or_mismatched_name():
    with pytest.raises(PlaceUnknown):
        NAMED.resolve("Stolberg (Oberbayern)")
    with pytest.raises(PlaceUnknown):
        NAMED.resolve("Stolberg NRW", state="ST")
    with pytest.raises(PlaceUnknown):
        NAMED.resolve("Atlantis (Rhld.)")


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Halle (Saale)", "halle"),
        ("Frankfurt am Main", "frankfurt"),
        ("Neustadt a.d.Waldnaab", "neustadt"),
        ("Bad Neustadt an der Saale", "bad neustadt"),
        ("Dillingen/Saar", "dillingen"),
        ("Neustadt Vogtland", "neustadt"),
        ("Baden-Baden", ""),
        ("Rheda-Wiedenbrück", ""),
        ("Goslar", ""),
    ],
)
def test_short_forms_drop_the_suffix(name, short):
    assert short_form(name, frozenset({"vogtland", "baden"}), {}) == short


def test_skeletons_ignore_connecting_words_and_abbreviations():
    abbreviations = {"weinstr": "weinstrasse"}
    assert skeleton(place_key("Neustadt a.d. Weinstr."), abbreviations) == skeleton(
        place_key("Neustadt an der Weinstraße"), abbreviations
    )
