"""Proposals from the arc flows: direct, pooled and through processors, with their inputs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from metalloop.core.matching.allocation import (
    FLOW_EPSILON,
)
from metalloop.core.matching.run import (
    Contribution,
    Network,
    Proposal,
    ProposalKind,
)
from metalloop.core.matching.tables import MODES, SinkKind, SourceKind


def proposals_of(network: Network, flow: NDArray[np.float64]) -> tuple[Proposal, ...]:
    """Proposals from the arc flows, best score first.

    A chain's inputs are what its processor took in, in the share this delivery uses of the
    output it comes from: ``tonnes`` / (yield × throughput).
    """
    sources, sinks, pairs = network.sources, network.sinks, network.pairs
    p = len(pairs)
    arc_flow = flow[:p]
    member_flow = flow[p : p + len(network.members.member)]
    inflow = _inflows(network, arc_flow, member_flow)
    outflow = np.bincount(pairs.source, weights=arc_flow, minlength=len(sources))
    proposals = []
    for arc in np.flatnonzero(arc_flow > FLOW_EPSILON).tolist():
        k = int(arc)
        if sinks.kind[pairs.sink[k]] != SinkKind.DEMAND:
            continue
        proposals.append(_proposal(network, k, float(arc_flow[k]), inflow, outflow))
    proposals.sort(
        key=lambda prop: (-prop.score, prop.demand, prop.inputs[0].offer if prop.inputs else "")
    )
    return tuple(proposals)


_KIND = {
    SourceKind.OFFER: ProposalKind.DIRECT,
    SourceKind.PROCESSED: ProposalKind.CHAIN,
    SourceKind.POOL: ProposalKind.AGGREGATION,
}


def _inflows(
    network: Network, arc_flow: NDArray[np.float64], member_flow: NDArray[np.float64]
) -> dict[tuple[int, int], list[tuple[int, float]]]:
    """What enters each processor (key ``(SourceKind.PROCESSED, processor)``) and each pool
    (key ``(SourceKind.POOL, pool row)``): feeding arcs (member arcs as ``-1 - m``) and
    tonnes."""
    sinks, pairs = network.sinks, network.pairs
    inflow: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for feed in np.flatnonzero(arc_flow > FLOW_EPSILON).tolist():
        if sinks.kind[pairs.sink[feed]] == SinkKind.PROCESSOR:
            key = (SourceKind.PROCESSED, int(sinks.origin[pairs.sink[feed]]))
            inflow[key].append((feed, float(arc_flow[feed])))
    for m in np.flatnonzero(member_flow > FLOW_EPSILON).tolist():
        key = (SourceKind.POOL, int(network.members.pool[m]))
        inflow[key].append((-1 - m, float(member_flow[m])))
    return inflow


def _proposal(
    network: Network,
    arc: int,
    tonnes: float,
    inflow: Mapping[tuple[int, int], list[tuple[int, float]]],
    outflow: NDArray[np.float64],
) -> Proposal:
    sources, sinks, pairs = network.sources, network.sinks, network.pairs
    i = int(pairs.source[arc])
    kind = _KIND[SourceKind(int(sources.kind[i]))]
    processor = output = None
    feeds: list[tuple[int, float]] = []
    share = allocated = 1.0
    if kind is ProposalKind.CHAIN:
        processor = network.problem.processors[int(sources.origin[i])]
        output = processor.outputs[int(sources.output[i])]
        feeds = inflow.get((SourceKind.PROCESSED, int(sources.origin[i])), [])
        throughput = sum(amount for _, amount in feeds)
        share = tonnes / (output.yield_share * throughput) if throughput > 0 else 0.0
        # Feed transport is shared among the outputs by mass (LCA mass allocation).
        allocated = output.yield_share / sum(o.yield_share for o in processor.outputs)
    elif kind is ProposalKind.AGGREGATION:
        feeds = inflow.get((SourceKind.POOL, i), [])
        share = tonnes / outflow[i] if outflow[i] > 0 else 0.0
    inputs = _inputs(network, kind, i, arc, tonnes, share, feeds)
    return Proposal(
        kind=kind,
        demand=network.problem.demands[sinks.origin[pairs.sink[arc]]].key,
        inputs=inputs,
        tonnes=tonnes,
        great_circle_km=float(pairs.great_circle_km[arc]),
        mode=_mode_name(int(pairs.mode[arc])),
        co2=_proposal_co2(network, arc, tonnes, inputs, kind, allocated),
        score=float(network.score[arc]),
        score_parts={name: float(v[arc]) for name, v in network.parts.items()},
        verdict=_verdict_name(int(pairs.verdict[arc])),
        dilution=float(pairs.dilution[arc]),
        processor=processor.key if processor else None,
        yield_share=output.yield_share if output else None,
        output=int(sources.output[i]) if processor else None,
    )


def _inputs(
    network: Network,
    kind: ProposalKind,
    source: int,
    arc: int,
    tonnes: float,
    share: float,
    feeds: Sequence[tuple[int, float]],
) -> tuple[Contribution, ...]:
    sources, pairs, offers = network.sources, network.pairs, network.problem.offers
    if kind is ProposalKind.DIRECT:
        return (
            Contribution(
                offers[sources.origin[source]].key,
                tonnes,
                float(pairs.great_circle_km[arc]),
                _mode_name(int(pairs.mode[arc])),
            ),
        )
    contributions = []
    for feed, amount in feeds:
        if feed >= 0:
            offer_row = int(pairs.source[feed])
            km, mode = float(pairs.great_circle_km[feed]), _mode_name(int(pairs.mode[feed]))
        else:
            m = -1 - feed
            offer_row = int(network.members.member[m])
            km, mode = float(network.members.great_circle_km[m]), "road"
        contributions.append(
            Contribution(offers[sources.origin[offer_row]].key, amount * share, km, mode)
        )
    return tuple(sorted(contributions, key=lambda c: (-c.tonnes, c.offer)))


def _proposal_co2(
    network: Network,
    arc: int,
    tonnes: float,
    inputs: tuple[Contribution, ...],
    kind: ProposalKind,
    allocated: float = 1.0,
) -> float | None:
    """Net CO2 saved [t CO2e]: the delivery's net saving, less the feed transport of a pool
    or a chain (for a chain, the share ``allocated`` to this output)."""
    if not network.known[arc]:
        return None
    method = network.problem.method
    feed = 0.0
    if kind is not ProposalKind.DIRECT:
        feed = sum(c.tonnes * method.freight_per_tonne(c.mode, c.great_circle_km) for c in inputs)
    return float(network.net[arc]) * tonnes - allocated * feed


def _mode_name(index: int) -> str:
    return str(MODES[index]) if index >= 0 else ""


def _verdict_name(code: int) -> str:
    return ("fits", "fits_after_dilution", "does_not_fit", "not_analysed")[code]
