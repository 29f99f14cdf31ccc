"""Rules of one listing, the data-quality level, and the translation to the core."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from metalloop.exchange import adapters
from metalloop.exchange.adapters import ElementShare
from metalloop.exchange.models import Listing, QualityFacts, QualityLevel, mass_in_t, quality_level
from metalloop.exchange.models.quality import months_before

TODAY = dt.date(2026, 3, 31)

pytestmark = pytest.mark.usefixtures("english")


def facts(**overrides):
    values = {
        "is_offer": True,
        "has_grade": True,
        "is_waste": True,
        "has_waste_code": True,
        "has_chemistry": True,
        "has_method": True,
        "analysis_date": TODAY - dt.timedelta(days=30),
        "has_certificate": True,
        "verified": True,
    }
    return QualityFacts(**(values | overrides))


@pytest.mark.parametrize(
    ("overrides", "level"),
    [
        ({}, QualityLevel.VERIFIED),
        ({"verified": False}, QualityLevel.ANALYSED),
        ({"has_certificate": False}, QualityLevel.ANALYSED),
        ({"analysis_date": dt.date(2024, 3, 31)}, QualityLevel.VERIFIED),
        ({"analysis_date": dt.date(2024, 3, 30)}, QualityLevel.CLASSIFIED),
        ({"analysis_date": None}, QualityLevel.CLASSIFIED),
        ({"has_method": False}, QualityLevel.CLASSIFIED),
        ({"has_chemistry": False}, QualityLevel.CLASSIFIED),
        ({"has_grade": False}, QualityLevel.DECLARED),
        ({"has_waste_code": False}, QualityLevel.DECLARED),
        ({"has_waste_code": False, "is_waste": False}, QualityLevel.VERIFIED),
        ({"is_offer": False}, QualityLevel.CLASSIFIED),
    ],
)
def test_the_quality_level_is_the_highest_whose_conditions_all_hold(overrides, level):
    assert quality_level(facts(**overrides), today=TODAY) is level


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert months_before(dt.date(2026, 3, 31), 24) == dt.date(2024, 3, 31)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_quantities_become_tonnes():
    assert mass_in_t(Decimal(12), "t", None) == Decimal(12)
    assert mass_in_t(Decimal(1500), "kg", None) == Decimal("1.5")
    assert mass_in_t(Decimal(4), "pcs", Decimal(850)) == Decimal("3.4")


def listing(**values):
    base = {
        "side": "offer",
        "kind": "scrap",
        "title": "Späne",
        "material": "MAT:steel-non-alloy",
        "legal_status": "waste",
        "waste_code": "AVV:120101",
        "form": "turnings",
        "quantity": Decimal(5),
        "unit": "t",
        "recurrence": "one_off",
        "available_from": TODAY,
        "logistics": "either",
        "transport_modes": ["road"],
        "visibility": "anonymous",
        "status": "active",
    }
    return Listing(**(base | values))


def clean_errors(instance):
    with pytest.raises(ValidationError) as refused:
        instance.clean()
    return refused.value.message_dict


def test_clean_names_every_rule_broken_across_fields():
    errors = clean_errors(
        listing(
            available_until=TODAY - dt.timedelta(days=1),
            unit="pcs",
            waste_code="",
            analysis_date=dt.date(2999, 1, 1),
            quantity=Decimal(0),
            min_lot_t=Decimal(3),
            r_strategy="R:8",
        )
    )
    assert set(errors) == {
        "available_until",
        "unit_mass_kg",
        "waste_code",
        "analysis_date",
        "quantity",
        "min_lot_t",
        "r_strategy",
    }
    assert errors["min_lot_t"] == ["Only a demand states this; leave it empty for an offer."]


def test_a_demand_may_be_waste_without_a_waste_code_of_its_own():
    demand = listing(side="demand", waste_code="", min_quantity=Decimal(2))
    demand.clean()
    above = listing(side="demand", waste_code="", min_quantity=Decimal(6))
    assert list(clean_errors(above)) == ["min_quantity"]


def test_unknown_codes_are_refused_by_the_field_validators():
    bad = listing(material="MAT:unobtainium", waste_code="AVV:17", r_strategy="R:42")
    with pytest.raises(ValidationError) as refused:
        bad.clean_fields(exclude=["network", "organisation", "site"])
    assert set(refused.value.message_dict) == {"material", "waste_code", "r_strategy"}
    assert "AVV:17 is not a six-digit waste code" in refused.value.message_dict["waste_code"][0]


def test_transport_modes_need_at_least_one_known_mode():
    for modes, message in [
        ([], "Choose at least one transport mode."),
        (["zeppelin"], "Not a choice: zeppelin."),
        (["road", "road"], "Name each choice once."),
    ]:
        with pytest.raises(ValidationError) as refused:
            listing(transport_modes=modes).clean_fields(exclude=["network", "organisation", "site"])
        assert refused.value.message_dict["transport_modes"][0].startswith(message)


# --- adapters ------------------------------------------------------------------------------------


def test_chemistry_cells_parse_points_ranges_and_limits_and_format_back():
    shares = adapters.parse_chemistry("Cr=18.1; Ni=8,0-8,5; Cu<=0.3; Mn>=0.5; Mo=2..2.5")
    assert shares == [
        ElementShare("Cr", Decimal("18.1"), Decimal("18.1")),
        ElementShare("Ni", Decimal("8.0"), Decimal("8.5")),
        ElementShare("Cu", None, Decimal("0.3")),
        ElementShare("Mn", Decimal("0.5"), None),
        ElementShare("Mo", Decimal("2"), Decimal("2.5")),
    ]
    text = adapters.format_chemistry(shares)
    assert text == "Cr=18.1;Ni=8-8.5;Cu<=0.3;Mn>=0.5;Mo=2-2.5"
    assert adapters.parse_chemistry(text) == shares
    assert adapters.parse_chemistry("Cr=18.1, Ni=8.3")[1] == ElementShare(
        "Ni", Decimal("8.3"), Decimal("8.3")
    )
    assert adapters.parse_chemistry("") == []


@pytest.mark.parametrize(
    ("text", "shares"),
    [
        ("Cu<=0,3", [ElementShare("Cu", None, Decimal("0.3"))]),
        ("Mo>=0,25", [ElementShare("Mo", Decimal("0.25"), None)]),
        (
            "Cr=18,1, Ni=8,0-8,5",
            [
                ElementShare("Cr", Decimal("18.1"), Decimal("18.1")),
                ElementShare("Ni", Decimal("8.0"), Decimal("8.5")),
            ],
        ),
    ],
)
def test_a_decimal_comma_is_read_without_any_semicolon(text, shares):
    assert adapters.parse_chemistry(text) == shares


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Cr", "Cr: write each element as Symbol=value, e.g. Cr=18.1."),
        ("Cr=viel", "Cr: viel is not a number."),
        ("Cr=1;Ni=x", "Ni: x is not a number."),
    ],
)
def test_unreadable_chemistry_cells_are_refused_with_the_part(text, message):
    with pytest.raises(ValidationError) as refused:
        adapters.parse_chemistry(text)
    assert refused.value.message_dict == {"chemistry": [message]}


def test_element_shares_are_checked_by_the_core_and_keyed_by_element():
    rows = [
        ElementShare("Ni", Decimal(9), Decimal(8)),
        ElementShare("Xx", Decimal(1), None),
        ElementShare("Cr", Decimal(120), None),
        ElementShare("Mo", None, None),
        ElementShare("Ni", Decimal(1), None),
        ElementShare("", Decimal(1), None),
        ElementShare("Cu", Decimal("0.123456"), None),
    ]
    with pytest.raises(ValidationError) as refused:
        adapters.validated_elements(rows)
    errors = refused.value.message_dict
    assert errors == {
        "elements.Ni": [
            "Ni is given more than once; give each element once.",
            "Ni: the minimum 9 wt-% lies above the maximum 8 wt-%.",
        ],
        "elements.Xx": ["Xx is not a chemical element symbol (write e.g. Cr, Ni, Mo)."],
        "elements.Cr": ["Cr: a share cannot exceed 100 wt-% (120)."],
        "elements.Mo": ["Mo: give a minimum, a maximum or both."],
        "elements": ["Choose the element of this row."],
        "elements.Cu": ["Cu: Ensure that there are no more than 5 decimal places."],
    }
    codes = {k: [e.code for e in v] for k, v in refused.value.error_dict.items()}
    assert codes["elements.Xx"] == ["element_unknown"]
    rows_of = {k: [e.rows for e in v] for k, v in refused.value.error_dict.items()}
    assert rows_of == {
        "elements.Ni": [(0, 4), (0,)],
        "elements.Xx": [(1,)],
        "elements.Cr": [(2,)],
        "elements.Mo": [(3,)],
        "elements": [(5,)],
        "elements.Cu": [(6,)],
    }


def test_the_sum_of_the_shares_is_checked_once_every_element_is_valid():
    rows = [ElementShare("Cu", Decimal(70), Decimal(70)), ElementShare("Zn", Decimal(40), None)]
    with pytest.raises(ValidationError) as refused:
        adapters.validated_elements(rows)
    assert refused.value.message_dict == {
        "elements": ["The shares add up to 110 wt-%, more than 100 wt-%."]
    }


@pytest.mark.parametrize(
    "share",
    [
        ElementShare("Mo", None, Decimal("0.3")),  # a maximum alone
        ElementShare("Cr", Decimal(18), None),  # a minimum alone
        ElementShare("Ni", Decimal("8.0"), Decimal("8.5")),  # a range
        ElementShare("Cu", Decimal("0.3"), Decimal("0.3")),  # a point
    ],
)
def test_every_shape_of_a_share_is_kept_as_given(share):
    assert adapters.validated_elements([share]) == [share]
    bounds = adapters.composition_of([share])[share.element]
    low = float(share.min_pct) if share.min_pct is not None else 0.0
    high = float(share.max_pct) if share.max_pct is not None else 100.0
    assert (bounds.low.percent, bounds.high.percent) == (pytest.approx(low), pytest.approx(high))


def test_grades_are_found_by_code_or_alias_each_once():
    assert adapters.normalised_grades(["1.4301", "EN10088:1.4301", " EU27:E8 "]) == [
        "EN10088:1.4301",
        "EU27:E8",
    ]
    with pytest.raises(ValidationError) as refused:
        adapters.normalised_grades(["EU27:E99", "MAT:copper"])
    assert refused.value.message_dict["grades"] == [
        "Not a scrap grade or alloy of the knowledge base: EU27:E99, MAT:copper."
    ]


def test_a_material_filter_includes_the_materials_below_it():
    below = adapters.material_descendants("MAT:iron-steel")
    assert {"MAT:steel-stainless-austenitic", "MAT:cast-iron", "MAT:steel-tool"} <= below
    assert "MAT:aluminium" not in below
    assert adapters.material_descendants("MAT:cast-iron") == {"MAT:cast-iron"}


@pytest.mark.django_db
def test_places_resolve_by_town_postcode_with_town_or_registered_postcode():
    from tests.factories import SiteFactory

    duisburg = adapters.resolve_place("Duisburg")
    assert (duisburg.label, round(duisburg.latitude, 2)) == ("Duisburg", 51.43)
    hagen = adapters.resolve_place("58099 Hagen")
    assert (hagen.label, round(hagen.latitude, 1), round(hagen.longitude, 1)) == (
        "Hagen",
        51.4,
        7.5,
    )
    SiteFactory(postcode="47119", latitude=51.45, longitude=6.73)
    assert adapters.resolve_place("47119") == adapters.Origin(51.45, 6.73, "47119")
    for text, message in [
        ("Neuenkirchen", "There are 21 places called Neuenkirchen"),
        ("49143 Neuenkirchen", "There are 8 places called Neuenkirchen in Niedersachsen"),
        ("Atlantis", "Atlantis is not in the gazetteer of German places"),
        ("99999", "The postcode 99999 cannot be located offline"),
    ]:
        with pytest.raises(ValidationError) as refused:
            adapters.resolve_place(text)
        assert refused.value.message_dict["place"][0].startswith(message)
