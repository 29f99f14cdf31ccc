"""Stored text refuses control characters and other harmful ones, with a message on the field.

The rule itself is pure (:mod:`metalloop.core.text`); this module words its messages and
applies it to a model's text fields (:func:`refused_text_errors`, called by every model's
``clean_fields`` through :class:`metalloop.common.models.BaseModel`) and to import cells
(:func:`refused_character_error`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from metalloop.core.text import CharacterKind, RefusedCharacter, first_refused_character

REFUSED_CHARACTER = "refused_character"
"""The error code of every refusal of this module."""


MESSAGES = {
    CharacterKind.CONTROL: _(
        "The text holds a control character (%(code_point)s) at position %(position)d; remove it."
    ),
    CharacterKind.LINE_BREAK: _(
        "This field is a single line: remove the line break or tab at position %(position)d."
    ),
    CharacterKind.DIRECTION: _(
        "The text holds a character that changes the writing direction (%(code_point)s) at "
        "position %(position)d; it can make a text read differently from what it says. "
        "Remove it."
    ),
    CharacterKind.NONCHARACTER: _(
        "The text holds a character that is not meant for text (%(code_point)s) at position "
        "%(position)d; remove it."
    ),
    CharacterKind.SURROGATE: _(
        "The text holds a broken character (%(code_point)s) at position %(position)d; enter "
        "the text again."
    ),
}


def refused_character_message(refused: RefusedCharacter) -> str:
    """Say in one sentence which character is refused, where, and what to do."""
    return str(MESSAGES[refused.kind]) % {
        "code_point": refused.code_point,
        "position": refused.position,
    }


def refused_character_error(text: str, *, single_line: bool) -> ValidationError | None:
    """The error for the first refused character of ``text``, or ``None`` when it has none."""
    refused = first_refused_character(text, single_line=single_line)
    if refused is None:
        return None
    return ValidationError(refused_character_message(refused), code=REFUSED_CHARACTER)


def is_single_line(field: models.Field[Any, Any]) -> bool:
    """Char fields (names, titles, codes, addresses) hold one line; text and JSON fields more."""
    return isinstance(field, models.CharField)


def stored_text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields of ``model`` that store text: char, text and JSON fields."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
    ]


@functools.cache
def _checked_fields(model: type[models.Model]) -> tuple[tuple[str, str, bool], ...]:
    """Name, attribute and single-line flag of each text field (fixed once models load)."""
    return tuple(
        (field.name, field.attname, is_single_line(field)) for field in stored_text_fields(model)
    )


def _strings_in(value: Any) -> Iterator[str]:
    """Every string in a value, also the keys and items inside JSON data."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_in(key)
            yield from _strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_in(item)


def refused_text_errors(
    instance: models.Model, *, exclude: Iterable[str] | None = None
) -> dict[str, list[ValidationError]]:
    """Check every text field of ``instance`` (but those in ``exclude``), keyed by field."""
    skipped = set(exclude or ())
    errors: dict[str, list[ValidationError]] = {}
    for name, attname, single_line in _checked_fields(type(instance)):
        if name in skipped:
            continue
        for text in _strings_in(getattr(instance, attname)):
            error = refused_character_error(text, single_line=single_line)
            if error is not None:
                errors[name] = [error]
                break
    return errors
