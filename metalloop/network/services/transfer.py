"""Import and export of organisations and sites as tables (CSV or XLSX).

An import is all or nothing (see :mod:`metalloop.common.imports`): every row goes through
the same services as any other write (validation, permissions, audit trail), each in its own
savepoint; when any row fails, the whole import is rolled back and :class:`ImportRejected`
lists every error by line and column. Columns a file leaves out stay as they are; list cells
(roles, competences, networks) are separated by ";".

Exported files import again without changing anything: rows equal to what is stored are
counted as unchanged and not written. A site's coordinates are exported only when they were
given by the organisation; an empty latitude and longitude means "the place centre from the
gazetteer".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from typing import Any

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
from metalloop.common.tabular import Table, TableRow
from metalloop.network.models import CoordinateSource, Site
from metalloop.network.selectors import SiteFilters, organisation_list, site_list
from metalloop.network.services.organisations import organisation_create, organisation_update
from metalloop.network.services.sites import site_create, site_update

__all__ = [
    "ORGANISATION_COLUMNS",
    "SITE_COLUMNS",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "organisation_export_rows",
    "organisations_import",
    "site_export_rows",
    "sites_import",
]

ORGANISATION_COLUMNS = [
    "slug",
    "name",
    "legal_form",
    "kind",
    "size_class",
    "roles",
    "competences",
    "networks",
    "website",
    "description",
]
ORGANISATION_REQUIRED = ("name", "kind")
ORGANISATION_LISTS = ("roles", "competences", "networks")
SITE_COLUMNS = [
    "organisation",
    "name",
    "kind",
    "street",
    "postcode",
    "place",
    "state",
    "latitude",
    "longitude",
]
SITE_REQUIRED = ("organisation", "name", "place")
SITE_COORDINATES = ("latitude", "longitude")
LIST_SEPARATOR = ";"
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
ORGANISATION_TABLE = TableSpec(
    columns=ORGANISATION_COLUMNS, required=ORGANISATION_REQUIRED, key=("slug",)
)
SITE_TABLE = TableSpec(columns=SITE_COLUMNS, required=SITE_REQUIRED, key=("organisation", "name"))


def organisations_import(*, actor: Any, table: Table, origin: str = "cli") -> ImportResult:
    """Create or update organisations (by slug) from a table; all rows or none."""
    import_row = partial(_organisation_row, actor, columns=table.columns, origin=origin)
    return table_import(table=table, spec=ORGANISATION_TABLE, import_row=import_row)


def sites_import(*, actor: Any, table: Table, origin: str = "cli") -> ImportResult:
    """Create or update sites (by organisation and site name) from a table; all rows or none."""
    import_row = partial(_site_row, actor, columns=table.columns, origin=origin)
    return table_import(table=table, spec=SITE_TABLE, import_row=import_row)


def _list_cell(value: str) -> list[str]:
    return list(dict.fromkeys(item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()))


def _same_text(stored: str, given: str) -> bool:
    """Compare text as a person reads it: XLSX turns the web's "\\r\\n" line ends into "\\n"."""
    return stored.replace("\r\n", "\n") == given.replace("\r\n", "\n")


def _present(cells: dict[str, str], columns: list[str], names: Iterable[str]) -> dict[str, str]:
    return {name: cells[name] for name in names if name in columns}


# --- organisations ----------------------------------------------------------------------------

ORGANISATION_SCALARS = ("name", "legal_form", "kind", "size_class", "website", "description")


def _organisation_row(actor: Any, row: TableRow, *, columns: list[str], origin: str) -> RowOutcome:
    slug = row.cells.get("slug", "")
    existing = organisation_list(actor=actor).filter(slug=slug).first() if slug else None
    fields: dict[str, Any] = _present(row.cells, columns, ORGANISATION_SCALARS)
    lists: dict[str, Any] = {
        name: _list_cell(value)
        for name, value in _present(row.cells, columns, ORGANISATION_LISTS).items()
    }
    if existing is None:
        organisation_create(actor=actor, slug=slug, origin=origin, **fields, **lists)
        return RowOutcome.CREATED
    if _organisation_unchanged(existing, fields, lists):
        return RowOutcome.UNCHANGED
    organisation_update(actor=actor, organisation=existing, origin=origin, **fields, **lists)
    return RowOutcome.UPDATED


def _organisation_unchanged(
    organisation: Organisation, fields: dict[str, str], lists: dict[str, list[str]]
) -> bool:
    stored = _organisation_cells(organisation)
    return all(_same_text(stored[name], value) for name, value in fields.items()) and all(
        set(_list_cell(stored[name])) == set(values) for name, values in lists.items()
    )


# --- sites ------------------------------------------------------------------------------------

SITE_SCALARS = ("name", "kind", "street", "postcode", "place", "state")


def _site_row(actor: Any, row: TableRow, *, columns: list[str], origin: str) -> RowOutcome:
    organisation, coordinates = _site_references(actor, row)
    fields: dict[str, Any] = _present(row.cells, columns, SITE_SCALARS)
    if "postcode" in fields:
        fields["postcode"] = _restore_leading_zero(fields["postcode"])
    existing = _existing_site(actor, row, organisation)
    if existing is None:
        site_create(actor=actor, organisation=organisation, origin=origin, **fields, **coordinates)
        return RowOutcome.CREATED
    if _site_unchanged(existing, fields, coordinates):
        return RowOutcome.UNCHANGED
    site_update(actor=actor, site=existing, origin=origin, **fields, **coordinates)
    return RowOutcome.UPDATED


def _restore_leading_zero(postcode: str) -> str:
    """Spreadsheets store 01067 (Dresden) as the number 1067; give back the fifth digit."""
    return postcode.zfill(5) if postcode.isdigit() and len(postcode) == 4 else postcode


def _site_references(actor: Any, row: TableRow) -> tuple[Organisation, dict[str, Any]]:
    """Return the organisation and the coordinates a row names, or reject the row."""
    errors: list[RowError] = []
    organisation = _site_organisation(actor, row, errors)
    coordinates = _coordinates(row, errors)
    if errors or organisation is None:
        raise RowRejected(errors)
    return organisation, coordinates


def _site_organisation(actor: Any, row: TableRow, errors: list[RowError]) -> Organisation | None:
    slug = row.cells["organisation"]
    found = organisation_list(actor=actor).filter(slug=slug).first() if slug else None
    if found is None:
        message = (
            _("No organisation has the short name %(slug)s.") % {"slug": slug}
            if slug
            else _("Give the organisation's short name (slug).")
        )
        errors.append(RowError(row.line, "organisation", message))
    return found


def _existing_site(actor: Any, row: TableRow, organisation: Organisation) -> Site | None:
    name = row.cells["name"]
    filters = SiteFilters(organisation=organisation.slug)
    matches = list(site_list(actor=actor, filters=filters).filter(name=name)[:2])
    if len(matches) > 1:
        message = _(
            "%(organisation)s has several sites called %(name)s; rename them so that each "
            "name is used once."
        ) % {"organisation": organisation.slug, "name": name}
        raise RowRejected([RowError(row.line, "name", message)])
    return matches[0] if matches else None


def _coordinates(row: TableRow, errors: list[RowError]) -> dict[str, float | None]:
    parsed: dict[str, float | None] = {}
    for name in SITE_COORDINATES:
        try:
            parsed[name] = _parse_number(row.cells.get(name, ""))
        except ValueError as error:
            errors.append(RowError(row.line, name, str(error)))
    return parsed


def _parse_number(text: str) -> float | None:
    """Return the number in a cell (decimal point or comma), ``None`` when it is empty."""
    if not text:
        return None
    normalised = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    if not NUMBER.fullmatch(normalised):
        raise ValueError(
            _(
                "%(text)s is not a number; write degrees as a decimal number, "
                "e.g. 51.4325 or 51,4325."
            )
            % {"text": text}
        )
    return float(normalised)


def _site_unchanged(
    site: Site, fields: dict[str, str], coordinates: dict[str, float | None]
) -> bool:
    stored = _site_cells(site)
    same_fields = all(_same_text(stored[name], value) for name, value in fields.items())
    same_coordinates = all(
        value is None or value == getattr(site, name) for name, value in coordinates.items()
    )
    return same_fields and same_coordinates


# --- export -----------------------------------------------------------------------------------


def organisation_export_rows(*, actor: Any) -> list[dict[str, str]]:
    """Return the organisations the actor sees as rows of ORGANISATION_COLUMNS."""
    return [_organisation_cells(o) for o in organisation_list(actor=actor)]


def site_export_rows(*, actor: Any) -> list[dict[str, str]]:
    """Return the sites the actor sees as rows of SITE_COLUMNS."""
    return [_site_cells(site) for site in site_list(actor=actor)]


def _organisation_cells(organisation: Organisation) -> dict[str, str]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "kind": organisation.kind,
        "size_class": organisation.size_class,
        "roles": _join(stage.code for stage in organisation.roles.all()),
        "competences": _join(competence.code for competence in organisation.competences.all()),
        "networks": _join(m.network.slug for m in organisation.memberships.all()),
        "website": organisation.website,
        "description": organisation.description,
    }


def _site_cells(site: Site) -> dict[str, str]:
    given = site.coordinate_source == CoordinateSource.GIVEN
    return {
        "organisation": site.organisation.slug,
        "name": site.name,
        "kind": site.kind,
        "street": site.street,
        "postcode": site.postcode,
        "place": site.place,
        "state": site.state,
        "latitude": repr(site.latitude) if given else "",
        "longitude": repr(site.longitude) if given else "",
    }


def _join(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(items)
