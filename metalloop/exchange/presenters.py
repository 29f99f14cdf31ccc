"""Shape listings and processors for one actor: the API, the pages, the map and the exports
show the owner (organisation, site, person, attachments, exact position) only where
``listing_reveals_owner`` allows it. Everything an actor reads about a listing passes here."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from metalloop.common.pagination import Page, PageIn, paginate
from metalloop.exchange import adapters
from metalloop.exchange.models import (
    QUALITY_MEANINGS,
    AnalysisMethod,
    AttachmentKind,
    LegalStatus,
    Listing,
    ListingAttachment,
    ListingKind,
    ListingStatus,
    Logistics,
    MaterialForm,
    ProcessKind,
    Processor,
    ProcessorStatus,
    QualityLevel,
    QuantityUnit,
    Recurrence,
    Side,
    TransportMode,
    Visibility,
)
from metalloop.exchange.permissions import (
    can_edit_listing,
    can_edit_processor,
    can_read_attachments,
    can_verify_listing,
    listing_reveals_owner,
    processor_reveals_owner,
)
from metalloop.exchange.selectors import (
    network_crowds,
    revealed_listing_ids,
    revealed_processor_ids,
)
from metalloop.network.models import Site


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@functools.lru_cache(maxsize=4096)
def _label(choices: Any, value: str, language: str) -> str:
    return str(dict(choices.choices).get(value, value))


def label(choices: Any, value: str) -> str:
    """The label of a choice in the active language (cached: ``get_FOO_display`` translates
    the whole list of choices each time, which costs a map of 500 markers a fifth of a second)."""
    return _label(choices, value, get_language() or "de") if value else ""


def _labels(choices: Any, values: Iterable[str]) -> str:
    return ", ".join(label(choices, value) for value in values)


def code_out(code: str) -> dict[str, str] | None:
    return {"code": code, "name": adapters.label_of(code)} if code else None


def quality_out(level: QualityLevel) -> dict[str, Any]:
    return {"level": int(level), "label": str(level.label), "meaning": str(QUALITY_MEANINGS[level])}


KM_PER_DEGREE_LATITUDE = 111.2
"""Length of one degree of latitude [km] (mean Earth radius 6371 km × π / 180)."""


def location_out(site: Site, *, revealed: bool, crowds: adapters.Crowds) -> dict[str, Any]:
    """The site where the owner may be known; else the centre of the smallest grid cell
    (about 10 to 80 km) that holds sites of several of the network's organisations; else no
    position and no state at all ("hidden": the owner would stand out even at 80 km)."""
    if revealed:
        return _location(site.latitude, site.longitude, "site", site.state)
    area = crowds.area(site.latitude, site.longitude)
    if area is None:
        return {"latitude": None, "longitude": None, "precision": "hidden", "state": "",
                "cell_deg": None, "cell_km": None}  # fmt: skip
    return _location(area.latitude, area.longitude, "area", site.state, area.size_deg)


def _location(
    latitude: float,
    longitude: float,
    precision: str,
    state: str,
    cell_deg: tuple[float, float] | None = None,
) -> dict[str, Any]:
    return {
        "latitude": round(latitude, 5),
        "longitude": round(longitude, 5),
        "precision": precision,
        "state": state,
        "cell_deg": list(cell_deg) if cell_deg else None,
        "cell_km": int(round(cell_deg[0] * KM_PER_DEGREE_LATITUDE, -1)) if cell_deg else None,
    }


def site_out(site: Site) -> dict[str, Any]:
    return {
        "id": site.pk,
        "name": site.name,
        "street": site.street,
        "postcode": site.postcode,
        "place": site.place,
        "state": site.state,
    }


def attachment_out(attachment: ListingAttachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "kind": attachment.kind,
        "kind_label": label(AttachmentKind, attachment.kind),
        "size": attachment.size,
        "content_type": attachment.content_type,
        "created_at": attachment.created_at,
        "download_url": reverse(
            "exchange:attachment_download", args=[attachment.listing_id, attachment.pk]
        ),
    }


def listing_out(
    *,
    actor: Any,
    listing: Listing,
    revealed: bool | None = None,
    origin: adapters.Origin | None = None,
    crowds: adapters.Crowds | None = None,
) -> dict[str, Any]:
    """A listing as this actor may read it. ``revealed`` and ``crowds`` (the listing's
    network's) may be given when known in bulk."""
    shown = listing_reveals_owner(actor=actor, listing=listing) if revealed is None else revealed
    if crowds is None:
        crowds = network_crowds([listing.network_id])[listing.network_id]
    location = location_out(listing.site, revealed=shown, crowds=crowds)
    user = listing.created_by
    return {
        "id": listing.pk,
        "network": listing.network.slug,
        "network_name": listing.network.name,
        "side": listing.side,
        "side_label": label(Side, listing.side),
        "kind": listing.kind,
        "kind_label": label(ListingKind, listing.kind),
        "title": listing.title,
        "description": listing.description,
        "material": code_out(listing.material),
        "grades": [code_out(g.code) for g in listing.grades.all()],
        "waste_code": code_out(listing.waste_code),
        "legal_status": listing.legal_status,
        "legal_status_label": label(LegalStatus, listing.legal_status),
        "form": listing.form,
        "form_label": label(MaterialForm, listing.form),
        "size": listing.size,
        "quantity": float(listing.quantity),
        "unit": listing.unit,
        "unit_label": label(QuantityUnit, listing.unit),
        "unit_mass_kg": _number(listing.unit_mass_kg),
        "mass_t": float(listing.mass_t),
        "recurrence": listing.recurrence,
        "recurrence_label": label(Recurrence, listing.recurrence),
        "available_from": listing.available_from,
        "available_until": listing.available_until,
        "logistics": listing.logistics,
        "logistics_label": label(Logistics, listing.logistics),
        "transport_modes": list(listing.transport_modes),
        "transport_modes_label": _labels(TransportMode, listing.transport_modes),
        "price_eur_per_t": _number(listing.price_eur_per_t),
        "visibility": listing.visibility,
        "visibility_label": label(Visibility, listing.visibility),
        "status": listing.status,
        "status_label": label(ListingStatus, listing.status),
        "data_quality": quality_out(listing.data_quality),
        "verified": listing.verified_at is not None,
        "verified_at": listing.verified_at,
        "analysis_method": listing.analysis_method,
        "analysis_method_label": label(AnalysisMethod, listing.analysis_method),
        "analysis_date": listing.analysis_date,
        "elements": [
            {
                "element": e.element,
                "min_pct": _number(e.min_pct),
                "max_pct": _number(e.max_pct),
            }
            for e in listing.elements.all()
        ],
        "min_quantity": _number(listing.min_quantity),
        "min_lot_t": _number(listing.min_lot_t),
        "max_distance_km": listing.max_distance_km,
        "r_strategy": code_out(listing.r_strategy),
        "max_dilution_pct": _number(listing.max_dilution_pct),
        "accepted_forms": list(listing.accepted_forms),
        "accepted_forms_label": _labels(MaterialForm, listing.accepted_forms),
        "permitted_waste_codes": list(listing.permitted_waste_codes),
        "owner_revealed": shown,
        "organisation": (
            {
                "id": listing.organisation.pk,
                "slug": listing.organisation.slug,
                "name": listing.organisation.name,
            }
            if shown
            else None
        ),
        "site": site_out(listing.site) if shown else None,
        "created_by": (
            {"name": user.full_name or user.email, "email": user.email}
            if shown and user is not None
            else None
        ),
        "location": location,
        "distance_km": (
            round(adapters.distance_km(origin, location["latitude"], location["longitude"]), 1)
            if origin is not None and location["latitude"] is not None
            else None
        ),
        "attachments": (
            [attachment_out(a) for a in listing.attachments.all()]
            if can_read_attachments(actor=actor, listing=listing)
            else None
        ),
        "can_edit": can_edit_listing(actor=actor, listing=listing),
        "can_verify": can_verify_listing(actor=actor, listing=listing) and listing.is_offer,
        "created_at": listing.created_at,
        "updated_at": listing.updated_at,
    }


def listings_out(
    *,
    actor: Any,
    listings: Iterable[Listing],
    revealed_ids: set[int],
    origin: adapters.Origin | None = None,
) -> list[dict[str, Any]]:
    listings = list(listings)
    crowds = network_crowds({listing.network_id for listing in listings})
    return [
        listing_out(
            actor=actor,
            listing=listing,
            revealed=listing.pk in revealed_ids,
            origin=origin,
            crowds=crowds[listing.network_id],
        )
        for listing in listings
    ]


def map_points(
    *, actor: Any, listings: Iterable[Listing], revealed_ids: set[int]
) -> list[dict[str, Any]]:
    """Markers for the offline map: the exact site only where the owner may be known, none
    where the listing's position is hidden."""
    points = []
    listings = list(listings)
    crowds = network_crowds({listing.network_id for listing in listings})
    for listing in listings:
        location = location_out(
            listing.site, revealed=listing.pk in revealed_ids, crowds=crowds[listing.network_id]
        )
        if location["precision"] == "hidden":
            continue
        points.append(
            {
                "lat": location["latitude"],
                "lon": location["longitude"],
                "side": listing.side,
                "title": listing.title,
                "subtitle": " · ".join(
                    (
                        label(Side, listing.side),
                        f"{adapters.decimal_text(listing.quantity)} "
                        f"{label(QuantityUnit, listing.unit)}",
                    )
                ),
                "url": reverse("exchange:listing_detail", args=[listing.pk]),
                "precision": location["precision"],
                **({"cell": location["cell_deg"]} if location["precision"] == "area" else {}),
            }
        )
    return points


def processor_out(
    *,
    actor: Any,
    processor: Processor,
    revealed: bool | None = None,
    crowds: adapters.Crowds | None = None,
) -> dict[str, Any]:
    """A processor as this actor may read it (the owner only where it may be known)."""
    if crowds is None:
        crowds = network_crowds([processor.network_id])[processor.network_id]
    shown = (
        processor_reveals_owner(actor=actor, processor=processor) if revealed is None else revealed
    )
    return {
        "id": processor.pk,
        "network": processor.network.slug,
        "network_name": processor.network.name,
        "name": processor.name,
        "process": processor.process,
        "process_label": label(ProcessKind, processor.process),
        "description": processor.description,
        "capacity_t_per_year": float(processor.capacity_t_per_year),
        "max_distance_km": processor.max_distance_km,
        "transport_modes": list(processor.transport_modes),
        "transport_modes_label": _labels(TransportMode, processor.transport_modes),
        "permitted_waste_codes": list(processor.permitted_waste_codes),
        "visibility": processor.visibility,
        "visibility_label": label(Visibility, processor.visibility),
        "status": processor.status,
        "status_label": label(ProcessorStatus, processor.status),
        "inputs": [
            {
                "material": code_out(row.material),
                "grade": code_out(row.grade),
                "waste_code": code_out(row.waste_code),
            }
            for row in processor.inputs.all()
        ],
        "outputs": [
            {
                "material": code_out(row.material),
                "grade": code_out(row.grade),
                "form": row.form,
                "form_label": label(MaterialForm, row.form),
                "legal_status": row.legal_status,
                "legal_status_label": label(LegalStatus, row.legal_status),
                "waste_code": code_out(row.waste_code),
                "yield_pct": float(row.yield_pct),
            }
            for row in processor.outputs.all()
        ],
        "owner_revealed": shown,
        "organisation": (
            {
                "id": processor.organisation.pk,
                "slug": processor.organisation.slug,
                "name": processor.organisation.name,
            }
            if shown
            else None
        ),
        "site": site_out(processor.site) if shown else None,
        "location": location_out(processor.site, revealed=shown, crowds=crowds),
        "can_edit": can_edit_processor(actor=actor, processor=processor),
        "created_at": processor.created_at,
        "updated_at": processor.updated_at,
    }


def listing_page(
    *,
    actor: Any,
    listings: QuerySet[Listing],
    page: PageIn,
    origin: adapters.Origin | None = None,
) -> Page:
    """One page of listings as the actor may read them."""
    cut = paginate(listings, page)
    revealed = revealed_listing_ids(actor=actor, listings=[item.pk for item in cut.items])
    items = listings_out(actor=actor, listings=cut.items, revealed_ids=revealed, origin=origin)
    return dataclasses.replace(cut, items=items)


def processor_page(*, actor: Any, processors: QuerySet[Processor], page: PageIn) -> Page:
    """One page of processors as the actor may read them."""
    cut = paginate(processors, page)
    revealed = revealed_processor_ids(actor=actor, processors=[item.pk for item in cut.items])
    crowds = network_crowds({item.network_id for item in cut.items})
    items = [
        processor_out(
            actor=actor,
            processor=item,
            revealed=item.pk in revealed,
            crowds=crowds[item.network_id],
        )
        for item in cut.items
    ]
    return dataclasses.replace(cut, items=items)
