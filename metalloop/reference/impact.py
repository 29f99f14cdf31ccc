"""Load the impact method (metalloop/reference/method/impact-method.yaml) into the core.

Every factor named there must exist in the knowledge base with a fitting unit; freight
factors are converted from g CO2e/tkm to t CO2e/(t·km).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from metalloop.core.impact.method import Factor, ImpactMethod, Substitution
from metalloop.core.materials.entries import EmissionFactor, Kind, Material
from metalloop.core.materials.knowledge import KnowledgeBase, UnknownCode
from metalloop.core.materials.provenance import Provenance
from metalloop.reference.materials import SAFE_LOADER, DataError, load_knowledge_base
from metalloop.reference.materials.raw import RawEntry, provenance

METHOD_FILE = Path(str(resources.files("metalloop.reference") / "method" / "impact-method.yaml"))
UNIT_FACTORS = {"t CO2e/t": 1.0, "g CO2e/tkm": 1e-6}


def taxonomy_ancestors(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Each material's ancestors in the taxonomy, nearest first."""
    materials = {e.code: e for e in kb.of_kind(Kind.MATERIALS) if isinstance(e, Material)}
    lineage = {}
    for code, entry in materials.items():
        chain, parent = [], entry.parent
        while parent and parent not in chain:
            chain.append(parent)
            parent = materials[parent].parent if parent in materials else ""
        lineage[code] = tuple(chain)
    return lineage


def _factor(kb: KnowledgeBase, code: str, units: set[str], problems: list[str]) -> Factor:
    try:
        entry = kb.get(code)
    except UnknownCode:
        problems.append(f"{code}: not in the knowledge base")
        return Factor(code, 0.0)
    if not isinstance(entry, EmissionFactor) or entry.unit not in units:
        problems.append(f"{code}: not an emission factor in {sorted(units)}")
        return Factor(code, 0.0)
    return Factor(
        code,
        entry.value * UNIT_FACTORS[entry.unit],
        str(entry.provenance.confidence),
        entry.provenance.confirmed,
    )


def detour_provenance(document: dict[str, Any], problems: list[str]) -> Provenance:
    """Source, confidence and reader note of the detour factor, checked as an entry's are."""
    raw = RawEntry(document.get("detour") or {}, "impact-method.yaml: detour", problems)
    found = provenance(raw)
    raw.unknown_keys({"value"})
    return found


def build_impact_method(document: dict[str, Any], kb: KnowledgeBase) -> ImpactMethod:
    """Validate the method document against the knowledge base; raise :class:`DataError`."""
    problems: list[str] = []
    substitutions = {}
    for row in document.get("substitutions", []):
        material = row["material"]
        if material not in {e.code for e in kb.of_kind(Kind.MATERIALS)}:
            problems.append(f"{material}: not a material of the taxonomy")
        substitutions[material] = Substitution(
            material,
            _factor(kb, row["primary"], {"t CO2e/t"}, problems),
            _factor(kb, row["secondary"], {"t CO2e/t"}, problems),
        )
    freight = {
        mode: _factor(kb, code, {"g CO2e/tkm"}, problems)
        for mode, code in document.get("freight", {}).items()
    }
    detour = document["detour"]
    detour_provenance(document, problems)
    if problems:
        raise DataError(problems)
    return ImpactMethod(
        substitutions=substitutions,
        freight=freight,
        detour=Factor("detour", float(detour["value"]), detour["confidence"], detour["confirmed"]),
        deadweight=float(document["deadweight"]),
        attribution=float(document["attribution"]),
        ancestors=taxonomy_ancestors(kb),
    )


def read_method_document(path: Path = METHOD_FILE) -> dict[str, Any]:
    """The method file as read (YAML)."""
    with path.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=SAFE_LOADER)  # noqa: S506
    return document


@cache
def load_detour_provenance(path: Path = METHOD_FILE) -> Provenance:
    """Where the detour factor comes from, once per process."""
    problems: list[str] = []
    found = detour_provenance(read_method_document(path), problems)
    if problems:
        raise DataError(problems)
    return found


@cache
def load_impact_method(path: Path = METHOD_FILE) -> ImpactMethod:
    """The impact method, validated, once per process."""
    return build_impact_method(read_method_document(path), load_knowledge_base())
