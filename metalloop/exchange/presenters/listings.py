"""Listings as one actor may read them: API, pages, map markers and pages of results."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from metalloop.common.pagination import Page, PageIn, paginate
from metalloop.exchange import adapters
from metalloop.exchange.models import (
    AnalysisMethod,
    AttachmentKind,
    LegalStatus,
    Listing,
    ListingAttachment,
    ListingKind,
    ListingStatus,
    Logistics,
    MaterialForm,
    QuantityUnit,
    Recurrence,
    Side,
    TransportMode,
    Visibility,
)
from metalloop.exchange.permissions import (
    can_edit_listing,
    can_read_attachments,
    can_verify_listing,
    listing_reveals_owner,
)
from metalloop.exchange.presenters.common import (
    code_out,
    distances_out,
    label,
    labels_text,
    location_out,
    number,
    position_of,
    quality_out,
    site_out,
)
from metalloop.exchange.selectors import (
    network_crowds,
    revealed_listing_ids,
)


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
    position = position_of(actor, listing, revealed=shown, crowds=crowds)
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
        "unit_mass_kg": number(listing.unit_mass_kg),
        "mass_t": float(listing.mass_t),
        "recurrence": listing.recurrence,
        "recurrence_label": label(Recurrence, listing.recurrence),
        "available_from": listing.available_from,
        "available_until": listing.available_until,
        "logistics": listing.logistics,
        "logistics_label": label(Logistics, listing.logistics),
        "transport_modes": list(listing.transport_modes),
        "transport_modes_label": labels_text(TransportMode, listing.transport_modes),
        "price_eur_per_t": number(listing.price_eur_per_t),
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
                "min_pct": number(e.min_pct),
                "max_pct": number(e.max_pct),
            }
            for e in listing.elements.all()
        ],
        "min_quantity": number(listing.min_quantity),
        "min_lot_t": number(listing.min_lot_t),
        "max_distance_km": listing.max_distance_km,
        "r_strategy": code_out(listing.r_strategy),
        "max_dilution_pct": number(listing.max_dilution_pct),
        "accepted_forms": list(listing.accepted_forms),
        "accepted_forms_label": labels_text(MaterialForm, listing.accepted_forms),
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
        "location": location_out(position, listing.site),
        **distances_out(position, origin),
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
        position = position_of(
            actor, listing, revealed=listing.pk in revealed_ids, crowds=crowds[listing.network_id]
        )
        location = location_out(position, listing.site)
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
