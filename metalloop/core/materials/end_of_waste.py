"""Check a lot against the EU end-of-waste criteria (Regulations 333/2011 and 715/2013)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from metalloop.core.materials.entries import Criterion, EndOfWasteRule
from metalloop.core.units import MassFraction


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class LotFacts:
    """What the holder knows and declares about a lot.

    Parameters
    ----------
    foreign_materials : MassFraction or None
        Share of foreign materials by weight [-], ``None`` when not determined.
    metal_yield : MassFraction or None
        Metal yield on melting [-], ``None`` when not determined.
    declarations : frozenset of str
        The declaration attributes the holder confirms (e.g. ``"no_visible_oil"``).
    """

    foreign_materials: MassFraction | None = None
    metal_yield: MassFraction | None = None
    declarations: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CriterionOutcome:
    criterion: Criterion
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class EndOfWasteResult:
    """``outcome`` is met only when every criterion is met; unknown when any is undetermined."""

    rule: str
    outcome: Outcome
    criteria: tuple[CriterionOutcome, ...]

    @property
    def open_criteria(self) -> tuple[str, ...]:
        return tuple(c.criterion.id for c in self.criteria if c.outcome is not Outcome.MET)


def check_end_of_waste(rule: EndOfWasteRule, facts: LotFacts) -> EndOfWasteResult:
    """Evaluate every criterion of ``rule`` for a lot; the rule is met when all are."""
    outcomes = tuple(CriterionOutcome(c, _evaluate(c, facts)) for c in rule.criteria)
    return EndOfWasteResult(rule.code, _combine(o.outcome for o in outcomes), outcomes)


def _evaluate(criterion: Criterion, facts: LotFacts) -> Outcome:
    if criterion.check == "declaration":
        return Outcome.MET if criterion.attribute in facts.declarations else Outcome.UNKNOWN
    limit = criterion.max_wt_pct
    share = facts.foreign_materials
    if share is not None and limit is not None:
        within = share.percent < limit if criterion.strict else share.percent <= limit + 1e-12
        if within:
            return Outcome.MET
    if _yield_suffices(criterion, facts):
        return Outcome.MET
    return Outcome.UNKNOWN if share is None else Outcome.NOT_MET


def _yield_suffices(criterion: Criterion, facts: LotFacts) -> bool:
    """The regulation's alternative for aluminium: enough metal yield instead of purity."""
    alternative, metal_yield = criterion.or_min_yield_pct, facts.metal_yield
    return (
        alternative is not None
        and metal_yield is not None
        and metal_yield.percent >= alternative - 1e-12
    )


def _combine(outcomes: Iterable[Outcome]) -> Outcome:
    seen = set(outcomes)
    if Outcome.NOT_MET in seen:
        return Outcome.NOT_MET
    return Outcome.UNKNOWN if Outcome.UNKNOWN in seen else Outcome.MET
