"""Specifications (alloys and scrap grades) and the check of a composition against one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from metalloop.core.materials.composition import Composition, ShareRange
from metalloop.core.units import MassFraction

UNLISTED_THRESHOLD = MassFraction.wt_pct(0.5)
"""An analysed element that a specification does not name, above this share, does not belong
to it (heuristic: standards list the elements a grade is made of; 0.5 wt-% of an unlisted
element, e.g. 2 % Mo in a 1.4301 analysis, points to another grade)."""


@dataclass(frozen=True, slots=True)
class Limit:
    """Limits on one element's share; ``None`` means no limit on that side."""

    element: str
    low: MassFraction | None = None
    high: MassFraction | None = None

    def __post_init__(self) -> None:
        if self.low is not None and self.high is not None and self.high < self.low:
            raise ValueError(f"{self.element}: the minimum lies above the maximum")

    def __str__(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.low.percent:.4g}–{self.high.percent:.4g} wt-%"
        if self.high is not None:
            return f"≤ {self.high.percent:.4g} wt-%"
        return f"≥ {self.low.percent:.4g} wt-%" if self.low is not None else "—"


@dataclass(frozen=True, slots=True)
class SumLimit:
    """A maximum on the sum of several elements' shares, e.g. Cu+Sn+Cr+Ni+Mo ≤ 0.30 wt-%."""

    elements: tuple[str, ...]
    high: MassFraction

    @property
    def label(self) -> str:
        return "+".join(self.elements)


@dataclass(frozen=True, slots=True)
class Specification:
    """The chemistry a grade or alloy allows.

    Parameters
    ----------
    code : str
        Stable code of the grade or alloy, e.g. ``"EN10088:1.4301"``.
    balance : str
        Element making up the remainder (``"Fe"``, ``"Al"``, ``"Cu"``), or ``""``.
    limits : tuple of Limit
        Per-element limits [wt-% as MassFraction].
    sum_limits : tuple of SumLimit
        Limits on sums of elements.
    others_each, others_total : MassFraction or None
        Limits on each / all elements the specification does not name.
    closed : bool
        Whether an element the specification does not name is foreign to it (grades and
        alloys: above ``UNLISTED_THRESHOLD``); ``False`` for a buyer's limits, which only
        constrain the elements they name.
    """

    code: str
    balance: str = ""
    limits: tuple[Limit, ...] = ()
    sum_limits: tuple[SumLimit, ...] = ()
    others_each: MassFraction | None = None
    others_total: MassFraction | None = None
    closed: bool = True

    @property
    def named_elements(self) -> frozenset[str]:
        named = {limit.element for limit in self.limits}
        named.update(e for s in self.sum_limits for e in s.elements)
        if self.balance:
            named.add(self.balance)
        return frozenset(named)

    @property
    def has_chemistry(self) -> bool:
        return bool(self.limits or self.sum_limits)


class Status(StrEnum):
    OK = "ok"
    TOO_HIGH = "too_high"
    TOO_LOW = "too_low"
    MISSING = "missing"
    UNEXPECTED = "unexpected"
    NOT_ANALYSED = "not_analysed"


class Verdict(StrEnum):
    FITS = "fits"
    FITS_AFTER_DILUTION = "fits_after_dilution"
    DOES_NOT_FIT = "does_not_fit"


@dataclass(frozen=True, slots=True)
class ElementCheck:
    """One line of a check: the limit, the analysed value, the headroom, the status.

    ``headroom`` is the distance to the nearest limit [wt-% as MassFraction], negative when
    the limit is broken; ``None`` when nothing was analysed.
    """

    subject: str
    limit: str
    value: ShareRange | None
    headroom: MassFraction | None
    status: Status


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict of a check with its lines.

    ``max_share`` is the largest share of the analysed material in a charge topped up with
    the clean base metal (``balance``) that meets every limit, ``dilution`` the share of base
    metal needed (``1 - max_share``); both ``None`` unless the verdict is
    ``fits_after_dilution``.
    """

    code: str
    verdict: Verdict
    lines: tuple[ElementCheck, ...]
    failing: tuple[str, ...]
    max_share: float | None = None
    dilution: float | None = None

    @property
    def not_analysed(self) -> tuple[str, ...]:
        return tuple(line.subject for line in self.lines if line.status is Status.NOT_ANALYSED)


def check(composition: Composition, spec: Specification) -> CheckResult:
    """Check a composition (point values or ranges) against a specification.

    Notes
    -----
    Ranges are judged at their worst case: the upper bound against a maximum, the lower
    bound against a minimum. An element the specification requires (minimum > 0) but the
    analysis lacks counts as 0 and fails; an element with only a maximum that was not analysed
    is reported as not analysed and does not fail. Exceeded maxima can be cured by dilution
    with the clean base metal, which lowers every share by the factor :math:`f` (the share of
    the analysed material in the charge): the largest admissible :math:`f` is
    :math:`\\min_e h_e / w_e^{high}` over the maxima, and it must stay above
    :math:`\\max_e l_e / w_e^{low}` over the minima. Shortfalls and unexpected elements
    cannot be cured by dilution.
    """
    lines = (
        *(_check_limit(composition, limit) for limit in spec.limits),
        *(_check_sum(composition, limit) for limit in spec.sum_limits),
        *_check_others(composition, spec),
    )
    failing = tuple(
        line.subject for line in lines if line.status not in (Status.OK, Status.NOT_ANALYSED)
    )
    if not failing:
        return CheckResult(spec.code, Verdict.FITS, lines, ())
    curable = all(line.status is Status.TOO_HIGH for line in lines if line.subject in failing)
    share = _max_share(composition, spec) if curable else None
    if share is None:
        return CheckResult(spec.code, Verdict.DOES_NOT_FIT, lines, failing)
    return CheckResult(spec.code, Verdict.FITS_AFTER_DILUTION, lines, failing, share, 1.0 - share)


def _check_limit(composition: Composition, limit: Limit) -> ElementCheck:
    value = composition.get(limit.element)
    required = limit.low is not None and limit.low.fraction > 0
    if value is None:
        if required:
            assert limit.low is not None
            return ElementCheck(
                limit.element, str(limit), None, MassFraction(-limit.low.fraction), Status.MISSING
            )
        return ElementCheck(limit.element, str(limit), None, None, Status.NOT_ANALYSED)
    room = []
    if limit.high is not None:
        room.append((limit.high.fraction - value.high.fraction, Status.TOO_HIGH))
    if limit.low is not None:
        room.append((value.low.fraction - limit.low.fraction, Status.TOO_LOW))
    headroom, breach = min(room, key=lambda r: r[0]) if room else (0.0, Status.OK)
    status = breach if headroom < -1e-12 else Status.OK
    return ElementCheck(limit.element, str(limit), value, MassFraction(headroom), status)


def _check_sum(composition: Composition, limit: SumLimit) -> ElementCheck:
    present = [composition[e] for e in limit.elements if e in composition]
    if not present:
        return ElementCheck(
            limit.label, f"≤ {limit.high.percent:.4g} wt-%", None, None, Status.NOT_ANALYSED
        )
    value = ShareRange(
        MassFraction(sum(s.low.fraction for s in present)),
        MassFraction(sum(s.high.fraction for s in present)),
    )
    headroom = limit.high.fraction - value.high.fraction
    status = Status.TOO_HIGH if headroom < -1e-12 else Status.OK
    return ElementCheck(
        limit.label, f"≤ {limit.high.percent:.4g} wt-%", value, MassFraction(headroom), status
    )


def _check_others(composition: Composition, spec: Specification) -> list[ElementCheck]:
    others = [e for e in composition.elements if e not in spec.named_elements]
    lines = []
    for element in others:
        value = composition[element]
        if spec.others_each is not None:
            headroom = spec.others_each.fraction - value.high.fraction
            status = Status.TOO_HIGH if headroom < -1e-12 else Status.OK
            lines.append(
                ElementCheck(
                    element,
                    f"≤ {spec.others_each.percent:.4g} wt-% (each)",
                    value,
                    MassFraction(headroom),
                    status,
                )
            )
        elif spec.closed and value.low > UNLISTED_THRESHOLD:
            lines.append(
                ElementCheck(
                    element,
                    "not part of this specification",
                    value,
                    MassFraction(UNLISTED_THRESHOLD.fraction - value.low.fraction),
                    Status.UNEXPECTED,
                )
            )
    if spec.others_total is not None and others:
        total = sum(composition[e].high.fraction for e in others)
        headroom = spec.others_total.fraction - total
        value = ShareRange(
            MassFraction(sum(composition[e].low.fraction for e in others)), MassFraction(total)
        )
        lines.append(
            ElementCheck(
                "others",
                f"≤ {spec.others_total.percent:.4g} wt-% (total)",
                value,
                MassFraction(headroom),
                Status.TOO_HIGH if headroom < -1e-12 else Status.OK,
            )
        )
    return lines


def _max_share(composition: Composition, spec: Specification) -> float | None:
    """Largest share of the material in a charge diluted with base metal, or ``None``."""
    if not spec.balance:
        return None
    upper = 1.0
    for limit in spec.limits:
        value = composition.get(limit.element)
        if limit.high is not None and value is not None and value.high.fraction > 0:
            upper = min(upper, limit.high.fraction / value.high.fraction)
    for s in spec.sum_limits:
        total = sum(composition[e].high.fraction for e in s.elements if e in composition)
        if total > 0:
            upper = min(upper, s.high.fraction / total)
    others = [e for e in composition.elements if e not in spec.named_elements]
    if spec.others_each is not None:
        for e in others:
            if composition[e].high.fraction > 0:
                upper = min(upper, spec.others_each.fraction / composition[e].high.fraction)
    if spec.others_total is not None and others:
        total = sum(composition[e].high.fraction for e in others)
        if total > 0:
            upper = min(upper, spec.others_total.fraction / total)
    lower = 0.0
    for limit in spec.limits:
        value = composition.get(limit.element)
        if limit.low is not None and limit.low.fraction > 0 and value is not None:
            if value.low.fraction <= 0:
                return None
            lower = max(lower, limit.low.fraction / value.low.fraction)
    return upper if upper > 0 and upper >= lower - 1e-12 else None
