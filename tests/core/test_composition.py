"""Compositions and blends: validation of analyses, mass-weighted blending with ranges."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metalloop.core.materials.composition import (
    AnalysisError,
    Composition,
    Lot,
    ShareRange,
    analysis_from_mapping,
    blend,
    parse_analysis,
)
from metalloop.core.units import Mass, MassFraction

ELEMENTS = {"Fe", "Cr", "Ni", "Mo", "C", "Cu", "Sn", "Mn", "Si", "Al", "Mg", "Zn"}


def test_parse_points_and_ranges():
    analysis = parse_analysis("Cr=18.1, Ni=8.0-10.5, C=0.03, Mo=0..0.2", ELEMENTS)
    assert analysis["Cr"] == ShareRange.wt_pct(18.1)
    assert analysis["Ni"] == ShareRange.wt_pct(8.0, 10.5)
    assert analysis["C"] == ShareRange.wt_pct(0.03)
    assert analysis["Mo"] == ShareRange.wt_pct(0, 0.2)
    german = parse_analysis("Cr=18,1; Ni=8,0-10,5; C=0,03", ELEMENTS)
    assert german == Composition({k: analysis[k] for k in ("Cr", "Ni", "C")})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Cr=-1", "cannot be negative"),
        ("Cr=60, Fe=50", "more than 100 wt-%"),
        ("Xx=1", "'Xx' is not a chemical element symbol"),
        ("Cr=10-5", "lies above the maximum"),
        ("Cr=abc", "is not a number"),
        ("Cr=1, Cr=2", "given twice"),
        ("Cr 18", "write each element as Symbol=value"),
        ("", "the analysis is empty"),
        ("Cr=120", "cannot exceed 100"),
    ],
)
def test_impossible_analyses_are_refused_precisely(text, message):
    with pytest.raises(AnalysisError, match=message):
        parse_analysis(text, ELEMENTS)


def test_analysis_from_a_mapping():
    analysis = analysis_from_mapping({"Cr": 18.1, "Ni": [8, 10.5]}, ELEMENTS)
    assert analysis["Ni"].high.percent == pytest.approx(10.5)
    with pytest.raises(AnalysisError, match="not a number"):
        analysis_from_mapping({"Cr": True}, ELEMENTS)
    with pytest.raises(AnalysisError, match=r"\[min, max\]"):
        analysis_from_mapping({"Cr": [1, 2, 3]}, ELEMENTS)


def test_blend_is_mass_weighted_and_marks_partly_analysed_elements():
    a = Lot(
        Mass.t(3), Composition({"Cu": ShareRange.wt_pct(0.2), "Cr": ShareRange.wt_pct(0.1, 0.3)})
    )
    b = Lot(Mass.t(1), Composition({"Cu": ShareRange.wt_pct(0.6)}))
    total, mixed = blend([a, b])
    assert total == Mass.t(4)
    assert mixed["Cu"].low.percent == pytest.approx(0.3)
    assert (mixed["Cr"].low.percent, mixed["Cr"].high.percent) == pytest.approx((0.075, 0.225))
    assert mixed.partial == frozenset({"Cr"})


def test_a_lot_needs_a_positive_mass_with_a_unit():
    with pytest.raises(ValueError, match="positive"):
        Lot(Mass.t(0), Composition())
    with pytest.raises(TypeError):
        Lot(5, Composition())  # type: ignore[arg-type]


share = st.floats(min_value=0, max_value=5, allow_nan=False)
ranges = st.tuples(share, share).map(lambda p: ShareRange.wt_pct(min(p), max(p)))
compositions = st.dictionaries(
    st.sampled_from(["Cu", "Sn", "Cr", "Ni", "Mo"]), ranges, min_size=1
).map(Composition)
lots = st.builds(Lot, st.floats(min_value=0.01, max_value=1000).map(Mass.t), compositions)


@settings(max_examples=200)
@given(st.lists(lots, min_size=1, max_size=6))
def test_blend_conserves_mass_and_stays_within_the_components(components):
    total, mixed = blend(components)
    assert total.kilograms == pytest.approx(sum(lot.mass.kilograms for lot in components))
    for element in mixed.elements:
        lows = [
            lot.composition[element].low.fraction if element in lot.composition else 0.0
            for lot in components
        ]
        highs = [
            lot.composition[element].high.fraction if element in lot.composition else 0.0
            for lot in components
        ]
        assert min(lows) - 1e-12 <= mixed[element].low.fraction <= mixed[element].high.fraction
        assert mixed[element].high.fraction <= max(highs) + 1e-12
        element_mass = sum(
            lot.composition[element].low.of(lot.mass).kilograms
            for lot in components
            if element in lot.composition
        )
        assert mixed[element].low.of(total).kilograms == pytest.approx(
            element_mass, rel=1e-9, abs=1e-9
        )


@settings(max_examples=100)
@given(st.lists(lots, min_size=2, max_size=6), st.randoms())
def test_blend_does_not_depend_on_the_order_of_lots(components, random):
    shuffled = list(components)
    random.shuffle(shuffled)
    first, second = blend(components)[1], blend(shuffled)[1]
    assert first.elements == second.elements
    for element in first.elements:
        assert first[element].low.fraction == pytest.approx(second[element].low.fraction)
        assert first[element].high.fraction == pytest.approx(second[element].high.fraction)


def test_composition_refuses_bare_numbers():
    with pytest.raises(TypeError):
        Composition({"Cr": 18.1})  # type: ignore[dict-item]
    assert MassFraction.wt_pct(5) < MassFraction.wt_pct(6)
