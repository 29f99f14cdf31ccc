"""The fields of a listing as its services take, check, write and audit them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from metalloop.exchange.adapters import ElementShare, normalised_grades, validated_elements
from metalloop.exchange.models import (
    DEMAND_ONLY_FIELDS,
    Listing,
    ListingElement,
    ListingGrade,
)
from metalloop.exchange.services._common import (
    Errors,
    as_decimal,
    check_owner_not_named,
    check_placement,
    clean_text,
    code_list,
    decimal_text,
    state_of,
    validated,
)

LISTING_FIELDS = (
    "side",
    "kind",
    "title",
    "description",
    "material",
    "waste_code",
    "legal_status",
    "form",
    "size",
    "quantity",
    "unit",
    "unit_mass_kg",
    "recurrence",
    "available_from",
    "available_until",
    "logistics",
    "transport_modes",
    "price_eur_per_t",
    "visibility",
    "analysis_method",
    "analysis_date",
    *DEMAND_ONLY_FIELDS,
)
TRACKED = (*LISTING_FIELDS, "status", "site_id", "verified_at", "verified_by_id")
DECIMAL_FIELDS = (
    "quantity",
    "unit_mass_kg",
    "price_eur_per_t",
    "min_quantity",
    "min_lot_t",
    "max_dilution_pct",
)


def listing_state(listing: Listing) -> dict[str, Any]:
    """The audited state of a listing: its fields, grades and chemistry."""
    return state_of(listing, TRACKED) | {
        "grades": sorted(g.code for g in listing.grades.all()),
        "elements": {
            e.element: [decimal_text(e.min_pct), decimal_text(e.max_pct)]
            for e in listing.elements.all()
        },
    }


def element_rows(elements: Iterable[ElementShare | Mapping[str, Any]]) -> list[ElementShare]:
    """Chemistry rows as :class:`ElementShare`, from themselves or from mappings."""
    rows = []
    for item in elements:
        if isinstance(item, ElementShare):
            rows.append(item)
        else:
            rows.append(
                ElementShare(
                    str(item.get("element", "")).strip(),
                    as_decimal(item.get("min_pct")),
                    as_decimal(item.get("max_pct")),
                )
            )
    return rows


def normalised_value(name: str, value: Any) -> Any:
    """A value as the listing stores it: exact decimals, code lists, stripped texts."""
    if name in DECIMAL_FIELDS:
        return as_decimal(value)
    if name in ("transport_modes", "accepted_forms", "permitted_waste_codes"):
        return code_list(value or [])
    if value is None and name in ("waste_code", "size", "description", "r_strategy",
                                  "analysis_method"):  # fmt: skip
        return ""
    return clean_text(value)


def validated_listing(
    listing: Listing,
    *,
    grades: Iterable[str] | None,
    elements: Iterable[ElementShare] | None,
    exclude: list[str] | None = None,
) -> tuple[list[str] | None, list[ElementShare] | None]:
    """Check the listing, its placement, grades and chemistry together; all errors at once
    (``exclude``: fields left out of the checks of single fields)."""
    errors = Errors()
    errors.check(lambda: validated(listing, exclude=exclude))
    if listing.organisation_id and listing.site_id and listing.network_id:
        check_placement(
            errors, network=listing.network, organisation=listing.organisation, site=listing.site
        )
        check_owner_not_named(
            errors,
            visibility=listing.visibility,
            organisation=listing.organisation,
            texts={
                "title": listing.title,
                "description": listing.description,
                "size": listing.size,
            },
        )
    found_grades = None if grades is None else errors.check(lambda: normalised_grades(grades))
    found_elements = None
    if elements is not None:
        found_elements = errors.check(lambda: validated_elements(elements))
    errors.raise_any()
    return found_grades, found_elements


def write_children(
    listing: Listing, grades: list[str] | None, elements: list[ElementShare] | None
) -> None:
    """Replace the grades and the chemistry that are given (``None`` keeps them)."""
    cache = getattr(listing, "_prefetched_objects_cache", {})
    if grades is not None:
        cache.pop("grades", None)
        listing.grades.all().delete()
        ListingGrade.objects.bulk_create(ListingGrade(listing=listing, code=c) for c in grades)
    if elements is not None:
        cache.pop("elements", None)
        listing.elements.all().delete()
        ListingElement.objects.bulk_create(
            ListingElement(listing=listing, element=s.element, min_pct=s.min_pct, max_pct=s.max_pct)
            for s in elements
        )
