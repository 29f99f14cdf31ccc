"""Classification of an analysed lot into the grades and alloys it fits, best first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from metalloop.core.materials.composition import Composition
from metalloop.core.materials.specification import (
    CheckResult,
    Specification,
    Verdict,
    check,
)


@dataclass(frozen=True, slots=True)
class Match:
    """A specification the composition fits, with the check and a ranking score.

    ``matched`` is the number of analysed elements the specification constrains;
    ``closeness`` (0..1, higher is better) measures how centrally the analysed values sit in
    the specified ranges.
    """

    code: str
    result: CheckResult
    matched: int
    closeness: float


MAX_DILUTION = 0.5
"""Largest share of base metal [-] with which a grade still counts as a class of the lot: a
grade that needs more clean metal than the lot itself describes the blend, not the lot."""


def classify(
    composition: Composition,
    specifications: Iterable[Specification],
    *,
    max_dilution: float = MAX_DILUTION,
) -> list[Match]:
    """Return the specifications the composition fits or fits after dilution, best first.

    Parameters
    ----------
    composition : Composition
        The analysed lot.
    specifications : iterable of Specification
        Candidate grades and alloys.
    max_dilution : float
        Largest admissible share of base metal for a fit after dilution [-].

    Notes
    -----
    Order: plain fits before fits after dilution (less dilution first), then specifications
    that constrain more of the analysed elements (more specific), then closeness of the
    analysed values to the middle of their ranges, then the code.
    """
    matches = []
    for spec in specifications:
        result = check(composition, spec)
        if result.verdict is Verdict.DOES_NOT_FIT or (result.dilution or 0.0) > max_dilution:
            continue
        evaluated = [line for line in result.lines if line.value is not None]
        if not evaluated:
            continue  # nothing analysed that the specification speaks about
        matches.append(Match(spec.code, result, len(evaluated), _closeness(composition, spec)))
    return sorted(
        matches,
        key=lambda m: (
            m.result.verdict is not Verdict.FITS,
            m.result.dilution or 0.0,
            -m.matched,
            -m.closeness,
            m.code,
        ),
    )


def _closeness(composition: Composition, spec: Specification) -> float:
    scores = []
    for limit in spec.limits:
        value = composition.get(limit.element)
        if value is None or limit.high is None:
            continue
        if limit.low is None:  # a maximum only: the further below it, the better
            scores.append(max(0.0, 1.0 - value.high.fraction / limit.high.fraction))
            continue
        width = limit.high.fraction - limit.low.fraction
        if width <= 0:
            continue
        position = (value.mid.fraction - limit.low.fraction) / width
        scores.append(max(0.0, 1.0 - abs(position - 0.5) * 2))
    return sum(scores) / len(scores) if scores else 0.0
