"""The fields of a listing as its services take, check, write and audit them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from metalloop.exchange.adapters import ElementShare, normalised_grades, validated_elements
from metalloop.exchange.models import (
    DEMAND_ONLY_FIELDS,
    Listing,
    ListingElement,
)
from metalloop.exchange.services._common import (
    RELATED_FIELDS,
    Batch,
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


def listing_state(
    listing: Listing,
    *,
    grades: Iterable[str] | None = None,
    elements: Iterable[ElementShare | ListingElement] | None = None,
) -> dict[str, Any]:
    """The audited state of a listing: its fields, grades and chemistry (the stored ones, or
    those given for a listing about to be saved)."""
    codes = (g.code for g in listing.grades.all()) if grades is None else grades
    shares = listing.elements.all() if elements is None else elements
    return state_of(listing, TRACKED) | {
        "grades": sorted(codes),
        "elements": {e.element: [decimal_text(e.min_pct), decimal_text(e.max_pct)] for e in shares},
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
    batch: Batch | None = None,
) -> tuple[list[str] | None, list[ElementShare] | None]:
    """Check the listing, its placement, grades and chemistry together; all errors at once
    (``exclude``: fields left out of the checks of single fields; ``batch``: what an import
    looked up once for all its rows)."""
    errors = Errors()
    skipped = [*(exclude or []), *(RELATED_FIELDS if batch is not None else [])]
    errors.check(lambda: validated(listing, exclude=skipped or None))
    if listing.organisation_id and listing.site_id and listing.network_id:
        check_placement(
            errors,
            network=listing.network,
            organisation=listing.organisation,
            site=listing.site,
            batch=batch,
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
            phrases=None if batch is None else batch.owner_phrases(listing.organisation),
        )
    found_grades = None if grades is None else errors.check(lambda: normalised_grades(grades))
    found_elements = None
    if elements is not None:
        found_elements = errors.check(lambda: validated_elements(elements))
    errors.raise_any()
    return found_grades, found_elements
