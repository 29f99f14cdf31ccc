"""Specifications (alloys and scrap grades) and the check of a composition against one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from metalloop.core.materials.composition import Composition, ShareRange
from metalloop.core.materials.dilution import TOLERANCE, largest_share, share_bounds
from metalloop.core.units import MassFraction

ZERO_SHARE = MassFraction(0.0)

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
class Diluent:
    """The clean material of the same base metal a melt is thinned with.

    ``composition`` is its analysis; the check takes its upper bounds against maxima and its
    lower bounds against minima (the worst case). An element it does not list counts as 0.
    """

    code: str
    composition: Composition


PURE_BASE = Diluent("", Composition({}))
"""The diluent assumed where the knowledge base has none for a base metal: the base metal
itself, free of every other element (the explanation says so)."""


@dataclass(frozen=True, slots=True)
class Addition:
    """An alloying addition: pure element (or its equivalent in a master alloy or
    ferro-alloy) per tonne of the lot [kg/t]."""

    element: str
    kg_per_t: float


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
    diluent : Diluent or None
        What the melt is thinned with where maxima are exceeded; ``None`` for the pure base
        metal (``PURE_BASE``). Dilution needs a ``balance``.
    alloying : bool
        Whether a shortfall may be made up by alloying additions (a melt shop's check of a
        lot against a grade); ``False`` where the receiver takes the lot as it is.
    """

    code: str
    balance: str = ""
    limits: tuple[Limit, ...] = ()
    sum_limits: tuple[SumLimit, ...] = ()
    others_each: MassFraction | None = None
    others_total: MassFraction | None = None
    closed: bool = True
    diluent: Diluent | None = None
    alloying: bool = False

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
    FITS_AFTER_ALLOYING = "fits_after_alloying"
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
    the ``diluent`` (a knowledge-base code; ``""`` for the pure base metal) that meets every
    limit, ``dilution`` the share of diluent needed (``1 - max_share``); both ``None`` unless
    the verdict is ``fits_after_dilution``. ``additions`` are the least alloying additions
    that make up the shortfalls when the verdict is ``fits_after_alloying``.
    """

    code: str
    verdict: Verdict
    lines: tuple[ElementCheck, ...]
    failing: tuple[str, ...]
    max_share: float | None = None
    dilution: float | None = None
    diluent: str = ""
    additions: tuple[Addition, ...] = ()

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
    is reported as not analysed and does not fail.

    Exceeded maxima can be cured by dilution: a charge of the share :math:`f` of the lot and
    :math:`1 - f` of the diluent holds :math:`f w_e + (1 - f) d_e` of each element, with the
    diluent's analysis :math:`d` (0 for the pure base metal). Each limit is a linear bound on
    :math:`f` (``dilution.share_bounds``); the largest admissible :math:`f` is the lot's share.

    Shortfalls of elements other than the balance can be made up by alloying where the
    specification allows it (``alloying``): see ``_alloying``. A lot needing both dilution
    and alloying, an unexpected element or an element missing from the analysis does not fit.
    """
    lines = _lines(composition, spec)
    failing = tuple(
        line.subject for line in lines if line.status not in (Status.OK, Status.NOT_ANALYSED)
    )
    if not failing:
        return CheckResult(spec.code, Verdict.FITS, lines, ())
    statuses = {line.status for line in lines if line.subject in failing}
    if statuses == {Status.TOO_HIGH} and spec.balance:
        diluent = spec.diluent or PURE_BASE
        share = largest_share(share_bounds(composition, spec, diluent.composition))
        if share is not None:
            return CheckResult(
                spec.code,
                Verdict.FITS_AFTER_DILUTION,
                lines,
                failing,
                share,
                1.0 - share,
                diluent.code,
            )
    if statuses == {Status.TOO_LOW} and spec.alloying and spec.balance:
        additions = _alloying(composition, spec, failing)
        if additions:
            return CheckResult(
                spec.code, Verdict.FITS_AFTER_ALLOYING, lines, failing, additions=additions
            )
    return CheckResult(spec.code, Verdict.DOES_NOT_FIT, lines, failing)


def _lines(composition: Composition, spec: Specification) -> tuple[ElementCheck, ...]:
    return (
        *(_check_limit(composition, limit) for limit in spec.limits),
        *(_check_sum(composition, limit) for limit in spec.sum_limits),
        *_check_others(composition, spec),
    )


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


def _alloying(
    composition: Composition, spec: Specification, short: Iterable[str]
) -> tuple[Addition, ...]:
    """The least additions of pure elements that lift every shortfall to its minimum.

    Notes
    -----
    Adding :math:`x_e` [t per t of lot] of the elements :math:`S` gives the shares
    :math:`(w_e + x_e) / (1 + X)` with :math:`X = \\sum_S x_e`. Lifting each to its minimum
    :math:`l_e` gives :math:`X = (L - W) / (1 - L)` with :math:`L = \\sum_S l_e`,
    :math:`W = \\sum_S w_e` (lower bounds of the analysis), and :math:`x_e = l_e (1 + X) -
    w_e`. The additions thin every other element by :math:`1 + X`; a minimum that falls short
    then joins :math:`S`. The alloyed analysis must pass the whole check, else there is no
    answer (an empty tuple).
    """
    minima = {
        limit.element: limit.low.fraction
        for limit in spec.limits
        if limit.low is not None and limit.element != spec.balance
    }
    raised = set(short)
    if not raised <= set(minima):
        return ()
    while True:
        total = _total_addition(composition, minima, raised)
        if total is None:
            return ()
        thinned = {
            e
            for e, minimum in minima.items()
            if e not in raised
            and e in composition
            and composition[e].low.fraction / (1 + total) < minimum - TOLERANCE
        }
        if not thinned:
            break
        raised |= thinned
    additions = {e: minima[e] * (1 + total) - _low(composition, e) for e in sorted(raised)}
    alloyed = _alloyed(composition, additions, total)
    if check(alloyed, replace(spec, alloying=False)).verdict is not Verdict.FITS:
        return ()
    return tuple(Addition(e, round(x * 1000, 6)) for e, x in additions.items())


def _low(composition: Composition, element: str) -> float:
    return composition[element].low.fraction if element in composition else 0.0


def _total_addition(
    composition: Composition, minima: Mapping[str, float], raised: Iterable[str]
) -> float | None:
    """:math:`X` for the raised elements, or ``None`` if their minima leave no room."""
    target = sum(minima[e] for e in raised)
    present = sum(_low(composition, e) for e in raised)
    if target >= 1 - TOLERANCE:
        return None
    return max((target - present) / (1 - target), 0.0)


def _alloyed(composition: Composition, additions: Mapping[str, float], total: float) -> Composition:
    """The lot's analysis after the additions, every range thinned by :math:`1 + X`."""
    scale = 1 + total
    shares = {}
    for element in set(composition.elements) | set(additions):
        added = additions.get(element, 0.0)
        share = composition.get(element) or ShareRange(ZERO_SHARE, ZERO_SHARE)
        shares[element] = ShareRange(
            MassFraction((share.low.fraction + added) / scale),
            MassFraction((share.high.fraction + added) / scale),
        )
    return Composition(shares)
