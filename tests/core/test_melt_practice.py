"""Dilution with a realistic diluent and alloying additions, with the figures a melt shop
would work out by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from metalloop.core.materials.composition import Composition, ShareRange
from metalloop.core.materials.specification import (
    Diluent,
    Limit,
    Specification,
    Verdict,
    check,
)
from metalloop.core.units import MassFraction


def pct(value: float) -> MassFraction:
    return MassFraction.wt_pct(value)


SHREDDED_E46 = Composition({"Cu": ShareRange.wt_pct(0.45, 0.5), "Sn": ShareRange.wt_pct(0.05)})
COPPER_AT_MOST_0_25 = Specification(
    "demand", balance="Fe", limits=(Limit("Cu", high=pct(0.25)),), closed=False
)
CLEAN_SCRAP = Diluent("TEST:clean-scrap", Composition({"Cu": ShareRange.wt_pct(0, 0.05)}))
HBI = Diluent("DIL:iron-hbi", Composition({"Cu": ShareRange.wt_pct(0, 0.002)}))


def test_a_copper_free_diluent_halves_the_lot():
    result = check(SHREDDED_E46, COPPER_AT_MOST_0_25)
    assert result.verdict is Verdict.FITS_AFTER_DILUTION
    assert result.diluent == ""
    assert result.max_share == pytest.approx(0.5)


def test_clean_scrap_with_copper_of_its_own_needs_more_of_it():
    """(0.25 − 0.05) / (0.50 − 0.05) = 44.4 % lot, 55.6 % clean scrap."""
    result = check(SHREDDED_E46, replace(COPPER_AT_MOST_0_25, diluent=CLEAN_SCRAP))
    assert result.verdict is Verdict.FITS_AFTER_DILUTION
    assert result.diluent == "TEST:clean-scrap"
    assert result.max_share == pytest.approx(0.2 / 0.45)
    assert result.dilution == pytest.approx(1 - 0.2 / 0.45)


def test_hbi_barely_differs_from_pure_iron():
    result = check(SHREDDED_E46, replace(COPPER_AT_MOST_0_25, diluent=HBI))
    assert result.max_share == pytest.approx(0.248 / 0.498)


def test_a_diluent_that_breaks_the_limit_itself_cannot_cure():
    dirty = Diluent("TEST:dirty", Composition({"Cu": ShareRange.wt_pct(0, 0.3)}))
    result = check(SHREDDED_E46, replace(COPPER_AT_MOST_0_25, diluent=dirty))
    assert result.verdict is Verdict.DOES_NOT_FIT


def test_the_diluent_counts_against_a_minimum_too():
    """A stainless lot with Cr 19.8 % (max 19.5) is thinned: with pure iron the lot may make up
    19.5 / 19.8 of the charge; a diluent carrying 10 % Cr needs more of itself,
    (19.5 − 10) / (19.8 − 10)."""
    stainless = Specification("EN10088:1.4301", "Fe", (Limit("Cr", pct(17.5), pct(19.5)),))
    lot = Composition({"Cr": ShareRange.wt_pct(19.8)})
    plain = check(lot, stainless)
    assert plain.max_share == pytest.approx(19.5 / 19.8)
    chromium = Diluent("TEST:cr", Composition({"Cr": ShareRange.wt_pct(10, 10)}))
    richer = check(lot, replace(stainless, diluent=chromium))
    assert richer.max_share == pytest.approx((19.5 - 10) / (19.8 - 10))


AW_5083 = Specification(
    "EN573:AW-5083",
    balance="Al",
    limits=(
        Limit("Mg", pct(4.0), pct(4.9)),
        Limit("Mn", pct(0.4), pct(1.0)),
        Limit("Si", high=pct(0.4)),
        Limit("Fe", high=pct(0.4)),
    ),
    alloying=True,
)


def test_magnesium_raised_in_a_5xxx_melt_fits_after_alloying():
    """Mg 3.6 % to at least 4.0 %: x = l (1 + x) − w, x = (0.040 − 0.036) / 0.96 t/t."""
    lot = Composition(
        {
            "Mg": ShareRange.wt_pct(3.6),
            "Mn": ShareRange.wt_pct(0.6),
            "Si": ShareRange.wt_pct(0.2),
            "Fe": ShareRange.wt_pct(0.3),
        }
    )
    result = check(lot, AW_5083)
    assert result.verdict is Verdict.FITS_AFTER_ALLOYING
    assert result.max_share is None
    ((element, kg),) = [(a.element, a.kg_per_t) for a in result.additions]
    assert element == "Mg"
    assert kg == pytest.approx(0.004 / 0.96 * 1000)


def test_an_addition_that_thins_another_minimum_raises_it_too():
    lot = Composition({"Mg": ShareRange.wt_pct(3.0), "Mn": ShareRange.wt_pct(0.401)})
    result = check(lot, AW_5083)
    assert result.verdict is Verdict.FITS_AFTER_ALLOYING
    assert {a.element for a in result.additions} == {"Mg", "Mn"}
    total = sum(a.kg_per_t for a in result.additions) / 1000
    mg = next(a for a in result.additions if a.element == "Mg").kg_per_t / 1000
    assert (0.03 + mg) / (1 + total) == pytest.approx(0.04)


def test_alloying_is_its_own_verdict_and_only_where_the_specification_allows_it():
    lot = Composition({"Mg": ShareRange.wt_pct(3.6), "Mn": ShareRange.wt_pct(0.6)})
    assert check(lot, replace(AW_5083, alloying=False)).verdict is Verdict.DOES_NOT_FIT


def test_a_lot_needing_dilution_and_alloying_does_not_fit():
    lot = Composition({"Mg": ShareRange.wt_pct(3.6), "Si": ShareRange.wt_pct(0.8)})
    assert check(lot, AW_5083).verdict is Verdict.DOES_NOT_FIT


def test_an_element_missing_from_the_analysis_is_not_added_blindly():
    lot = Composition({"Mg": ShareRange.wt_pct(4.2)})  # Mn not analysed
    assert check(lot, AW_5083).verdict is Verdict.DOES_NOT_FIT
