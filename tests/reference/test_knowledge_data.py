"""The shipped knowledge base: it validates, every entry is sourced, known facts hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from metalloop.core.materials.entries import (
    CrosswalkLink,
    CustomsCode,
    Element,
    EmissionFactor,
    EndOfWasteRule,
    Graded,
    Kind,
    Material,
    ProcessType,
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
        (Kind.PROCESS_TYPES, 12),
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


# Issue 10: the co-products a processor must be able to declare, and the process types.
CO_PRODUCTS = (
    "MAT:plastics-mixed-shredder", "MAT:plastics-cable", "MAT:shredder-light-fraction",
    "MAT:shredder-heavy-fraction", "MAT:incinerator-bottom-ash", "MAT:bottom-ash-ferrous",
    "MAT:bottom-ash-non-ferrous", "MAT:slag-eaf", "MAT:slag-bof", "MAT:slag-ladle",
    "MAT:eaf-dust", "MAT:waelz-oxide", "MAT:filter-dust-non-ferrous", "MAT:salt-slag",
    "MAT:dross-skimmings", "MAT:mill-scale", "MAT:spent-refractory",
)  # fmt: skip
PROCESS_TYPES = (
    "PROC:shredding", "PROC:cable-granulation", "PROC:briquetting", "PROC:baling",
    "PROC:sorting-xrf", "PROC:sorting-libs", "PROC:eddy-current-separation",
    "PROC:swarf-centrifuging", "PROC:slag-processing", "PROC:waelz-kiln", "PROC:remelting",
    "PROC:refining", "PROC:remanufacturing",
)  # fmt: skip
# The competence taxonomy of the network registry (migration 0002); the reference data
# may not import the network app, so the slugs a process type names are listed here.
COMPETENCES = {
    "sensor-based-sorting", "shredding", "briquetting", "scrap-preparation", "dismantling",
    "eddy-current-separation", "battery-recycling", "weee-processing", "hydrometallurgy",
    "pyrometallurgy", "electrometallurgy", "remelting", "alloy-development",
    "slag-residue-recovery", "chemical-analysis", "casting", "forming", "machining",
    "additive-manufacturing", "remanufacturing", "repair-refurbishment",
}  # fmt: skip


@pytest.mark.parametrize("code", CO_PRODUCTS)
def test_the_co_products_of_metal_processing_are_materials(knowledge, code):
    entry = knowledge.get(code)
    assert isinstance(entry, Material)
    assert entry.description_de and entry.description_en


@pytest.mark.parametrize("code", PROCESS_TYPES)
def test_process_types_name_existing_materials_an_r_strategy_and_a_competence(knowledge, code):
    process = knowledge.get(code)
    assert isinstance(process, ProcessType)
    assert process.products
    for material in (*process.inputs, *process.products, *process.co_products):
        assert knowledge.get(material).kind is Kind.MATERIALS, material
    assert knowledge.get(process.r_strategy).kind is Kind.R_STRATEGIES
    assert process.competence in COMPETENCES


def test_the_competence_slugs_are_those_of_the_network_registry():
    from metalloop.network.migrations import __path__ as migrations  # test only: no import cycle

    text = (Path(migrations[0]) / "0002_competence_taxonomy.py").read_text(encoding="utf-8")
    assert all(f'"{slug}"' in text for slug in COMPETENCES)


def test_remanufacturing_comes_before_recycling_on_the_r_ladder(knowledge):
    numbers = {
        code: knowledge.get(knowledge.get(code).r_strategy).number  # type: ignore[attr-defined]
        for code in ("PROC:remanufacturing", "PROC:remelting")
    }
    assert numbers == {"PROC:remanufacturing": 6, "PROC:remelting": 8}
