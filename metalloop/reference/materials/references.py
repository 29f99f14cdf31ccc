"""Check that every cross-reference between entries resolves."""

from __future__ import annotations

from metalloop.core.materials.entries import (
    CleanBase,
    CrosswalkLink,
    CustomsCode,
    Element,
    EmissionFactor,
    Entry,
    Graded,
    Kind,
    Material,
    ProcessType,
    WasteCode,
)


def check_references(entries: list[Entry], problems: list[str]) -> None:
    codes = {e.code: e for e in entries}
    symbols = {e.symbol for e in entries if isinstance(e, Element)}

    def must(entry: Entry, code: str, kinds: tuple[Kind, ...], what: str) -> None:
        target = codes.get(code)
        if target is None or target.kind not in kinds:
            problems.append(
                f"{entry.code}: {what} {code!r} is not a {'/'.join(k.value for k in kinds)} code"
            )

    for entry in entries:
        if isinstance(entry, Material) and entry.parent:
            must(entry, entry.parent, (Kind.MATERIALS,), "parent")
        if isinstance(entry, Graded):
            must(entry, entry.material, (Kind.MATERIALS,), "material")
            spec = entry.specification
            for element in {*spec.named_elements}:
                if element not in symbols:
                    problems.append(f"{entry.code}: {element!r} is not an element symbol")
        if isinstance(entry, WasteCode):
            if entry.mirror:
                must(entry, entry.mirror, (Kind.WASTE_CODES,), "mirror")
                mirror = codes.get(entry.mirror)
                if isinstance(mirror, WasteCode) and mirror.mirror != entry.code:
                    problems.append(f"{entry.code}: the mirror {entry.mirror} does not point back")
            if entry.parent:
                must(entry, entry.parent, (Kind.WASTE_CODES,), "chapter")
        if isinstance(entry, CustomsCode) and entry.parent:
            must(entry, entry.parent, (Kind.CUSTOMS_CODES,), "parent")
        for material in getattr(entry, "materials", ()):
            must(entry, material, (Kind.MATERIALS,), "material")
        if isinstance(entry, CrosswalkLink):
            must(entry, entry.material, (Kind.MATERIALS,), "material")
            for code in entry.waste_codes:
                must(entry, code, (Kind.WASTE_CODES,), "waste code")
            for code in entry.scrap_grades:
                must(entry, code, (Kind.SCRAP_GRADES, Kind.ALLOYS), "scrap grade")
            for code in entry.customs_codes:
                must(entry, code, (Kind.CUSTOMS_CODES,), "customs code")
        if isinstance(entry, CleanBase):
            must(entry, entry.material, (Kind.MATERIALS,), "material")
            for element in (entry.balance, *entry.analysis.elements):
                if element not in symbols:
                    problems.append(f"{entry.code}: {element!r} is not an element symbol")
            if (
                sum(1 for e in entries if isinstance(e, CleanBase) and e.balance == entry.balance)
                > 1
            ):
                problems.append(f"{entry.code}: a second diluent for {entry.balance}")
        if isinstance(entry, EmissionFactor) and entry.material:
            must(entry, entry.material, (Kind.MATERIALS,), "material")
        if isinstance(entry, ProcessType):
            for what, codes_ in (
                ("input", entry.inputs),
                ("product", entry.products),
                ("co-product", entry.co_products),
            ):
                for code in codes_:
                    must(entry, code, (Kind.MATERIALS,), what)
            must(entry, entry.r_strategy, (Kind.R_STRATEGIES,), "R-strategy")
