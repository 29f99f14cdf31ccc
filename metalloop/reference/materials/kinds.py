"""One parser per kind of entry, from raw YAML to core value objects."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from metalloop.core.materials.composition import Composition, ShareRange
from metalloop.core.materials.entries import (
    CleanBase,
    Criterion,
    CrosswalkLink,
    CustomsCode,
    Element,
    EmissionFactor,
    EndOfWasteRule,
    Entry,
    Graded,
    Kind,
    Material,
    ProcessType,
    RStrategy,
    WasteCode,
)
from metalloop.core.materials.provenance import Wording
from metalloop.core.materials.specification import Limit, Specification, SumLimit
from metalloop.core.units import ZERO, MassFraction
from metalloop.reference.materials.raw import RawEntry, choice, common_fields, wording


def _element(e: RawEntry) -> Entry:
    number = e.number("number", low=1, high=118)
    mass = e.number("atomic_mass", low=1, high=300)
    return Element(
        **common_fields(Kind.ELEMENTS, e),
        symbol=e.text("symbol"),
        number=int(number or 0),
        atomic_mass=mass or 0.0,
    )


def _material(e: RawEntry) -> Entry:
    return Material(
        **common_fields(Kind.MATERIALS, e),
        parent=e.text("parent", required=False),
        description_de=e.text("description_de", required=False),
        description_en=e.text("description_en", required=False),
    )


def _specification(e: RawEntry, code: str) -> Specification:
    e.used.update({"composition", "sum_limits", "balance", "others_each", "others_total"})
    limits = []
    composition = e.raw.get("composition") or {}
    if not isinstance(composition, dict):
        e.problem("'composition' must map element symbols to [min, max] in wt-%")
        composition = {}
    for element, bounds in composition.items():
        limit = _limit(e, str(element), bounds)
        if limit is not None:
            limits.append(limit)
    sums = []
    for item in e.raw.get("sum_limits") or []:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("elements"), list)
            or "max" not in item
        ):
            e.problem("each sum limit needs 'elements' (a list) and 'max' (wt-%)")
            continue
        high = _percent(e, "sum limit", item["max"])
        if high is not None:
            sums.append(SumLimit(tuple(str(x) for x in item["elements"]), high))
    return Specification(
        code=code,
        balance=str(e.raw.get("balance") or ""),
        limits=tuple(limits),
        sum_limits=tuple(sums),
        others_each=_percent(e, "others_each", e.raw.get("others_each")),
        others_total=_percent(e, "others_total", e.raw.get("others_total")),
    )


def _percent(e: RawEntry, what: str, value: Any) -> MassFraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        e.problem(f"{what}: {value!r} is not a share between 0 and 100 wt-%")
        return None
    return MassFraction.wt_pct(value)


def _limit(e: RawEntry, element: str, bounds: Any) -> Limit | None:
    if not isinstance(bounds, list) or len(bounds) != 2:
        e.problem(f"{element}: give [min, max] in wt-% (null for no limit)")
        return None
    low, high = (_percent(e, element, b) for b in bounds)
    if (bounds[0] is not None and low is None) or (bounds[1] is not None and high is None):
        return None
    if low is None and high is None:
        e.problem(f"{element}: at least one of min and max is needed")
        return None
    if low is not None and high is not None and high < low:
        e.problem(f"{element}: the minimum {bounds[0]} lies above the maximum {bounds[1]}")
        return None
    return Limit(element, low, high)


def _graded(kind: Kind) -> Callable[[RawEntry], Entry]:
    def parse(e: RawEntry) -> Entry:
        common = common_fields(kind, e)
        density = e.raw.get("bulk_density_t_m3")
        e.used.add("bulk_density_t_m3")
        density_range = None
        if isinstance(density, int | float) and not isinstance(density, bool):
            density_range = (float(density), float(density))
        elif (
            isinstance(density, list)
            and len(density) == 2
            and all(isinstance(d, int | float) for d in density)
        ):
            density_range = (float(density[0]), float(density[1]))
        elif density is not None:
            e.problem("'bulk_density_t_m3' must be a number or [min, max] in t/m³")
        return Graded(
            **common,
            designation=e.text("name"),
            aliases=e.strings("aliases"),
            material=e.text("material"),
            specification=_specification(e, common["code"]),
            description_de=e.text("description_de", required=kind is Kind.SCRAP_GRADES),
            description_en=e.text("description_en", required=kind is Kind.SCRAP_GRADES),
            bulk_density_t_m3=density_range,
            metal_yield_pct=e.number("metal_yield_pct", required=False, low=0, high=100),
        )

    return parse


def _waste_code(e: RawEntry) -> Entry:
    return WasteCode(
        **common_fields(Kind.WASTE_CODES, e, ("title_de", "title_en")),
        number=e.text("number"),
        level=choice(e, "level", ("chapter", "subchapter", "entry"), "entry"),
        hazardous=e.flag("hazardous"),
        mirror=e.text("mirror", required=False),
        parent=e.text("chapter", required=False),
        materials=e.codes("materials"),
    )


def _customs_code(e: RawEntry) -> Entry:
    return CustomsCode(
        **common_fields(Kind.CUSTOMS_CODES, e, ("title_de", "title_en")),
        number=e.text("number"),
        level=choice(e, "level", ("heading", "subheading", "cn8"), "heading"),
        parent=e.text("parent", required=False),
        materials=e.codes("materials"),
    )


def _crosswalk(e: RawEntry) -> Entry:
    material = e.text("material")
    names = {
        "name_de": e.raw.get("name_de") or material,
        "name_en": e.raw.get("name_en") or material,
    }
    e.raw = {**e.raw, **names}
    return CrosswalkLink(
        **common_fields(Kind.CROSSWALK, e),
        material=material,
        waste_codes=e.codes("waste_codes"),
        scrap_grades=e.codes("scrap_grades"),
        customs_codes=e.codes("customs_codes"),
    )


def regulation_of(e: RawEntry) -> Wording:
    """The regulation's name, one text or ``{de, en}`` (its German and English titles)."""
    e.used.add("regulation")
    named = wording(e, "regulation", e.raw.get("regulation"))
    if not named:
        e.problem("'regulation' is missing")
    return named


def _end_of_waste(e: RawEntry) -> Entry:
    criteria = []
    e.used.add("criteria")
    for item in e.raw.get("criteria") or []:
        check = (item or {}).get("check") or {}
        kind = check.get("type")
        if kind not in ("max_share", "declaration") or not check.get("attribute"):
            e.problem(
                f"criterion {item.get('id')!r}: "
                "the check needs a type (max_share or declaration) and an attribute"
            )
            continue
        if kind == "max_share" and not isinstance(check.get("max"), int | float):
            e.problem(f"criterion {item.get('id')!r}: a max_share check needs 'max' in wt-%")
            continue
        criteria.append(
            Criterion(
                id=str(item.get("id")),
                text_de=str(item.get("text_de", "")),
                text_en=str(item.get("text_en", "")),
                check=kind,
                attribute=str(check["attribute"]),
                max_wt_pct=check.get("max"),
                strict=bool(check.get("strict", False)),
                or_min_yield_pct=check.get("or_min_metal_yield_pct"),
            )
        )
    if not criteria:
        e.problem("'criteria' must list at least one criterion")
    return EndOfWasteRule(
        **common_fields(Kind.END_OF_WASTE, e, ("title_de", "title_en")),
        regulation=regulation_of(e),
        annex=e.text("annex"),
        materials=e.codes("materials"),
        criteria=tuple(criteria),
    )


def _emission_factor(e: RawEntry) -> Entry:
    activity = choice(e, "activity", ("production", "transport"), "production")
    unit = choice(e, "unit", ("t CO2e/t", "kg CO2e/t", "g CO2e/tkm"), "t CO2e/t")
    route = e.text("route")
    names = {"name_de": e.raw.get("name_de") or route, "name_en": e.raw.get("name_en") or route}
    e.raw = {**e.raw, **names}
    return EmissionFactor(
        **common_fields(Kind.EMISSION_FACTORS, e),
        activity=activity,
        material=e.text("material", required=activity == "production"),
        route=route,
        value=e.number("value", low=0) or 0.0,
        unit=unit,
        year=int(e.number("year", low=1990, high=2100) or 0),
        region=e.text("region"),
        boundary=e.text("boundary"),
    )


def _r_strategy(e: RawEntry) -> Entry:
    return RStrategy(
        **common_fields(Kind.R_STRATEGIES, e),
        number=int(e.number("number", low=0, high=9) or 0),
        definition_de=e.text("definition_de"),
        definition_en=e.text("definition_en"),
    )


def _clean_base(e: RawEntry) -> Entry:
    limits = _specification(e, e.text("code")).limits
    shares = {
        limit.element: ShareRange(limit.low or ZERO, limit.high or limit.low or ZERO)
        for limit in limits
    }
    if any(limit.high is None for limit in limits):
        e.problem("a diluent's analysis needs a maximum for every element")
    return CleanBase(
        **common_fields(Kind.DILUENTS, e),
        balance=e.text("balance"),
        material=e.text("material"),
        analysis=Composition(shares),
        description_de=e.text("description_de", required=False),
        description_en=e.text("description_en", required=False),
    )


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _process_type(e: RawEntry) -> Entry:
    competence = e.text("competence", required=False)
    if competence and not SLUG.match(competence):
        e.problem(f"'competence' must be a slug (a-z, 0-9, -), not {competence!r}")
    products = e.codes("products")
    if not products:
        e.problem("'products' must name at least one material")
    return ProcessType(
        **common_fields(Kind.PROCESS_TYPES, e),
        description_de=e.text("description_de"),
        description_en=e.text("description_en"),
        inputs=e.codes("inputs"),
        products=products,
        co_products=e.codes("co_products"),
        r_strategy=e.text("r_strategy"),
        competence=competence,
    )


PARSERS: dict[Kind, Callable[[RawEntry], Entry]] = {
    Kind.ELEMENTS: _element,
    Kind.MATERIALS: _material,
    Kind.ALLOYS: _graded(Kind.ALLOYS),
    Kind.SCRAP_GRADES: _graded(Kind.SCRAP_GRADES),
    Kind.WASTE_CODES: _waste_code,
    Kind.CUSTOMS_CODES: _customs_code,
    Kind.CROSSWALK: _crosswalk,
    Kind.END_OF_WASTE: _end_of_waste,
    Kind.EMISSION_FACTORS: _emission_factor,
    Kind.R_STRATEGIES: _r_strategy,
    Kind.DILUENTS: _clean_base,
    Kind.PROCESS_TYPES: _process_type,
}
