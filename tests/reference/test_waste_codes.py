"""Waste codes: facts read in the AVV (Anlage, 2020) and the List of Waste (2014/955/EU).

Each expected title below was read in the official texts (see the header of
``metalloop/reference/data/waste-codes.yaml``); a change to one of them is a change of law or an
error, never a matter of style.
"""

from __future__ import annotations

import re

import pytest

from metalloop.core.materials.entries import Kind, WasteCode
from metalloop.core.materials.provenance import Confidence
from metalloop.reference.materials import load_knowledge_base

REFERENCE = re.compile(r"\d\d \d\d \d\d")


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge_base()


@pytest.fixture(scope="module")
def waste_codes(knowledge) -> dict[str, WasteCode]:
    codes = {}
    for entry in knowledge.of_kind(Kind.WASTE_CODES):
        assert isinstance(entry, WasteCode)
        codes[entry.number] = entry
    return codes


def entries_of(waste_codes, group: str) -> list[str]:
    return sorted(
        number[-2:]
        for number, entry in waste_codes.items()
        if entry.level == "entry" and number.startswith(group + " ")
    )


@pytest.mark.parametrize(
    ("number", "title_de", "title_en", "hazardous"),
    [
        ("17 04 05", "Eisen und Stahl", "iron and steel", False),
        ("17 04 07", "gemischte Metalle", "mixed metals", False),
        ("10 02 02", "unbearbeitete Schlacke", "unprocessed slag", False),
        (
            "10 02 07",
            "feste Abfälle aus der Abgasbehandlung, die gefährliche Stoffe enthalten",
            "solid wastes from gas treatment containing hazardous substances",
            True,
        ),
        ("12 01 01", "Eisenfeil- und -drehspäne", "ferrous metal filings and turnings", False),
        (
            "19 01 02",
            "Eisenteile, aus der Rost- und Kesselasche entfernt",
            "ferrous materials removed from bottom ash",
            False,
        ),
        (
            "19 10",
            "Abfälle aus dem Schreddern von metallhaltigen Abfällen",
            "wastes from shredding of metal-containing wastes",
            False,
        ),
        ("19 10 01", "Eisen- und Stahlabfälle", "iron and steel waste", False),
        ("16 06 01", "Bleibatterien", "lead batteries", True),
        (
            "16 06 04",
            "Alkalibatterien (außer 16 06 03)",
            "alkaline batteries (except 16 06 03)",
            False,
        ),
        (
            "16 02 15",
            "aus gebrauchten Geräten entfernte gefährliche Bauteile",
            "hazardous components removed from discarded equipment",
            True,
        ),
        ("20 01 40", "Metalle", "Metals", False),
    ],
)
def test_titles_and_asterisks_read_in_the_official_texts(
    waste_codes, number, title_de, title_en, hazardous
):
    entry = waste_codes[number]
    assert (entry.name_de, entry.name_en, entry.hazardous) == (title_de, title_en, hazardous)


def test_every_waste_code_is_confirmed_against_the_official_text(waste_codes):
    for entry in waste_codes.values():
        provenance = entry.provenance
        assert provenance.confirmed, entry.code
        assert provenance.confidence is Confidence.STANDARD, entry.code
        assert provenance.source.document.de.startswith("Abfallverzeichnis-Verordnung")
        assert provenance.source.document.en.startswith("List of waste")
        assert "2020" in provenance.source.edition.de
        assert "2014/955/EU" in provenance.source.edition.en


def test_codes_levels_and_parents_follow_the_number(waste_codes):
    for number, entry in waste_codes.items():
        digits = number.replace(" ", "")
        assert entry.code == f"AVV:{digits}"
        assert entry.level == {2: "chapter", 4: "subchapter", 6: "entry"}[len(digits)]
        assert entry.parent == ("" if len(digits) == 2 else f"AVV:{digits[:-2]}")
        assert entry.parent == "" or entry.parent.removeprefix("AVV:") in {
            n.replace(" ", "") for n in waste_codes
        }


@pytest.mark.parametrize(
    ("group", "entries"),
    [
        ("10 02", "01 02 07 08 10 11 12 13 14 15 99"),
        ("10 08", "04 08 09 10 11 12 13 14 15 16 17 18 19 20 99"),
        ("11 01", "05 06 07 08 09 10 11 12 13 14 15 16 98 99"),
        ("11 05", "01 02 03 04 99"),
        ("12 01", "01 02 03 04 05 06 07 08 09 10 12 13 14 15 16 17 18 19 20 21 99"),
        ("16 06", "01 02 03 04 05 06"),
        ("17 04", "01 02 03 04 05 06 07 09 10 11"),
        ("19 10", "01 02 03 04 05 06"),
    ],
)
def test_whole_groups_hold_every_entry_of_the_avv(waste_codes, group, entries):
    assert entries_of(waste_codes, group) == entries.split()


def test_the_codes_a_metal_network_uses_exist(waste_codes):
    for number in (
        "15 01 04",
        "16 01 17",
        "16 01 18",
        "16 02 13",
        "16 02 14",
        "16 02 15",
        "16 02 16",
        "19 01 02",
        "19 12 02",
        "19 12 03",
        "19 12 04",
        "19 12 11",
        "19 12 12",
        "20 01 21",
        "20 01 23",
        "20 01 35",
        "20 01 36",
        "20 01 40",
    ):
        assert number in waste_codes, number
    assert waste_codes["19 01 02"].materials == ("MAT:bottom-ash-ferrous",)
    assert waste_codes["19 10 04"].materials == ("MAT:shredder-light-fraction",)
    assert "MAT:plastics-cable" in waste_codes["19 12 04"].materials


def test_mirror_pairs_point_at_each_other_with_opposite_asterisks(waste_codes, knowledge):
    pairs = 0
    for entry in waste_codes.values():
        if entry.mirror:
            mirror = knowledge.get(entry.mirror)
            assert isinstance(mirror, WasteCode) and mirror.mirror == entry.code
            assert mirror.hazardous != entry.hazardous
            pairs += 1
    assert pairs >= 2 * 40


def test_every_other_than_names_its_hazardous_mirror(waste_codes):
    """An entry "mit Ausnahme derjenigen, die unter XX XX XX fallen" mirrors that hazardous code."""
    checked = 0
    for entry in waste_codes.values():
        named = REFERENCE.findall(entry.name_de)
        if entry.hazardous or "mit Ausnahme" not in entry.name_de or len(named) != 1:
            continue
        mirror = waste_codes[named[0]]
        assert entry.mirror == mirror.code, entry.number
        assert mirror.hazardous, entry.number
        checked += 1
    assert checked >= 40


def test_german_and_english_titles_name_the_same_codes(waste_codes):
    for entry in waste_codes.values():
        assert REFERENCE.findall(entry.name_de) == REFERENCE.findall(entry.name_en), entry.number


@pytest.mark.parametrize(("number", "mirror"), [("16 02 14", "16 02 13"), ("20 01 36", "20 01 35")])
def test_entries_naming_several_codes_mirror_the_last_hazardous_one(waste_codes, number, mirror):
    assert waste_codes[number].mirror == waste_codes[mirror].code


def test_battery_entries_tell_the_reader_about_the_2026_recast(waste_codes):
    for number in ("16 06", "16 06 04", "16 06 05"):
        note = waste_codes[number].provenance.note
        assert "2025/934" in note.de and "2025/934" in note.en, number
        assert "9. November 2026" in note.de and "9 November 2026" in note.en, number
