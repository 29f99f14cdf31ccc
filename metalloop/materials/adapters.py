"""Translate between the pages, API and CLI and the knowledge base in the core."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metalloop.core.materials.classify import Match, classify
from metalloop.core.materials.composition import (
    AnalysisError,
    Composition,
    analysis_from_mapping,
    parse_analysis,
)
from metalloop.core.materials.end_of_waste import EndOfWasteResult, LotFacts, check_end_of_waste
from metalloop.core.materials.entries import CleanBase, EndOfWasteRule, Entry, Graded
from metalloop.core.materials.knowledge import KnowledgeBase, UnknownCode
from metalloop.core.materials.specification import CheckResult, Specification, check
from metalloop.core.units import MassFraction
from metalloop.materials.errors import ErrorCode
from metalloop.reference.materials import load_knowledge_base


def knowledge() -> KnowledgeBase:
    """The knowledge base, loaded and validated once per process."""
    return load_knowledge_base()


def read_analysis(analysis: str | Mapping[str, Any]) -> Composition:
    """An analysis as text (``"Cr=18.1, Ni=8.3"``) or mapping (wt-%); 422-ready errors."""
    symbols = knowledge().element_symbols
    try:
        if isinstance(analysis, str):
            return parse_analysis(analysis, symbols)
        return analysis_from_mapping(analysis, symbols)
    except AnalysisError as invalid:
        raise ValidationError(
            {"analysis": analysis_message(invalid)}, code=ErrorCode.ANALYSIS_INVALID
        ) from invalid


ANALYSIS_MESSAGES = {
    "negative": gettext_lazy("%(element)s: a share cannot be negative (%(value)g wt-%%)."),
    "min_above_max": gettext_lazy(
        "%(element)s: the minimum %(low)g wt-%% lies above the maximum %(high)g wt-%%."
    ),
    "above_whole": gettext_lazy("%(element)s: a share cannot exceed 100 wt-%% (%(value)g)."),
    "sum_above_whole": gettext_lazy("The shares add up to %(total).4g wt-%%, more than 100 wt-%%."),
    "unknown_element": gettext_lazy(
        "%(element)s is not a chemical element symbol (write e.g. Cr, Ni, Mo)."
    ),
    "repeated": gettext_lazy("%(element)s is given twice."),
    "not_a_number": gettext_lazy("%(element)s: %(value)s is not a number."),
    "format": gettext_lazy("%(part)s: write each element as Symbol=value, e.g. Cr=18.1."),
    "empty": gettext_lazy("The analysis is empty; give at least one element, e.g. Cr=18.1."),
    "pair": gettext_lazy("%(element)s: give a value or a [min, max] pair."),
}


def analysis_message(error: AnalysisError) -> str:
    """The error of an analysis in the user's language (the core speaks English only)."""
    template = ANALYSIS_MESSAGES.get(error.reason)
    return str(template) % error.params if template is not None else str(error)


def graded(code: str) -> Graded:
    """The alloy or scrap grade with this code or alias, if it has a chemistry specification."""
    try:
        entry = knowledge().get(code)
    except UnknownCode as unknown:
        raise ValidationError(
            {
                "specification": _("%(code)s is not the code of an alloy or scrap grade.")
                % {"code": code}
            },
            code=ErrorCode.SPECIFICATION_UNKNOWN,
        ) from unknown
    if not isinstance(entry, Graded):
        raise ValidationError(
            {"specification": _("%(code)s is not an alloy or scrap grade.") % {"code": code}},
            code=ErrorCode.SPECIFICATION_UNKNOWN,
        )
    if not entry.specification.has_chemistry:
        raise ValidationError(
            {
                "specification": _("%(code)s has no chemistry limits to check against.")
                % {"code": entry.code}
            },
            code=ErrorCode.SPECIFICATION_WITHOUT_CHEMISTRY,
        )
    return entry


def end_of_waste_check(
    code: str,
    *,
    foreign_materials_wt_pct: float | None,
    metal_yield_pct: float | None,
    declarations: list[str],
) -> tuple[EndOfWasteRule, EndOfWasteResult]:
    """Evaluate the end-of-waste rule with this code for a lot's facts."""
    try:
        rule = knowledge().get(code)
    except UnknownCode:
        rule = None
    if not isinstance(rule, EndOfWasteRule):
        raise ValidationError(
            {"rule": _("%(code)s is not an end-of-waste rule.") % {"code": code}},
            code=ErrorCode.SPECIFICATION_UNKNOWN,
        )
    errors = {
        name: _("Give a share between 0 and 100 %.")
        for name, value in (
            ("foreign_materials_wt_pct", foreign_materials_wt_pct),
            ("metal_yield_pct", metal_yield_pct),
        )
        if value is not None and not 0 <= value <= 100
    }
    known = {c.attribute for c in rule.criteria if c.check == "declaration"}
    unknown = sorted(set(declarations) - known)
    if unknown:
        errors["declarations"] = _("Not a declaration of this rule: %(names)s.") % {
            "names": ", ".join(unknown)
        }
    if errors:
        raise ValidationError(errors)
    facts = LotFacts(
        foreign_materials=None
        if foreign_materials_wt_pct is None
        else MassFraction.wt_pct(foreign_materials_wt_pct),
        metal_yield=None if metal_yield_pct is None else MassFraction.wt_pct(metal_yield_pct),
        declarations=frozenset(declarations),
    )
    return rule, check_end_of_waste(rule, facts)


def in_the_melt(spec: Specification, *, alloying: bool) -> Specification:
    """A specification as a melt shop meets it: thinned with the knowledge base's clean
    material of its base metal (the pure base metal where there is none), and, with
    ``alloying``, shortfalls made up by additions."""
    clean = knowledge().clean_base(spec.balance) if spec.balance else None
    return replace(spec, diluent=clean.diluent() if clean else None, alloying=alloying)


def check_analysis(code: str, analysis: str | Mapping[str, Any]) -> tuple[Graded, CheckResult]:
    """Check an analysis against the grade or alloy with this code: may the lot be melted
    into it as it is, after dilution, or after alloying additions?"""
    entry = graded(code)
    return entry, check(read_analysis(analysis), in_the_melt(entry.specification, alloying=True))


def classify_analysis(analysis: str | Mapping[str, Any]) -> list[tuple[Graded, Match]]:
    """The grades and alloys an analysis fits as it is or after dilution, best first (a
    grade the lot reaches only by alloying does not describe it)."""
    entries = {e.code: e for e in knowledge().graded()}
    specs = [in_the_melt(e.specification, alloying=False) for e in entries.values()]
    return [(entries[m.code], m) for m in classify(read_analysis(analysis), specs)]


def entry_data(entry: Entry) -> dict[str, Any]:
    """The kind-specific fields of an entry as plain data (compositions in wt-%)."""
    common = {"code", "kind", "name_de", "name_en", "provenance", "specification"}
    data = {
        field.name: _plain(getattr(entry, field.name))
        for field in dataclasses.fields(entry)
        if field.name not in common
    }
    if isinstance(entry, Graded) and entry.specification.has_chemistry:
        data["composition"] = composition_limits(entry.specification)
    if isinstance(entry, CleanBase):
        data["analysis"] = {
            element: [_pct(share.low), _pct(share.high)]
            for element, share in entry.analysis.shares.items()
        }
    return data


def composition_limits(spec: Specification) -> dict[str, Any]:
    """Limits of a specification as ``{"limits": {El: [min, max]}, ...}`` in wt-%."""
    return {
        "balance": spec.balance,
        "limits": {limit.element: [_pct(limit.low), _pct(limit.high)] for limit in spec.limits},
        "sum_limits": [
            {"elements": list(s.elements), "max": _pct(s.high)} for s in spec.sum_limits
        ],
        "others_each": _pct(spec.others_each),
        "others_total": _pct(spec.others_total),
    }


def _pct(share: Any) -> float | None:
    return None if share is None else round(share.percent, 6)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
