"""The entries of the knowledge base: one frozen value object per kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from metalloop.core.materials.composition import Composition
from metalloop.core.materials.provenance import Provenance, Wording
from metalloop.core.materials.specification import Diluent, Specification


class Kind(StrEnum):
    """The parts of the knowledge base (also the path segment of the API)."""

    ELEMENTS = "elements"
    MATERIALS = "materials"
    ALLOYS = "alloys"
    SCRAP_GRADES = "scrap-grades"
    WASTE_CODES = "waste-codes"
    CUSTOMS_CODES = "customs-codes"
    CROSSWALK = "crosswalk"
    END_OF_WASTE = "end-of-waste"
    EMISSION_FACTORS = "emission-factors"
    R_STRATEGIES = "r-strategies"
    DILUENTS = "diluents"
    PROCESS_TYPES = "process-types"


@dataclass(frozen=True, slots=True)
class Entry:
    """What every entry has: a stable code, names in both languages, its provenance."""

    code: str
    kind: Kind
    name_de: str
    name_en: str
    provenance: Provenance

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_de


@dataclass(frozen=True, slots=True)
class Element(Entry):
    symbol: str = ""
    number: int = 0
    atomic_mass: float = 0.0
    """Standard atomic weight [g/mol]."""


@dataclass(frozen=True, slots=True)
class Material(Entry):
    parent: str = ""
    description_de: str = ""
    description_en: str = ""


@dataclass(frozen=True, slots=True)
class Graded(Entry):
    """An alloy or a scrap grade: a designation with a chemistry specification."""

    designation: str = ""
    aliases: tuple[str, ...] = ()
    material: str = ""
    specification: Specification = field(default_factory=lambda: Specification(code=""))
    description_de: str = ""
    description_en: str = ""
    bulk_density_t_m3: tuple[float, float] | None = None
    """Bulk density range [t/m³]."""
    metal_yield_pct: float | None = None
    """Metal yield [%]."""


@dataclass(frozen=True, slots=True)
class WasteCode(Entry):
    number: str = ""
    level: str = "entry"
    hazardous: bool = False
    mirror: str = ""
    parent: str = ""
    materials: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomsCode(Entry):
    number: str = ""
    level: str = "heading"
    parent: str = ""
    materials: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CrosswalkLink(Entry):
    material: str = ""
    waste_codes: tuple[str, ...] = ()
    scrap_grades: tuple[str, ...] = ()
    customs_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Criterion:
    """One end-of-waste criterion; ``check`` is ``max_share`` or ``declaration``.

    A ``max_share`` criterion limits ``attribute`` to ``max_wt_pct`` [wt-%] (``strict``: below
    it, not up to it); it is also met when the metal yield reaches ``or_min_yield_pct`` [%],
    where the regulation allows that alternative (aluminium scrap).
    """

    id: str
    text_de: str
    text_en: str
    check: str
    attribute: str
    max_wt_pct: float | None = None
    strict: bool = False
    or_min_yield_pct: float | None = None


@dataclass(frozen=True, slots=True)
class EndOfWasteRule(Entry):
    regulation: Wording = field(default_factory=Wording)
    annex: str = ""
    materials: tuple[str, ...] = ()
    criteria: tuple[Criterion, ...] = ()


@dataclass(frozen=True, slots=True)
class EmissionFactor(Entry):
    activity: str = ""
    material: str = ""
    route: str = ""
    value: float = 0.0
    unit: str = ""
    year: int = 0
    region: str = ""
    boundary: str = ""


@dataclass(frozen=True, slots=True)
class RStrategy(Entry):
    number: int = 0
    definition_de: str = ""
    definition_en: str = ""


@dataclass(frozen=True, slots=True)
class CleanBase(Entry):
    """The clean material a melt of one base metal is thinned with, and its analysis.

    ``analysis`` gives the shares the source guarantees at most (``[0, max]``) or reports as
    a range [-]; an element it does not list counts as absent.
    """

    balance: str = ""
    material: str = ""
    analysis: Composition = field(default_factory=Composition)
    description_de: str = ""
    description_en: str = ""

    def diluent(self) -> Diluent:
        """The diluent of the chemistry check."""
        return Diluent(self.code, self.analysis)


@dataclass(frozen=True, slots=True)
class ProcessType(Entry):
    """A kind of process a processor runs (shredding, cable granulation, remelting, ...).

    ``inputs`` are the materials it typically takes, ``products`` what it is run for and
    ``co_products`` what it yields besides (all ``MAT:`` codes); ``r_strategy`` is the
    ``R:`` code of the circularity strategy it serves; ``competence`` the slug of the
    matching competence of the network registry, if any.
    """

    description_de: str = ""
    description_en: str = ""
    inputs: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    co_products: tuple[str, ...] = ()
    r_strategy: str = ""
    competence: str = ""
