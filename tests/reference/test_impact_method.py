"""The impact method file resolves against the knowledge base, with units converted."""

from __future__ import annotations

import pytest

from metalloop.reference.impact import (
    build_impact_method,
    detour_provenance,
    load_detour_provenance,
    load_impact_method,
)
from metalloop.reference.materials import DataError, load_knowledge_base


def test_every_factor_of_the_method_is_a_knowledge_base_entry() -> None:
    method = load_impact_method()
    kb = load_knowledge_base()
    for substitution in method.substitutions.values():
        for factor in (substitution.primary, substitution.secondary):
            assert kb.get(factor.code).value == pytest.approx(factor.value)  # type: ignore[attr-defined]
    assert method.freight["road"].value == pytest.approx(112e-6)  # 112 g/tkm in t/(t·km)
    assert set(method.freight) == {"road", "rail", "inland_waterway", "sea"}


def test_subfamilies_use_their_nearest_ancestors_substitution() -> None:
    method = load_impact_method()
    assert (
        method.substitution_for("MAT:steel-stainless-austenitic").material == "MAT:steel-stainless"
    )  # type: ignore[union-attr]
    assert method.substitution_for("MAT:steel-tool").material == "MAT:iron-steel"  # type: ignore[union-attr]
    assert method.substitution_for("MAT:zinc") is None


def test_an_unknown_or_misfit_factor_is_reported() -> None:
    document = {
        "substitutions": [
            {
                "material": "MAT:nothing",
                "primary": "EF:nope",
                "secondary": "EF:freight-truck-de-2018",
            }
        ],
        "freight": {"road": "EF:steel-bf-bof-world-2021"},
        "detour": {"value": 1.3, "confidence": "secondary", "confirmed": True},
        "deadweight": 0.0,
        "attribution": 1.0,
    }
    with pytest.raises(DataError) as raised:
        build_impact_method(document, load_knowledge_base())
    problems = "\n".join(raised.value.problems)
    assert "MAT:nothing" in problems and "EF:nope" in problems
    assert "EF:freight-truck-de-2018" in problems and "EF:steel-bf-bof-world-2021" in problems
    assert "detour: 'source' needs at least 'document' and 'edition'" in problems


def test_the_detour_factor_has_a_source_and_a_note_in_both_languages() -> None:
    provenance = load_detour_provenance()
    assert provenance.source.document.text("de").startswith("Wang, Bette, Schreckenberg, Guhr")
    assert provenance.source.url == "https://arxiv.org/abs/2406.06490"
    assert provenance.source.section.text("de") == "Zusammenfassung"
    assert provenance.source.section.text("en") == "Abstract"
    assert "Binnenschiff" in provenance.note.text("de")
    assert "inland waterway" in provenance.note.text("en")
    assert load_impact_method().detour.value == 1.3


def test_a_detour_without_its_source_or_with_an_old_note_is_refused() -> None:
    problems: list[str] = []
    detour_provenance({"detour": {"value": 1.3, "confidence": "secondary", "note": "x"}}, problems)
    assert any("'source' needs" in p for p in problems)
    assert any("'note' is split into note_de and note_en" in p for p in problems)
