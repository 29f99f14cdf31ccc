"""Import of listings from a table: every row checked first, then all written at once.

An import is all or nothing (see :mod:`metalloop.common.imports`): every row is checked by
the services' own checks (``listing_draft_create`` or ``listing_draft_update``, which
``listing_create`` and ``listing_update`` call too) without writing; when any row fails,
nothing is written and every error is reported by line and column. What the rows name
(the listings they change, organisations, sites, the network's members) is looked up once
for the whole file. Then all rows are written in one short transaction with bulk operations
and audited one by one (:func:`~._listing_writes.listing_drafts_save`), after a check that
no listing the file changes was saved by someone else in the meantime.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from metalloop.accounts.models import Organisation
from metalloop.common.bulk import BulkWrite
from metalloop.common.imports import (
    ImportResult,
    PlannedRow,
    RowError,
    RowOutcome,
    RowPlan,
    RowPlanner,
    RowRejected,
    chunks,
    refuse_stale,
    table_import,
)
from metalloop.common.tabular import Table, TableRow
from metalloop.exchange.models import Listing, ListingStatus
from metalloop.exchange.selectors import ListingFilters, listing_list, usable_sites
from metalloop.exchange.services._common import Batch
from metalloop.exchange.services._listing_writes import listing_drafts_prepare, stale_listing_ids
from metalloop.exchange.services.listings import listing_draft_create, listing_draft_update
from metalloop.exchange.services.transfer import LISTING_TABLE, Parsed, changes_of, parse_row
from metalloop.network.models import Network, Site


def listings_import(
    *, actor: Any, network: Network, table: Table, origin: str = "cli"
) -> ImportResult:
    """Create or change listings of a network from a table; all rows or none."""
    return table_import(
        table=table,
        spec=LISTING_TABLE,
        plan=partial(_planner, actor, network),
        write=partial(_prepare_writes, actor=actor, origin=origin),
    )


@dataclass(frozen=True)
class Lookups:
    """What the rows of one file name, looked up at once: the listings they change (by id),
    the organisations (by slug) and the sites the actor may place listings at, and the
    network's members."""

    existing: dict[int, Listing]
    organisations: dict[str, Organisation]
    sites: dict[int, list[Site]]
    batch: Batch


def _planner(actor: Any, network: Network, table: Table) -> RowPlanner:
    lookups = _lookups(actor, network, table)
    return partial(_plan_row, actor, network, lookups, columns=table.columns)


def _lookups(actor: Any, network: Network, table: Table) -> Lookups:
    ids = {int(r.cells["id"]) for r in table.rows if r.cells.get("id", "").isdigit()}
    filters = ListingFilters(network=network.slug, status="")
    existing = {
        listing.pk: listing
        for chunk in chunks(sorted(ids))
        for listing in listing_list(actor=actor, filters=filters).filter(pk__in=chunk)
    }
    slugs = {r.cells["organisation"] for r in table.rows if r.cells.get("organisation")}
    owners = {listing.organisation_id for listing in existing.values()}
    if getattr(actor, "organisation_id", None):
        owners.add(actor.organisation_id)
    usable = usable_sites(actor=actor) if actor is not None else Site.objects.all()
    sites: dict[int, list[Site]] = {}
    organisations: dict[str, Organisation] = {}
    for chunk in chunks(sorted(slugs)):
        for site in usable.filter(organisation__slug__in=chunk).select_related("organisation"):
            sites.setdefault(site.organisation_id, []).append(site)
            organisations[site.organisation.slug] = site.organisation
    for chunk in chunks(sorted(owners - {o.pk for o in organisations.values()})):
        for site in usable.filter(organisation_id__in=chunk).select_related("organisation"):
            sites.setdefault(site.organisation_id, []).append(site)
    members = set(network.memberships.values_list("organisation_id", flat=True))
    return Lookups(existing, organisations, sites, Batch(members={network.pk: members}))


def _plan_row(
    actor: Any, network: Network, lookups: Lookups, row: TableRow, *, columns: list[str]
) -> RowPlan:
    parsed = parse_row(row, columns)
    try:
        if row.cells.get("id"):
            return _plan_update(actor, lookups, row, parsed)
        return _plan_create(actor, network, lookups, row, parsed)
    except ValidationError as invalid:
        raise _row_errors(row, invalid) from invalid


def _prepare_writes(rows: Sequence[PlannedRow], *, actor: Any, origin: str) -> BulkWrite:
    drafts = [planned.write for planned in rows]

    def refuse_changed_since_checked() -> None:
        stale = stale_listing_ids(drafts)
        refuse_stale(rows, lambda draft: draft.listing.pk in stale)

    write = listing_drafts_prepare(drafts, actor=actor, origin=origin)
    write.first(refuse_changed_since_checked)
    return write


def _row_errors(row: TableRow, invalid: ValidationError) -> RowRejected:
    """Service errors by column: chemistry errors (``elements.Cr``) belong to ``chemistry``."""
    errors: list[RowError] = []
    for field, messages in invalid.message_dict.items():
        column = "chemistry" if field.startswith("elements") else field
        column = "" if column == "__all__" else column
        errors.extend(RowError(row.line, column, message) for message in messages)
    return RowRejected(errors)


def _plan_create(
    actor: Any, network: Network, lookups: Lookups, row: TableRow, parsed: Parsed
) -> RowPlan:
    values = dict(parsed.fields)
    status = values.pop("status", "")
    if status and status != ListingStatus.ACTIVE:
        raise RowRejected(
            [RowError(row.line, "status", _("A new listing starts active; leave the cell empty."))]
        )
    organisation, site = _placement(actor, lookups, row)
    draft = listing_draft_create(
        actor=actor,
        network=network,
        organisation=organisation,
        site=site,
        grades=parsed.grades or [],
        elements=parsed.elements or [],
        values=values,
        batch=lookups.batch,
    )
    return RowPlan(RowOutcome.CREATED, draft)


def _plan_update(actor: Any, lookups: Lookups, row: TableRow, parsed: Parsed) -> RowPlan:
    existing = _existing(lookups, row)
    changes = changes_of(existing, parsed)
    if row.cells.get("site"):
        _, site = _placement(actor, lookups, row, default=existing.organisation)
        if site.pk != existing.site_id:
            changes["site"] = site
    if not changes:
        return RowPlan(RowOutcome.UNCHANGED)
    grades = changes.pop("grades", None)
    elements = changes.pop("elements", None)
    draft = listing_draft_update(
        actor=actor,
        listing=existing,
        grades=grades,
        elements=elements,
        fields=changes,
        batch=lookups.batch,
    )
    return RowPlan(RowOutcome.UPDATED, draft)


def _existing(lookups: Lookups, row: TableRow) -> Listing:
    text = row.cells["id"]
    found = lookups.existing.get(int(text)) if text.isdigit() else None
    if found is None:
        message = _("No listing of this network has the id %(id)s.") % {"id": text}
        raise RowRejected([RowError(row.line, "id", message)])
    return found


def _placement(
    actor: Any, lookups: Lookups, row: TableRow, default: Organisation | None = None
) -> tuple[Organisation, Site]:
    """The organisation (by slug; default the actor's) and its site (by name) of a row."""
    slug = row.cells.get("organisation", "")
    if slug:
        organisation = lookups.organisations.get(slug)
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
    own_sites = lookups.sites.get(organisation.pk, [])
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
