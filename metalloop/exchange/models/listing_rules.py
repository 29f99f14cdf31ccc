"""Rules across the fields of one listing, each with a message at its field.

``Listing.clean()`` reports them; the database constraints of ``Listing.Meta`` say the same.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from metalloop.exchange.errors import ErrorCode
from metalloop.exchange.models.choices import LegalStatus, ListingStatus, QuantityUnit, Side

if TYPE_CHECKING:
    from metalloop.exchange.models.listings import Listing

DEMAND_ONLY_FIELDS = (
    "min_quantity",
    "min_lot_t",
    "max_distance_km",
    "r_strategy",
    "max_dilution_pct",
    "accepted_forms",
    "permitted_waste_codes",
)
"""Fields only a demand states; an offer leaves them empty."""


def listing_errors(listing: Listing) -> dict[str, ValidationError]:
    """The errors of the rules across the fields of one listing, by field."""
    errors: dict[str, ValidationError] = {}
    if (
        listing.available_until
        and listing.available_from
        and listing.available_until < listing.available_from
    ):
        errors["available_until"] = ValidationError(
            _("The listing cannot end before it starts (%(start)s).")
            % {"start": listing.available_from.isoformat()},
            code=ErrorCode.DATES_INVALID,
        )
    elif (ended := _ended(listing)) is not None:
        errors["available_until"] = _ended_error(listing, ended)
    if listing.unit == QuantityUnit.PCS and listing.unit_mass_kg is None:
        errors["unit_mass_kg"] = ValidationError(
            _("Give the mass per piece, so that the mass of the listing is known."),
            code=ErrorCode.UNIT_MASS_REQUIRED,
        )
    if (
        listing.side == Side.OFFER
        and listing.legal_status == LegalStatus.WASTE
        and not listing.waste_code
    ):
        errors["waste_code"] = ValidationError(
            _("Waste needs its waste code (AVV)."), code=ErrorCode.WASTE_CODE_REQUIRED
        )
    if listing.analysis_date and listing.analysis_date > timezone.localdate():
        errors["analysis_date"] = ValidationError(
            _("The analysis date lies in the future."), code=ErrorCode.ANALYSIS_DATE_IN_FUTURE
        )
    errors.update(_quantity_errors(listing))
    if listing.side == Side.OFFER:
        errors.update(_demand_field_errors(listing))
    return errors


def _ended(listing: Listing) -> dt.date | None:
    """The end date of an active listing whose availability ended before today (an expired,
    fulfilled or withdrawn one may keep its past end date)."""
    until = listing.available_until
    if listing.status == ListingStatus.ACTIVE and until and until < timezone.localdate():
        return until
    return None


def _ended_error(listing: Listing, ended: dt.date) -> ValidationError:
    day = date_format(ended, "SHORT_DATE_FORMAT")
    message = (
        _(
            "The availability has already ended (%(date)s); give today or a later date, or "
            "leave the end open."
        )
        if listing._state.adding
        else _(
            "The availability ended on %(date)s; give a later end date to keep the listing "
            "active, or mark it fulfilled or withdrawn."
        )
    )
    return ValidationError(message % {"date": day}, code=ErrorCode.AVAILABILITY_ENDED)


def _quantity_errors(listing: Listing) -> dict[str, ValidationError]:
    errors = {}
    for field in ("quantity", "unit_mass_kg", "min_quantity", "min_lot_t"):
        value = getattr(listing, field)
        if value is not None and value <= 0:
            errors[field] = ValidationError(
                _("A quantity must be greater than zero."), code=ErrorCode.QUANTITY_INVALID
            )
    if (
        "min_quantity" not in errors
        and listing.min_quantity is not None
        and listing.quantity is not None
        and listing.min_quantity > listing.quantity
    ):
        errors["min_quantity"] = ValidationError(
            _("The minimum quantity lies above the quantity (%(quantity)s %(unit)s).")
            % {"quantity": _decimal_text(listing.quantity), "unit": listing.unit},
            code=ErrorCode.MIN_QUANTITY_ABOVE_QUANTITY,
        )
    return errors


def _demand_field_errors(listing: Listing) -> dict[str, ValidationError]:
    return {
        field: ValidationError(
            _("Only a demand states this; leave it empty for an offer."),
            code=ErrorCode.DEMAND_ONLY,
        )
        for field in DEMAND_ONLY_FIELDS
        if getattr(listing, field) not in (None, "", [])
    }


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")
