"""Shapes of the matching API (parties' identities appear only where the actor may see them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class RunStartIn(Schema):
    network: str = Field(..., description="Slug of the network to match.")
    objective: str = Field("", description="co2 (default of the network), tonnes or score.")
    horizon_months: int | None = Field(None, ge=1, le=36, description="Planning horizon [months].")
    horizon_start: dt.date | None = Field(None, description="First day of the horizon (today).")


class RunOut(Schema):
    id: int
    network: str
    objective: str
    status: str
    step: str
    progress: float
    horizon_start: dt.date
    horizon_months: int
    summary: dict[str, Any]
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class RunPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[RunOut]


class ReleaseIn(Schema):
    proposals: list[int] | None = Field(
        None,
        description="Ids of the run's proposals to release together; when omitted, every kept "
        "proposal of the run that a facilitator has reviewed.",
    )
    confirm: bool = Field(
        False,
        description="false (default): only say what the release would do; true: release.",
    )


class CurateIn(Schema):
    keep: bool
    note: str = Field("", max_length=2000)


class InterestIn(Schema):
    comment: str = Field("", max_length=2000)


class DeclineIn(Schema):
    reason: str = Field(
        ..., description="quality, quantity, distance, price, legal, timing, other."
    )
    comment: str = Field("", max_length=2000)


class OutcomeIn(Schema):
    result: str = Field(..., description="deal or failed.")
    tonnes: Decimal | None = Field(None, max_digits=14, decimal_places=3)
    settled_on: dt.date | None = None
    reason: str = Field("", description="Why it failed (for result=failed).")
    comment: str = Field("", max_length=2000)


class SideOut(Schema):
    listing_id: int
    title: str
    material: str
    material_label: str
    grades: list[str]
    own: bool
    organisation: str | None
    place: str | None


class InputOut(SideOut):
    tonnes: float
    km: float
    mode: str


class ProcessorSideOut(Schema):
    processor_id: int
    name: str | None
    process: str
    organisation: str | None


class PartyOut(Schema):
    role: str
    response: str
    reason: str
    own: bool
    organisation: str | None


class OutcomeOut(Schema):
    result: str
    tonnes: float | None
    settled_on: str | None
    reason: str
    co2_net_t: float | None


class ProposalOut(Schema):
    id: int
    run_id: int
    network: str
    kind: str
    status: str
    tonnes: float
    km: float = Field(
        ...,
        description="Delivery distance as the crow flies [km]. Until the introduction, a party "
        "sees it measured between the positions it is shown (the centre of an anonymous "
        "party's cell, or the demand's limit where none is shown).",
    )
    km_approximate: bool = Field(
        ..., description="Whether a distance was measured to a cell's centre or a limit."
    )
    mode: str
    co2_t: float | None = Field(
        ..., description="Net CO2 saved [t CO2e]; null without a sourced factor."
    )
    score: float | None = Field(
        ..., description="Score (0–100), for the network's facilitators only (null otherwise)."
    )
    verdict: str
    dilution: float
    demand: SideOut
    inputs: list[InputOut]
    processor: ProcessorSideOut | None
    parties: list[PartyOut]
    my_response: str | None
    identities_revealed: bool
    explanation: dict[str, Any]
    note: str
    reviewed_at: dt.datetime | None = Field(
        ..., description="When a facilitator last reviewed it (facilitators only)."
    )
    can_curate: bool
    can_release: bool
    can_answer: bool
    can_record_outcome: bool
    outcome: OutcomeOut | None


class ReleaseOut(Schema):
    confirmed: bool = Field(..., description="Whether the proposals were released.")
    proposals: list[int] = Field(..., description="The proposals released (or to release).")
    organisations: int = Field(
        ..., description="Distinct organisations told (or to tell), in the platform and by e-mail."
    )
    unreviewed: list[int] = Field(
        ..., description="Chosen proposals nobody has reviewed: a release of several refuses them."
    )
    not_kept: list[int] = Field(
        ..., description="Chosen proposals that are dropped, released or closed already."
    )
    released: list[ProposalOut]


class ProposalPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[ProposalOut]


class ProposalFilterIn(Schema):
    network: str = ""
    status: str = ""
    run: int | None = None


class ImpactFilterIn(Schema):
    network: str
    since: dt.date | None = None
    until: dt.date | None = None
    organisation: int | None = Field(
        None, description="Only deals of this organisation (facilitators)."
    )


class ImpactTotalOut(Schema):
    deals: int
    tonnes: float
    gross: float
    net: float
    attributed: float
    tonnes_without_factor: float
    unconfirmed_deals: int


class DealOut(Schema):
    proposal: int
    settled_on: dt.date | None
    tonnes: float
    material: str
    net_t: float | None
    known: bool


class ImpactOut(Schema):
    network: str
    deadweight_share: float
    attribution_share: float
    method: str
    total: ImpactTotalOut
    by_month: dict[str, dict[str, float]]
    by_material: dict[str, dict[str, float]]
    by_organisation: dict[str, dict[str, float]] = Field(
        ..., description="Facilitators: per organisation taking part (overlapping, not additive)."
    )
    deals: list[DealOut]


class SavedSearchIn(Schema):
    network: str
    name: str = Field(..., min_length=1, max_length=100)
    filters: dict[str, Any]
    email: bool = True


class SavedSearchOut(Schema):
    id: int
    network: str
    name: str
    filters: dict[str, Any]
    email: bool


class CandidateOut(SideOut):
    score: float
    km: float = Field(
        ...,
        description="Distance as the crow flies [km] the figures are worked out from: to the "
        "site, or to the centre of the cell shown for an anonymous listing.",
    )
    km_nearest: float = Field(
        ..., description="To the nearest point of the cell (the distance limit's measure) [km]."
    )
    km_farthest: float = Field(..., description="To the farthest corner of the cell [km].")
    cell_km: list[int] | None = Field(
        ..., description="Height and width of the cell [km]; null for a site."
    )
    verdict: str
    co2_per_tonne: float | None = Field(..., description="Net CO2 saved per tonne [t CO2e/t].")
    tonnes: float
