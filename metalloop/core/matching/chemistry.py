"""The chemistry check of many offer–demand pairs at once.

The verdict per pair is the one :func:`metalloop.core.materials.specification.check` gives for
the offer's composition against the demand's limits (an open specification: per-element
minima and maxima, a balance element for dilution); the tests hold both to the same answers.
This version works on arrays so that a million candidate pairs take well under a second;
explanations use the exact function.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from metalloop.core.materials.composition import Composition
from metalloop.core.materials.specification import Specification

TOLERANCE = 1e-12

FITS = 0
FITS_AFTER_DILUTION = 1
DOES_NOT_FIT = 2
NOT_ANALYSED = 3
"""Codes of :attr:`ChemistryScreen.verdicts`; ``NOT_ANALYSED``: the demand sets limits but the
offer has no analysis (a match to verify, not a failure)."""


@dataclass(frozen=True)
class OfferChemistry:
    """Analysed ranges of many offers over a fixed list of elements.

    ``low`` and ``high`` are ``(offers, elements)`` arrays of mass fractions [-], NaN where an
    element was not analysed; ``analysed`` tells which offers have an analysis at all.
    """

    low: NDArray[np.float64]
    high: NDArray[np.float64]
    analysed: NDArray[np.bool_]


@dataclass(frozen=True)
class DemandLimits:
    """Limits of many demands over the same elements.

    ``low`` and ``high`` are ``(demands, elements)`` mass fractions [-], NaN for no limit;
    ``limited`` tells which demands set limits; ``dilutable`` which name a balance element;
    ``max_dilution`` the share of base metal each can blend in [-].
    """

    low: NDArray[np.float64]
    high: NDArray[np.float64]
    limited: NDArray[np.bool_]
    dilutable: NDArray[np.bool_]
    max_dilution: NDArray[np.float64]


@dataclass(frozen=True)
class ChemistryScreen:
    """Per pair: the verdict code and the dilution needed [-] (0 unless diluted)."""

    verdicts: NDArray[np.int8]
    dilution: NDArray[np.float64]

    @property
    def admissible(self) -> NDArray[np.bool_]:
        return np.asarray(self.verdicts != DOES_NOT_FIT, dtype=bool)


def limit_elements(limits: Sequence[Specification | None]) -> tuple[str, ...]:
    """The elements any of the demands' limits name, sorted."""
    return tuple(sorted({lim.element for spec in limits if spec for lim in spec.limits}))


def offer_chemistry(
    compositions: Sequence[Composition | None], elements: Sequence[str]
) -> OfferChemistry:
    """Tabulate the offers' analyses over ``elements``."""
    count, width = len(compositions), len(elements)
    low = np.full((count, width), np.nan)
    high = np.full((count, width), np.nan)
    analysed = np.zeros(count, dtype=bool)
    column = {e: k for k, e in enumerate(elements)}
    for row, composition in enumerate(compositions):
        if composition is None:
            continue
        analysed[row] = True
        for element in composition.elements:
            if element in column:
                share = composition[element]
                low[row, column[element]] = share.low.fraction
                high[row, column[element]] = share.high.fraction
    return OfferChemistry(low, high, analysed)


def demand_limits(
    limits: Sequence[Specification | None],
    max_dilution: Sequence[float],
    elements: Sequence[str],
) -> DemandLimits:
    """Tabulate the demands' limits over ``elements``."""
    count, width = len(limits), len(elements)
    low = np.full((count, width), np.nan)
    high = np.full((count, width), np.nan)
    limited = np.zeros(count, dtype=bool)
    dilutable = np.zeros(count, dtype=bool)
    column = {e: k for k, e in enumerate(elements)}
    for row, spec in enumerate(limits):
        if spec is None or not spec.limits:
            continue
        if spec.sum_limits or spec.others_each or spec.others_total or spec.closed:
            raise ValueError("a demand's limits are open and per element only")
        limited[row] = True
        dilutable[row] = bool(spec.balance)
        for limit in spec.limits:
            if limit.low is not None:
                low[row, column[limit.element]] = limit.low.fraction
            if limit.high is not None:
                high[row, column[limit.element]] = limit.high.fraction
    return DemandLimits(low, high, limited, dilutable, np.asarray(max_dilution, dtype=float))


def screen(
    offers: OfferChemistry,
    demands: DemandLimits,
    offer_index: NDArray[np.intp],
    demand_index: NDArray[np.intp],
    chunk: int = 200_000,
) -> ChemistryScreen:
    """Judge the pairs ``(offer_index[k], demand_index[k])``.

    Notes
    -----
    Per element, a range is judged at its worst case: the upper bound against a maximum, the
    lower bound against a minimum. A required element (minimum above 0) that was not analysed
    fails, one with only a maximum does not. Exceeded maxima can be cured by diluting with
    base metal by the factor :math:`f = \\min_e h_e / w_e^{high}`, provided
    :math:`f \\ge \\max_e l_e / w_e^{low}`; the dilution needed is :math:`1 - f` and must not
    exceed the demand's ``max_dilution``.
    """
    size = len(offer_index)
    verdicts = np.zeros(size, dtype=np.int8)
    dilution = np.zeros(size, dtype=float)
    for start in range(0, size, chunk):
        part = slice(start, min(start + chunk, size))
        v, d = _screen_chunk(offers, demands, offer_index[part], demand_index[part])
        verdicts[part] = v
        dilution[part] = d
    return ChemistryScreen(verdicts, dilution)


def _screen_chunk(
    offers: OfferChemistry,
    demands: DemandLimits,
    oi: NDArray[np.intp],
    di: NDArray[np.intp],
) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    verdicts = np.full(len(oi), FITS, dtype=np.int8)
    dilution = np.zeros(len(oi), dtype=float)
    limited = demands.limited[di]
    verdicts[limited & ~offers.analysed[oi]] = NOT_ANALYSED
    rows = np.flatnonzero(limited & offers.analysed[oi])
    if rows.size == 0 or demands.low.shape[1] == 0:
        return verdicts, dilution
    o, d = oi[rows], di[rows]
    lo, hi = offers.low[o], offers.high[o]
    lim_lo, lim_hi = demands.low[d], demands.high[d]
    present = ~np.isnan(lo)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        missing = ~present & (np.nan_to_num(lim_lo) > 0)
        too_low = present & (lo - lim_lo < -TOLERANCE)
        too_high = present & (lim_hi - hi < -TOLERANCE)
        hard = (missing | too_low).any(axis=1)
        high_only = ~hard & too_high.any(axis=1)
        upper = np.where(present & ~np.isnan(lim_hi) & (hi > 0), lim_hi / hi, np.inf).min(axis=1)
        lower = np.where(present & (np.nan_to_num(lim_lo) > 0), lim_lo / lo, 0.0).max(axis=1)
    upper = np.minimum(upper, 1.0)
    curable = high_only & demands.dilutable[d] & (upper > 0) & (upper >= lower - TOLERANCE)
    needed = np.where(curable, 1.0 - upper, 0.0)
    within = needed <= demands.max_dilution[d] + TOLERANCE
    verdict = np.full(rows.size, FITS, dtype=np.int8)
    verdict[hard | (high_only & ~(curable & within))] = DOES_NOT_FIT
    verdict[high_only & curable & within] = FITS_AFTER_DILUTION
    verdicts[rows] = verdict
    dilution[rows] = np.where(verdict == FITS_AFTER_DILUTION, needed, 0.0)
    return verdicts, dilution
