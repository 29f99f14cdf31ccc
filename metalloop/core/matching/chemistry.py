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
    ``max_dilution`` the share of diluent each can blend in [-]; ``diluent_low`` and
    ``diluent_high`` the analysis of each demand's diluent over the elements [-], 0 where it
    lists none (the pure base metal).
    """

    low: NDArray[np.float64]
    high: NDArray[np.float64]
    limited: NDArray[np.bool_]
    dilutable: NDArray[np.bool_]
    max_dilution: NDArray[np.float64]
    diluent_low: NDArray[np.float64]
    diluent_high: NDArray[np.float64]

    def take(self, rows: NDArray[np.intp]) -> DemandLimits:
        """The limits of the demands ``rows``, in that order."""
        return DemandLimits(
            self.low[rows],
            self.high[rows],
            self.limited[rows],
            self.dilutable[rows],
            self.max_dilution[rows],
            self.diluent_low[rows],
            self.diluent_high[rows],
        )


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
    diluent_low = np.zeros((count, width))
    diluent_high = np.zeros((count, width))
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
        diluent = spec.diluent.composition if spec.diluent else Composition({})
        for element in diluent.elements:
            if element in column:
                diluent_low[row, column[element]] = diluent[element].low.fraction
                diluent_high[row, column[element]] = diluent[element].high.fraction
    return DemandLimits(
        low,
        high,
        limited,
        dilutable,
        np.asarray(max_dilution, dtype=float),
        diluent_low,
        diluent_high,
    )


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
    fails, one with only a maximum does not. Exceeded maxima can be cured by dilution with
    the demand's diluent (analysis :math:`d`): the lot's share :math:`f` of the charge must
    meet :math:`(w - d) f \\le h - d` per maximum and :math:`(d - w) f \\le d - l` per
    minimum, as in the exact check; the dilution needed is :math:`1 - f` for the largest such
    :math:`f` and must not exceed the demand's ``max_dilution``.
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
        upper, lower, blocked = _share_limits(
            present, lo, hi, lim_lo, lim_hi, demands.diluent_low[d], demands.diluent_high[d]
        )
    upper = np.minimum(upper, 1.0)
    curable = (
        high_only
        & demands.dilutable[d]
        & ~blocked
        & (upper > TOLERANCE)
        & (upper >= lower - TOLERANCE)
    )
    needed = np.where(curable, 1.0 - upper, 0.0)
    within = needed <= demands.max_dilution[d] + TOLERANCE
    verdict = np.full(rows.size, FITS, dtype=np.int8)
    verdict[hard | (high_only & ~(curable & within))] = DOES_NOT_FIT
    verdict[high_only & curable & within] = FITS_AFTER_DILUTION
    verdicts[rows] = verdict
    dilution[rows] = np.where(verdict == FITS_AFTER_DILUTION, needed, 0.0)
    return verdicts, dilution


def _share_limits(
    present: NDArray[np.bool_],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    lim_lo: NDArray[np.float64],
    lim_hi: NDArray[np.float64],
    dil_lo: NDArray[np.float64],
    dil_hi: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Per row, the bounds on the lot's share of the charge from every limit, and whether a
    limit with no slope is broken whatever the share (the diluent alone breaks it)."""
    bounded_high = present & ~np.isnan(lim_hi)
    bounded_low = present & (np.nan_to_num(lim_lo) > 0)
    slopes = (np.where(bounded_high, hi - dil_hi, 0.0), np.where(bounded_low, dil_lo - lo, 0.0))
    rights = (
        np.where(bounded_high, lim_hi - dil_hi, 0.0),
        np.where(bounded_low, dil_lo - np.nan_to_num(lim_lo), 0.0),
    )
    upper = np.full(lo.shape[0], np.inf)
    lower = np.zeros(lo.shape[0])
    blocked = np.zeros(lo.shape[0], dtype=bool)
    for a, b, used in zip(slopes, rights, (bounded_high, bounded_low), strict=True):
        rising, falling = used & (a > TOLERANCE), used & (a < -TOLERANCE)
        upper = np.minimum(upper, np.where(rising, b / np.where(rising, a, 1.0), np.inf).min(1))
        lower = np.maximum(lower, np.where(falling, b / np.where(falling, a, 1.0), 0.0).max(1))
        flat = used & ~rising & ~falling
        blocked |= (flat & (b < -TOLERANCE)).any(axis=1)
    return upper, lower, blocked
