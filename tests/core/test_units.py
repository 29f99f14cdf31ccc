"""Units: masses and mass fractions cannot be mixed up with bare numbers or each other."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metalloop.core.units import Mass, MassFraction, UnitError


def test_masses_convert_between_tonnes_and_kilograms():
    assert Mass.t(2.5).kilograms == 2500
    assert Mass.kg(750).tonnes == 0.75
    assert Mass.t(1) + Mass.kg(500) == Mass.t(1.5)
    assert Mass.t(3) / Mass.t(1.5) == 2
    assert sum([Mass.t(1), Mass.t(2)]) == Mass.t(3)
    assert str(Mass.t(2)) == "2 t" and str(Mass.kg(20)) == "20 kg"


def test_mass_fractions_convert_between_percent_and_ppm():
    assert MassFraction.wt_pct(1).parts_per_million == pytest.approx(10_000)
    assert MassFraction.ppm(300).percent == pytest.approx(0.03)
    assert MassFraction.wt_pct(18).of(Mass.t(10)) == Mass.t(1.8)


@pytest.mark.parametrize(
    "mistake",
    [
        lambda: Mass.t(1) + 1,
        lambda: Mass.t(1) + MassFraction.wt_pct(1),
        lambda: Mass.t(1) * Mass.t(1),
        lambda: MassFraction.wt_pct(1) + 0.01,
        lambda: MassFraction.wt_pct(1) * Mass.t(1),
        lambda: MassFraction.wt_pct(1).of(1000),
        lambda: Mass.t(1) < 5,
    ],
)
def test_a_unit_mistake_raises(mistake):
    with pytest.raises(UnitError):
        mistake()


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_quantities_must_be_finite(bad):
    with pytest.raises(ValueError, match="finite"):
        Mass.t(bad)
    with pytest.raises(ValueError, match="finite"):
        MassFraction.wt_pct(bad)


@given(st.floats(min_value=0, max_value=1e6), st.floats(min_value=0, max_value=1e6))
def test_mass_addition_is_commutative(a, b):
    assert Mass.t(a) + Mass.t(b) == Mass.t(b) + Mass.t(a)
