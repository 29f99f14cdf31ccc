"""Chemistry: a listing's element shares checked with the core's rules, the core
composition they make, and the one-cell text of tables (``Cr=18.1;Ni=8.0-8.5;Cu<=0.3``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.utils.translation import gettext as _

from metalloop.core.materials.composition import (
    AnalysisError,
    Composition,
    ShareRange,
    analysis_from_mapping,
)
from metalloop.exchange.codes import knowledge
from metalloop.exchange.errors import ErrorCode
from metalloop.materials.adapters import analysis_message


@dataclass(frozen=True)
class ElementShare:
    """One element's share [wt-%]: an offer's analysed range, or a demand's limits."""

    element: str
    min_pct: Decimal | None
    max_pct: Decimal | None


class ElementRowError(ValidationError):
    """A chemistry error that knows the rows it concerns (positions in the input, from 0), so
    that a form shows it on the row where it was entered; the API names the element."""

    def __init__(self, message: str, *, code: str, rows: Iterable[int]) -> None:
        super().__init__(message, code=code)
        self.rows = tuple(rows)


ELEMENT_SHARE = DecimalValidator(max_digits=9, decimal_places=5)
"""What a share can hold [wt-%] (the column of ``ListingElement``)."""


def validated_elements(rows: Iterable[ElementShare]) -> list[ElementShare]:
    """Check the chemistry of a listing with the core's rules; return it cleaned.

    Each element's minimum and maximum are kept as given: a point (both equal), a range, or a
    limit (a maximum or a minimum alone), for offers and demands alike. Errors are keyed
    ``elements.<symbol>`` (``elements`` for the sum, or a row without an element) and carry
    the rows they concern, so that the API names the element and a form marks its rows.
    """
    symbols = knowledge().element_symbols
    given = [ElementShare(r.element.strip(), r.min_pct, r.max_pct) for r in rows]
    positions: dict[str, list[int]] = {}
    for index, row in enumerate(given):
        positions.setdefault(row.element, []).append(index)
    errors: dict[str, list[ValidationError]] = {}
    cleaned: list[ElementShare] = []
    for element, found in positions.items():
        key = f"elements.{element}" if element else "elements"
        problems = [(index, _row_problem(given[index], symbols)) for index in found]
        if element and len(found) > 1:
            message = _("%(element)s is given more than once; give each element once.")
            errors.setdefault(key, []).append(
                ElementRowError(
                    message % {"element": element}, code=ErrorCode.ANALYSIS_INVALID, rows=found
                )
            )
        for index, (message, code) in ((i, p) for i, p in problems if p is not None):
            errors.setdefault(key, []).append(ElementRowError(message, code=code, rows=[index]))
        if key not in errors:
            cleaned.append(given[found[0]])
    if not errors and cleaned:
        try:
            analysis_from_mapping(
                {s.element: _bounds(s.min_pct, s.max_pct) for s in cleaned}, symbols
            )
        except AnalysisError as invalid:
            errors["elements"] = [
                ValidationError(analysis_message(invalid), code=ErrorCode.ANALYSIS_INVALID)
            ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _row_problem(row: ElementShare, symbols: Iterable[str]) -> tuple[str, str] | None:
    """What is wrong with one row on its own (message, code), if anything."""
    if not row.element:
        return _("Choose the element of this row."), ErrorCode.ELEMENT_UNKNOWN
    low = row.min_pct if row.min_pct is not None else row.max_pct
    high = row.max_pct if row.max_pct is not None else row.min_pct
    if low is None or high is None:
        message = _("%(element)s: give a minimum, a maximum or both.")
        return message % {"element": row.element}, ErrorCode.ANALYSIS_INVALID
    try:  # each value given, and a minimum not above a maximum
        analysis_from_mapping({row.element: [float(low), float(high)]}, symbols)
    except AnalysisError as invalid:
        unknown = invalid.reason == "unknown_element"
        code = ErrorCode.ELEMENT_UNKNOWN if unknown else ErrorCode.ANALYSIS_INVALID
        return analysis_message(invalid), code
    for value in (v for v in (row.min_pct, row.max_pct) if v is not None):
        try:
            ELEMENT_SHARE(value)
        except ValidationError as invalid:
            problem = " ".join(invalid.messages)
            message = _("%(element)s: %(problem)s") % {"element": row.element, "problem": problem}
            return message, ErrorCode.ANALYSIS_INVALID
    return None


def _bounds(low: Decimal | None, high: Decimal | None) -> list[float]:
    return [float(low if low is not None else 0), float(high if high is not None else 100)]


def composition_of(shares: Iterable[Any]) -> Composition:
    """The core composition of a listing's chemistry (an open bound counts as 0 or 100 %)."""
    return Composition(
        {
            share.element: ShareRange.wt_pct(*_bounds(share.min_pct, share.max_pct))
            for share in shares
        }
    )


CHEMISTRY_PART = re.compile(
    r"^\s*(?P<element>[A-Za-z]{1,3})\s*(?P<op><=|>=|<|>|=)\s*(?P<value>[^<>=]*?)\s*$"
)


PART_SEPARATOR = re.compile(r";|,(?=\s*[A-Za-z])")
"""Between two elements: a ";", or a "," before the next symbol (a "," before a digit is a
decimal comma: ``Cu<=0,3``)."""


def parse_chemistry(text: str) -> list[ElementShare]:
    """Parse ``"Cr=18.1;Ni=8.0-8.5;Cu<=0.3;Mn>=0.5"`` [wt-%] (the import and export cell).

    Parts are separated by ";", or by "," before the next element symbol, so decimal commas
    work everywhere (``Cr=18,1;Cu<=0,3``, ``Cu<=0,3``). A value is a point, a range
    ``low-high`` (or ``low..high``), or a limit ``<=`` / ``>=``. Raises ``ValidationError`` on
    ``chemistry``.
    """
    shares: list[ElementShare] = []
    for part in (p.strip() for p in PART_SEPARATOR.split(text)):
        if not part:
            continue
        match = CHEMISTRY_PART.match(part)
        if match is None:
            raise _chemistry_error(
                _("%(part)s: write each element as Symbol=value, e.g. Cr=18.1.") % {"part": part}
            )
        element, op, value = match["element"], match["op"], match["value"]
        low: Decimal | None
        high: Decimal | None
        if op == "=":
            low, high = _range_of(element, value)
        else:
            number = _decimal(element, value)
            low, high = (None, number) if op.startswith("<") else (number, None)
        shares.append(ElementShare(element, low, high))
    return shares


def _range_of(element: str, text: str) -> tuple[Decimal, Decimal]:
    for separator in ("..", "–"):
        if separator in text:
            low, high = text.split(separator, 1)
            return (
                _decimal(element, low),
                _decimal(element, high),
            )
    if "-" in text[1:]:
        cut = text.index("-", 1)
        return (
            _decimal(element, text[:cut]),
            _decimal(element, text[cut + 1 :]),
        )
    value = _decimal(element, text)
    return value, value


def _decimal(element: str, text: str) -> Decimal:
    cleaned = text.strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise _chemistry_error(
            _("%(element)s: %(value)s is not a number.") % {"element": element, "value": text}
        )
    return value


def _chemistry_error(message: str) -> ValidationError:
    return ValidationError({"chemistry": ValidationError(message, code=ErrorCode.ANALYSIS_INVALID)})


def format_chemistry(shares: Iterable[Any]) -> str:
    """The chemistry as one cell, the inverse of :func:`parse_chemistry`."""
    parts = []
    for share in shares:
        low, high = share.min_pct, share.max_pct
        if low is not None and high is not None:
            value = _text(low) if low == high else f"{_text(low)}-{_text(high)}"
            parts.append(f"{share.element}={value}")
        elif high is not None:
            parts.append(f"{share.element}<={_text(high)}")
        else:
            parts.append(f"{share.element}>={_text(low)}")
    return ";".join(parts)


def _text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimal_text(value: Decimal | None) -> str:
    """A decimal without trailing zeros ("" for none)."""
    return "" if value is None else _text(value)
