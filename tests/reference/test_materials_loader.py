"""The data loader validates schema, units, ranges, sources and every cross-reference."""

from __future__ import annotations

import copy

import pytest

from metalloop.core.materials.entries import Graded, Kind
from metalloop.reference.materials import DataError, build_knowledge_base

SOURCE = {
    "document": "Test document",
    "edition": "2024",
    "section": "Table 1",
    "url": "https://example.org",
}


def doc(kind, *entries, **defaults):
    return {"kind": kind, "version": "2026-11-22", "defaults": defaults, "entries": list(entries)}


def minimal():
    return [
        (
            "elements.yaml",
            doc(
                "elements",
                {
                    "code": "EL:Fe",
                    "symbol": "Fe",
                    "number": 26,
                    "name_de": "Eisen",
                    "name_en": "iron",
                    "atomic_mass": 55.845,
                },
                {
                    "code": "EL:Cr",
                    "symbol": "Cr",
                    "number": 24,
                    "name_de": "Chrom",
                    "name_en": "chromium",
                    "atomic_mass": 51.996,
                },
                {
                    "code": "EL:Ni",
                    "symbol": "Ni",
                    "number": 28,
                    "name_de": "Nickel",
                    "name_en": "nickel",
                    "atomic_mass": 58.693,
                },
                source=SOURCE,
                confidence="secondary",
            ),
        ),
        (
            "materials.yaml",
            doc(
                "materials",
                {
                    "code": "MAT:iron-steel",
                    "name_de": "Eisen und Stahl",
                    "name_en": "iron and steel",
                },
                {
                    "code": "MAT:steel-stainless",
                    "name_de": "Edelstahl",
                    "name_en": "stainless steel",
                    "parent": "MAT:iron-steel",
                },
                source=SOURCE,
                confidence="secondary",
            ),
        ),
        (
            "alloys.yaml",
            doc(
                "alloys",
                {
                    "code": "EN10088:1.4301",
                    "name": "X5CrNi18-10",
                    "aliases": ["1.4301", "AISI 304"],
                    "name_de": "Austenitischer Stahl",
                    "name_en": "Austenitic steel",
                    "material": "MAT:steel-stainless",
                    "balance": "Fe",
                    "composition": {"Cr": [17.5, 19.5], "Ni": [8.0, 10.5]},
                    "source": SOURCE,
                    "confidence": "secondary",
                },
            ),
        ),
    ]


def test_a_valid_set_loads_with_provenance_and_aliases():
    knowledge = build_knowledge_base(minimal())
    entry = knowledge.get("AISI 304")
    assert isinstance(entry, Graded)
    assert entry.code == "EN10088:1.4301"
    assert entry.provenance.source.citation("de") == "Test document, 2024, Table 1"
    assert entry.specification.limits[0].low.percent == pytest.approx(17.5)
    assert len(knowledge.of_kind(Kind.ELEMENTS)) == 3
    assert [e.code for e in knowledge.search("chrom")] == ["EL:Cr"]


def test_sources_and_notes_speak_the_readers_language_and_maintainer_notes_stay_out():
    documents = copy.deepcopy(minimal())
    alloy = documents[2][1]["entries"][0]
    alloy["source"] = {
        **SOURCE,
        "section": {"de": "Tabelle 1", "en": "Table 1"},
        "reproduces": "EN 10088-2:2014",
        "accessed": "2026-12-08",
    }
    alloy["note_de"], alloy["note_en"] = "Für Bleche.", "For sheet."
    alloy["maintainer_note"] = "check against the 2024 edition"
    entry = build_knowledge_base(documents).get("EN10088:1.4301")
    provenance = entry.provenance
    assert provenance.source.citation("de") == "Test document, 2024, Tabelle 1"
    assert provenance.source.citation("en") == "Test document, 2024, Table 1"
    assert provenance.source.reproduces == "EN 10088-2:2014"
    assert (provenance.note.text("de"), provenance.note.text("en-gb")) == (
        "Für Bleche.",
        "For sheet.",
    )
    assert "2024 edition" not in repr(entry)


def broken(path, value):
    documents = copy.deepcopy(minimal())
    target = documents
    *keys, last = path
    for key in keys:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return documents


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            (2, 1, "entries", 0, "source"),
            KeyError,
            "'source' needs at least 'document' and 'edition'",
        ),
        (
            (2, 1, "entries", 0, "confidence"),
            "guess",
            "'confidence' must be standard, secondary or estimate",
        ),
        (
            (2, 1, "entries", 0, "composition"),
            {"Cr": [19.5, 17.5]},
            "the minimum 19.5 lies above the maximum",
        ),
        (
            (2, 1, "entries", 0, "composition"),
            {"Cr": [-1, 17.5]},
            "is not a share between 0 and 100 wt-%",
        ),
        ((2, 1, "entries", 0, "composition"), {"Xx": [0, 1]}, "'Xx' is not an element symbol"),
        (
            (2, 1, "entries", 0, "material"),
            "MAT:nope",
            "material 'MAT:nope' is not a materials code",
        ),
        ((2, 1, "entries", 0, "colour"), "grey", "unknown keys: colour"),
        ((2, 1, "entries", 0, "code"), "1.4301", "codes of alloys start with"),
        ((1, 1, "entries", 1, "parent"), "MAT:none", "parent 'MAT:none' is not a materials code"),
        ((0, 1, "entries", 0, "atomic_mass"), "heavy", "'atomic_mass' must be a number"),
        ((0, 1, "kind"), "metals", "unknown kind 'metals'"),
        ((0, 1, "entries", 1, "code"), "EL:Fe", "the code is used twice"),
        ((2, 1, "entries", 0, "note"), "old style", "'note' is split into note_de and note_en"),
        ((2, 1, "entries", 0, "note_de"), "nur deutsch", "needs both note_de and note_en"),
        (
            (2, 1, "entries", 0, "source"),
            {**SOURCE, "section": {"de": "Tabelle 1"}},
            "'source.section' in two languages needs exactly 'de' and 'en' texts",
        ),
        ((2, 1, "entries", 0, "source"), {**SOURCE, "checked_by": "x"}, "unknown source keys"),
    ],
)
def test_invalid_data_is_refused_with_a_precise_message(path, value, message):
    with pytest.raises(DataError) as invalid:
        build_knowledge_base(broken(path, value))
    assert any(message in problem for problem in invalid.value.problems), invalid.value.problems


def with_process_type(**changes):
    documents = copy.deepcopy(minimal())
    documents.append(
        (
            "r-strategies.yaml",
            doc(
                "r-strategies",
                {
                    "code": "R:8",
                    "number": 8,
                    "name_de": "Recyceln",
                    "name_en": "Recycle",
                    "definition_de": "Materialien aufbereiten.",
                    "definition_en": "Process materials.",
                },
                source=SOURCE,
                confidence="secondary",
            ),
        )
    )
    process = {
        "code": "PROC:shredding",
        "name_de": "Schreddern",
        "name_en": "Shredding",
        "description_de": "Zerkleinern.",
        "description_en": "Size reduction.",
        "inputs": ["MAT:iron-steel"],
        "products": ["MAT:iron-steel"],
        "co_products": ["MAT:steel-stainless"],
        "r_strategy": "R:8",
        "competence": "shredding",
        "source": SOURCE,
        "confidence": "secondary",
    }
    process.update(changes)
    documents.append(("process-types.yaml", doc("process-types", process)))
    return documents


def test_a_process_type_loads_with_its_materials_and_r_strategy():
    process = build_knowledge_base(with_process_type()).get("PROC:shredding")
    assert process.kind is Kind.PROCESS_TYPES
    assert (process.inputs, process.products, process.co_products) == (
        ("MAT:iron-steel",),
        ("MAT:iron-steel",),
        ("MAT:steel-stainless",),
    )
    assert (process.r_strategy, process.competence) == ("R:8", "shredding")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"inputs": ["MAT:nope"]}, "input 'MAT:nope' is not a materials code"),
        ({"products": ["EL:Fe"]}, "product 'EL:Fe' is not a materials code"),
        ({"co_products": ["MAT:nope"]}, "co-product 'MAT:nope' is not a materials code"),
        ({"products": []}, "'products' must name at least one material"),
        ({"r_strategy": "R:42"}, "R-strategy 'R:42' is not a r-strategies code"),
        ({"r_strategy": None}, "'r_strategy' is missing"),
        ({"competence": "Shredding and size reduction"}, "'competence' must be a slug"),
        ({"code": "PROCESS:shredding"}, "codes of process-types start with PROC:"),
        ({"description_en": None}, "'description_en' is missing"),
    ],
)
def test_an_invalid_process_type_is_refused_with_a_precise_message(changes, message):
    with pytest.raises(DataError) as invalid:
        build_knowledge_base(with_process_type(**changes))
    assert any(message in problem for problem in invalid.value.problems), invalid.value.problems
