"""Quantities with units, so that a unit error cannot pass unnoticed.

Masses and mass fractions are separate types. They convert only through named properties
(``mass.t``, ``mass.kg``, ``share.wt_pct``, ``share.ppm``), combine only with their own kind,
and refuse bare numbers where a quantity is expected: ``Mass.t(3) + 2`` raises ``TypeError``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import total_ordering


class UnitError(TypeError):
    """A quantity was combined with a bare number or a quantity of another kind."""


def _finite(value: float, what: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return number


@total_ordering
@dataclass(frozen=True, slots=True)
class Mass:
    """A mass. Stored in kilograms; build with :meth:`t` or :meth:`kg`.

    Parameters
    ----------
    kilograms : float
        Mass [kg].
    """

    kilograms: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "kilograms", _finite(self.kilograms, "a mass"))

    @classmethod
    def t(cls, tonnes: float) -> Mass:
        """Mass from tonnes [t]."""
        return cls(_finite(tonnes, "a mass") * 1000.0)

    @classmethod
    def kg(cls, kilograms: float) -> Mass:
        """Mass from kilograms [kg]."""
        return cls(kilograms)

    @property
    def tonnes(self) -> float:
        """The mass [t]."""
        return self.kilograms / 1000.0

    def _same(self, other: object) -> Mass:
        if not isinstance(other, Mass):
            raise UnitError(f"a mass cannot be combined with {other!r}; give it as Mass.t(...)")
        return other

    def __add__(self, other: object) -> Mass:
        return Mass(self.kilograms + self._same(other).kilograms)

    def __radd__(self, other: object) -> Mass:
        if other == 0:  # lets sum() start from 0
            return self
        return self.__add__(other)

    def __sub__(self, other: object) -> Mass:
        return Mass(self.kilograms - self._same(other).kilograms)

    def __mul__(self, factor: object) -> Mass:
        if isinstance(factor, Mass | MassFraction) or not isinstance(factor, int | float):
            raise UnitError(f"a mass can only be scaled by a plain number, not {factor!r}")
        return Mass(self.kilograms * factor)

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> float:
        """The ratio of two masses [-]."""
        return self.kilograms / self._same(other).kilograms

    def __lt__(self, other: object) -> bool:
        return self.kilograms < self._same(other).kilograms

    def __neg__(self) -> Mass:
        return Mass(-self.kilograms)

    def __str__(self) -> str:
        return f"{self.tonnes:g} t" if abs(self.kilograms) >= 1000 else f"{self.kilograms:g} kg"


PPM_PER_WT_PCT = 10_000.0
"""1 wt-% = 10 000 ppm (by mass)."""


@total_ordering
@dataclass(frozen=True, slots=True)
class MassFraction:
    """A mass fraction (share by weight). Stored as a fraction 0..1; build with
    :meth:`wt_pct` or :meth:`ppm`.

    Parameters
    ----------
    fraction : float
        Mass fraction [-].
    """

    fraction: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "fraction", _finite(self.fraction, "a mass fraction"))

    @classmethod
    def wt_pct(cls, percent: float) -> MassFraction:
        """Mass fraction from percent by weight [wt-%]."""
        return cls(_finite(percent, "a mass fraction") / 100.0)

    @classmethod
    def ppm(cls, parts: float) -> MassFraction:
        """Mass fraction from parts per million by mass [ppm]."""
        return cls(_finite(parts, "a mass fraction") / 1_000_000.0)

    @property
    def percent(self) -> float:
        """The fraction [wt-%]."""
        return self.fraction * 100.0

    @property
    def parts_per_million(self) -> float:
        """The fraction [ppm]."""
        return self.fraction * 1_000_000.0

    def _same(self, other: object) -> MassFraction:
        if not isinstance(other, MassFraction):
            raise UnitError(
                f"a mass fraction cannot be combined with {other!r}; "
                "give it as MassFraction.wt_pct(...)"
            )
        return other

    def __add__(self, other: object) -> MassFraction:
        return MassFraction(self.fraction + self._same(other).fraction)

    def __radd__(self, other: object) -> MassFraction:
        if other == 0:
            return self
        return self.__add__(other)

    def __sub__(self, other: object) -> MassFraction:
        return MassFraction(self.fraction - self._same(other).fraction)

    def __mul__(self, factor: object) -> MassFraction:
        if isinstance(factor, Mass | MassFraction) or not isinstance(factor, int | float):
            raise UnitError(
                f"a mass fraction can only be scaled by a plain number, not {factor!r}; "
                "use share.of(mass) for the mass of a constituent"
            )
        return MassFraction(self.fraction * factor)

    __rmul__ = __mul__

    def of(self, mass: Mass) -> Mass:
        """The mass of the constituent in ``mass`` of material [kg]."""
        if not isinstance(mass, Mass):
            raise UnitError(f"share.of() takes a Mass, not {mass!r}")
        return Mass(mass.kilograms * self.fraction)

    def __lt__(self, other: object) -> bool:
        return self.fraction < self._same(other).fraction

    def __str__(self) -> str:
        return f"{self.percent:.4g} wt-%"


ZERO = MassFraction(0.0)
WHOLE = MassFraction(1.0)
