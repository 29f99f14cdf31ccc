"""Checking compositions against specifications, and classifying them."""

from __future__ import annotations

import pytest

from metalloop.core.materials.classify import classify
from metalloop.core.materials.composition import Composition, ShareRange
from metalloop.core.materials.specification import (
    Limit,
    Specification,
    Status,
    SumLimit,
    Verdict,
    check,
)
from metalloop.core.units import MassFraction


def pct(value):
    return MassFraction.wt_pct(value)


def limit(element, low=None, high=None):
    return Limit(
        element, pct(low) if low is not None else None, pct(high) if high is not None else None
    )


# EN 10088-2 chemistry of two austenitic grades (the subset needed here)
X5CRNI18_10 = Specification(
    code="EN10088:1.4301",
    balance="Fe",
    limits=(
        limit("C", high=0.07),
        limit("Cr", 17.5, 19.5),
        limit("Ni", 8.0, 10.5),
        limit("Mn", high=2.0),
    ),
)
X2CRNIMO17_12_2 = Specification(
    code="EN10088:1.4404",
    balance="Fe",
    limits=(
        limit("C", high=0.03),
        limit("Cr", 16.5, 18.5),
        limit("Ni", 10.0, 13.0),
        limit("Mo", 2.0, 2.5),
    ),
)
E3_LIKE = Specification(
    code="TEST:E3",
    balance="Fe",
    limits=(limit("Cu", high=0.25), limit("Sn", high=0.01)),
    sum_limits=(SumLimit(("Cr", "Ni", "Mo"), pct(0.25)),),
)
AW_6060 = Specification(
    code="EN573:AW-6060",
    balance="Al",
    limits=(limit("Si", 0.3, 0.6), limit("Mg", 0.35, 0.6), limit("Cu", high=0.1)),
    others_each=pct(0.05),
    others_total=pct(0.15),
)


def analysis(**values):
    return Composition(
        {
            e: ShareRange.wt_pct(*v) if isinstance(v, tuple) else ShareRange.wt_pct(v)
            for e, v in values.items()
        }
    )


TURNINGS_1_4301 = analysis(Cr=18.1, Ni=8.3, C=0.03)


def test_1_4301_turnings_fit_1_4301_with_headroom_per_element():
    result = check(TURNINGS_1_4301, X5CRNI18_10)
    assert result.verdict is Verdict.FITS
    lines = {line.subject: line for line in result.lines}
    assert lines["Cr"].status is Status.OK
    assert lines["Cr"].headroom.percent == pytest.approx(0.6)  # 18.1 - 17.5 (the nearer limit)
    assert lines["Ni"].headroom.percent == pytest.approx(0.3)
    assert lines["C"].headroom.percent == pytest.approx(0.04)
    assert lines["Mn"].status is Status.NOT_ANALYSED
    assert result.not_analysed == ("Mn",)


def test_1_4301_turnings_do_not_fit_1_4404_because_mo_is_missing():
    result = check(TURNINGS_1_4301, X2CRNIMO17_12_2)
    assert result.verdict is Verdict.DOES_NOT_FIT
    assert "Mo" in result.failing
    assert {line.subject: line.status for line in result.lines}["Mo"] is Status.MISSING
    assert result.dilution is None


def test_too_much_copper_fits_after_dilution_with_the_dilution_needed():
    result = check(analysis(Cu=0.5, Sn=0.005), E3_LIKE)
    assert result.verdict is Verdict.FITS_AFTER_DILUTION
    assert result.failing == ("Cu",)
    assert result.max_share == pytest.approx(0.5)  # 0.25 / 0.5
    assert result.dilution == pytest.approx(0.5)


def test_dilution_cannot_cure_when_it_would_break_a_minimum():
    # Cr 17.6 % leaves no room to dilute a C excess of 0.10 % down to 0.07 %.
    result = check(analysis(Cr=17.6, Ni=9.0, C=0.10), X5CRNI18_10)
    assert result.verdict is Verdict.DOES_NOT_FIT
    assert result.failing == ("C",)


def test_sum_limits_and_ranges_are_judged_at_the_worst_case():
    result = check(analysis(Cu=(0.1, 0.2), Cr=0.1, Ni=(0.1, 0.2)), E3_LIKE)
    lines = {line.subject: line for line in result.lines}
    assert lines["Cr+Ni+Mo"].value == ShareRange.wt_pct(0.2, 0.3)
    assert lines["Cr+Ni+Mo"].status is Status.TOO_HIGH
    assert result.verdict is Verdict.FITS_AFTER_DILUTION


def test_aluminium_others_each_and_total():
    result = check(analysis(Si=0.45, Mg=0.5, Cu=0.02, Zn=0.04, Ti=0.06), AW_6060)
    lines = {line.subject: line for line in result.lines}
    assert lines["Zn"].status is Status.OK
    assert lines["Ti"].status is Status.TOO_HIGH
    assert lines["others"].status is Status.OK  # 0.10 ≤ 0.15


def test_an_unlisted_major_element_does_not_belong():
    result = check(analysis(Cr=18.1, Ni=10.2, Mo=2.1, C=0.02), X5CRNI18_10)
    assert result.verdict is Verdict.DOES_NOT_FIT
    assert result.failing == ("Mo",)


def test_classification_ranks_the_fitting_grades_best_first():
    matches = classify(TURNINGS_1_4301, [X2CRNIMO17_12_2, E3_LIKE, X5CRNI18_10, AW_6060])
    assert [m.code for m in matches] == ["EN10088:1.4301"]
    mo_grade = classify(analysis(Cr=17.2, Ni=11.0, Mo=2.2, C=0.02), [X5CRNI18_10, X2CRNIMO17_12_2])
    assert [m.code for m in mo_grade] == ["EN10088:1.4404"]


def test_classification_puts_plain_fits_before_dilution():
    clean = Specification(code="TEST:clean", balance="Fe", limits=(limit("Cu", high=0.4),))
    matches = classify(analysis(Cu=0.3, Sn=0.02), [E3_LIKE, clean])
    assert [(m.code, m.result.verdict) for m in matches] == [
        ("TEST:clean", Verdict.FITS),
        ("TEST:E3", Verdict.FITS_AFTER_DILUTION),
    ]
