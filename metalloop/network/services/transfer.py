"""Import and export of organisations and sites as tables (CSV or XLSX).

An import is all or nothing (see :mod:`metalloop.common.imports`): every row is checked by
the same functions as any other write (validation, permissions, the gazetteer), with what
the rows name looked up once for the whole file, before anything is written; when any row
fails, nothing is written and :class:`ImportRejected` lists every error by line and column.
Then all rows are written in one short transaction with bulk operations, each audited.
Columns a file leaves out stay as they are; list cells (roles, competences, networks) are
separated by ";". Rows equal to what is stored (an exported file, :mod:`.export`) are
counted as unchanged and not written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from metalloop.accounts.models import Organisation
from metalloop.common.bulk import BulkWrite
from metalloop.common.imports import (
    ImportRejected,
    ImportResult,
    PlannedRow,
    RowError,
    RowOutcome,
    RowPlan,
    RowPlanner,
    RowRejected,
    TableSpec,
    chunks,
    refuse_stale,
    table_import,
)
from metalloop.common.tabular import Table, TableRow
from metalloop.network.models import Site
from metalloop.network.selectors import organisation_list, site_list
from metalloop.network.services._common import RegistryBatch
from metalloop.network.services._writes import (
    organisation_drafts_prepare,
    site_drafts_prepare,
    stale_ids,
)
from metalloop.network.services.export import (
    LIST_SEPARATOR,
    organisation_cells,
    organisation_export_rows,
    site_cells,
    site_export_rows,
)
from metalloop.network.services.organisations import (
    RELATED,
    organisation_draft_create,
    organisation_draft_update,
)
from metalloop.network.services.sites import site_draft_create, site_draft_update

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
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
ORGANISATION_TABLE = TableSpec(
    columns=ORGANISATION_COLUMNS, required=ORGANISATION_REQUIRED, key=("slug",)
)
SITE_TABLE = TableSpec(columns=SITE_COLUMNS, required=SITE_REQUIRED, key=("organisation", "name"))


def organisations_import(*, actor: Any, table: Table, origin: str = "cli") -> ImportResult:
    """Create or update organisations (by slug) from a table; all rows or none."""
    return table_import(
        table=table,
        spec=ORGANISATION_TABLE,
        plan=partial(_organisation_planner, actor),
        write=partial(_organisation_writes, actor=actor, origin=origin),
    )


def sites_import(*, actor: Any, table: Table, origin: str = "cli") -> ImportResult:
    """Create or update sites (by organisation and site name) from a table; all rows or none."""
    return table_import(
        table=table,
        spec=SITE_TABLE,
        plan=partial(_site_planner, actor),
        write=partial(_site_writes, actor=actor, origin=origin),
    )


def _registry_batch(actor: Any) -> RegistryBatch:
    """The small tables a row may name, whole, and the slugs that are taken."""
    if actor is not None:
        prefetch_related_objects([actor], "managed_networks")
    related = {
        field: {getattr(record, key): record for record in model._default_manager.all()}
        for field, (model, key, _message, _code) in RELATED.items()
    }
    return RegistryBatch(
        related=related, slugs=set(Organisation.objects.values_list("slug", flat=True))
    )


def _organisations_by_slug(actor: Any, slugs: Iterable[str]) -> dict[str, Organisation]:
    """The organisations with these slugs, with their relations prefetched."""
    return {
        organisation.slug: organisation
        for chunk in chunks(sorted(set(slugs)))
        for organisation in organisation_list(actor=actor).filter(slug__in=chunk)
    }


def _list_cell(value: str) -> list[str]:
    return list(dict.fromkeys(item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()))


def _same_text(stored: str, given: str) -> bool:
    """Compare text as a person reads it: XLSX turns the web's "\\r\\n" line ends into "\\n"."""
    return stored.replace("\r\n", "\n") == given.replace("\r\n", "\n")


def _present(cells: dict[str, str], columns: list[str], names: Iterable[str]) -> dict[str, str]:
    return {name: cells[name] for name in names if name in columns}


# --- organisations ----------------------------------------------------------------------------

ORGANISATION_SCALARS = ("name", "legal_form", "kind", "size_class", "website", "description")


@dataclass(frozen=True)
class _OrganisationLookups:
    existing: dict[str, Organisation]
    batch: RegistryBatch


def _organisation_planner(actor: Any, table: Table) -> RowPlanner:
    lookups = _OrganisationLookups(
        existing=_organisations_by_slug(actor, (r.cells.get("slug", "") for r in table.rows)),
        batch=_registry_batch(actor),
    )
    return partial(_plan_organisation, actor, lookups, columns=table.columns)


def _plan_organisation(
    actor: Any, lookups: _OrganisationLookups, row: TableRow, *, columns: list[str]
) -> RowPlan:
    slug = row.cells.get("slug", "")
    existing = lookups.existing.get(slug) if slug else None
    fields: dict[str, Any] = _present(row.cells, columns, ORGANISATION_SCALARS)
    lists: dict[str, Any] = {
        name: _list_cell(value)
        for name, value in _present(row.cells, columns, ORGANISATION_LISTS).items()
    }
    if existing is None:
        draft = organisation_draft_create(
            actor=actor, values=fields, slug=slug, batch=lookups.batch, **lists
        )
        return RowPlan(RowOutcome.CREATED, draft)
    if _organisation_unchanged(existing, fields, lists):
        return RowPlan(RowOutcome.UNCHANGED)
    draft = organisation_draft_update(
        actor=actor, organisation=existing, fields=fields, batch=lookups.batch, **lists
    )
    return RowPlan(RowOutcome.UPDATED, draft)


def _organisation_writes(rows: Sequence[PlannedRow], *, actor: Any, origin: str) -> BulkWrite:
    drafts = [planned.write for planned in rows]

    def refuse_changed_since_checked() -> None:
        read = {d.organisation.pk: d.read_version for d in drafts if not d.created}
        stale = stale_ids(Organisation, read)
        refuse_stale(rows, lambda draft: draft.organisation.pk in stale)

    write = organisation_drafts_prepare(drafts, actor=actor, origin=origin)
    write.first(refuse_changed_since_checked)
    return write


def _organisation_unchanged(
    organisation: Organisation, fields: dict[str, str], lists: dict[str, list[str]]
) -> bool:
    stored = organisation_cells(organisation)
    return all(_same_text(stored[name], value) for name, value in fields.items()) and all(
        set(_list_cell(stored[name])) == set(values) for name, values in lists.items()
    )


# --- sites ------------------------------------------------------------------------------------

SITE_SCALARS = ("name", "kind", "street", "postcode", "place", "state")


@dataclass(frozen=True)
class _SiteLookups:
    organisations: dict[str, Organisation]
    sites: dict[tuple[int, str], list[Site]]
    batch: RegistryBatch


def _site_planner(actor: Any, table: Table) -> RowPlanner:
    organisations = _organisations_by_slug(
        actor, (r.cells["organisation"] for r in table.rows if r.cells.get("organisation"))
    )
    by_id = {organisation.pk: organisation for organisation in organisations.values()}
    sites: dict[tuple[int, str], list[Site]] = {}
    for chunk in chunks(sorted(by_id)):
        for site in site_list(actor=actor).filter(organisation_id__in=chunk):
            site.organisation = by_id[site.organisation_id]  # with its memberships prefetched
            sites.setdefault((site.organisation_id, site.name), []).append(site)
    lookups = _SiteLookups(organisations, sites, _registry_batch(actor))
    return partial(_plan_site, actor, lookups, columns=table.columns)


def _plan_site(actor: Any, lookups: _SiteLookups, row: TableRow, *, columns: list[str]) -> RowPlan:
    organisation, coordinates = _site_references(lookups, row)
    fields: dict[str, Any] = _present(row.cells, columns, SITE_SCALARS)
    if "postcode" in fields:
        fields["postcode"] = _restore_leading_zero(fields["postcode"])
    existing = _existing_site(lookups, row, organisation)
    if existing is None:
        draft = site_draft_create(
            actor=actor, organisation=organisation, values=fields, batch=lookups.batch,
            **coordinates,
        )  # fmt: skip
        return RowPlan(RowOutcome.CREATED, draft)
    if _site_unchanged(existing, fields, coordinates):
        return RowPlan(RowOutcome.UNCHANGED)
    draft = site_draft_update(
        actor=actor, site=existing, fields=fields, batch=lookups.batch, **coordinates
    )
    return RowPlan(RowOutcome.UPDATED, draft)


def _site_writes(rows: Sequence[PlannedRow], *, actor: Any, origin: str) -> BulkWrite:
    drafts = [planned.write for planned in rows]

    def refuse_changed_since_checked() -> None:
        stale = stale_ids(Site, {d.site.pk: d.read_version for d in drafts if not d.created})
        refuse_stale(rows, lambda draft: draft.site.pk in stale)

    write = site_drafts_prepare(drafts, actor=actor, origin=origin)
    write.first(refuse_changed_since_checked)
    return write


def _restore_leading_zero(postcode: str) -> str:
    """Spreadsheets store 01067 (Dresden) as the number 1067; give back the fifth digit."""
    return postcode.zfill(5) if postcode.isdigit() and len(postcode) == 4 else postcode


def _site_references(lookups: _SiteLookups, row: TableRow) -> tuple[Organisation, dict[str, Any]]:
    """Return the organisation and the coordinates a row names, or reject the row."""
    errors: list[RowError] = []
    organisation = _site_organisation(lookups, row, errors)
    coordinates = _coordinates(row, errors)
    if errors or organisation is None:
        raise RowRejected(errors)
    return organisation, coordinates


def _site_organisation(
    lookups: _SiteLookups, row: TableRow, errors: list[RowError]
) -> Organisation | None:
    slug = row.cells["organisation"]
    found = lookups.organisations.get(slug) if slug else None
    if found is None:
        message = (
            _("No organisation has the short name %(slug)s.") % {"slug": slug}
            if slug
            else _("Give the organisation's short name (slug).")
        )
        errors.append(RowError(row.line, "organisation", message))
    return found


def _existing_site(lookups: _SiteLookups, row: TableRow, organisation: Organisation) -> Site | None:
    name = row.cells["name"]
    matches = lookups.sites.get((organisation.pk, name), [])
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
    stored = site_cells(site)
    same_fields = all(_same_text(stored[name], value) for name, value in fields.items())
    same_coordinates = all(
        value is None or value == getattr(site, name) for name, value in coordinates.items()
    )
    return same_fields and same_coordinates
