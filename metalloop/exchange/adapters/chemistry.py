"""Chemistry: a listing's element shares checked with the core's rules, the core
composition they make, and the one-cell text of tables (``Cr=18.1;Ni=8.0-8.5;Cu<=0.3``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
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


def validated_elements(rows: Iterable[ElementShare], *, is_offer: bool) -> list[ElementShare]:
    """Check the chemistry of a listing with the core's rules; return it cleaned.

    An offer's single value is a point (minimum = maximum); a demand's minimum or maximum
    alone is a limit. Errors are keyed ``elements.<symbol>`` (or ``elements`` for the sum)
    so that forms and API clients can show them at the element.
    """
    symbols = knowledge().element_symbols
    errors: dict[str, ValidationError] = {}
    cleaned: list[ElementShare] = []
    for row in rows:
        element = row.element.strip()
        key = f"elements.{element}"
        low, high = row.min_pct, row.max_pct
        if is_offer and (low is None) != (high is None):
            low = high = low if low is not None else high
        if any(share.element == element for share in cleaned):
            errors[key] = ValidationError(
                _("%(element)s is given twice.") % {"element": element},
                code=ErrorCode.ANALYSIS_INVALID,
            )
            continue
        if low is None and high is None:
            errors[key] = ValidationError(
                _("%(element)s: give a minimum, a maximum or both.") % {"element": element},
                code=ErrorCode.ANALYSIS_INVALID,
            )
            continue
        try:
            analysis_from_mapping({element: _bounds(low, high)}, symbols)
        except AnalysisError as invalid:
            code = (
                ErrorCode.ELEMENT_UNKNOWN
                if invalid.reason == "unknown_element"
                else ErrorCode.ANALYSIS_INVALID
            )
            errors[key] = ValidationError(analysis_message(invalid), code=code)
            continue
        cleaned.append(ElementShare(element, low, high))
    if not errors and cleaned:
        try:
            analysis_from_mapping(
                {s.element: _bounds(s.min_pct, s.max_pct) for s in cleaned}, symbols
            )
        except AnalysisError as invalid:
            errors["elements"] = ValidationError(
                analysis_message(invalid), code=ErrorCode.ANALYSIS_INVALID
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


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


def parse_chemistry(text: str) -> list[ElementShare]:
    """Parse ``"Cr=18.1;Ni=8.0-8.5;Cu<=0.3;Mn>=0.5"`` [wt-%] (the import and export cell).

    Parts are separated by ";" (then decimal commas work) or, without any ";", by ",". A
    value is a point, a range ``low-high`` (or ``low..high``), or a limit ``<=`` / ``>=``.
    Raises ``ValidationError`` on ``chemistry``.
    """
    separator = ";" if ";" in text else ","
    shares: list[ElementShare] = []
    for part in (p.strip() for p in text.split(separator)):
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
            low, high = _range_of(element, value, decimal_comma=separator == ";")
        else:
            number = _decimal(element, value, decimal_comma=separator == ";")
            low, high = (None, number) if op.startswith("<") else (number, None)
        shares.append(ElementShare(element, low, high))
    return shares


def _range_of(element: str, text: str, *, decimal_comma: bool) -> tuple[Decimal, Decimal]:
    for separator in ("..", "–"):
        if separator in text:
            low, high = text.split(separator, 1)
            return (
                _decimal(element, low, decimal_comma=decimal_comma),
                _decimal(element, high, decimal_comma=decimal_comma),
            )
    if "-" in text[1:]:
        cut = text.index("-", 1)
        return (
            _decimal(element, text[:cut], decimal_comma=decimal_comma),
            _decimal(element, text[cut + 1 :], decimal_comma=decimal_comma),
        )
    value = _decimal(element, text, decimal_comma=decimal_comma)
    return value, value


def _decimal(element: str, text: str, *, decimal_comma: bool) -> Decimal:
    cleaned = text.strip().replace(",", ".") if decimal_comma else text.strip()
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
