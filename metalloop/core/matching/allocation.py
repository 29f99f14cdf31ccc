"""The network-wide allocation: a linear programme over the candidate arcs.

Rows are the nodes: an offer's supply (at most what it has), a sink's capacity (at most what
it takes), a balance per pool (what leaves equals what joins), and per processor a balance of
its throughput (what it processes equals what enters) and one row per output (what leaves
is at most the yield times the throughput). Columns are the arcs, bounded by what can pass
in the common time window, and each processor's processing columns. The objective is the
sum of the arcs' gains per tonne times their tonnes. Independent parts of the network
(connected components) are solved one by one; the optimum is the same as over the whole.
Infeasibility cannot arise (all-zero is always feasible); any other solver outcome is
reported as the status, never raised.

The model is built in small steps from a frozen problem, as in PyPSA and linopy:
``define_variables``, ``define_node_rows``, ``define_objective``, then ``build_model``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_array, csc_array
from scipy.sparse.csgraph import connected_components

FLOW_EPSILON = 1e-7
"""Flows below this are zero [t] (solver tolerance)."""


@dataclass(frozen=True)
class FlowProblem:
    """A frozen, validated allocation problem.

    Parameters
    ----------
    row_upper : array
        Right-hand side per row [t]; 0 for balance rows.
    row_is_balance : array of bool
        Equality rows (pools, processors' throughput and links).
    arc_rows : array, shape (arcs, 3)
        Up to three rows each arc touches (``-1`` for none).
    arc_coefficients : array, shape (arcs, 3)
        The arc's coefficient in each of those rows.
    arc_upper : array
        Most the arc can carry [t].
    arc_gain : array
        Objective gain per tonne on the arc [objective unit / t].
    arc_level : array of int, optional
        Waste-hierarchy level of the use an arc delivers to (1 product, 2 recycling,
        3 recovery; ``scoring.hierarchy_level``), 0 for arcs that deliver to no use (into a
        pool or a processor, processing). Where arcs of several levels compete, a better
        level comes first, whatever the gains (``level_weighted_gain``).
    """

    row_upper: NDArray[np.float64]
    row_is_balance: NDArray[np.bool_]
    arc_rows: NDArray[np.int64]
    arc_coefficients: NDArray[np.float64]
    arc_upper: NDArray[np.float64]
    arc_gain: NDArray[np.float64]
    arc_level: NDArray[np.int8] | None = None

    def __post_init__(self) -> None:
        arcs = len(self.arc_gain)
        if self.arc_level is not None and len(self.arc_level) != arcs:
            raise ValueError("each arc needs a level (0 for none)")
        if self.arc_rows.shape != (arcs, 3) or self.arc_coefficients.shape != (arcs, 3):
            raise ValueError("each arc names three rows and three coefficients")
        if len(self.arc_upper) != arcs:
            raise ValueError("each arc needs an upper bound")
        if (self.arc_upper < 0).any() or (self.row_upper < 0).any():
            raise ValueError("bounds cannot be negative")
        if not np.isfinite(self.arc_gain).all():
            raise ValueError("gains must be finite")
        if self.arc_rows.max(initial=-1) >= len(self.row_upper):
            raise ValueError("an arc names a row that does not exist")

    @property
    def arcs(self) -> int:
        return len(self.arc_gain)

    @property
    def rows(self) -> int:
        return len(self.row_upper)

    def matrix(self) -> csc_array:
        """The constraint matrix, rows × arcs."""
        used = self.arc_rows >= 0
        cols = np.broadcast_to(np.arange(self.arcs)[:, None], self.arc_rows.shape)[used]
        return coo_array(
            (self.arc_coefficients[used], (self.arc_rows[used], cols)),
            shape=(self.rows, self.arcs),
        ).tocsc()


class Status(StrEnum):
    OPTIMAL = "optimal"
    EMPTY = "empty"
    FAILED = "failed"


@dataclass(frozen=True)
class Allocation:
    """Tonnes per arc [t], the objective value, and how the solve went."""

    flow: NDArray[np.float64]
    objective: float
    status: Status
    components: int
    detail: str = ""
    solved_rows: int = 0
    solved_arcs: int = 0
    messages: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class _Model:
    """A HiGHS linear programme under construction."""

    lp: highspy.HighsLp


def define_variables(model: _Model, problem: FlowProblem) -> None:
    """One variable per arc, 0 ≤ x ≤ the arc's upper bound."""
    model.lp.num_col_ = problem.arcs
    model.lp.col_lower_ = np.zeros(problem.arcs)
    model.lp.col_upper_ = problem.arc_upper.astype(float)


def define_node_rows(model: _Model, problem: FlowProblem) -> None:
    """Supply and capacity rows bounded above, balance rows fixed at 0."""
    model.lp.num_row_ = problem.rows
    model.lp.row_lower_ = np.where(problem.row_is_balance, 0.0, -highspy.kHighsInf)
    model.lp.row_upper_ = np.where(problem.row_is_balance, 0.0, problem.row_upper)
    matrix = problem.matrix()
    model.lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    model.lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    model.lp.a_matrix_.value_ = matrix.data.astype(float)


def define_objective(model: _Model, problem: FlowProblem) -> None:
    """Maximise the sum of gains (HiGHS minimises, hence the sign)."""
    model.lp.col_cost_ = -problem.arc_gain.astype(float)
    model.lp.sense_ = highspy.ObjSense.kMinimize


def level_weighted_gain(
    gain: NDArray[np.float64], level: NDArray[np.int8] | None
) -> NDArray[np.float64]:
    """Gains [per t] with a priority weight per waste-hierarchy level that no difference of
    gains can outweigh.

    Notes
    -----
    Among the arcs worth using (gain above 0) that deliver to a use (level above 0), the
    levels present are ranked from the worst (0) to the best (:math:`K - 1`); each such arc
    gains :math:`W r` more, with :math:`W = 2 (g_{max} - g_{min}) + 1` over those arcs. For
    one offer choosing between two uses of different levels the better one therefore always
    gives more (:math:`W > g_{max} - g_{min}`), whatever the CO2, tonnes or score; between
    uses of one level the gains decide as before, and an arc worth nothing gets no weight.
    ``level_weighted_gains`` applies it per connected component, so that the weight stays as
    small as the gains of that part allow. Reports count the plain gains.
    """
    if level is None:
        return gain
    worth = (gain > 0) & (level > 0)
    levels = np.unique(level[worth])
    if levels.size < 2:
        return gain
    weight = 2.0 * float(gain[worth].max() - gain[worth].min()) + 1.0
    # Level 1 (product) is the best: the rank counts the levels worse than an arc's.
    rank = levels.size - 1 - np.searchsorted(levels, level)
    return np.where(worth, gain + weight * rank, gain)


def level_weighted_gains(problem: FlowProblem) -> NDArray[np.float64]:
    """The gains the programme maximises: each connected component's arcs weighted by
    ``level_weighted_gain`` (plain gains where no levels compete)."""
    useful = np.flatnonzero((problem.arc_gain > 0) | _makes_room(problem))
    if problem.arc_level is None or useful.size == 0:
        return problem.arc_gain.astype(float)
    reduced = sub_problem(problem, useful)
    return _weighted_by_component(problem, useful, *components(reduced))


def _weighted_by_component(
    problem: FlowProblem, useful: NDArray[np.intp], count: int, label: NDArray[np.int64]
) -> NDArray[np.float64]:
    gain = problem.arc_gain.astype(float)
    if problem.arc_level is None:
        return gain
    weighted = gain.copy()
    order = np.argsort(label, kind="stable")
    bounds = np.searchsorted(label[order], np.arange(count + 1))
    for c in range(count):
        arcs = useful[order[bounds[c] : bounds[c + 1]]]
        weighted[arcs] = level_weighted_gain(gain[arcs], problem.arc_level[arcs])
    return weighted


def build_model(problem: FlowProblem) -> _Model:
    model = _Model(highspy.HighsLp())
    define_variables(model, problem)
    define_node_rows(model, problem)
    define_objective(model, problem)
    return model


SolverCache = dict[tuple[int, int], Any]
"""Solved HiGHS models by component (first arc, number of arcs), kept so that a later solve
with changed bounds starts from the last basis."""


def solve_lp(
    problem: FlowProblem,
    threads: int = 1,
    *,
    cache: SolverCache | None = None,
    key: tuple[int, int] | None = None,
) -> tuple[NDArray[np.float64], Status, str]:
    """Solve one problem with HiGHS (dual simplex); with a ``cache`` and a ``key`` seen
    before, only the arcs' bounds are changed and the solve starts from the last basis."""
    if problem.arcs == 0:
        return np.zeros(0), Status.EMPTY, ""
    highs = cache.get(key) if cache is not None and key is not None else None
    if highs is not None:
        columns = np.arange(problem.arcs, dtype=np.int32)
        highs.changeColsBounds(
            problem.arcs, columns, np.zeros(problem.arcs), problem.arc_upper.astype(float)
        )
    else:
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("threads", threads)
        highs.passModel(build_model(problem).lp)
        if cache is not None and key is not None:
            cache[key] = highs
    highs.run()
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        return np.zeros(problem.arcs), Status.FAILED, highs.modelStatusToString(status)
    flow = np.asarray(highs.getSolution().col_value, dtype=float)
    return np.where(flow > FLOW_EPSILON, flow, 0.0), Status.OPTIMAL, ""


def components(problem: FlowProblem) -> tuple[int, NDArray[np.int64]]:
    """Connected parts of the network: the component of each arc."""
    if problem.arcs == 0:
        return 0, np.zeros(0, dtype=np.int64)
    first = problem.arc_rows[:, 0]
    links = []
    for k in (1, 2):
        other = problem.arc_rows[:, k]
        used = other >= 0
        links.append((first[used], other[used]))
    a = np.concatenate([pair[0] for pair in links])
    b = np.concatenate([pair[1] for pair in links])
    graph = coo_array((np.ones(len(a)), (a, b)), shape=(problem.rows, problem.rows))
    count, label = connected_components(graph, directed=False)
    return int(count), label[first].astype(np.int64)


def sub_problem(problem: FlowProblem, arcs: NDArray[np.intp]) -> FlowProblem:
    """The problem restricted to ``arcs`` and the rows they touch, renumbered."""
    rows = problem.arc_rows[arcs]
    used = np.unique(rows[rows >= 0])
    renumber = np.full(problem.rows, -1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    return FlowProblem(
        row_upper=problem.row_upper[used],
        row_is_balance=problem.row_is_balance[used],
        arc_rows=np.where(rows >= 0, renumber[np.maximum(rows, 0)], -1),
        arc_coefficients=problem.arc_coefficients[arcs],
        arc_upper=problem.arc_upper[arcs],
        arc_gain=problem.arc_gain[arcs],
        arc_level=None if problem.arc_level is None else problem.arc_level[arcs],
    )


def allocate(
    problem: FlowProblem,
    *,
    decompose: bool = True,
    previous: Allocation | None = None,
    changed: NDArray[np.bool_] | None = None,
    cache: SolverCache | None = None,
) -> Allocation:
    """The allocation with the largest total gain.

    With ``previous`` and ``changed`` (arcs whose bounds changed since ``previous`` was
    solved), only the components holding a changed arc are solved again; the others keep
    their flows, which are still optimal for them; with a ``cache`` the others start from
    their last basis.

    Notes
    -----
    Maximises :math:`\\sum_a g_a x_a` subject to :math:`A x \\le b` on the supply, capacity
    and output rows, :math:`A x = 0` on the balance rows (pools, processors' throughput and
    links) and :math:`0 \\le x_a \\le u_a` (``engine.flow_problem_of`` sets out a
    processor's rows). Components share no row, so solving them apart gives the
    same optimum.
    """
    useful = np.flatnonzero((problem.arc_gain > 0) | _makes_room(problem))
    flow = np.zeros(problem.arcs)
    if useful.size == 0:
        return Allocation(flow, 0.0, Status.EMPTY, 0)
    reduced = sub_problem(problem, useful)
    count, label = components(reduced)
    # The waste hierarchy first: the programme maximises gains weighted by level, with one
    # weight per component whether or not the components are solved apart.
    weighted = _weighted_by_component(problem, useful, count, label)
    reduced = replace(reduced, arc_gain=weighted[useful], arc_level=None)
    if not decompose:
        count, label = 1, np.zeros(reduced.arcs, np.int64)
    order = np.argsort(label, kind="stable")
    bounds = np.searchsorted(label[order], np.arange(count + 1))
    messages = []
    for c in range(count):
        arcs = order[bounds[c] : bounds[c + 1]]
        if arcs.size == 0:
            continue
        if previous is not None and changed is not None and not changed[useful[arcs]].any():
            flow[useful[arcs]] = previous.flow[useful[arcs]]
            continue
        part = sub_problem(reduced, arcs)
        if not (part.arc_gain > 0).any():
            continue
        key = (int(useful[arcs[0]]), int(arcs.size))
        values, status, detail = solve_lp(part, cache=cache, key=key)
        if status is Status.FAILED:
            messages.append(detail)
            continue
        flow[useful[arcs]] = values
    objective = float(flow @ problem.arc_gain)
    status = Status.FAILED if messages else Status.OPTIMAL
    return Allocation(
        flow,
        objective,
        status,
        count,
        "; ".join(messages),
        reduced.rows,
        reduced.arcs,
        tuple(messages),
    )


def _makes_room(problem: FlowProblem) -> NDArray[np.bool_]:
    """Arcs with a negative coefficient somewhere: into a pool or a processor, or a
    processor's processing. They carry no gain themselves but make room for arcs that do."""
    used = problem.arc_rows >= 0
    return np.asarray(((problem.arc_coefficients < 0) & used).any(axis=1), dtype=bool)
