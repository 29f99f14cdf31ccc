"""Benchmark the matching engine on synthetic networks (JSON lines; issue 4, section 7).

Usage
-----
``python benchmarks/matching.py``
    The whole set, each case in a fresh subprocess: the full network allocation and the
    top-10 query at 1k, 10k and 100k offers (with as many demands), and the comparison with a
    dense HiGHS LP at 500, 2000 and 5000.
``python benchmarks/matching.py --quick``
    The same up to 10k offers and up to the dense LP at 2000 (``make bench``).
``python benchmarks/matching.py --offers N --demands N``
    One scale in this process: the allocation, then the top-10 query.
``python benchmarks/matching.py --exactness N``
    Our allocation beside the dense LP at N offers × N demands.
``python benchmarks/matching.py --count-pairs N``
    Diagnostic: how many pairs the candidate search meets at N × N, streamed in chunks so
    that it also runs where the allocation does not fit in memory.
``--profile`` (with ``--offers``) adds a cProfile listing on stderr and a line that times
``allocate`` step by step (reduction, components, sub-problems, each HiGHS solve).

Every measurement prints one JSON line with at least ``case``, ``offers``, ``demands``,
``seconds``, ``peak_mib`` and ``objective`` (``null`` where a case has none), and ``core``
(the commit measured, ``+dirty`` when metalloop/core had changes) and ``load_1min`` (the
machine's load average when the line was written, the benchmark included: above about 1 on
this 2-core machine, other work competed with the case).

What is measured
----------------
``allocation``
    ``seconds``: :func:`build_network` (tables, candidate search, pools, scores) +
    :func:`flow_problem_of` + :func:`allocate`, i.e. the network's first optimal allocation
    (lot repairs and proposals are reported apart, as ``lots_seconds`` and
    ``proposals_seconds``, when ``--with-proposals`` is given). The network's generation is
    timed apart (``generate_seconds``) and excluded. ``t_tables``, ``t_candidates`` and
    ``t_pools_scoring`` split ``build_network`` by its progress calls.
``top10``
    One new listing's ten best candidates against :class:`ListingIndex` over N offers and N
    demands: ``seconds`` is the median over ``queries`` new listings (drawn with another
    seed), ``p95_seconds`` and ``max_seconds`` beside it; one line per direction (a new offer
    against the demands, a new demand against the offers). Building the index is
    ``index_seconds``.
``exactness``
    ``objective`` is the engine's *first* allocation, ``allocate(flow_problem_of(network))``,
    before any lot-repair round (``stage: "lp"``); ``lp_objective`` the optimum of one dense
    LP with a column for every source × sink (upper bound 0 where the candidate search
    admitted no pair, else the same bound and gain), plus the same pool-membership arcs,
    over the same rows; ``rel_gap`` = \\|objective − lp_objective\\| / max(1, \\|lp_objective\\|).
    ``lp_seconds`` is building and solving the dense LP (from the network our run built);
    ``speedup`` = ``lp_seconds`` / ``seconds``.

Memory
------
``peak_mib`` is the high-water mark of the process's resident set during the case (Linux
``VmHWM``, reset through ``/proc/self/clear_refs`` after generation), so it includes the
interpreter, the libraries and the listings (``baseline_mib`` is the resident set after
imports and generation). Where the reset is not allowed, ``ru_maxrss`` is reported and
``peak_reset`` is false. The driver caps each child's address space (``--memory-limit-gib``,
16 GiB; ``--lp-memory-limit-gib``, 20 GiB, for the dense LP, which needs about 15 GiB
resident at 5k) and time (``--timeout``), so that a case that does not fit ends with an
``error`` line instead of taking the machine down.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import highspy  # noqa: E402
import numpy as np  # noqa: E402
from synthetic import SyntheticNetwork, generate, load_reference  # noqa: E402

from metalloop.core.matching.allocation import (  # noqa: E402
    FlowProblem,
    allocate,
    components,
    level_weighted_gains,
    solve_lp,
    sub_problem,
)
from metalloop.core.matching.candidates import (  # noqa: E402
    SearchContext,
    admissible,
    chord,
    great_circle,
    sink_keys,
    source_keys,
)
from metalloop.core.matching.engine import (  # noqa: E402
    MatchingProblem,
    allocate_with_lots,
    build_network,
    flow_problem_of,
    proposals_of,
)
from metalloop.core.matching.index import ListingIndex  # noqa: E402
from metalloop.core.matching.tables import (  # noqa: E402
    OwnerIds,
    SinkKind,
    SourceKind,
    chemistry_tables,
    day,
    sink_table,
    source_table,
)

SCALES = (1_000, 10_000, 100_000)
QUICK_SCALES = (1_000, 10_000)
EXACTNESS = (500, 2_000, 5_000)
QUICK_EXACTNESS = (500, 2_000)
QUERIES = 25


def emit(record: dict[str, object]) -> None:
    extra = {"core": core_version(), "load_1min": round(os.getloadavg()[0], 2)}
    print(json.dumps({**record, **extra}), flush=True)


@functools.cache
def core_version() -> str:
    """The commit the core was measured at, ``+dirty`` when metalloop/core has changes."""
    root = HERE.parent
    try:
        commit = subprocess.run(  # noqa: S603
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603
            ["git", "-C", str(root), "status", "--porcelain", "--", "metalloop/core"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def note(text: str) -> None:
    print(f"[matching] {text}", file=sys.stderr, flush=True)


# Memory ----------------------------------------------------------------------------------


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_mib() -> int:
    return (_status_kib("VmRSS") or 0) // 1024


def reset_peak() -> bool:
    """Reset the resident-set high-water mark (Linux ≥ 4.0); ``False`` where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def memory(reset: bool, baseline_kib: int | None) -> dict[str, object]:
    peak = _status_kib("VmHWM") if reset else None
    if peak is None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "peak_mib": round(peak / 1024, 1),
        "baseline_mib": round((baseline_kib or 0) / 1024, 1),
        "peak_reset": reset,
    }


def prepare() -> tuple[int | None, bool]:
    """Collect garbage, take the baseline resident set and reset the peak."""
    gc.collect()
    return _status_kib("VmRSS"), reset_peak()


# Cases -----------------------------------------------------------------------------------


def problem_of(network: SyntheticNetwork) -> MatchingProblem:
    return MatchingProblem(
        network.offers,
        network.demands,
        network.processors,
        network.period,
        network.method,
        network.ancestors,
    )


def timed_generate(offers: int, demands: int, seed: int) -> tuple[SyntheticNetwork, float]:
    start = time.perf_counter()
    network = generate(offers, demands, seed)
    return network, time.perf_counter() - start


def run_allocation(offers: int, demands: int, seed: int, *, proposals: bool, profile: bool) -> None:
    network, generate_seconds = timed_generate(offers, demands, seed)
    problem = problem_of(network)
    baseline, reset = prepare()
    marks: dict[str, float] = {}
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()

    def progress(step: str, _share: float) -> None:
        marks[step] = time.perf_counter() - start
        note(f"{step} at {marks[step]:.2f} s")

    if profiler:
        profiler.enable()
    built = build_network(problem, progress)
    built_at = time.perf_counter() - start
    flow_problem = flow_problem_of(built)
    flow_at = time.perf_counter() - start
    note(f"allocating {flow_problem.arcs} arcs over {flow_problem.rows} rows")
    allocation = allocate(flow_problem)
    seconds = time.perf_counter() - start
    if profiler:
        profiler.disable()
    record: dict[str, object] = {
        "case": "allocation",
        "offers": offers,
        "demands": demands,
        "processors": len(network.processors),
        "seed": seed,
        "seconds": round(seconds, 3),
        **memory(reset, baseline),
        "objective": allocation.objective,
        "status": str(allocation.status),
        "generate_seconds": round(generate_seconds, 3),
        "t_tables": round(marks.get("candidates", 0.0), 3),
        "t_candidates": round(marks.get("pools", 0.0) - marks.get("candidates", 0.0), 3),
        "t_pools_scoring": round(built_at - marks.get("pools", 0.0), 3),
        "t_flow_problem": round(flow_at - built_at, 3),
        "t_allocate": round(seconds - flow_at, 3),
        "candidates": len(built.pairs),
        "pool_members": len(built.members.member),
        "pools": int((built.sources.kind == SourceKind.POOL).sum()),
        "arcs": flow_problem.arcs,
        "rows": flow_problem.rows,
        "solved_arcs": allocation.solved_arcs,
        "components": allocation.components,
        **component_sizes(flow_problem),
    }
    if proposals:
        start = time.perf_counter()
        final, rounds, dropped = allocate_with_lots(built, flow_problem)
        record["lots_seconds"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        made = proposals_of(built, final.flow)
        record["proposals_seconds"] = round(time.perf_counter() - start, 3)
        record["proposals"] = len(made)
        record["proposal_kinds"] = {
            kind: sum(1 for p in made if p.kind == kind)
            for kind in ("direct", "chain", "aggregation")
        }
        record["repair_rounds"] = rounds
        record["dropped_for_lot"] = dropped
        record["final_objective"] = final.objective
    emit(record)
    if profiler:
        print_profile(profiler)
        emit({"case": "allocation-profile", "offers": offers, **profile_allocation(flow_problem)})


def component_sizes(problem: FlowProblem) -> dict[str, object]:
    """Sizes of the parts ``allocate`` solves apart (recomputed after the timing)."""
    useful = np.flatnonzero((problem.arc_gain > 0) | feeds_balance(problem))
    if useful.size == 0:
        return {"largest_component_arcs": 0}
    count, label = components(sub_problem(problem, useful))
    sizes = np.sort(np.bincount(label, minlength=count))[::-1]
    return {
        "largest_component_arcs": int(sizes[0]),
        "largest_component_share": round(float(sizes[0] / max(1, sizes.sum())), 4),
        "components_over_1000_arcs": int((sizes > 1000).sum()),
    }


def feeds_balance(problem: FlowProblem) -> np.ndarray:
    """Arcs into pools and processors (as ``allocation._feeds_balance``)."""
    rows, touches = problem.arc_rows, np.zeros(problem.arcs, dtype=bool)
    for k in range(3):
        valid = rows[:, k] >= 0
        touches[valid] |= problem.row_is_balance[rows[valid, k]] & (
            problem.arc_coefficients[valid, k] < 0
        )
    return touches


def profile_allocation(problem: FlowProblem) -> dict[str, object]:
    """``allocate`` step by step with timers: reduction, components, sub-problems, solves."""
    start = time.perf_counter()
    useful = np.flatnonzero((problem.arc_gain > 0) | feeds_balance(problem))
    reduced = sub_problem(problem, useful)
    t_reduce = time.perf_counter() - start
    start = time.perf_counter()
    count, label = components(reduced)
    order = np.argsort(label, kind="stable")
    bounds = np.searchsorted(label[order], np.arange(count + 1))
    t_components = time.perf_counter() - start
    t_sub = t_solve = 0.0
    solved = []
    for c in range(count):
        arcs = order[bounds[c] : bounds[c + 1]]
        if arcs.size == 0:
            continue
        start = time.perf_counter()
        part = sub_problem(reduced, arcs)
        t_sub += time.perf_counter() - start
        if not (part.arc_gain > 0).any():
            continue
        start = time.perf_counter()
        solve_lp(part)
        took = time.perf_counter() - start
        t_solve += took
        solved.append((part.arcs, part.rows, took))
    solved.sort(reverse=True)
    return {
        "useful_arcs": int(useful.size),
        "t_reduce": round(t_reduce, 3),
        "t_components": round(t_components, 3),
        "t_sub_problems": round(t_sub, 3),
        "t_solve": round(t_solve, 3),
        "solved_components": len(solved),
        "largest_solves": [
            {"arcs": a, "rows": r, "seconds": round(s, 3)} for a, r, s in solved[:5]
        ],
    }


def print_profile(profiler: cProfile.Profile) -> None:
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(25)


def run_top10(offers: int, demands: int, seed: int, queries: int) -> None:
    network, generate_seconds = timed_generate(offers, demands, seed)
    new = generate(queries, queries, seed + 1, processors=0, prefix="new-")
    baseline, reset = prepare()
    start = time.perf_counter()
    index = ListingIndex(
        network.offers,
        network.demands,
        period=network.period,
        method=network.method,
        ancestors=network.ancestors,
    )
    index_seconds = time.perf_counter() - start
    directions: list[tuple[str, Callable[[int], list[object]]]] = [
        ("offer", lambda k: list(index.demands_for(new.offers[k]))),
        ("demand", lambda k: list(index.offers_for(new.demands[k]))),
    ]
    for direction, query in directions:
        query(0)  # warm caches (imports, first allocations)
        times, found = [], []
        for k in range(queries):
            start = time.perf_counter()
            result = query(k)
            times.append(time.perf_counter() - start)
            found.append(len(result))
        emit(
            {
                "case": "top10",
                "offers": offers,
                "demands": demands,
                "direction": f"new {direction}",
                "seconds": round(statistics.median(times), 5),
                **memory(reset, baseline),
                "objective": None,
                "p95_seconds": round(float(np.percentile(times, 95)), 5),
                "max_seconds": round(max(times), 5),
                "queries": queries,
                "median_found": statistics.median(found),
                "index_seconds": round(index_seconds, 3),
                "generate_seconds": round(generate_seconds, 3),
            }
        )


# The dense LP ----------------------------------------------------------------------------


def dense_lp(built: object, problem: FlowProblem) -> tuple[float, float, float, int]:
    """Solve the dense LP of the network: every source × sink a column.

    Returns the objective, the build and solve times [s] and the number of columns.
    """
    start = time.perf_counter()
    sources, sinks, pairs = built.sources, built.sinks, built.pairs  # type: ignore[attr-defined]
    n_src, n_snk, p = len(sources), len(sinks), len(pairs)
    dense = n_src * n_snk
    members = problem.arcs - p  # pool memberships and processing columns, as they are
    # Per sink: its processor's throughput row (-1 for demands). A column into a processor
    # has a third entry there (-1); every other column has two.
    into = sinks.kind == SinkKind.PROCESSOR
    throughput_row = np.full(n_snk, -1, dtype=np.int64)
    throughput_row[into] = n_src + n_snk + sinks.origin[into]  # as flow_problem_of numbers them
    per_column = np.tile(2 + into.astype(np.int64), n_src)
    member_rows = problem.arc_rows[p:]
    member_coef = problem.arc_coefficients[p:]
    member_used = member_rows >= 0
    per_column = np.concatenate([per_column, member_used.sum(axis=1)])
    start_ = np.zeros(dense + members + 1, dtype=np.int64)
    np.cumsum(per_column, out=start_[1:])
    del per_column
    nnz = int(start_[-1])
    index = np.empty(nnz, dtype=np.int32)
    value = np.empty(nnz, dtype=np.float64)
    first = start_[:dense]
    index[first] = np.repeat(np.arange(n_src, dtype=np.int32), n_snk)
    value[first] = 1.0
    index[first + 1] = np.tile(np.arange(n_src, n_src + n_snk, dtype=np.int32), n_src)
    value[first + 1] = 1.0
    with_third = np.broadcast_to(into, (n_src, n_snk)).ravel()
    third = first[with_third] + 2
    index[third] = np.broadcast_to(throughput_row.astype(np.int32), (n_src, n_snk)).ravel()[
        with_third
    ]
    value[third] = -1.0
    del first, third, with_third
    member_slots = start_[dense:-1, None] + np.cumsum(member_used, axis=1) - 1
    index[member_slots[member_used]] = member_rows[member_used].astype(np.int32)
    value[member_slots[member_used]] = member_coef[member_used]
    upper = np.zeros(dense + members)
    gain = np.zeros(dense + members)
    weighted = np.zeros(dense + members)  # the waste hierarchy first, as allocate() weighs it
    arc_weighted = level_weighted_gains(problem)
    column = pairs.source.astype(np.int64) * n_snk + pairs.sink
    if np.unique(column).size != p:
        raise RuntimeError("the candidate pairs repeat a source–sink pair")
    upper[column] = problem.arc_upper[:p]
    gain[column] = problem.arc_gain[:p]
    weighted[column] = arc_weighted[:p]
    upper[dense:] = problem.arc_upper[p:]
    gain[dense:] = problem.arc_gain[p:]
    weighted[dense:] = arc_weighted[p:]
    note(f"dense LP arrays built, resident {rss_mib()} MiB")
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    status = highs.passModel(
        dense + members,
        problem.rows,
        nnz,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        -weighted,
        np.zeros(dense + members),
        upper,
        np.where(problem.row_is_balance, 0.0, -highspy.kHighsInf),
        np.where(problem.row_is_balance, 0.0, problem.row_upper),
        start_[:-1].astype(np.int32),
        index,
        value,
        np.zeros(dense + members, dtype=np.int32),  # all continuous
    )
    if status != highspy.HighsStatus.kOk:
        raise RuntimeError(f"dense LP: HiGHS refused the model ({status})")
    del index, value, upper, weighted, start_
    note(f"dense LP passed to HiGHS, resident {rss_mib()} MiB")
    built_seconds = time.perf_counter() - start
    start = time.perf_counter()
    highs.run()
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"dense LP: {highs.modelStatusToString(status)}")
    # The LP maximised the level-weighted gains; count the plain gains of its solution.
    objective = float(gain @ np.asarray(highs.getSolution().col_value, dtype=float))
    del gain
    note(f"dense LP solved, peak {(_status_kib('VmHWM') or 0) // 1024} MiB")
    return objective, built_seconds, time.perf_counter() - start, dense + members


def run_exactness(size: int, seed: int) -> None:
    network, generate_seconds = timed_generate(size, size, seed)
    problem = problem_of(network)
    baseline, reset = prepare()
    start = time.perf_counter()
    built = build_network(problem)
    flow_problem = flow_problem_of(built)
    allocate_start = time.perf_counter()
    allocation = allocate(flow_problem)
    seconds = time.perf_counter() - start
    allocate_seconds = time.perf_counter() - allocate_start
    note(f"ours {seconds:.2f} s; building the dense LP")
    lp_objective, lp_build, lp_solve, columns = dense_lp(built, flow_problem)
    lp_seconds = lp_build + lp_solve
    gap = abs(allocation.objective - lp_objective) / max(1.0, abs(lp_objective))
    emit(
        {
            "case": "exactness",
            "offers": size,
            "demands": size,
            "stage": "lp",
            "seconds": round(seconds, 3),
            **memory(reset, baseline),
            "objective": allocation.objective,
            "lp_objective": lp_objective,
            "lp_seconds": round(lp_seconds, 3),
            "rel_gap": gap,
            "within_1e-6": gap <= 1e-6,
            "speedup": round(lp_seconds / seconds, 2),
            "allocate_seconds": round(allocate_seconds, 3),
            "lp_build_seconds": round(lp_build, 3),
            "lp_solve_seconds": round(lp_solve, 3),
            "lp_columns": columns,
            "arcs": flow_problem.arcs,
            "candidates": len(built.pairs),
            "components": allocation.components,
            "generate_seconds": round(generate_seconds, 3),
        }
    )


# Diagnostic: how many pairs a scale has ------------------------------------------------


def count_pairs(size: int, seed: int, chunk: int = 500) -> None:
    """Count the candidate search's pairs at one scale without keeping them.

    Streams over chunks of source rows: per block, the pairs within the block's farthest
    accepted distance (what ``spatial_pairs`` materialises), those within each sink's own
    distance, and, after removing duplicates across blocks, those ``admissible`` keeps and
    those not short of the sink's minimum lot (the allocation's arcs, pools aside).
    """
    from scipy.spatial import cKDTree

    network, generate_seconds = timed_generate(size, size, seed)
    baseline, reset = prepare()
    start = time.perf_counter()
    owners = OwnerIds()
    sources = source_table(network.offers, network.processors, network.period, owners)
    sinks = sink_table(network.demands, network.processors, network.period, owners)
    period = network.period
    context = SearchContext(
        network.ancestors, network.method, day(period.start), day(period.end or period.start)
    )
    chemistry = chemistry_tables(sources, sinks)
    detour = network.method.detour.value
    by_sink = sink_keys(sinks)
    block_of_source: dict[tuple[str, str], np.ndarray] = {
        key: np.asarray(rows, dtype=np.intp)
        for key, rows in source_keys(sources, network.ancestors, range(len(sources))).items()
        if key in by_sink
    }
    trees = {}
    for key in block_of_source:
        rows = np.asarray(by_sink[key], dtype=np.intp)
        trees[key] = (
            rows,
            cKDTree(sinks.xyz[rows]),
            chord(float(sinks.max_km[rows].max()) / detour),
        )
    raw = own = kept = long_enough = largest_block = 0
    for first in range(0, len(sources), chunk):
        found_src, found_snk, found_km = [], [], []
        for key, src_rows in block_of_source.items():
            part = src_rows[(src_rows >= first) & (src_rows < first + chunk)]
            if part.size == 0:
                continue
            snk_rows, tree, radius = trees[key]
            hits = cKDTree(sources.xyz[part]).sparse_distance_matrix(
                tree, radius, output_type="ndarray"
            )
            raw += len(hits)
            largest_block = max(largest_block, len(hits))
            km = great_circle(hits["v"])
            inside = km * detour <= sinks.max_km[snk_rows[hits["j"]]] + 1e-9
            own += int(inside.sum())
            found_src.append(part[hits["i"][inside]])
            found_snk.append(snk_rows[hits["j"][inside]])
            found_km.append(km[inside])
        if not found_src:
            continue
        src = np.concatenate(found_src)
        snk = np.concatenate(found_snk)
        km = np.concatenate(found_km)
        _, unique = np.unique(src.astype(np.int64) * len(sinks) + snk, return_index=True)
        pairs = admissible(sources, sinks, context, chemistry, src[unique], snk[unique], km[unique])
        kept += len(pairs)
        long_enough += int((~pairs.lot_short).sum())
    emit(
        {
            "case": "pairs",
            "offers": size,
            "demands": size,
            "seconds": round(time.perf_counter() - start, 3),
            **memory(reset, baseline),
            "objective": None,
            "block_radius_pairs": raw,
            "own_radius_pairs": own,
            "admissible_pairs": kept,
            "arcs_without_pools": long_enough,
            "largest_block_chunk_pairs": largest_block,
            "chunk": chunk,
            "generate_seconds": round(generate_seconds, 3),
        }
    )


# Driver ----------------------------------------------------------------------------------


def child(
    arguments: list[str], args: argparse.Namespace, describe: dict[str, object], gib: float
) -> None:
    """Run one case in a fresh interpreter with capped memory and time; relay its lines."""
    command = [sys.executable, str(Path(__file__).resolve()), *arguments, "--seed", str(args.seed)]
    limit = int(gib * 2**30)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    note("running " + " ".join(arguments))
    try:
        done = subprocess.run(  # noqa: S603
            command,
            capture_output=True,
            text=True,
            timeout=args.timeout,
            preexec_fn=cap,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        stderr = expired.stderr.decode() if isinstance(expired.stderr, bytes) else ""
        emit({**describe, "error": f"timeout after {args.timeout} s", "last": _last(stderr)})
        return
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            print(line, flush=True)
    if args.verbose:
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        emit({**describe, "error": f"exit code {done.returncode}", "last": _last(done.stderr)})


def _last(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return " | ".join(lines[-3:])


def run_all(args: argparse.Namespace) -> None:
    scales = QUICK_SCALES if args.quick else SCALES
    exactness = QUICK_EXACTNESS if args.quick else EXACTNESS
    for n in scales:
        extra = ["--with-proposals"] if n <= 10_000 else []
        describe = {"case": "allocation", "offers": n, "demands": n}
        gib = args.memory_limit_gib
        scale = ["--offers", str(n), "--demands", str(n)]
        child([*scale, "--only", "allocation", *extra], args, describe, gib)
        describe = {"case": "top10", "offers": n, "demands": n}
        child([*scale, "--only", "top10"], args, describe, gib)
    for n in exactness:
        describe = {"case": "exactness", "offers": n, "demands": n}
        child(["--exactness", str(n)], args, describe, args.lp_memory_limit_gib)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--offers", type=int, help="run one scale with this many offers")
    parser.add_argument("--demands", type=int, help="... and this many demands")
    parser.add_argument("--exactness", type=int, metavar="N", help="compare with a dense LP")
    parser.add_argument("--count-pairs", type=int, metavar="N", help="diagnostic: pair counts")
    parser.add_argument("--only", choices=("allocation", "top10"), help="one case of a scale")
    parser.add_argument("--quick", action="store_true", help="the set up to 10k (make bench)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--queries", type=int, default=QUERIES, help="new listings for top10")
    parser.add_argument("--with-proposals", action="store_true", help="also lot repairs")
    parser.add_argument("--profile", action="store_true", help="cProfile to stderr")
    parser.add_argument("--memory-limit-gib", type=float, default=16.0, help="per case")
    parser.add_argument("--lp-memory-limit-gib", type=float, default=20.0, help="per dense-LP case")
    parser.add_argument("--timeout", type=float, default=1800.0, help="per case [s]")
    parser.add_argument("--verbose", action="store_true", help="relay the cases' stderr")
    args = parser.parse_args()
    if args.count_pairs:
        count_pairs(args.count_pairs, args.seed)
    elif args.exactness:
        run_exactness(args.exactness, args.seed)
    elif args.offers or args.demands:
        offers = args.offers or args.demands
        demands = args.demands or args.offers
        if args.only in (None, "allocation"):
            run_allocation(
                offers, demands, args.seed, proposals=args.with_proposals, profile=args.profile
            )
        if args.only in (None, "top10"):
            gc.collect()
            run_top10(offers, demands, args.seed, args.queries)
    else:
        load_reference()  # fail early when the reference data do not load
        run_all(args)


if __name__ == "__main__":
    main()
