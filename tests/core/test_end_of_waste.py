"""End-of-waste rules as checkable criteria."""

from __future__ import annotations

from metalloop.core.materials.end_of_waste import LotFacts, Outcome, check_end_of_waste
from metalloop.core.materials.entries import Criterion, EndOfWasteRule, Kind
from metalloop.core.materials.provenance import Confidence, Provenance, Source, Wording
from metalloop.core.units import MassFraction

PROVENANCE = Provenance(
    Source(Wording("Regulation (EU) No 333/2011"), Wording("2011")), Confidence.SECONDARY
)


def rule(*criteria):
    return EndOfWasteRule(
        "EOW:test", Kind.END_OF_WASTE, "Test", "Test", PROVENANCE, criteria=criteria
    )


FOREIGN_2 = Criterion("1.2", "", "", "max_share", "foreign_materials_wt_pct", max_wt_pct=2.0)
FOREIGN_BELOW_2 = Criterion(
    "1.2", "", "", "max_share", "foreign_materials_wt_pct", max_wt_pct=2.0, strict=True
)
ALUMINIUM = Criterion(
    "1.2", "", "", "max_share", "foreign_materials_wt_pct", max_wt_pct=5.0, or_min_yield_pct=90
)
NO_OIL = Criterion("1.4", "", "", "declaration", "no_visible_oil")


def facts(foreign=None, metal_yield=None, *declared):
    return LotFacts(
        MassFraction.wt_pct(foreign) if foreign is not None else None,
        MassFraction.wt_pct(metal_yield) if metal_yield is not None else None,
        frozenset(declared),
    )


def test_all_criteria_met():
    result = check_end_of_waste(rule(FOREIGN_2, NO_OIL), facts(1.5, None, "no_visible_oil"))
    assert result.outcome is Outcome.MET and result.open_criteria == ()


def test_a_limit_broken_is_not_met_and_a_missing_declaration_is_unknown():
    assert (
        check_end_of_waste(rule(FOREIGN_2, NO_OIL), facts(2.5, None, "no_visible_oil")).outcome
        is Outcome.NOT_MET
    )
    open_result = check_end_of_waste(rule(FOREIGN_2, NO_OIL), facts(1.0))
    assert open_result.outcome is Outcome.UNKNOWN and open_result.open_criteria == ("1.4",)


def test_strict_and_inclusive_limits():
    assert check_end_of_waste(rule(FOREIGN_2), facts(2.0)).outcome is Outcome.MET
    assert check_end_of_waste(rule(FOREIGN_BELOW_2), facts(2.0)).outcome is Outcome.NOT_MET


def test_aluminium_passes_on_metal_yield_as_the_regulation_allows():
    assert check_end_of_waste(rule(ALUMINIUM), facts(7.0, 92.0)).outcome is Outcome.MET
    assert check_end_of_waste(rule(ALUMINIUM), facts(7.0, 85.0)).outcome is Outcome.NOT_MET
    assert check_end_of_waste(rule(ALUMINIUM), facts(None, 91.0)).outcome is Outcome.MET
    assert check_end_of_waste(rule(ALUMINIUM), facts()).outcome is Outcome.UNKNOWN
    assert check_end_of_waste(rule(ALUMINIUM), facts(None, 85.0)).outcome is Outcome.UNKNOWN
