"""Chemical compositions: element shares as ranges, analyses, and the blend of lots.

A composition maps element symbols to :class:`ShareRange` (min and max mass fraction); a point
analysis has ``min == max``. Analyses are validated on construction: no negative shares, no
minimum above its maximum, no sum of minima above 100 %, only known elements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field

from metalloop.core.units import ZERO, Mass, MassFraction, UnitError


class AnalysisError(ValueError):
    """An analysis that cannot be: says which element and why.

    ``reason`` names the rule (for translated messages at the interfaces) and ``params`` the
    values the message mentions; ``str(error)`` is the English message.
    """

    def __init__(self, reason: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


@dataclass(frozen=True, slots=True)
class ShareRange:
    """A mass fraction known to lie between ``low`` and ``high`` (equal for a point value)."""

    low: MassFraction
    high: MassFraction

    @classmethod
    def point(cls, share: MassFraction) -> ShareRange:
        return cls(share, share)

    @classmethod
    def wt_pct(cls, low: float, high: float | None = None) -> ShareRange:
        """A range from percent by weight; one value makes a point [wt-%]."""
        return cls(MassFraction.wt_pct(low), MassFraction.wt_pct(low if high is None else high))

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    @property
    def mid(self) -> MassFraction:
        return MassFraction((self.low.fraction + self.high.fraction) / 2)

    def contains(self, other: ShareRange) -> bool:
        """Tell whether ``other`` lies within this range (with a tolerance of 1e-12)."""
        return (
            other.low.fraction >= self.low.fraction - 1e-12
            and other.high.fraction <= self.high.fraction + 1e-12
        )

    def __str__(self) -> str:
        if self.is_point:
            return f"{self.low.percent:.4g} wt-%"
        return f"{self.low.percent:.4g}–{self.high.percent:.4g} wt-%"


@dataclass(frozen=True)
class Composition:
    """Element shares of a material, validated.

    Parameters
    ----------
    shares : Mapping of str to ShareRange
        Element symbol to its mass fraction range [-].
    partial : frozenset of str
        Elements whose share is known for only part of the material (a blend of lots of which
        some were not analysed for them); their ranges count the unanalysed part as 0.
    """

    shares: Mapping[str, ShareRange] = field(default_factory=dict)
    partial: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for element, share in self.shares.items():
            if not isinstance(share, ShareRange):
                raise UnitError(f"{element}: give the share as a ShareRange, not {share!r}")
            _check_share(element, share)
        total = sum(share.low.fraction for share in self.shares.values()) * 100
        if total > 100 + 1e-7:
            raise AnalysisError(
                "sum_above_whole",
                f"the shares add up to {total:.4g} wt-%, more than 100 wt-%",
                total=total,
            )

    def __getitem__(self, element: str) -> ShareRange:
        return self.shares[element]

    def __contains__(self, element: object) -> bool:
        return element in self.shares

    def get(self, element: str) -> ShareRange | None:
        return self.shares.get(element)

    @property
    def elements(self) -> tuple[str, ...]:
        return tuple(sorted(self.shares))

    def remainder(self) -> ShareRange:
        """What the listed elements leave to 100 % (the balance element and unlisted ones)."""
        low = max(0.0, 1.0 - sum(s.high.fraction for s in self.shares.values()))
        high = max(0.0, 1.0 - sum(s.low.fraction for s in self.shares.values()))
        return ShareRange(MassFraction(low), MassFraction(high))


def _check_share(element: str, share: ShareRange) -> None:
    low, high = share.low.percent, share.high.percent
    if low < 0:
        raise AnalysisError(
            "negative",
            f"{element}: a share cannot be negative ({low:g} wt-%)",
            element=element,
            value=low,
        )
    if high < low:
        raise AnalysisError(
            "min_above_max",
            f"{element}: the minimum {low:g} wt-% lies above the maximum {high:g} wt-%",
            element=element,
            low=low,
            high=high,
        )
    if high > 100:
        raise AnalysisError(
            "above_whole",
            f"{element}: a share cannot exceed 100 wt-% ({high:g})",
            element=element,
            value=high,
        )


def parse_analysis(text: str, known_elements: Iterable[str]) -> Composition:
    """Parse ``"Cr=18.1, Ni=8.0-10.5, C=0.03"`` (values in wt-%, ranges with ``-`` or ``..``).

    Elements are separated by commas, or by semicolons when the text has any: then commas
    are decimal commas, as German users write them (``"Cr=18,1; Ni=8,3"``).

    Raises
    ------
    AnalysisError
        On an unknown element, a repeated element, a value that is no number, or an
        impossible composition.
    """
    known = set(known_elements)
    shares: dict[str, ShareRange] = {}
    separator = ";" if ";" in text else ","
    for part in (p.strip() for p in text.split(separator)):
        if not part:
            continue
        element, sep, value = part.partition("=")
        element = element.strip()
        if not sep:
            raise AnalysisError(
                "format", f"{part!r}: write each element as Symbol=value, e.g. Cr=18.1", part=part
            )
        shares[_known(element, known, shares)] = _parse_range(element, value.strip())
    if not shares:
        raise AnalysisError(
            "empty", "the analysis is empty; give at least one element, e.g. Cr=18.1"
        )
    return Composition(shares)


def analysis_from_mapping(
    values: Mapping[str, object], known_elements: Iterable[str]
) -> Composition:
    """Build a composition from ``{"Cr": 18.1, "Ni": [8.0, 10.5]}`` (wt-%)."""
    known: Set[str] = (
        known_elements if isinstance(known_elements, set | frozenset) else set(known_elements)
    )
    shares: dict[str, ShareRange] = {}
    for element, value in values.items():
        symbol = _known(element, known, shares)
        if isinstance(value, list | tuple):
            if len(value) != 2:
                raise AnalysisError(
                    "pair", f"{element}: give a value or a [min, max] pair", element=element
                )
            shares[symbol] = ShareRange.wt_pct(
                _number(element, value[0]), _number(element, value[1])
            )
        else:
            shares[symbol] = ShareRange.wt_pct(_number(element, value))
    if not shares:
        raise AnalysisError(
            "empty", "the analysis is empty; give at least one element, e.g. Cr=18.1"
        )
    return Composition(shares)


def _known(element: str, known: Set[str], seen: Mapping[str, object]) -> str:
    if element not in known:
        raise AnalysisError(
            "unknown_element",
            f"{element!r} is not a chemical element symbol (write e.g. Cr, Ni, Mo)",
            element=element,
        )
    if element in seen:
        raise AnalysisError("repeated", f"{element} is given twice", element=element)
    return element


def _number(element: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _not_a_number(element, value)
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except ValueError as error:
        raise _not_a_number(element, value) from error
    if number != number or number in (float("inf"), float("-inf")):
        raise _not_a_number(element, value)
    return number


def _not_a_number(element: str, value: object) -> AnalysisError:
    return AnalysisError(
        "not_a_number", f"{element}: {value!r} is not a number", element=element, value=str(value)
    )


def _parse_range(element: str, text: str) -> ShareRange:
    for separator in ("..", "–"):
        if separator in text:
            low, high = text.split(separator, 1)
            return ShareRange.wt_pct(_number(element, low), _number(element, high))
    # "8.0-10.5" is a range; "-0.1" is a (negative, refused) value
    if "-" in text[1:]:
        low, high = text[0] + text[1:].split("-", 1)[0], text[1:].split("-", 1)[1]
        return ShareRange.wt_pct(_number(element, low), _number(element, high))
    return ShareRange.wt_pct(_number(element, text))


@dataclass(frozen=True)
class Lot:
    """A quantity of material with its composition."""

    mass: Mass
    composition: Composition

    def __post_init__(self) -> None:
        if not isinstance(self.mass, Mass):
            raise UnitError(f"a lot's mass must be a Mass, not {self.mass!r}")
        if self.mass.kilograms <= 0:
            raise ValueError(f"a lot needs a positive mass, not {self.mass}")


def blend(lots: Iterable[Lot]) -> tuple[Mass, Composition]:
    """Mass and composition of a blend of lots.

    Notes
    -----
    The share of element :math:`e` in the blend is the mass-weighted mean
    :math:`w_e = \\sum_i m_i w_{e,i} / \\sum_i m_i`, taken for the lower and the upper bound
    of each range separately, so the blend's range lies within the components' ranges. An
    element a lot's analysis does not list counts as 0 for that lot, and the element is marked
    ``partial`` in the result: its share is known for part of the mass only.
    """
    lots = list(lots)
    if not lots:
        raise ValueError("a blend needs at least one lot")
    total = sum((lot.mass for lot in lots), Mass(0.0))
    elements = sorted({e for lot in lots for e in lot.composition.elements})
    shares = {}
    for element in elements:
        low = sum(_share(lot, element).low.fraction * (lot.mass / total) for lot in lots)
        high = sum(_share(lot, element).high.fraction * (lot.mass / total) for lot in lots)
        shares[element] = ShareRange(MassFraction(low), MassFraction(min(1.0, high)))
    partial = frozenset(
        e
        for e in elements
        if any(e not in lot.composition or e in lot.composition.partial for lot in lots)
    )
    return total, Composition(shares, partial)


ABSENT = ShareRange(ZERO, ZERO)


def _share(lot: Lot, element: str) -> ShareRange:
    return lot.composition.get(element) or ABSENT
