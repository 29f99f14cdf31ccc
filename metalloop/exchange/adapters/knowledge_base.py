"""The codes of the knowledge base as the exchange shows and checks them: names, labels,
the material taxonomy, choices for forms and grades resolved from their aliases."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from metalloop.core.materials.entries import Entry, Graded, Kind, Material, WasteCode
from metalloop.exchange.codes import GRADE_KINDS, entry_of, knowledge
from metalloop.exchange.errors import ErrorCode


def name_of(code: str) -> str:
    """The name of a knowledge-base entry in the active language ("" for an unknown code)."""
    try:
        entry = knowledge().get(code)
    except KeyError:
        return ""
    return entry.name(get_language() or "de")


def label_of(code: str) -> str:
    """A grade or alloy by designation and code, any other entry by name and code."""
    try:
        entry = knowledge().get(code)
    except KeyError:
        return code
    if isinstance(entry, Graded) and entry.designation:
        return f"{entry.designation} – {entry.name(get_language() or 'de')}"
    return entry.name(get_language() or "de")


def material_descendants(code: str) -> set[str]:
    """The material and every material below it in the taxonomy."""
    materials = [m for m in knowledge().of_kind(Kind.MATERIALS) if isinstance(m, Material)]
    found = {code}
    grew = True
    while grew:
        below = {m.code for m in materials if m.parent in found} - found
        found |= below
        grew = bool(below)
    return found


def material_choices() -> list[tuple[str, str]]:
    """Materials in taxonomy order, indented by depth."""
    materials = [m for m in knowledge().of_kind(Kind.MATERIALS) if isinstance(m, Material)]
    children: dict[str, list[Material]] = {}
    for material in materials:
        children.setdefault(material.parent, []).append(material)
    language = get_language() or "de"
    choices: list[tuple[str, str]] = []

    def walk(parent: str, depth: int) -> None:
        for material in children.get(parent, []):
            choices.append((material.code, "\u2003" * depth + material.name(language)))
            walk(material.code, depth + 1)

    walk("", 0)
    return choices


def grade_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Scrap grades and alloys, grouped, as choices for a form."""
    return [
        (
            _("Scrap grades") if kind == Kind.SCRAP_GRADES else _("Alloys"),
            [(e.code, f"{e.code} · {label_of(e.code)}") for e in knowledge().of_kind(kind)],
        )
        for kind in GRADE_KINDS
    ]


def waste_code_choices() -> list[tuple[str, str]]:
    """The six-digit waste codes (hazardous ones marked with *)."""
    language = get_language() or "de"
    return [
        (e.code, f"{e.number}{'*' if e.hazardous else ''} · {e.name(language)}")
        for e in knowledge().of_kind(Kind.WASTE_CODES)
        if isinstance(e, WasteCode) and e.level == "entry"
    ]


def r_strategy_choices() -> list[tuple[str, str]]:
    language = get_language() or "de"
    return [
        (e.code, f"{e.code} · {e.name(language)}") for e in knowledge().of_kind(Kind.R_STRATEGIES)
    ]


def element_symbols() -> list[str]:
    return sorted(knowledge().element_symbols)


def normalised_grades(codes: Iterable[str]) -> list[str]:
    """Grades and alloys by their codes (aliases such as ``1.4301`` are resolved), each once.

    Raises ``ValidationError`` on ``grades`` naming every unknown code.
    """
    found: list[str] = []
    unknown: list[str] = []
    for raw in codes:
        text = raw.strip()
        if not text:
            continue
        entry = entry_of(text, GRADE_KINDS)
        if entry is None:
            unknown.append(text)
        elif entry.code not in found:
            found.append(entry.code)
    if unknown:
        raise ValidationError(
            {
                "grades": ValidationError(
                    _("Not a scrap grade or alloy of the knowledge base: %(codes)s.")
                    % {"codes": ", ".join(unknown)},
                    code=ErrorCode.GRADE_UNKNOWN,
                )
            }
        )
    return found


def entry_for(code: str) -> Entry | None:
    try:
        return knowledge().get(code)
    except KeyError:
        return None
