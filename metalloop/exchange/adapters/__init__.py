"""Translate between the exchange and the core (split by concern; import them from here):
codes of the knowledge base (:mod:`.knowledge_base`), chemistry (:mod:`.chemistry`), places
of the gazetteer, distances and coarsened positions (:mod:`.places`)."""

from metalloop.exchange.adapters.chemistry import (
    CHEMISTRY_PART,
    ElementShare,
    composition_of,
    decimal_text,
    format_chemistry,
    parse_chemistry,
    validated_elements,
)
from metalloop.exchange.adapters.knowledge_base import (
    element_symbols,
    entry_for,
    grade_choices,
    label_of,
    material_choices,
    material_descendants,
    name_of,
    normalised_grades,
    r_strategy_choices,
    waste_code_choices,
)
from metalloop.exchange.adapters.places import (
    CELL_LATITUDE_DEG,
    CELL_LONGITUDE_DEG,
    POSTCODE,
    Origin,
    bounding_box,
    coarse_point,
    distance_km,
    resolve_place,
)

__all__ = [
    "CELL_LATITUDE_DEG",
    "CELL_LONGITUDE_DEG",
    "CHEMISTRY_PART",
    "POSTCODE",
    "ElementShare",
    "Origin",
    "bounding_box",
    "coarse_point",
    "composition_of",
    "decimal_text",
    "distance_km",
    "element_symbols",
    "entry_for",
    "format_chemistry",
    "grade_choices",
    "label_of",
    "material_choices",
    "material_descendants",
    "name_of",
    "normalised_grades",
    "parse_chemistry",
    "r_strategy_choices",
    "resolve_place",
    "validated_elements",
    "waste_code_choices",
]
