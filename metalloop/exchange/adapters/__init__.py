"""Translate between the exchange and the core (split by concern; import them from here):
codes of the knowledge base (:mod:`.knowledge_base`), chemistry (:mod:`.chemistry`), places
of the gazetteer, distances and coarsened positions (:mod:`.places`)."""

from metalloop.core.cloaking import Crowds
from metalloop.exchange.adapters.chemistry import (
    CHEMISTRY_PART,
    ElementRowError,
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
    POSTCODE,
    Origin,
    Position,
    bounding_box,
    crowds_of,
    distance_km,
    published_position,
    resolve_place,
)

__all__ = [
    "CHEMISTRY_PART",
    "POSTCODE",
    "Crowds",
    "ElementRowError",
    "ElementShare",
    "Origin",
    "Position",
    "bounding_box",
    "composition_of",
    "crowds_of",
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
    "published_position",
    "r_strategy_choices",
    "resolve_place",
    "validated_elements",
    "waste_code_choices",
]
