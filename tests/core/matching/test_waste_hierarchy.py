"""The waste hierarchy comes before the score: reuse and remanufacturing before recycling
before recovery, for one offer's ranking and in the allocation, whatever the objective."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metalloop.core.matching.allocation import FlowProblem, allocate
from metalloop.core.matching.engine import match
from metalloop.core.matching.index import ListingIndex
from metalloop.core.matching.scoring import Objective, hierarchy_level

from .builders import ANCESTORS, DORTMUND, DUISBURG, ESSEN, METHOD, PERIOD, demand, offer, problem

GEARBOX = offer("gearbox", 12, material="MAT:steel-non-alloy", location=DUISBURG)
# The foundry wants what the gearbox offers, nearby; the remanufacturer takes far more than
# one lot and sits further away, so the foundry's quantity fit and route make its score higher.
FOUNDRY = demand("foundry", 12, r_strategy="R:8", location=ESSEN)
REMANUFACTURER = demand("remanufacturer", 400, r_strategy="R:6", location=DORTMUND)


def test_levels_follow_the_ladder() -> None:
    assert [hierarchy_level(f"R:{n}") for n in range(10)] == [1] * 8 + [2, 3]
    assert hierarchy_level("unknown") == 3


def test_the_foundry_scores_higher_yet_the_remanufacturer_ranks_first() -> None:
    index = ListingIndex(
        [], [FOUNDRY, REMANUFACTURER], period=PERIOD, method=METHOD, ancestors=ANCESTORS
    )
    found = {c.key: c for c in index.demands_for(GEARBOX)}
    assert found["foundry"].score > found["remanufacturer"].score
    assert [c.key for c in index.demands_for(GEARBOX)] == ["remanufacturer", "foundry"]


@pytest.mark.parametrize("objective", list(Objective))
def test_the_gearbox_goes_to_the_remanufacturer_under_every_objective(objective) -> None:
    result = match(problem([GEARBOX], [FOUNDRY, REMANUFACTURER], objective=objective))
    (proposal,) = result.proposals
    assert proposal.demand == "remanufacturer"
    assert proposal.tonnes == pytest.approx(12)


def test_without_the_remanufacturer_the_foundry_gets_it() -> None:
    (proposal,) = match(problem([GEARBOX], [FOUNDRY])).proposals
    assert proposal.demand == "foundry"


def test_levels_decide_only_between_competing_tonnes_and_gains_decide_the_rest() -> None:
    """One offer of 10 t, two arcs: recycling gains 5 per tonne, reuse 1. Reuse takes all it
    can (6 t); the rest goes to recycling. Without levels the gain would take everything."""
    problem_ = FlowProblem(
        row_upper=np.array([10.0, 6.0, 10.0]),
        row_is_balance=np.zeros(3, dtype=bool),
        arc_rows=np.array([[0, 1, -1], [0, 2, -1]]),
        arc_coefficients=np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]]),
        arc_upper=np.array([10.0, 10.0]),
        arc_gain=np.array([1.0, 5.0]),
        arc_level=np.array([1, 2], dtype=np.int8),
    )
    assert allocate(problem_).flow == pytest.approx([6.0, 4.0])
    plain = FlowProblem(**{**problem_.__dict__, "arc_level": None})
    assert allocate(plain).flow == pytest.approx([0.0, 10.0])


def test_a_use_worth_nothing_is_not_forced_by_its_level() -> None:
    """Levels rank uses that are worth doing; an arc with no gain stays empty."""
    problem_ = FlowProblem(
        row_upper=np.array([10.0, 10.0, 10.0]),
        row_is_balance=np.zeros(3, dtype=bool),
        arc_rows=np.array([[0, 1, -1], [0, 2, -1]]),
        arc_coefficients=np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]]),
        arc_upper=np.array([10.0, 10.0]),
        arc_gain=np.array([-0.5, 2.0]),
        arc_level=np.array([1, 2], dtype=np.int8),
    )
    assert allocate(problem_).flow == pytest.approx([0.0, 10.0])


@settings(max_examples=200, deadline=None)
@given(
    st.floats(1, 100),
    st.lists(
        st.tuples(st.floats(0.5, 50), st.sampled_from([1, 2, 3]), st.floats(0.01, 1000)),
        min_size=2,
        max_size=6,
    ),
)
def test_one_offer_fills_its_uses_by_level_first_then_by_gain(supply, sinks) -> None:
    """One offer and uses of random capacity, level and gain: the allocation fills them in the
    order of the waste hierarchy, and within a level by gain, as a greedy choice would."""
    count = len(sinks)
    problem_ = FlowProblem(
        row_upper=np.array([supply, *(capacity for capacity, _, _ in sinks)]),
        row_is_balance=np.zeros(count + 1, dtype=bool),
        arc_rows=np.array([[0, 1 + k, -1] for k in range(count)]),
        arc_coefficients=np.array([[1.0, 1.0, 0.0]] * count),
        arc_upper=np.array([capacity for capacity, _, _ in sinks]),
        arc_gain=np.array([gain for _, _, gain in sinks]),
        arc_level=np.array([level for _, level, _ in sinks], dtype=np.int8),
    )
    flow = allocate(problem_).flow
    left = supply
    expected = np.zeros(count)
    for k in sorted(range(count), key=lambda k: (sinks[k][1], -sinks[k][2])):
        expected[k] = min(sinks[k][0], left)
        left -= expected[k]
    # Equal gains within a level may share the tonnes either way; compare per (level, gain).
    for key in {(level, gain) for _, level, gain in sinks}:
        same = [k for k in range(count) if (sinks[k][1], sinks[k][2]) == key]
        assert flow[same].sum() == pytest.approx(expected[same].sum(), abs=1e-6)
