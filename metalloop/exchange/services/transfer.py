"""Listings as tables (CSV or XLSX): the columns, reading the cells of a row, comparing a
row with the stored listing, and the export. The import itself is in :mod:`.listing_import`.

A row with an ``id`` changes that listing (columns a file leaves out, and empty
``organisation`` and ``site`` cells, stay as they are); a row without creates one. Chemistry
sits in one cell (``Cr=18.1;Ni=8.0-8.5;Cu<=0.3``, wt-%), grades and other lists are
separated by "|".

An export holds the listings of a network the actor sees, with the owner's organisation and
site only where the actor may learn them; it imports again without changes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from metalloop.common.imports import ImportRejected, ImportResult, RowError, RowRejected, TableSpec
from metalloop.common.tabular import TableRow, format_csv, format_xlsx
from metalloop.exchange import adapters
from metalloop.exchange.models import Listing
from metalloop.exchange.selectors import ListingFilters, listing_list, revealed_listing_ids
from metalloop.network.models import Network

__all__ = [
    "LISTING_COLUMNS",
    "ExportFile",
    "ImportRejected",
    "ImportResult",
    "listing_export_rows",
    "listings_export",
]

LISTING_COLUMNS = [
    "id", "side", "kind", "title", "description", "organisation", "site", "material", "grades",
    "waste_code", "legal_status", "form", "size", "quantity", "unit", "unit_mass_kg",
    "recurrence", "available_from", "available_until", "logistics", "transport_modes",
    "price_eur_per_t", "visibility", "status", "chemistry", "analysis_method", "analysis_date",
    "min_quantity", "min_lot_t", "max_distance_km", "r_strategy", "max_dilution_pct",
    "accepted_forms", "permitted_waste_codes",
]  # fmt: skip
REQUIRED = (
    "side", "kind", "title", "material", "legal_status", "form", "quantity", "unit",
    "available_from", "transport_modes",
)  # fmt: skip
LISTING_TABLE = TableSpec(columns=LISTING_COLUMNS, required=REQUIRED, key=("id",))
LIST_SEPARATOR = "|"
TEXTS = (
    "side", "kind", "title", "description", "material", "waste_code", "legal_status", "form",
    "size", "unit", "recurrence", "logistics", "visibility", "status", "analysis_method",
    "r_strategy",
)  # fmt: skip
DECIMALS = ("quantity", "unit_mass_kg", "price_eur_per_t", "min_quantity", "min_lot_t",
            "max_dilution_pct")  # fmt: skip
DATES = ("available_from", "available_until", "analysis_date")
LISTS = ("transport_modes", "accepted_forms", "permitted_waste_codes")
GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass(frozen=True)
class Parsed:
    """A row as the values the services take (only the columns the file has)."""

    fields: dict[str, Any]
    grades: list[str] | None
    elements: list[adapters.ElementShare] | None


# --- parsing cells ------------------------------------------------------------------------------


def parse_row(row: TableRow, columns: list[str]) -> Parsed:
    """Read the cells of a row into typed values; report every unreadable cell at once."""
    errors: list[RowError] = []
    fields: dict[str, Any] = {}
    cells = row.cells
    for name in columns:
        text = cells.get(name, "")
        try:
            if name in TEXTS:
                fields[name] = text
            elif name in DECIMALS:
                fields[name] = _decimal(text)
            elif name == "max_distance_km":
                fields[name] = _integer(text)
            elif name in DATES:
                fields[name] = _date(text)
            elif name in LISTS:
                fields[name] = _list(text)
        except ValueError as error:
            errors.append(RowError(row.line, name, str(error)))
    grades = _list(cells["grades"]) if "grades" in columns else None
    elements = None
    if "chemistry" in columns:
        try:
            elements = adapters.parse_chemistry(cells["chemistry"])
        except ValidationError as invalid:
            errors.extend(
                RowError(row.line, "chemistry", m) for m in invalid.message_dict["chemistry"]
            )
    if errors:
        raise RowRejected(errors)
    return Parsed(fields=fields, grades=grades, elements=elements)


def _decimal(text: str) -> Decimal | None:
    if not text:
        return None
    normalised = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        value = Decimal(normalised)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValueError(_("%(text)s is not a number.") % {"text": text})
    return value


def _integer(text: str) -> int | None:
    if not text:
        return None
    value = _decimal(text)
    if value is None or value != value.to_integral_value():
        raise ValueError(_("%(text)s is not a whole number.") % {"text": text})
    return int(value)


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    german = GERMAN_DATE.match(text)
    try:
        if german:
            day, month, year = (int(part) for part in german.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text[:10])
    except ValueError as error:
        raise ValueError(
            _("%(text)s is not a date; write 2026-03-31 or 31.03.2026.") % {"text": text}
        ) from error


def _list(text: str) -> list[str]:
    return list(dict.fromkeys(item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()))


# --- comparing a row with what is stored ------------------------------------------------------


def changes_of(listing: Listing, parsed: Parsed) -> dict[str, Any]:
    """The values of a row that differ from the stored listing."""
    changes = {
        name: value
        for name, value in parsed.fields.items()
        if name != "side" and not _same(name, getattr(listing, name), value)
    }
    if parsed.grades is not None and not _same_grades(listing, parsed.grades):
        changes["grades"] = parsed.grades
    if parsed.elements is not None and _chemistry_key(parsed.elements) != _chemistry_key(
        listing.elements.all()
    ):
        changes["elements"] = parsed.elements
    return changes


def _same(name: str, stored: Any, given: Any) -> bool:
    if name in LISTS:
        return set(stored or []) == set(given or [])
    if isinstance(stored, str) or isinstance(given, str):
        return (stored or "").replace("\r\n", "\n") == (given or "").replace("\r\n", "\n")
    return bool(stored == given)


def _same_grades(listing: Listing, given: list[str]) -> bool:
    try:
        wanted = set(adapters.normalised_grades(given))
    except ValidationError:
        return False
    return wanted == {grade.code for grade in listing.grades.all()}


def _chemistry_key(shares: Iterable[Any]) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    return {share.element: (share.min_pct, share.max_pct) for share in shares}


# --- export -------------------------------------------------------------------------------------


def listing_export_rows(*, actor: Any, network: Network) -> list[dict[str, str]]:
    """The network's listings the actor sees, as rows of LISTING_COLUMNS (owner where known)."""
    listings = listing_list(actor=actor, filters=ListingFilters(network=network.slug, status=""))
    revealed = revealed_listing_ids(actor=actor, listings=listings)
    return [_cells(listing, listing.pk in revealed) for listing in listings.order_by("pk")]


def _cells(listing: Listing, revealed: bool) -> dict[str, str]:
    cells = {
        "id": str(listing.pk),
        "organisation": listing.organisation.slug if revealed else "",
        "site": listing.site.name if revealed else "",
        "grades": LIST_SEPARATOR.join(sorted(g.code for g in listing.grades.all())),
        "chemistry": adapters.format_chemistry(
            sorted(listing.elements.all(), key=lambda e: e.element)
        ),
        "max_distance_km": "" if listing.max_distance_km is None else str(listing.max_distance_km),
    }
    for name in TEXTS:
        cells[name] = getattr(listing, name)
    for name in DECIMALS:
        cells[name] = adapters.decimal_text(getattr(listing, name))
    for name in DATES:
        value = getattr(listing, name)
        cells[name] = value.isoformat() if value else ""
    for name in LISTS:
        cells[name] = LIST_SEPARATOR.join(getattr(listing, name))
    return cells


@dataclass(frozen=True)
class ExportFile:
    """A file to hand out: its content, type and a name."""

    content: bytes
    content_type: str
    filename: str


def listings_export(*, actor: Any, network: Network, format: str = "csv") -> ExportFile:
    """Write the network's listings the actor sees as CSV (UTF-8 with BOM) or XLSX."""
    rows = listing_export_rows(actor=actor, network=network)
    name = f"listings-{network.slug}-{dt.date.today().isoformat()}"
    if format == "xlsx":
        return ExportFile(
            format_xlsx(LISTING_COLUMNS, rows),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx",
        )
    return ExportFile(
        format_csv(LISTING_COLUMNS, rows).encode("utf-8-sig"), "text/csv", f"{name}.csv"
    )
