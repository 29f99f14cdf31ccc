"""The array chemistry screen gives the verdicts of the exact specification check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metalloop.core.matching import chemistry
from metalloop.core.materials.composition import Composition, ShareRange
from metalloop.core.materials.specification import (
    Diluent,
    Limit,
    Specification,
    Verdict,
    check,
)
from metalloop.core.units import MassFraction

ELEMENTS = ("Cr", "Ni", "Mo", "Cu")
VERDICT_CODE = {
    Verdict.FITS: chemistry.FITS,
    Verdict.FITS_AFTER_DILUTION: chemistry.FITS_AFTER_DILUTION,
    Verdict.DOES_NOT_FIT: chemistry.DOES_NOT_FIT,
}


@st.composite
def compositions(draw: st.DrawFn) -> Composition:
    shares = {}
    for element in ELEMENTS:
        if draw(st.booleans()):
            low = draw(st.floats(0, 20))
            high = low + draw(st.sampled_from([0.0, 0.0, draw(st.floats(0, 5))]))
            shares[element] = ShareRange.wt_pct(low, high)
    return Composition(shares)


@st.composite
def open_limits(draw: st.DrawFn) -> Specification:
    limits = []
    for element in ELEMENTS:
        if draw(st.booleans()):
            low = draw(st.one_of(st.none(), st.floats(0, 15)))
            high = draw(st.one_of(st.none(), st.floats(0.01, 25)))
            if low is not None and high is not None and high < low:
                low, high = high, low
            limits.append(
                Limit(
                    element,
                    None if low is None else MassFraction.wt_pct(low),
                    None if high is None else MassFraction.wt_pct(high),
                )
            )
    balance = draw(st.sampled_from(["Fe", ""]))
    diluent = None
    if balance and draw(st.booleans()):
        shares = {}
        for element in ELEMENTS:
            if draw(st.booleans()):
                low = draw(st.floats(0, 3))
                shares[element] = ShareRange.wt_pct(low, low + draw(st.floats(0, 2)))
        diluent = Diluent("diluent", Composition(shares))
    return Specification(
        "demand", balance=balance, limits=tuple(limits), closed=False, diluent=diluent
    )


@settings(max_examples=800, deadline=None)
@given(compositions(), open_limits(), st.floats(0, 0.99))
def test_screen_agrees_with_the_exact_check(
    composition: Composition, limits: Specification, max_dilution: float
) -> None:
    elements = chemistry.limit_elements([limits])
    offers = chemistry.offer_chemistry([composition], elements)
    demands = chemistry.demand_limits([limits], [max_dilution], elements)
    screened = chemistry.screen(offers, demands, np.array([0]), np.array([0]))
    if not limits.limits:
        assert screened.verdicts[0] == chemistry.FITS
        return
    exact = check(composition, limits)
    expected = VERDICT_CODE[exact.verdict]
    if exact.verdict is Verdict.FITS_AFTER_DILUTION:
        assert exact.dilution is not None
        if exact.dilution > max_dilution + 1e-12:
            expected = chemistry.DOES_NOT_FIT
        else:
            assert abs(screened.dilution[0] - exact.dilution) < 1e-9
    assert screened.verdicts[0] == expected


def test_an_offer_without_analysis_is_to_be_verified_not_refused() -> None:
    limits = Specification("d", "Fe", (Limit("Cu", high=MassFraction.wt_pct(0.3)),), closed=False)
    elements = chemistry.limit_elements([limits])
    screened = chemistry.screen(
        chemistry.offer_chemistry([None], elements),
        chemistry.demand_limits([limits], [0.0], elements),
        np.array([0]),
        np.array([0]),
    )
    assert screened.verdicts[0] == chemistry.NOT_ANALYSED
    assert screened.admissible[0]


def test_closed_specifications_are_refused_as_demand_limits() -> None:
    closed = Specification("EN10088:1.4301", "Fe", (Limit("Cr", MassFraction.wt_pct(17.5)),))
    with pytest.raises(ValueError, match="open"):
        chemistry.demand_limits([closed], [0.0], ("Cr",))
