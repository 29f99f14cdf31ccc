"""The shipped knowledge base: it validates, every entry is sourced, known facts hold."""

from __future__ import annotations

import pytest

from metalloop.core.materials.entries import (
    CrosswalkLink,
    CustomsCode,
    Element,
    EmissionFactor,
    EndOfWasteRule,
    Graded,
    Kind,
    RStrategy,
    WasteCode,
)
from metalloop.reference.materials import build_knowledge_base, load_knowledge_base, read_data_files


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge_base()


def test_the_data_files_validate():
    # The load time is measured by benchmarks/bench_reference.py, not asserted here.
    documents = read_data_files()
    assert len(documents) >= 10
    assert len(build_knowledge_base(documents)) > 600


def test_every_entry_has_a_source_and_a_confidence(knowledge):
    for entry in knowledge.entries:
        source = entry.provenance.source
        assert source.document.de.strip() and source.edition.de.strip(), entry.code
        assert entry.provenance.confidence.value in {"standard", "secondary", "estimate"}
        assert entry.name_de.strip() and entry.name_en.strip(), entry.code


@pytest.mark.parametrize(
    ("kind", "at_least"),
    [
        (Kind.ELEMENTS, 92),
        (Kind.ALLOYS, 40),
        (Kind.SCRAP_GRADES, 30),
        (Kind.WASTE_CODES, 230),
        (Kind.CUSTOMS_CODES, 20),
        (Kind.CROSSWALK, 10),
        (Kind.END_OF_WASTE, 3),
        (Kind.EMISSION_FACTORS, 10),
        (Kind.R_STRATEGIES, 10),
    ],
)
def test_each_part_holds_what_the_issue_asks_for(knowledge, kind, at_least):
    assert len(knowledge.of_kind(kind)) >= at_least


def test_alloys_cover_steels_aluminium_and_copper(knowledge):
    alloys = [e for e in knowledge.of_kind(Kind.ALLOYS) if isinstance(e, Graded)]
    by_balance = {
        b: sum(1 for a in alloys if a.specification.balance == b) for b in ("Fe", "Al", "Cu")
    }
    assert by_balance["Fe"] >= 20 and by_balance["Al"] >= 12 and by_balance["Cu"] >= 8
    for code in (
        "EN10025:1.0038",
        "EN10083:1.0503",
        "EN10083:1.7225",
        "EN10088:1.4016",
        "EN10088:1.4571",
    ):
        assert knowledge.get(code).kind is Kind.ALLOYS


def test_european_steel_scrap_grades_are_all_there(knowledge):
    for grade in ("E1", "E2", "E3", "E40", "E8", "E6", "E5H", "E5M", "EHRB", "EHRM", "E46"):
        entry = knowledge.get(f"EU27:{grade}")
        assert isinstance(entry, Graded) and entry.description_de and entry.description_en


def test_the_crosswalk_resolves_in_both_directions(knowledge):
    for link in knowledge.of_kind(Kind.CROSSWALK):
        assert isinstance(link, CrosswalkLink)
        for code in (link.material, *link.waste_codes, *link.scrap_grades, *link.customs_codes):
            assert knowledge.get(code)  # forward
            assert link in knowledge.links_of(code)  # and back
    assert knowledge.links_of("AVV:170405"), "iron and steel waste is linked"


def test_mirror_entries_point_at_each_other(knowledge):
    for entry in knowledge.of_kind(Kind.WASTE_CODES):
        assert isinstance(entry, WasteCode)
        if entry.mirror:
            mirror = knowledge.get(entry.mirror)
            assert isinstance(mirror, WasteCode) and mirror.mirror == entry.code
            assert mirror.hazardous != entry.hazardous


def test_known_facts(knowledge):
    steel = knowledge.get("AVV:170405")
    assert isinstance(steel, WasteCode)
    assert (steel.number, steel.name_de, steel.name_en.lower(), steel.hazardous) == (
        "17 04 05",
        "Eisen und Stahl",
        "iron and steel",
        False,
    )
    turnings = knowledge.get("CN:720441")
    assert isinstance(turnings, CustomsCode)
    assert turnings.name_en.lower().startswith(
        "turnings, shavings, chips, milling waste, sawdust, filings, trimmings and stampings"
    )
    cr = {lim.element: lim for lim in knowledge.get("EN10088:1.4301").specification.limits}["Cr"]  # type: ignore[attr-defined]
    assert (cr.low.percent, cr.high.percent) == pytest.approx((17.5, 19.5))
    mg = {lim.element: lim for lim in knowledge.get("EN573:AW-6060").specification.limits}["Mg"]  # type: ignore[attr-defined]
    assert (mg.low.percent, mg.high.percent) == pytest.approx((0.35, 0.6))
    iron = knowledge.get("EL:Fe")
    assert isinstance(iron, Element) and iron.atomic_mass == pytest.approx(55.845, abs=0.001)
    assert [
        r.number for r in knowledge.of_kind(Kind.R_STRATEGIES) if isinstance(r, RStrategy)
    ] == list(range(10))


def test_end_of_waste_rules_are_checkable(knowledge):
    for code, limit in (("EOW:333-2011-I", 2.0), ("EOW:333-2011-II", 5.0), ("EOW:715-2013-I", 2.0)):
        rule = knowledge.get(code)
        assert isinstance(rule, EndOfWasteRule)
        shares = [c.max_wt_pct for c in rule.criteria if c.check == "max_share"]
        assert shares == [limit], code


def test_emission_factors_carry_year_region_and_boundary(knowledge):
    routes = set()
    for factor in knowledge.of_kind(Kind.EMISSION_FACTORS):
        assert isinstance(factor, EmissionFactor)
        assert factor.year and factor.region and factor.boundary and factor.unit, factor.code
        routes.add((factor.activity, factor.route))
    assert {
        ("transport", "truck"),
        ("transport", "rail"),
        ("transport", "inland waterway"),
        ("transport", "sea"),
    } <= routes
    assert {("production", "BF-BOF"), ("production", "scrap-EAF")} <= routes


def test_the_real_aluminium_rule_accepts_metal_yield_instead_of_purity(knowledge):
    from metalloop.core.materials.end_of_waste import LotFacts, Outcome, check_end_of_waste
    from metalloop.core.units import MassFraction

    rule = knowledge.get("EOW:333-2011-II")
    result = check_end_of_waste(rule, LotFacts(MassFraction.wt_pct(7), MassFraction.wt_pct(92)))
    foreign = [c for c in result.criteria if c.criterion.check == "max_share"]
    assert [c.outcome for c in foreign] == [Outcome.MET]
    assert result.outcome is Outcome.UNKNOWN  # the declarations are still open
