"""Import and export of listings as tables (CSV or XLSX).

An import is all or nothing (see :mod:`metalloop.common.imports`): each row goes through
``listing_create`` or ``listing_update`` in its own savepoint; when any row fails, nothing is
written and every error is reported by line and column. A row with an ``id`` changes that
listing (columns a file leaves out, and empty ``organisation`` and ``site`` cells, stay as
they are); a row without creates one. Chemistry sits in one cell (``Cr=18.1;Ni=8.0-8.5;
Cu<=0.3``, wt-%), grades and other lists are separated by "|".

An export holds the listings of a network the actor sees, with the owner's organisation and
site only where the actor may learn them; it imports again without changes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from metalloop.accounts.models import Organisation
from metalloop.common.imports import (
    ImportRejected,
    ImportResult,
    RowError,
    RowOutcome,
    RowRejected,
    TableSpec,
    table_import,
)
from metalloop.common.tabular import Table, TableRow, format_csv, format_xlsx
from metalloop.exchange import adapters
from metalloop.exchange.models import Listing, ListingStatus
from metalloop.exchange.selectors import (
    ListingFilters,
    listing_list,
    revealed_listing_ids,
    usable_sites,
)
from metalloop.exchange.services.listings import listing_create, listing_update
from metalloop.network.models import Network, Site

__all__ = [
    "LISTING_COLUMNS",
    "ExportFile",
    "ImportRejected",
    "ImportResult",
    "listing_export_rows",
    "listings_export",
    "listings_import",
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


def listings_import(
    *, actor: Any, network: Network, table: Table, origin: str = "cli"
) -> ImportResult:
    """Create or change listings of a network from a table; all rows or none."""
    import_row = partial(_listing_row, actor, network, columns=table.columns, origin=origin)
    return table_import(table=table, spec=LISTING_TABLE, import_row=import_row)


@dataclass(frozen=True)
class Parsed:
    """A row as the values the services take (only the columns the file has)."""

    fields: dict[str, Any]
    grades: list[str] | None
    elements: list[adapters.ElementShare] | None


def _listing_row(
    actor: Any, network: Network, row: TableRow, *, columns: list[str], origin: str
) -> RowOutcome:
    parsed = _parse(row, columns)
    try:
        if row.cells.get("id"):
            return _update_row(actor, network, row, parsed, origin)
        return _create_row(actor, network, row, parsed, origin)
    except ValidationError as invalid:
        raise _row_errors(row, invalid) from invalid


def _row_errors(row: TableRow, invalid: ValidationError) -> RowRejected:
    """Service errors by column: chemistry errors (``elements.Cr``) belong to ``chemistry``."""
    errors: list[RowError] = []
    for field, messages in invalid.message_dict.items():
        column = "chemistry" if field.startswith("elements") else field
        column = "" if column == "__all__" else column
        errors.extend(RowError(row.line, column, message) for message in messages)
    return RowRejected(errors)


def _create_row(
    actor: Any, network: Network, row: TableRow, parsed: Parsed, origin: str
) -> RowOutcome:
    status = parsed.fields.pop("status", "")
    if status and status != ListingStatus.ACTIVE:
        raise RowRejected(
            [RowError(row.line, "status", _("A new listing starts active; leave the cell empty."))]
        )
    organisation, site = _placement(actor, row)
    listing_create(
        actor=actor,
        network=network,
        organisation=organisation,
        site=site,
        grades=parsed.grades or [],
        elements=parsed.elements or [],
        origin=origin,
        **parsed.fields,
    )
    return RowOutcome.CREATED


def _update_row(
    actor: Any, network: Network, row: TableRow, parsed: Parsed, origin: str
) -> RowOutcome:
    existing = _existing(actor, network, row)
    changes = _changes(existing, parsed)
    if row.cells.get("site"):
        _, site = _placement(actor, row, default=existing.organisation)
        if site.pk != existing.site_id:
            changes["site"] = site
    if not changes:
        return RowOutcome.UNCHANGED
    grades = changes.pop("grades", None)
    elements = changes.pop("elements", None)
    listing_update(
        actor=actor, listing=existing, grades=grades, elements=elements, origin=origin, **changes
    )
    return RowOutcome.UPDATED


def _existing(actor: Any, network: Network, row: TableRow) -> Listing:
    text = row.cells["id"]
    found = None
    if text.isdigit():
        filters = ListingFilters(network=network.slug, status="")
        found = listing_list(actor=actor, filters=filters).filter(pk=int(text)).first()
    if found is None:
        message = _("No listing of this network has the id %(id)s.") % {"id": text}
        raise RowRejected([RowError(row.line, "id", message)])
    return found


def _placement(
    actor: Any, row: TableRow, default: Organisation | None = None
) -> tuple[Organisation, Site]:
    """The organisation (by slug; default the actor's) and its site (by name) of a row."""
    slug = row.cells.get("organisation", "")
    sites = usable_sites(actor=actor) if actor is not None else Site.objects.all()
    if slug:
        organisation = Organisation.objects.filter(slug=slug, sites__in=sites).first()
        if organisation is None:
            message = _("You may not place listings for an organisation called %(slug)s.") % {
                "slug": slug
            }
            raise RowRejected([RowError(row.line, "organisation", message)])
    else:
        organisation = default or getattr(actor, "organisation", None)
        if organisation is None:
            message = _("Give the organisation's short name (slug).")
            raise RowRejected([RowError(row.line, "organisation", message)])
    own_sites = list(sites.filter(organisation=organisation))
    name = row.cells.get("site", "")
    chosen = [s for s in own_sites if s.name == name] if name else own_sites
    if len(chosen) != 1:
        names = ", ".join(s.name for s in own_sites)
        message = (
            _("%(organisation)s has no site called %(name)s; its sites: %(names)s.")
            if name
            else _("Name the site; %(organisation)s has these: %(names)s.")
        ) % {"organisation": organisation.slug, "name": name, "names": names}
        raise RowRejected([RowError(row.line, "site", message)])
    return organisation, chosen[0]


# --- parsing cells ------------------------------------------------------------------------------


def _parse(row: TableRow, columns: list[str]) -> Parsed:
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


def _changes(listing: Listing, parsed: Parsed) -> dict[str, Any]:
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
