"""Customs codes: facts read in the Combined Nomenclature 2026, and the shape of the code tree."""

from __future__ import annotations

import pytest

from metalloop.core.materials.entries import CustomsCode, Kind
from metalloop.reference.materials import load_knowledge_base


@pytest.fixture(scope="module")
def customs():
    knowledge = load_knowledge_base()
    codes = {e.code: e for e in knowledge.of_kind(Kind.CUSTOMS_CODES)}
    assert all(isinstance(e, CustomsCode) for e in codes.values())
    return codes


def digits(code: str) -> str:
    return code.split(":", 1)[1]


def test_every_child_sits_under_an_existing_parent_whose_number_it_extends(customs):
    depth = {"heading": 4, "subheading": 6, "cn8": 8}
    for code, entry in customs.items():
        assert entry.number.replace(" ", "") == digits(code), code
        assert len(digits(code)) == depth[entry.level], code
        assert code.startswith("HS:") == (entry.level == "heading"), code
        if entry.level == "heading":
            assert not entry.parent, code
            continue
        parent = customs[entry.parent]
        assert digits(code).startswith(digits(parent.code)), code
        assert depth[parent.level] < depth[entry.level], code


def test_titles_are_the_cn_wording_without_indent_dashes(customs):
    for code, entry in customs.items():
        for title in (entry.name_de, entry.name_en):
            assert title and title == title.strip() and not title.startswith(("-", "–")), code


@pytest.mark.parametrize(
    ("code", "title_de", "title_en"),
    [
        (
            "CN:72044110",
            "Drehspäne, Frässpäne, Hobelspäne, Schleifspäne, Sägespäne und Feilspäne",
            "Turnings, shavings, chips, milling waste, sawdust and filings",
        ),
        (
            "CN:72042110",
            "mit einem Nickelgehalt von 8 GHT oder mehr",
            "Containing by weight 8 % or more of nickel",
        ),
        ("CN:72044910", "geschreddert", "Fragmentised (shredded)"),
        (
            "HS:7204",
            "Abfälle und Schrott, aus Eisen oder Stahl; Abfallblöcke aus Eisen oder Stahl",
            "Ferrous waste and scrap; remelting scrap ingots of iron or steel",
        ),
        ("CN:262011", "Galvanisationsmatte (Hartzink)", "Hard zinc spelter"),
        ("CN:262030", "überwiegend Kupfer enthaltend", "Containing mainly copper"),
        (
            "HS:8549",
            "Abfälle oder Schrott von elektrischen und elektronischen Geräten",
            "Electrical and electronic waste and scrap",
        ),
        ("CN:85491110", "ausgebrauchte Blei-Akkumulatoren", "Spent lead-acid accumulators"),
        (
            "HS:3915",
            "Abfälle, Schnitzel und Bruch von Kunststoffen",
            "Waste, parings and scrap, of plastics",
        ),
        (
            "CN:262110",
            "Aschen und Rückstände vom Verbrennen von Siedlungsabfällen",
            "Ash and residues from the incineration of municipal waste",
        ),
    ],
)
def test_titles_read_in_cn_2026(customs, code, title_de, title_en):
    entry = customs[code]
    assert (entry.name_de, entry.name_en) == (title_de, title_en)
    assert entry.provenance.confidence.value == "standard"
    assert entry.provenance.confirmed


def test_8549_holds_its_hs_2022_subheadings_and_the_battery_lines(customs):
    subheadings = {
        digits(c)[4:] for c, e in customs.items() if e.level == "subheading" and c[3:7] == "8549"
    }
    assert subheadings == {"11", "12", "13", "14", "19", "21", "29", "31", "39", "91", "99"}
    for sub in ("12", "13", "14", "19"):
        children = {digits(c)[6:] for c, e in customs.items() if e.parent == f"CN:8549{sub}"}
        assert children == {"10", "20", "90"}, sub
    assert {digits(c)[6:] for c, e in customs.items() if e.parent == "CN:854911"} == {"10", "90"}
    assert not [c for c in customs if digits(c).startswith("8548")]  # no waste in 8548 since 2022


@pytest.mark.parametrize(
    "code",
    [
        "HS:7204",  # iron and steel
        "HS:7112",  # precious metals
        "HS:7404",  # copper
        "HS:7503",  # nickel
        "HS:7602",  # aluminium
        "HS:7802",  # lead
        "HS:7902",  # zinc
        "HS:8002",  # tin
        "CN:810197",  # tungsten
        "CN:810297",  # molybdenum
        "CN:810330",  # tantalum
        "CN:810420",  # magnesium
        "CN:810530",  # cobalt
        "CN:810830",  # titanium
        "CN:811020",  # antimony
        "CN:811213",  # beryllium
        "CN:811222",  # chromium
        "CN:811231",  # hafnium
        "CN:81124110",  # rhenium
        "CN:811252",  # thallium
        "CN:811261",  # cadmium
        "CN:81129221",  # gallium, germanium, indium, niobium, vanadium
        "CN:81130040",  # cermets
        "HS:2618",
        "HS:2619",
        "HS:2620",
        "HS:2621",
        "HS:3915",
        "HS:4004",
    ],
)
def test_the_waste_and_scrap_lines_a_metal_network_needs_are_there(customs, code):
    assert code in customs


def test_every_customs_title_cites_the_cn_2026(customs):
    for code, entry in customs.items():
        source = entry.provenance.source
        assert "2025/1926" in source.document.de and "2025/1926" in source.document.en, code
        assert source.edition.en.startswith("CN 2026"), code
        assert source.accessed, code


def test_only_the_german_title_that_could_not_be_matched_to_its_code_is_unconfirmed(customs):
    unconfirmed = {c for c, e in customs.items() if not e.provenance.confirmed}
    assert unconfirmed == {"CN:39159011"}
