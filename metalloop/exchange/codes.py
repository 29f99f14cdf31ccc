"""Validators for the knowledge-base codes and the choice lists a listing or processor holds.

The models use them as field validators, so every write path (services, imports, the admin)
refuses an unknown code with a message on the field at fault. They read the knowledge base
(loaded once per process) and nothing of the apps above the models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from metalloop.core.materials.entries import Entry, Graded, Kind, Material, WasteCode
from metalloop.core.materials.knowledge import KnowledgeBase, UnknownCode
from metalloop.exchange.errors import ErrorCode
from metalloop.reference.materials import load_knowledge_base

GRADE_KINDS = (Kind.SCRAP_GRADES, Kind.ALLOYS)


def knowledge() -> KnowledgeBase:
    """The knowledge base, loaded and validated once per process."""
    return load_knowledge_base()


def entry_of(code: str, kinds: Iterable[Kind]) -> Entry | None:
    """The entry with exactly this code (or an alias of a grade or alloy) of one of the kinds."""
    try:
        entry = knowledge().get(code)
    except UnknownCode:
        return None
    return entry if entry.kind in set(kinds) else None


def canonical_grade(code: str) -> str:
    """The code of the grade or alloy ``code`` names (an alias such as ``1.4301`` works)."""
    entry = entry_of(code.strip(), GRADE_KINDS)
    return entry.code if entry is not None else code.strip()


def validate_material(value: str) -> None:
    if not isinstance(entry_of(value, [Kind.MATERIALS]), Material):
        raise ValidationError(
            _("%(code)s is not a material of the knowledge base (e.g. MAT:steel-stainless).")
            % {"code": value},
            code=ErrorCode.MATERIAL_UNKNOWN,
        )


def validate_grade(value: str) -> None:
    entry = entry_of(value, GRADE_KINDS)
    if not isinstance(entry, Graded) or entry.code != value:
        raise ValidationError(
            _("%(code)s is not a scrap grade or alloy of the knowledge base (e.g. EU27:E8).")
            % {"code": value},
            code=ErrorCode.GRADE_UNKNOWN,
        )


def is_waste_code(value: str) -> bool:
    entry = entry_of(value, [Kind.WASTE_CODES])
    return isinstance(entry, WasteCode) and entry.level == "entry"


def validate_waste_code(value: str) -> None:
    if not is_waste_code(value):
        raise ValidationError(
            _("%(code)s is not a six-digit waste code of the knowledge base (e.g. AVV:170405).")
            % {"code": value},
            code=ErrorCode.WASTE_CODE_UNKNOWN,
        )


def validate_waste_codes(value: Any) -> None:
    items = _string_list(value)
    unknown = [code for code in items if not is_waste_code(code)]
    if unknown:
        raise ValidationError(
            _("Not a six-digit waste code of the knowledge base: %(codes)s.")
            % {"codes": ", ".join(unknown)},
            code=ErrorCode.WASTE_CODE_UNKNOWN,
        )


def validate_r_strategy(value: str) -> None:
    if entry_of(value, [Kind.R_STRATEGIES]) is None:
        raise ValidationError(
            _("%(code)s is not an R-strategy of the knowledge base (R:0 to R:9).")
            % {"code": value},
            code=ErrorCode.R_STRATEGY_UNKNOWN,
        )


def validate_element(value: str) -> None:
    if value not in knowledge().element_symbols:
        raise ValidationError(
            _("%(element)s is not a chemical element symbol (write e.g. Cr, Ni, Mo).")
            % {"element": value},
            code=ErrorCode.ELEMENT_UNKNOWN,
        )


@deconstructible
class ChoiceListValidator:
    """Validate a JSON list whose items are among ``values``; ``required``: at least one."""

    def __init__(self, values: Iterable[str], *, required: bool = False) -> None:
        self.values = list(values)
        self.required = required

    def __call__(self, value: Any) -> None:
        items = _string_list(value)
        unknown = [item for item in items if item not in self.values]
        if unknown:
            raise ValidationError(
                _("Not a choice: %(items)s. Choose from %(choices)s.")
                % {"items": ", ".join(unknown), "choices": ", ".join(self.values)},
                code=ErrorCode.CHOICES_INVALID,
            )
        if len(set(items)) != len(items):
            raise ValidationError(_("Name each choice once."), code=ErrorCode.CHOICES_INVALID)
        if self.required and not items:
            raise ValidationError(_("Choose at least one."), code=ErrorCode.TRANSPORT_MODE_REQUIRED)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ChoiceListValidator)
            and self.values == other.values
            and self.required == other.required
        )

    def __hash__(self) -> int:
        return hash((tuple(self.values), self.required))


def _string_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Give a list of codes."), code=ErrorCode.CHOICES_INVALID)
    return value
