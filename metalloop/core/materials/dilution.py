"""Dilution: how large a share of a lot a charge topped up with a diluent may hold.

A charge of the share :math:`f` of the lot and :math:`1 - f` of the diluent holds
:math:`f w_e + (1 - f) d_e` of each element, so every limit of a specification is a linear
bound on :math:`f`; the largest :math:`f` that meets them all is the lot's share.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from metalloop.core.materials.composition import Composition

if TYPE_CHECKING:
    from metalloop.core.materials.specification import Specification

TOLERANCE = 1e-12
"""Shares and bounds closer than this count as equal [-]."""


Bound = tuple[float, float]
"""A linear bound :math:`a f \\le b` on the lot's share :math:`f` of a charge, as ``(a, b)``."""


def share_bounds(
    composition: Composition, spec: Specification, diluent: Composition
) -> list[Bound]:
    """Every limit as a bound on the lot's share :math:`f`.

    A maximum :math:`h` on content :math:`w` (lot) and :math:`d` (diluent) reads
    :math:`(w - d) f \\le h - d`; a minimum :math:`l`, :math:`(d - w) f \\le d - l`. Sums
    and the limits on unnamed elements add up the lot's and the diluent's shares alike.
    """

    def high(shares: Composition, elements: Iterable[str]) -> float:
        return sum(shares[e].high.fraction for e in elements if e in shares)

    def low(shares: Composition, elements: Iterable[str]) -> float:
        return sum(shares[e].low.fraction for e in elements if e in shares)

    bounds: list[Bound] = []
    for limit in spec.limits:
        if limit.element not in composition:
            continue
        one = (limit.element,)
        if limit.high is not None:
            w, d = high(composition, one), high(diluent, one)
            bounds.append((w - d, limit.high.fraction - d))
        if limit.low is not None and limit.low.fraction > 0:
            w, d = low(composition, one), low(diluent, one)
            bounds.append((d - w, d - limit.low.fraction))
    for s in spec.sum_limits:
        w, d = high(composition, s.elements), high(diluent, s.elements)
        bounds.append((w - d, s.high.fraction - d))
    others = sorted((set(composition.elements) | set(diluent.elements)) - spec.named_elements)
    if spec.others_each is not None:
        for e in others:
            w, d = high(composition, (e,)), high(diluent, (e,))
            bounds.append((w - d, spec.others_each.fraction - d))
    if spec.others_total is not None and others:
        w, d = high(composition, others), high(diluent, others)
        bounds.append((w - d, spec.others_total.fraction - d))
    return bounds


def largest_share(bounds: Iterable[Bound]) -> float | None:
    """The largest :math:`f` in (0, 1] meeting every bound, or ``None``."""
    lower, upper = 0.0, 1.0
    for a, b in bounds:
        if a > TOLERANCE:
            upper = min(upper, b / a)
        elif a < -TOLERANCE:
            lower = max(lower, b / a)
        elif b < -TOLERANCE:
            return None
    return upper if upper > TOLERANCE and upper >= lower - TOLERANCE else None
