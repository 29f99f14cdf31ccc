"""Proposals from the arc flows: direct, pooled and through processors, with their inputs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from metalloop.core.matching.allocation import (
    FLOW_EPSILON,
)
from metalloop.core.matching.listings import Offer
from metalloop.core.matching.run import (
    Contribution,
    Network,
    Proposal,
    ProposalKind,
)
from metalloop.core.matching.tables import MODES, SinkKind, SourceKind


def proposals_of(network: Network, flow: NDArray[np.float64]) -> tuple[Proposal, ...]:
    """Proposals from the arc flows, best score first."""
    sources, sinks, pairs = network.sources, network.sinks, network.pairs
    p = len(pairs)
    arc_flow = flow[:p]
    member_flow = flow[p:]
    processors = network.problem.processors
    offers = network.problem.offers
    demands = network.problem.demands
    inflow_by_source: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for feed in np.flatnonzero(arc_flow > FLOW_EPSILON).tolist():
        if sinks.kind[pairs.sink[feed]] == SinkKind.PROCESSOR:
            output_row = int(
                np.flatnonzero(
                    (sources.kind == SourceKind.PROCESSED)
                    & (sources.origin == sinks.origin[pairs.sink[feed]])
                )[0]
            )
            inflow_by_source[output_row].append((feed, float(arc_flow[feed])))
    for m in np.flatnonzero(member_flow > FLOW_EPSILON).tolist():
        inflow_by_source[int(network.members.pool[m])].append((-1 - m, float(member_flow[m])))
    outflow = np.bincount(pairs.source, weights=arc_flow, minlength=len(sources))
    proposals = []
    for arc in np.flatnonzero(arc_flow > FLOW_EPSILON).tolist():
        k = int(arc)
        j = pairs.sink[k]
        if sinks.kind[j] != SinkKind.DEMAND:
            continue
        i = int(pairs.source[k])
        tonnes = float(arc_flow[k])
        kind = {
            SourceKind.OFFER: ProposalKind.DIRECT,
            SourceKind.PROCESSED: ProposalKind.CHAIN,
            SourceKind.POOL: ProposalKind.AGGREGATION,
        }[SourceKind(int(sources.kind[i]))]
        share = tonnes / outflow[i] if outflow[i] > 0 else 0.0
        inputs = _inputs(network, kind, i, k, tonnes, share, inflow_by_source, offers)
        processor = processors[sources.origin[i]] if kind is ProposalKind.CHAIN else None
        co2 = _proposal_co2(network, k, tonnes, inputs, kind)
        proposals.append(
            Proposal(
                kind=kind,
                demand=demands[sinks.origin[j]].key,
                inputs=inputs,
                tonnes=tonnes,
                great_circle_km=float(pairs.great_circle_km[k]),
                mode=_mode_name(int(pairs.mode[k])),
                co2=co2,
                score=float(network.score[k]),
                score_parts={name: float(v[k]) for name, v in network.parts.items()},
                verdict=_verdict_name(int(pairs.verdict[k])),
                dilution=float(pairs.dilution[k]),
                processor=processor.key if processor else None,
                yield_share=processor.output.yield_share if processor else None,
            )
        )
    proposals.sort(
        key=lambda prop: (-prop.score, prop.demand, prop.inputs[0].offer if prop.inputs else "")
    )
    return tuple(proposals)


def _inputs(
    network: Network,
    kind: ProposalKind,
    source: int,
    arc: int,
    tonnes: float,
    share: float,
    inflow_by_source: Mapping[int, list[tuple[int, float]]],
    offers: Sequence[Offer],
) -> tuple[Contribution, ...]:
    sources, pairs = network.sources, network.pairs
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
    for feed, amount in inflow_by_source.get(source, []):
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
    network: Network, arc: int, tonnes: float, inputs: tuple[Contribution, ...], kind: ProposalKind
) -> float | None:
    if not network.known[arc]:
        return None
    method = network.problem.method
    feed = 0.0
    if kind is not ProposalKind.DIRECT:
        feed = sum(c.tonnes * method.freight_per_tonne(c.mode, c.great_circle_km) for c in inputs)
    return float(network.net[arc]) * tonnes - feed


def _mode_name(index: int) -> str:
    return str(MODES[index]) if index >= 0 else ""


def _verdict_name(code: int) -> str:
    return ("fits", "fits_after_dilution", "does_not_fit", "not_analysed")[code]
