"""API schemas of the exchange: one In schema per write, Out schemas shaped by the presenters.

Choices are plain strings here; the services check them and answer with translated messages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

# --- shared parts --------------------------------------------------------------------------------


class CodeOut(Schema):
    code: str
    name: str


class OwnerOut(Schema):
    id: int
    slug: str
    name: str


class SiteRefOut(Schema):
    id: int
    name: str
    street: str
    postcode: str
    place: str
    state: str


class PersonOut(Schema):
    name: str
    email: str


class LocationOut(Schema):
    latitude: float | None = Field(..., description="Latitude [deg], WGS 84; null if hidden.")
    longitude: float | None = Field(..., description="Longitude [deg], WGS 84; null if hidden.")
    precision: str = Field(
        ...,
        description="'site' (the owner's site), 'area' (centre of a grid cell of about 10, 20, "
        "40 or 80 km holding sites of the owner and of at least two other organisations "
        "besides the reader's own, the same wherever in it the site lies: the owner is not "
        "shown) or 'hidden' (no such cell: no position).",
    )
    state: str = Field(..., description="The site's state; empty for 'area' and 'hidden'.")
    cell_deg: list[float] | None = Field(
        None, description="For 'area': the cell's height and width [deg]."
    )
    cell_km: list[int] | None = Field(
        None, description="For 'area': the cell's height and width [km], to 10 km."
    )
    bounds: list[float] | None = Field(
        None, description="For 'area': the cell's south, west, north and east edge [deg]."
    )


class QualityOut(Schema):
    level: int = Field(..., description="1 declared, 2 classified, 3 analysed, 4 verified.")
    label: str
    meaning: str


class ElementIn(Schema):
    element: str = Field(..., description="Element symbol, e.g. 'Cr'.")
    min_pct: Decimal | None = Field(None, description="Minimum [wt-%]; alone: at least this.")
    max_pct: Decimal | None = Field(
        None, description="Maximum [wt-%]; alone: at most this (equal to min_pct: a point)."
    )


class ElementOut(Schema):
    element: str
    min_pct: float | None
    max_pct: float | None


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int = Field(..., description="Size [bytes].")
    content_type: str
    created_at: dt.datetime
    download_url: str


# --- listings ------------------------------------------------------------------------------------


class ListingOut(Schema):
    id: int
    network: str
    side: str
    kind: str
    title: str
    description: str
    material: CodeOut
    grades: list[CodeOut]
    waste_code: CodeOut | None
    legal_status: str
    form: str
    size: str
    quantity: float
    unit: str
    unit_mass_kg: float | None = Field(..., description="Mass per piece [kg] (unit 'pcs').")
    mass_t: float = Field(..., description="The quantity as a mass [t] (per interval).")
    recurrence: str
    available_from: dt.date
    available_until: dt.date | None
    logistics: str
    transport_modes: list[str]
    price_eur_per_t: float | None = Field(..., description="Price indication [EUR/t].")
    visibility: str
    status: str
    data_quality: QualityOut
    verified: bool
    verified_at: dt.datetime | None
    analysis_method: str
    analysis_date: dt.date | None
    elements: list[ElementOut] = Field(
        ...,
        description="Per element [wt-%]: a range, a point (min = max) or a limit (one alone), "
        "stored as given; an offer's is its analysis, a demand's its limits.",
    )
    min_quantity: float | None
    min_lot_t: float | None = Field(..., description="Minimum lot per delivery [t].")
    max_distance_km: int | None
    r_strategy: CodeOut | None
    max_dilution_pct: float | None
    accepted_forms: list[str]
    permitted_waste_codes: list[str]
    owner_revealed: bool = Field(
        ..., description="False: organisation, site, person and attachments are withheld."
    )
    organisation: OwnerOut | None
    site: SiteRefOut | None
    created_by: PersonOut | None
    location: LocationOut
    distance_km: float | None = Field(
        None,
        description="Distance from the place of a radius search [km]: to the site, or to the "
        "nearest point of the cell for 'area' (what the radius is compared with).",
    )
    distance_max_km: float | None = Field(
        None,
        description="Distance to the site, or to the farthest corner of the cell for 'area' [km].",
    )
    attachments: list[AttachmentOut] | None = Field(
        ..., description="Only for the owner, the network's facilitators and admins."
    )
    can_edit: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ListingPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[ListingOut]


class ListingFilterIn(Schema):
    side: str = Field("", description="'offer' or 'demand'.")
    kind: str = Field("", description="scrap, by_product, production_residue, ...")
    material: str = Field("", description="Material code; includes the materials below it.")
    grade: str = Field("", description="Scrap grade or alloy code (or alias).")
    place: str = Field("", description="Town, postcode or both, e.g. '47119 Duisburg'.")
    radius_km: float | None = Field(None, gt=0, le=2000, description="Radius around place [km].")
    network: str = Field("", description="Network slug.")
    status: str = Field(
        "active", description="'active' (current), 'withdrawn', 'fulfilled', 'expired', or ''."
    )
    organisation: str = Field(
        "", description="Organisation slug; only listings that show their owner to you."
    )
    q: str = Field("", description="Text in title or description (or a shown owner's name).")


class ListingBase(Schema):
    kind: str = Field(..., description="scrap | by_product | production_residue | "
                      "secondary_raw_material | used_component")  # fmt: skip
    title: str
    description: str = ""
    material: str = Field(..., description="Material code, e.g. 'MAT:steel-stainless-austenitic'.")
    grades: list[str] = Field(default_factory=list, description="Scrap grade or alloy codes.")
    waste_code: str = Field("", description="AVV code, e.g. 'AVV:120101'; required for waste.")
    legal_status: str = Field(..., description="waste | by_product | end_of_waste | product")
    form: str = Field(..., description="lumps | sheet | turnings | bales | shredded | ...")
    size: str = ""
    quantity: Decimal = Field(..., description="Quantity in unit (per interval if recurring).")
    unit: str = Field(..., description="t | kg | pcs")
    unit_mass_kg: Decimal | None = Field(None, description="Mass per piece [kg]; for 'pcs'.")
    recurrence: str = Field(
        "one_off", description="one_off | weekly | monthly | quarterly | yearly"
    )
    available_from: dt.date
    available_until: dt.date | None = None
    logistics: str = Field("either", description="pick_up | delivery | either")
    transport_modes: list[str] = Field(..., description="road, rail, inland_waterway, sea")
    price_eur_per_t: Decimal | None = Field(None, description="Price [EUR/t]; negative: you pay.")
    visibility: str = Field("anonymous", description="anonymous | named | facilitator")
    analysis_method: str = Field("", description="xrf | oes_spark | icp_oes | wet_chemistry | ...")
    analysis_date: dt.date | None = None
    elements: list[ElementIn] = Field(default_factory=list)
    min_quantity: Decimal | None = Field(None, description="Demand: minimum quantity in unit.")
    min_lot_t: Decimal | None = Field(None, description="Demand: minimum lot per delivery [t].")
    max_distance_km: int | None = Field(None, description="Demand: maximum distance [km].")
    r_strategy: str = Field("", description="Demand: intended R-strategy, e.g. 'R:8'.")
    max_dilution_pct: Decimal | None = Field(
        None, description="Demand: share of clean material it can blend in [%], 0-50."
    )
    accepted_forms: list[str] = Field(default_factory=list, description="Demand; empty = any.")
    permitted_waste_codes: list[str] = Field(
        default_factory=list, description="Demand: waste codes the receiver's permit covers."
    )


class ListingCreateIn(ListingBase):
    network: str = Field(..., description="Slug of the network.")
    site: int = Field(..., description="Id of the site (of the owner's organisation).")
    side: str = Field(..., description="offer | demand")


class ListingUpdateIn(Schema):
    site: int | None = None
    kind: str | None = None
    title: str | None = None
    description: str | None = None
    material: str | None = None
    grades: list[str] | None = None
    waste_code: str | None = None
    legal_status: str | None = None
    form: str | None = None
    size: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_mass_kg: Decimal | None = None
    recurrence: str | None = None
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    logistics: str | None = None
    transport_modes: list[str] | None = None
    price_eur_per_t: Decimal | None = None
    visibility: str | None = None
    status: str | None = Field(None, description="active | fulfilled | withdrawn")
    analysis_method: str | None = None
    analysis_date: dt.date | None = None
    elements: list[ElementIn] | None = None
    min_quantity: Decimal | None = None
    min_lot_t: Decimal | None = None
    max_distance_km: int | None = None
    r_strategy: str | None = None
    max_dilution_pct: Decimal | None = None
    accepted_forms: list[str] | None = None
    permitted_waste_codes: list[str] | None = None


# --- processors ----------------------------------------------------------------------------------


class ProcessorInputIn(Schema):
    material: str
    grade: str = ""
    waste_code: str = ""


class ProcessorOutputIn(Schema):
    material: str
    grade: str = ""
    form: str
    legal_status: str
    waste_code: str = Field("", description="Waste code (AVV); required when the output is waste.")
    yield_pct: Decimal = Field(..., description="Yield [% of the input mass], 0 < y <= 100.")


class ProcessorInputOut(Schema):
    material: CodeOut
    grade: CodeOut | None
    waste_code: CodeOut | None


class ProcessorOutputOut(Schema):
    material: CodeOut
    grade: CodeOut | None
    form: str
    legal_status: str
    waste_code: CodeOut | None
    yield_pct: float


class ProcessorOut(Schema):
    id: int
    network: str
    name: str
    process: str
    description: str
    capacity_t_per_year: float
    max_distance_km: int | None
    transport_modes: list[str]
    permitted_waste_codes: list[str]
    visibility: str
    status: str
    inputs: list[ProcessorInputOut]
    outputs: list[ProcessorOutputOut]
    owner_revealed: bool
    organisation: OwnerOut | None
    site: SiteRefOut | None
    location: LocationOut
    can_edit: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ProcessorPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[ProcessorOut]


class ProcessorFilterIn(Schema):
    process: str = Field("", description="sorting | briquetting | shredding | refining | ...")
    material: str = Field("", description="Input or output material (and those below it).")
    network: str = Field("", description="Network slug.")
    status: str = Field("active", description="'active', 'withdrawn' or ''.")
    organisation: str = Field("", description="Organisation slug (only shown owners).")
    q: str = ""


class ProcessorCreateIn(Schema):
    network: str
    site: int
    name: str
    process: str
    description: str = ""
    capacity_t_per_year: Decimal = Field(..., description="Capacity [t/year].")
    max_distance_km: int | None = None
    transport_modes: list[str]
    permitted_waste_codes: list[str] = Field(default_factory=list)
    visibility: str = "anonymous"
    inputs: list[ProcessorInputIn]
    outputs: list[ProcessorOutputIn]


class ProcessorUpdateIn(Schema):
    site: int | None = None
    name: str | None = None
    process: str | None = None
    description: str | None = None
    capacity_t_per_year: Decimal | None = None
    max_distance_km: int | None = None
    transport_modes: list[str] | None = None
    permitted_waste_codes: list[str] | None = None
    visibility: str | None = None
    status: str | None = None
    inputs: list[ProcessorInputIn] | None = None
    outputs: list[ProcessorOutputIn] | None = None
