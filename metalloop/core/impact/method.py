"""The method by which metalloop counts the CO2 a match saves.

Per tonne of secondary material delivered, the saving is the production emission avoided
(primary route minus secondary route, or the whole primary route when a used component is
reused instead of made anew) minus the freight emission over the road distance. A report
then applies the network's deadweight share (what would have happened anyway) and its
attribution share (the part credited to the network). docs/impact-method.md explains the
choices; every factor carries the code of its knowledge-base entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

REUSE_STRATEGIES = frozenset({"R:0", "R:1", "R:2", "R:3", "R:4", "R:5", "R:6", "R:7"})
"""R-ladder steps that keep a product or part in use: it replaces a new one, so the whole
primary production is avoided (the emissions of repair or remanufacturing are not counted;
no sourced factor exists for them)."""
RECYCLING_STRATEGIES = frozenset({"R:8"})
"""Material recycling: secondary replaces primary production of the same metal."""


class MethodError(ValueError):
    """An impact method that contradicts itself (shares outside [0, 1], missing factors)."""


@dataclass(frozen=True, slots=True)
class Factor:
    """One emission factor as the method uses it.

    Parameters
    ----------
    code : str
        Knowledge-base code, e.g. ``"EF:steel-bf-bof-world-2021"``.
    value : float
        The factor in the method's unit: [t CO2e/t] for production, [t CO2e/(t·km)] for
        freight.
    confidence : str
        ``standard``, ``secondary`` or ``estimate``.
    confirmed : bool
        ``False`` when the figure could not be checked against its source.
    """

    code: str
    value: float
    confidence: str = "secondary"
    confirmed: bool = True


@dataclass(frozen=True, slots=True)
class Substitution:
    """Which production a tonne of secondary material of ``material`` replaces.

    ``primary`` and ``secondary`` are production factors [t CO2e/t].
    """

    material: str
    primary: Factor
    secondary: Factor

    def saving_per_tonne(self, r_strategy: str) -> float:
        """Production emission avoided per tonne delivered [t CO2e/t].

        Notes
        -----
        Reuse (R0–R7) avoids the primary production, :math:`e_p`; recycling (R8) replaces it
        with secondary production, :math:`e_p - e_s`; recovery (R9) is counted as 0.
        """
        if r_strategy in REUSE_STRATEGIES:
            return self.primary.value
        if r_strategy in RECYCLING_STRATEGIES:
            return self.primary.value - self.secondary.value
        return 0.0


@dataclass(frozen=True)
class ImpactMethod:
    """Everything the accounting needs, with the provenance of each number.

    Parameters
    ----------
    substitutions : Mapping of str to Substitution
        By taxonomy code; a material without its own entry uses its nearest ancestor's.
    freight : Mapping of str to Factor
        By transport mode (``road``, ``rail``, ``inland_waterway``, ``sea``) [t CO2e/(t·km)].
    detour : Factor
        Route distance per great-circle distance [-].
    deadweight : float
        Share of exchanges that would have happened without the network [-].
    attribution : float
        Share of the remaining saving credited to the network [-].
    """

    substitutions: Mapping[str, Substitution]
    freight: Mapping[str, Factor]
    detour: Factor
    deadweight: float = 0.0
    attribution: float = 1.0
    ancestors: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, share in (("deadweight", self.deadweight), ("attribution", self.attribution)):
            if not 0.0 <= share <= 1.0:
                raise MethodError(f"the {name} share must lie between 0 and 1")
        if self.detour.value < 1.0:
            raise MethodError("a route cannot be shorter than the great circle")
        if "road" not in self.freight:
            raise MethodError("the method needs a road freight factor")

    def substitution_for(
        self, material: str, ancestors: Sequence[str] | None = None
    ) -> Substitution | None:
        """The substitution of ``material`` or of its nearest ancestor, if any is known.

        ``ancestors`` (nearest first) default to the method's own taxonomy.
        """
        lineage = self.ancestors.get(material, ()) if ancestors is None else ancestors
        for code in (material, *lineage):
            if code in self.substitutions:
                return self.substitutions[code]
        return None

    def road_km(self, great_circle_km: float) -> float:
        """Route distance estimated from the great-circle distance [km]."""
        return great_circle_km * self.detour.value

    def freight_per_tonne(self, mode: str, great_circle_km: float) -> float:
        """Freight emission of one tonne over the route [t CO2e/t]."""
        return self.freight[mode].value * self.road_km(great_circle_km)

    def with_shares(self, *, deadweight: float, attribution: float) -> ImpactMethod:
        """The same method with a network's own deadweight and attribution shares."""
        return ImpactMethod(
            self.substitutions, self.freight, self.detour, deadweight, attribution, self.ancestors
        )


@dataclass(frozen=True, slots=True)
class Leg:
    """One transport leg: mode and great-circle distance [km]."""

    mode: str
    great_circle_km: float


@dataclass(frozen=True, slots=True)
class ExchangeImpact:
    """The CO2 account of one exchange (all [t CO2e] except ``tonnes`` [t]).

    ``known`` is ``False`` when no substitution is known for the material: then the saving is
    0 and the account shows only tonnes and freight.
    """

    tonnes: float
    material: str
    r_strategy: str
    known: bool
    production_saved: float
    freight: float
    gross: float
    deadweight: float
    net: float
    attributed: float
    substitution: Substitution | None
    legs: tuple[Leg, ...]
    freight_factors: tuple[Factor, ...]

    @property
    def unconfirmed(self) -> bool:
        """Whether any factor used is unconfirmed or only an estimate."""
        factors = list(self.freight_factors)
        if self.substitution is not None:
            factors += [self.substitution.primary, self.substitution.secondary]
        return any(not f.confirmed or f.confidence == "estimate" for f in factors)


def exchange_impact(
    method: ImpactMethod,
    *,
    tonnes: float,
    material: str,
    r_strategy: str,
    legs: Sequence[Leg],
) -> ExchangeImpact:
    """Account one exchange of ``tonnes`` [t] of ``material`` over ``legs``.

    Notes
    -----
    :math:`G = m\\,s - \\sum_k m\\,f_k\\,c\\,d_k` with the saving per tonne :math:`s`, the
    freight factor :math:`f_k` of leg :math:`k`, the detour factor :math:`c` and the
    great-circle distance :math:`d_k`; then :math:`N = G\\,(1 - w)` with the deadweight share
    :math:`w`, and the attributed saving :math:`A = N\\,a`.
    """
    if tonnes < 0:
        raise MethodError("an exchange cannot move a negative quantity")
    substitution = method.substitution_for(material)
    saving = substitution.saving_per_tonne(r_strategy) if substitution else 0.0
    freight = sum(tonnes * method.freight_per_tonne(leg.mode, leg.great_circle_km) for leg in legs)
    production = tonnes * saving
    gross = production - freight
    deadweight = gross * method.deadweight
    net = gross - deadweight
    return ExchangeImpact(
        tonnes=tonnes,
        material=material,
        r_strategy=r_strategy,
        known=substitution is not None,
        production_saved=production,
        freight=freight,
        gross=gross,
        deadweight=deadweight,
        net=net,
        attributed=net * method.attribution,
        substitution=substitution,
        legs=tuple(legs),
        freight_factors=tuple(method.freight[leg.mode] for leg in legs),
    )
