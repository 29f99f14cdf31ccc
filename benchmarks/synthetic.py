"""A seeded generator of synthetic exchange networks for the matching benchmark.

``generate(offers, demands, seed)`` returns offers, demands and processors as the matching
core sees them (:mod:`metalloop.core.matching.listings`), drawn from the knowledge base and the
gazetteer. The same arguments always give the same network (numpy ``default_rng(seed)``).

Distributions and why
---------------------
Every figure below is an assumption made for the benchmark unless it says otherwise; none is
fitted to observed exchange data (no such data set is public). They aim at the *shape* of a
regional metal exchange: a few common steel grades dominate, strategic metals are rare,
quantities span orders of magnitude, most trade is regional.

Materials and grades (knowledge base)
    The catalogue holds every alloy and scrap grade of the knowledge base (with and without a
    chemistry specification) and every leaf material that has no grade (residues, strategic,
    precious and base metals, battery materials). Popularity is two-level: a *family share*
    (``FAMILY_SHARE``: steel 45 %, aluminium 15 %, stainless 10 %, residues 10 %, copper 9 %,
    alloy steel 4 %, base metals 3 %, strategic 2 %, precious 1 %, battery 0.7 %, rare earths
    0.3 %; ordered as the tonnages of the German scrap trade are believed to be, steel
    scrap being by far the largest stream -- the shares themselves are assumptions), times a
    Zipf law with exponent ``ZIPF_EXPONENT`` = 1 over the items of a family (scrap grades first,
    common steel grades in ``STEEL_ORDER``, then alloys, then ungraded materials). Offers and
    demands use the same popularity.
Chemistry
    An offer of a grade or alloy whose specification has chemistry carries an analysis when its
    data quality is 3 or 4 (analysed, verified): 35 % of those offers, about 17 % of all
    offers; the others have none.
    Per limited element: a min–max range gives a uniform draw in the range plus normal noise of
    10 % of its width; a maximum only gives ``U(0.1, 1.15) × max`` (so about 14 % of such
    elements exceed it: tramp elements such as Cu in steel scrap); a minimum only gives a draw
    from the minimum up to 80 % of the way to 100 % for a main element (minimum ≥ 50 %),
    else ``U(0.95, 1.6) ×`` the minimum. The analysis is reported as a range of ±3 %
    (relative) around the value.
Demands' acceptance
    65 % accept 1–4 grades (the drawn item's grade plus up to three more grades of the same
    material or its parent, weighted by popularity); 35 % accept a material (the item's own,
    or with probability 0.25 its parent in the taxonomy, e.g. "all stainless"). 40 % of
    grade demands whose grade has chemistry set limits: the grade's limits with maxima
    scaled by ``U(0.9, 1.3)`` and minima by ``U(0.8, 1.0)``; 15 % of steel material demands
    set tramp-element maxima (Cu 0.2–0.5 wt-%, Sn 0.01–0.03 wt-%). Half of the demands with
    limits allow dilution, up to ``U(0.05, 0.3)``. 25 % of demands name 1–2 acceptable forms.
    The intended use is recycling (R:8) for 90 %, recovery (R:9) for 5 %, reuse or
    remanufacturing (R:3, R:6) for 5 %.
Legal status and permits
    Offers of metals with an EU end-of-waste regulation (iron and steel, aluminium: Reg. (EU)
    333/2011; copper: Reg. (EU) 715/2013) are waste 50 %, end-of-waste 25 %, by-product
    (KrWG § 4) 22 %, used components for reuse 3 %; residues are waste 75 %, by-product
    25 %; other metals waste 70 %, by-product 30 %. Waste gets an AVV code of its material
    from the knowledge base (crosswalk links and waste-code entries; the nearest ancestor's
    codes when the material has none). A receiver's permits cover every waste code of the
    materials it accepts in 85 % of demands, a random part of them (each code with
    probability 0.6) in 10 %, none in 5 %; processors' permits cover all their inputs.
Sites
    Organisations sit at German places of the GeoNames extract (cities500), drawn with
    probability proportional to population (industry follows population only roughly: an
    assumption) and moved by isotropic normal jitter of σ = 3 km. There are about a third as
    many organisations as listings; a listing belongs to an organisation drawn uniformly, so
    organisations offer and demand several things at one site.
Quantities and time (12-month horizon from 2026-01-01)
    Offers are one-off 40 %, weekly 15 %, monthly 30 %, quarterly 15 %; demands 25 / 15 / 45 /
    15 %. Amounts are lognormal [t] per lot or per interval: medians 25 (one-off), 4
    (weekly), 15 (monthly), 40 (quarterly) for offers with σ = 1.0 (log), demands twice
    that with σ = 1.2, scaled per family (``FAMILY_SCALE``: strategic, precious and rare
    earths × 0.05,
    battery × 0.1, base metals × 0.3, copper × 0.5, stainless × 0.6, residues × 1.5). One-off
    windows start uniformly in the first 330 days and last 14–90 days; recurring windows start
    at the horizon's start (60 %) or within its first 180 days and last 180–720 days.
    35 % of demands set a minimum lot of one truck load or part of one (5, 10, 20 or 25 t,
    times the family scale); 10 % a minimum total of 10–50 % of what they want.
Distance and transport
    A demand's maximum distance is lognormal with median 80 km and σ = 0.6 (90 % below about
    175 km), within 10–400 km. Road is always possible; offers add rail 15 % and inland
    waterway 8 %, demands rail 30 % and waterway 15 % (receivers are larger sites, more often
    with a siding or a port).
Processors
    One per 100 offers (at least one from 50 offers): briquetting (40 %: turnings of steel,
    aluminium or copper into briquettes), shredding (35 %: mixed steel or aluminium scrap into
    shredded grades EU27:E40 / ISRI:Zorba) and sorting (25 %: mixed aluminium into cast
    aluminium, copper cable into granules). Yields ``U(0.85, 0.98)``; a steel shredder
    yields ``U(0.70, 0.80)`` shredded steel and, as a second output, ``U(0.05, 0.08)``
    non-ferrous Zorba (the rest is shredder residue, not modelled); capacities lognormal,
    median 10 000 t/a (σ = 0.8); maximum input distance lognormal with median 150 km. Their
    output is end-of-waste.
Data quality
    Levels 1–4 (declared, classified, analysed, verified) with shares 30 / 35 / 25 / 10 %.

Not modelled: prices, seasonality, correlation between an organisation's listings
(materials, quantities), hazardous-waste specifics, and sites that are not towns (industrial
estates away from the places' centres lie within the jitter at best).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from metalloop.core.geo import Coordinates
from metalloop.core.impact.method import ImpactMethod
from metalloop.core.matching.listings import (
    Demand,
    Flow,
    Form,
    LegalStatus,
    Offer,
    Processor,
    ProcessorOutput,
    TimeWindow,
    TransportMode,
    horizon,
)
from metalloop.core.materials.composition import Composition, ShareRange
from metalloop.core.materials.entries import CrosswalkLink, Graded, Kind, Material, WasteCode
from metalloop.core.materials.knowledge import KnowledgeBase
from metalloop.core.materials.specification import Limit, Specification
from metalloop.core.units import Mass, MassFraction

START = date(2026, 1, 1)
ZIPF_EXPONENT = 1.0
FAMILY_SHARE = {
    "steel": 0.45,
    "aluminium": 0.15,
    "stainless": 0.10,
    "residues": 0.10,
    "copper": 0.09,
    "alloy-steel": 0.04,
    "base-metals": 0.03,
    "strategic": 0.02,
    "precious": 0.01,
    "battery": 0.007,
    "rare-earths": 0.003,
}
FAMILY_SCALE = {
    "strategic": 0.05,
    "precious": 0.05,
    "rare-earths": 0.05,
    "battery": 0.1,
    "base-metals": 0.3,
    "copper": 0.5,
    "stainless": 0.6,
    "residues": 1.5,
}
FAMILY_ROOTS = {
    "MAT:steel-stainless": "stainless",
    "MAT:steel-low-alloy": "alloy-steel",
    "MAT:steel-tool": "alloy-steel",
    "MAT:steel-high-speed": "alloy-steel",
    "MAT:iron-steel": "steel",
    "MAT:aluminium": "aluminium",
    "MAT:copper": "copper",
    "MAT:residues": "residues",
    "MAT:nickel": "base-metals",
    "MAT:zinc": "base-metals",
    "MAT:lead": "base-metals",
    "MAT:tin": "base-metals",
    "MAT:precious-metals": "precious",
    "MAT:refractory-strategic": "strategic",
    "MAT:battery-materials": "battery",
    "MAT:rare-earths": "rare-earths",
}
STEEL_ORDER = (
    "EU27:E40",
    "EU27:E8",
    "EU27:E2",
    "EU27:E3",
    "EU27:E1",
    "EU27:E6",
    "EU27:E5H",
    "EU27:E46",
    "EU27:E5M",
    "EU27:EHRB",
    "EU27:EHRM",
)
GRADE_FORM = {
    "EU27:E40": Form.SHREDDED,
    "EU27:E8": Form.SHEET,
    "EU27:E2": Form.SHEET,
    "EU27:E6": Form.BALES,
    "EU27:E5H": Form.TURNINGS,
    "EU27:E5M": Form.TURNINGS,
    "EU27:E46": Form.MIXED,
    "ISRI:Zorba": Form.SHREDDED,
    "EN13920:12": Form.TURNINGS,
    "EN13920:13": Form.TURNINGS,
}
FAMILY_FORMS = {
    "steel": (Form.LUMPS, Form.SHEET, Form.BALES, Form.SHREDDED, Form.TURNINGS, Form.MIXED),
    "stainless": (Form.LUMPS, Form.SHEET, Form.TURNINGS, Form.MIXED),
    "alloy-steel": (Form.LUMPS, Form.TURNINGS, Form.SHEET),
    "aluminium": (Form.SHEET, Form.LUMPS, Form.TURNINGS, Form.BALES, Form.SHREDDED),
    "copper": (Form.CABLE, Form.LUMPS, Form.GRANULES, Form.TURNINGS, Form.SHEET),
    "residues": (Form.POWDER, Form.SLUDGE, Form.LUMPS, Form.GRANULES),
    "base-metals": (Form.LUMPS, Form.SHEET, Form.MIXED),
    "strategic": (Form.POWDER, Form.LUMPS, Form.COMPONENTS, Form.SLUDGE),
    "precious": (Form.POWDER, Form.SLUDGE, Form.COMPONENTS),
    "battery": (Form.POWDER, Form.COMPONENTS),
    "rare-earths": (Form.POWDER, Form.COMPONENTS),
}
EOW_FAMILIES = frozenset({"steel", "stainless", "alloy-steel", "aluminium", "copper"})
INTERVALS = (None, "weekly", "monthly", "quarterly")
OFFER_INTERVAL_SHARE = (0.40, 0.15, 0.30, 0.15)
DEMAND_INTERVAL_SHARE = (0.25, 0.15, 0.45, 0.15)
AMOUNT_MEDIAN = (25.0, 4.0, 15.0, 40.0)
"""Median amount per lot or interval of an offer [t], by ``INTERVALS``."""
QUALITY_SHARE = (0.30, 0.35, 0.25, 0.10)
TRUCK_LOTS = (5.0, 10.0, 20.0, 25.0)
JITTER_KM = 3.0
KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class Item:
    """One kind of material a listing can be about: a material and, usually, a grade."""

    material: str
    grade: str | None
    spec: Specification | None
    family: str


@dataclass(frozen=True)
class SyntheticNetwork:
    offers: list[Offer]
    demands: list[Demand]
    processors: list[Processor]
    period: TimeWindow
    method: ImpactMethod
    ancestors: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Reference:
    """What the generator takes from the knowledge base and the gazetteer, loaded once."""

    items: tuple[Item, ...]
    weights: np.ndarray
    ancestors: dict[str, tuple[str, ...]]
    parents: dict[str, str]
    descendants: dict[str, frozenset[str]]
    waste_codes: dict[str, tuple[str, ...]]
    town_lat: np.ndarray
    town_lon: np.ndarray
    town_p: np.ndarray
    method: ImpactMethod


def family_of(material: str, ancestors: dict[str, tuple[str, ...]]) -> str:
    for code in (material, *ancestors.get(material, ())):
        if code in FAMILY_ROOTS:
            return FAMILY_ROOTS[code]
    return "base-metals"


def _catalogue(
    kb: KnowledgeBase, ancestors: dict[str, tuple[str, ...]]
) -> tuple[tuple[Item, ...], np.ndarray]:
    graded = [e for e in kb.of_kind(Kind.SCRAP_GRADES) if isinstance(e, Graded)] + [
        e for e in kb.of_kind(Kind.ALLOYS) if isinstance(e, Graded)
    ]
    rank = {code: k for k, code in enumerate(STEEL_ORDER)}
    graded.sort(key=lambda e: (e.kind is not Kind.SCRAP_GRADES, rank.get(e.code, len(rank))))
    with_grade = {e.material for e in graded}
    materials = [e for e in kb.of_kind(Kind.MATERIALS) if isinstance(e, Material)]
    parents = {m.parent for m in materials if m.parent}
    items = [
        Item(
            e.material,
            e.code,
            e.specification if e.specification.has_chemistry else None,
            family_of(e.material, ancestors),
        )
        for e in graded
    ]
    items += [
        Item(m.code, None, None, family_of(m.code, ancestors))
        for m in materials
        if m.code not in parents and m.code not in with_grade
    ]
    by_family: dict[str, list[int]] = defaultdict(list)
    for k, item in enumerate(items):
        by_family[item.family].append(k)
    weights = np.zeros(len(items))
    for family, members in by_family.items():
        zipf = 1.0 / np.arange(1, len(members) + 1) ** ZIPF_EXPONENT
        weights[members] = FAMILY_SHARE[family] * zipf / zipf.sum()
    return tuple(items), weights / weights.sum()


def _waste_codes(
    kb: KnowledgeBase, ancestors: dict[str, tuple[str, ...]], materials: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """AVV entry codes per material: its own, else its nearest ancestor's, else a generic one."""
    entries = {w.code: w for w in kb.of_kind(Kind.WASTE_CODES) if isinstance(w, WasteCode)}
    own: dict[str, set[str]] = defaultdict(set)
    for link in kb.of_kind(Kind.CROSSWALK):
        if isinstance(link, CrosswalkLink):
            own[link.material].update(c for c in link.waste_codes if c in entries)
    for code, entry in entries.items():
        if entry.level == "entry":
            for material in entry.materials:
                own[material].add(code)
    result = {}
    for material in materials:
        lineage = (material, *ancestors.get(material, ()))
        codes = next((own[c] for c in lineage if own.get(c)), None)
        if not codes:
            iron = "MAT:iron-steel" in lineage
            codes = {"AVV:191202" if iron else "AVV:191203"}
        result[material] = tuple(sorted(codes))
    return result


def _read_towns() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from metalloop.reference.gazetteer import read_german_places

    root = Path(__file__).resolve().parent.parent
    cache = Path(os.environ.get("METALLOOP_VAR_DIR", root / "var")) / "cache"
    records = [r for r in read_german_places(cache) if int(r["pop"]) > 0]  # type: ignore[call-overload]
    lat = np.array([float(r["lat"]) for r in records])  # type: ignore[arg-type]
    lon = np.array([float(r["lon"]) for r in records])  # type: ignore[arg-type]
    pop = np.array([float(r["pop"]) for r in records])  # type: ignore[arg-type]
    return lat, lon, pop / pop.sum()


def load_reference() -> Reference:
    """The knowledge base, the impact method and the towns, as the generator needs them."""
    from metalloop.reference.impact import load_impact_method
    from metalloop.reference.materials import load_knowledge_base

    kb = load_knowledge_base()
    method = load_impact_method()
    ancestors = {k: tuple(v) for k, v in method.ancestors.items()}
    items, weights = _catalogue(kb, ancestors)
    materials = [e for e in kb.of_kind(Kind.MATERIALS) if isinstance(e, Material)]
    parents = {m.code: m.parent for m in materials if m.parent}
    descendants: dict[str, set[str]] = {m.code: {m.code} for m in materials}
    for m in materials:
        for ancestor in ancestors.get(m.code, ()):
            descendants.setdefault(ancestor, {ancestor}).add(m.code)
    lat, lon, p = _read_towns()
    return Reference(
        items=items,
        weights=weights,
        ancestors=ancestors,
        parents=parents,
        descendants={k: frozenset(v) for k, v in descendants.items()},
        waste_codes=_waste_codes(kb, ancestors, [m.code for m in materials]),
        town_lat=lat,
        town_lon=lon,
        town_p=p,
        method=method,
    )


class _Draw:
    """The random draws of one network, from one seeded generator."""

    def __init__(
        self, ref: Reference, rng: np.random.Generator, organisations: int, prefix: str
    ) -> None:
        self.ref = ref
        self.prefix = prefix
        self.rng = rng
        self.period = horizon(START)
        town = rng.choice(len(ref.town_p), size=organisations, p=ref.town_p)
        lat = ref.town_lat[town] + rng.normal(0.0, JITTER_KM / KM_PER_DEGREE, organisations)
        lon_scale = KM_PER_DEGREE * np.cos(np.radians(lat))
        lon = ref.town_lon[town] + rng.normal(0.0, 1.0, organisations) * JITTER_KM / lon_scale
        self.sites = [Coordinates(float(a), float(b)) for a, b in zip(lat, lon, strict=True)]
        self.by_material: dict[str, list[int]] = defaultdict(list)
        self.grade_material: dict[str, str] = {}
        for k, item in enumerate(ref.items):
            if item.grade:
                self.by_material[item.material].append(k)
                self.grade_material[item.grade] = item.material

    def items(self, count: int) -> np.ndarray:
        return self.rng.choice(len(self.ref.items), size=count, p=self.ref.weights)

    def flow(self, interval_share: Sequence[float], scale: float, sigma: float) -> Flow:
        rng = self.rng
        kind = int(rng.choice(4, p=interval_share))
        amount = float(AMOUNT_MEDIAN[kind] * scale * rng.lognormal(0.0, sigma))
        if kind == 0:
            start = int(rng.integers(0, 330))
            length = int(rng.integers(14, 91))
        else:
            start = 0 if rng.random() < 0.6 else int(rng.integers(0, 181))
            length = int(rng.integers(180, 721))
        first = START + timedelta(days=start)
        window = TimeWindow(first, first + timedelta(days=length - 1))
        return Flow(Mass.t(max(amount, 0.01)), window, INTERVALS[kind])

    def composition(self, spec: Specification) -> Composition | None:
        rng = self.rng
        values: dict[str, float] = {}
        for limit in spec.limits:
            low = limit.low.fraction if limit.low is not None else None
            high = limit.high.fraction if limit.high is not None else None
            if low is not None and high is not None:
                width = high - low
                value = rng.uniform(low, high) + rng.normal(0.0, 0.1 * width)
            elif high is not None:
                value = high * rng.uniform(0.1, 1.15)
            elif low is not None and low >= 0.5:
                value = low + (1.0 - low) * rng.uniform(0.0, 0.8)
            elif low is not None:
                value = low * rng.uniform(0.95, 1.6)
            else:
                continue
            values[limit.element] = max(float(value), 0.0)
        if not values:
            return None
        total = sum(v * 0.97 for v in values.values())
        shrink = min(1.0, 0.999 / total) if total > 0 else 1.0
        return Composition(
            {
                e: ShareRange(
                    MassFraction(min(v * 0.97 * shrink, 1.0)), MassFraction(min(v * 1.03, 1.0))
                )
                for e, v in values.items()
            }
        )

    def legal(self, family: str, material: str) -> tuple[LegalStatus, str | None, bool]:
        rng = self.rng
        if family in EOW_FAMILIES:
            statuses, p = (
                (
                    LegalStatus.WASTE,
                    LegalStatus.END_OF_WASTE,
                    LegalStatus.BY_PRODUCT,
                    LegalStatus.PRODUCT,
                ),
                (0.50, 0.25, 0.22, 0.03),
            )
        elif family == "residues":
            statuses, p = (LegalStatus.WASTE, LegalStatus.BY_PRODUCT), (0.75, 0.25)
        else:
            statuses, p = (LegalStatus.WASTE, LegalStatus.BY_PRODUCT), (0.70, 0.30)
        status = statuses[int(rng.choice(len(statuses), p=p))]
        code = None
        if status is LegalStatus.WASTE:
            codes = self.ref.waste_codes[material]
            code = codes[int(rng.integers(len(codes)))]
        return status, code, status is LegalStatus.PRODUCT

    def modes(self, rail: float, water: float) -> frozenset[TransportMode]:
        modes = {TransportMode.ROAD}
        if self.rng.random() < rail:
            modes.add(TransportMode.RAIL)
        if self.rng.random() < water:
            modes.add(TransportMode.INLAND_WATERWAY)
        return frozenset(modes)

    def quality(self) -> int:
        return int(self.rng.choice(4, p=QUALITY_SHARE)) + 1

    def form(self, item: Item) -> Form:
        if item.grade in GRADE_FORM:
            return GRADE_FORM[item.grade]
        forms = FAMILY_FORMS[item.family]
        return forms[int(self.rng.integers(len(forms)))]

    def max_distance(self, median: float) -> float:
        return float(np.clip(median * self.rng.lognormal(0.0, 0.6), 10.0, 400.0))

    def permits(self, materials: frozenset[str], *, complete: bool = False) -> frozenset[str]:
        codes = {
            code
            for material in materials
            for sub in self.ref.descendants.get(material, {material})
            for code in self.ref.waste_codes.get(sub, ())
        }
        u = self.rng.random()
        if complete or u < 0.85:
            return frozenset(codes)
        if u < 0.95:
            return frozenset(c for c in sorted(codes) if self.rng.random() < 0.6)
        return frozenset()


def _offer(draw: _Draw, key: str, owner: int, item: Item) -> Offer:
    status, code, reuse = draw.legal(item.family, item.material)
    quality = draw.quality()
    composition = None
    if item.spec is not None and quality >= 3:
        composition = draw.composition(item.spec)
    return Offer(
        key=key,
        owner=f"{draw.prefix}org{owner}",
        material=item.material,
        flow=draw.flow(OFFER_INTERVAL_SHARE, FAMILY_SCALE.get(item.family, 1.0), 1.0),
        location=draw.sites[owner],
        grades=frozenset({item.grade}) if item.grade else frozenset(),
        legal_status=status,
        waste_code=code,
        composition=composition,
        form=Form.COMPONENTS if reuse else draw.form(item),
        modes=draw.modes(0.15, 0.08),
        data_quality=quality,
        reuse=reuse,
    )


def _demand_limits(draw: _Draw, key: str, item: Item, grade_mode: bool) -> Specification | None:
    rng = draw.rng
    if grade_mode and item.spec is not None and rng.random() < 0.4:
        limits = []
        for limit in item.spec.limits:
            low = limit.low.fraction * rng.uniform(0.8, 1.0) if limit.low else None
            high = limit.high.fraction * rng.uniform(0.9, 1.3) if limit.high else None
            if low is not None and high is not None and high < low:
                high = low
            limits.append(
                Limit(
                    limit.element,
                    MassFraction(low) if low is not None else None,
                    MassFraction(min(high, 1.0)) if high is not None else None,
                )
            )
        return Specification(f"{key}:limits", item.spec.balance, tuple(limits), closed=False)
    if not grade_mode and item.family == "steel" and rng.random() < 0.15:
        return Specification(
            f"{key}:limits",
            "Fe",
            (
                Limit("Cu", high=MassFraction.wt_pct(rng.uniform(0.2, 0.5))),
                Limit("Sn", high=MassFraction.wt_pct(rng.uniform(0.01, 0.03))),
            ),
            closed=False,
        )
    return None


def _demand(draw: _Draw, key: str, owner: int, item: Item) -> Demand:
    rng, ref = draw.rng, draw.ref
    grade_mode = item.grade is not None and rng.random() < 0.65
    grades: frozenset[str] = frozenset()
    if grade_mode:
        assert item.grade is not None
        related = list(draw.by_material.get(item.material, []))
        parent = ref.parents.get(item.material)
        if parent:
            related += draw.by_material.get(parent, [])
        others = [k for k in related if ref.items[k].grade != item.grade]
        extra = int(rng.integers(0, 4))
        chosen = {item.grade}
        if others and extra:
            p = ref.weights[others] / ref.weights[others].sum()
            picks = rng.choice(len(others), size=min(extra, len(others)), replace=False, p=p)
            chosen.update(str(ref.items[others[k]].grade) for k in picks)
        grades = frozenset(chosen)
        materials = frozenset(draw.grade_material[g] for g in grades)
    else:
        material = item.material
        if rng.random() < 0.25 and item.material in ref.parents:
            material = ref.parents[item.material]
        materials = frozenset({material})
    limits = _demand_limits(draw, key, item, grade_mode)
    dilution = float(rng.uniform(0.05, 0.3)) if limits and rng.random() < 0.5 else 0.0
    scale = FAMILY_SCALE.get(item.family, 1.0)
    flow = draw.flow(DEMAND_INTERVAL_SHARE, 2.0 * scale, 1.2)
    wanted = flow.within(draw.period).tonnes
    min_lot = float(rng.choice(TRUCK_LOTS)) * scale if rng.random() < 0.35 else 0.0
    min_quantity = wanted * rng.uniform(0.1, 0.5) if rng.random() < 0.10 else 0.0
    forms: frozenset[Form] = frozenset()
    if rng.random() < 0.25:
        family_forms = FAMILY_FORMS[item.family]
        forms = frozenset({draw.form(item), family_forms[int(rng.integers(len(family_forms)))]})
    u = rng.random()
    strategy = "R:8" if u < 0.9 else ("R:9" if u < 0.95 else str(rng.choice(["R:3", "R:6"])))
    return Demand(
        key=key,
        owner=f"{draw.prefix}org{owner}",
        materials=materials,
        flow=flow,
        location=draw.sites[owner],
        max_distance_km=draw.max_distance(80.0),
        grades=grades,
        limits=limits,
        max_dilution=dilution,
        forms=forms,
        min_quantity=Mass.t(min_quantity),
        min_lot=Mass.t(min_lot),
        r_strategy=strategy,
        permitted_waste_codes=draw.permits(materials),
        modes=draw.modes(0.30, 0.15),
        data_quality=draw.quality(),
    )


PROCESSES = (
    # (process, share, input materials, input grades, input forms, output material,
    #  output grades, output form)
    (
        "briquetting",
        0.15,
        ("MAT:steel-non-alloy", "MAT:turnings-swarf"),
        (),
        (Form.TURNINGS,),
        "MAT:steel-non-alloy",
        (),
        Form.BRIQUETTES,
    ),
    (
        "briquetting",
        0.15,
        ("MAT:aluminium",),
        (),
        (Form.TURNINGS,),
        "MAT:aluminium",
        (),
        Form.BRIQUETTES,
    ),
    (
        "briquetting",
        0.10,
        ("MAT:copper",),
        (),
        (Form.TURNINGS,),
        "MAT:copper",
        (),
        Form.BRIQUETTES,
    ),
    (
        "shredding",
        0.25,
        ("MAT:iron-steel",),
        (),
        (Form.MIXED, Form.COMPONENTS, Form.BALES, Form.LUMPS, Form.SHEET),
        "MAT:steel-non-alloy",
        ("EU27:E40",),
        Form.SHREDDED,
    ),
    (
        "shredding",
        0.10,
        ("MAT:aluminium",),
        (),
        (Form.MIXED, Form.COMPONENTS, Form.BALES),
        "MAT:aluminium",
        ("ISRI:Zorba",),
        Form.SHREDDED,
    ),
    (
        "sorting",
        0.15,
        ("MAT:aluminium",),
        ("ISRI:Zorba", "EN13920:8"),
        (),
        "MAT:aluminium-cast",
        ("EN13920:7",),
        Form.LUMPS,
    ),
    (
        "sorting",
        0.10,
        ("MAT:copper",),
        (),
        (Form.CABLE, Form.MIXED),
        "MAT:copper-unalloyed",
        (),
        Form.GRANULES,
    ),
)

CO_PRODUCTS = {
    ("shredding", "MAT:steel-non-alloy"): (
        "MAT:aluminium",
        ("ISRI:Zorba",),
        Form.SHREDDED,
        (0.05, 0.08),
    ),
}
"""A second output: a steel shredder's non-ferrous fraction, sold as Zorba."""


def _processor(draw: _Draw, key: str, site: Coordinates) -> Processor:
    rng = draw.rng
    shares = np.array([p[1] for p in PROCESSES])
    process, _, materials, grades, forms, out_material, out_grades, out_form = PROCESSES[
        int(rng.choice(len(PROCESSES), p=shares / shares.sum()))
    ]
    capacity = float(10_000.0 * rng.lognormal(0.0, 0.8))
    inputs = Demand(
        key=f"{key}:in",
        owner=key,
        materials=frozenset(materials),
        flow=Flow(Mass.t(capacity / 12.0), draw.period, "monthly"),
        location=site,
        max_distance_km=draw.max_distance(150.0),
        grades=frozenset(grades),
        forms=frozenset(forms),
        permitted_waste_codes=draw.permits(frozenset(materials), complete=True),
        modes=draw.modes(0.30, 0.10),
        data_quality=3,
    )
    co_product = CO_PRODUCTS.get((process, out_material))
    main_yield = (0.70, 0.80) if co_product else (0.85, 0.98)
    outputs = [
        ProcessorOutput(
            material=out_material,
            yield_share=float(rng.uniform(*main_yield)),
            grades=frozenset(out_grades),
            form=out_form,
        )
    ]
    if co_product:
        material, co_grades, co_form, (low, high) = co_product
        outputs.append(
            ProcessorOutput(
                material=material,
                yield_share=float(rng.uniform(low, high)),
                grades=frozenset(co_grades),
                form=co_form,
            )
        )
    return Processor(key, key, process, inputs, tuple(outputs))


def generate(
    offers: int,
    demands: int,
    seed: int = 2026,
    *,
    reference: Reference | None = None,
    processors: int | None = None,
    prefix: str = "",
) -> SyntheticNetwork:
    """A synthetic network of ``offers`` offers, ``demands`` demands and, by default, one
    processor per 100 offers (at least one from 50 offers), drawn with ``seed``."""
    ref = reference or load_reference()
    rng = np.random.default_rng(seed)
    organisations = max(20, (offers + demands) // 3)
    draw = _Draw(ref, rng, organisations, prefix)
    if processors is None:
        processors = offers // 100 if offers >= 100 else int(offers >= 50)
    offer_items = draw.items(offers)
    offer_owner = rng.integers(0, organisations, size=offers)
    result_offers = [
        _offer(draw, f"{prefix}o{k}", int(offer_owner[k]), ref.items[offer_items[k]])
        for k in range(offers)
    ]
    demand_items = draw.items(demands)
    demand_owner = rng.integers(0, organisations, size=demands)
    result_demands = [
        _demand(draw, f"{prefix}d{k}", int(demand_owner[k]), ref.items[demand_items[k]])
        for k in range(demands)
    ]
    result_processors = [
        _processor(draw, f"{prefix}p{k}", draw.sites[int(rng.integers(organisations))])
        for k in range(processors)
    ]
    return SyntheticNetwork(
        result_offers, result_demands, result_processors, draw.period, ref.method, ref.ancestors
    )
